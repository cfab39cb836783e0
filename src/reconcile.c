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
	char **ambiguous;      /* one per item: why it is not taken, or NULL */
	json_object **doubt;   /* listed cards that could be another order's
				  (owned refs), weighed once the listing is
				  read: a card of this request's own comes
				  first */
	char **doubt_why;
	size_t n_doubt, cap_doubt;
	bool weighed;
	time_t first_sent;     /* this machine's clock */
	const struct claims *claims;
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

/* true, false, or "true" / "false". */
static bool boolean(json_object *v, bool *out)
{
	const char *t;

	if (json_object_is_type(v, json_type_boolean)) {
		*out = json_object_get_boolean(v);
		return true;
	}
	t = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
	if (strcmp(t, "true") == 0 || strcmp(t, "false") == 0) {
		*out = t[0] == 't';
		return true;
	}
	return false;
}

/* An array element as comparable text: numbers by value. */
static void element_text(json_object *v, char *out, size_t cap)
{
	int64_t n;

	if (!json_object_is_type(v, json_type_string) && whole(v, &n))
		snprintf(out, cap, "%lld", (long long)n);
	else
		snprintf(out, cap, "%s", json_object_is_type(v, json_type_string)
						 ? json_object_get_string(v)
						 : json_object_to_json_string(v));
}

static int by_text(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

#define SET_MAX 16
#define SET_TEXT 48

/* The same elements, in any order (active days, categories). */
static bool same_set(json_object *a, json_object *b)
{
	char x[SET_MAX][SET_TEXT], y[SET_MAX][SET_TEXT];
	size_t n = json_object_array_length(a);

	if (!json_object_is_type(b, json_type_array) || json_object_array_length(b) != n)
		return false;
	if (n > SET_MAX)
		return json_object_equal(a, b);
	for (size_t i = 0; i < n; i++) {
		element_text(json_object_array_get_idx(a, i), x[i], SET_TEXT);
		element_text(json_object_array_get_idx(b, i), y[i], SET_TEXT);
	}
	qsort(x, n, SET_TEXT, by_text);
	qsort(y, n, SET_TEXT, by_text);
	for (size_t i = 0; i < n; i++)
		if (strcmp(x[i], y[i]) != 0)
			return false;
	return true;
}

/* One asked value against the card's. The card object returns every
 * field a request sets (but the address): one left out or null is no
 * proof, so no match. */
static bool same_value(const char *key, json_object *a, json_object *b)
{
	int64_t x, y;
	bool p, q;
	time_t s, t;

	if (!b || json_object_is_type(b, json_type_null))
		return false;
	switch (json_object_get_type(a)) {
	case json_type_int:
	case json_type_double:
		return whole(a, &x) && whole(b, &y) && x == y;
	case json_type_boolean:
		return boolean(a, &p) && boolean(b, &q) && p == q;
	case json_type_array:
		return same_set(a, b);
	case json_type_string:
		if (strcmp(key, "pre_expires_at") == 0 &&
		    value_parse_datetime(json_object_get_string(a), &s) &&
		    json_object_is_type(b, json_type_string) &&
		    value_parse_datetime(json_object_get_string(b), &t))
			return s == t;
		return json_object_is_type(b, json_type_string) &&
		       strcmp(json_object_get_string(a), json_object_get_string(b)) == 0;
	default:
		return true; /* the address: not in the card object */
	}
}

bool reconcile_fits(json_object *asked, json_object *card)
{
	json_object_object_foreach(asked, key, value) {
		if (strcmp(key, "ship_to_business") == 0 || strcmp(key, "address") == 0)
			continue; /* not part of the card object */
		if (!same_value(key, value, json_member(card, key)))
			return false;
	}
	return true;
}

enum status reconcile_new(struct reconcile **out, const char *body, size_t len,
			  time_t since, const struct claims *claims,
			  struct status_error *err)
{
	struct reconcile *rc = calloc(1, sizeof(*rc));
	const char *h;

	if (!rc)
		return status_set(err, STATUS_NOMEM, NULL);
	rc->first_sent = since;
	rc->claims = claims;
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
	rc->ambiguous = calloc(rc->n ? rc->n : 1, sizeof(*rc->ambiguous)); /* NOLINT(bugprone-sizeof-expression) */
	if (!rc->matched || !rc->holders || !rc->ambiguous) {
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
	for (size_t i = 0; rc->ambiguous && i < rc->n; i++)
		free(rc->ambiguous[i]);
	for (size_t i = 0; i < rc->n_doubt; i++) {
		json_object_put(rc->doubt[i]);
		free(rc->doubt_why[i]);
	}
	free(rc->doubt);
	free(rc->doubt_why);
	free(rc->matched);
	free(rc->ambiguous);
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

/* Another order's unknown request this card fits, created after that
 * request was first sent (skew: Qonto's clock minus this machine's). */
static const struct claims_rival *rival_of(const struct reconcile *rc,
					   json_object *card, time_t when,
					   long skew)
{
	const struct claims_rival *rv;

	for (size_t k = 0; rc->claims && k < rc->claims->n_rivals; k++) {
		rv = &rc->claims->rivals[k];
		if (when < rv->first_sent + skew - RECONCILE_SECOND_SLACK)
			continue;
		for (size_t i = 0; i < json_object_array_length(rv->items); i++)
			if (reconcile_fits(submit_item_card(json_object_array_get_idx(rv->items, i)),
					   card))
				return rv;
	}
	return NULL;
}

/* Keeps a card that could be another order's, to be weighed at the end. */
static void doubt(struct reconcile *rc, json_object *card,
		  const struct claims_rival *rv)
{
	char why[300], **w;
	json_object **c;

	if (rc->n_doubt == rc->cap_doubt) {
		size_t cap = rc->cap_doubt ? rc->cap_doubt * 2 : 8;

		/* arrays of pointers: sizeof(pointer) is meant */
		c = reallocarray(rc->doubt, cap, sizeof(*c)); /* NOLINT(bugprone-sizeof-expression) */
		if (c)
			rc->doubt = c;
		w = reallocarray(rc->doubt_why, cap, sizeof(*w)); /* NOLINT(bugprone-sizeof-expression) */
		if (w)
			rc->doubt_why = w;
		if (!c || !w)
			return; /* out of memory: not taken, so never twice */
		rc->cap_doubt = cap;
	}
	snprintf(why, sizeof(why),
		 "card %s could have been created by this order or by request %u "
		 "of order %s, whose outcome is unknown too; check it in Qonto, "
		 "then resume order %s",
		 str(card, "id"), rv->request, rv->order_id, rv->order_id);
	if (!(rc->doubt_why[rc->n_doubt] = strdup(why)))
		return;
	rc->doubt[rc->n_doubt++] = json_object_get(card);
}

/* The first free card of the request that this listed card fits is
 * taken; a card that another unsettled order could have made waits. */
static void match(struct reconcile *rc, json_object *card, time_t when, long skew)
{
	const struct claims_rival *rv = rival_of(rc, card, when, skew);

	for (size_t i = 0; i < rc->n; i++) {
		json_object *asked = submit_item_card(json_object_array_get_idx(rc->items, i));

		if (rc->matched[i] || !reconcile_fits(asked, card))
			continue;
		if (rv)
			doubt(rc, card, rv);
		else
			rc->matched[i] = json_object_get(card);
		return;
	}
}

/* The request's cards not matched to one of its own that a doubtful card
 * fits are ambiguous: reported with both orders, never taken. */
static void weigh(struct reconcile *rc)
{
	if (rc->weighed)
		return;
	rc->weighed = true;
	for (size_t k = 0; k < rc->n_doubt; k++)
		for (size_t i = 0; i < rc->n; i++) {
			json_object *asked = submit_item_card(json_object_array_get_idx(rc->items, i));

			if (rc->matched[i] || rc->ambiguous[i] ||
			    !reconcile_fits(asked, rc->doubt[k]))
				continue;
			rc->ambiguous[i] = strdup(rc->doubt_why[k]);
			break;
		}
}

enum status reconcile_page(struct reconcile *rc, const char *body, size_t len,
			   time_t server_date, time_t local_date,
			   const struct results *known, unsigned *next_page,
			   struct status_error *err)
{
	json_object *root = NULL, *cards, *card, *next;
	bool older = false;
	const char *id, *created;
	time_t when, cutoff;
	long skew = 0;

	/* Qonto's clock when the request was first sent, measured rather
	 * than guessed: the Date header is stamped before the answer
	 * travels, so a slow network only makes the window wider. */
	if (server_date > 0 && local_date > 0) {
		skew = (long)(server_date - local_date);
		cutoff = rc->first_sent + skew - RECONCILE_SECOND_SLACK;
	} else {
		cutoff = rc->first_sent - RECONCILE_CLOCK_SLACK;
	}
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
		if (when < cutoff) {
			older = true; /* sorted newest first: nothing further */
			continue;
		}
		if (!known_id(known, rc, id) &&
		    !(rc->claims && claims_taken(rc->claims, id)))
			match(rc, card, when, skew);
	}
	next = json_member(json_member(root, "meta"), "next_page");
	if (!older && json_object_is_type(next, json_type_int) &&
	    json_object_get_int64(next) > 1 &&
	    json_object_get_int64(next) <= RECONCILE_MAX_PAGES)
		*next_page = (unsigned)json_object_get_int64(next);
	json_object_put(root);
	return STATUS_OK;
}

size_t reconcile_ambiguous(struct reconcile *rc)
{
	size_t n = 0;

	weigh(rc);
	for (size_t i = 0; i < rc->n; i++)
		n += rc->ambiguous[i] != NULL;
	return n;
}

static json_object *error_entry(const char *code, const char *detail)
{
	json_object *entry = json_object_new_object(), *errors = json_object_new_array();
	json_object *e = json_object_new_object();

	json_object_object_add(e, "code", json_object_new_string(code));
	json_object_object_add(e, "detail", json_object_new_string(detail));
	json_object_array_add(errors, e);
	json_object_object_add(entry, "errors", errors);
	return entry;
}

enum status reconcile_answer(struct reconcile *rc, char **answer,
			     size_t *len, unsigned *pos, unsigned *n_pos,
			     struct status_error *err)
{
	json_object *root = json_object_new_object(), *list = json_object_new_array();
	json_object *entry;
	const char *text;

	*n_pos = 0;
	weigh(rc);
	json_object_object_add(root, "cards", list);
	json_object_object_add(root, "reconciled", json_object_new_boolean(1));
	for (size_t i = 0; i < rc->n; i++) {
		if (rc->matched[i]) {
			entry = json_object_new_object();
			json_object_object_add(entry, "card", json_object_get(rc->matched[i]));
		} else if (rc->ambiguous[i]) {
			entry = error_entry(RECONCILE_AMBIGUOUS_CODE, rc->ambiguous[i]);
		} else {
			entry = error_entry(SUBMIT_RESENT_CODE,
					    "not found in Qonto after the outcome "
					    "was unknown; sent again");
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
