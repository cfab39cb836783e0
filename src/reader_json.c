/* reader_json.c: JSON order files: the request body itself,
 * {"cards": [{"card": {...}}]}, with flat items and a bare array accepted. */
#include "config.h"

#include "reader.h"
#include "catalog.h"
#include "i18n.h"
#include "jsonutil.h"
#include "strbuf.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 16

struct json_ctx {
	struct card *card;
	size_t index;
	struct problem_list *problems;
};

/* An error at a field of the card. Messages are sanitised where they are
 * shown (problem_format, the TUI). The format is English, marked with
 * N_(): problems_add translates it and keeps the English too. */
#define PROBLEM(c, field, ...)                                                 \
	problems_add((c)->problems, SEVERITY_ERROR, (c)->index, (c)->card->row, \
		     field, __VA_ARGS__)

/* An owned copy of a JSON string in *out, NULL when v is not a string of
 * valid UTF-8 without NUL (json-c keeps NULs and lets surrogates through);
 * false only when memory runs out. Lengths are checked by the callers. */
static bool copy_text(struct json_object *v, char **out)
{
	return json_copy_string(v, SIZE_MAX, false, out);
}

static int set_euros(struct json_ctx *c, const struct field_info *f,
		     struct json_object *v)
{
	enum euros_result er;
	int64_t euros;
	const char *text;

	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return PROBLEM(c, f->name, N_("must be a number of euros, without quotes"));
	/* The source text of the number: json-c keeps it for doubles, and
	 * re-serialises integers exactly (UINT64 overflow included). */
	text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	if (json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) == INT64_MAX)
		er = EUROS_RANGE;
	else
		er = value_parse_euros(text, &euros);
	if (er != EUROS_OK)
		return reader_euros_problem(er, c->card, c->index, f->id, text,
					    c->problems);
	card_set_euros(c->card, f->id, euros);
	return 0;
}

static int set_days(struct json_ctx *c, const struct field_info *f,
		    struct json_object *v)
{
	size_t n;
	int64_t day;
	struct json_object *item;

	if (!json_object_is_type(v, json_type_array))
		return PROBLEM(c, f->name, N_("must be a list of days such as [1, 3, 5]"));
	n = json_object_array_length(v);
	card_unset(c->card, f->id);
	c->card->set |= FIELD_BIT(f->id); /* [] is a value (an invalid one) */
	for (size_t i = 0; i < n; i++) {
		item = json_object_array_get_idx(v, i);
		day = json_object_get_int64(item);
		if (!json_object_is_type(item, json_type_int) || day < 0 ||
		    day > 255) {
			card_unset(c->card, f->id);
			return PROBLEM(c, f->name, N_("must be a list of days 1 to 7"));
		}
		if (!card_add_day(c->card, (int)day)) {
			card_unset(c->card, f->id);
			return PROBLEM(c, f->name, N_("more than 7 days are listed"));
		}
	}
	return 0;
}

/* Why name (NULL when not a usable string) could not be added. */
static int category_problem(struct json_ctx *c, const struct field_info *f,
			    const char *name, int cat)
{
	if (!name)
		return PROBLEM(c, f->name, N_("must be a list of category names"));
	if (cat < 0)
		return PROBLEM(c, f->name, N_("\"%s\" is not a known merchant category"),
			       name);
	return PROBLEM(c, f->name, N_("too many categories"));
}

static int set_categories(struct json_ctx *c, const struct field_info *f,
			  struct json_object *v)
{
	char *name = NULL;
	int cat, rc = 0;
	size_t n;

	if (!json_object_is_type(v, json_type_array))
		return PROBLEM(c, f->name, N_("must be a list of category names"));
	n = json_object_array_length(v);
	card_unset(c->card, f->id);
	c->card->set |= FIELD_BIT(f->id);
	for (size_t i = 0; i < n; i++) {
		if (!copy_text(json_object_array_get_idx(v, i), &name))
			return -1;
		cat = name ? catalog_category_find(name) : -1;
		if (cat < 0 || !card_add_category(c->card, cat)) {
			card_unset(c->card, f->id);
			rc = category_problem(c, f, name, cat);
			break;
		}
		free(name);
		name = NULL;
	}
	free(name);
	return rc;
}

static int set_level(struct json_ctx *c, const struct field_info *f,
		     const char *s)
{
	enum card_level level;

	if (!level_parse(s, &level))
		return PROBLEM(c, f->name,
			       N_("\"%s\" is not a card level (standard, plus, "
				  "metal, virtual, virtual_partner, flash, "
				  "advertising)"),
			       s);
	card_set_level(c->card, level);
	return 0;
}

static int set_field(struct json_ctx *c, const struct field_info *f,
		     struct json_object *v)
{
	char *s = NULL;
	int rc;

	if (!v) { /* null: "not sent", except where null is a value */
		if (f->flags & FF_NULLABLE)
			card_set_null(c->card, f->id);
		return 0;
	}
	switch (f->kind) {
	case KIND_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			return PROBLEM(c, f->name, N_("must be true or false, without quotes"));
		card_set_bool(c->card, f->id, json_object_get_boolean(v));
		return 0;
	case KIND_EUROS:
		return set_euros(c, f, v);
	case KIND_DAYS:
		return set_days(c, f, v);
	case KIND_CATEGORIES:
		return set_categories(c, f, v);
	default:
		break;
	}
	if (!copy_text(v, &s))
		return -1;
	if (!s && json_object_is_type(v, json_type_string))
		return PROBLEM(c, f->name, N_("must be a string of valid UTF-8 text "
					      "without NUL characters"));
	if (!s)
		return PROBLEM(c, f->name, N_("must be a string"));
	if (f->kind == KIND_LEVEL)
		rc = set_level(c, f, s);
	else
		rc = reader_set_checked_text(c->card, c->index, f->id, s,
					     c->problems);
	free(s);
	return rc;
}

/* A refused value as a person would type it in a form or a CSV cell: a
 * string as it is, a list joined by ';', anything else as JSON; NULL when
 * it is no text (not UTF-8, or memory ran out). Owned. */
static char *refused_text(struct json_object *v)
{
	struct strbuf joined = { 0 };
	char *s = NULL, *item;

	if (json_object_is_type(v, json_type_string)) {
		(void)copy_text(v, &s);
		return s;
	}
	if (!json_object_is_type(v, json_type_array))
		return strdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	strbuf_add(&joined, "", 0);
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		item = refused_text(json_object_array_get_idx(v, i));
		if (i)
			strbuf_add(&joined, ";", 1);
		strbuf_str(&joined, item ? item : "");
		free(item);
	}
	if (joined.failed)
		strbuf_free(&joined);
	return joined.data;
}

static int set_checked(struct json_ctx *c, const struct field_info *f,
		       struct json_object *v)
{
	size_t before = c->problems->n;
	int rc = set_field(c, f, v);
	bool refused = c->problems->n > before;
	char *text = refused ? refused_text(v) : NULL;

	if (reader_mark(c->card, f->id, refused, text) < 0)
		rc = -1;
	free(text);
	return rc;
}

static int unknown_key(struct json_ctx *c, const char *prefix, const char *key)
{
	char name[64];

	snprintf(name, sizeof(name), "%s%s", prefix, key);
	return PROBLEM(c, name, N_("unknown field \"%s\"; field names are those "
				   "of the Qonto API"),
		       name);
}

static int read_address(struct json_ctx *c, struct json_object *addr)
{
	const struct field_info *f;
	char name[80];
	int rc = 0;

	if (!json_object_is_type(addr, json_type_object))
		return PROBLEM(c, "address", N_("must be an object with first_line, "
						"zipcode, city and country"));
	json_object_object_foreach(addr, key, val)
	{
		snprintf(name, sizeof(name), "address.%s", key);
		f = field_by_name(name);
		if (!f || !(f->flags & FF_ADDRESS))
			rc = unknown_key(c, "address.", key);
		else
			rc = set_checked(c, f, val);
		if (rc < 0)
			break;
	}
	return rc;
}

static int read_card(struct json_ctx *c, struct json_object *obj)
{
	const struct field_info *f;
	int rc = 0;

	json_object_object_foreach(obj, key, val)
	{
		if (strcmp(key, "address") == 0) {
			if (val)
				rc = read_address(c, val);
			continue;
		}
		f = field_by_name(key);
		if (!f || (f->flags & FF_ADDRESS))
			rc = unknown_key(c, "", key);
		else
			rc = set_checked(c, f, val);
		if (rc < 0)
			break;
	}
	return rc;
}

int reader_json_item(struct order *order, struct json_object *item, size_t position,
		     size_t index, struct problem_list *problems)
{
	struct json_object *inner;
	struct json_ctx c = { .index = index, .problems = problems };

	/* {"card": {...}} is the wrapped form; anything else is flat. */
	if (json_object_is_type(item, json_type_object) &&
	    json_object_object_length(item) == 1 &&
	    json_object_object_get_ex(item, "card", &inner))
		item = inner;
	if (!json_object_is_type(item, json_type_object))
		return problems_add(problems, SEVERITY_ERROR, PROBLEM_NO_CARD,
				    (unsigned)position, "",
				    "card %zu is not a JSON object such as "
				    "{\"card\": {...}}",
				    position);
	c.card = order_add_card(order);
	if (!c.card)
		return -1;
	c.card->row = (unsigned)position;
	return read_card(&c, item);
}

/* Parses the file into *root (owned; NULL for a JSON null). */
static enum status parse(const char *data, size_t len,
			 struct json_object **root, struct status_error *err)
{
	struct jparse_info info;
	enum jparse r;
	char *copy;

	*root = NULL;
	if (len > READER_MAX_BYTES)
		return status_set(err, STATUS_TOO_LARGE,
				  "the file is too large");
	copy = malloc(len + 1); /* json-c needs a NUL after the text */
	if (!copy)
		return status_set(err, STATUS_NOMEM, NULL);
	if (len > 0)
		memcpy(copy, data, len);
	copy[len] = '\0';
	r = json_parse_limited(copy, len, JSON_MAX_DEPTH, root, &info);
	free(copy);
	switch (r) {
	case JPARSE_OK:
		return STATUS_OK;
	case JPARSE_NOMEM:
		return status_set(err, STATUS_NOMEM, NULL);
	case JPARSE_EMPTY:
		return status_set(err, STATUS_FORMAT,
				  "the file is empty: a JSON order is "
				  "{\"cards\": [{\"card\": {...}}, ...]}");
	case JPARSE_DEPTH:
		return status_set(err, STATUS_TOO_LARGE,
				  "the JSON is not valid near byte %zu: it is nested "
				  "too deeply",
				  info.at);
	case JPARSE_SYNTAX:
		return status_set(err, STATUS_FORMAT,
				  /* TRANSLATORS: %s is the JSON library's reason,
				     in English. */
				  "the JSON is not valid near byte %zu: %s",
				  info.at, json_parse_describe(r, &info));
	case JPARSE_NUL:
		return status_set(err, STATUS_FORMAT,
				  "the JSON is not valid: it holds a NUL byte");
	default: /* NaN or Infinity */
		return status_set(err, STATUS_FORMAT,
				  "the JSON is not valid: it holds NaN or Infinity");
	}
}

/* json-c keeps the last of two values of one key: which one the person
 * meant is not known, so a key given twice is an error, never last-wins. */
static enum status duplicate_keys(const char *data, size_t len,
				  const struct order *order,
				  struct problem_list *problems,
				  struct status_error *err)
{
	struct json_dup dup;
	size_t card = PROBLEM_NO_CARD;

	if (!json_duplicate_key(data, len, &dup))
		return STATUS_OK;
	if (!dup.in_item)
		return status_set(err, STATUS_FORMAT,
				  "the key \"%s\" is given twice in the order; give "
				  "it once", dup.key);
	for (size_t i = 0; i < order->n_cards; i++)
		if (order->cards[i].row == dup.item + 1)
			card = i;
	if (problems_add(problems, SEVERITY_ERROR, card, (unsigned)(dup.item + 1),
			 dup.key, "\"%s\" is given twice in this card: which value "
				  "is meant is not known; give it once",
			 dup.key) < 0)
		return status_set(err, STATUS_NOMEM, NULL);
	return STATUS_OK;
}

enum status reader_read_json(const char *data, size_t len, struct order *order,
			     struct problem_list *problems,
			     struct status_error *err)
{
	struct json_object *root, *cards = NULL;
	enum status st;
	size_t n;

	st = parse(data, len, &root, err); /* skips a BOM */
	if (st != STATUS_OK)
		return st;
	if (json_object_is_type(root, json_type_array))
		cards = root;
	else if (!json_object_is_type(root, json_type_object) ||
		 !json_object_object_get_ex(root, "cards", &cards) ||
		 !json_object_is_type(cards, json_type_array)) {
		st = status_set(err, STATUS_FORMAT,
				"a JSON order is {\"cards\": [{\"card\": "
				"{...}}, ...]}, and this file has no "
				"\"cards\" list");
		goto out;
	}
	n = json_object_array_length(cards);
	for (size_t i = 0; i < n; i++) {
		if (reader_json_item(order, json_object_array_get_idx(cards, i), i + 1,
				     order->n_cards, problems) < 0) {
			st = status_set(err, STATUS_NOMEM, NULL);
			goto out;
		}
	}
	st = duplicate_keys(data, len, order, problems, err);
out:
	json_object_put(root);
	return st;
}
