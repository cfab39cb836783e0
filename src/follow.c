/* follow.c: an order's cards after it was sent (see follow.h). */
#include "config.h"

#include "follow.h"
#include "fields.h"
#include "fsutil.h"
#include "strbuf.h"

#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FOLLOW_FILE "refreshes.jsonl"
#define FOLLOW_MAX_FILE (256u << 20) /* many readings of a large order */

char **follow_card_ids(const struct results *res, size_t *n)
{
	char **ids = malloc((res->n ? res->n : 1) * sizeof(*ids));

	*n = 0;
	for (size_t i = 0; ids && i < res->n; i++)
		if (res->cards[i].state == RESULT_CREATED && res->cards[i].card.id)
			ids[(*n)++] = res->cards[i].card.id;
	return ids;
}

enum status follow_record(const struct journal *j, const struct card_object *cards,
			  size_t n, time_t at, struct status_error *err)
{
	struct strbuf b = { 0 };
	char *path = fs_join(j->dir, FOLLOW_FILE);
	enum status st;

	strbuf_printf(&b, "{\"at\":%lld,\"cards\":[", (long long)at);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_str(&b, ",");
		strbuf_str(&b, cards[i].json ? cards[i].json : "{}");
	}
	strbuf_str(&b, "]}");
	if (!path || b.failed)
		st = status_set(err, STATUS_NOMEM, NULL);
	else
		st = fs_append_line(path, b.data, err);
	strbuf_free(&b);
	free(path);
	return st;
}

enum status follow_last(const struct journal *j, struct card_object **cards,
			size_t *n, time_t *at, struct status_error *err)
{
	char *path = fs_join(j->dir, FOLLOW_FILE), *text = NULL, *line, *at_key;
	struct bulk_response resp;
	size_t len = 0;
	enum status st;

	*cards = NULL;
	*n = 0;
	if (!path)
		return status_set(err, STATUS_NOMEM, NULL);
	st = fs_read_all(path, FOLLOW_MAX_FILE, &text, &len, NULL);
	free(path);
	if (st != STATUS_OK || len == 0) {
		free(text);
		return status_set(err, STATUS_NOT_FOUND, "this order was never read back");
	}
	/* the last whole line: a line cut by a crash is skipped */
	while (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	line = strrchr(text, '\n');
	line = line ? line + 1 : text;
	at_key = strstr(line, "\"at\":");
	*at = at_key ? (time_t)strtoll(at_key + 5, NULL, 10) : 0;
	st = response_parse(200, line, strlen(line), 0, &resp, err);
	if (st == STATUS_OK && resp.kind == RESPONSE_CARDS) {
		*cards = calloc(resp.n_entries ? resp.n_entries : 1, sizeof(**cards));
		for (size_t i = 0; *cards && i < resp.n_entries; i++)
			if (resp.entries[i].kind == ENTRY_CARD) {
				(*cards)[(*n)++] = resp.entries[i].card;
				memset(&resp.entries[i].card, 0, sizeof(resp.entries[i].card));
			}
		if (!*cards)
			st = status_set(err, STATUS_NOMEM, NULL);
	} else if (st == STATUS_OK) {
		st = status_set(err, STATUS_FORMAT, "the last reading of this order is "
						    "unreadable");
	}
	response_free(&resp);
	free(text);
	return st;
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

	/* a virtual or flash card has no PIN to set */
	return r->state == RESULT_CREATED && physical && r->card.pin_set == 0 &&
	       !is_status(r, "discarded") && !is_status(r, "expired");
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
				    size_t *n_out, struct status_error *err)
{
	struct strbuf b = { 0 };
	char num[24];
	enum status st;

	*n_out = 0;
	strbuf_str(&b, "row,holder_id,holder_name,card_level,card_id,status\r\n");
	for (size_t i = 0; i < res->n; i++) {
		const struct card_result *r = &res->cards[i];

		if (!follow_needs_pin(r))
			continue;
		snprintf(num, sizeof(num), "%zu,", i + 1);
		strbuf_str(&b, num);
		results_csv_text(&b, r->card.holder_id);
		strbuf_str(&b, ",");
		results_csv_text(&b, r->holder_name);
		strbuf_str(&b, ",");
		results_csv_text(&b, r->card.card_level);
		strbuf_str(&b, ",");
		results_csv_text(&b, r->card.id);
		strbuf_str(&b, ",");
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
		if (follow_needs_pin(r) && r->holder_name)
			json_object_array_add(remind, json_object_new_string(r->holder_name));
	}
	json_object_object_add(sum, "cards", json_object_new_int64((int64_t)res->n));
	json_object_object_add(sum, "created", json_object_new_int64((int64_t)s.created));
	json_object_object_add(sum, "live", json_object_new_int64((int64_t)s.live));
	json_object_object_add(sum, "pending", json_object_new_int64((int64_t)s.pending));
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
