/* preflight_internal.h: the summary's tallies, shared by preflight.c and
 * preflight_json.c (nothing else includes it). */
#ifndef CARDORDER_PREFLIGHT_INTERNAL_H
#define CARDORDER_PREFLIGHT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "preflight.h"

struct seen_card {
	const char *holder; /* interned in p->holders */
	uint8_t level;
	bool has_level;
	unsigned row;
	size_t index;
};

struct tally {
	size_t cards;
	int64_t pay, atm, flash;
};

struct keyed {
	char *key; /* owned; NULL: none (no team) */
	struct tally t;
};

struct preflight {
	struct seen_card *cards;
	size_t n, cap;
	char **holders; /* sorted, distinct, owned */
	size_t n_holders, cap_holders;
	struct tally level[LEVEL_COUNT], all;
	struct keyed *teams, *accounts;
	size_t n_teams, n_accounts;
	struct keyed *addresses; /* sorted by key: one per shipping address */
	size_t n_addresses, cap_addresses;
	size_t physical;
};

/* The account of this id in dir (NULL: not read, or none). */
const struct bank_account *preflight_account(const struct directory *dir,
					     const char *id);

#endif
