/* claims.c: the cards and unknown requests of the other orders. */
#include "config.h"

#include "claims.h"
#include "fsutil.h"
#include "journal.h"
#include "jsonutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ANSWER_MAX_BYTES (16u * 1024u * 1024u)
/* Files are stamped by this machine's clock, like first_sent: a minute
 * of room for a clock that stepped. */
#define CLAIMS_MTIME_SLACK 60

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum status add_id(struct claims *c, size_t *cap, const char *id)
{
	char **grown;

	if (c->n_taken == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		/* an array of strings: sizeof(char *) is meant */
		grown = reallocarray(c->taken, *cap, sizeof(*grown)); /* NOLINT(bugprone-sizeof-expression) */
		if (!grown)
			return STATUS_NOMEM;
		c->taken = grown;
	}
	if (!(c->taken[c->n_taken] = strdup(id)))
		return STATUS_NOMEM;
	c->n_taken++;
	return STATUS_OK;
}

/* The ids of the cards of one answer file (created or found). */
static enum status read_answer(struct claims *c, size_t *cap, const char *path)
{
	json_object *root = NULL, *cards, *entry, *card, *id;
	enum status st = STATUS_OK;
	char *text = NULL;
	size_t len;

	if (fs_read_all(path, ANSWER_MAX_BYTES, &text, &len, NULL) != STATUS_OK)
		return STATUS_OK;
	if (json_parse_limited(text, len, 16, &root, NULL) == JPARSE_OK &&
	    json_object_is_type(cards = json_member(root, "cards"), json_type_array)) {
		for (size_t i = 0; st == STATUS_OK && i < json_object_array_length(cards); i++) {
			entry = json_object_array_get_idx(cards, i);
			card = json_member(entry, "card");
			id = json_member(card ? card : entry, "id");
			if (json_object_is_type(id, json_type_string))
				st = add_id(c, cap, json_object_get_string(id));
		}
	}
	json_object_put(root);
	free(text);
	return st;
}

static bool recent(const char *path, time_t since)
{
	struct stat sb;

	return stat(path, &sb) == 0 && sb.st_mtime + CLAIMS_MTIME_SLACK >= since;
}

static enum status add_rival(struct claims *c, const struct journal *j,
			     const struct journal_request *r)
{
	struct claims_rival *grown, *rv;
	json_object *root = NULL, *items;
	char *body = NULL;
	size_t len;

	if (journal_body(j, r, &body, &len, NULL) != STATUS_OK)
		return STATUS_OK;
	if (json_parse_limited(body, len, 16, &root, NULL) != JPARSE_OK ||
	    !json_object_is_type(items = json_member(root, "cards"), json_type_array)) {
		json_object_put(root);
		free(body);
		return STATUS_OK;
	}
	free(body);
	grown = realloc(c->rivals, (c->n_rivals + 1) * sizeof(*grown));
	if (!grown) {
		json_object_put(root);
		return STATUS_NOMEM;
	}
	c->rivals = grown;
	rv = &c->rivals[c->n_rivals++];
	memset(rv, 0, sizeof(*rv));
	snprintf(rv->order_id, sizeof(rv->order_id), "%s", j->order_id);
	rv->request = r->number;
	rv->first_sent = r->first_sent;
	rv->root = root;
	rv->items = items;
	return STATUS_OK;
}

/* One other order: its answers, and its requests still unknown. */
static enum status read_order(struct claims *c, size_t *cap, const char *orders_dir,
			      const char *id, time_t since)
{
	char *dir = fs_join(orders_dir, id), *state = NULL, *path;
	struct journal j;
	enum status st = STATUS_OK;
	struct dirent *de;
	DIR *d;

	if (!dir)
		return STATUS_NOMEM;
	d = opendir(dir);
	while (st == STATUS_OK && d && (de = readdir(d))) {
		if (strncmp(de->d_name, "answer-", 7) != 0)
			continue;
		path = fs_join(dir, de->d_name);
		if (!path)
			st = STATUS_NOMEM;
		else if (recent(path, since))
			st = read_answer(c, cap, path);
		free(path);
	}
	if (d)
		closedir(d);
	path = fs_join(dir, "journal.jsonl");
	if (st == STATUS_OK && path && recent(path, since)) {
		/* journal_open needs the state directory: the parent of orders */
		state = strdup(orders_dir);
		if (state && strrchr(state, '/'))
			*strrchr(state, '/') = '\0';
		if (state && journal_open(&j, state, id, NULL) == STATUS_OK && !j.finished)
			for (size_t i = 0; st == STATUS_OK && i < j.n_requests; i++)
				if (j.requests[i].state == JREQ_SENT)
					st = add_rival(c, &j, &j.requests[i]);
		if (state)
			journal_free(&j);
	}
	free(state);
	free(path);
	free(dir);
	return st;
}

enum status claims_load(struct claims *c, const char *orders_dir,
			const char *self, time_t since, struct status_error *err)
{
	enum status st = STATUS_OK;
	struct dirent *de;
	size_t cap = 0;
	DIR *d;

	memset(c, 0, sizeof(*c));
	d = opendir(orders_dir);
	while (st == STATUS_OK && d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, self) == 0)
			continue;
		st = read_order(c, &cap, orders_dir, de->d_name, since);
	}
	if (d)
		closedir(d);
	if (st != STATUS_OK) {
		claims_free(c);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	if (c->n_taken)
		qsort(c->taken, c->n_taken, sizeof(*c->taken), by_text);
	return STATUS_OK;
}

void claims_free(struct claims *c)
{
	for (size_t i = 0; i < c->n_taken; i++)
		free(c->taken[i]);
	free(c->taken);
	for (size_t i = 0; i < c->n_rivals; i++)
		json_object_put(c->rivals[i].root);
	free(c->rivals);
	for (size_t i = 0; i < c->n_own; i++)
		json_object_put(c->own[i]);
	free(c->own);
	free(c->own_items);
	memset(c, 0, sizeof(*c));
}

enum status claims_add_own(struct claims *c, const struct journal *j,
			   unsigned self, struct status_error *err)
{
	size_t n = j->n_requests;

	/* arrays of pointers: sizeof(pointer) is meant */
	c->own = calloc(n ? n : 1, sizeof(*c->own)); /* NOLINT(bugprone-sizeof-expression) */
	c->own_items = calloc(n ? n : 1, sizeof(*c->own_items)); /* NOLINT(bugprone-sizeof-expression) */
	if (!c->own || !c->own_items)
		return status_set(err, STATUS_NOMEM, NULL);
	for (size_t i = 0; i < n; i++) {
		json_object *root = NULL, *items;
		char *body = NULL;
		size_t len;

		/* only requests whose outcome is unknown: the cards of settled
		 * ones are known by id, and planned ones made none */
		if (j->requests[i].number == self || j->requests[i].state != JREQ_SENT ||
		    journal_body(j, &j->requests[i], &body, &len, NULL) != STATUS_OK)
			continue;
		if (json_parse_limited(body, len, 16, &root, NULL) == JPARSE_OK &&
		    json_object_is_type(items = json_member(root, "cards"), json_type_array)) {
			c->own[c->n_own] = root;
			c->own_items[c->n_own++] = items;
		} else {
			json_object_put(root);
		}
		free(body);
	}
	return STATUS_OK;
}

bool claims_taken(const struct claims *c, const char *id)
{
	return c->n_taken &&
	       bsearch(&id, c->taken, c->n_taken, sizeof(*c->taken), by_text) != NULL;
}
