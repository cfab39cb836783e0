/* editor_keys.c: the keys of the card editor: moving between fields and
 * pages, editing text as a readline line does, switching and picking, and
 * leaving (F2 keeps, Esc cancels; a template says what it does first). */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "editor.h"
#include "i18n.h"
#include "values.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

/* ---- keys ---- */

/* A text field that is left shows its start again (the cursor had
 * scrolled it to its end). */
static void leave_field(struct editor *e)
{
	if (e->n && editor_widget(e->ids[editor_current(e)]) == W_TEXT)
		form_driver_w(e->form, KEY_CODE_YES, REQ_BEG_LINE);
}

static void go_field(struct editor *e, int delta)
{
	int cur = editor_current(e), next = cur + delta;

	if (next < 0 || next >= (int)e->n)
		return;
	leave_field(e);
	if (e->pages[next] != e->pages[cur])
		set_form_page(e->form, e->pages[next]);
	set_current_field(e->form, e->fields[next]);
	editor_to_end(e);
}

static void move_page(struct editor *e, int delta)
{
	int page = e->pages[editor_current(e)] + delta;

	for (size_t i = 0; i < e->n; i++) {
		if (e->pages[i] == page) {
			leave_field(e);
			set_form_page(e->form, page);
			set_current_field(e->form, e->fields[i]);
			editor_to_end(e);
			return;
		}
	}
}

static void cycle_switch(struct app *app, struct editor *e, enum field_id id)
{
	const char *t = editor_text(app, e, id);
	bool b;

	/* not set -> yes -> no -> not set */
	if (!*t || !value_parse_bool(t, &b))
		editor_set_text(app, e, id, "true");
	else
		editor_set_text(app, e, id, b ? "false" : NULL);
}

/* Ctrl-W: the word before the cursor goes, with the blanks after it, as in
 * readline. The form's cursor is a cell in the field; the buffer is read
 * as wide characters to count back from it. */
static void delete_word(struct editor *e)
{
	const char *buf = field_buffer(current_field(e->form), 0);
	int cell = e->form->curcol, w, n = 0; /* curcol counts the scrolled part */
	size_t len = buf ? mbstowcs(NULL, buf, 0) : (size_t)-1, at = 0;
	wchar_t *wide;

	if (len == (size_t)-1 || cell <= 0)
		return;
	wide = calloc(len + 1, sizeof(*wide));
	if (!wide)
		return;
	mbstowcs(wide, buf, len + 1);
	for (int used = 0; at < len; at++) {
		w = wcwidth(wide[at]);
		if (used + (w > 0 ? w : 1) > cell)
			break;
		used += w > 0 ? w : 1;
	}
	while (at > 0 && iswspace((wint_t)wide[at - 1])) {
		at--;
		n++;
	}
	while (at > 0 && !iswspace((wint_t)wide[at - 1])) {
		at--;
		n++;
	}
	free(wide);
	while (n-- > 0)
		form_driver_w(e->form, KEY_CODE_YES, REQ_DEL_PREV);
}

static bool text_key(struct app *app, struct editor *e, wint_t ch, bool is_key)
{
	int req = 0;

	if (is_key) {
		switch (ch) {
		case KEY_LEFT: req = REQ_PREV_CHAR; break;
		case KEY_RIGHT: req = REQ_NEXT_CHAR; break;
		case KEY_HOME: req = REQ_BEG_LINE; break;
		case KEY_END: req = REQ_END_LINE; break;
		case KEY_BACKSPACE: req = REQ_DEL_PREV; break;
		case KEY_DC: req = REQ_DEL_CHAR; break;
		default: return false;
		}
		form_driver_w(e->form, KEY_CODE_YES, (wchar_t)req);
	} else if (ch == 127 || ch == 8) {
		form_driver_w(e->form, KEY_CODE_YES, REQ_DEL_PREV);
	} else if (ch == 21) { /* Ctrl-U: clear the field */
		form_driver_w(e->form, KEY_CODE_YES, REQ_CLR_FIELD);
	} else if (ch == 23) { /* Ctrl-W: the word before the cursor */
		delete_word(e);
	} else if (ch == 11) { /* Ctrl-K: to the end */
		form_driver_w(e->form, KEY_CODE_YES, REQ_CLR_EOL);
	} else if (ch == 1 || ch == 5) { /* Ctrl-A, Ctrl-E: start, end */
		form_driver_w(e->form, KEY_CODE_YES, ch == 1 ? REQ_BEG_LINE : REQ_END_LINE);
		return true;
	} else if (ch >= 32 && ch != 127) {
		/* A full field refuses the character: nothing changed, so
		 * nothing to sync (a pasted megabyte stays cheap). */
		if (form_driver_w(e->form, OK, (wchar_t)ch) != E_OK)
			return true;
	} else {
		return false;
	}
	if (req != REQ_PREV_CHAR && req != REQ_NEXT_CHAR && req != REQ_BEG_LINE &&
	    req != REQ_END_LINE)
		editor_sync(app, e);
	return true;
}

static bool choice_key(struct app *app, struct editor *e, enum field_id id,
		       wint_t ch, bool is_key)
{
	char filter[8] = "";

	if (!is_key && (ch == 127 || ch == 8)) {
		editor_set_text(app, e, id, NULL);
		return true;
	}
	if (is_key && (ch == KEY_BACKSPACE || ch == KEY_DC)) {
		editor_set_text(app, e, id, NULL);
		return true;
	}
	if (is_key)
		return false;
	if (editor_widget(id) == W_SWITCH) {
		if (ch == ' ' || ch == '\n' || ch == '\r')
			cycle_switch(app, e, id);
		else if (ch == 'y' || ch == 'n' || ch == '1' || ch == '0')
			/* y and 1 are yes (value_parse_bool takes whole words) */
			editor_set_text(app, e, id, ch == 'y' || ch == '1' ? "true" : "false");
		else
			return false;
		return true;
	}
	if (ch == ' ' || ch == '\n' || ch == '\r') {
		editor_open_picker(app, e, id, NULL);
		return true;
	}
	if (ch > 32 && (id == FIELD_HOLDER_ID || id == FIELD_COUNTRY)) {
		mbstate_t st;

		memset(&st, 0, sizeof(st));
		if (wcrtomb(filter, (wchar_t)ch, &st) == (size_t)-1)
			return false;
		editor_open_picker(app, e, id, filter);
		return true;
	}
	return false;
}

static void sync_current(struct app *app, struct editor *e)
{
	if (e->form && e->n && editor_widget(e->ids[editor_current(e)]) == W_TEXT)
		editor_sync(app, e);
}

static void apply_answered(struct app *app, bool yes, void *ctx)
{
	struct editor *e = ctx; /* the template, under the dialog */

	if (!yes)
		return; /* back to the template */
	app_apply_template(app, e->tpl, e->marked);
	app->close_below = true;
	curs_set(0);
}

/* F2: kept. A card left empty (added, then nothing chosen) goes. A
 * template says what it would do first. */
static enum key_result close_editor(struct app *app, struct editor *e)
{
	char q[800];

	sync_current(app, e);
	if (e->tpl && !draft_card_empty(e->tpl)) {
		app_template_preview(app, e->tpl, e->marked, q, sizeof(q));
		return app_ask(app, q, apply_answered, e, NULL);
	}
	curs_set(0);
	if (e->tpl) {
		app_notify(app, UI_WARNING, "%s", _("the template sets nothing: nothing applied"));
	} else if (draft_card_empty(&e->before) &&
		   draft_card_empty(&app->draft.cards[e->card])) {
		draft_remove(&app->draft, e->card);
		app_order_changed(app);
		app_notify(app, UI_WARNING, "%s", _("the empty card is not kept"));
	} else {
		app_order_changed(app);
	}
	return KR_CLOSE;
}

static void discard_answered(struct app *app, bool yes, void *ctx)
{
	struct editor *e = ctx; /* the editor, under the dialog */
	struct draft_card *c;

	if (!yes)
		return;
	app->close_below = true;
	curs_set(0);
	if (e->tpl) {
		app_notify(app, UI_OK, "%s", _("the template is not applied"));
		return;
	}
	c = &app->draft.cards[e->card];
	if (draft_card_empty(&e->before)) {
		draft_remove(&app->draft, e->card);
		app_notify(app, UI_OK, "%s", _("the new card is discarded"));
	} else {
		draft_card_clear(c);
		*c = e->before;
		memset(&e->before, 0, sizeof(e->before));
		app_notify(app, UI_OK, _("card %zu: the changes are discarded"), e->card + 1);
	}
	app_order_changed(app);
}

/* Esc: nothing changed, the editor closes; else it asks to discard. */
static enum key_result cancel_editor(struct app *app, struct editor *e)
{
	char q[320], who[200];

	sync_current(app, e);
	if (e->tpl) {
		if (draft_card_empty(e->tpl)) {
			curs_set(0);
			return KR_CLOSE;
		}
		return app_ask(app, _("Discard the template? It is not applied to the marked "
				      "cards."), discard_answered, e, NULL);
	}
	if (draft_card_same(&app->draft.cards[e->card], &e->before))
		return close_editor(app, e);
	app_card_who(app, &app->draft.cards[e->card], e->card, who, sizeof(who));
	if (draft_card_empty(&e->before))
		/* TRANSLATORS: %s is a card, such as "card 3 (Zoé Lambert)" */
		snprintf(q, sizeof(q), _("Discard the changes to %s? The new card goes."), who);
	else
		/* TRANSLATORS: %s is a card, such as "card 3 (Zoé Lambert)" */
		snprintf(q, sizeof(q), _("Discard the changes to %s?"), who);
	return app_ask(app, q, discard_answered, e, NULL);
}

enum key_result editor_key_in(struct app *app, struct editor *e, wint_t ch, bool is_key)
{
	enum field_id id;

	if (!e->form || e->n == 0)
		return is_key ? KR_IGNORED : close_editor(app, e);
	id = e->ids[editor_current(e)];
	if (is_key && ch == KEY_F(2))
		return close_editor(app, e);
	if (!is_key && ch == 27)
		return cancel_editor(app, e);
	/* ? is text in a text field: F1 is the help everywhere */
	if ((is_key && ch == KEY_F(1)) || (!is_key && ch == '?' && editor_widget(id) != W_TEXT))
		return app_open(app, SCREEN_HELP, 0, NULL);
	if ((!is_key && ch == '\t') || (is_key && ch == KEY_DOWN)) {
		go_field(e, 1);
		return KR_REDRAW;
	}
	if (is_key && (ch == KEY_BTAB || ch == KEY_UP)) {
		go_field(e, -1);
		return KR_REDRAW;
	}
	if (is_key && (ch == KEY_NPAGE || ch == KEY_PPAGE)) {
		move_page(e, ch == KEY_NPAGE ? 1 : -1);
		return KR_REDRAW;
	}
	if (editor_widget(id) == W_TEXT) {
		if (!is_key && (ch == '\n' || ch == '\r')) {
			go_field(e, 1);
			return KR_REDRAW;
		}
		return text_key(app, e, ch, is_key) ? KR_REDRAW : KR_IGNORED;
	}
	return choice_key(app, e, id, ch, is_key) ? KR_REDRAW : KR_IGNORED;
}

