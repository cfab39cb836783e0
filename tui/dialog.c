/* dialog.c: modal dialogs: confirm, prompt (form library) and the
 * filter-as-you-type picker (menu library). */
#include "config.h"

#include "tui.h"
#include "i18n.h"
#include "screens.h"
#include "text.h"

#include <curses.h>
#include <form.h>
#include <limits.h>
#include <menu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ESC 27

static WINDOW *box_window(int h, int w)
{
	WINDOW *win;

	if (h > LINES - 2)
		h = LINES - 2;
	if (w > COLS - 2)
		w = COLS - 2;
	win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	if (win) {
		keypad(win, TRUE);
		box(win, 0, 0);
	}
	return win;
}

/* The bytes of s's first characters that fill at most cells columns (a
 * character of two bytes takes one column: UTF-8 accents). */
static int bytes_in_cells(const char *s, int cells)
{
	mbstate_t st;
	size_t len = strlen(s), at = 0, n;
	wchar_t wc;
	int used = 0, cw;

	memset(&st, 0, sizeof(st));
	while (at < len) {
		n = mbrtowc(&wc, s + at, len - at, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			break; /* sanitised text has none; stop short */
		cw = wcwidth(wc);
		cw = cw > 0 ? cw : 0;
		if (used + cw > cells)
			break;
		used += cw;
		at += n;
	}
	return (int)at;
}

/* Trims the blanks the form library pads a buffer with; owned. */
static char *field_text(FIELD *f)
{
	const char *buf = field_buffer(f, 0);

	return text_trim_dup(buf ? buf : "", buf ? strlen(buf) : 0);
}

/* ---- the prompt: a line of text, a screen on the stack ---- */

struct prompt {
	char question[256];
	char *text;            /* what the field holds when it is remade */
	FIELD *fields[2];
	FORM *form;
	WINDOW *win;
	int lines, cols;       /* the terminal the window was made for */
	unsigned resizes;      /* app->resizes then */
	prompt_fn done;
	void *ctx;
	void (*ctx_free)(void *ctx);
	bool answered;
};

static void prompt_unmake(struct prompt *p)
{
	if (p->form) {
		free(p->text);
		p->text = field_text(p->fields[0]);
		unpost_form(p->form);
		free_form(p->form);
		p->form = NULL;
	}
	if (p->fields[0])
		free_field(p->fields[0]);
	p->fields[0] = NULL;
	if (p->win)
		delwin(p->win);
	p->win = NULL;
}

/* The window and the form for the terminal's size, with the text kept. */
static void prompt_make(struct prompt *p)
{
	int w = COLS - 8 < 72 ? COLS - 8 : 72;

	prompt_unmake(p);
	p->lines = LINES;
	p->cols = COLS;
	if (w < 10)
		return;
	p->fields[0] = new_field(1, w - 4, 0, 0, 0, 0);
	p->win = box_window(6, w);
	if (!p->fields[0] || !p->win)
		return;
	field_opts_off(p->fields[0], O_STATIC | O_AUTOSKIP);
	set_max_field(p->fields[0], 4096);
	set_field_back(p->fields[0], A_UNDERLINE);
	set_field_buffer(p->fields[0], 0, p->text ? p->text : "");
	p->form = new_form(p->fields);
	if (!p->form)
		return;
	set_form_win(p->form, p->win);
	set_form_sub(p->form, derwin(p->win, 1, w - 4, 3, 2));
	post_form(p->form);
	form_driver_w(p->form, KEY_CODE_YES, REQ_END_LINE);
}

static void prompt_draw(struct app *app, struct screen *s)
{
	struct prompt *p = s->data;
	char *safe;

	if (p->lines != LINES || p->cols != COLS || p->resizes != app->resizes || !p->form) {
		p->resizes = app->resizes;
		prompt_make(p);
	}
	wnoutrefresh(stdscr);
	if (!p->form)
		return;
	safe = text_sanitize(p->question);
	mvwaddnstr(p->win, 1, 2, safe ? safe : "",
		   bytes_in_cells(safe ? safe : "", getmaxx(p->win) - 4));
	free(safe);
	pos_form_cursor(p->form);
	touchwin(p->win);
	wnoutrefresh(p->win);
	curs_set(1);
}

static void prompt_answer(struct app *app, struct prompt *p, const char *text)
{
	p->answered = true;
	curs_set(0);
	p->done(app, text, p->ctx);
}

static enum key_result prompt_key(struct app *app, struct screen *s, wint_t ch,
				  bool is_key)
{
	struct prompt *p = s->data;
	FORM *form = p->form;
	char *text;

	if (!is_key && (ch == '\n' || ch == '\r')) {
		if (form)
			form_driver_w(form, KEY_CODE_YES, REQ_VALIDATION);
		text = form ? field_text(p->fields[0]) : NULL;
		prompt_answer(app, p, text ? text : "");
		free(text);
		return KR_CLOSE;
	}
	if (!is_key && ch == ESC) {
		prompt_answer(app, p, NULL);
		return KR_CLOSE;
	}
	if (!form)
		return KR_HANDLED;
	if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 127 || ch == 8)))
		form_driver_w(form, KEY_CODE_YES, REQ_DEL_PREV);
	else if (is_key && ch == KEY_LEFT)
		form_driver_w(form, KEY_CODE_YES, REQ_PREV_CHAR);
	else if (is_key && ch == KEY_RIGHT)
		form_driver_w(form, KEY_CODE_YES, REQ_NEXT_CHAR);
	else if (is_key && ch == KEY_HOME)
		form_driver_w(form, KEY_CODE_YES, REQ_BEG_LINE);
	else if (is_key && ch == KEY_END)
		form_driver_w(form, KEY_CODE_YES, REQ_END_LINE);
	else if (is_key && ch == KEY_DC)
		form_driver_w(form, KEY_CODE_YES, REQ_DEL_CHAR);
	else if (!is_key && ch == 21) /* Ctrl-U clears */
		form_driver_w(form, KEY_CODE_YES, REQ_CLR_FIELD);
	else if (!is_key && ch >= 32)
		form_driver_w(form, OK, (wchar_t)ch);
	return KR_HANDLED;
}

static void prompt_free(void *data)
{
	struct prompt *p = data;

	if (!p)
		return;
	prompt_unmake(p);
	if (!p->answered && p->ctx_free)
		p->ctx_free(p->ctx);
	curs_set(0);
	touchwin(stdscr);
	free(p->text);
	free(p);
}

static const struct key_binding prompt_keys[] = {
	{ '\n', "Enter", N_("take the text"), true },
	{ ESC, "Esc", N_("cancel"), true },
	{ 21, "Ctrl-U", N_("clear"), false },
	{ 0, NULL, NULL, false },
};

static const struct screen_ops prompt_ops = {
	.title = N_("prompt"),
	.keys = prompt_keys,
	.draw = prompt_draw,
	.key = prompt_key,
	.free = prompt_free,
	.modal = true,
	.own_refresh = true,
};

enum key_result app_prompt(struct app *app, const char *question,
			   const char *initial, prompt_fn done, void *ctx,
			   void (*ctx_free)(void *ctx))
{
	struct prompt *p = calloc(1, sizeof(*p));

	if (!p || !(p->text = strdup(initial ? initial : ""))) {
		free(p);
		if (ctx_free)
			ctx_free(ctx);
		app_notify(app, UI_ERROR, "%s", _("out of memory"));
		return KR_REDRAW;
	}
	snprintf(p->question, sizeof(p->question), "%s", question);
	p->done = done;
	p->ctx = ctx;
	p->ctx_free = ctx_free;
	return app_open_ready(app, screen_new(&prompt_ops, p));
}

/* ---- the picker ---- */

struct picker {
	const char *const *items;
	size_t n;
	ITEM **all;      /* one menu item per entry, names sanitised; in a
			    checklist "[ ] name" */
	char **names;    /* owned sanitised names */
	ITEM **on;       /* checklist: the same entries marked, "[x] name" */
	char **on_names;
	char **folded;   /* owned, for "accents ignored" filtering */
	ITEM **shown;    /* NULL-terminated, the filtered ones */
	size_t *map;     /* shown index -> entry index */
	size_t n_shown;
	char filter[160];
	bool multi;
	bool *marked;
};

static void picker_free(struct picker *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->all && p->all[i])
			free_item(p->all[i]);
		if (p->on && p->on[i])
			free_item(p->on[i]);
		if (p->names)
			free(p->names[i]);
		if (p->on_names)
			free(p->on_names[i]);
		if (p->folded)
			free(p->folded[i]);
	}
	free(p->all);
	free(p->on);
	free(p->names);
	free(p->on_names);
	free(p->folded);
	free(p->shown);
	free(p->map);
}

static bool picker_init(struct picker *p)
{
	/* arrays of pointers: sizeof(pointer) is meant */
	p->all = calloc(p->n + 1, sizeof(*p->all)); /* NOLINT(bugprone-sizeof-expression) */
	p->names = calloc(p->n + 1, sizeof(*p->names));
	p->folded = calloc(p->n + 1, sizeof(*p->folded));
	p->shown = calloc(p->n + 1, sizeof(*p->shown)); /* NOLINT(bugprone-sizeof-expression) */
	p->map = calloc(p->n + 1, sizeof(*p->map));
	if (p->multi) {
		p->on = calloc(p->n + 1, sizeof(*p->on)); /* NOLINT(bugprone-sizeof-expression) */
		p->on_names = calloc(p->n + 1, sizeof(*p->on_names));
		if (!p->on || !p->on_names)
			return false;
	}
	if (!p->all || !p->names || !p->folded || !p->shown || !p->map)
		return false;
	for (size_t i = 0; i < p->n; i++) {
		char *plain = text_sanitize(p->items[i] ? p->items[i] : "");

		p->folded[i] = text_fold(plain ? plain : "");
		if (p->multi && plain) {
			/* what is marked is seen, not only the cursor */
			if (asprintf(&p->names[i], "[ ] %s", plain) < 0)
				p->names[i] = NULL;
			if (asprintf(&p->on_names[i], "[x] %s", plain) < 0)
				p->on_names[i] = NULL;
			free(plain);
			if (!p->on_names[i] || !(p->on[i] = new_item(p->on_names[i], "")))
				return false;
		} else {
			p->names[i] = plain;
		}
		if (!p->names[i] || !p->folded[i])
			return false;
		p->all[i] = new_item(p->names[i], "");
		if (!p->all[i])
			return false;
	}
	return true;
}

/* Every word of the filter is somewhere in the entry, in any order: "zoe
 * lef" finds "Zoé Lefèvre" (accents and case ignored). */
static bool filter_matches(const char *folded, char *needle)
{
	char *save = NULL, *copy = strdup(needle);
	bool yes = copy != NULL;

	for (char *w = copy ? strtok_r(copy, " ", &save) : NULL; w && yes;
	     w = strtok_r(NULL, " ", &save))
		yes = strstr(folded, w) != NULL;
	free(copy);
	return yes;
}

static void picker_filter(struct picker *p)
{
	char *needle = text_fold(p->filter);

	p->n_shown = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (needle && *needle && !filter_matches(p->folded[i], needle))
			continue;
		p->map[p->n_shown] = i;
		p->shown[p->n_shown++] = p->multi && p->marked[i] ? p->on[i] : p->all[i];
	}
	p->shown[p->n_shown] = NULL;
	free(needle);
}

/* Removes the last UTF-8 character of the filter. */
static void filter_backspace(char *s)
{
	size_t len = strlen(s);

	while (len > 0 && ((unsigned char)s[len - 1] & 0xC0) == 0x80)
		len--;
	if (len > 0)
		len--;
	s[len] = '\0';
}

static void filter_add(char *s, size_t cap, wint_t ch)
{
	char mb[MB_LEN_MAX + 1];
	mbstate_t st;
	size_t n, len = strlen(s);

	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)ch, &st);
	if (n == (size_t)-1 || len + n + 1 > cap)
		return;
	memcpy(s + len, mb, n);
	s[len + n] = '\0';
}

static MENU *picker_menu(struct picker *p, WINDOW *win, WINDOW *sub, int rows,
			 int selected)
{
	MENU *menu;

	picker_filter(p);
	if (p->n_shown == 0)
		return NULL;
	menu = new_menu(p->shown);
	if (!menu)
		return NULL;
	set_menu_win(menu, win);
	set_menu_sub(menu, sub);
	set_menu_format(menu, rows, 1);
	set_menu_mark(menu, "> ");
	for (size_t i = 0; selected >= 0 && i < p->n_shown; i++)
		if (p->map[i] == (size_t)selected)
			set_current_item(menu, p->shown[i]);
	post_menu(menu);
	return menu;
}

static void menu_drop(MENU *menu)
{
	if (!menu)
		return;
	unpost_menu(menu);
	free_menu(menu);
}

static int picker_request(wint_t ch, int rc)
{
	if (rc != KEY_CODE_YES)
		return 0;
	switch (ch) {
	case KEY_DOWN: return REQ_DOWN_ITEM;
	case KEY_UP: return REQ_UP_ITEM;
	case KEY_NPAGE: return REQ_SCR_DPAGE;
	case KEY_PPAGE: return REQ_SCR_UPAGE;
	case KEY_HOME: return REQ_FIRST_ITEM;
	case KEY_END: return REQ_LAST_ITEM;
	default: return 0;
	}
}

/* ---- the picker, a screen on the stack ---- */

struct pick {
	struct picker p;       /* entries, filter, marks */
	char title[128];
	char **labels, **values; /* owned copies */
	bool *marked;          /* owned: one per entry */
	int selected;
	WINDOW *win, *sub;
	MENU *menu;
	int lines, cols;       /* the terminal the windows were made for */
	unsigned resizes;      /* app->resizes then */
	pick_fn done;
	void *ctx;
	void (*ctx_free)(void *ctx);
	bool answered;
};

static void pick_unmake(struct pick *k)
{
	menu_drop(k->menu);
	k->menu = NULL;
	if (k->sub)
		delwin(k->sub);
	if (k->win)
		delwin(k->win);
	k->sub = k->win = NULL;
}

static void pick_make(struct pick *k)
{
	int h = LINES - 4, w = COLS - 8 < 76 ? COLS - 8 : 76;

	pick_unmake(k);
	k->lines = LINES;
	k->cols = COLS;
	if (h < 6 || w < 10)
		return;
	k->win = box_window(h, w);
	k->sub = k->win ? derwin(k->win, h - 4, w - 4, 3, 2) : NULL;
	if (k->sub)
		k->menu = picker_menu(&k->p, k->win, k->sub, h - 4, k->selected);
}

static void pick_draw(struct app *app, struct screen *s)
{
	struct pick *k = s->data;
	int h;

	if (k->lines != LINES || k->cols != COLS || k->resizes != app->resizes || !k->win) {
		k->resizes = app->resizes;
		pick_make(k);
	}
	wnoutrefresh(stdscr);
	if (!k->win || !k->sub)
		return;
	h = getmaxy(k->win);
	wmove(k->win, 1, 2);
	wclrtoeol(k->win);
	box(k->win, 0, 0);
	mvwprintw(k->win, 0, 2, " %s ", k->title);
	mvwprintw(k->win, 1, 2, _("Filter: %s"), k->p.filter);
	mvwaddstr(k->win, h - 1, 2,
		  k->p.multi ? /* TRANSLATORS: the picker's keys, in its bottom
				  border; Space, Enter and Esc are the keys:
				  keep them, and the spaces around. */
			       _(" Space mark  Enter done  Esc cancel ")
			     : /* TRANSLATORS: as above, for a list where one
				  entry is chosen. */
			       _(" Enter choose  Esc cancel "));
	if (!k->menu) {
		werase(k->sub);
		mvwaddstr(k->sub, 0, 0, _("(nothing matches)"));
	}
	touchwin(k->win);
	wnoutrefresh(k->win);
}

static enum key_result pick_answer(struct app *app, struct pick *k,
				   const char *value)
{
	k->answered = true;
	k->done(app, value, k->p.multi ? k->marked : NULL, k->ctx);
	return KR_CLOSE;
}

/* The filter changed: the menu again, on the first entry that matches. */
static void pick_refilter(struct pick *k)
{
	menu_drop(k->menu);
	k->menu = k->sub ? picker_menu(&k->p, k->win, k->sub, getmaxy(k->sub), -1)
			 : NULL;
}

static enum key_result pick_key(struct app *app, struct screen *s, wint_t ch,
				bool is_key)
{
	struct pick *k = s->data;
	int req = picker_request(ch, is_key ? KEY_CODE_YES : OK);
	ITEM *cur = k->menu ? current_item(k->menu) : NULL;

	if (req && k->menu) {
		menu_driver(k->menu, req);
	} else if (!is_key && ch == ESC) {
		return pick_answer(app, k, NULL);
	} else if (!is_key && (ch == '\n' || ch == '\r')) {
		if (k->p.multi)
			return pick_answer(app, k, "");
		if (cur)
			return pick_answer(app, k, k->values[k->p.map[item_index(cur)]]);
	} else if (!is_key && ch == ' ' && k->p.multi && cur) {
		/* the entry changes its item ("[ ]" / "[x]"): the menu again,
		 * on the same entry */
		size_t entry = k->p.map[item_index(cur)];

		k->marked[entry] ^= true;
		menu_drop(k->menu);
		k->menu = picker_menu(&k->p, k->win, k->sub, getmaxy(k->sub), (int)entry);
	} else if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 127 || ch == 8))) {
		filter_backspace(k->p.filter);
		pick_refilter(k);
	} else if (!is_key && ch >= 32 && !(k->p.multi && ch == ' ')) {
		filter_add(k->p.filter, sizeof(k->p.filter), ch);
		pick_refilter(k);
	}
	return KR_HANDLED;
}

static void pick_free(void *data)
{
	struct pick *k = data;

	if (!k)
		return;
	pick_unmake(k);
	picker_free(&k->p);
	if (!k->answered && k->ctx_free)
		k->ctx_free(k->ctx);
	for (size_t i = 0; i < k->p.n; i++) {
		free(k->labels ? k->labels[i] : NULL);
		free(k->values ? k->values[i] : NULL);
	}
	free(k->labels);
	free(k->values);
	free(k->marked);
	touchwin(stdscr);
	free(k);
}

static const struct key_binding pick_keys[] = {
	{ '\n', "Enter", N_("choose"), true },
	{ ' ', "Space", N_("mark (in a checklist)"), true },
	{ ESC, "Esc", N_("cancel"), true },
	{ 0, NULL, NULL, false },
};

static const struct screen_ops pick_ops = {
	.title = N_("picker"),
	.keys = pick_keys,
	.draw = pick_draw,
	.key = pick_key,
	.free = pick_free,
	.modal = true,
	.own_refresh = true,
};

/* The copies a picker owns; false when memory runs out. */
static bool pick_copy(struct pick *k, const char *const *labels,
		      const char *const *values, size_t n, const bool *marked)
{
	k->labels = calloc(n + 1, sizeof(*k->labels));
	k->values = calloc(n + 1, sizeof(*k->values));
	k->marked = calloc(n + 1, sizeof(*k->marked));
	k->p.n = n;
	if (!k->labels || !k->values || !k->marked)
		return false;
	for (size_t i = 0; i < n; i++) {
		k->labels[i] = strdup(labels[i] ? labels[i] : "");
		k->values[i] = strdup(values && values[i] ? values[i] : k->labels[i] ? k->labels[i] : "");
		if (!k->labels[i] || !k->values[i])
			return false;
		k->marked[i] = marked && marked[i];
	}
	k->p.items = (const char *const *)k->labels;
	k->p.marked = k->marked;
	return picker_init(&k->p);
}

enum key_result app_pick(struct app *app, const char *title,
			 const char *const *labels, const char *const *values,
			 size_t n, int selected, bool multi, const bool *marked,
			 const char *filter, pick_fn done, void *ctx,
			 void (*ctx_free)(void *ctx))
{
	struct pick *k = calloc(1, sizeof(*k));

	if (!k) {
		if (ctx_free)
			ctx_free(ctx);
		return KR_REDRAW;
	}
	snprintf(k->title, sizeof(k->title), "%s", title);
	snprintf(k->p.filter, sizeof(k->p.filter), "%s", filter ? filter : "");
	k->p.multi = multi;
	k->selected = selected;
	k->done = done;
	k->ctx = ctx;
	k->ctx_free = ctx_free;
	if (n == 0 || !pick_copy(k, labels, values, n, marked)) {
		pick_free(k); /* frees ctx too */
		/* TRANSLATORS: %s is the list's title ("Holder", "Country"). */
		app_notify(app, UI_WARNING, _("%s: nothing to choose from"), title);
		return KR_REDRAW;
	}
	return app_open_ready(app, screen_new(&pick_ops, k));
}

/* ---- the yes/no dialog: a screen on the stack ---- */

struct ask {
	char question[1024];
	ask_fn done;
	void *ctx;
	void (*ctx_free)(void *ctx);
	bool answered;
};

#define ASK_LINES 12

/* The question in lines of at most width cells, cut at spaces (a word
 * longer than a line is cut by the drawing). Returns the number of lines. */
static int wrap(const char *text, int width, char lines[ASK_LINES][256])
{
	int n = 0;

	while (*text && n < ASK_LINES) {
		size_t take = strlen(text), space = 0;
		char *line = lines[n];

		if (take > 255)
			take = 255;
		memcpy(line, text, take);
		line[take] = '\0';
		while (ui_width(line) > width) {
			char *cut = strrchr(line, ' ');

			if (!cut)
				break;
			*cut = '\0';
			space = 1;
		}
		take = strlen(line);
		text += take;
		if (space || *text == ' ')
			while (*text == ' ')
				text++;
		n++;
	}
	return n;
}

static void ask_draw(struct app *app, struct screen *s)
{
	struct ask *a = s->data;
	char lines[ASK_LINES][256];
	int w = ui_width(a->question) + 6, h, y, x, n;

	w = w < 40 ? 40 : w > COLS - 2 ? COLS - 2 : w;
	n = wrap(a->question, w - 4, lines); /* long questions: lines */
	if (n > LINES - 6)
		n = LINES - 6 > 1 ? LINES - 6 : 1;
	h = n + 4;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	ui_box(y, x, h, w);
	for (int i = 0; i < n; i++)
		ui_text(y + 1 + i, x + 2, w - 4, lines[i]);
	ui_attr(app, UI_BAR, true);
	/* TRANSLATORS: y and n are the keys that answer: keep them (y is
	   yes whatever the language). */
	ui_text(y + n + 2, x + 2, w - 4, _("y yes    n no"));
	ui_attr(app, UI_BAR, false);
}

static enum key_result ask_key(struct app *app, struct screen *s, wint_t ch,
			       bool is_key)
{
	struct ask *a = s->data;

	a->answered = true;
	a->done(app, !is_key && (ch == 'y' || ch == 'Y'), a->ctx);
	return KR_CLOSE;
}

static void ask_free(void *data)
{
	struct ask *a = data;

	if (a && !a->answered && a->ctx_free)
		a->ctx_free(a->ctx);
	free(a);
}

static const struct key_binding ask_keys[] = {
	{ 'y', "y", N_("yes"), true },
	{ 'n', "n", N_("no (any other key too)"), true },
	{ 0, NULL, NULL, false },
};

static const struct screen_ops ask_ops = {
	.title = N_("question"),
	.keys = ask_keys,
	.draw = ask_draw,
	.key = ask_key,
	.free = ask_free,
	.modal = true,
};

enum key_result app_ask(struct app *app, const char *question, ask_fn done,
			void *ctx, void (*ctx_free)(void *ctx))
{
	struct ask *a = calloc(1, sizeof(*a));

	if (!a) {
		if (ctx_free)
			ctx_free(ctx);
		return KR_REDRAW;
	}
	snprintf(a->question, sizeof(a->question), "%s", question);
	a->done = done;
	a->ctx = ctx;
	a->ctx_free = ctx_free;
	/* made into a screen, or freed with ctx when that fails */
	return app_open_ready(app, screen_new(&ask_ops, a));
}
