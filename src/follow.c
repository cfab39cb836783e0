/* follow.c: an order's cards after it was sent (see follow.h). */
#include "config.h"

#include "follow.h"
#include "fields.h"
#include "fsutil.h"
#include "strbuf.h"

#include "jsonutil.h"
#include "values.h"

#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FOLLOW_FILE "refreshes.jsonl"  /* every reading, one a line */
#define FOLLOW_LAST "last-reading.json" /* the last one, read back */
#define FOLLOW_MAX_FILE (64u << 20)

char **follow_card_ids(const struct results *res, size_t *n)
{
	char **ids = malloc((res->n ? res->n : 1) * sizeof(*ids));

	*n = 0;
	for (size_t i = 0; ids && i < res->n; i++)
		/* an id that is no UUID never reaches a URL */
		if (res->cards[i].state == RESULT_CREATED && res->cards[i].card.id &&
		    value_uuid_valid(res->cards[i].card.id))
			ids[(*n)++] = res->cards[i].card.id;
	return ids;
}

/* {"id", "status", "pin_set", "shipped_at"} of a card: what a reading
 * says, small enough for orders of any size. */
static json_object *state_of(const struct card_object *c)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "id", json_object_new_string(c->id ? c->id : ""));
	json_object_object_add(o, "status", c->status ? json_object_new_string(c->status)
						      : NULL);
	json_object_object_add(o, "pin_set", c->pin_set >= 0
						 ? json_object_new_boolean(c->pin_set) : NULL);
	json_object_object_add(o, "shipped_at", c->shipped_at
						    ? json_object_new_string(c->shipped_at) : NULL);
	return o;
}

enum status follow_record(const struct journal *j, const struct card_object *cards,
			  size_t n, time_t at, struct status_error *err)
{
	json_object *line = json_object_new_object(), *list = json_object_new_array();
	char *history = j->dir ? fs_join(j->dir, FOLLOW_FILE) : NULL;
	char *last = j->dir ? fs_join(j->dir, FOLLOW_LAST) : NULL;
	const char *text;
	enum status st = STATUS_OK;

	if (!line || !list || !history || !last) {
		st = status_set(err, j->dir ? STATUS_NOMEM : STATUS_USAGE,
				j->dir ? NULL : "no order is open");
		json_object_put(list);
		goto out;
	}
	for (size_t i = 0; i < n && st == STATUS_OK; i++)
		if (json_object_array_add(list, state_of(&cards[i])) != 0)
			st = status_set(err, STATUS_NOMEM, NULL);
	json_object_object_add(line, "at", json_object_new_int64((int64_t)at));
	json_object_object_add(line, "cards", list);
	text = st == STATUS_OK ? json_object_to_json_string_ext(line, JSON_C_TO_STRING_PLAIN)
			       : NULL;
	if (!text) {
		if (st == STATUS_OK)
			status_set(err, STATUS_NOMEM, NULL);
		st = STATUS_NOMEM;
		goto out;
	}
	/* the history, then the last reading on its own (read back fast) */
	st = fs_append_line(history, text, err);
	if (st == STATUS_OK)
		st = fs_write_atomic(last, text, strlen(text), err);
out:
	json_object_put(line);
	free(history);
	free(last);
	return st;
}

static const char *str_of(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Replaces *slot with a copy of s (NULL: none); false: memory. */
static bool set_text(char **slot, const char *s)
{
	char *copy = s ? strdup(s) : NULL;

	if (s && !copy)
		return false;
	free(*slot);
	*slot = copy;
	return true;
}

enum status follow_last(const struct journal *j, struct results *res, time_t *at,
			struct status_error *err)
{
	char *path = j->dir ? fs_join(j->dir, FOLLOW_LAST) : NULL, *text = NULL;
	json_object *root = NULL, *list = NULL, *v = NULL;
	size_t len = 0;
	enum status st;

	if (!path)
		return status_set(err, STATUS_NOT_FOUND, "this order was never read back");
	st = fs_read_all(path, FOLLOW_MAX_FILE, &text, &len, NULL);
	free(path);
	if (st != STATUS_OK || json_parse_limited(text, len, 8, &root, NULL) != JPARSE_OK ||
	    !json_object_object_get_ex(root, "cards", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		free(text);
		json_object_put(root);
		return status_set(err, STATUS_NOT_FOUND, "this order was never read back");
	}
	free(text);
	for (size_t k = 0; k < json_object_array_length(list); k++) {
		json_object *o = json_object_array_get_idx(list, k), *pin = NULL;
		const char *id = str_of(o, "id");

		for (size_t i = 0; id && i < res->n; i++) {
			struct card_object *c = &res->cards[i].card;

			if (res->cards[i].state != RESULT_CREATED || !c->id ||
			    strcmp(c->id, id) != 0)
				continue;
			json_object_object_get_ex(o, "pin_set", &pin);
			c->pin_set = json_object_is_type(pin, json_type_boolean)
					     ? json_object_get_boolean(pin) : -1;
			if (!set_text(&c->status, str_of(o, "status")) ||
			    !set_text(&c->shipped_at, str_of(o, "shipped_at")))
				st = STATUS_NOMEM;
			break;
		}
	}
	if (json_object_object_get_ex(root, "at", &v))
		*at = (time_t)json_object_get_int64(v);
	json_object_put(root);
	return st == STATUS_OK ? STATUS_OK : status_set(err, st, NULL);
}

static bool is_status(const struct card_result *r, const char *status)
{
	return r->card.status && strcmp(r->card.status, status) == 0;
}

bool follow_needs_pin(const struct card_result *r)
{
	enum card_level level;
	bool physical = (r->card.card_type && strcmp(r->card.card_type, "physical") == 0) ||
			(r->card.card_level && level_parse(r->card.card_level, &level) &&
			 level_is_physical(level));

	/* a virtual or flash card has no PIN to set; a lost, stolen,
	 * cancelled or discarded one never will */
	return r->state == RESULT_CREATED && physical && r->card.pin_set == 0 &&
	       (is_status(r, "pending") || is_status(r, "live") || is_status(r, "paused"));
}

void follow_summarise(const struct results *res, struct follow_summary *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < res->n; i++) {
		const struct card_result *r = &res->cards[i];

		if (r->state != RESULT_CREATED)
			continue;
		out->created++;
		if (is_status(r, "live"))
			out->live++;
		else if (is_status(r, "pending"))
			out->pending++;
		else
			out->other++;
		if (r->card.shipped_at && r->card.shipped_at[0])
			out->shipped++;
		if (follow_needs_pin(r))
			out->pin_not_set++;
	}
}

enum status follow_export_reminders(const struct results *res, const char *path,
				    enum csv_format format, size_t *n_out,
				    struct status_error *err)
{
	static const char *const header[] = { "row", "holder_id", "holder_name",
					      "card_level", "card_id", "status" };
	struct strbuf b = { 0 };
	char num[24], sep = csv_format_begin(format, &b);
	enum status st;

	*n_out = 0;
	results_csv_header(&b, header, sizeof(header) / sizeof(header[0]), sep);
	for (size_t i = 0; i < res->n; i++) {
		const struct card_result *r = &res->cards[i];

		if (!follow_needs_pin(r))
			continue;
		snprintf(num, sizeof(num), "%zu%c", i + 1, sep);
		strbuf_str(&b, num);
		results_csv_text(&b, r->card.holder_id);
		strbuf_add(&b, &sep, 1);
		results_csv_text(&b, r->holder_name);
		strbuf_add(&b, &sep, 1);
		results_csv_text(&b, r->card.card_level);
		strbuf_add(&b, &sep, 1);
		results_csv_text(&b, r->card.id);
		strbuf_add(&b, &sep, 1);
		results_csv_text(&b, r->card.status);
		strbuf_str(&b, "\r\n");
		(*n_out)++;
	}
	if (b.failed)
		st = status_set(err, STATUS_NOMEM, NULL);
	else
		st = fs_write_atomic(path, b.data, b.len, err);
	strbuf_free(&b);
	return st;
}

char *follow_json(const struct results *res, const char *order_id, time_t at,
		  bool read_now)
{
	json_object *root = json_object_new_object(), *cards = json_object_new_array();
	json_object *sum = json_object_new_object(), *remind = json_object_new_array();
	struct follow_summary s;
	char *out = NULL;

	if (!root || !cards || !sum || !remind) {
		json_object_put(root);
		json_object_put(cards);
		json_object_put(sum);
		json_object_put(remind);
		return NULL;
	}
	follow_summarise(res, &s);
	for (size_t i = 0; i < res->n; i++) {
		const struct card_result *r = &res->cards[i];
		bool made = r->state == RESULT_CREATED;
		json_object *c = json_object_new_object();

		json_object_object_add(c, "row", json_object_new_int64((int64_t)i + 1));
		json_object_object_add(c, "holder_id", made && r->card.holder_id
				       ? json_object_new_string(r->card.holder_id)
				       : r->asked.holder_id ? json_object_new_string(r->asked.holder_id)
							    : NULL);
		json_object_object_add(c, "holder_name", r->holder_name
				       ? json_object_new_string(r->holder_name) : NULL);
		json_object_object_add(c, "card_level", made && r->card.card_level
				       ? json_object_new_string(r->card.card_level)
				       : r->asked.card_level ? json_object_new_string(r->asked.card_level)
							     : NULL);
		json_object_object_add(c, "status", json_object_new_string(results_status_text(r)));
		json_object_object_add(c, "card_id", made ? json_object_new_string(r->card.id) : NULL);
		json_object_object_add(c, "pin_set", made && r->card.pin_set >= 0
				       ? json_object_new_boolean(r->card.pin_set) : NULL);
		json_object_object_add(c, "shipped_at", made && r->card.shipped_at
				       ? json_object_new_string(r->card.shipped_at) : NULL);
		json_object_object_add(c, "last_digits", made && r->card.last_digits
				       ? json_object_new_string(r->card.last_digits) : NULL);
		json_object_array_add(cards, c);
		if (follow_needs_pin(r))
			json_object_array_add(remind, json_object_new_string(
							      r->holder_name ? r->holder_name
							      : r->card.holder_id ? r->card.holder_id
										  : ""));
	}
	json_object_object_add(sum, "cards", json_object_new_int64((int64_t)res->n));
	json_object_object_add(sum, "created", json_object_new_int64((int64_t)s.created));
	json_object_object_add(sum, "live", json_object_new_int64((int64_t)s.live));
	json_object_object_add(sum, "pending", json_object_new_int64((int64_t)s.pending));
	json_object_object_add(sum, "other", json_object_new_int64((int64_t)s.other));
	json_object_object_add(sum, "shipped", json_object_new_int64((int64_t)s.shipped));
	json_object_object_add(sum, "pin_not_set", json_object_new_int64((int64_t)s.pin_not_set));
	json_object_object_add(root, "order_id", json_object_new_string(order_id));
	json_object_object_add(root, "as_of", at ? json_object_new_int64((int64_t)at) : NULL);
	json_object_object_add(root, "read_now", json_object_new_boolean(read_now));
	json_object_object_add(root, "summary", sum);
	json_object_object_add(root, "holders_to_remind", remind);
	json_object_object_add(root, "cards", cards);
	out = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return out;
}
