/* help.c: the keys of the screen below, from the same table that its key
 * bar is drawn from (and, for a screen whose keys depend on its state,
 * the keys of that state); typing filters them. */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "text.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

struct help {
	struct screen *below; /* borrowed: it stays under the help */
	char filter[64];
};

const struct key_binding *screen_keys(struct screen *s)
{
	return s->ops->keys_now ? s->ops->keys_now(s) : s->ops->keys;
}

/* Accents and case ignored. */
static bool matches(const char *text, const char *filter)
{
	char *t, *f;
	bool yes;

	if (!*filter)
		return true;
	t = text_fold(text);
	f = text_fold(filter);
	yes = t && f && strstr(t, f);
	free(t);
	free(f);
	return yes;
}

static void help_draw(struct app *app, struct screen *s)
{
	const struct help *h = s->data;
	const struct key_binding *keys = screen_keys(h->below);
	int y = 5;
	size_t shown = 0;

	ui_frame(app, "help", NULL);
	ui_attr(app, UI_TITLE, true);
	ui_textf(2, 2, COLS - 4, "Keys of the %s screen", h->below->ops->title);
	ui_attr(app, UI_TITLE, false);
	ui_textf(3, 2, COLS - 4, "Filter: %s", h->filter);
	for (size_t i = 0; keys && keys[i].key; i++) {
		if (!matches(keys[i].label, h->filter) && !matches(keys[i].action, h->filter))
			continue;
		shown++;
		if (y >= LINES - 3)
			continue;
		ui_attr(app, UI_BAR, true);
		ui_text(y, 4, 14, keys[i].label);
		ui_attr(app, UI_BAR, false);
		ui_text(y++, 20, COLS - 22, keys[i].action);
	}
	if (!shown)
		ui_textf(y, 4, COLS - 6, "No key matches \"%s\".", h->filter);
	else if (y >= LINES - 3)
		ui_textf(LINES - 3, 4, COLS - 6, "… and more: type to filter");
	ui_attr(app, UI_DIM, true);
	ui_text(LINES - 2, 2, COLS - 4, "Type to filter; Esc or Enter to go back.");
	ui_attr(app, UI_DIM, false);
}

static enum key_result help_key(struct app *app, struct screen *s, wint_t ch,
				bool is_key)
{
	struct help *h = s->data;
	size_t len = strlen(h->filter);
	char mb[8];
	mbstate_t st;
	size_t n;

	(void)app;
	if ((is_key && (ch == KEY_BACKSPACE || ch == KEY_DC)) ||
	    (!is_key && (ch == 127 || ch == 8))) {
		while (len > 0 && (h->filter[len - 1] & 0xC0) == 0x80)
			len--; /* a whole UTF-8 character */
		if (len > 0)
			h->filter[len - 1] = '\0';
		return KR_REDRAW;
	}
	if (is_key || ch == 27 || ch == '\n' || ch == '\r' ||
	    (ch == '?' && len == 0))
		return is_key && ch != KEY_F(1) && ch != KEY_ENTER ? KR_HANDLED : KR_CLOSE;
	if (ch == 21) { /* Ctrl-U */
		h->filter[0] = '\0';
		return KR_REDRAW;
	}
	if (ch < 32)
		return KR_HANDLED;
	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)ch, &st);
	if (n == (size_t)-1 || len + n + 1 > sizeof(h->filter))
		return KR_HANDLED;
	memcpy(h->filter + len, mb, n);
	h->filter[len + n] = '\0';
	return KR_REDRAW;
}

static const struct screen_ops help_ops = {
	.title = "help",
	.draw = help_draw,
	.key = help_key,
	.free = free,
};

struct screen *help_screen_new(struct screen *below)
{
	struct help *h = calloc(1, sizeof(*h));

	if (h)
		h->below = below;
	return screen_new(&help_ops, h);
}
