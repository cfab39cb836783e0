/* draw.c: drawing helpers and the frame every screen shares. */
#include "config.h"

#include "tui.h"
#include "i18n.h"
#include "text.h"

#include <curses.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const short pair_of[UI_ROLES] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
static const int mono_attr[UI_ROLES] = {
	A_NORMAL, A_BOLD, A_REVERSE, A_BOLD, A_BOLD, A_NORMAL,
	A_REVERSE, A_DIM, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD,
};

void ui_attr(struct app *app, enum ui_role role, bool on)
{
	int attr = mono_attr[role];

	if (app->color && role != UI_NORMAL)
		attr = (int)(COLOR_PAIR(pair_of[role]) |
			     (role == UI_TITLE || role == UI_ERROR ? A_BOLD : A_NORMAL));

	if (role == UI_SELECTED)
		attr |= A_REVERSE;
	if (on)
		attron(attr);
	else
		attroff(attr);
}

/* Sanitised wide text, or NULL. */
static wchar_t *wide(const char *s)
{
	char *safe = text_sanitize(s ? s : "");
	size_t n;
	wchar_t *w;

	if (!safe)
		return NULL;
	n = mbstowcs(NULL, safe, 0);
	if (n == (size_t)-1) {
		free(safe);
		return NULL;
	}
	w = calloc(n + 1, sizeof(*w));
	if (w)
		mbstowcs(w, safe, n + 1);
	free(safe);
	return w;
}

int ui_width(const char *s)
{
	wchar_t *w = wide(s);
	int cells = 0, cw;

	for (size_t i = 0; w && w[i]; i++) {
		cw = wcwidth(w[i]);
		cells += cw > 0 ? cw : 0;
	}
	free(w);
	return cells;
}

char *ui_fit(const char *s, int width)
{
	size_t cap = strlen(s) + 8, used = 0;
	char *out = malloc(cap), mb[MB_LEN_MAX];
	wchar_t *w = wide(s);
	int cells = ui_width(s), taken = 0, cw;
	mbstate_t st;
	size_t n;

	if (!out || !w) {
		free(out);
		free(w);
		return NULL;
	}
	memset(&st, 0, sizeof(st));
	for (size_t i = 0; w[i]; i++) {
		cw = wcwidth(w[i]);
		cw = cw > 0 ? cw : 0;
		if (cells > width && taken + cw > width - 1)
			break;
		n = wcrtomb(mb, w[i], &st);
		if (n == (size_t)-1 || used + n + 4 > cap)
			break;
		memcpy(out + used, mb, n);
		used += n;
		taken += cw;
	}
	if (cells > width) { /* room kept: used + 4 <= cap */
		memcpy(out + used, "…", sizeof("…") - 1);
		used += sizeof("…") - 1;
	}
	out[used] = '\0';
	free(w);
	return out;
}

int ui_text(int y, int x, int width, const char *s)
{
	wchar_t *w = wide(s);
	int used = 0, cw, total = 0;
	size_t i;

	if (!w || width <= 0)
		goto out;
	for (i = 0; w[i]; i++) {
		cw = wcwidth(w[i]);
		total += cw > 0 ? cw : 0;
	}
	move(y, x);
	for (i = 0; w[i]; i++) {
		cw = wcwidth(w[i]);
		if (cw < 0)
			continue; /* the sanitiser leaves none; be sure */
		if (total > width && used + cw > width - 1)
			break; /* keep a cell for the ellipsis */
		if (used + cw > width)
			break;
		addnwstr(&w[i], 1);
		used += cw;
	}
	if (total > width && used < width) {
		addstr("\xE2\x80\xA6"); /* … */
		used++;
	}
out:
	free(w);
	return used;
}

int ui_textf(int y, int x, int width, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ui_text(y, x, width, buf);
}

bool ui_too_small(struct app *app)
{
	if (COLS >= TUI_MIN_COLS && LINES >= TUI_MIN_LINES)
		return false;
	erase();
	ui_attr(app, UI_ERROR, true);
	ui_text(0, 0, COLS, _("The terminal is too small."));
	ui_attr(app, UI_ERROR, false);
	/* TRANSLATORS: the sizes are columns x lines: "80x24". */
	ui_textf(1, 0, COLS, _("cardorder needs %dx%d; this one is %dx%d."),
		 TUI_MIN_COLS, TUI_MIN_LINES, COLS, LINES);
	/* TRANSLATORS: q is the key that quits: keep it. */
	ui_text(2, 0, COLS, _("Make it larger (nothing is lost), or q to quit."));
	refresh();
	return true;
}

static void banner(struct app *app, const char *title)
{
	bool sandbox = app->sandbox;
	char right[300];

	move(0, 0);
	ui_attr(app, sandbox ? UI_BANNER_SANDBOX : UI_BANNER_PROD, true);
	for (int x = 0; x < COLS; x++)
		addch(' ');
	/* TRANSLATORS: the banner's left corner, at most 12 columns: which
	   Qonto the cards are ordered from (the test one, or the real one). */
	ui_textf(0, 1, 12, "%s", sandbox ? _("SANDBOX") : _("PRODUCTION"));
	if (app_loading(app) || app_held_loading(app) || app->follow_loader)
		/* it ticks: the loop draws again at least every 200 ms */
		/* TRANSLATORS: %c is a spinning bar (| / - \), %s what is
		   being read ("members, page 2"). */
		snprintf(right, sizeof(right), _("%c reading from Qonto: %s"),
			 "|/-\\"[(app_now_ms() / 200) % 4], app_loading_what(app));
	else
		snprintf(right, sizeof(right), "%s%s%s",
			 app->dir.organization_name ? app->dir.organization_name
						    : _("(not connected)"),
			 app->dir.initiator_name ? " · " : "",
			 app->dir.initiator_name ? app->dir.initiator_name : "");
	ui_text(0, COLS - 1 - (ui_width(right) < COLS / 2 ? ui_width(right) : COLS / 2),
		COLS / 2, right);
	ui_attr(app, sandbox ? UI_BANNER_SANDBOX : UI_BANNER_PROD, false);
	ui_attr(app, UI_TITLE, true);
	ui_textf(1, 1, COLS - 2, "cardorder · %s", title);
	ui_attr(app, UI_TITLE, false);
}

/* A key's action, as the key bar shows it (the tables mark them N_). */
static const char *key_action(const char *action)
{
	/* gettext("") is the catalogue's header: never asked for */
	return action && *action ? _(action) : action ? action : "";
}

/* The key bar: the screen's bar keys in the order of its table (the most
 * needed first), each whole or not at all, and help always last (F1 where
 * ? is typed text). What does not fit is in the help. */
static void key_bar(struct app *app, const struct key_binding *keys)
{
	const char *help = "?";
	/* TRANSLATORS: after the help key ("?" or "F1") at the end of the
	   key bar; keep the leading space. */
	const char *help_action = _(" help");
	int x = 0, w, room;

	move(LINES - 1, 0);
	clrtoeol();
	if (app->message[0]) {
		ui_attr(app, app->message_role, true);
		ui_text(LINES - 2, 1, COLS - 2, app->message);
		ui_attr(app, app->message_role, false);
	}
	for (size_t i = 0; keys && keys[i].key; i++)
		if (keys[i].key == KEY_F(1))
			help = "F1";
	room = COLS - ui_width(help) - ui_width(help_action);
	for (size_t i = 0; keys && keys[i].key; i++) {
		if (!keys[i].in_bar)
			continue;
		w = ui_width(keys[i].label) + 1 + ui_width(key_action(keys[i].action)) + 2;
		if (x + w > room)
			continue;
		ui_attr(app, UI_BAR, true);
		x += ui_text(LINES - 1, x, COLS - x, keys[i].label);
		ui_attr(app, UI_BAR, false);
		x += ui_textf(LINES - 1, x, COLS - x, " %s  ", key_action(keys[i].action));
	}
	if (!keys)
		return; /* the help itself, the card details */
	ui_attr(app, UI_BAR, true);
	x += ui_text(LINES - 1, x, COLS - x, help);
	ui_attr(app, UI_BAR, false);
	ui_text(LINES - 1, x, COLS - x, help_action);
}

void ui_frame(struct app *app, const char *title, const struct key_binding *keys)
{
	erase();
	banner(app, title);
	key_bar(app, keys);
}

void ui_box(int y, int x, int h, int w)
{
	for (int r = 0; r < h; r++)
		mvhline(y + r, x, ' ', w);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
}
