/* scr_editor.c: the card editor, on the ncurses form library. Text fields
 * are edited in place; ids, levels, designs, countries, categories and
 * days are chosen in pickers; switches toggle with Space. Each field's
 * problem shows beside it as the person types (the same validation as
 * `cardorder validate`), and fields that do not apply to the card's level
 * are hidden. */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "editor.h"
#include "catalog.h"
#include "i18n.h"
#include "text.h"
#include "values.h"

#include <curses.h>
#include <form.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#define LABEL_X 2
#define FIELD_X 28
#define FIELD_W EDITOR_FIELD_W


struct section {
	const char *title;
	const enum field_id *fields;
	size_t n;
};

static const enum field_id sec_card[] = {
	FIELD_HOLDER_ID, FIELD_CARD_LEVEL, FIELD_BANK_ACCOUNT_ID,
	FIELD_CARD_DESIGN, FIELD_TYPE_OF_PRINT,
};
static const enum field_id sec_limits[] = {
	FIELD_ATM_OPTION, FIELD_NFC_OPTION, FIELD_ONLINE_OPTION, FIELD_FOREIGN_OPTION,
	FIELD_PAYMENT_MONTHLY_LIMIT, FIELD_PAYMENT_DAILY_LIMIT_OPTION,
	FIELD_PAYMENT_DAILY_LIMIT, FIELD_PAYMENT_TRANSACTION_LIMIT_OPTION,
	FIELD_PAYMENT_TRANSACTION_LIMIT, FIELD_ATM_MONTHLY_LIMIT,
	FIELD_ATM_DAILY_LIMIT_OPTION, FIELD_ATM_DAILY_LIMIT,
	FIELD_PAYMENT_LIFESPAN_LIMIT, FIELD_PRE_EXPIRES_AT,
};
static const enum field_id sec_restrict[] = { FIELD_CATEGORIES, FIELD_ACTIVE_DAYS };
static const enum field_id sec_ship[] = {
	FIELD_SHIP_TO_BUSINESS, FIELD_CONTACT_NAME, FIELD_FIRST_LINE,
	FIELD_SECOND_LINE, FIELD_THIRD_LINE, FIELD_ZIPCODE, FIELD_CITY, FIELD_COUNTRY,
};

#define SECTION(t, a) { (t), (a), sizeof(a) / sizeof((a)[0]) }
/* The titles are translated where they are drawn (a page's sections are
 * told apart by these pointers). */
static const struct section sections[] = {
	/* TRANSLATORS: the headings of the card editor's sections */
	SECTION(N_("Card"), sec_card),
	SECTION(N_("Options and limits"), sec_limits),
	SECTION(N_("Restrictions"), sec_restrict),
	SECTION(N_("Shipping"), sec_ship),
};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))


/* The actions are translated where they are shown (draw.c, help.c). */
static const struct key_binding editor_keys[] = {
	/* TRANSLATORS: the actions of the card editor's keys; those of its
	   key bar (done, cancel, next field, next page, choose, switch) at
	   most as wide as the English */
	{ KEY_F(2), "F2", N_("done"), true },
	{ 27, "Esc", N_("cancel"), true },
	{ '\t', "Tab", N_("next field"), true },
	{ KEY_NPAGE, "PgDn", N_("next page"), true },
	{ KEY_BTAB, "S-Tab", N_("previous field"), false },
	{ '\n', "Enter", N_("choose"), true },
	/* TRANSLATORS: Space switches a yes/no field: yes, no, not set */
	{ ' ', "Space", N_("switch"), true },
	{ KEY_PPAGE, "PgUp", N_("previous page"), false },
	{ KEY_HOME, "Home/C-a", N_("start of the text"), false },
	{ KEY_END, "End/C-e", N_("end of the text"), false },
	{ 21, "C-u", N_("clear the text"), false },
	{ 23, "C-w", N_("delete the word before the cursor"), false },
	{ 11, "C-k", N_("delete to the end"), false },
	{ KEY_BACKSPACE, "Backspace", N_("clear a choice; in text, the character before"), false },
	/* TRANSLATORS: ? is the key */
	{ KEY_F(1), "F1", N_("help (? too, outside text)"), false },
	{ 0, NULL, NULL, false },
};


static struct editor *ed(struct screen *s)
{
	return s->data;
}

struct draft_card *editor_card(struct app *app, struct editor *e)
{
	return e->tpl ? e->tpl : &app->draft.cards[e->card];
}

const char *editor_text(struct app *app, struct editor *e, enum field_id id)
{
	const char *t = editor_card(app, e)->text[id];

	return t ? t : "";
}

enum widget editor_widget(enum field_id id)
{
	switch (field_get(id)->kind) {
	case KIND_BOOL: return W_SWITCH;
	case KIND_EUROS: case KIND_DATETIME: case KIND_TEXT: return W_TEXT;
	default: return W_PICK;
	}
}

/* Which fields show: those of the card's level (all until it is chosen;
 * only limits and restrictions in a template). */
static bool visible(struct app *app, struct editor *e, enum field_id id)
{
	enum card_level level;

	if (e->tpl)
		return field_get(id)->flags & FF_TEMPLATE;
	if (!level_parse(editor_text(app, e, FIELD_CARD_LEVEL), &level))
		return id == FIELD_HOLDER_ID || id == FIELD_CARD_LEVEL ||
		       id == FIELD_BANK_ACCOUNT_ID || editor_text(app, e, id)[0];
	/* A value already there stays visible, so that its problem shows. */
	return field_applies(id, level) || editor_text(app, e, id)[0];
}

/* Translated where they are shown. */
const char *const editor_day_names[7] = {
	/* TRANSLATORS: the days of the week, short (3 columns at most) */
	N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun")
};

/* What a field shows: names rather than ids, yes/no, Mon Wed... */
static void display(struct app *app, struct editor *e, enum field_id id,
		    char *buf, size_t cap)
{
	const char *t = editor_text(app, e, id), *name;
	char *copy, *tok, *save = NULL;
	size_t used = 0;
	int day, i;

	buf[0] = '\0';
	switch (id) {
	case FIELD_HOLDER_ID:
		name = app_holder_name(app, t);
		snprintf(buf, cap, "%s", name ? name : *t ? t : editor_text(app, e, FIELD_HOLDER));
		return;
	case FIELD_BANK_ACCOUNT_ID:
		for (size_t k = 0; k < app->dir.n_accounts; k++)
			if (strcmp(app->dir.accounts[k].id, t) == 0 && app->dir.accounts[k].name) {
				snprintf(buf, cap, "%s", app->dir.accounts[k].name);
				return;
			}
		snprintf(buf, cap, "%s", *t ? t : editor_text(app, e, FIELD_BANK_ACCOUNT));
		return;
	case FIELD_COUNTRY:
		i = *t ? catalog_country_find(t) : -1;
		snprintf(buf, cap, "%s%s%s", t, i >= 0 ? "  " : "",
			 i >= 0 ? catalog_country_name((size_t)i) : "");
		return;
	default:
		break;
	}
	if (editor_widget(id) == W_SWITCH) {
		bool b;

		snprintf(buf, cap, "%s", !*t ? "" : value_parse_bool(t, &b) ? (b ? _("yes") : _("no")) : t);
		return;
	}
	if (id != FIELD_ACTIVE_DAYS && id != FIELD_CATEGORIES) {
		snprintf(buf, cap, "%s", t);
		return;
	}
	copy = strdup(t);
	for (tok = copy ? strtok_r(copy, ";", &save) : NULL; tok && used < cap;
	     tok = strtok_r(NULL, ";", &save)) {
		if (id == FIELD_ACTIVE_DAYS && value_parse_day(tok, &day) && day >= 1 && day <= 7)
			tok = (char *)(uintptr_t)_(editor_day_names[day - 1]);
		used += (size_t)snprintf(buf + used, cap - used, "%s%s",
					 used ? (id == FIELD_ACTIVE_DAYS ? " " : ", ") : "",
					 tok);
	}
	free(copy);
}

static void free_form_fields(struct editor *e)
{
	if (e->form) {
		unpost_form(e->form);
		free_form(e->form);
		e->form = NULL;
	}
	for (size_t i = 0; i < e->n; i++)
		free_field(e->fields[i]);
	e->n = 0;
	if (e->sub) {
		delwin(e->sub);
		e->sub = NULL;
	}
}

static void fill(struct app *app, struct editor *e, size_t i)
{
	char buf[512];
	char *safe;

	display(app, e, e->ids[i], buf, sizeof(buf));
	safe = editor_widget(e->ids[i]) == W_TEXT ? strdup(buf) : text_sanitize(buf);
	if (safe && editor_widget(e->ids[i]) != W_TEXT) {
		/* a choice longer than its field ends in "…" (a text field
		 * scrolls as it is typed in) */
		char *fit = ui_fit(safe, FIELD_W);

		free(safe);
		safe = fit;
	}
	set_field_buffer(e->fields[i], 0, safe ? safe : "");
	free(safe);
}

static bool add_field(struct app *app, struct editor *e, enum field_id id,
		      int row, int page, const char *title)
{
	FIELD *f = new_field(1, FIELD_W, row, 0, 0, 0);
	size_t i = e->n;

	if (!f)
		return false;
	e->fields[i] = f;
	e->ids[i] = id;
	e->rows[i] = row;
	e->pages[i] = page;
	e->page_title[i] = title;
	set_field_back(f, A_UNDERLINE);
	/* O_BLANK would make the first key typed at the start replace the
	 * whole value. */
	field_opts_off(f, O_AUTOSKIP | O_BLANK);
	if (editor_widget(id) == W_TEXT) {
		field_opts_off(f, O_STATIC);
		set_max_field(f, 1024);
	} else {
		field_opts_off(f, O_EDIT);
	}
	/* A page's first field is not always on row 0: a section that
	 * starts a page begins with its heading. */
	if (i > 0 && page != e->pages[i - 1])
		set_new_page(f, TRUE);
	e->n++;
	fill(app, e, i);
	return true;
}

int editor_current(struct editor *e)
{
	return e->form ? field_index(current_field(e->form)) : 0;
}

/* In a text field, the cursor goes after the value, as in a shell: typing
 * adds to it, Backspace takes its last character. */
void editor_to_end(struct editor *e)
{
	if (e->form && e->n && editor_widget(e->ids[editor_current(e)]) == W_TEXT)
		form_driver_w(e->form, KEY_CODE_YES, REQ_END_LINE);
}

/* Lays the visible fields out in pages that fit the screen: a section
 * starts a new page when it does not fit on the current one. */
static void build(struct app *app, struct editor *e)
{
	int avail = LINES - 6, row = 0, page = 0, want = e->want_field;
	size_t count;

	free_form_fields(e);
	for (size_t s = 0; s < N_SECTIONS; s++) {
		count = 0;
		for (size_t k = 0; k < sections[s].n; k++)
			count += visible(app, e, sections[s].fields[k]);
		if (count == 0)
			continue;
		if (row > 0 && row + 1 + (int)count > avail) {
			row = 0;
			page++;
		}
		row += row > 0; /* a blank row between sections */
		row++;          /* the section's heading */
		for (size_t k = 0; k < sections[s].n; k++) {
			if (!visible(app, e, sections[s].fields[k]))
				continue;
			if (row >= avail) {
				row = 0;
				page++;
			}
			add_field(app, e, sections[s].fields[k], row++, page,
				  sections[s].title);
		}
	}
	e->fields[e->n] = NULL;
	e->built_cols = COLS;
	e->built_lines = LINES;
	snprintf(e->built_level, sizeof(e->built_level), "%s",
		 editor_text(app, e, FIELD_CARD_LEVEL));
	e->form = new_form(e->fields);
	if (!e->form)
		return;
	/* Backspace at the start and Enter never leave the field. */
	form_opts_off(e->form, O_BS_OVERLOAD | O_NL_OVERLOAD);
	/* A window of its own: the frame's erase() of stdscr never wipes
	 * the fields, and the form is posted once, so the cursor stays
	 * where the person types. */
	e->sub = newwin(avail, FIELD_W, 3, FIELD_X);
	if (!e->sub)
		return;
	set_form_win(e->form, e->sub);
	set_form_sub(e->form, e->sub);
	post_form(e->form);
	if (want > 0 && (size_t)want < e->n)
		set_current_field(e->form, e->fields[want]);
	editor_to_end(e);
}


static struct problem *field_problem(struct app *app, struct editor *e,
				     enum field_id id)
{
	const char *name = field_get(id)->name;

	if (e->tpl)
		return NULL;
	for (size_t k = 0; k < app->problems.n; k++) {
		struct problem *p = &app->problems.items[k];

		if (p->card != e->card)
			continue;
		if (strcmp(p->field, name) == 0 ||
		    (id == FIELD_HOLDER_ID && strcmp(p->field, "holder") == 0) ||
		    (id == FIELD_BANK_ACCOUNT_ID && strcmp(p->field, "bank_account") == 0))
			return p;
	}
	return NULL;
}

static const char *hint(enum field_id id)
{
	switch (editor_widget(id)) {
	/* TRANSLATORS: the hints of the editor's fields; Space and Enter are
	   keys; an example stays as it is typed */
	case W_SWITCH: return _("Space switches it: yes, no, or not set");
	case W_PICK: return id == FIELD_HOLDER_ID || id == FIELD_COUNTRY
				    ? _("type to search, Enter to choose")
				    : _("Enter to choose");
	default:
		return field_get(id)->kind == KIND_EUROS ? _("whole euros, such as 1500")
		       : field_get(id)->kind == KIND_DATETIME ? _("such as 2027-03-31T23:59:59Z")
							      : _("type the text");
	}
}

/* The form's window is where build() put it: a resize that ends at the
 * size the form was built for may still have moved or stretched it
 * (resizeterm shrinks windows, then stretches those touching the edge). */
static bool window_as_built(const struct editor *e)
{
	return e->sub && getbegy(e->sub) == 3 && getbegx(e->sub) == FIELD_X &&
	       getmaxy(e->sub) == LINES - 6 && getmaxx(e->sub) == FIELD_W;
}

static void editor_draw(struct app *app, struct screen *s)
{
	struct editor *e = ed(s);
	int cur = editor_current(e), page = e->n ? e->pages[cur] : 0, y;
	char title[160];
	struct problem *p;

	if (e->form_stale) {
		e->form_stale = false;
		build(app, e);
		cur = editor_current(e);
		page = e->n ? e->pages[cur] : 0;
	}
	if (!e->form || e->built_cols != COLS || e->built_lines != LINES ||
	    !window_as_built(e)) {
		e->want_field = cur;
		build(app, e);
		cur = editor_current(e);
		page = e->n ? e->pages[cur] : 0;
	}
	if (e->tpl)
		snprintf(title, sizeof(title), "%s", _("template for the marked cards"));
	else
		snprintf(title, sizeof(title), _("card %zu of %zu"), e->card + 1, app->draft.n);
	ui_frame(app, title, editor_keys);
	for (size_t i = 0; i < e->n; i++) {
		if (e->pages[i] != page)
			continue;
		y = 3 + e->rows[i];
		if (i == 0 || e->pages[i - 1] != page || e->page_title[i] != e->page_title[i - 1]) {
			ui_attr(app, UI_TITLE, true);
			ui_text(y - 1, LABEL_X - 1, COLS - 2, _(e->page_title[i]));
			ui_attr(app, UI_TITLE, false);
		}
		if ((int)i == cur)
			ui_attr(app, UI_SELECTED, true);
		ui_text(y, LABEL_X, FIELD_X - LABEL_X - 1, ui_label(e->ids[i]));
		if ((int)i == cur)
			ui_attr(app, UI_SELECTED, false);
		p = field_problem(app, e, e->ids[i]);
		if (p) {
			char *said = ui_problem_text(p, false);

			ui_attr(app, p->severity == SEVERITY_ERROR ? UI_ERROR : UI_WARNING, true);
			ui_textf(y, FIELD_X + FIELD_W + 1, COLS - FIELD_X - FIELD_W - 2, "%s %s",
				 p->severity == SEVERITY_ERROR ? "✗" : "!",
				 said ? said : p->message);
			ui_attr(app, p->severity == SEVERITY_ERROR ? UI_ERROR : UI_WARNING, false);
			free(said);
		}
	}
	if (e->n) {
		p = field_problem(app, e, e->ids[cur]);
		if (!app->message[0]) {
			char *said = p ? ui_problem_text(p, false) : NULL;

			ui_attr(app, p ? (p->severity == SEVERITY_ERROR ? UI_ERROR : UI_WARNING) : UI_DIM, true);
			/* TRANSLATORS: a field's label, then its problem or
			   its hint */
			ui_textf(LINES - 2, 1, COLS - 2, _("%s: %s"), ui_label(e->ids[cur]),
				 said ? said : p ? p->message : hint(e->ids[cur]));
			free(said);
			ui_attr(app, p ? (p->severity == SEVERITY_ERROR ? UI_ERROR : UI_WARNING) : UI_DIM, false);
		}
		/* TRANSLATORS: at most 20 columns */
		ui_textf(2, COLS - 22, 20, _("page %d of %d"), page + 1, e->pages[e->n - 1] + 1);
	}
	/* stdscr first, then the form's window over it, cursor last. */
	wnoutrefresh(stdscr);
	if (e->form && e->sub) {
		touchwin(e->sub);
		pos_form_cursor(e->form);
		wnoutrefresh(e->sub);
		curs_set(e->n && editor_widget(e->ids[cur]) == W_TEXT ? 1 : 0);
	}
}

/* ---- changes ---- */

/* The fields holding a value that the card's level does not take. */
static size_t not_applying(struct app *app, struct editor *e, enum field_id *ids,
			   char *names, size_t cap)
{
	enum card_level level;
	size_t n = 0, used = 0;

	names[0] = '\0';
	if (!level_parse(editor_text(app, e, FIELD_CARD_LEVEL), &level))
		return 0;
	for (int id = 0; id < FIELD_COUNT; id++) {
		if (!editor_text(app, e, (enum field_id)id)[0] ||
		    field_applies((enum field_id)id, level))
			continue;
		ids[n++] = (enum field_id)id;
		if (!ui_label((enum field_id)id))
			continue;
		if (used + strlen(ui_label((enum field_id)id)) + 8 < cap)
			used += (size_t)snprintf(names + used, cap - used, "%s%s",
						 used ? ", " : "", ui_label((enum field_id)id));
		else if (used + 4 < cap && !strstr(names, ", …"))
			used += (size_t)snprintf(names + used, cap - used, ", …");
	}
	return n;
}

static void clear_answered(struct app *app, bool yes, void *ctx)
{
	struct editor *e = ctx; /* the editor, under the dialog */
	enum field_id ids[FIELD_COUNT];
	char names[8];
	size_t n;

	if (!yes)
		return;
	n = not_applying(app, e, ids, names, sizeof(names));
	for (size_t i = 0; i < n; i++)
		draft_set(editor_card(app, e), ids[i], NULL);
	app_card_changed(app, e->card);
	e->want_field = editor_current(e);
	e->form_stale = true;
	/* TRANSLATORS: %s is a card level, as typed: standard, plus, metal,
	   virtual, flash, advertising... */
	app_notify(app, UI_OK, P_("%zu value(s) that %s cards do not take are cleared",
				  "%zu value(s) that %s cards do not take are cleared", n),
		   n, editor_text(app, e, FIELD_CARD_LEVEL));
}

/* A level chosen that leaves values it does not take: offered to clear
 * them at once (each stays, flagged, when the person says no). */
static void offer_clear(struct app *app, struct editor *e)
{
	enum field_id ids[FIELD_COUNT];
	char names[200], q[400];
	size_t n = not_applying(app, e, ids, names, sizeof(names));

	if (n == 0)
		return;
	/* TRANSLATORS: a card level as typed (virtual, flash...), how many
	   values, and the labels of their fields */
	snprintf(q, sizeof(q), P_("A %s card does not take %zu of the values set: %s. "
				  "Clear them?",
				  "A %s card does not take %zu of the values set: %s. "
				  "Clear them?", n),
		 editor_text(app, e, FIELD_CARD_LEVEL), n, names);
	app_ask(app, q, clear_answered, e, NULL);
}

static void changed(struct app *app, struct editor *e)
{
	if (e->tpl)
		return;
	app_card_changed(app, e->card);
	if (strcmp(e->built_level, editor_text(app, e, FIELD_CARD_LEVEL)) != 0) {
		offer_clear(app, e);
		/* Fields come and go with the level. */
		enum field_id keep = e->ids[editor_current(e)];

		e->want_field = 0;
		build(app, e);
		for (size_t i = 0; i < e->n; i++)
			if (e->ids[i] == keep)
				set_current_field(e->form, e->fields[i]);
		editor_to_end(e);
	}
}

void editor_set_text(struct app *app, struct editor *e, enum field_id id,
		     const char *value)
{
	draft_set(editor_card(app, e), id, value);
	changed(app, e);
	for (size_t i = 0; i < e->n; i++)
		if (e->ids[i] == id)
			fill(app, e, i);
}

/* The form's buffer of the current text field into the draft. */
void editor_sync(struct app *app, struct editor *e)
{
	FIELD *f = current_field(e->form);
	const char *buf;
	char *trimmed;

	form_driver_w(e->form, KEY_CODE_YES, REQ_VALIDATION);
	buf = field_buffer(f, 0);
	trimmed = text_trim_dup(buf ? buf : "", buf ? strlen(buf) : 0);
	/* unchanged: nothing to set (setting would drop Qonto's note) */
	if (trimmed && strcmp(trimmed, editor_text(app, e, e->ids[field_index(f)])) != 0) {
		draft_set(editor_card(app, e), e->ids[field_index(f)], trimmed);
		changed(app, e);
	}
	free(trimmed);
}

static enum key_result editor_key(struct app *app, struct screen *s, wint_t ch,
				  bool is_key)
{
	return editor_key_in(app, ed(s), ch, is_key);
}

static void editor_free(void *data)
{
	struct editor *e = data;

	if (!e)
		return;
	free_form_fields(e);
	draft_card_clear(&e->before);
	if (e->tpl) {
		for (int i = 0; i < FIELD_COUNT; i++)
			free(e->tpl->text[i]);
		free(e->tpl);
	}
	free(e->marked);
	free(e);
}

static const struct screen_ops editor_ops = {
	/* TRANSLATORS: the name of a screen, as in "Keys of the %s screen" */
	.title = N_("card editor"),
	.keys = editor_keys,
	.draw = editor_draw,
	.key = editor_key,
	.free = editor_free,
	.own_refresh = true,
};

/* tpl (may be NULL) is owned by the editor from here, also on failure. */
static struct screen *new_editor(struct app *app, size_t card,
				 struct draft_card *tpl)
{
	struct editor *e = calloc(1, sizeof(*e));

	if (!e) {
		free(tpl);
		return NULL;
	}
	e->card = card;
	e->tpl = tpl;
	if (!tpl && !draft_card_copy(&e->before, &app->draft.cards[card])) {
		free(e);
		return NULL;
	}
	build(app, e);
	return screen_new(&editor_ops, e);
}

struct screen *editor_screen_new(struct app *app, size_t card)
{
	return new_editor(app, card, NULL);
}

struct screen *template_screen_new(struct app *app, const bool *marked)
{
	struct draft_card *tpl = calloc(1, sizeof(*tpl));
	struct screen *s;
	struct editor *e;

	if (!tpl)
		return NULL;
	s = new_editor(app, (size_t)-1, tpl); /* tpl is the editor's now */
	if (!s)
		return NULL;
	e = ed(s);
	e->marked = calloc(app->draft.n ? app->draft.n : 1, sizeof(bool));
	if (!e->marked) {
		screen_free(s);
		return NULL;
	}
	memcpy(e->marked, marked, app->draft.n * sizeof(bool));
	return s;
}
