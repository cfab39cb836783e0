/* submit_apply.c: answers into per-card results; bodies into subsets. */
#include "config.h"

#include "submit_internal.h"
#include "i18n.h"
#include "reconcile.h"
#include "jsonutil.h"
#include "payload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_DEPTH 12

json_object *submit_body_items(const char *body, size_t len, json_object **items)
{
	json_object *root = NULL;
	char *copy = strndup(body, len);

	*items = NULL;
	if (!copy)
		return NULL;
	if (json_parse_limited(copy, len, BODY_DEPTH, &root, NULL) != JPARSE_OK) {
		free(copy);
		return NULL;
	}
	free(copy);
	*items = json_member(root, "cards");
	if (!json_object_is_type(*items, json_type_array)) {
		json_object_put(root);
		*items = NULL;
		return NULL;
	}
	return root;
}

json_object *submit_item_card(json_object *item)
{
	json_object *card = json_member(item, "card");

	return card ? card : item;
}

/* The first error of a card, joined with the others' details. */
static enum status fail_with(struct results *res, size_t row, unsigned request,
			     const struct api_error *errors, size_t n)
{
	char detail[1024] = "";
	size_t used = 0;

	for (size_t i = 0; i < n && used < sizeof(detail) - 1; i++) {
		int w = snprintf(detail + used, sizeof(detail) - used, "%s%s",
				 i ? "; " : "",
				 errors[i].detail ? errors[i].detail
						  : (errors[i].code ? errors[i].code : "refused"));
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return results_fail(res, row, request, RESULT_FAILED,
			    n ? errors[0].code : "refused", detail,
			    n ? errors[0].field : "");
}

static enum status apply_cards(struct results *res, unsigned request,
			       const uint32_t *rows, unsigned n_rows,
			       struct bulk_response *resp)
{
	enum status st = STATUS_OK;

	for (unsigned i = 0; i < n_rows && st == STATUS_OK; i++) {
		struct response_entry *e = i < resp->n_entries ? &resp->entries[i] : NULL;

		if (!e)
			st = results_fail(res, rows[i], request, RESULT_UNKNOWN,
					  "missing",
					  /* English in the results export; N_: a
					   * screen translates it where it shows it */
					  N_("Qonto's answer did not mention "
					     "this card; check in Qonto before "
					     "ordering it again"),
					  NULL);
		else if (e->kind == ENTRY_CARD)
			results_created(res, rows[i], request, &e->card);
		else if (e->kind == ENTRY_MALFORMED)
			st = results_fail(res, rows[i], request, RESULT_UNKNOWN,
					  "malformed", e->problem, NULL);
		else if (e->n_errors && e->errors[0].code &&
			 strcmp(e->errors[0].code, SUBMIT_RESENT_CODE) == 0)
			continue; /* a later request decides */
		else if (e->n_errors && e->errors[0].code &&
			 strcmp(e->errors[0].code, RECONCILE_AMBIGUOUS_CODE) == 0)
			st = results_fail(res, rows[i], request, RESULT_UNKNOWN,
					  "ambiguous", e->errors[0].detail, NULL);
		else
			st = fail_with(res, rows[i], request, e->errors, e->n_errors);
	}
	return st;
}

static enum status apply_rejected(struct results *res, unsigned request,
				  const uint32_t *rows, unsigned n_rows,
				  struct bulk_response *resp,
				  uint32_t *unaffected, unsigned *n_unaffected)
{
	struct api_error mine[8];
	enum status st = STATUS_OK;
	bool any_card = false;
	size_t n;

	for (size_t k = 0; k < resp->n_errors; k++)
		if (resp->errors[k].card >= 0 && resp->errors[k].card < (long)n_rows)
			any_card = true;
	*n_unaffected = 0;
	for (unsigned i = 0; i < n_rows && st == STATUS_OK; i++) {
		n = 0;
		for (size_t k = 0; k < resp->n_errors && n < 8; k++)
			if (!any_card || resp->errors[k].card == (long)i)
				mine[n++] = resp->errors[k];
		if (n > 0)
			st = fail_with(res, rows[i], request, mine, n);
		else if (!any_card && resp->n_errors == 0)
			st = results_fail(res, rows[i], request, RESULT_FAILED,
					  "refused", resp->message ? resp->message
								   : N_("Qonto refused the request"),
					  NULL);
		else
			unaffected[(*n_unaffected)++] = rows[i];
	}
	return st;
}

enum status submit_apply(struct results *res, unsigned request,
			 const uint32_t *rows, unsigned n_rows,
			 struct bulk_response *resp, uint32_t *unaffected,
			 unsigned *n_unaffected)
{
	*n_unaffected = 0;
	if (resp->kind == RESPONSE_CARDS)
		return apply_cards(res, request, rows, n_rows, resp);
	if (resp->kind == RESPONSE_REJECTED)
		return apply_rejected(res, request, rows, n_rows, resp, unaffected,
				      n_unaffected);
	return STATUS_OK;
}

static const char *string_member(json_object *obj, const char *key)
{
	json_object *v = json_member(obj, key);

	return json_object_is_type(v, json_type_string) ? json_object_get_string(v)
							 : NULL;
}

static enum status asked_from(struct results *res, size_t row, json_object *card)
{
	int64_t limits[LIMIT_COUNT] = { 0 };
	unsigned has = 0;
	json_object *v;

	for (int k = 0; k < LIMIT_COUNT; k++) {
		v = json_member(card, limit_names[k]);
		if (json_object_is_type(v, json_type_int)) {
			limits[k] = json_object_get_int64(v);
			has |= 1u << k;
		}
	}
	return results_set_asked(res, row, string_member(card, "holder_id"),
				 string_member(card, "card_level"),
				 string_member(card, "pre_expires_at"), limits, has);
}

enum status submit_fill_asked(struct results *res, const char *body,
			      size_t len, const uint32_t *rows, unsigned n_rows)
{
	json_object *items, *root = submit_body_items(body, len, &items);
	enum status st = STATUS_OK;

	if (!root)
		return STATUS_FORMAT;
	for (unsigned i = 0; i < n_rows && st == STATUS_OK; i++)
		if (i < json_object_array_length(items) && rows[i] < res->n)
			st = asked_from(res, rows[i],
					submit_item_card(json_object_array_get_idx(items, i)));
	json_object_put(root);
	return st;
}

enum status submit_subset_body(const char *body, size_t len,
			       const unsigned *pos, unsigned n, char **out,
			       size_t *out_len)
{
	json_object *items, *root = submit_body_items(body, len, &items);
	json_object *sub = json_object_new_object(), *list = json_object_new_array();
	enum status st = STATUS_OK;
	const char *text;

	if (!root || !sub || !list) {
		st = root ? STATUS_NOMEM : STATUS_FORMAT;
		goto out;
	}
	for (unsigned i = 0; i < n && st == STATUS_OK; i++) {
		json_object *item = json_object_array_get_idx(items, pos[i]);

		if (!item || json_object_array_add(list, json_object_get(item)) < 0)
			st = STATUS_FORMAT;
	}
	json_object_object_add(sub, "cards", list);
	list = NULL;
	text = json_object_to_json_string_length(
		sub, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, out_len);
	*out = text && st == STATUS_OK ? strndup(text, *out_len) : NULL;
	if (st == STATUS_OK && !*out)
		st = STATUS_NOMEM;
out:
	json_object_put(list);
	json_object_put(sub);
	json_object_put(root);
	return st;
}
