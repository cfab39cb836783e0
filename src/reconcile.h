/* reconcile.h: finding out what a request whose outcome is unknown
 * created, once its idempotency key can no longer be trusted: list the
 * holders' cards created since the request was first sent (GET
 * /v2/cards) and match them to the request's cards, so that only what
 * Qonto does not have is sent again. Pure: the caller does the HTTP. */
#ifndef CARDORDER_RECONCILE_H
#define CARDORDER_RECONCILE_H

#include <stddef.h>
#include <time.h>

#include "results.h"
#include "status.h"

/* Cards created this long before the first send still count: clocks of
 * this machine and Qonto's differ. */
#define RECONCILE_CLOCK_SLACK 300
#define RECONCILE_MAX_PAGES 50

struct reconcile;

/* body: the request's body (borrowed only during the call); since: when
 * it was first sent. */
enum status reconcile_new(struct reconcile **out, const char *body, size_t len,
			  time_t since, struct status_error *err);
void reconcile_free(struct reconcile *rc);

/* The path of page (from 1) of the listing, owned. */
char *reconcile_path(const struct reconcile *rc, unsigned page);

/* Matches the cards of one page of GET /v2/cards. Cards already known to
 * results (by id) are never matched again. *next_page is the page to
 * fetch next, or 0 when the listing went far enough back. */
enum status reconcile_page(struct reconcile *rc, const char *body, size_t len,
			   const struct results *known, unsigned *next_page,
			   struct status_error *err);

/* A 200-shaped answer, one entry per card of the request: the matched
 * card, or an error entry coded SUBMIT_RESENT_CODE for a card Qonto does
 * not have; *pos gets the positions of those (owned answer). */
enum status reconcile_answer(const struct reconcile *rc, char **answer,
			     size_t *len, unsigned *pos, unsigned *n_pos,
			     struct status_error *err);

#endif
