/* response.h: parsing every answer of POST /v2/cards/bulk (qonto-api.md,
 * "Answers") into plain structs. Pure: no I/O, no globals.
 *
 * Everything from the server is untrusted: the body is size- and
 * depth-limited, every value is type-checked, strings are copied as
 * received (valid UTF-8 guaranteed, but possibly holding control
 * characters: sanitise with text_sanitize before showing them). */
#ifndef CARDORDER_RESPONSE_H
#define CARDORDER_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pointer.h" /* response_pointer_parse */
#include "status.h"

#define RESPONSE_MAX_BYTES (4u * 1024u * 1024u)
#define RESPONSE_MAX_DEPTH 16
#define RESPONSE_MAX_STRING 4096 /* longer strings are cut at a character */

enum response_kind {
	RESPONSE_CARDS,            /* 200: one entry per card sent */
	RESPONSE_REJECTED,         /* 400/422: nothing created, errors[] */
	RESPONSE_SCA_REQUIRED,     /* 428 sca_required, sca_session_token */
	RESPONSE_SCA_NOT_ENROLLED, /* 428 sca_not_enrolled: final */
	RESPONSE_RATE_LIMITED,     /* 429 */
	RESPONSE_UNAUTHORIZED,     /* 401 */
	RESPONSE_FORBIDDEN,        /* 403 */
	RESPONSE_NOT_FOUND,        /* 404 */
	RESPONSE_SERVER_ERROR,     /* 5xx: outcome unknown */
	RESPONSE_NOT_JSON,         /* a body that is not JSON (HTML login page) */
	RESPONSE_MALFORMED,        /* JSON, but not the documented shape */
	RESPONSE_OTHER             /* any other status */
};

/* One JSON:API error. Strings owned; any may be NULL. */
struct api_error {
	char *code;
	char *detail;
	char *pointer;  /* as received, e.g. "/cards/3/card/payment_monthly_limit" */
	long card;      /* 0-based card index within the request, or -1;
			 * in a per-card error entry, that entry's index */
	char field[64]; /* API field name from the pointer ("address.city"), or "" */
};

enum entry_kind {
	ENTRY_CARD,     /* a card was created */
	ENTRY_ERROR,    /* this card alone was refused */
	ENTRY_MALFORMED /* neither: outcome of this card unknown */
};

/* The six limits of a card, in the one order used everywhere (the
 * export's columns, has_limits' bits, what was asked): X(NAME, member),
 * where member is the API's field name. */
#define LIMIT_LIST(X)                                                          \
	X(PAYMENT_MONTHLY, payment_monthly_limit)                              \
	X(PAYMENT_DAILY, payment_daily_limit)                                  \
	X(PAYMENT_TRANSACTION, payment_transaction_limit)                      \
	X(ATM_MONTHLY, atm_monthly_limit)                                      \
	X(ATM_DAILY, atm_daily_limit)                                          \
	X(PAYMENT_LIFESPAN, payment_lifespan_limit)

enum limit_index {
#define LIMIT_INDEX(name, member) LIMIT_INDEX_##name,
	LIMIT_LIST(LIMIT_INDEX)
#undef LIMIT_INDEX
	LIMIT_COUNT
};

/* has_limits' bits: LIMIT_PAYMENT_MONTHLY and so on. */
enum limit_bit {
#define LIMIT_BIT(name, member) LIMIT_##name = 1u << LIMIT_INDEX_##name,
	LIMIT_LIST(LIMIT_BIT)
#undef LIMIT_BIT
};

/* The API's names of the limits, by limit_index. */
extern const char *const limit_names[LIMIT_COUNT];

/* A card as read back. Strings owned, NULL when absent or null. */
struct card_object {
	char *id, *nickname, *embossed_name, *status, *mask_pan, *last_digits;
	char *exp_month, *exp_year; /* strings in the API; integers accepted */
	char *card_type, *card_level, *holder_id, *initiator_id;
	char *bank_account_id, *organization_id, *card_design, *type_of_print;
	char *pre_expires_at, *created_at, *updated_at;
	char *shipped_at;           /* NULL until Qonto ships it */
	int pin_set;                /* 1, 0, or -1 when not said */
	/* limits in whole euros; has_limits has a bit per LIMIT_* */
#define LIMIT_MEMBER(name, member) int64_t member;
	LIMIT_LIST(LIMIT_MEMBER)
#undef LIMIT_MEMBER
	unsigned has_limits;
	char *json; /* the card object as received, re-serialised compactly */
};

/* The limit at index k of LIMIT_LIST (borrowed from c). */
int64_t *card_object_limit(struct card_object *c, enum limit_index k);
const int64_t *card_object_limit_const(const struct card_object *c,
				       enum limit_index k);

/* Frees what c owns and empties it; NULL is fine. */
void card_object_free(struct card_object *c);

struct response_entry {
	enum entry_kind kind;
	struct card_object card;  /* ENTRY_CARD */
	struct api_error *errors; /* ENTRY_ERROR: owned array */
	size_t n_errors;
	char *problem;            /* ENTRY_MALFORMED: why, owned */
};

struct bulk_response {
	enum response_kind kind;
	long http_status;
	struct response_entry *entries; /* RESPONSE_CARDS: owned, in order */
	size_t n_entries;
	struct api_error *errors;       /* RESPONSE_REJECTED and others */
	size_t n_errors;
	char *code;      /* top-level "code" (428 bodies), owned */
	char *message;   /* top-level "message" or a description, owned */
	char *trace_id;  /* owned */
	char *sca_session_token; /* RESPONSE_SCA_REQUIRED: owned, a secret */
};

void response_init(struct bulk_response *resp);
/* Frees everything the struct owns (wiping the SCA token); NULL is fine. */
void response_free(struct bulk_response *resp);

/* Parses an answer to a request that carried n_sent cards. body need not be
 * NUL-terminated. Returns STATUS_OK whenever the answer could be classified
 * (including errors such as 422 or 428, which are in resp->kind); the
 * resp->kind RESPONSE_NOT_JSON and RESPONSE_MALFORMED also return OK with
 * resp->message saying what was wrong. Returns STATUS_NOMEM or
 * STATUS_TOO_LARGE (body over RESPONSE_MAX_BYTES) otherwise.
 * With RESPONSE_CARDS, n_entries may differ from n_sent: the caller
 * treats cards without an entry as "outcome unknown".
 * resp is initialised by the call (what it held before is not freed) and
 * is left empty but for http_status when the call fails. A body that is
 * not JSON, or is nested too deeply, keeps the kind of its status (with
 * resp->message saying what the body was), except for 200 and 428, whose
 * kind needs the body. */
enum status response_parse(long http_status, const char *body, size_t len,
			   size_t n_sent, struct bulk_response *resp,
			   struct status_error *err);

#endif
