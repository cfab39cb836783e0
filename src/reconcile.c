/* reconcile.c: matching listed cards to a request's cards. */
#include "config.h"

#include "reconcile.h"
#include "i18n.h"
#include "jsonutil.h"
#include "submit_internal.h"
#include "values.h"

#include <stdarg.h>
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
	bool *elsewhere;       /* one per item: a later request decides it */
	json_object **doubt;   /* listed cards that could be another order's,
				  or near misses (owned refs), weighed once
				  the listing is read: a card of this
				  request's own comes first */
	char **doubt_why;
	bool *doubt_near;      /* fits by holder and level only */
	size_t n_doubt, cap_doubt;
	bool doubt_lost;       /* memory ran out keeping one */
	bool incomplete;       /* the list could not be read to its end */
	bool weighed;
	unsigned page;         /* the page being read */
	time_t first_sent;     /* this machine's clock */
	bool has_skew;
	long skew;
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
			  const struct reconcile_setup *setup,
			  struct status_error *err)
{
	struct reconcile *rc = calloc(1, sizeof(*rc));
	const char *h;

	if (!rc)
		return status_set(err, STATUS_NOMEM, NULL);
	rc->first_sent = setup->since;
	rc->has_skew = setup->has_skew;
	rc->skew = setup->skew;
	rc->claims = setup->claims;
	rc->page = 1;
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
	rc->elsewhere = calloc(rc->n ? rc->n : 1, sizeof(*rc->elsewhere));
	if (!rc->matched || !rc->holders || !rc->ambiguous || !rc->elsewhere) {
		reconcile_free(rc);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	for (size_t i = 0; setup->elsewhere && i < rc->n; i++)
		rc->elsewhere[i] = setup->elsewhere[i];
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
	free(rc->doubt_near);
	free(rc->elsewhere);
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
					   "&per_page=%d&page=%u",
				RECONCILE_PER_PAGE, page);
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

/* Keeps a card to be weighed at the end (why: owned, may be NULL). */
static void doubt(struct reconcile *rc, json_object *card, char *why, bool near)
{
	char **w;
	json_object **c;
	bool *nr;

	if (why && rc->n_doubt == rc->cap_doubt) {
		size_t cap = rc->cap_doubt ? rc->cap_doubt * 2 : 8;

		/* arrays of pointers: sizeof(pointer) is meant */
		c = reallocarray(rc->doubt, cap, sizeof(*c)); /* NOLINT(bugprone-sizeof-expression) */
		if (c)
			rc->doubt = c;
		w = reallocarray(rc->doubt_why, cap, sizeof(*w)); /* NOLINT(bugprone-sizeof-expression) */
		if (w)
			rc->doubt_why = w;
		nr = reallocarray(rc->doubt_near, cap, sizeof(*nr));
		if (nr)
			rc->doubt_near = nr;
		if (c && w && nr)
			rc->cap_doubt = cap;
	}
	if (!why || rc->n_doubt == rc->cap_doubt) {
		/* never taken, so never twice; and what it could be is not
		 * sent again either (see weigh) */
		free(why);
		rc->doubt_lost = true;
		return;
	}
	rc->doubt[rc->n_doubt] = json_object_get(card);
	rc->doubt_why[rc->n_doubt] = why;
	rc->doubt_near[rc->n_doubt++] = near;
}

static char *text_of(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *text_of(const char *fmt, ...)
{
	char *out = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&out, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : out;
}

static size_t asked_count(json_object *asked)
{
	return (size_t)json_object_object_length(asked);
}

static bool same_identity(json_object *asked, json_object *card)
{
	const char *h = str(asked, "holder_id"), *l = str(asked, "card_level");

	return h && l && str(card, "holder_id") && str(card, "card_level") &&
	       strcmp(h, str(card, "holder_id")) == 0 &&
	       strcmp(l, str(card, "card_level")) == 0;
}

/* True when a card fits one of this order's other requests: theirs. */
static bool fits_own(const struct reconcile *rc, json_object *card)
{
	for (size_t k = 0; rc->claims && k < rc->claims->n_own; k++) {
		json_object *items = rc->claims->own_items[k];

		for (size_t i = 0; i < json_object_array_length(items); i++)
			if (reconcile_fits(submit_item_card(json_object_array_get_idx(items, i)),
					   card))
				return true;
	}
	return false;
}

/* A listed card: taken by the free card of the request that it fits and
 * that asked the most of it; kept as a doubt when another unsettled order
 * could have made it, or when it fits none but is for a holder and level
 * of the request (Qonto may have changed a value it was asked). */
static void match(struct reconcile *rc, json_object *card, time_t when, long skew)
{
	const struct claims_rival *rv = rival_of(rc, card, when, skew);
	size_t best = rc->n, best_n = 0;
	bool near = false;

	for (size_t i = 0; i < rc->n; i++) {
		json_object *asked = submit_item_card(json_object_array_get_idx(rc->items, i));

		if (rc->matched[i] || rc->elsewhere[i])
			continue;
		if (reconcile_fits(asked, card)) {
			if (best == rc->n || asked_count(asked) > best_n) {
				best = i;
				best_n = asked_count(asked);
			}
		} else if (same_identity(asked, card)) {
			near = true;
		}
	}
	if (best < rc->n && !rv) {
		rc->matched[best] = json_object_get(card);
		return;
	}
	if (best < rc->n)
		doubt(rc, card,
		      text_of("card %s could have been created by this order or by "
			      "request %u of order %s, whose outcome is unknown too; "
			      "check it in Qonto, then resume order %s",
			      str(card, "id"), rv->request, rv->order_id, rv->order_id),
		      false);
	else if (near && !fits_own(rc, card))
		doubt(rc, card,
		      text_of("card %s was made for this holder and level after the "
			      "request was sent, but not with every value asked (Qonto "
			      "may have changed one): check in Qonto whether it is "
			      "this card, then resume", str(card, "id")),
		      true);
}

/* The request's cards that no card of their own was found for, and that
 * a doubtful card fits, are ambiguous: reported, never taken. When the
 * list was not read to its end (or a doubt was lost), every card not
 * found is. */
static void weigh(struct reconcile *rc)
{
	if (rc->weighed)
		return;
	rc->weighed = true;
	for (size_t k = 0; k < rc->n_doubt; k++)
		for (size_t i = 0; i < rc->n; i++) {
			json_object *asked = submit_item_card(json_object_array_get_idx(rc->items, i));

			if (rc->matched[i] || rc->ambiguous[i] || rc->elsewhere[i] ||
			    !(rc->doubt_near[k] ? same_identity(asked, rc->doubt[k])
						: reconcile_fits(asked, rc->doubt[k])))
				continue;
			rc->ambiguous[i] = strdup(rc->doubt_why[k]);
			if (!rc->ambiguous[i])
				rc->doubt_lost = true;
			break;
		}
	/* English: the answer's JSON "detail" (kept in the order's files),
	 * then the results export; N_: a screen translates it where it
	 * shows it */
	for (size_t i = 0; (rc->incomplete || rc->doubt_lost) && i < rc->n; i++)
		if (!rc->matched[i] && !rc->ambiguous[i] && !rc->elsewhere[i])
			rc->ambiguous[i] = strdup(
				rc->incomplete ? N_("Qonto's list of cards could not be "
						    "read to its end: check in Qonto "
						    "whether this card was created, then "
						    "resume")
					       : N_("out of memory while checking Qonto's "
						    "cards: resume"));
}

/* A card already kept as a doubt (a card can show on two pages). */
static bool doubted(const struct reconcile *rc, const char *id)
{
	for (size_t k = 0; k < rc->n_doubt; k++) {
		const char *other = str(rc->doubt[k], "id");

		if (other && strcmp(other, id) == 0)
			return true;
	}
	return false;
}

enum status reconcile_page(struct reconcile *rc, const char *body, size_t len,
			   time_t server_date, time_t local_date,
			   const struct results *known, unsigned *next_page,
			   struct status_error *err)
{
	json_object *root = NULL, *cards, *card, *next;
	bool older = false, said;
	const char *id, *created;
	time_t when, cutoff;
	long skew = 0;

	/* Qonto's clock when the request was first sent, measured rather
	 * than guessed: from an answer just before it was sent (journalled
	 * with it), else from this page. A Date header is stamped before the
	 * answer travels, so a slow network only makes the window wider. */
	if (server_date > 0 && local_date > 0)
		skew = (long)(server_date - local_date);
	if (rc->has_skew)
		cutoff = rc->first_sent + rc->skew - RECONCILE_SECOND_SLACK;
	else if (server_date > 0 && local_date > 0)
		cutoff = rc->first_sent + skew - RECONCILE_SECOND_SLACK;
	else
		cutoff = rc->first_sent - RECONCILE_CLOCK_SLACK;
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
		if (!known_id(known, rc, id) && !doubted(rc, id) &&
		    !(rc->claims && claims_taken(rc->claims, id)))
			match(rc, card, when, skew);
	}
	next = NULL;
	said = json_object_object_get_ex(json_member(root, "meta"), "next_page", &next);
	if (!older && json_object_is_type(next, json_type_int)) {
		int64_t n = json_object_get_int64(next);

		if (n > (int64_t)rc->page && n <= RECONCILE_MAX_PAGES)
			*next_page = rc->page = (unsigned)n;
		else
			rc->incomplete = true; /* too long, or going round */
	} else if (!older && (!said || next) &&
		   json_object_array_length(cards) >= RECONCILE_PER_PAGE) {
		rc->incomplete = true; /* a full page, and no word of the next */
	}
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
		} else if (rc->elsewhere[i]) {
			entry = error_entry(SUBMIT_RESENT_CODE,
					    "carried by a later request, which decides it");
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
