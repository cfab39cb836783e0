/* reconcile.h: finding out what a request whose outcome is unknown
 * created, before anything is sent again: list the holders' cards (GET
 * /v2/cards, newest first) and pair them with the request's cards, so
 * that only what Qonto does not have is sent again. A listed card can be
 * this request's only when
 *   - Qonto created it after the request was first sent (Qonto's clock,
 *     measured from the Date header of the listing: no minutes of slack),
 *   - no other order holds it (claims.h), and
 *   - it has every value the request asked for, on every field the card
 *     object returns (holder, level, limits and their switches, options,
 *     categories, active days, design, print, lifespan, expiry); two
 *     identical cards are paired by count, and a card goes to the card of
 *     the request that asked the most of it.
 * A card that could also be another unsettled order's, one for a holder
 * and level of the request that differs on a value (Qonto may have
 * changed it), and every card not found when the list could not be read
 * to its end, are ambiguous: reported, never taken, never sent again.
 * Pure: the caller does the HTTP. */
#ifndef CARDORDER_RECONCILE_H
#define CARDORDER_RECONCILE_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "claims.h"
#include "results.h"
#include "status.h"

/* Without a Date header to measure Qonto's clock, cards created this
 * long before the first send still count (other orders' cards are still
 * excluded by their claims). */
#define RECONCILE_CLOCK_SLACK 300
/* The Date header and created_at have whole seconds. */
#define RECONCILE_SECOND_SLACK 2
#define RECONCILE_MAX_PAGES 50
#define RECONCILE_PER_PAGE 100

/* The error code of an entry whose card could be another order's. */
#define RECONCILE_AMBIGUOUS_CODE "cardorder_ambiguous"

struct reconcile;

/* What a reconciliation knows besides the request's body. Everything is
 * borrowed for the reconciliation's life. */
struct reconcile_setup {
	time_t since;              /* first sent, this machine's clock */
	bool has_skew;             /* Qonto's clock minus this machine's then */
	long skew;
	const struct claims *claims; /* the other orders' and this order's
					other requests (may be NULL) */
	const bool *elsewhere;     /* per card of the request: a later request
				      carries it and decides it (may be NULL) */
};

/* body: the request's body (borrowed only during the call). */
enum status reconcile_new(struct reconcile **out, const char *body, size_t len,
			  const struct reconcile_setup *setup,
			  struct status_error *err);

/* True when the card object has every value the asked card (a body
 * item's card) sets, as far as the card object tells. */
bool reconcile_fits(json_object *asked, json_object *card);
void reconcile_free(struct reconcile *rc);

/* The path of page (from 1) of the listing, owned. */
char *reconcile_path(const struct reconcile *rc, unsigned page);

/* Matches the cards of one page of GET /v2/cards. server_date and
 * local_date: the page's Date header and this machine's clock when it
 * came (0: no Date header). Cards already known to results (by id) are
 * never matched again. *next_page is the page to fetch next, or 0 when
 * the listing went far enough back. */
enum status reconcile_page(struct reconcile *rc, const char *body, size_t len,
			   time_t server_date, time_t local_date,
			   const struct results *known, unsigned *next_page,
			   struct status_error *err);

/* How many of the request's cards are ambiguous, once the listing is
 * read: a card that another unsettled order could have made is taken by
 * none, and makes ambiguous a card of the request that no card of its
 * own was found for. */
size_t reconcile_ambiguous(struct reconcile *rc);

/* A 200-shaped answer, one entry per card of the request: the matched
 * card, an error entry coded SUBMIT_RESENT_CODE for a card Qonto does not
 * have (*pos gets the positions of those), or one coded
 * RECONCILE_AMBIGUOUS_CODE naming both orders (owned answer). */
enum status reconcile_answer(struct reconcile *rc, char **answer,
			     size_t *len, unsigned *pos, unsigned *n_pos,
			     struct status_error *err);

#endif
