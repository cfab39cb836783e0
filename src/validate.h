/* validate.h: every rule of qonto-api.md, checked before anything is sent.
 * Errors block sending; warnings are shown and the card goes out as
 * written, since Qonto is the final judge where its documentation is
 * unsure. */
#ifndef CARDORDER_VALIDATE_H
#define CARDORDER_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "order.h"
#include "problems.h"

/* The highest monthly payment limit of a virtual card. */
#define VALIDATE_VIRTUAL_MONTHLY_MAX 20000
#define VALIDATE_FLASH_MIN 5
#define VALIDATE_FLASH_MAX 20000

struct validate_options {
	time_t now; /* "in the future" is judged against this */
	/* Set when ids can still come from the API (submit, the TUI): a
	 * missing organization_id, or a holder / bank account given by
	 * name, is then a note; for `payload`, which must show the exact
	 * body, it is an error. */
	bool ids_from_api;
	/* The designs Qonto offers this organisation (GET
	 * /v2/cards/appearances), when they were read; NULL: the offline
	 * list judges. Returns -1 for a design not offered, 0 for an
	 * inactive one, 1 for an active one: as listed for the card's level
	 * (*other_level NULL), else as listed for another level, named in
	 * *other_level (borrowed). */
	int (*design_state)(const void *ctx, const char *design, const char *level,
			    const char **other_level);
	const void *design_ctx;
};

/* Checks one card; problems are added with its row and index. Returns 0,
 * or -1 when memory runs out. */
int validate_card(const struct card *card, size_t index,
		  const struct validate_options *opts,
		  struct problem_list *problems);

/* The holders seen so far with each level, so that a second card of one
 * level for the same holder is a warning, also across the batches of a
 * streamed order. */
struct validate_seen;
struct validate_seen *validate_seen_new(void);
void validate_seen_free(struct validate_seen *s);
/* Notes the card's holder and level (s may be NULL: nothing); a second
 * one is a warning at the card. Returns 0, or -1 when memory runs out. */
int validate_seen_card(struct validate_seen *s, const struct card *card, size_t index,
		       struct problem_list *problems);

/* Checks every card of the order, and the same holder twice at one level.
 * Returns 0, or -1 on memory exhaustion. */
int validate_order(const struct order *order,
		   const struct validate_options *opts,
		   struct problem_list *problems);

#endif
