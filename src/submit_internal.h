/* submit_internal.h: what submit.c, submit_apply.c and reconcile.c share.
 * Not part of the library's interface. */
#ifndef CARDORDER_SUBMIT_INTERNAL_H
#define CARDORDER_SUBMIT_INTERNAL_H

#include "submit.h"
#include "response.h"

#include <json-c/json.h>

/* The error code of entries that reconciliation did not find: the card
 * went into a later request, which decides its outcome. */
#define SUBMIT_RESENT_CODE "cardorder_resent"

/* Applies a parsed answer to the rows a request carried. For a refused
 * request, the rows without an error of their own are written to
 * unaffected (up to 50) and *n_unaffected set. Returns STATUS_OK or
 * STATUS_NOMEM. */
enum status submit_apply(struct results *res, unsigned request,
			 const uint32_t *rows, unsigned n_rows,
			 struct bulk_response *resp, uint32_t *unaffected,
			 unsigned *n_unaffected);

/* Fills results' "asked" values for rows from a request body. */
enum status submit_fill_asked(struct results *res, const char *body,
			      size_t len, const uint32_t *rows, unsigned n_rows);

/* A body made of the items at positions pos[0..n) of body (owned). */
enum status submit_subset_body(const char *body, size_t len,
			       const unsigned *pos, unsigned n, char **out,
			       size_t *out_len);

/* The parsed "cards" items of a body; owned root, borrowed items. */
json_object *submit_body_items(const char *body, size_t len, json_object **items);

/* The card object inside a body item ({"card": {...}} or flat). */
json_object *submit_item_card(json_object *item);

#endif
