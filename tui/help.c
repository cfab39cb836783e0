/* help.c: the keys of the screen below, from the same table that its key
 * bar is drawn from (and, for a screen whose keys depend on its state,
 * the keys of that state); typing filters them. */
#include "config.h"

#include "tui.h"
#include "i18n.h"
#include "screens.h"
#include "text.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

struct help {
	struct screen *below; /* borrowed: it stays under the help */
	char filter[64];
	size_t top;           /* the first line shown */
};

const struct key_binding *screen_keys(struct screen *s)
{
	return s->ops->keys_now ? s->ops->keys_now(s) : s->ops->keys;
}

/* A text of a screen's tables (an action, a note, a title: marked N_
 * there), as the person reads it. */
static const char *tr(const char *s)
{
	/* gettext("") is the catalogue's header: never asked for */
	return s && *s ? _(s) : s ? s : "";
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

/* The help's lines: the keys that match the filter, then the notes that
 * match it. Fills at most cap (label, text) pairs; returns how many. */
static size_t help_lines(const struct help *h, const char **label, const char **text,
			 size_t cap)
{
	const struct key_binding *keys = screen_keys(h->below);
	const char *const *notes = h->below->ops->notes;
	size_t n = 0;
	bool blank = false;

	for (size_t i = 0; keys && keys[i].key && n < cap; i++)
		if (matches(keys[i].label, h->filter) ||
		    matches(tr(keys[i].action), h->filter)) {
			label[n] = keys[i].label;
			text[n++] = tr(keys[i].action);
		}
	for (size_t i = 0; notes && notes[i] && n < cap; i++)
		if (matches(tr(notes[i]), h->filter)) {
			if (!blank && n > 0) {
				label[n] = NULL; /* a blank line before the notes */
				text[n++] = "";
			}
			blank = true;
			if (n < cap) {
				label[n] = NULL;
				text[n++] = tr(notes[i]);
			}
		}
	return n;
}

#define HELP_MAX 64

static void help_draw(struct app *app, struct screen *s)
{
	struct help *h = s->data;
	const char *label[HELP_MAX], *text[HELP_MAX];
	size_t n = help_lines(h, label, text, HELP_MAX);
	int rows = LINES - 8, y = 5;

	ui_frame(app, _("help"), NULL);
	ui_attr(app, UI_TITLE, true);
	/* TRANSLATORS: %s is the name of a screen: "order", "card editor",
	   "review"... */
	ui_textf(2, 2, COLS - 4, _("Keys of the %s screen"), tr(h->below->ops->title));
	ui_attr(app, UI_TITLE, false);
	/* TRANSLATORS: %s is what the person typed to filter the list. */
	ui_textf(3, 2, COLS - 4, _("Filter: %s"), h->filter);
	if (rows < 1)
		rows = 1;
	if (h->top + (size_t)rows > n)
		h->top = n > (size_t)rows ? n - (size_t)rows : 0;
	for (size_t i = h->top; i < n && y < 5 + rows; i++, y++) {
		if (!label[i]) {
			ui_text(y, 4, COLS - 6, text[i]);
			continue;
		}
		ui_attr(app, UI_BAR, true);
		ui_text(y, 4, 14, label[i]);
		ui_attr(app, UI_BAR, false);
		ui_text(y, 20, COLS - 22, text[i]);
	}
	if (!n)
		ui_textf(y, 4, COLS - 6, _("Nothing matches \"%s\"."), h->filter);
	ui_attr(app, UI_DIM, true);
	if (h->top + (size_t)rows < n)
		/* TRANSLATORS: ↓, PgDn, Esc and Enter are keys: keep them. */
		ui_text(LINES - 2, 2, COLS - 4, _("Type to filter; ↓ PgDn for more; Esc or "
						  "Enter to go back."));
	else
		/* TRANSLATORS: Esc and Enter are keys: keep them. */
		ui_text(LINES - 2, 2, COLS - 4, _("Type to filter; Esc or Enter to go back."));
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
	if (is_key && (ch == KEY_DOWN || ch == KEY_NPAGE)) {
		h->top += ch == KEY_DOWN ? 1 : (size_t)(LINES > 9 ? LINES - 9 : 1);
		return KR_REDRAW; /* draw keeps it in the list */
	}
	if (is_key && (ch == KEY_UP || ch == KEY_PPAGE)) {
		size_t by = ch == KEY_UP ? 1 : (size_t)(LINES > 9 ? LINES - 9 : 1);

		h->top = h->top > by ? h->top - by : 0;
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
	.title = N_("help"),
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
