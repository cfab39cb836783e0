/* claims.h: what the other orders of the state directory hold, so that
 * reconciliation never takes their cards for this order's:
 *
 *   taken   card ids in their answers (cards they created or found)
 *   rivals  their requests whose outcome is unknown (sent, unsettled):
 *           a listed card that fits one of those and this order's
 *           request could belong to either, and is reported ambiguous
 *
 * Only orders touched since a given time are read: a card created after
 * a request was first sent can only be held by an order written since. */
#ifndef CARDORDER_CLAIMS_H
#define CARDORDER_CLAIMS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "journal.h"
#include "status.h"

struct claims_rival {
	char order_id[40];
	unsigned request;      /* 1-based */
	time_t first_sent;     /* this machine's clock */
	json_object *root;     /* the request's body (owned) */
	json_object *items;    /* its "cards" (borrowed from root) */
};

struct claims {
	char **taken;          /* sorted, owned */
	size_t n_taken;
	struct claims_rival *rivals;
	size_t n_rivals;
	/* this order's other requests whose outcome is unknown: a card that
	 * fits one of theirs is theirs to decide, not a doubt about this one */
	json_object **own;     /* owned bodies */
	json_object **own_items; /* their "cards" (borrowed) */
	size_t n_own;
};

/* Reads the orders under orders_dir other than self that were written
 * at or after since. Unreadable files are skipped: they hold nothing
 * this order could take. */
enum status claims_load(struct claims *c, const char *orders_dir,
			const char *self, time_t since, struct status_error *err);
void claims_free(struct claims *c);

/* Adds the bodies of the order's requests whose outcome is unknown (sent,
 * not settled), but number self; unreadable ones are skipped. */
enum status claims_add_own(struct claims *c, const struct journal *j,
			   unsigned self, struct status_error *err);

/* True when another order holds the card id. */
bool claims_taken(const struct claims *c, const char *id);

#endif
