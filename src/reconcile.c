/* reconcile.c: matching listed cards to a request's cards. */
#include "config.h"

#include "reconcile.h"
#include "jsonutil.h"
#include "submit_internal.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_DEPTH 16

struct reconcile {
	json_object *root;     /* the request body */
	json_object *items;    /* borrowed from root */
	size_t n;
	json_object **matched; /* one per item: an owned ref, or NULL */
	time_t since;
	const char **holders;  /* distinct holder ids (borrowed from root) */
	size_t n_holders;
};

static const char *str(json_object *obj, const char *key)
{
	json_object *v = json_member(obj, key);

	return json_object_is_type(v, json_type_string) ? json_object_get_string(v)
							 : NULL;
}

/* A whole number however Qonto writes it: 1000, 1000.0 or "1000". */
static bool whole(json_object *v, int64_t *out)
{
	double d;

	switch (json_object_get_type(v)) {
	case json_type_int:
		*out = json_object_get_int64(v);
		return true;
	case json_type_double:
	case json_type_string:
		d = json_object_get_double(v);
		if (d != d || d < -1e15 || d > 1e15 || d != (double)(int64_t)d)
			return false;
		*out = (int64_t)d;
		return true;
	default:
		return false;
	}
}

static bool same_int(json_object *a, json_object *b, const char *key)
{
	json_object *va = json_member(a, key), *vb = json_member(b, key);
	int64_t x, y;

	if (!json_object_is_type(va, json_type_int))
		return true; /* not asked: whatever Qonto chose */
	return whole(va, &x) && whole(vb, &y) && x == y;
}

static bool same_str(json_object *a, json_object *b, const char *key)
{
	const char *sa = str(a, key), *sb = str(b, key);

	return sa && sb && strcmp(sa, sb) == 0;
}

enum status reconcile_new(struct reconcile **out, const char *body, size_t len,
			  time_t since, struct status_error *err)
{
	struct reconcile *rc = calloc(1, sizeof(*rc));
	const char *h;

	if (!rc)
		return status_set(err, STATUS_NOMEM, NULL);
	rc->since = since - RECONCILE_CLOCK_SLACK;
	rc->root = submit_body_items(body, len, &rc->items);
	if (!rc->root) {
		free(rc);
		return status_set(err, STATUS_FORMAT, "a saved request body is not "
						      "readable");
	}
	rc->n = json_object_array_length(rc->items);
	/* arrays of pointers: sizeof(pointer) is meant */
	rc->matched = calloc(rc->n ? rc->n : 1, sizeof(*rc->matched)); /* NOLINT(bugprone-sizeof-expression) */
	rc->holders = calloc(rc->n ? rc->n : 1, sizeof(*rc->holders)); /* NOLINT(bugprone-sizeof-expression) */
	if (!rc->matched || !rc->holders) {
		reconcile_free(rc);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	for (size_t i = 0; i < rc->n; i++) {
		bool seen;

		h = str(submit_item_card(json_object_array_get_idx(rc->items, i)),
			"holder_id");
		if (!h)
			continue;
		seen = false;

		for (size_t k = 0; !seen && k < rc->n_holders; k++)
			/* entries below n_holders are always set */
			seen = strcmp(rc->holders[k], h) == 0; /* NOLINT(clang-analyzer-core.NonNullParamChecker) */
		if (!seen)
			rc->holders[rc->n_holders++] = h;
	}
	*out = rc;
	return STATUS_OK;
}

void reconcile_free(struct reconcile *rc)
{
	if (!rc)
		return;
	for (size_t i = 0; rc->matched && i < rc->n; i++)
		json_object_put(rc->matched[i]);
	free(rc->matched);
	free(rc->holders);
	json_object_put(rc->root);
	free(rc);
}

char *reconcile_path(const struct reconcile *rc, unsigned page)
{
	size_t cap = 128 + rc->n_holders * 80, used;
	char *path = malloc(cap);

	if (!path)
		return NULL;
	used = (size_t)snprintf(path, cap, "/v2/cards?sort_by=created_at:desc"
					   "&per_page=100&page=%u",
				page);
	for (size_t k = 0; k < rc->n_holders && used < cap; k++)
		used += (size_t)snprintf(path + used, cap - used, "&holder_ids[]=%s",
					 rc->holders[k]);
	return path;
}

static bool known_id(const struct results *known, const struct reconcile *rc,
		     const char *id)
{
	for (size_t i = 0; i < known->n; i++)
		if (known->cards[i].state == RESULT_CREATED && known->cards[i].card.id &&
		    strcmp(known->cards[i].card.id, id) == 0)
			return true;
	for (size_t i = 0; i < rc->n; i++) {
		const char *mine = rc->matched[i] ? str(rc->matched[i], "id") : NULL;

		if (mine && strcmp(mine, id) == 0)
			return true;
	}
	return false;
}

/* The first unmatched card of the request that this listed card fits. */
static void match(struct reconcile *rc, json_object *card)
{
	for (size_t i = 0; i < rc->n; i++) {
		json_object *asked = submit_item_card(json_object_array_get_idx(rc->items, i));

		if (rc->matched[i] || !same_str(asked, card, "holder_id") ||
		    !same_str(asked, card, "card_level") ||
		    !same_int(asked, card, "payment_monthly_limit") ||
		    !same_int(asked, card, "payment_lifespan_limit") ||
		    !same_int(asked, card, "atm_monthly_limit"))
			continue;
		rc->matched[i] = json_object_get(card);
		return;
	}
}

enum status reconcile_page(struct reconcile *rc, const char *body, size_t len,
			   const struct results *known, unsigned *next_page,
			   struct status_error *err)
{
	json_object *root = NULL, *cards, *card, *next;
	bool older = false;
	const char *id, *created;
	time_t when;

	*next_page = 0;
	if (json_parse_limited(body, len, LIST_DEPTH, &root, NULL) != JPARSE_OK ||
	    !json_object_is_type(cards = json_member(root, "cards"), json_type_array)) {
		json_object_put(root);
		return status_set(err, STATUS_BAD_RESPONSE,
				  "Qonto's list of cards could not be read");
	}
	for (size_t i = 0; i < json_object_array_length(cards); i++) {
		card = json_object_array_get_idx(cards, i);
		id = str(card, "id");
		created = str(card, "created_at");
		if (!id || !created || !value_parse_datetime(created, &when))
			continue;
		if (when < rc->since) {
			older = true; /* sorted newest first: nothing further */
			continue;
		}
		if (!known_id(known, rc, id))
			match(rc, card);
	}
	next = json_member(json_member(root, "meta"), "next_page");
	if (!older && json_object_is_type(next, json_type_int) &&
	    json_object_get_int64(next) > 1 &&
	    json_object_get_int64(next) <= RECONCILE_MAX_PAGES)
		*next_page = (unsigned)json_object_get_int64(next);
	json_object_put(root);
	return STATUS_OK;
}

static json_object *resent_entry(void)
{
	json_object *entry = json_object_new_object(), *errors = json_object_new_array();
	json_object *e = json_object_new_object();

	json_object_object_add(e, "code", json_object_new_string(SUBMIT_RESENT_CODE));
	json_object_object_add(e, "detail", json_object_new_string(
						   "not found in Qonto after the "
						   "outcome was unknown; sent again"));
	json_object_array_add(errors, e);
	json_object_object_add(entry, "errors", errors);
	return entry;
}

enum status reconcile_answer(const struct reconcile *rc, char **answer,
			     size_t *len, unsigned *pos, unsigned *n_pos,
			     struct status_error *err)
{
	json_object *root = json_object_new_object(), *list = json_object_new_array();
	json_object *entry;
	const char *text;

	*n_pos = 0;
	json_object_object_add(root, "cards", list);
	json_object_object_add(root, "reconciled", json_object_new_boolean(1));
	for (size_t i = 0; i < rc->n; i++) {
		if (rc->matched[i]) {
			entry = json_object_new_object();
			json_object_object_add(entry, "card", json_object_get(rc->matched[i]));
		} else {
			entry = resent_entry();
			pos[(*n_pos)++] = (unsigned)i;
		}
		json_object_array_add(list, entry);
	}
	text = json_object_to_json_string_length(
		root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
	*answer = text ? strndup(text, *len) : NULL;
	json_object_put(root);
	if (!*answer)
		return status_set(err, STATUS_NOMEM, NULL);
	return STATUS_OK;
}
