/* dialog.c: modal dialogs: confirm, prompt (form library) and the
 * filter-as-you-type picker (menu library). */
#include "config.h"

#include "tui.h"
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

/* Trims the blanks the form library pads a buffer with; owned. */
static char *field_text(FIELD *f)
{
	const char *buf = field_buffer(f, 0);

	return text_trim_dup(buf ? buf : "", buf ? strlen(buf) : 0);
}

char *ui_prompt(struct app *app, const char *question, const char *initial)
{
	int w = COLS - 8 < 72 ? COLS - 8 : 72, rc;
	FIELD *fields[2] = { new_field(1, w - 4, 0, 0, 0, 0), NULL };
	WINDOW *win = box_window(6, w);
	FORM *form = NULL;
	char *out = NULL;
	wint_t ch;

	if (!fields[0] || !win)
		goto out;
	field_opts_off(fields[0], O_STATIC | O_AUTOSKIP);
	set_max_field(fields[0], 4096);
	set_field_back(fields[0], A_UNDERLINE);
	if (initial)
		set_field_buffer(fields[0], 0, initial);
	form = new_form(fields);
	set_form_win(form, win);
	set_form_sub(form, derwin(win, 1, w - 4, 3, 2));
	post_form(form);
	refresh();
	{
		char *safe = text_sanitize(question);

		mvwaddnstr(win, 1, 2, safe ? safe : "", w - 4);
		free(safe);
	}
	form_driver_w(form, KEY_CODE_YES, REQ_END_LINE);
	curs_set(1);
	for (;;) {
		wrefresh(win);
		rc = app_get_key_in(app, win, &ch);
		if (rc == ERR)
			break; /* stopping */
		if (rc == OK && (ch == '\n' || ch == '\r')) {
			form_driver_w(form, KEY_CODE_YES, REQ_VALIDATION);
			out = field_text(fields[0]);
			break;
		}
		if (rc == OK && ch == ESC)
			break;
		if ((rc == KEY_CODE_YES && ch == KEY_BACKSPACE) ||
		    (rc == OK && (ch == 127 || ch == 8)))
			form_driver_w(form, KEY_CODE_YES, REQ_DEL_PREV);
		else if (rc == KEY_CODE_YES && ch == KEY_LEFT)
			form_driver_w(form, KEY_CODE_YES, REQ_PREV_CHAR);
		else if (rc == KEY_CODE_YES && ch == KEY_RIGHT)
			form_driver_w(form, KEY_CODE_YES, REQ_NEXT_CHAR);
		else if (rc == KEY_CODE_YES && ch == KEY_HOME)
			form_driver_w(form, KEY_CODE_YES, REQ_BEG_LINE);
		else if (rc == KEY_CODE_YES && ch == KEY_END)
			form_driver_w(form, KEY_CODE_YES, REQ_END_LINE);
		else if (rc == KEY_CODE_YES && ch == KEY_DC)
			form_driver_w(form, KEY_CODE_YES, REQ_DEL_CHAR);
		else if (rc == OK && ch == 21) /* Ctrl-U clears */
			form_driver_w(form, KEY_CODE_YES, REQ_CLR_FIELD);
		else if (rc == OK && ch >= 32)
			form_driver_w(form, OK, (wchar_t)ch);
	}
out:
	curs_set(0);
	if (form) {
		unpost_form(form);
		free_form(form);
	}
	if (fields[0])
		free_field(fields[0]);
	if (win)
		delwin(win);
	touchwin(stdscr);
	(void)app;
	return out;
}

/* ---- the picker ---- */

struct picker {
	const char *const *items;
	size_t n;
	ITEM **all;      /* one menu item per entry, names sanitised */
	char **names;    /* owned sanitised names */
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
		if (p->names)
			free(p->names[i]);
		if (p->folded)
			free(p->folded[i]);
	}
	free(p->all);
	free(p->names);
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
	if (!p->all || !p->names || !p->folded || !p->shown || !p->map)
		return false;
	for (size_t i = 0; i < p->n; i++) {
		p->names[i] = text_sanitize(p->items[i] ? p->items[i] : "");
		p->folded[i] = text_fold(p->names[i] ? p->names[i] : "");
		if (!p->names[i] || !p->folded[i])
			return false;
		p->all[i] = new_item(p->names[i], "");
		if (!p->all[i])
			return false;
	}
	return true;
}

static void picker_filter(struct picker *p)
{
	char *needle = text_fold(p->filter);

	p->n_shown = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (needle && *needle && !strstr(p->folded[i], needle))
			continue;
		p->map[p->n_shown] = i;
		p->shown[p->n_shown++] = p->all[i];
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
	if (p->multi)
		menu_opts_off(menu, O_ONEVALUE);
	set_menu_win(menu, win);
	set_menu_sub(menu, sub);
	set_menu_format(menu, rows, 1);
	set_menu_mark(menu, p->multi ? "* " : "> ");
	for (size_t i = 0; p->multi && i < p->n_shown; i++)
		set_item_value(p->shown[i], p->marked[p->map[i]]);
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

static int picker_run(struct app *app, struct picker *p, const char *title,
		      int selected)
{
	int h = LINES - 4, w = COLS - 8 < 76 ? COLS - 8 : 76, rc, req, result = -2;
	WINDOW *win = box_window(h, w);
	WINDOW *sub = win ? derwin(win, h - 4, w - 4, 3, 2) : NULL;
	MENU *menu = NULL;
	ITEM *cur;
	wint_t ch;

	if (!win || !sub)
		goto out;
	menu = picker_menu(p, win, sub, h - 4, selected);
	while (result == -2) {
		mvwprintw(win, 0, 2, " %s ", title);
		wmove(win, 1, 2);
		wclrtoeol(win);
		box(win, 0, 0);
		mvwprintw(win, 0, 2, " %s ", title);
		mvwprintw(win, 1, 2, "Filter: %s", p->filter);
		mvwprintw(win, h - 1, 2, p->multi ? " Space mark  Enter done  Esc cancel "
						  : " Enter choose  Esc cancel ");
		if (!menu) {
			werase(sub);
			mvwprintw(sub, 0, 0, "(nothing matches)");
		}
		wrefresh(win);
		rc = app_get_key_in(app, win, &ch);
		if (rc == ERR)
			break; /* stopping */
		req = picker_request(ch, rc);
		if (req && menu) {
			menu_driver(menu, req);
		} else if (rc == OK && ch == 27) {
			result = -1;
		} else if (rc == OK && (ch == '\n' || ch == '\r')) {
			cur = menu ? current_item(menu) : NULL;
			if (p->multi)
				result = 0;
			else if (cur)
				result = (int)p->map[item_index(cur)];
		} else if (rc == OK && ch == ' ' && p->multi && menu) {
			cur = current_item(menu);
			if (cur) {
				p->marked[p->map[item_index(cur)]] ^= true;
				menu_driver(menu, REQ_TOGGLE_ITEM);
			}
		} else if ((rc == KEY_CODE_YES && ch == KEY_BACKSPACE) ||
			   (rc == OK && (ch == 127 || ch == 8))) {
			filter_backspace(p->filter);
			menu_drop(menu);
			menu = picker_menu(p, win, sub, h - 4, -1);
		} else if (rc == OK && ch >= 32 && !(p->multi && ch == ' ')) {
			filter_add(p->filter, sizeof(p->filter), ch);
			menu_drop(menu);
			menu = picker_menu(p, win, sub, h - 4, -1);
		}
	}
out:
	menu_drop(menu);
	if (sub)
		delwin(sub);
	if (win)
		delwin(win);
	touchwin(stdscr);
	(void)app;
	return result < -1 ? -1 : result;
}

int ui_pick(struct app *app, const char *title, const char *const *items,
	    size_t n, int selected, bool multi, bool *marked, const char *filter)
{
	struct picker p = { .items = items, .n = n, .multi = multi, .marked = marked };
	int result = -1;

	snprintf(p.filter, sizeof(p.filter), "%s", filter ? filter : "");
	if (n > 0 && picker_init(&p))
		result = picker_run(app, &p, title, selected);
	picker_free(&p);
	return result;
}

/* ---- the yes/no dialog and the help: screens on the stack ---- */

struct ask {
	struct screen_request rq; /* question, done, ctx */
	bool answered;
};

static void ask_draw(struct app *app, struct screen *s)
{
	struct ask *a = s->data;
	int w = ui_width(a->rq.question) + 6, h = 5, y, x;

	w = w < 40 ? 40 : w > COLS - 2 ? COLS - 2 : w;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	ui_box(y, x, h, w);
	ui_text(y + 1, x + 2, w - 4, a->rq.question);
	ui_attr(app, UI_BAR, true);
	ui_text(y + 3, x + 2, w - 4, "y yes    n no");
	ui_attr(app, UI_BAR, false);
}

static enum key_result ask_key(struct app *app, struct screen *s, wint_t ch,
			       bool is_key)
{
	struct ask *a = s->data;

	a->answered = true;
	a->rq.done(app, !is_key && (ch == 'y' || ch == 'Y'), a->rq.ctx);
	return KR_CLOSE;
}

static void ask_free(void *data)
{
	struct ask *a = data;

	if (a && !a->answered && a->rq.ctx_free)
		a->rq.ctx_free(a->rq.ctx);
	free(a);
}

static const struct key_binding ask_keys[] = {
	{ 'y', "y", "yes", true },
	{ 'n', "n", "no (any other key too)", true },
	{ 0, NULL, NULL, false },
};

static const struct screen_ops ask_ops = {
	.title = "question",
	.keys = ask_keys,
	.draw = ask_draw,
	.key = ask_key,
	.free = ask_free,
	.modal = true,
};

struct screen *ask_screen_new(const struct screen_request *rq)
{
	struct ask *a = calloc(1, sizeof(*a));

	if (!a) {
		if (rq->ctx_free)
			rq->ctx_free(rq->ctx);
		return NULL;
	}
	a->rq = *rq;
	return screen_new(&ask_ops, a);
}

struct help {
	const struct screen *below; /* borrowed: it stays under the help */
};

static void help_draw(struct app *app, struct screen *s)
{
	const struct help *h = s->data;
	const struct key_binding *keys = h->below->ops->keys;
	int y = 3;

	ui_frame(app, "help", NULL);
	ui_attr(app, UI_TITLE, true);
	ui_textf(2, 2, COLS - 4, "Keys of the %s screen", h->below->ops->title);
	ui_attr(app, UI_TITLE, false);
	for (size_t i = 0; keys && keys[i].key && y < LINES - 3; i++, y++) {
		ui_attr(app, UI_BAR, true);
		ui_text(y, 4, 12, keys[i].label);
		ui_attr(app, UI_BAR, false);
		ui_text(y, 18, COLS - 20, keys[i].action);
	}
	y++;
	if (y < LINES - 3)
		ui_text(y, 4, COLS - 6, "Everywhere: arrows or h/j/k/l to move, ? for "
					"this help, q or Esc to go back.");
	ui_text(LINES - 2, 2, COLS - 4, "Press any key to return.");
}

static enum key_result help_key(struct app *app, struct screen *s, wint_t ch,
				bool is_key)
{
	(void)app;
	(void)s;
	(void)ch;
	(void)is_key;
	return KR_CLOSE;
}

static const struct screen_ops help_ops = {
	.title = "help",
	.draw = help_draw,
	.key = help_key,
	.free = free,
};

struct screen *help_screen_new(const struct screen *below)
{
	struct help *h = calloc(1, sizeof(*h));

	if (h)
		h->below = below;
	return screen_new(&help_ops, h);
}
