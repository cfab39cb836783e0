/* editor.h: what the files of the card editor share (scr_editor.c, the
 * form; editor_pick.c, the pickers). Not for other screens. */
#ifndef CARDORDER_EDITOR_H
#define CARDORDER_EDITOR_H

#include "tui.h"

struct editor;

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
