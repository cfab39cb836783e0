/* preflight_internal.h: the summary's tallies, shared by preflight.c,
 * preflight_summary.c and preflight_json.c (nothing else includes it). */
#ifndef CARDORDER_PREFLIGHT_INTERNAL_H
#define CARDORDER_PREFLIGHT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "i18n.h"
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

/* Positions in an array of strings, by hash: position + 1, 0 free. */
struct text_index {
	size_t *slot;
	size_t cap, n;
};

struct preflight {
	struct seen_card *cards;
	size_t n, cap;
	char **holders; /* distinct, owned; sorted by preflight_holders */
	size_t n_holders, cap_holders;
	struct text_index holder_index;
	bool holders_sorted;
	struct tally level[LEVEL_COUNT], all;
	struct keyed *teams, *accounts;
	size_t n_teams, n_accounts;
	struct keyed *addresses; /* one per shipping address, as met */
	size_t n_addresses, cap_addresses;
	struct text_index address_index;
	size_t physical;
};

/* The addresses sorted by their text (owned array; NULL: memory). */
struct keyed_ref {
	const struct keyed *k;
};
struct keyed_ref *preflight_sorted_addresses(const struct preflight *p);

/* The key of the cards shipped to the business: in English (--json
 * writes the keys), translated where the summary shows it. */
#define BUSINESS_ADDRESS N_("the business's address")

/* s, or fallback when s is NULL or empty. */
const char *preflight_or_text(const char *s, const char *fallback);
/* "team Marketing", "team 3994693e-..." or "no team", as the summary
 * shows it (owned, sanitised; NULL when memory runs out). */
char *preflight_team_label(const struct directory *dir, const char *team_id);

/* The account of this id in dir (NULL: not read, or none). */
const struct bank_account *preflight_account(const struct directory *dir,
					     const char *id);

#endif
