/* journal.h: what cardorder writes before and after every request, so
 * that no card is ordered twice and no order is lost, whatever happens to
 * the process (PRODUCT.md, "Submitting safely").
 *
 * An order lives in $XDG_STATE_HOME/cardorder/orders/ORDER_ID/:
 *   journal.jsonl       one event per line, appended and fsynced; the
 *                       first says what the order is
 *   order.json          a copy of the first line
 *   request-NNN.json    the exact body of request NNN (atomic, before sending)
 *   plan-NNN.json       its planned event with a copy of the body: a
 *                       journal that lost lines, or a request file that is
 *                       gone, is rebuilt from these
 *   answer-NNN.json     its final answer, or what reconciliation found
 *   names.json          holder names, for the export
 *   approval-NNN.json   the SCA session token of request NNN while it
 *                       waits for approval (see below)
 * and an append-only audit.log beside the orders. Files are 0600. No
 * secret is ever written in the journal or a log. The one secret kept is
 * the SCA session token of a request waiting for approval, in a file of
 * its own, removed once the request's next attempt leaves or it ends: it
 * approves only that request's body, lives 15 minutes, and lets `resume`
 * wait for an approval given while cardorder was not running instead of
 * asking the person to approve the same request again. */
#ifndef CARDORDER_JOURNAL_H
#define CARDORDER_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>

#include "status.h"

#define JOURNAL_MAX_ROWS 50

/* A request's states, and their names in the journal (written by
 * journal.c, read back by journal_replay.c):
 *   planned    key and body written, nothing sent yet
 *   sent       at least one attempt left this machine
 *   done       answered for good: the answer file holds the outcome
 *   failed     refused as a whole: the answer file or the note says why
 *   replanned  refused before anything was created; its rows went into
 *              later requests */
#define JREQ_STATE_LIST(X)                                                     \
	X(JREQ_PLANNED, "planned")                                             \
	X(JREQ_SENT, "sent")                                                   \
	X(JREQ_DONE, "done")                                                   \
	X(JREQ_FAILED, "failed")                                               \
	X(JREQ_REPLANNED, "replanned")

enum journal_req_state {
#define JREQ_ENUM(e, name) e,
	JREQ_STATE_LIST(JREQ_ENUM)
#undef JREQ_ENUM
	JREQ_STATE_COUNT
};

/* The events of the journal file, one JSON line each ("ev"). */
#define JEV_LIST(X)                                                            \
	X(JEV_ORDER, "order")     /* the first line: the order itself */     \
	X(JEV_PLANNED, "planned") /* a request's key, body hash and rows */  \
	X(JEV_READY, "ready")     /* every request is planned */              \
	X(JEV_SENDING, "sending") /* an attempt is about to leave */          \
	X(JEV_ANSWER, "answer")   /* an answer came (status, kind) */         \
	X(JEV_APPROVAL, "approval") /* a 428 asked for approval */           \
	X(JEV_SETTLED, "settled") /* a request's outcome is final */          \
	X(JEV_END, "end")         /* the order is over */

enum journal_event {
#define JEV_ENUM(e, name) e,
	JEV_LIST(JEV_ENUM)
#undef JEV_ENUM
	JEV_COUNT
};

extern const char *const journal_state_names[JREQ_STATE_COUNT];
extern const char *const journal_event_names[JEV_COUNT];

struct journal_request {
	unsigned number;          /* 1-based */
	char key[40];             /* X-Qonto-Idempotency-Key */
	char sha256[65];          /* of the body */
	uint32_t rows[JOURNAL_MAX_ROWS]; /* 0-based card positions */
	unsigned n_rows;
	enum journal_req_state state;
	time_t first_sent;        /* 0 until sent: the key's life starts here */
	time_t last_sent;         /* the latest attempt */
	long skew;                /* Qonto's clock minus this machine's when it
				     was first sent (has_skew) */
	bool has_skew;
	unsigned attempts;
	char note[256];           /* why it failed, for FAILED */
	char *sca_token;          /* owned: the approval waited for, until the
				     next attempt; NULL when none */
	time_t sca_at;            /* when it came */
};

struct journal {
	char *dir;               /* owned: the order's directory */
	char *audit_path;        /* owned */
	char order_id[40];
	char *source;            /* owned: the order file, may be NULL */
	char *base_url;          /* owned */
	time_t created;
	size_t n_cards;
	bool finished;           /* an "end" event was written */
	bool ready;              /* every request was planned ("ready") */
	bool damaged;            /* lines were unreadable or lost: no request
				    that is not settled can be trusted to be
				    unsent (see journal_open) */
	char damage[160];        /* what was found, for the person */
	int lock_fd;             /* journal.jsonl, locked; -1 (or 0) when not */
	long skew;               /* set by the sender before journal_sending: */
	bool has_skew;           /* Qonto's clock minus this machine's now */
	struct journal_request *requests; /* owned */
	size_t n_requests;
	size_t cap;
};

/* Creates a new order directory under state_dir ($XDG_STATE_HOME/cardorder)
 * with a fresh order id. On failure, j holds nothing (it is freed). */
enum status journal_create(struct journal *j, const char *state_dir,
			   const char *source, const char *base_url,
			   size_t n_cards, struct status_error *err);

/* Opens an existing order and replays its events. A last line cut short
 * by a crash is skipped (journal_lock removes it before appending). Any
 * other damage (an unreadable or unknown line, lines lost, a first line
 * gone) is repaired from order.json and plan-NNN.json where it can be,
 * and marks the journal damaged: every request not settled then counts
 * as sent, so that it is reconciled, never sent blind. A journal that
 * lost its "ready" line while every card is in a request is ready and
 * damaged. Whatever the outcome, the caller frees j with journal_free. */
enum status journal_open(struct journal *j, const char *state_dir,
			 const char *order_id, struct status_error *err);

/* The id of the most recent order that is not finished, into id (40
 * bytes); STATUS_NOT_FOUND when there is none. */
enum status journal_latest_unfinished(const char *state_dir, char *id,
				      struct status_error *err);

void journal_free(struct journal *j);

/* Takes the order for this process (an exclusive lock on its journal,
 * held until journal_free) and removes a last line cut short by a crash,
 * so that appends stay whole. Another process sending the same order
 * gives STATUS_USAGE. */
enum status journal_lock(struct journal *j, struct status_error *err);

/* Every request of the order is planned: sending may start. An order
 * without this event was interrupted while planning: nothing was sent. */
enum status journal_ready(struct journal *j, struct status_error *err);

/* Plans a request: new idempotency key, body written to disk and the
 * "planned" event appended, all before anything is sent. *out is
 * borrowed (valid until the next plan). */
enum status journal_plan(struct journal *j, const char *body, size_t len,
			 const uint32_t *rows, unsigned n_rows,
			 struct journal_request **out, struct status_error *err);

/* Reads request r's body back (owned): request-NNN.json, or the copy in
 * plan-NNN.json when that file is gone or changed. */
enum status journal_body(const struct journal *j, const struct journal_request *r,
			 char **body, size_t *len, struct status_error *err);

/* Events. Each is appended and fsynced before the function returns. */
enum status journal_sending(struct journal *j, struct journal_request *r,
			    struct status_error *err);
enum status journal_answer(struct journal *j, struct journal_request *r,
			   long http_status, const char *kind,
			   struct status_error *err);
/* A 428 asked for approval: its session token (in approval-NNN.json, the
 * event in the journal), until the next attempt. */
enum status journal_approval(struct journal *j, struct journal_request *r,
			     const char *token, struct status_error *err);
/* The token kept for request number (owned), or NULL. */
char *journal_approval_token(const struct journal *j, unsigned number);

/* plan-NNN.json parsed (owned), or NULL. */
json_object *journal_read_plan(const struct journal *j, unsigned number);

/* Wipes r's SCA token from memory. */
void journal_forget_approval(struct journal_request *r);
/* Saves the body that decides the request's outcome (a 200, a 4xx, or a
 * body synthesised by reconciliation) and sets its final state. */
enum status journal_settle(struct journal *j, struct journal_request *r,
			   enum journal_req_state state, const char *answer,
			   size_t len, const char *note,
			   struct status_error *err);
enum status journal_answer_body(const struct journal *j,
				const struct journal_request *r, char **body,
				size_t *len, struct status_error *err);
enum status journal_finish(struct journal *j, struct status_error *err);

/* The SHA-256 of data, in hex. */
void journal_sha256_hex(const char *data, size_t len, char out[65]);

/* What an order is, to tell the same cards sent twice: the SHA-256 of the
 * hashes of the bodies its cards were first planned in (requests 1 to
 * ceil(cards / 50), which submit_plan writes first and in order). */
void journal_digest_of(const char (*shas)[65], size_t n, char out[65]);
bool journal_digest(const struct journal *j, char out[65]);

/* An earlier order, as a person needs to know it. */
struct journal_summary {
	char order_id[40];
	time_t created;
	size_t n_cards;
	bool finished;
	bool damaged;
	size_t n_sent;      /* cards in requests that were sent */
	size_t n_settled;   /* cards in settled requests (done or refused) */
	size_t n_unknown;   /* cards in requests sent, outcome unknown */
	size_t n_approval;  /* cards in requests waiting for an approval */
};

/* The most recent order under state_dir of n_cards cards whose digest is
 * digest (only unfinished ones when unfinished_only), skipping except
 * (may be NULL). STATUS_NOT_FOUND when there is none. */
enum status journal_find_same(const char *state_dir, const char *digest,
			      size_t n_cards, bool unfinished_only,
			      const char *except, struct journal_summary *out);

/* The most recent order under state_dir, finished or not, into id (40
 * bytes). STATUS_NOT_FOUND when there is none. */
enum status journal_latest(const char *state_dir, char *id,
			   struct status_error *err);

/* Every unfinished order, newest first (owned array). */
enum status journal_list_unfinished(const char *state_dir,
				    struct journal_summary **out, size_t *n,
				    struct status_error *err);

/* One line in audit.log: who sent what and when. */
enum status journal_audit(struct journal *j, const struct journal_request *r,
			  const char *who, long http_status, size_t created,
			  size_t failed, const char *card_ids,
			  struct status_error *err);

/* Saves a map of holder ids to names in the order (for the export). */
enum status journal_save_names(struct journal *j, const char *names_json,
			       struct status_error *err);
enum status journal_load_names(const struct journal *j, char **names_json,
			       struct status_error *err);

#endif
