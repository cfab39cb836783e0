/* directory.c: organisation, bank accounts and members, fetched through
 * the API and used to resolve names in order files. */
#include "config.h"

#include "directory.h"
#include "jsonutil.h"
#include "text.h"
#include "values.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DIR_MAX_DEPTH 16
#define DIR_MAX_STRING 512

void directory_init(struct directory *dir)
{
	memset(dir, 0, sizeof(*dir));
}

static void member_free(struct member *m)
{
	free(m->id);
	free(m->first_name);
	free(m->last_name);
	free(m->role);
	free(m->status);
	free(m->team_id);
	free(m->folded);
}

static void held_free(struct held_card *h)
{
	free(h->id);
	free(h->holder_id);
	free(h->level);
	free(h->status);
	free(h->last_digits);
	free(h->created_at);
}

void directory_held_clear(struct directory *dir)
{
	for (size_t i = 0; i < dir->n_held; i++)
		held_free(&dir->held[i]);
	free(dir->held);
	dir->held = NULL;
	dir->n_held = 0;
}

static void account_free(struct bank_account *a)
{
	free(a->id);
	free(a->name);
	free(a->iban);
	free(a->status);
	free(a->currency);
}

void directory_free(struct directory *dir)
{
	if (!dir)
		return;
	for (size_t i = 0; i < dir->n_members; i++)
		member_free(&dir->members[i]);
	for (size_t i = 0; i < dir->n_accounts; i++)
		account_free(&dir->accounts[i]);
	for (size_t i = 0; i < dir->n_designs; i++) {
		free(dir->designs[i].level);
		free(dir->designs[i].design);
	}
	free(dir->designs);
	for (size_t i = 0; i < dir->n_teams; i++) {
		free(dir->teams[i].id);
		free(dir->teams[i].name);
	}
	free(dir->teams);
	directory_held_clear(dir);
	for (size_t i = 0; i < dir->n_listed; i++)
		card_object_free(&dir->listed[i]);
	free(dir->listed);
	free(dir->caller_role);
	free(dir->caller_team_id);
	free(dir->caller_locale);
	free(dir->members);
	free(dir->accounts);
	free(dir->organization_id);
	free(dir->organization_name);
	free(dir->initiator_id);
	free(dir->initiator_name);
	directory_init(dir);
}

/* What a GET read, for the message when it is not JSON. */
enum list_kind {
	LIST_MEMBERS,
	LIST_ACCOUNTS,
	LIST_ORGANIZATION,
	LIST_DESIGNS,
	LIST_CALLER,
	LIST_TEAMS,
	LIST_CARDS
};

/* One whole sentence for each list, so that it translates. */
static enum status not_json(enum list_kind what, const char *why,
			    struct status_error *err)
{
	const enum status c = STATUS_NOT_JSON;

	switch (what) {
	case LIST_MEMBERS:
		/* TRANSLATORS: %s: what is wrong with the text (English). */
		return status_set(err, c, "the list of members from Qonto is not "
				  "JSON (%s); is the staging token set?", why);
	case LIST_ACCOUNTS:
		/* TRANSLATORS: %s: what is wrong with the text (English). */
		return status_set(err, c, "the list of bank accounts from Qonto is "
				  "not JSON (%s); is the staging token set?", why);
	case LIST_ORGANIZATION:
		/* TRANSLATORS: %s: what is wrong with the text (English). */
		return status_set(err, c, "the list of organisation details from "
				  "Qonto is not JSON (%s); is the staging token "
				  "set?", why);
	case LIST_DESIGNS:
		/* TRANSLATORS: %s: what is wrong with the text (English). */
		return status_set(err, c, "the list of card designs from Qonto is "
				  "not JSON (%s); is the staging token set?", why);
	case LIST_CALLER:
		/* TRANSLATORS: %s: what is wrong with the text (English). */
		return status_set(err, c, "the list of your membership from Qonto "
				  "is not JSON (%s); is the staging token set?", why);
	case LIST_TEAMS:
		/* TRANSLATORS: %s: what is wrong with the text (English). */
		return status_set(err, c, "the list of teams from Qonto is not "
				  "JSON (%s); is the staging token set?", why);
	default:
		/* TRANSLATORS: %s: what is wrong with the text (English). */
		return status_set(err, c, "the list of cards from Qonto is not "
				  "JSON (%s); is the staging token set?", why);
	}
}

static enum status parse(const char *body, size_t len, json_object **root,
			 enum list_kind what, struct status_error *err)
{
	struct jparse_info info;
	enum jparse r;
	char *copy = strndup(body, len);

	if (!copy)
		return status_set(err, STATUS_NOMEM, NULL);
	r = json_parse_limited(copy, len, DIR_MAX_DEPTH, root, &info);
	free(copy);
	if (r == JPARSE_NOMEM)
		return status_set(err, STATUS_NOMEM, NULL);
	if (r != JPARSE_OK || !json_object_is_type(*root, json_type_object)) {
		json_object_put(*root);
		*root = NULL;
		return not_json(what, json_parse_describe(r, &info), err);
	}
	return STATUS_OK;
}

static unsigned next_page(json_object *root)
{
	json_object *next = json_member(json_member(root, "meta"), "next_page");
	int64_t n = json_object_get_int64(next);

	if (!json_object_is_type(next, json_type_int) || n < 1 ||
	    n > DIRECTORY_MAX_PAGES)
		return 0;
	return (unsigned)n;
}

static bool valid_id(const char *id)
{
	return id && id[0] && !text_has_controls(id);
}

static bool fill_member(struct member *m, json_object *obj)
{
	char *name = NULL;
	bool ok;

	memset(m, 0, sizeof(*m));
	ok = json_copy_member(obj, "id", 64, false, &m->id) &&
	     json_copy_member(obj, "first_name", DIR_MAX_STRING, true, &m->first_name) &&
	     json_copy_member(obj, "last_name", DIR_MAX_STRING, true, &m->last_name) &&
	     json_copy_member(obj, "role", 64, true, &m->role) &&
	     json_copy_member(obj, "status", 64, true, &m->status) &&
	     json_copy_member(obj, "team_id", 64, false, &m->team_id);
	if (ok && asprintf(&name, "%s %s", m->first_name ? m->first_name : "",
			   m->last_name ? m->last_name : "") >= 0) {
		m->folded = text_fold(name);
		if (!m->folded)
			m->folded = strdup("");
	}
	free(name);
	return ok && m->folded;
}

static enum status grow(void **items, size_t n, size_t add, size_t size,
			struct status_error *err)
{
	void *grown = realloc(*items, (n + add) * size);

	if (!grown && n + add > 0)
		return status_set(err, STATUS_NOMEM, NULL);
	*items = grown;
	return STATUS_OK;
}

static enum status list_of(json_object *root, const char *key, size_t *n,
			   json_object **list, struct status_error *err)
{
	*list = json_member(root, key);
	if (!json_object_is_type(*list, json_type_array))
		return status_set(err, STATUS_BAD_RESPONSE,
				  "Qonto's answer has no \"%s\" list", key);
	*n = json_object_array_length(*list);
	return STATUS_OK;
}

enum status directory_parse_members(struct directory *dir, const char *body,
				    size_t len, unsigned *next,
				    struct status_error *err)
{
	json_object *root = NULL, *list;
	enum status st;
	size_t n = 0;

	st = parse(body, len, &root, LIST_MEMBERS, err);
	if (st == STATUS_OK)
		st = list_of(root, "memberships", &n, &list, err);
	if (st == STATUS_OK)
		st = grow((void **)&dir->members, dir->n_members, n,
			  sizeof(*dir->members), err);
	for (size_t i = 0; st == STATUS_OK && i < n; i++) {
		struct member *m = &dir->members[dir->n_members];

		if (!fill_member(m, json_object_array_get_idx(list, i))) {
			member_free(m);
			st = status_set(err, STATUS_NOMEM, NULL);
		} else if (!valid_id(m->id)) {
			member_free(m); /* an entry without an id is useless */
		} else {
			dir->n_members++;
		}
	}
	*next = st == STATUS_OK ? next_page(root) : 0;
	json_object_put(root);
	return st;
}

/* balance_cents when given (exact), else balance in euros. */
static void fill_balance(struct bank_account *a, json_object *obj)
{
	json_object *cents = json_member(obj, "balance_cents");
	json_object *euros = json_member(obj, "balance");
	double e;

	if (json_object_is_type(cents, json_type_int)) {
		a->balance_cents = json_object_get_int64(cents);
		/* a balance beyond any bank's, refused rather than overflowed */
		a->has_balance = a->balance_cents > -100000000000000000LL &&
				 a->balance_cents < 100000000000000000LL;
	} else if (json_object_is_type(euros, json_type_double) ||
		   json_object_is_type(euros, json_type_int)) {
		e = json_object_get_double(euros);
		if (e > -1e15 && e < 1e15) {
			a->balance_cents = (long long)(e * 100 + (e < 0 ? -0.5 : 0.5));
			a->has_balance = true;
		}
	}
}

static bool fill_account(struct bank_account *a, json_object *obj)
{
	memset(a, 0, sizeof(*a));
	a->main = json_object_get_boolean(json_member(obj, "main"));
	fill_balance(a, obj);
	return json_copy_member(obj, "id", 64, false, &a->id) &&
	       json_copy_member(obj, "name", DIR_MAX_STRING, true, &a->name) &&
	       json_copy_member(obj, "iban", 64, true, &a->iban) &&
	       json_copy_member(obj, "status", 64, true, &a->status) &&
	       json_copy_member(obj, "currency", 16, true, &a->currency);
}

enum status directory_parse_accounts(struct directory *dir, const char *body,
				     size_t len, unsigned *next,
				     struct status_error *err)
{
	json_object *root = NULL, *list;
	enum status st;
	size_t n = 0;

	st = parse(body, len, &root, LIST_ACCOUNTS, err);
	if (st == STATUS_OK)
		st = list_of(root, "bank_accounts", &n, &list, err);
	if (st == STATUS_OK)
		st = grow((void **)&dir->accounts, dir->n_accounts, n,
			  sizeof(*dir->accounts), err);
	for (size_t i = 0; st == STATUS_OK && i < n; i++) {
		struct bank_account *a = &dir->accounts[dir->n_accounts];

		if (!fill_account(a, json_object_array_get_idx(list, i))) {
			account_free(a);
			st = status_set(err, STATUS_NOMEM, NULL);
		} else if (!valid_id(a->id)) {
			account_free(a);
		} else {
			dir->n_accounts++;
		}
	}
	*next = st == STATUS_OK ? next_page(root) : 0;
	json_object_put(root);
	return st;
}

enum status directory_parse_organization(struct directory *dir,
					 const char *body, size_t len,
					 struct status_error *err)
{
	json_object *root = NULL, *org;
	enum status st = parse(body, len, &root, LIST_ORGANIZATION, err);

	if (st != STATUS_OK)
		return st;
	org = json_member(root, "organization");
	free(dir->organization_id);
	free(dir->organization_name);
	dir->organization_id = dir->organization_name = NULL;
	if (!json_copy_member(org, "id", 64, false, &dir->organization_id) ||
	    !json_copy_member(org, "legal_name", DIR_MAX_STRING, true,
			      &dir->organization_name))
		st = status_set(err, STATUS_NOMEM, NULL);
	else if (!valid_id(dir->organization_id))
		st = status_set(err, STATUS_BAD_RESPONSE,
				"Qonto's organisation details have no id");
	if (st == STATUS_OK && !dir->organization_name &&
	    !json_copy_member(org, "slug", DIR_MAX_STRING, true,
			      &dir->organization_name))
		st = status_set(err, STATUS_NOMEM, NULL);
	json_object_put(root);
	return st;
}

static enum status add_design(struct directory *dir, json_object *level,
			      json_object *look, struct status_error *err)
{
	struct appearance *a;
	char *lv = NULL, *design = NULL;

	if (!json_copy_member(level, "card_level", 64, false, &lv) ||
	    !json_copy_member(look, "design", 128, false, &design)) {
		free(lv);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	if (!lv || !design || text_has_controls(design)) {
		free(lv);
		free(design);
		return STATUS_OK; /* an entry without a name is skipped */
	}
	/* a list cut short would refuse good designs: all or nothing */
	if (grow((void **)&dir->designs, dir->n_designs, 1, sizeof(*dir->designs),
		 err) != STATUS_OK) {
		free(lv);
		free(design);
		return STATUS_NOMEM;
	}
	a = &dir->designs[dir->n_designs++];
	a->level = lv;
	a->design = design;
	a->active = !json_object_is_type(json_member(look, "is_active"), json_type_boolean) ||
		    json_object_get_boolean(json_member(look, "is_active"));
	return STATUS_OK;
}

/* Elements of a JSON array; 0 for anything else (json-c asserts). */
static size_t len_of(json_object *a)
{
	return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

enum status directory_parse_appearances(struct directory *dir, const char *body,
					size_t len, struct status_error *err)
{
	json_object *root = NULL, *types, *levels, *looks;
	enum status st = parse(body, len, &root, LIST_DESIGNS, err);

	types = json_member(root, "card_type_appearances");
	for (size_t t = 0; st == STATUS_OK && t < len_of(types); t++) {
		levels = json_member(json_object_array_get_idx(types, t),
				     "card_level_appearances");
		for (size_t l = 0; st == STATUS_OK && l < len_of(levels); l++) {
			json_object *level = json_object_array_get_idx(levels, l);

			looks = json_member(level, "appearances");
			for (size_t k = 0; st == STATUS_OK && k < len_of(looks); k++)
				st = add_design(dir, level, json_object_array_get_idx(looks, k),
						err);
		}
	}
	dir->designs_read = st == STATUS_OK;
	json_object_put(root);
	return st;
}

enum status directory_parse_caller(struct directory *dir, const char *body,
				   size_t len, struct status_error *err)
{
	json_object *root = NULL;
	struct member m;
	enum status st = parse(body, len, &root, LIST_CALLER, err);

	if (st != STATUS_OK)
		return st;
	if (!fill_member(&m, json_member(root, "membership"))) {
		st = status_set(err, STATUS_NOMEM, NULL);
	} else if (valid_id(m.id)) {
		free(dir->initiator_id);
		free(dir->initiator_name);
		dir->initiator_id = m.id;
		m.id = NULL;
		free(dir->caller_role);
		free(dir->caller_team_id);
		dir->caller_role = m.role;
		dir->caller_team_id = m.team_id;
		m.role = m.team_id = NULL;
		free(dir->caller_locale);
		dir->caller_locale = NULL;
		if (!json_copy_member(json_member(root, "membership"), "locale", 16, false,
				      &dir->caller_locale))
			st = status_set(err, STATUS_NOMEM, NULL);
		if (asprintf(&dir->initiator_name, "%s %s",
			     m.first_name ? m.first_name : "",
			     m.last_name ? m.last_name : "") < 0)
			dir->initiator_name = NULL;
	}
	member_free(&m);
	json_object_put(root);
	return st;
}

enum status directory_parse_teams(struct directory *dir, const char *body,
				  size_t len, unsigned *next, struct status_error *err)
{
	json_object *root = NULL, *list;
	enum status st;
	size_t n = 0;

	st = parse(body, len, &root, LIST_TEAMS, err);
	if (st == STATUS_OK)
		st = list_of(root, "teams", &n, &list, err);
	if (st == STATUS_OK)
		st = grow((void **)&dir->teams, dir->n_teams, n, sizeof(*dir->teams), err);
	for (size_t i = 0; st == STATUS_OK && i < n; i++) {
		json_object *o = json_object_array_get_idx(list, i);
		struct team *t = &dir->teams[dir->n_teams];

		memset(t, 0, sizeof(*t));
		if (!json_copy_member(o, "id", 64, false, &t->id) ||
		    !json_copy_member(o, "name", DIR_MAX_STRING, true, &t->name))
			st = status_set(err, STATUS_NOMEM, NULL);
		if (st == STATUS_OK && valid_id(t->id)) {
			dir->n_teams++;
			continue;
		}
		free(t->id);
		free(t->name);
	}
	*next = st == STATUS_OK ? next_page(root) : 0;
	json_object_put(root);
	return st;
}

const char *directory_team_name(const struct directory *dir, const char *team_id)
{
	for (size_t i = 0; team_id && i < dir->n_teams; i++)
		if (strcmp(dir->teams[i].id, team_id) == 0)
			return dir->teams[i].name;
	return NULL;
}

/* The statuses of a card that a holder still has: another one of the
 * same level is likely a mistake. */
static bool still_counts(const char *status)
{
	return status && (strcmp(status, "live") == 0 || strcmp(status, "pending") == 0 ||
			  strcmp(status, "paused") == 0);
}

static bool fill_held(struct held_card *h, json_object *o)
{
	memset(h, 0, sizeof(*h));
	return json_copy_member(o, "id", 64, false, &h->id) &&
	       json_copy_member(o, "holder_id", 64, false, &h->holder_id) &&
	       json_copy_member(o, "card_level", 64, false, &h->level) &&
	       json_copy_member(o, "status", 64, false, &h->status) &&
	       json_copy_member(o, "last_digits", 8, false, &h->last_digits) &&
	       json_copy_member(o, "created_at", 40, false, &h->created_at);
}

enum status directory_parse_held(struct directory *dir, const char *body,
				 size_t len, unsigned *next, struct status_error *err)
{
	json_object *root = NULL, *list;
	enum status st;
	size_t n = 0;

	st = parse(body, len, &root, LIST_CARDS, err);
	if (st == STATUS_OK)
		st = list_of(root, "cards", &n, &list, err);
	if (st == STATUS_OK)
		st = grow((void **)&dir->held, dir->n_held, n, sizeof(*dir->held), err);
	for (size_t i = 0; st == STATUS_OK && i < n; i++) {
		struct held_card *h = &dir->held[dir->n_held];

		if (!fill_held(h, json_object_array_get_idx(list, i)))
			st = status_set(err, STATUS_NOMEM, NULL);
		else if (valid_id(h->id) && valid_id(h->holder_id) &&
			 still_counts(h->status)) {
			dir->n_held++;
			continue;
		}
		held_free(h);
	}
	*next = st == STATUS_OK ? next_page(root) : 0;
	json_object_put(root);
	return st;
}

enum status directory_parse_listed(struct directory *dir, const char *body,
				   size_t len, unsigned *next, struct status_error *err)
{
	struct bulk_response resp;
	json_object *root = NULL;
	enum status st = parse(body, len, &root, LIST_CARDS, err);

	*next = st == STATUS_OK ? next_page(root) : 0;
	json_object_put(root);
	if (st != STATUS_OK)
		return st;
	/* the cards as the bulk answer's are read: one parser of a card */
	st = response_parse(200, body, len, 0, &resp, err);
	if (st == STATUS_OK && resp.kind != RESPONSE_CARDS)
		st = status_set(err, STATUS_BAD_RESPONSE, "Qonto's answer has no "
							  "\"cards\" list");
	if (st == STATUS_OK)
		st = grow((void **)&dir->listed, dir->n_listed, resp.n_entries,
			  sizeof(*dir->listed), err);
	for (size_t i = 0; st == STATUS_OK && i < resp.n_entries; i++)
		if (resp.entries[i].kind == ENTRY_CARD) {
			dir->listed[dir->n_listed++] = resp.entries[i].card;
			memset(&resp.entries[i].card, 0, sizeof(resp.entries[i].card));
		}
	if (st != STATUS_OK)
		*next = 0;
	response_free(&resp);
	return st;
}

size_t directory_find_members(const struct directory *dir, const char *query,
			      size_t *out, size_t cap)
{
	char *q = text_fold(query);
	size_t found = 0;

	if (!q)
		return 0;
	for (size_t i = 0; i < dir->n_members; i++) {
		if (!strstr(dir->members[i].folded, q))
			continue;
		if (found < cap)
			out[found] = i;
		found++;
	}
	free(q);
	return found;
}

char *directory_holder_names(const struct directory *dir, const struct order *order)
{
	json_object *map = json_object_new_object();
	const struct member *m;
	const char *id;
	char *out = NULL, *name = NULL;

	for (size_t i = 0; map && i < order->n_cards; i++) {
		id = card_text(&order->cards[i], FIELD_HOLDER_ID);
		m = id ? directory_member(dir, id) : NULL;
		if (!m || asprintf(&name, "%s %s", m->first_name ? m->first_name : "",
				   m->last_name ? m->last_name : "") < 0)
			continue;
		json_object_object_add(map, id, json_object_new_string(name));
		free(name);
	}
	if (map)
		out = strdup(json_object_to_json_string_ext(map, JSON_C_TO_STRING_PLAIN));
	json_object_put(map);
	return out;
}

int directory_design_state(const void *ctx, const char *design, const char *level,
			   const char **other_level)
{
	const struct directory *dir = ctx;
	const struct appearance *other = NULL;

	*other_level = NULL;
	for (size_t i = 0; i < dir->n_designs; i++) {
		const struct appearance *a = &dir->designs[i];

		if (strcmp(a->design, design) != 0)
			continue;
		if (level && strcmp(a->level, level) == 0)
			return a->active ? 1 : 0;
		if (!other)
			other = a;
	}
	if (!other)
		return -1;
	*other_level = other->level;
	return other->active ? 1 : 0;
}
