/* lists.c: the read endpoints: organisation, bank accounts, memberships, the
 * caller's membership, teams, card appearances and GET /v2/cards, with Qonto's
 * page/per_page pagination and meta object. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

#define PER_PAGE_MAX 100
#define MAX_FILTER 64

static json_object *meta(unsigned long page, unsigned long per_page,
			 size_t total)
{
	json_object *m = json_object_new_object();
	unsigned long pages =
	    (unsigned long)((total + per_page - 1) / per_page);

	if (!m)
		return NULL;
	if (pages == 0)
		pages = 1; /* an empty list still has its one (empty) page */
	util_add(m, "current_page", json_object_new_int64((int64_t)page));
	util_add(m, "next_page",
		 page < pages ? json_object_new_int64((int64_t)page + 1)
			      : NULL);
	util_add(m, "prev_page",
		 page > 1 ? json_object_new_int64((int64_t)page - 1) : NULL);
	util_add(m, "total_pages", json_object_new_int64((int64_t)pages));
	util_add(m, "total_count", json_object_new_int64((int64_t)total));
	util_add(m, "per_page", json_object_new_int64((int64_t)per_page));
	return m;
}

/* {name: items[page], "meta": {...}}; takes references on the items
 * (caller holds the lock). */
json_object *lists_page(json_object *items, unsigned long page,
			unsigned long per_page, const char *name)
{
	json_object *root = json_object_new_object();
	json_object *slice = json_object_new_array();
	size_t total = json_object_array_length(items);
	size_t first = (size_t)(page - 1) * per_page;

	if (!root || !slice) {
		json_object_put(root);
		json_object_put(slice);
		return NULL;
	}
	for (size_t i = first; i < total && i < first + per_page; i++)
		util_push(slice,
			  json_object_get(json_object_array_get_idx(items, i)));
	util_add(root, name, slice);
	util_add(root, "meta", meta(page, per_page, total));
	return root;
}

static bool query_number(struct exchange *ex, struct reply *r, const char *name,
			 unsigned long max, unsigned long def,
			 unsigned long *out)
{
	const char *v =
	    MHD_lookup_connection_value(ex->conn, MHD_GET_ARGUMENT_KIND, name);
	char detail[96];

	*out = def;
	if (!v)
		return true;
	if (util_parse_ulong(v, max, out) && *out >= 1)
		return true;
	snprintf(detail, sizeof(detail), "%s must be an integer from 1 to %lu",
		 name, max);
	reply_error_param(r, 400, "invalid_parameter", detail, name);
	return false;
}

/* page (from 1) and per_page (1..100, default 100); false with a 400. */
bool lists_paging(struct exchange *ex, struct reply *r, unsigned long *page,
		  unsigned long *per_page)
{
	return query_number(ex, r, "page", 1000000, 1, page) &&
	       query_number(ex, r, "per_page", PER_PAGE_MAX, PER_PAGE_MAX,
			    per_page);
}

/* Serialises a shared seed object under the lock. */
static void reply_shared(struct sandbox *sb, struct reply *r, json_object *obj)
{
	pthread_mutex_lock(&sb->lock);
	reply_take_json(r, 200, json_object_get(obj));
	pthread_mutex_unlock(&sb->lock);
}

/* The hostile fault on a list of people: a private copy of the page whose
 * last names are hostile strings (the seed stays clean). */
static json_object *hostile_page(json_object *page, const char *name)
{
	json_object *copy = NULL, *items;

	if (json_object_deep_copy(page, &copy, NULL) != 0) {
		json_object_put(page);
		return NULL;
	}
	json_object_put(page);
	json_object_object_get_ex(copy, name, &items);
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		char *text = fault_hostile_string(i);

		if (text)
			util_add(json_object_array_get_idx(items, i),
				 "last_name", json_object_new_string(text));
		free(text);
	}
	return copy;
}

static void reply_paged(struct exchange *ex, struct reply *r,
			json_object *items, const char *name)
{
	unsigned long page, per_page;
	json_object *out;

	if (!lists_paging(ex, r, &page, &per_page))
		return;
	pthread_mutex_lock(&ex->sb->lock);
	out = lists_page(items, page, per_page, name);
	if (out && ex->fault == FAULT_HOSTILE &&
	    strcmp(name, "memberships") == 0)
		out = hostile_page(out, name);
	reply_take_json(r, 200, out);
	pthread_mutex_unlock(&ex->sb->lock);
}

void lists_organization(struct exchange *ex, struct reply *r)
{
	reply_shared(ex->sb, r, ex->sb->seed.organization);
}

void lists_membership(struct exchange *ex, struct reply *r)
{
	reply_shared(ex->sb, r, ex->sb->seed.membership);
}

void lists_appearances(struct exchange *ex, struct reply *r)
{
	reply_shared(ex->sb, r, ex->sb->seed.appearances);
}

void lists_bank_accounts(struct exchange *ex, struct reply *r)
{
	reply_paged(ex, r, ex->sb->seed.bank_accounts, "bank_accounts");
}

void lists_memberships(struct exchange *ex, struct reply *r)
{
	reply_paged(ex, r, ex->sb->seed.memberships, "memberships");
}

void lists_teams(struct exchange *ex, struct reply *r)
{
	reply_paged(ex, r, ex->sb->seed.teams, "teams");
}

/* The values of a repeated query key: "holder_ids[]" (or "holder_ids"). */
struct filter {
	const char *key;
	const char *values[MAX_FILTER];
	size_t n;
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	struct filter *f = cls;
	size_t klen = strlen(f->key);

	(void)kind;
	if (value && f->n < MAX_FILTER && strncmp(key, f->key, klen) == 0 &&
	    (key[klen] == '\0' || strcmp(key + klen, "[]") == 0))
		f->values[f->n++] = value;
	return MHD_YES;
}

static void read_filter(struct exchange *ex, struct filter *f, const char *key)
{
	f->key = key;
	f->n = 0;
	MHD_get_connection_values(ex->conn, MHD_GET_ARGUMENT_KIND, collect, f);
}

static bool matches(const struct filter *f, const char *value)
{
	if (f->n == 0)
		return true;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->values[i], value) == 0)
			return true;
	return false;
}

struct card_query {
	struct filter holders, levels, ids, statuses;
	bool ascending;
};

static bool parse_card_query(struct exchange *ex, struct card_query *q,
			     struct reply *r)
{
	const char *sort = MHD_lookup_connection_value(
	    ex->conn, MHD_GET_ARGUMENT_KIND, "sort_by");

	read_filter(ex, &q->holders, "holder_ids");
	read_filter(ex, &q->levels, "card_levels");
	read_filter(ex, &q->ids, "ids");
	read_filter(ex, &q->statuses, "statuses");
	q->ascending = sort && strcmp(sort, "created_at:asc") == 0;
	if (sort && !q->ascending && strcmp(sort, "created_at:desc") != 0) {
		reply_error_param(r, 400, "invalid_parameter",
				  "sort_by must be created_at:asc or "
				  "created_at:desc",
				  "sort_by");
		return false;
	}
	return true;
}

static bool card_matches(const struct card_query *q,
			 const struct stored_card *c)
{
	json_object *status;

	json_object_object_get_ex(c->obj, "status", &status);
	return matches(&q->holders, c->holder_id) &&
	       matches(&q->levels, c->card_level) && matches(&q->ids, c->id) &&
	       matches(&q->statuses, json_object_get_string(status));
}

/* The matching cards in the requested order (caller holds the lock). Cards
 * are stored in creation order, so sorting is reading forwards or
 * backwards. */
static json_object *select_cards(struct sandbox *sb, const struct card_query *q)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < sb->n_cards; i++) {
		size_t k = q->ascending ? i : sb->n_cards - 1 - i;

		if (card_matches(q, &sb->cards[k]))
			util_push(arr, json_object_get(sb->cards[k].obj));
	}
	return arr;
}

void lists_cards(struct exchange *ex, struct reply *r)
{
	struct sandbox *sb = ex->sb;
	struct card_query q;
	unsigned long page, per_page;
	json_object *arr;

	if (!parse_card_query(ex, &q, r) ||
	    !lists_paging(ex, r, &page, &per_page))
		return;
	pthread_mutex_lock(&sb->lock);
	arr = select_cards(sb, &q);
	if (arr)
		reply_take_json(r, 200,
				lists_page(arr, page, per_page, "cards"));
	else
		reply_error(r, 500, "internal_error", "out of memory", NULL);
	json_object_put(arr);
	pthread_mutex_unlock(&sb->lock);
}
