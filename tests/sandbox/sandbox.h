/* sandbox.h: the loopback fake of Qonto's Business API (qonto-api.md).
 *
 * One process, one struct sandbox. libmicrohttpd runs one thread per
 * connection, so every field below `lock` is read and written with the mutex
 * held; json-c objects are not thread-safe (refcounts and print buffers), so
 * responses built from shared objects are serialised with the lock held too.
 * Seed data and config are read-only once the daemon has started, but the
 * seed's json-c objects still need the lock to be printed. */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>
#include <microhttpd.h>

#define SANDBOX_MAX_LIST 8	   /* repeatable options */
#define SANDBOX_MAX_BODY (1 << 20) /* larger request bodies get 413 */
#define SANDBOX_UUID_LEN 36
#define SANDBOX_TOKEN_LEN 64 /* base64url characters */

enum validation_mode { VALIDATION_PER_CARD, VALIDATION_WHOLE };

enum sca_mode { SCA_MOCK, SCA_AUTO, SCA_AUTO_DENY, SCA_NOT_ENROLLED, SCA_OFF };

/* X(name, spelling on the command line) */
#define FAULT_LIST(X)                                                          \
	X(LATENCY, "latency")                                                  \
	X(E500, "500")                                                         \
	X(E503, "503")                                                         \
	X(E429, "429")                                                         \
	X(DROP_BEFORE, "drop-before")                                          \
	X(DROP_AFTER, "drop-after")                                            \
	X(TRUNCATE, "truncate")                                                \
	X(INVALID_JSON, "invalid-json")                                        \
	X(DRIP, "drip")                                                        \
	X(HOSTILE, "hostile")

#define FAULT_ENUM(name, text) FAULT_##name,
enum fault_kind { FAULT_NONE = -1, FAULT_LIST(FAULT_ENUM) FAULT_COUNT };
#undef FAULT_ENUM

struct rate_limit {
	unsigned long max;
	int64_t window_ms;
};

/* Strings point into argv (borrowed for the life of the process). */
struct sandbox_config {
	unsigned int port;
	const char *port_file;
	const char *seed_dir;
	const char *caller; /* --caller: the membership whose token it is */
	const char *closed_account; /* --closed-account: that account is closed */
	const char *catalog_dir;
	const char *staging_token;
	const char *access_tokens[SANDBOX_MAX_LIST];
	size_t n_access_tokens;
	const char *refresh_tokens[SANDBOX_MAX_LIST];
	size_t n_refresh_tokens;
	const char *api_keys[SANDBOX_MAX_LIST];
	size_t n_api_keys;
	const char *redirect_uris[SANDBOX_MAX_LIST];
	size_t n_redirect_uris;
	const char *client_id;
	const char *client_secret; /* NULL: a public client */
	int64_t token_lifetime_ms;
	int64_t code_lifetime_ms;
	int64_t sca_lifetime_ms;
	int64_t idem_ttl_ms;
	bool idem_off;          /* --idempotency off: no key is kept */
	enum validation_mode validation;
	enum sca_mode sca;
	unsigned int sca_polls;
	struct rate_limit limits[SANDBOX_MAX_LIST];
	size_t n_limits;
	double fault_rate;
	unsigned int fault_mask;   /* bit (1u << kind) */
	unsigned long fault_count; /* 0: no cap */
	bool fault_bulk_only;
	uint64_t seed;
	unsigned int latency_ms;
	unsigned int drip_bytes;
	unsigned int drip_ms;
	bool verbose;
};

/* Read-only after seed_load(). Objects are owned by the struct. */
struct seed {
	json_object *organization;   /* {"organization": {...}} */
	json_object *bank_accounts;  /* array */
	json_object *memberships;    /* array */
	json_object *membership;     /* {"membership": {...}} */
	json_object *appearances;    /* {"card_type_appearances": [...]} */
	json_object *teams;          /* array of {id, name} */
	json_object *existing_cards; /* array: the cards the organisation
					already has, put back by each reset */
	const char *organization_id; /* borrowed from organization */
	char **categories;
	size_t n_categories;
	char **countries;
	size_t n_countries;
	char **designs; /* from appearances */
	size_t n_designs;
};

struct stored_card {
	char id[SANDBOX_UUID_LEN + 1];
	char holder_id[SANDBOX_UUID_LEN + 1];
	char card_level[24];
	char idem_key[SANDBOX_UUID_LEN + 1];
	uint64_t seq;
	int64_t created_ms; /* wall clock, for sorting */
	bool existing;      /* seeded (cards.json), not created here */
	json_object *obj;   /* the card object, owned */
};

struct idem_entry {
	char key[SANDBOX_UUID_LEN + 1];
	unsigned char body_hash[32];
	int64_t expires_ms; /* monotonic */
	char *response;	    /* owned */
	size_t len;
};

enum sca_result { SCA_WAITING, SCA_ALLOW, SCA_DENY };

struct sca_session {
	char token[SANDBOX_TOKEN_LEN + 1];
	char idem_key[SANDBOX_UUID_LEN + 1];
	unsigned char body_hash[32];
	enum sca_result result;
	int64_t expires_ms;
	unsigned int polls;
	bool used;
};

enum token_kind { TOKEN_ACCESS, TOKEN_REFRESH, TOKEN_CODE };

struct token {
	enum token_kind kind;
	char value[256];
	char scope[256];
	char client_id[128];
	char redirect_uri[512]; /* codes only */
	char challenge[128];	/* codes only */
	int64_t expires_ms;	/* monotonic; 0: never */
	bool used;
};

struct counters {
	unsigned long requests;
	unsigned long bulk_requests;
	unsigned long cards_created;
	unsigned long idem_replays;
	unsigned long sca_challenges;
	unsigned long rate_limited;
	unsigned long faults[FAULT_COUNT];
	unsigned long status[6]; /* 1xx..5xx */
};

struct sandbox {
	struct sandbox_config cfg;
	struct seed seed;
	pthread_mutex_t lock;
	/* guarded by lock */
	struct stored_card *cards;
	size_t n_cards, cap_cards;
	struct idem_entry *idem;
	size_t n_idem, cap_idem;
	struct sca_session *sca;
	size_t n_sca, cap_sca;
	struct token *tokens;
	size_t n_tokens, cap_tokens;
	int64_t window_start_ms[SANDBOX_MAX_LIST];
	unsigned long window_count[SANDBOX_MAX_LIST];
	struct counters stats;
	uint64_t fault_draws;
	unsigned long faults_injected;
	uint64_t card_seq;
};

/* How a request authenticated. */
enum auth_kind { AUTH_NONE, AUTH_BEARER, AUTH_API_KEY };

/* One HTTP exchange. Strings are borrowed from MHD or the body buffer. */
struct exchange {
	struct sandbox *sb;
	struct MHD_Connection *conn;
	const char *method;
	const char *url;
	const char *body;
	size_t body_len;
	bool body_too_large;
	enum auth_kind auth;
	char scope[256];
	enum fault_kind fault; /* drawn for this request */
};

/* What to answer. body is owned (malloc). */
struct reply {
	unsigned int status;
	char *body;
	size_t len;
	const char *content_type;
	char retry_after[24];
	char *location; /* owned, NULL when none */
	bool drop;	/* close the connection without answering */
};

/* util.c */
int64_t util_now_ms(void);
void util_iso_time(int64_t wall_ms, char out[32]);
int64_t util_wall_ms(void);
bool util_parse_iso_time(const char *s, int64_t *wall_ms);
bool util_is_uuid(const char *s);
void util_new_uuid(char out[SANDBOX_UUID_LEN + 1]);
bool util_random_token(char out[SANDBOX_TOKEN_LEN + 1]);
bool util_sha256(const void *data, size_t len, unsigned char out[32]);
void util_base64url(const unsigned char *in, size_t len, char *out,
		    size_t out_size);
uint64_t util_mix64(uint64_t x);
bool util_parse_duration(const char *s, int64_t *ms);
bool util_parse_ulong(const char *s, unsigned long max, unsigned long *out);
int util_add(json_object *obj, const char *key, json_object *val);
int util_push(json_object *arr, json_object *val);
char *util_to_string(json_object *obj, size_t *len);
json_object *util_parse_json(const char *text, size_t len);
char *util_upper_utf8(const char *s);
void *util_grow(void *ptr, size_t *cap, size_t need, size_t size);

/* options.c */
int options_parse(struct sandbox_config *cfg, int argc, char **argv);
void options_usage(FILE *out);

/* seed.c */
int seed_load(struct seed *seed, const char *seed_dir, const char *catalog_dir);
void seed_free(struct seed *seed);
json_object *seed_find_membership(const struct seed *seed, const char *id);
bool seed_has_bank_account(const struct seed *seed, const char *id);
int seed_set_caller(struct seed *seed, const char *membership_id);
int seed_close_account(struct seed *seed, const char *account_id);
/* The status of a bank account (borrowed), or NULL. */
const char *seed_account_status(const struct seed *seed, const char *id);
const char *seed_caller_string(const struct seed *seed, const char *key);
bool seed_has(char *const *list, size_t n, const char *value);
const char *seed_default_design(const struct seed *seed, const char *level);

/* reply.c */
void reply_take_json(struct reply *r, unsigned int status, json_object *obj);
void reply_text(struct reply *r, unsigned int status, const char *type,
		const char *text);
void reply_error(struct reply *r, unsigned int status, const char *code,
		 const char *detail, const char *pointer);
void reply_error_param(struct reply *r, unsigned int status, const char *code,
		       const char *detail, const char *parameter);
json_object *reply_error_entry(const char *code, const char *detail,
			       const char *pointer);
json_object *reply_errors_body(json_object *errors);
void reply_login_page(struct reply *r);
void reply_clear(struct reply *r);
enum MHD_Result reply_send(struct exchange *ex, struct reply *r);

/* auth.c */
bool auth_staging_ok(struct exchange *ex);
bool auth_rate_limit(struct exchange *ex, struct reply *r);
bool auth_check(struct exchange *ex, const char *scope, bool oauth_only,
		struct reply *r);

/* fault.c */
enum fault_kind fault_draw(struct sandbox *sb, bool bulk);
const char *fault_name(enum fault_kind kind);
int fault_parse_list(const char *list, unsigned int *mask);
char *fault_hostile_string(uint64_t n);
void fault_corrupt(struct reply *r, enum fault_kind kind);
void fault_sleep_ms(unsigned int ms);

/* lists.c */
void lists_organization(struct exchange *ex, struct reply *r);
void lists_bank_accounts(struct exchange *ex, struct reply *r);
void lists_memberships(struct exchange *ex, struct reply *r);
void lists_membership(struct exchange *ex, struct reply *r);
void lists_appearances(struct exchange *ex, struct reply *r);
void lists_cards(struct exchange *ex, struct reply *r);
void lists_teams(struct exchange *ex, struct reply *r);
json_object *lists_page(json_object *items, unsigned long page,
			unsigned long per_page, const char *name);
bool lists_paging(struct exchange *ex, struct reply *r, unsigned long *page,
		  unsigned long *per_page);

/* cardcheck.c: validates one card object; appends JSON:API error entries
 * (transferred) to errors with pointers /cards/<index>/card/<field>.
 * Needs the lock only for seed lookups (read-only, no printing). */
void cardcheck_card(const struct seed *seed, json_object *card, size_t index,
		    int64_t now_wall_ms, json_object *errors);
int cardcheck_body(json_object *body, json_object *errors);

/* bulk.c */
void bulk_create(struct exchange *ex, struct reply *r);
json_object *bulk_card_object(struct sandbox *sb, json_object *req,
			      int64_t now_ms, bool hostile);
/* Puts the seed's existing cards back (caller holds the lock). */
int bulk_seed_existing(struct sandbox *sb);

/* idem.c (callers hold the lock) */
struct idem_entry *idem_find(struct sandbox *sb, const char *key);
int idem_store(struct sandbox *sb, const char *key,
	       const unsigned char hash[32], const char *response, size_t len);
void idem_clear(struct sandbox *sb);

/* sca.c */
struct sca_session *sca_new(struct sandbox *sb, const char *idem_key,
			    const unsigned char hash[32]);
struct sca_session *sca_find(struct sandbox *sb, const char *token);
enum sca_result sca_current(struct sandbox *sb, struct sca_session *s);
void sca_get(struct exchange *ex, const char *token, bool mocked,
	     struct reply *r);
void sca_decide(struct exchange *ex, const char *token, const char *decision,
		struct reply *r);
void sca_clear(struct sandbox *sb);
const char *sca_result_name(enum sca_result res);

/* oauth.c */
void oauth_authorize(struct exchange *ex, struct reply *r);
void oauth_token(struct exchange *ex, struct reply *r);
struct token *oauth_find_token(struct sandbox *sb, enum token_kind kind,
			       const char *value);
struct token *oauth_add_token(struct sandbox *sb, enum token_kind kind,
			      const char *scope, const char *client_id,
			      int64_t lifetime_ms);
void oauth_clear(struct sandbox *sb);
int oauth_preregister(struct sandbox *sb);

/* admin.c */
void admin_dispatch(struct exchange *ex, struct reply *r);
void admin_reset(struct sandbox *sb);
/* The same without putting the existing cards back: the end. */
void admin_clear(struct sandbox *sb);

/* http.c */
struct MHD_Daemon *http_start(struct sandbox *sb, uint16_t *port);
void http_dispatch(struct exchange *ex, struct reply *r);

#endif
