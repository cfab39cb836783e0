/* scr_order.c: the order as a table of cards, with their problems. */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "i18n.h"
#include "order_save.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct order_view {
	struct list_view list;
	bool *marked;    /* one per card, resized with the draft */
	size_t n_marked_cap;
	size_t n_seen;   /* cards when the marks were last looked at */
};

/* In the order of need: the key bar shows the first ones that fit. The
 * actions are translated where they are shown (draw.c, help.c). */
static const struct key_binding order_keys[] = {
	/* TRANSLATORS: the actions of the order screen's keys, in its key
	   bar: each at most as wide as the English */
	{ 'a', "a", N_("add"), true },
	{ '\n', "Enter", N_("edit"), true },
	{ 'r', "r", N_("review & send"), true },
	{ 'q', "q", N_("quit"), true },
	{ 'c', "c", N_("copy"), true },
	{ 'x', "x", N_("delete"), true },
	{ 'i', "i", N_("import"), true },
	{ 'w', "w", N_("save as"), true },
	{ ' ', "Space", N_("mark"), true },
	{ 't', "t", N_("template to marked"), true },
	{ 'u', "u", N_("undo delete"), false },
	LIST_KEY_BINDINGS,
	{ 'e', "e", N_("edit the card"), false },
	{ 'A', "A", N_("mark all / none"), false },
	{ 0, NULL, NULL, false },
};

static struct order_view *view(struct screen *s)
{
	return s->data;
}

/* One mark per card; a card that is new since the last look (added,
 * copied, imported, or in a slot a removed card left) is not marked. */
static bool ensure_marks(struct app *app, struct order_view *v)
{
	bool *grown;

	if (app->draft.n > v->n_marked_cap) {
		grown = realloc(v->marked, app->draft.n * sizeof(*grown));
		if (!grown)
			return false;
		v->marked = grown;
		v->n_marked_cap = app->draft.n;
	}
	/* fewer cards, other than by x (which moves the marks itself): the
	 * order was replaced (a draft opened, the created cards gone after
	 * sending), and no mark means anything any more */
	if (app->draft.n < v->n_seen)
		memset(v->marked, 0, v->n_marked_cap * sizeof(bool));
	else if (app->draft.n > v->n_seen)
		memset(v->marked + v->n_seen, 0, (app->draft.n - v->n_seen) * sizeof(bool));
	v->n_seen = app->draft.n;
	return true;
}

/* The first problem of card i (errors first), and counts. */
static const struct problem *card_problem(const struct app *app, size_t i,
					  size_t *errors, size_t *warnings)
{
	const struct problem *first = NULL;

	*errors = *warnings = 0;
	for (size_t k = 0; k < app->problems.n; k++) {
		const struct problem *p = &app->problems.items[k];

		if (p->card != i)
			continue;
		if (p->severity == SEVERITY_ERROR) {
			if (!first || first->severity != SEVERITY_ERROR)
				first = p;
			(*errors)++;
		} else {
			if (!first)
				first = p;
			(*warnings)++;
		}
	}
	return first;
}

static const char *text_of(const struct app *app, size_t i, enum field_id id)
{
	const char *t = app->draft.cards[i].text[id];

	return t ? t : "";
}

static void draw_row(struct app *app, struct order_view *v, size_t i, int y)
{
	size_t errors, warnings;
	const struct problem *p = card_problem(app, i, &errors, &warnings);
	char opts[8] = "----";
	const struct card *c = i < app->order.n_cards ? &app->order.cards[i] : NULL;

	if (c) {
		opts[0] = card_bool(c, FIELD_ATM_OPTION) ? 'A' : '-';
		opts[1] = card_bool(c, FIELD_NFC_OPTION) ? 'N' : '-';
		opts[2] = card_bool(c, FIELD_ONLINE_OPTION) ? 'O' : '-';
		opts[3] = card_bool(c, FIELD_FOREIGN_OPTION) ? 'F' : '-';
	}
	if (i == v->list.cursor)
		ui_attr(app, UI_SELECTED, true);
	move(y, 0);
	clrtoeol();
	if (i == v->list.cursor)
		for (int x = 0; x < COLS; x++)
			addch(' ');
	ui_textf(y, 0, 5, "%s%4zu", i < v->n_seen && v->marked[i] ? "*" : " ", i + 1);
	ui_text(y, 6, 20, app_card_holder(app, &app->draft.cards[i]));
	ui_text(y, 27, 11, text_of(app, i, FIELD_CARD_LEVEL));
	ui_text(y, 39, 7, *text_of(app, i, FIELD_PAYMENT_MONTHLY_LIMIT)
				  ? text_of(app, i, FIELD_PAYMENT_MONTHLY_LIMIT)
				  : text_of(app, i, FIELD_PAYMENT_LIFESPAN_LIMIT));
	ui_text(y, 47, 4, opts);
	ui_text(y, 52, 10, text_of(app, i, FIELD_CITY));
	if (i == v->list.cursor)
		ui_attr(app, UI_SELECTED, false);
	if (p) {
		char *said = ui_problem_text(p, true);

		ui_attr(app, errors ? UI_ERROR : UI_WARNING, true);
		ui_textf(y, 63, COLS - 63, "%s%zu %s", errors ? "✗" : "!",
			 errors ? errors : warnings, said ? said : p->message);
		ui_attr(app, errors ? UI_ERROR : UI_WARNING, false);
		free(said);
	} else if (app->draft.cards[i].note) {
		ui_attr(app, UI_WARNING, true);
		/* TRANSLATORS: what Qonto said of a card: the field (an API
		   name, may be empty), ": " when there is one, and its words. */
		ui_textf(y, 63, COLS - 63, _("Qonto: %s%s%s"), app->draft.cards[i].note_field,
			 app->draft.cards[i].note_field[0] ? ": " : "",
			 app->draft.cards[i].note);
		ui_attr(app, UI_WARNING, false);
	} else if (c && app_loading(app)) {
		/* ids and names are checked once the members are read */
		ui_attr(app, UI_DIM, true);
		ui_text(y, 63, COLS - 63, _("checking with Qonto…"));
		ui_attr(app, UI_DIM, false);
	} else if (c) {
		ui_attr(app, UI_OK, true);
		/* TRANSLATORS: a card with no problem, in the order's table */
		ui_text(y, 63, COLS - 63, _("ok"));
		ui_attr(app, UI_OK, false);
	}
}

static void order_draw(struct app *app, struct screen *s)
{
	struct order_view *v = view(s);
	int rows = LINES - 6;
	char title[160], cards[48], errors[48], warnings[48];

	ensure_marks(app, v);
	/* TRANSLATORS: counts in titles and sentences; English keeps "(s)"
	   in both forms, give your language's singular and plural. */
	snprintf(cards, sizeof(cards), P_("%zu card(s)", "%zu card(s)", app->draft.n),
		 app->draft.n);
	snprintf(errors, sizeof(errors), P_("%zu error(s)", "%zu error(s)",
					    app->problems.n_errors),
		 app->problems.n_errors);
	snprintf(warnings, sizeof(warnings), P_("%zu warning(s)", "%zu warning(s)",
						app->problems.n_warnings),
		 app->problems.n_warnings);
	/* TRANSLATORS: the order screen's title: "3 cards", "1 error",
	   "0 warnings" */
	snprintf(title, sizeof(title), _("order: %s, %s, %s"), cards, errors, warnings);
	ui_frame(app, title, order_keys);
	ui_attr(app, UI_DIM, true);
	/* TRANSLATORS: the order table's column headers: each word must
	   start at the same column as in English (0-based: # at 4, holder
	   6, level 27, limit 39, opts 47, city 52, problems 63), and fit
	   before the next one. */
	ui_text(2, 0, COLS, _("    # holder               level       limit   opts city       problems"));
	ui_attr(app, UI_DIM, false);
	if (app->draft.n == 0) {
		/* TRANSLATORS: a and i are the keys to press */
		ui_text(4, 2, COLS - 4, _("No cards yet. Press a to add one, or i to "
					  "import a CSV order."));
		return;
	}
	list_fit(&v->list, app->draft.n, rows);
	for (size_t i = v->list.top; i < app->draft.n && (int)(i - v->list.top) < rows; i++)
		draw_row(app, v, i, 3 + (int)(i - v->list.top));
}

static size_t n_marked(const struct app *app, const struct order_view *v)
{
	size_t n = 0;

	for (size_t i = 0; i < app->draft.n && i < v->n_marked_cap; i++)
		n += v->marked[i];
	return n;
}

static enum key_result add_card(struct app *app, struct order_view *v)
{
	if (!draft_add(&app->draft, NULL))
		return KR_REDRAW;
	app_order_changed(app);
	v->list.cursor = app->draft.n - 1;
	return app_open(app, SCREEN_EDITOR, v->list.cursor, NULL);
}

static void copy_card(struct app *app, struct order_view *v)
{
	struct draft_card copy;

	/* a copy first: draft_add's source must not be in the draft */
	if (app->draft.n == 0 || !draft_card_copy(&copy, &app->draft.cards[v->list.cursor]))
		return;
	if (draft_add(&app->draft, &copy)) {
		v->list.cursor = app->draft.n - 1;
		app_notify(app, UI_OK, _("card copied as card %zu"), app->draft.n);
	}
	draft_card_clear(&copy);
	app_order_changed(app);
}

static void delete_answered(struct app *app, bool yes, void *ctx)
{
	struct order_view *v = ctx; /* the order screen, under the dialog */
	struct deleted_card *grown;
	size_t at = v->list.cursor;
	char who[200];

	if (!yes || at >= app->draft.n)
		return;
	grown = realloc(app->undo, (app->n_undo + 1) * sizeof(*grown));
	if (!grown) {
		app_notify(app, UI_ERROR, "%s", _("out of memory: the card stays"));
		return;
	}
	app->undo = grown;
	app_card_who(app, &app->draft.cards[at], at, who, sizeof(who));
	draft_take(&app->draft, at, &app->undo[app->n_undo].card);
	app->undo[app->n_undo++].at = at;
	if (at < v->n_marked_cap)
		memmove(&v->marked[at], &v->marked[at + 1],
			(v->n_marked_cap - at - 1) * sizeof(bool));
	v->n_seen = app->draft.n; /* the marks follow their cards */
	if (at > 0 && at >= app->draft.n)
		v->list.cursor--;
	app_order_changed(app);
	/* TRANSLATORS: %s is a card, such as "card 3 (Zoé Lambert)"; u is
	   the key */
	app_notify(app, UI_OK, _("%s deleted; u puts it back"), who);
}

static enum key_result delete_card(struct app *app, struct order_view *v)
{
	char q[320], who[200];

	if (app->draft.n == 0)
		return KR_HANDLED;
	app_card_who(app, &app->draft.cards[v->list.cursor], v->list.cursor, who,
		     sizeof(who));
	/* TRANSLATORS: %s is a card, such as "card 3 (Zoé Lambert)" */
	snprintf(q, sizeof(q), _("Delete %s?"), who);
	return app_ask(app, q, delete_answered, v, NULL);
}

/* u: the last card deleted goes back where it was. */
static void undo_delete(struct app *app, struct order_view *v)
{
	struct deleted_card *d;
	char who[200];
	size_t at;

	if (app->n_undo == 0) {
		app_notify(app, UI_WARNING, "%s", _("no deleted card to put back"));
		return;
	}
	d = &app->undo[app->n_undo - 1];
	at = d->at < app->draft.n ? d->at : app->draft.n;
	if (!draft_insert(&app->draft, at, &d->card)) {
		app_notify(app, UI_ERROR, "%s", _("out of memory: the card is still deleted"));
		return;
	}
	app->n_undo--;
	if (!ensure_marks(app, v)) { /* the card is back; its marks are not */
		app_order_changed(app);
		return;
	}
	if (at + 1 < app->draft.n)
		memmove(&v->marked[at + 1], &v->marked[at],
			(app->draft.n - at - 1) * sizeof(bool));
	v->marked[at] = false;
	v->list.cursor = at;
	app_order_changed(app);
	app_card_who(app, &app->draft.cards[at], at, who, sizeof(who));
	/* TRANSLATORS: %s is a card, such as "card 3 (Zoé Lambert)" */
	app_notify(app, UI_OK, _("%s is back"), who);
}

static void import_answered(struct app *app, const char *path, void *ctx)
{
	(void)ctx;
	if (!path || !*path)
		return;
	if (app_import(app, path))
		app_order_changed(app);
}

/* Limits and restrictions of the template card (the fields marked
 * FF_TEMPLATE) go to every marked card. */

/* What applying the template would do, said before it is done: how many
 * marked cards change, and which get an error they do not have now. */
/* What the template sets (the FF_TEMPLATE fields it has) goes into c;
 * true when that changed a value. */
static bool template_onto(const struct draft_card *tpl, struct draft_card *c)
{
	bool differs = false;

	for (int id = 0; id < FIELD_COUNT; id++) {
		if (!(field_get((enum field_id)id)->flags & FF_TEMPLATE) || !tpl->text[id])
			continue;
		differs |= strcmp(tpl->text[id], c->text[id] ? c->text[id] : "") != 0;
		draft_set(c, (enum field_id)id, tpl->text[id]);
	}
	return differs;
}

/* The errors card i would have as dc, checked as the order screen checks
 * it; p holds its problems. */
static size_t card_errors(struct app *app, const struct draft_card *dc, size_t i,
			  struct problem_list *p)
{
	struct flow_context ctx = app_check_context(app);
	struct card card;

	card_init(&card);
	problems_clear(p);
	draft_card_to(dc, i, &card, p);
	flow_check_card(&ctx, &card, i, app_strictness(app), p);
	card_free(&card);
	return p->n_errors;
}

void app_template_preview(struct app *app, const struct draft_card *tpl,
			  const bool *marked, char *buf, size_t cap)
{
	size_t changed = 0, broken = 0, n_marked = 0, used = 0, before;
	struct problem_list p;
	struct draft_card copy;
	char who[200], tail[600] = "";

	problems_init(&p);
	for (size_t i = 0; i < app->draft.n; i++) {
		if (!marked[i])
			continue;
		n_marked++;
		if (!draft_card_copy(&copy, &app->draft.cards[i]))
			continue;
		changed += template_onto(tpl, &copy);
		before = card_errors(app, &app->draft.cards[i], i, &p);
		if (card_errors(app, &copy, i, &p) > before) {
			app_card_who(app, &copy, i, who, sizeof(who));
			if (broken < 3 && used < sizeof(tail)) {
				if (broken)
					used += (size_t)snprintf(tail + used, sizeof(tail) - used,
								 "; ");
				if (used < sizeof(tail))
					used += (size_t)snprintf(tail + used, sizeof(tail) - used,
								 /* TRANSLATORS: a card the template
								    makes invalid: the card ("card 3
								    (Zoé Lambert)"), the API name of
								    the field, and the problem */
								 _("%s %s: %s"), who,
								 p.n ? p.items[0].field : "",
								 p.n ? p.items[0].message : "");
			}
			broken++;
		}
		draft_card_clear(&copy);
	}
	problems_free(&p);
	if (used < sizeof(tail) && broken > 3)
		snprintf(tail + used, sizeof(tail) - used,
			 /* TRANSLATORS: after a list of cards, how many more */
			 P_("; and %zu more", "; and %zu more", broken - 3), broken - 3);
	if (broken)
		/* TRANSLATORS: how many of the marked cards the template
		   changes, then the cards it makes invalid ("card 3 (Zoé
		   Lambert) card_level: ...; and 2 more") */
		snprintf(buf, cap, _("Apply the template? It changes %zu of the %zu marked "
				     "card(s). It makes invalid: %s"),
			 changed, n_marked, tail);
	else
		snprintf(buf, cap, _("Apply the template? It changes %zu of the %zu marked "
				     "card(s); none gets an error."),
			 changed, n_marked);
}

void app_apply_template(struct app *app, const struct draft_card *tpl,
			const bool *marked)
{
	size_t n = 0;

	for (size_t i = 0; i < app->draft.n; i++) {
		if (!marked[i])
			continue;
		template_onto(tpl, &app->draft.cards[i]);
		n++;
	}
	app_order_changed(app);
	app_notify(app, UI_OK, P_("template applied to %zu card(s)",
				  "template applied to %zu card(s)", n), n);
}

static void save_to(struct app *app, const char *path)
{
	struct status_error err = { 0 };
	char *copy;

	if (order_save(&app->draft, path, app_csv_format(app),
		       &err) != STATUS_OK) {
		app_notify(app, UI_ERROR, _("not saved: %s"), err.message);
		return;
	}
	app->edits_at_rest = app->edits;
	copy = strdup(path);
	if (copy) {
		free(app->saved_path);
		app->saved_path = copy;
	}
	app_notify(app, UI_OK, P_("%zu card(s) saved to %s", "%zu card(s) saved to %s",
				  app->draft.n), app->draft.n, path);
}

/* "Save the order as": the path last used, else the order file's, else a
 * dated name. */
static enum key_result save_as(struct app *app)
{
	char name[64];

	if (app->draft.n == 0) {
		app_notify(app, UI_WARNING, "%s", _("the order has no cards to save"));
		return KR_REDRAW;
	}
	return app_prompt_file(app, _("Save the order as (.csv or .json):"),
			       app->saved_path ? app->saved_path
			       : app->order_file ? app->order_file
			       : app_dated_name("order", name, sizeof(name)),
			       _("not saved"), save_to);
}

static void quit_answered(struct app *app, bool yes, void *ctx)
{
	(void)ctx;
	if (yes)
		app->quit = true;
}

/* Quitting with changes that are neither sent nor saved as a file asks
 * first (the draft is kept either way, and offered at the next start). */
static enum key_result quit(struct app *app)
{
	char q[400];

	if (app->draft.n == 0 || app->edits == app->edits_at_rest) {
		app->quit = true;
		return KR_HANDLED;
	}
	/* TRANSLATORS: w is the key that saves */
	snprintf(q, sizeof(q), P_("The order's %zu card(s) are not sent, and the changes are "
				  "not saved as a file (w saves them). Quit? The draft is kept "
				  "for the next start.",
				  "The order's %zu card(s) are not sent, and the changes are "
				  "not saved as a file (w saves them). Quit? The draft is kept "
				  "for the next start.", app->draft.n), app->draft.n);
	return app_ask(app, q, quit_answered, NULL, NULL);
}

static enum key_result order_key(struct app *app, struct screen *s, wint_t ch,
				 bool is_key)
{
	struct order_view *v = view(s);
	enum key_result kr;

	if (!ensure_marks(app, v)) {
		app_notify(app, UI_ERROR, "%s", _("out of memory"));
		return KR_REDRAW;
	}
	if (list_take_key(&v->list, app->draft.n, &ch, is_key, &kr))
		return kr;
	switch (ch) {
	case 'a': return add_card(app, v);
	case '\n': case '\r': case 'e': case 'l':
		if (app->draft.n)
			return app_open(app, SCREEN_EDITOR, v->list.cursor, NULL);
		return KR_REDRAW;
	case 'c': copy_card(app, v); return KR_REDRAW;
	case 'x': return delete_card(app, v);
	case 'u': undo_delete(app, v); return KR_REDRAW;
	case ' ':
		if (app->draft.n) {
			v->marked[v->list.cursor] ^= true;
			if (v->list.cursor + 1 < app->draft.n)
				v->list.cursor++;
		}
		return KR_REDRAW;
	case 'A': {
		bool all = n_marked(app, v) < app->draft.n;

		for (size_t i = 0; i < app->draft.n; i++)
			v->marked[i] = all;
		return KR_REDRAW;
	}
	case 't':
		if (n_marked(app, v) == 0)
			/* TRANSLATORS: Space is the key */
			app_notify(app, UI_WARNING, "%s", _("mark cards with Space first"));
		else
			return app_open(app, SCREEN_TEMPLATE, 0, v->marked);
		return KR_REDRAW;
	case 'i':
		return app_prompt(app, _("Import which order file (.csv or .json)?"), "",
				  import_answered, NULL, NULL);
	case 'r':
		if (app->draft.n == 0)
			app_notify(app, UI_WARNING, "%s", _("the order has no cards yet"));
		else
			return app_open(app, SCREEN_REVIEW, 0, NULL);
		return KR_REDRAW;
	case 'w':
		return save_as(app);
	case 'q': case 27:
		return quit(app);
	default:
		return KR_IGNORED;
	}
}

static void order_free_view(void *data)
{
	struct order_view *v = data;

	if (v)
		free(v->marked);
	free(v);
}

/* The help's lines under the keys: what the columns mean. */
static const char *const order_notes[] = {
	/* TRANSLATORS: the help's lines under the order screen's keys,
	   about the table's columns (named as in its header): at most 73
	   columns each; the letters A, N, O, F stay (the table shows them) */
	N_("limit: the monthly payment limit in EUR (for a flash card, its budget)."),
	N_("opts: A cash withdrawals, N contactless, O online, F abroad; - when off."),
	N_("city: where the card ships; blank when it ships to the business, or for a"),
	N_("      card that is not physical (virtual, flash, advertising)."),
	N_("* before the number: the card is marked (Space) for a template."),
	NULL,
};

static const struct screen_ops order_ops = {
	/* TRANSLATORS: the name of a screen, as in "Keys of the %s screen" */
	.title = N_("order"),
	.keys = order_keys,
	.notes = order_notes,
	.draw = order_draw,
	.key = order_key,
	.free = order_free_view,
};

struct screen *order_screen_new(void)
{
	return screen_new(&order_ops, calloc(1, sizeof(struct order_view)));
}
