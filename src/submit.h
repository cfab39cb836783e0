/* submit.h: sending an order safely. One non-blocking step function drives
 * every request of the order through its states, so that the TUI's event
 * loop and the headless loop run the same code:
 *
 *   planned -> sending -> done
 *                 |-> waiting for approval (428) -> sending (replay, same key)
 *                 |-> retrying in N s (429, 401, never left: nothing created)
 *                 |-> reconciling (5xx, timeout, dropped, unreadable answer:
 *                 |   GET /v2/cards first, then only the missing cards go
 *                 |   again; Qonto does not document keys for this endpoint)
 *                 |-> refused (422: the cards without an error are planned again)
 *
 * Every request's idempotency key and body are journalled before its first
 * byte is sent (journal.h); a card is never ordered twice because of a
 * retry, a crash, a cancel or a restart. */
#ifndef CARDORDER_SUBMIT_H
#define CARDORDER_SUBMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"
#include "journal.h"
#include "order.h"
#include "results.h"
#include "status.h"

struct submit_options {
	unsigned max_in_flight;   /* POSTs at once (default 4) */
	unsigned max_approvals;   /* approvals waited for at once (default 8) */
	long sca_timeout_s;       /* an approval's life (default 900) */
	long reconcile_grace_s;   /* after an attempt the server never answered,
				     before listing what Qonto has: a late
				     attempt is processed first (default 120,
				     or CARDORDER_RECONCILE_GRACE) */
	unsigned max_unreachable; /* attempts that never left (default 6) */
	long backoff_base_ms;     /* default 500 */
	long backoff_max_ms;      /* default 30000 */
	const char *who;          /* for the audit log: the person ordering */
};

enum submit_event_kind {
	SUBMIT_EV_QUEUED,
	SUBMIT_EV_SENDING,
	SUBMIT_EV_APPROVAL,    /* waiting for approval; seconds = time left */
	SUBMIT_EV_RETRYING,    /* seconds = wait before the next attempt */
	SUBMIT_EV_RECONCILING,
	SUBMIT_EV_RENEWING,    /* a 401: the login is being renewed */
	SUBMIT_EV_DONE,        /* the request is settled */
	SUBMIT_EV_FAILED,      /* the request was refused as a whole */
	SUBMIT_EV_UNKNOWN      /* outcome unknown (cancel) */
};

struct submit_event {
	enum submit_event_kind kind;
	unsigned request;     /* 1-based */
	unsigned n_requests;  /* so far (422 and reconciliation add some) */
	unsigned n_cards;     /* in this request */
	long seconds;
	long http_status;
	const char *message;  /* borrowed, sanitised, may be NULL */
};

typedef void (*submit_event_fn)(void *user, const struct submit_event *ev);

enum submit_outcome {
	SUBMIT_ALL_CREATED,   /* exit 0 */
	SUBMIT_SOME_FAILED,   /* exit 1 */
	SUBMIT_NOTHING_SENT,  /* exit 3: auth, network or server error, no card created */
	SUBMIT_UNKNOWN        /* exit 4: some outcomes unknown; resume */
};

struct submission;

/* Plans every request of a validated order into the journal: bodies of at
 * most 50 cards, in order, each with its key, all on disk before anything
 * is sent. */
enum status submit_plan(struct journal *journal, const struct order *order,
			struct status_error *err);

/* What the order is (journal_digest): the same cards, sent by the same
 * person to the same organisation, give the same digest. */
enum status submit_digest(const struct order *order, char out[65],
			  struct status_error *err);

/* The results of an order as its journal says, without sending or
 * writing anything (`status`): what settled requests created or were
 * refused; the cards of a request sent without a known outcome are
 * unknown, those of one never sent not_sent. */
enum status submit_read_results(struct journal *journal, struct results *results,
				struct status_error *err);

/* Prepares to send the journal's unsettled requests. Results of settled
 * requests are read back from the journal (this is how `resume` starts).
 * api, journal and results are borrowed and outlive the submission. */
enum status submit_new(struct submission **out, struct api *api,
		       struct journal *journal, struct results *results,
		       const struct submit_options *opts, submit_event_fn on_event,
		       void *user, struct status_error *err);
void submit_free(struct submission *sub);

/* Advances: starts what may start, waits at most timeout_ms for the
 * network or the fds, handles answers. Returns false once every request is
 * settled or the submission was cancelled or stopped. */
bool submit_step(struct submission *sub, int timeout_ms, const int *fds,
		 unsigned n_fds);

/* Stops: requests never sent stay planned; requests already sent are
 * reported "outcome unknown" (resume finds out). */
void submit_cancel(struct submission *sub);

/* Sandbox only: answers the pending approval of a request through the
 * mocked SCA endpoint, as the Qonto app would. Does not wait: the answer
 * is taken by submit_step (the next poll then sees the decision, and a
 * refusal is an SUBMIT_EV_APPROVAL event with its message). */
enum status submit_mock_decide(struct submission *sub, unsigned request,
			       bool allow, struct status_error *err);

enum submit_outcome submit_outcome(const struct submission *sub);

/* The error that stopped the submission, if any (auth, network). */
const struct status_error *submit_error(const struct submission *sub);

/* HTTP requests made so far (for the benchmarks and the tests). */
unsigned submit_http_requests(const struct submission *sub);

#endif
