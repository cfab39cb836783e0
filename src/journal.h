/* journal.h: what cardorder writes before and after every request, so
 * that no card is ordered twice and no order is lost, whatever happens to
 * the process (PRODUCT.md, "Submitting safely").
 *
 * An order lives in $XDG_STATE_HOME/cardorder/orders/ORDER_ID/:
 *   journal.jsonl       one event per line, appended and fsynced; the
 *                       first says what the order is
 *   request-NNN.json    the exact body of request NNN (atomic, before sending)
 *   answer-NNN.json     its final answer, or what reconciliation found
 *   names.json          holder names, for the export
 * and an append-only audit.log beside the orders. Nothing secret is ever
 * written: no token, no key other than the idempotency key, no SCA token. */
#ifndef CARDORDER_JOURNAL_H
#define CARDORDER_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

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
	unsigned attempts;
	char note[256];           /* why it failed, for FAILED */
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
	int lock_fd;             /* journal.jsonl, locked; -1 (or 0) when not */
	struct journal_request *requests; /* owned */
	size_t n_requests;
	size_t cap;
};

/* Creates a new order directory under state_dir ($XDG_STATE_HOME/cardorder)
 * with a fresh order id. */
enum status journal_create(struct journal *j, const char *state_dir,
			   const char *source, const char *base_url,
			   size_t n_cards, struct status_error *err);

/* Opens an existing order and replays its events. A last line cut short
 * by a crash is removed from the file, so that appends go on cleanly.
 * Whatever the outcome, the caller frees j with journal_free. */
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

/* Reads request r's body back (owned). */
enum status journal_body(const struct journal *j, const struct journal_request *r,
			 char **body, size_t *len, struct status_error *err);

/* Events. Each is appended and fsynced before the function returns. */
enum status journal_sending(struct journal *j, struct journal_request *r,
			    struct status_error *err);
enum status journal_answer(struct journal *j, struct journal_request *r,
			   long http_status, const char *kind,
			   struct status_error *err);
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
