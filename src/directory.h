/* directory.h: what the pickers show and what names in an order file are
 * resolved against: the organisation, its bank accounts, its members and
 * the caller's own membership, fetched page by page and kept in memory. */
#ifndef CARDORDER_DIRECTORY_H
#define CARDORDER_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"
#include "order.h"
#include "problems.h"
#include "status.h"

#define DIRECTORY_MAX_PAGES 1000
#define DIRECTORY_PER_PAGE 100

/* All strings owned; any may be NULL except id. */
struct member {
	char *id, *first_name, *last_name, *role, *status;
	char *folded; /* "first last" without accents or case, for matching */
};

struct bank_account {
	char *id, *name, *iban, *status, *currency;
	bool main;
};

struct appearance {
	char *level, *design; /* owned */
	bool active;
};

struct directory {
	char *organization_id, *organization_name;
	char *initiator_id, *initiator_name; /* the caller; may be NULL */
	struct member *members;
	size_t n_members;
	struct bank_account *accounts;
	size_t n_accounts;
	struct appearance *designs; /* GET /v2/cards/appearances, may be empty */
	size_t n_designs;
	unsigned requests; /* HTTP requests made to fill it */
};

void directory_init(struct directory *dir);
void directory_free(struct directory *dir);

/* Fetches the organisation, every bank account and every membership (all
 * pages), and the caller's membership when the credentials allow. */
enum status directory_load(struct directory *dir, struct api *api,
			   struct status_error *err);

/* Parsers of single answers, exposed for tests. Each appends to dir and
 * sets *next_page to the next page number, or 0 when there is none. */
enum status directory_parse_members(struct directory *dir, const char *body,
				    size_t len, unsigned *next_page,
				    struct status_error *err);
enum status directory_parse_accounts(struct directory *dir, const char *body,
				     size_t len, unsigned *next_page,
				     struct status_error *err);
enum status directory_parse_organization(struct directory *dir,
					 const char *body, size_t len,
					 struct status_error *err);
enum status directory_parse_appearances(struct directory *dir, const char *body,
					size_t len, struct status_error *err);
enum status directory_parse_caller(struct directory *dir, const char *body,
				   size_t len, struct status_error *err);

/* Members whose folded "first last" contains the folded query; fills up to
 * cap indices and returns how many matched in all. */
size_t directory_find_members(const struct directory *dir, const char *query,
			      size_t *out, size_t cap);

/* Fills holder_id from holder, bank_account_id from bank_account (name or
 * IBAN), organization_id and initiator_id when absent. Unknown or
 * ambiguous names become errors listing the candidates. Returns 0, or -1
 * when memory runs out. */
int directory_resolve(const struct directory *dir, struct order *order,
		      struct problem_list *problems);

/* The same for one card, whose problems are reported at index. */
int directory_resolve_card(const struct directory *dir, struct card *card,
			   size_t index, struct problem_list *problems);

/* The names of the order's holders as a JSON object {"id": "First Last"}
 * (owned), kept with the order for its export; NULL on memory exhaustion. */
char *directory_holder_names(const struct directory *dir, const struct order *order);

/* The member with this id, or NULL. */
const struct member *directory_member(const struct directory *dir,
				      const char *id);

#endif
