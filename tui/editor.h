/* editor.h: what the files of the card editor share (scr_editor.c, the
 * form; editor_pick.c, the pickers). Not for other screens. */
#ifndef CARDORDER_EDITOR_H
#define CARDORDER_EDITOR_H

#include "tui.h"

#include <curses.h>
#include <form.h>

#define EDITOR_FIELD_W 30
#define EDITOR_MAX_VISIBLE FIELD_COUNT

enum widget { W_TEXT, W_SWITCH, W_PICK };

/* The editor of one card (or of a template), over the form library. */
struct editor {
	size_t card;               /* index in the draft, or (size_t)-1: template */
	struct draft_card *tpl;    /* the template card, when card is -1 */
	bool *marked;              /* template: the cards it goes to */
	FORM *form;
	FIELD *fields[EDITOR_MAX_VISIBLE + 1];
	enum field_id ids[EDITOR_MAX_VISIBLE];
	int rows[EDITOR_MAX_VISIBLE];     /* screen row of each field */
	int pages[EDITOR_MAX_VISIBLE];
	const char *page_title[EDITOR_MAX_VISIBLE];
	size_t n;
	WINDOW *sub;
	int built_cols, built_lines;
	char built_level[32];
	int want_field;            /* field to focus after a rebuild */
	bool form_stale;           /* fields came or went: build again */
	struct draft_card before;  /* the card as it was opened: Esc goes back */
};

/* How a field is edited: typed, switched, or picked. */
enum widget editor_widget(enum field_id id);
/* The index of the form's current field. */
int editor_current(struct editor *e);
/* In a text field, the cursor after the value. */
void editor_to_end(struct editor *e);
/* The current text field's buffer into the draft. */
void editor_sync(struct app *app, struct editor *e);
/* A key in the editor (editor_keys.c). */
enum key_result editor_key_in(struct app *app, struct editor *e, wint_t ch, bool is_key);

/* "Mon" .. "Sun", as the days are shown. */
extern const char *const editor_day_names[7];

/* The card being edited (the template's card for a template); borrowed. */
struct draft_card *editor_card(struct app *app, struct editor *e);
/* The text of a field of that card, "" when empty; borrowed. */
const char *editor_text(struct app *app, struct editor *e, enum field_id id);
/* Sets a field, checks the card again and redraws the field. */
void editor_set_text(struct app *app, struct editor *e, enum field_id id,
		     const char *value);
/* Opens the picker of a field (filter: what was typed, or NULL). */
void editor_open_picker(struct app *app, struct editor *e, enum field_id id,
			const char *filter);

#endif
