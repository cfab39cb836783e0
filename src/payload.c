/* payload.c: request bodies, in the wrapped form of Qonto's example. */
#include "config.h"

#include "payload.h"
#include "catalog.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

size_t payload_request_count(size_t n_cards)
{
	return (n_cards + PAYLOAD_MAX_CARDS - 1) / PAYLOAD_MAX_CARDS;
}

/* Adding transfers the reference only on success (json-c 0.16). */
static int add(struct json_object *obj, const char *key, struct json_object *val)
{
	if (!val)
		return -1;
	if (json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

static int push(struct json_object *arr, struct json_object *val)
{
	if (!val)
		return -1;
	if (json_object_array_add(arr, val) < 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

static struct json_object *list_value(const struct card *card,
				      enum field_kind kind)
{
	struct json_object *arr = json_object_new_array();
	int rc = 0;

	if (!arr)
		return NULL;
	if (kind == KIND_DAYS)
		for (int i = 0; rc == 0 && i < card->n_days; i++)
			rc = push(arr, json_object_new_int(card->days[i]));
	else
		for (int i = 0; rc == 0 && i < card->n_categories; i++)
			rc = push(arr, json_object_new_string(
					       catalog_category(card->categories[i])));
	if (rc < 0) {
		json_object_put(arr);
		return NULL;
	}
	return arr;
}

static struct json_object *field_value(const struct card *card,
				       const struct field_info *f)
{
	switch (f->kind) {
	case KIND_BOOL:
		return json_object_new_boolean(card_bool(card, f->id));
	case KIND_EUROS:
		return json_object_new_int64(card_euros(card, f->id));
	case KIND_LEVEL:
		return json_object_new_string(level_name(card->level));
	case KIND_DAYS:
	case KIND_CATEGORIES:
		return list_value(card, f->kind);
	default:
		return json_object_new_string(card_text(card, f->id));
	}
}

/* The "address" object is created when its first field is met, so it
 * sits where the address fields sit in the table. */
static int add_field(struct json_object *obj, struct json_object **address,
		     const struct card *card, const struct field_info *f)
{
	struct json_object *val = NULL;

	bool null = card_is_null(card, f->id);

	if (f->flags & FF_ADDRESS) {
		if (!*address && add(obj, "address",
				     *address = json_object_new_object()) < 0)
			return -1;
		obj = *address;
	}
	if (null) /* contact_name: null is a value of its own */
		return json_object_object_add(obj, f->json_key, NULL);
	val = field_value(card, f);
	return add(obj, f->json_key, val);
}

static struct json_object *card_json(const struct card *card)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *address = NULL;

	if (!obj)
		return NULL;
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field_info *f = field_get((enum field_id)id);

		if (!card_has(card, f->id) || (f->flags & FF_LOCAL) ||
		    card_value_switched_off(card, f->id))
			continue;
		if (add_field(obj, &address, card, f) < 0) {
			json_object_put(obj);
			return NULL;
		}
	}
	return obj;
}

static struct json_object *body_json(const struct card *cards, size_t count)
{
	struct json_object *root = json_object_new_object();
	struct json_object *list = json_object_new_array_ext((int)count);
	struct json_object *item;

	if (!root || !list || add(root, "cards", list) < 0) {
		json_object_put(root);
		return NULL;
	}
	for (size_t i = 0; i < count; i++) {
		item = json_object_new_object();
		if (!item || add(item, "card", card_json(&cards[i])) < 0 ||
		    push(list, item) < 0) {
			json_object_put(item);
			json_object_put(root);
			return NULL;
		}
	}
	return root;
}

enum status payload_build(const struct card *cards, size_t count, bool pretty,
			  char **body, size_t *len, struct status_error *err)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
			    : JSON_C_TO_STRING_PLAIN);
	struct json_object *root;
	const char *text;
	size_t n;

	if (count == 0 || count > PAYLOAD_MAX_CARDS)
		return status_set(err, STATUS_USAGE,
				  "a request carries 1 to %d cards, not %zu",
				  PAYLOAD_MAX_CARDS, count);
	root = body_json(cards, count);
	text = root ? json_object_to_json_string_length(root, flags, &n) : NULL;
	*body = text ? strndup(text, n) : NULL;
	json_object_put(root);
	if (!*body)
		return status_set(err, STATUS_NOMEM, NULL);
	*len = n;
	return STATUS_OK;
}
