/* order.h: an order of cards, each with every field of the bulk endpoint
 * and a record of which fields are set. */
#ifndef CARDORDER_ORDER_H
#define CARDORDER_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fields.h"
#include "status.h"

#define CARD_MAX_DAYS 7
#define CARD_MAX_CATEGORIES 16

/* One card. Strings are owned (heap) and NUL-terminated UTF-8. */
struct card {
	uint64_t set;   /* FIELD_BIT(id) for every field that has a value */
	uint64_t nulls; /* FF_NULLABLE fields set to JSON null */
	uint64_t bools; /* FIELD_BIT(id) for every KIND_BOOL field that is true */
	uint64_t invalid; /* fields whose value was given but refused */
	uint64_t resolved; /* ids filled in from a name (holder, bank_account) */
	unsigned row;   /* spreadsheet row (CSV) or 1-based position (JSON) */
	uint8_t level;  /* enum card_level, valid when CARD_LEVEL is set */
	uint8_t n_days;
	uint8_t n_categories;
	uint8_t days[CARD_MAX_DAYS];              /* as given, 1 = Monday */
	uint8_t categories[CARD_MAX_CATEGORIES];  /* catalog indices, as given */
	int64_t euros[EUR_SLOTS];
	char *str[STR_SLOTS];
	/* The text of each refused value as given (NULL when none was
	 * refused; else FIELD_COUNT entries, owned), so that an editor can
	 * show what the file said rather than an empty field. */
	char **refused;
};

struct order {
	char *path;    /* owned; where the order was read from, may be NULL */
	struct card *cards; /* owned array */
	size_t n_cards;
	size_t cap;
};

void order_init(struct order *order);
/* Frees the cards and the path; the struct itself is the caller's. */
void order_free(struct order *order);
/* Appends an empty card and returns it (borrowed; valid until the next
 * append), or NULL when memory runs out. */
struct card *order_add_card(struct order *order);
/* Removes card i, keeping the others in order. */
void order_remove_card(struct order *order, size_t i);
/* Deep copy of src appended to the order; NULL when memory runs out. */
struct card *order_append_copy(struct order *order, const struct card *src);

void card_init(struct card *card);
void card_free(struct card *card);
bool card_copy(struct card *dst, const struct card *src);
/* Keeps text (copied) as the refused value of field id; NULL text
 * forgets it. False when memory runs out. */
bool card_keep_refused(struct card *card, enum field_id id, const char *text);
/* The refused value of field id as given, or NULL. */
const char *card_refused(const struct card *card, enum field_id id);

bool card_has(const struct card *card, enum field_id id);
void card_unset(struct card *card, enum field_id id);
/* Setters copy their arguments; they return false when memory runs out. */
bool card_set_text(struct card *card, enum field_id id, const char *value);
void card_set_null(struct card *card, enum field_id id);
void card_set_bool(struct card *card, enum field_id id, bool value);
void card_set_euros(struct card *card, enum field_id id, int64_t value);
void card_set_level(struct card *card, enum card_level level);
bool card_add_day(struct card *card, int day);
bool card_add_category(struct card *card, int category);

/* Getters: borrowed values; callers check card_has first. */
const char *card_text(const struct card *card, enum field_id id);
bool card_bool(const struct card *card, enum field_id id);
int64_t card_euros(const struct card *card, enum field_id id);
bool card_is_null(const struct card *card, enum field_id id);

/* True when a value field is set and its *_option switch is explicitly
 * false: the value is then not sent. */
bool card_value_switched_off(const struct card *card, enum field_id id);

#endif
