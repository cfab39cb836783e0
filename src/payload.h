/* payload.h: the request bodies of POST /v2/cards/bulk, built one request
 * (at most 50 cards) at a time so that large orders stay small in memory. */
#ifndef CARDORDER_PAYLOAD_H
#define CARDORDER_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "order.h"
#include "status.h"

#define PAYLOAD_MAX_CARDS 50

/* How many requests an order of n cards needs. */
size_t payload_request_count(size_t n_cards);

/* Builds the body {"cards":[{"card":{...}}, ...]} for count cards (1 to
 * PAYLOAD_MAX_CARDS) starting at cards. Unset fields are absent, limits
 * and days are integers, values whose *_option is false are left out and
 * local fields (holder, bank_account names) are never sent. *body is
 * owned by the caller (free), *len its length without the NUL. Compact
 * unless pretty. */
enum status payload_build(const struct card *cards, size_t count, bool pretty,
			  char **body, size_t *len, struct status_error *err);

#endif
