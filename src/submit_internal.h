/* submit_internal.h: what submit.c, submit_apply.c and reconcile.c share.
 * Not part of the library's interface. */
#ifndef CARDORDER_SUBMIT_INTERNAL_H
#define CARDORDER_SUBMIT_INTERNAL_H

#include "submit.h"
#include "claims.h"
#include "response.h"

#include <json-c/json.h>

#define SUBMIT_MAX_APPROVALS 3
/* Attempts with an unknown outcome, or listings that fail, in a row
 * before the order stops (the request stays open for resume). */
#define SUBMIT_MAX_UNKNOWN 10

enum live_state {
	LIVE_IDLE,        /* planned, waiting for a free slot */
	LIVE_POSTING,     /* the POST is on the wire */
	LIVE_APPROVAL,    /* 428: waiting to poll the SCA session */
	LIVE_POLLING,     /* GET /v2/sca_sessions/{token} on the wire */
	LIVE_RETRY,       /* waiting to send again with the same key */
	LIVE_RECONCILE,   /* waiting for a reconciliation slot */
	LIVE_LISTING,     /* GET /v2/cards on the wire */
	LIVE_RENEWING,    /* 401: waiting for the access token's renewal */
	LIVE_SETTLED
};

struct live {
	size_t jr;               /* index into journal->requests */
	enum live_state state;
	struct api_call call;
	char *body;              /* loaded while the request is active */
	size_t body_len;
	char *sca_token;         /* secret: memory only, wiped */
	long long sca_deadline_ms;
	long long wake_ms;
	unsigned unreachable;    /* attempts that never left this machine */
	unsigned backoff;        /* ambiguous failures so far */
	unsigned approvals;      /* 428s received */
	bool maybe_sent;         /* an attempt may have reached Qonto */
	bool answered;           /* ... and the server finished with it */
	unsigned auth_failures;  /* 401s in a row */
	unsigned renew_ticket;   /* see api_renew */
	unsigned renew_sent_with; /* the refused call's token_gen */
	enum live_state after_renew; /* what goes again once renewed */
	unsigned list_page;
	unsigned list_failures;  /* listings that failed in a row */
	unsigned unknowns;       /* attempts whose outcome was unknown */
	struct reconcile *rc;    /* while reconciling */
	struct claims claims;    /* the other orders', while reconciling */
	struct api_call decide;  /* sandbox only: the mocked approval */
};

struct submission {
	struct api *api;
	struct journal *journal;
	struct results *results;
	struct submit_options opts;
	submit_event_fn on_event;
	void *user;
	/* Each entry is allocated on its own and never moves: curl holds
	 * pointers into its call while a request is on the wire, and a
	 * replan grows this array in the middle of an answer handler. */
	struct live **live;
	size_t n_live, cap_live;
	long long paused_until_ms;   /* 429 */
	bool stopped;                /* auth failure, cancel */
	bool cancelled;
	bool reconciling;            /* one reconciliation at a time */
	bool verify_only;            /* an order never marked ready: what Qonto
					has is found, nothing is sent */
	bool damaged;                /* the order's files were damaged */
	bool journal_failed;         /* an outcome could not be journalled */
	bool left_open;              /* a request is left for a person (an
					ambiguous card): the order is not
					finished */
	struct status_error error;
	unsigned http_requests;
	unsigned seed;
};

/* CLOCK_MONOTONIC in milliseconds. */
long long submit_now_ms(void);

/* ---- the requests and the loop (submit.c) ---- */

struct journal_request *submit_jreq(struct submission *s, struct live *l);

void submit_emit(struct submission *s, struct live *l, enum submit_event_kind kind,
		 long seconds, long http, const char *message);

void submit_wipe_token(struct live *l);

void submit_live_release(struct live *l);

/* Adds a live entry for journal request jr; *out is stable for the
 * submission's life. */
enum status submit_live_push(struct submission *s, size_t jr, struct live **out);

/* A new request for some rows of l's request, with a new key: only after
 * Qonto said those cards were not created. */
enum status submit_replan(struct submission *s, struct live *l,
			  const uint32_t *rows, unsigned n);

/* Loads l's body from the journal when it is not in memory; false (and
 * s->error set) when it cannot be read. */
bool submit_load_body(struct submission *s, struct live *l);

/* Nothing more starts: auth failure, a journal that cannot be written. */
void submit_stop(struct submission *s);

/* The wait before attempt n + 1, with Retry-After (retry.h). */
long long submit_backoff_ms(struct submission *s, unsigned n, long retry_after_s);

/* Every row of l's request gets state (failed, not sent, unknown). */
void submit_fail_rows(struct submission *s, struct live *l,
		      enum result_state state, const char *code,
		      const char *detail);

/* The request stays open in the journal for resume, with its cards in
 * state (unknown, not sent) and the detail; the order stops there. */
void submit_leave_open(struct submission *s, struct live *l,
		       enum result_state state, const char *code,
		       const char *detail);

/* The request's outcome into the journal; l is settled. */
void submit_settle(struct submission *s, struct live *l,
		   enum journal_req_state state, const char *answer, size_t len,
		   const char *note);

/* One line of the audit log for l's request (who, key, status, ids). */
void submit_audit(struct submission *s, struct live *l, long http);

/* ---- posting and answers (submit_post.c) ---- */

/* Sends l's POST (again, with the same key): journalled as sending
 * before the first byte; reconciled instead when its key may be gone. */
void submit_start_post(struct submission *s, struct live *l);

/* The request is refused for good: a person declined it, or Qonto kept
 * asking. Nothing was created (an approval came first), so the cards are
 * failed and the request is settled. */
void submit_refused_all(struct submission *s, struct live *l, enum status code,
			const char *api_code, const char *message);

/* Polls the renewal l waits for; once a new token is set, l goes on in
 * the state it was in (wake now). */
void submit_renewal_poll(struct submission *s, struct live *l);

/* A 401: the access token expired or was revoked. It is renewed on the
 * event loop and the same request goes again in state then (a 401
 * created nothing); twice in a row and the order stops, since Qonto
 * throttles an address after many 401s. */
void submit_renew_after_401(struct submission *s, struct live *l,
			    enum live_state then);

/* The POST of s->live[idx] ended: its answer (or failure) applied. */
void submit_post_done(struct submission *s, size_t idx);

/* ---- approvals (submit_approval.c) ---- */

/* Asks the SCA session of l how its approval stands (or fails it once
 * the approval's time is over). */
void submit_start_poll(struct submission *s, struct live *l);

/* The poll ended: allowed (the POST goes again with the session token),
 * denied, or still waiting. */
void submit_poll_done(struct submission *s, struct live *l);

/* The sandbox took (or refused) a decision: the next poll tells the
 * outcome, at once; a refusal is said on the request's line. */
void submit_decide_done(struct submission *s, struct live *l);

/* ---- reconciliation (submit_reconcile.c) ---- */

/* Finds out what Qonto has before anything is sent again, after a grace
 * period in which a late attempt is processed (none when the server
 * answered the last attempt). */
long submit_schedule_reconcile(struct submission *s, struct live *l);

/* l's outcome is unknown and its key may be gone: reconcile it. */
void submit_go_reconcile(struct submission *s, struct live *l, const char *why);

/* Lists a page of the cards Qonto has for l's holders. */
void submit_start_listing(struct submission *s, struct live *l);

/* A page of the listing of s->live[idx] ended: the next page, or the
 * request settled from what was found (the rest planned again). */
void submit_listing_done(struct submission *s, size_t idx);

/* The error code of entries that reconciliation did not find: the card
 * went into a later request, which decides its outcome. */
#define SUBMIT_RESENT_CODE "cardorder_resent"

/* Applies a parsed answer to the rows a request carried. For a refused
 * request, the rows without an error of their own are written to
 * unaffected (up to 50) and *n_unaffected set. Returns STATUS_OK or
 * STATUS_NOMEM. */
enum status submit_apply(struct results *res, unsigned request,
			 const uint32_t *rows, unsigned n_rows,
			 struct bulk_response *resp, uint32_t *unaffected,
			 unsigned *n_unaffected);

/* Fills results' "asked" values for rows from a request body. */
enum status submit_fill_asked(struct results *res, const char *body,
			      size_t len, const uint32_t *rows, unsigned n_rows);

/* A body made of the items at positions pos[0..n) of body (owned). */
enum status submit_subset_body(const char *body, size_t len,
			       const unsigned *pos, unsigned n, char **out,
			       size_t *out_len);

/* The parsed "cards" items of a body; owned root, borrowed items. */
json_object *submit_body_items(const char *body, size_t len, json_object **items);

/* The card object inside a body item ({"card": {...}} or flat). */
json_object *submit_item_card(json_object *item);

#endif
