/* seed.c: the organisation, accounts, people and catalogs the sandbox serves,
 * loaded once at start from assets/sandbox/ and assets/. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

static json_object *load_json(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	char *buf = NULL;
	size_t len = 0;
	json_object *root = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "qonto-sandbox: %s: %s\n", path,
			strerror(errno));
		return NULL;
	}
	buf = malloc(SANDBOX_MAX_BODY + 1);
	if (buf)
		len = fread(buf, 1, SANDBOX_MAX_BODY + 1, f);
	fclose(f);
	if (buf && len <= SANDBOX_MAX_BODY)
		root = util_parse_json(buf, len);
	free(buf);
	if (!root)
		fprintf(stderr, "qonto-sandbox: %s: not valid JSON\n", path);
	return root;
}

/* Takes the member `key` of root (which it releases) with the given type. */
static json_object *take_member(json_object *root, const char *key,
				enum json_type type)
{
	json_object *v = NULL;

	if (root && json_object_object_get_ex(root, key, &v) &&
	    json_object_is_type(v, type))
		json_object_get(v);
	else
		v = NULL;
	json_object_put(root);
	return v;
}

static int add_string(char ***list, size_t *n, size_t *cap, const char *s)
{
	char **grown = util_grow(*list, cap, *n + 1, sizeof(**list));
	char *copy = strdup(s);

	if (!grown || !copy) {
		free(copy);
		return -1;
	}
	*list = grown;
	grown[(*n)++] = copy;
	return 0;
}

/* First column of each non-comment line (tab-separated). */
static int load_lines(const char *dir, const char *name, char ***list,
		      size_t *n)
{
	char path[4096], line[512];
	size_t cap = 0;
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "qonto-sandbox: %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\t\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		rc = add_string(list, n, &cap, line);
	}
	fclose(f);
	return rc == 0 && *n > 0 ? 0 : -1;
}

static const char *get_string(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The array member `key` of obj, or NULL. */
static json_object *get_array(json_object *obj, const char *key)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

static size_t array_len(json_object *arr)
{
	return arr ? json_object_array_length(arr) : 0;
}

static int add_designs(struct seed *seed, json_object *apps, size_t *cap)
{
	for (size_t a = 0; a < array_len(apps); a++) {
		json_object *app = json_object_array_get_idx(apps, a);
		const char *d = json_object_is_type(app, json_type_object)
				    ? get_string(app, "design")
				    : NULL;

		if (d && !seed_has(seed->designs, seed->n_designs, d) &&
		    add_string(&seed->designs, &seed->n_designs, cap, d) < 0)
			return -1;
	}
	return 0;
}

/* Every "design" of every level of every card type. */
static int collect_designs(struct seed *seed)
{
	json_object *types =
	    get_array(seed->appearances, "card_type_appearances");
	size_t cap = 0;

	for (size_t t = 0; t < array_len(types); t++) {
		json_object *levels =
		    get_array(json_object_array_get_idx(types, t),
			      "card_level_appearances");

		for (size_t l = 0; l < array_len(levels); l++) {
			json_object *apps =
			    get_array(json_object_array_get_idx(levels, l),
				      "appearances");

			if (add_designs(seed, apps, &cap) < 0)
				return -1;
		}
	}
	return seed->n_designs > 0 ? 0 : -1;
}

static int check_ids(struct seed *seed)
{
	json_object *org;

	if (!json_object_object_get_ex(seed->organization, "organization",
				       &org) ||
	    !json_object_is_type(org, json_type_object))
		return -1;
	seed->organization_id = get_string(org, "id");
	if (!seed->organization_id)
		return -1;
	for (size_t i = 0; i < json_object_array_length(seed->memberships);
	     i++) {
		json_object *m =
		    json_object_array_get_idx(seed->memberships, i);

		if (!json_object_is_type(m, json_type_object) ||
		    !get_string(m, "id") || !get_string(m, "first_name") ||
		    !get_string(m, "last_name"))
			return -1;
	}
	return 0;
}

int seed_load(struct seed *seed, const char *seed_dir, const char *catalog_dir)
{
	char parent[4096];

	memset(seed, 0, sizeof(*seed));
	if (!catalog_dir) {
		snprintf(parent, sizeof(parent), "%s/..", seed_dir);
		catalog_dir = parent;
	}
	seed->organization = load_json(seed_dir, "organization.json");
	seed->membership = load_json(seed_dir, "membership.json");
	seed->appearances = load_json(seed_dir, "appearances.json");
	seed->bank_accounts =
	    take_member(load_json(seed_dir, "bank_accounts.json"),
			"bank_accounts", json_type_array);
	seed->memberships = take_member(load_json(seed_dir, "memberships.json"),
					"memberships", json_type_array);
	seed->teams = take_member(load_json(seed_dir, "teams.json"), "teams",
				  json_type_array);
	seed->existing_cards = take_member(load_json(seed_dir, "cards.json"),
					   "cards", json_type_array);
	if (!seed->organization || !seed->membership || !seed->appearances ||
	    !seed->bank_accounts || !seed->memberships || !seed->teams ||
	    !seed->existing_cards || check_ids(seed) < 0 ||
	    collect_designs(seed) < 0)
		goto fail;
	if (load_lines(catalog_dir, "categories.txt", &seed->categories,
		       &seed->n_categories) < 0 ||
	    load_lines(catalog_dir, "countries.tsv", &seed->countries,
		       &seed->n_countries) < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "qonto-sandbox: cannot load the seed data from %s\n",
		seed_dir);
	seed_free(seed);
	return -1;
}

static void free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void seed_free(struct seed *seed)
{
	json_object_put(seed->organization);
	json_object_put(seed->bank_accounts);
	json_object_put(seed->memberships);
	json_object_put(seed->membership);
	json_object_put(seed->appearances);
	json_object_put(seed->teams);
	json_object_put(seed->existing_cards);
	free_list(seed->categories, seed->n_categories);
	free_list(seed->countries, seed->n_countries);
	free_list(seed->designs, seed->n_designs);
	memset(seed, 0, sizeof(*seed));
}

static json_object *find_by_id(json_object *arr, const char *id)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		const char *v = json_object_is_type(o, json_type_object)
				    ? get_string(o, "id")
				    : NULL;

		if (v && strcmp(v, id) == 0)
			return o;
	}
	return NULL;
}

/* Borrowed; NULL when no membership has this id. */
json_object *seed_find_membership(const struct seed *seed, const char *id)
{
	return find_by_id(seed->memberships, id);
}

bool seed_has_bank_account(const struct seed *seed, const char *id)
{
	return find_by_id(seed->bank_accounts, id) != NULL;
}

/* --caller: GET /v2/membership answers this member of the list (with an
 * email), and the bulk endpoint judges its role and team. */
int seed_set_caller(struct seed *seed, const char *membership_id)
{
	json_object *m = find_by_id(seed->memberships, membership_id);
	json_object *copy = NULL, *root;

	if (!m || json_object_deep_copy(m, &copy, NULL) != 0) {
		fprintf(stderr, "qonto-sandbox: --caller %s: no such membership\n",
			membership_id);
		return -1;
	}
	util_add(copy, "email", json_object_new_string("caller@atelier-lumiere.example"));
	root = json_object_new_object();
	if (!root) {
		json_object_put(copy);
		return -1;
	}
	util_add(root, "membership", copy);
	json_object_put(seed->membership);
	seed->membership = root;
	return 0;
}

/* --closed-account: the account's status becomes "closed" in every list
 * (the organisation's copy keeps no id, so it is left as it is). */
int seed_close_account(struct seed *seed, const char *account_id)
{
	json_object *a = find_by_id(seed->bank_accounts, account_id);

	if (!a) {
		fprintf(stderr, "qonto-sandbox: --closed-account %s: no such account\n",
			account_id);
		return -1;
	}
	util_add(a, "status", json_object_new_string("closed"));
	return 0;
}

const char *seed_account_status(const struct seed *seed, const char *id)
{
	json_object *a = find_by_id(seed->bank_accounts, id);

	return a ? get_string(a, "status") : NULL;
}

/* A string of the caller's membership (borrowed), or NULL. */
const char *seed_caller_string(const struct seed *seed, const char *key)
{
	json_object *m;

	if (!json_object_object_get_ex(seed->membership, "membership", &m))
		return NULL;
	return get_string(m, key);
}

/* The first design the appearances list for card_level (borrowed), or
 * NULL. */
const char *seed_default_design(const struct seed *seed, const char *level)
{
	json_object *types =
	    get_array(seed->appearances, "card_type_appearances");

	for (size_t t = 0; t < array_len(types); t++) {
		json_object *levels =
		    get_array(json_object_array_get_idx(types, t),
			      "card_level_appearances");

		for (size_t l = 0; l < array_len(levels); l++) {
			json_object *lv = json_object_array_get_idx(levels, l);
			json_object *apps = get_array(lv, "appearances");
			const char *name =
			    json_object_is_type(lv, json_type_object)
				? get_string(lv, "card_level")
				: NULL;

			if (name && strcmp(name, level) == 0 &&
			    array_len(apps) > 0 &&
			    json_object_is_type(
				json_object_array_get_idx(apps, 0),
				json_type_object))
				return get_string(
				    json_object_array_get_idx(apps, 0),
				    "design");
		}
	}
	return NULL;
}

bool seed_has(char *const *list, size_t n, const char *value)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], value) == 0)
			return true;
	return false;
}
