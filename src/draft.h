/* draft.h: an order as the person typed it, field by field, so that
 * nothing typed is ever lost: text that is not (yet) a valid value is
 * kept as typed, saved, and offered again after a crash. The card model
 * is derived from the text with reader_set_from_text. */
#ifndef CARDORDER_DRAFT_H
#define CARDORDER_DRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "fields.h"
#include "order.h"
#include "problems.h"
#include "status.h"

struct draft_card {
	char *text[FIELD_COUNT]; /* owned; NULL or "" when empty */
	char *note;              /* owned: what Qonto said of it last, or NULL */
	char note_field[64];
};

struct draft {
	struct draft_card *cards; /* owned */
	size_t n;
	size_t cap;
	time_t saved_at;          /* when it was read back from disk */
};

void draft_init(struct draft *d);
void draft_free(struct draft *d);

/* Appends an empty card (or a copy of src, which must not point into d:
 * the array may move); NULL on memory exhaustion. */
struct draft_card *draft_add(struct draft *d, const struct draft_card *src);
void draft_remove(struct draft *d, size_t i);
/* Card i leaves the draft into *out (the caller's to clear). */
void draft_take(struct draft *d, size_t i, struct draft_card *out);
/* Moves *card into the draft at position at (the end when past it); *card
 * is emptied. False when memory runs out (*card kept). */
bool draft_insert(struct draft *d, size_t at, struct draft_card *card);
/* A deep copy into dst (overwritten); false when memory runs out. */
bool draft_card_copy(struct draft_card *dst, const struct draft_card *src);
void draft_card_clear(struct draft_card *c);
/* Same text in every field ("" and NULL alike); empty: no text at all. */
bool draft_card_same(const struct draft_card *a, const struct draft_card *b);
bool draft_card_empty(const struct draft_card *c);
/* Sets one field's text (copied; "" or NULL clears). */
bool draft_set(struct draft_card *c, enum field_id id, const char *text);

/* Remembers what Qonto said of a card (copied); cleared by draft_set. */
void draft_note(struct draft_card *c, const char *field, const char *note);

/* The text of a field of a card as a person would type it: "true",
 * "1500", "mon;wed", "transport;tax". Owned; NULL when unset. */
char *card_field_text(const struct card *card, enum field_id id);

/* Fills a draft from an order (appending). */
enum status draft_from_order(struct draft *d, const struct order *order,
			     struct status_error *err);

/* Derives the order: one card per draft card, row = position, with every
 * problem of the text (unknown values) added to problems. */
enum status draft_to_order(const struct draft *d, struct order *order,
			   struct problem_list *problems,
			   struct status_error *err);
/* Re-derives card i of order from draft card i. */
enum status draft_card_to(const struct draft_card *dc, size_t index,
			  struct card *card, struct problem_list *problems);

/* Saves / loads the draft as JSON (atomic, mode 0600). */
enum status draft_save(const struct draft *d, const char *path,
		       struct status_error *err);
enum status draft_load(struct draft *d, const char *path,
		       struct status_error *err);

#endif
