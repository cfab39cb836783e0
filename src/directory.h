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
#include "response.h"
#include "status.h"

#define DIRECTORY_MAX_PAGES 1000
#define DIRECTORY_PER_PAGE 100

/* All strings owned; any may be NULL except id. */
struct member {
	char *id, *first_name, *last_name, *role, *status, *team_id;
	char *folded; /* "first last" without accents or case, for matching */
};

struct bank_account {
	char *id, *name, *iban, *status, *currency;
	bool main;
	bool has_balance;
	long long balance_cents;
};

struct team {
	char *id, *name; /* owned; name may be NULL */
};

/* A card a holder already has (GET /v2/cards); strings owned, any but id
 * and holder_id may be NULL. */
struct held_card {
	char *id, *holder_id, *level, *status, *last_digits, *created_at;
};

struct appearance {
	char *level, *design; /* owned */
	bool active;
};

struct directory {
	char *organization_id, *organization_name;
	char *initiator_id, *initiator_name; /* the caller; may be NULL */
	char *caller_role, *caller_team_id;  /* may be NULL */
	char *caller_locale; /* the caller's language in Qonto ("fr"); may be NULL */
	struct member *members;
	size_t n_members;
	struct bank_account *accounts;
	size_t n_accounts;
	struct appearance *designs; /* GET /v2/cards/appearances, may be empty */
	size_t n_designs;
	bool designs_read;          /* the list above is Qonto's */
	struct team *teams;         /* GET /v2/teams, may be empty */
	size_t n_teams;
	struct held_card *held;     /* the holders' cards (see _new_held) */
	size_t n_held;
	struct card_object *listed; /* cards read by id (see _new_listed) */
	size_t n_listed;
	unsigned requests; /* HTTP requests made to fill it */
};

void directory_init(struct directory *dir);
void directory_free(struct directory *dir);

/* What a load reads: one bit per list, in directory_load.c's order. */
#define DIRECTORY_PARTS 6
#define DIRECTORY_ORGANIZATION (1u << 0)
#define DIRECTORY_ACCOUNTS (1u << 1)
#define DIRECTORY_MEMBERS (1u << 2)
#define DIRECTORY_DESIGNS (1u << 3) /* optional: the offline list serves */
#define DIRECTORY_CALLER (1u << 4)  /* optional: an API key may not reach it */
#define DIRECTORY_TEAMS (1u << 5)   /* optional (scope team.read): ids serve */
#define DIRECTORY_ALL 0x3fu

/* Holders whose cards one GET /v2/cards asks for. */
#define DIRECTORY_HOLDERS_PER_REQUEST 50
/* Lists a loader reads at once. */
#define DIRECTORY_MAX_RUNNING 6

/* Reading the directory on the caller's event loop: the lists are read
 * at once, each page after the one before, each failure retried by the
 * policy of retry.h, a 401 answered by renewing the token once. Nothing
 * here waits: the caller steps api->http (http_step) and then polls. */
struct directory_loader;

/* api is borrowed for the loader's life. */
enum status directory_loader_new(struct directory_loader **out, struct api *api,
				 unsigned parts, struct status_error *err);
/* Handles what finished and starts what may start; true while reading. */
bool directory_loader_poll(struct directory_loader *l);
/* ms until a retry is due, or -1 when the loader waits on the network only. */
long directory_loader_wait_ms(const struct directory_loader *l);
/* What is being read, for a progress line ("members, page 3"); borrowed,
 * valid until the next call. */
const char *directory_loader_doing(struct directory_loader *l);
/* Once poll returned false: moves what was read into dir (replacing
 * it), or returns why a list that is needed could not be read (the
 * optional ones are simply left empty). */
enum status directory_loader_take(struct directory_loader *l,
				  struct directory *dir, struct status_error *err);
/* Cancels what is still in flight; NULL is fine. */
void directory_loader_free(struct directory_loader *l);

/* A loader of the cards these holders already have that still count
 * (live, pending or paused), DIRECTORY_HOLDERS_PER_REQUEST holders a
 * request, every page; ids are copied. Polled like the one above. */
enum status directory_loader_new_held(struct directory_loader **out,
				      struct api *api, char *const *holder_ids,
				      size_t n, struct status_error *err);
/* Once poll returned false: moves the cards read into dir->held
 * (replacing them), leaving the rest of dir alone. */
enum status directory_loader_take_held(struct directory_loader *l,
				       struct directory *dir,
				       struct status_error *err);


/* Headless: runs a loader of parts to its end (blocks). */
enum status directory_load_parts(struct directory *dir, struct api *api,
				 unsigned parts, struct status_error *err);
/* A loader of these cards by id (GET /v2/cards?ids[]=..., whatever their
 * status), DIRECTORY_HOLDERS_PER_REQUEST ids a request, every page: an
 * order's cards followed after it was sent. Polled like the others. */
enum status directory_loader_new_listed(struct directory_loader **out,
					struct api *api, char *const *card_ids,
					size_t n, struct status_error *err);
/* Once poll returned false: the cards read (an owned array, each to be
 * freed with card_object_free), moved out. */
enum status directory_loader_take_listed(struct directory_loader *l,
					 struct card_object **cards, size_t *n,
					 struct status_error *err);
/* Headless: runs directory_loader_new_listed to its end. */
enum status directory_load_listed(struct api *api, char *const *card_ids, size_t n,
				  struct card_object **cards, size_t *n_cards,
				  unsigned *requests, struct status_error *err);

/* Headless: the holders' cards (directory_loader_new_held) into
 * dir->held; *requests (may be NULL) gets the requests made. */
enum status directory_load_held(struct directory *dir, struct api *api,
				char *const *holder_ids, size_t n,
				unsigned *requests, struct status_error *err);
/* Every list (DIRECTORY_ALL). */
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
enum status directory_parse_teams(struct directory *dir, const char *body,
				  size_t len, unsigned *next_page,
				  struct status_error *err);
/* A page of GET /v2/cards into dir->held; cards of another status than
 * live, pending or paused are left out (the filter is asked for, and
 * checked). */
enum status directory_parse_held(struct directory *dir, const char *body,
				 size_t len, unsigned *next_page,
				 struct status_error *err);
/* A page of GET /v2/cards into dir->listed, every card kept. */
enum status directory_parse_listed(struct directory *dir, const char *body,
				   size_t len, unsigned *next_page,
				   struct status_error *err);

/* Empties dir->held. */
void directory_held_clear(struct directory *dir);

/* The team's name, or NULL when the teams were not read or it is not
 * listed. */
const char *directory_team_name(const struct directory *dir, const char *team_id);

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

/* For validate_options.design_state: ctx is the directory. A design is
 * judged by its listing for the card's level (virtual and
 * virtual_partner share one design), else by its first listing, whose
 * level goes in *other_level. */
int directory_design_state(const void *ctx, const char *design, const char *level,
			   const char **other_level);

/* The member with this id, or NULL. */
const struct member *directory_member(const struct directory *dir,
				      const char *id);

#endif
