/* flow.h: the workflow of an order, once, under both front ends (the
 * headless commands of cli/ and the screens of tui/), as curl's tool
 * stands on libcurl:
 *
 *   check  -> fill what the config gives, resolve names, validate
 *   begin  -> journal, lock, holder names, plan every request, ready
 *   step   -> send on the event loop, as long as it takes
 *   resume -> reopen a journal and finish what it left
 *   export -> write the results
 *
 * Events go to a sink that the caller owns for the flow's whole life (in
 * the TUI: the app, never a screen), so that a cancel or a signal can
 * still report into it while everything is being taken down. */
#ifndef CARDORDER_FLOW_H
#define CARDORDER_FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"
#include "directory.h"
#include "journal.h"
#include "order.h"
#include "problems.h"
#include "results.h"
#include "session.h"
#include "status.h"
#include "submit.h"

/* ---- checking ---- */

enum flow_strictness {
	/* Ids may still come from Qonto (validate, the order screen while
	 * the directory loads): a holder or bank account given by name, or
	 * a missing organization_id, is a note. */
	FLOW_DRAFT,
	/* The exact bodies (payload, the review, submit): every id must be
	 * known. */
	FLOW_FINAL
};

/* What a check may use; either may be NULL (offline, no config). Both
 * are borrowed for the call. */
struct flow_context {
	const struct session *session; /* fills organization_id, initiator_id,
					  bank_account_id from the config */
	const struct directory *dir;   /* resolves holder and bank_account
					  names; NULL: not resolved */
};

/* Checks one card (index: its position in the order), filling and
 * resolving what it can. Problems are added at index. Returns 0, or -1
 * when memory runs out. */
int flow_check_card(const struct flow_context *ctx, struct card *card,
		    size_t index, enum flow_strictness strictness,
		    struct problem_list *problems);

/* Checks every card of the order, and that it has one; problems sorted.
 * Returns 0, or -1 when memory runs out. */
int flow_check_order(const struct flow_context *ctx, struct order *order,
		     enum flow_strictness strictness,
		     struct problem_list *problems);

/* ---- sending ---- */

struct flow_sink {
	submit_event_fn event; /* may be NULL */
	void *user;            /* outlives the flow */
};

struct flow {
	char *state_dir;           /* owned: $XDG_STATE_HOME/cardorder */
	struct flow_sink sink;
	struct journal journal;    /* the order, once begun or opened */
	bool journal_open;
	struct results results;    /* a row per card of the order */
	struct submission *sub;    /* owned; NULL before begin or resume */
	bool over;                 /* every request settled, or stopped */
	bool again;                /* flow_begin may send cards that an
				      unfinished order holds: the person
				      chose to, knowing it */
};

/* Prepares a flow whose orders live under state_dir (copied; created when
 * missing). sink is copied. */
enum status flow_init(struct flow *f, const char *state_dir,
		      const struct flow_sink *sink, struct status_error *err);

/* Ends what the flow holds: a submission still running is cancelled
 * first (requests already sent are reported "outcome unknown" to the
 * sink), then the journal is closed and the results freed. */
void flow_free(struct flow *f);

/* The most recent earlier order of the same cards (submit_digest), any or
 * only unfinished; STATUS_NOT_FOUND when there is none. */
enum status flow_earlier(const struct flow *f, const struct order *order,
			 bool unfinished_only, struct journal_summary *out,
			 struct status_error *err);

/* Every unfinished order (journal.h), newest first; owned array. */
enum status flow_unfinished(const struct flow *f, struct journal_summary **list,
			    size_t *n, struct status_error *err);

/* Journals a checked order and starts sending it: the order's directory,
 * the exclusive lock, the holder names (names_json, may be NULL), every
 * request's key and body, then "ready", all before the first byte.
 * source: the file or draft the order came from (may be NULL). who: the
 * person ordering, for the audit log. api is borrowed for the flow's
 * life. Any earlier order of the flow is closed first. An unfinished
 * order of the same cards stops it (STATUS_ALREADY_SENT, naming that
 * order) unless f->again; the check and the planning hold a lock on the
 * state directory, so that two processes make one order. */
enum status flow_begin(struct flow *f, struct api *api, const struct order *order,
		       const char *source, const char *names_json,
		       const struct submit_options *opts, struct status_error *err);

/* Opens an order's journal and takes its lock (order_id NULL: the most
 * recent unfinished one), without sending: its base URL tells where to
 * send it (f->journal.base_url). */
enum status flow_open(struct flow *f, const char *order_id,
		      struct status_error *err);

/* After flow_open: reads back the settled answers and goes on with the
 * rest (this is `resume`). */
enum status flow_resume(struct flow *f, struct api *api,
			const struct submit_options *opts,
			struct status_error *err);

/* Advances the submission (submit_step); false once it is over. Safe to
 * call when nothing is being sent. */
bool flow_step(struct flow *f, int timeout_ms, const int *fds, unsigned n_fds);

/* Stops sending: see submit_cancel. */
void flow_cancel(struct flow *f);

/* True while requests are being sent or waited for. */
bool flow_sending(const struct flow *f);

/* Writes the results (.csv in FORMAT or .json, see results_export). */
enum status flow_export(const struct flow *f, const char *path,
			enum csv_format format, struct status_error *err);

/* The outcome so far, for the exit status and the screens. */
enum submit_outcome flow_outcome(const struct flow *f);

#endif
