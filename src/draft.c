/* draft.c: the order as typed, and its file. */
#include "config.h"

#include "draft.h"
#include "catalog.h"
#include "fsutil.h"
#include "jsonutil.h"
#include "reader.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DRAFT_MAX_BYTES (256u * 1024u * 1024u)

void draft_init(struct draft *d)
{
	memset(d, 0, sizeof(*d));
}

void draft_card_clear(struct draft_card *c)
{
	for (int i = 0; i < FIELD_COUNT; i++)
		free(c->text[i]);
	free(c->note);
	memset(c, 0, sizeof(*c));
}

void draft_free(struct draft *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		draft_card_clear(&d->cards[i]);
	free(d->cards);
	draft_init(d);
}

bool draft_set(struct draft_card *c, enum field_id id, const char *text)
{
	char *copy = text && *text ? strdup(text) : NULL;

	if (text && *text && !copy)
		return false;
	free(c->text[id]);
	c->text[id] = copy;
	free(c->note); /* what Qonto said was about the old value */
	c->note = NULL;
	return true;
}

void draft_note(struct draft_card *c, const char *field, const char *note)
{
	free(c->note);
	c->note = note ? strdup(note) : NULL;
	snprintf(c->note_field, sizeof(c->note_field), "%s", field ? field : "");
}

/* The texts of src into the empty card dst (not Qonto's note); on failure
 * dst is empty again. */
static bool copy_texts(struct draft_card *dst, const struct draft_card *src)
{
	for (int i = 0; i < FIELD_COUNT; i++)
		if (!draft_set(dst, (enum field_id)i, src->text[i])) {
			draft_card_clear(dst);
			return false;
		}
	return true;
}

struct draft_card *draft_add(struct draft *d, const struct draft_card *src)
{
	struct draft_card *grown, *c;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;

		grown = realloc(d->cards, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		d->cards = grown;
		d->cap = cap;
	}
	c = &d->cards[d->n];
	memset(c, 0, sizeof(*c));
	if (src && !copy_texts(c, src))
		return NULL;
	d->n++;
	return c;
}

bool draft_card_copy(struct draft_card *dst, const struct draft_card *src)
{
	memset(dst, 0, sizeof(*dst));
	if (!copy_texts(dst, src))
		return false;
	if (src->note) {
		draft_note(dst, src->note_field, src->note);
		if (!dst->note) {
			draft_card_clear(dst);
			return false;
		}
	}
	return true;
}

bool draft_card_same(const struct draft_card *a, const struct draft_card *b)
{
	for (int i = 0; i < FIELD_COUNT; i++) {
		const char *x = a->text[i] ? a->text[i] : "", *y = b->text[i] ? b->text[i] : "";

		if (strcmp(x, y) != 0)
			return false;
	}
	return true;
}

bool draft_card_empty(const struct draft_card *c)
{
	for (int i = 0; i < FIELD_COUNT; i++)
		if (c->text[i] && c->text[i][0])
			return false;
	return true;
}

void draft_take(struct draft *d, size_t i, struct draft_card *out)
{
	if (i >= d->n) {
		memset(out, 0, sizeof(*out));
		return;
	}
	*out = d->cards[i];
	memmove(&d->cards[i], &d->cards[i + 1], (d->n - i - 1) * sizeof(d->cards[0]));
	d->n--;
}

bool draft_insert(struct draft *d, size_t at, struct draft_card *card)
{
	struct draft_card *end = draft_add(d, NULL);

	if (!end)
		return false;
	if (at > d->n - 1)
		at = d->n - 1;
	memmove(&d->cards[at + 1], &d->cards[at], (d->n - 1 - at) * sizeof(d->cards[0]));
	d->cards[at] = *card;
	memset(card, 0, sizeof(*card));
	return true;
}

void draft_remove(struct draft *d, size_t i)
{
	if (i >= d->n)
		return;
	draft_card_clear(&d->cards[i]);
	memmove(&d->cards[i], &d->cards[i + 1], (d->n - i - 1) * sizeof(d->cards[0]));
	d->n--;
}

static char *join_list(const uint8_t *items, size_t n, bool days)
{
	size_t cap = n * 32 + 1, used = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (days)
			used += (size_t)snprintf(out + used, cap - used, "%s%u",
						 i ? ";" : "", items[i]);
		else
			used += (size_t)snprintf(out + used, cap - used, "%s%s",
						 i ? ";" : "",
						 catalog_category(items[i]));
	}
	return out;
}

char *card_field_text(const struct card *card, enum field_id id)
{
	const struct field_info *f = field_get(id);
	char buf[32];

	if (card_refused(card, id))
		return strdup(card_refused(card, id));
	if (!f || !card_has(card, id) || card_is_null(card, id))
		return NULL;
	switch (f->kind) {
	case KIND_BOOL:
		return strdup(card_bool(card, id) ? "true" : "false");
	case KIND_EUROS:
		snprintf(buf, sizeof(buf), "%" PRId64, card_euros(card, id));
		return strdup(buf);
	case KIND_LEVEL:
		return strdup(level_name((enum card_level)card->level));
	case KIND_DAYS:
		return join_list(card->days, card->n_days, true);
	case KIND_CATEGORIES:
		return join_list(card->categories, card->n_categories, false);
	default:
		return card_text(card, id) ? strdup(card_text(card, id)) : NULL;
	}
}

enum status draft_from_order(struct draft *d, const struct order *order,
			     struct status_error *err)
{
	struct draft_card *c;
	char *text;

	for (size_t i = 0; i < order->n_cards; i++) {
		c = draft_add(d, NULL);
		if (!c)
			return status_set(err, STATUS_NOMEM, NULL);
		for (int id = 0; id < FIELD_COUNT; id++) {
			text = card_field_text(&order->cards[i], (enum field_id)id);
			c->text[id] = text;
		}
	}
	return STATUS_OK;
}

enum status draft_card_to(const struct draft_card *dc, size_t index,
			  struct card *card, struct problem_list *problems)
{
	card_free(card);
	card->row = (unsigned)index + 1;
	for (int id = 0; id < FIELD_COUNT; id++)
		if (dc->text[id] && reader_set_from_text(card, index, (enum field_id)id,
							 dc->text[id], problems) < 0)
			return STATUS_NOMEM;
	return STATUS_OK;
}

enum status draft_to_order(const struct draft *d, struct order *order,
			   struct problem_list *problems,
			   struct status_error *err)
{
	struct card *card;

	for (size_t i = 0; i < d->n; i++) {
		card = order_add_card(order);
		if (!card || draft_card_to(&d->cards[i], order->n_cards - 1, card,
					   problems) != STATUS_OK)
			return status_set(err, STATUS_NOMEM, NULL);
	}
	return STATUS_OK;
}

/* One card as a JSON object of its typed texts; owned, NULL when out of
 * memory. */
static json_object *card_json(const struct draft_card *dc)
{
	json_object *card = json_object_new_object();

	for (int id = 0; card && id < FIELD_COUNT; id++)
		if (dc->text[id])
			json_object_object_add(card, field_get((enum field_id)id)->name,
					       json_object_new_string(dc->text[id]));
	return card;
}

/* Written one card at a time, so that saving a large order costs the
 * text of one card in memory, not a tree of every card. */
enum status draft_save(const struct draft *d, const char *path,
		       struct status_error *err)
{
	static const char head[] = "{\"draft\":1,\"cards\":[", tail[] = "]}";
	struct fs_atomic a;
	enum status st = fs_atomic_open(&a, path, err);
	const char *text;
	size_t len;

	if (st != STATUS_OK)
		return st;
	fs_atomic_write(&a, head, sizeof(head) - 1);
	for (size_t i = 0; i < d->n; i++) {
		json_object *card = card_json(&d->cards[i]);

		text = card ? json_object_to_json_string_length(
				      card, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE,
				      &len)
			    : NULL;
		if (!text) {
			json_object_put(card);
			fs_atomic_abort(&a);
			return status_set(err, STATUS_NOMEM, NULL);
		}
		if (i)
			fs_atomic_write(&a, ",", 1);
		fs_atomic_write(&a, text, len);
		json_object_put(card);
	}
	fs_atomic_write(&a, tail, sizeof(tail) - 1);
	return fs_atomic_commit(&a, err);
}

enum status draft_load(struct draft *d, const char *path,
		       struct status_error *err)
{
	json_object *root = NULL, *list;
	const struct field_info *f;
	struct draft_card *c;
	enum status st;
	struct stat sb;
	char *text;
	size_t len;

	st = fs_read_all(path, DRAFT_MAX_BYTES, &text, &len, err);
	if (st != STATUS_OK)
		return st;
	if (json_parse_limited(text, len, 8, &root, NULL) != JPARSE_OK ||
	    !json_object_is_type(list = json_member(root, "cards"), json_type_array)) {
		free(text);
		json_object_put(root);
		return status_set(err, STATUS_FORMAT, "the draft %s is damaged", path);
	}
	free(text);
	for (size_t i = 0; st == STATUS_OK && i < json_object_array_length(list); i++) {
		c = draft_add(d, NULL);
		if (!c) {
			st = status_set(err, STATUS_NOMEM, NULL);
			break;
		}
		json_object *item = json_object_array_get_idx(list, i);

		if (!json_object_is_type(item, json_type_object))
			continue; /* a damaged entry: an empty card keeps the rows */
		json_object_object_foreach(item, key, val)
		{
			f = field_by_name(key);
			if (f && json_object_is_type(val, json_type_string))
				draft_set(c, f->id, json_object_get_string(val));
		}
	}
	if (stat(path, &sb) == 0)
		d->saved_at = sb.st_mtime;
	json_object_put(root);
	return st;
}
