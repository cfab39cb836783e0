/* submit_reconcile.c: finding out what Qonto created for a request whose
 * outcome is unknown (GET /v2/cards), before anything is sent again. */
#include "config.h"

#include "submit_internal.h"
#include "i18n.h"
#include "jsonutil.h"
#include "payload.h"
#include "reconcile.h"
#include "retry.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

long submit_schedule_reconcile(struct submission *s, struct live *l)
{
	struct journal_request *r = submit_jreq(s, l);
	long grace = l->answered ? 0 : s->opts.reconcile_grace_s;
	long left = r->last_sent ? (long)(r->last_sent + grace - time(NULL)) : 0;

	if (left < 0)
		left = 0;
	if (left > grace)
		left = grace; /* a clock that went back */
	l->state = LIVE_RECONCILE;
	l->wake_ms = submit_now_ms() + left * 1000LL;
	return left;
}

void submit_go_reconcile(struct submission *s, struct live *l, const char *why)
{
	long left;

	api_call_free(&l->call);
	left = submit_schedule_reconcile(s, l);
	submit_emit(s, l, SUBMIT_EV_RECONCILING, left, 0, why);
}

void submit_start_listing(struct submission *s, struct live *l)
{
	char *path;

	if (!l->rc) {
		struct journal_request *r = submit_jreq(s, l);
		bool elsewhere[JOURNAL_MAX_ROWS] = { false };
		struct reconcile_setup setup = {
			/* an attempt of unknown time: since the order began */
			.since = r->first_sent > 0 ? r->first_sent : s->journal->created,
			.has_skew = r->has_skew,
			.skew = r->skew,
			.claims = &l->claims,
			.elsewhere = elsewhere,
		};
		char *orders = strdup(s->journal->dir);

		/* a card that a later request carries is that one's to decide
		 * (a replan whose line a damaged journal lost) */
		for (unsigned k = 0; k < r->n_rows; k++)
			for (size_t m = l->jr + 1; m < s->journal->n_requests; m++)
				for (unsigned q = 0; q < s->journal->requests[m].n_rows; q++)
					elsewhere[k] = elsewhere[k] ||
						       s->journal->requests[m].rows[q] == r->rows[k];
		if (orders && strrchr(orders, '/'))
			*strrchr(orders, '/') = '\0';
		if (!orders || !submit_load_body(s, l) ||
		    claims_load(&l->claims, orders, s->journal->order_id, setup.since,
				&s->error) != STATUS_OK ||
		    claims_add_own(&l->claims, s->journal, r->number, &s->error) != STATUS_OK ||
		    reconcile_new(&l->rc, l->body, l->body_len, &setup, &s->error) !=
			    STATUS_OK) {
			free(orders);
			submit_stop(s);
			return;
		}
		free(orders);
		l->list_page = 1;
		s->reconciling = true;
	}
	path = reconcile_path(l->rc, l->list_page);
	if (!path || api_prepare(s->api, &l->call, "GET", path, NULL, 0, NULL, NULL,
				 &s->error) != STATUS_OK ||
	    api_start(s->api, &l->call, &s->error) != STATUS_OK) {
		free(path);
		submit_stop(s);
		return;
	}
	free(path);
	s->http_requests++;
	l->state = LIVE_LISTING;
}

/* The results' details and the journal's notes below stay English (the
 * results export, the journal); N_: a screen translates them where it
 * shows them. */
#define NOT_PLANNED_DETAIL                                                     \
	N_("not sent: the order was interrupted while it was being prepared, " \
	   "and Qonto does not have this card (checked); order it again")

/* An order that was never ready: what was found is the outcome, and
 * nothing is sent again. */
static void finish_verify(struct submission *s, struct live *l,
			  const char *answer, size_t len, const unsigned *pos,
			  unsigned n_pos)
{
	struct journal_request *r = submit_jreq(s, l);

	s->reconciling = false;
	for (unsigned i = 0; i < n_pos; i++)
		results_fail(s->results, r->rows[pos[i]], r->number, RESULT_NOT_SENT,
			     "not_sent", NOT_PLANNED_DETAIL, NULL);
	if (n_pos == r->n_rows) {
		submit_settle(s, l, JREQ_FAILED, NULL, 0,
			      N_("not sent: the order was interrupted while it was "
				 "being prepared"));
		submit_emit(s, l, SUBMIT_EV_FAILED, 0, 200,
			    _("checked: Qonto has none of these cards; nothing was sent"));
		return;
	}
	submit_settle(s, l, JREQ_DONE, answer, len, "reconciled");
	submit_audit(s, l, 200);
	submit_emit(s, l, SUBMIT_EV_DONE, 0, 200,
		    _("checked: these cards were found in Qonto; the others are not "
		      "sent"));
}

static void finish_reconcile(struct submission *s, size_t idx)
{
	struct live *l = s->live[idx];
	struct journal_request *r = submit_jreq(s, l);
	unsigned pos[JOURNAL_MAX_ROWS], n_pos = 0;
	uint32_t rows[JOURNAL_MAX_ROWS], none[JOURNAL_MAX_ROWS];
	struct bulk_response resp;
	unsigned n_none;
	char *answer = NULL;
	size_t len;

	response_init(&resp);
	if (reconcile_answer(l->rc, &answer, &len, pos, &n_pos, &s->error) != STATUS_OK ||
	    response_parse(200, answer, len, r->n_rows, &resp, &s->error) != STATUS_OK ||
	    submit_apply(s->results, r->number, r->rows, r->n_rows, &resp, none,
			 &n_none) != STATUS_OK) {
		free(answer);
		response_free(&resp);
		submit_stop(s);
		return;
	}
	response_free(&resp);
	if (reconcile_ambiguous(l->rc)) {
		/* Never taken, never sent again: the request stays open in the
		 * journal for a person to decide (resume asks again). */
		free(answer);
		s->reconciling = false;
		s->left_open = true; /* the order is not finished */
		submit_emit(s, l, SUBMIT_EV_UNKNOWN, 0, 200,
			    _("some cards Qonto has could be this order's or another's: "
			      "check them in Qonto, then run cardorder resume"));
		submit_live_release(l);
		l->state = LIVE_SETTLED; /* for this run; the journal keeps it open */
		return;
	}
	if (s->verify_only) {
		finish_verify(s, l, answer, len, pos, n_pos);
		free(answer);
		submit_live_release(l);
		return;
	}
	if (n_pos == r->n_rows && l->unknowns >= SUBMIT_MAX_UNKNOWN) {
		/* Checked: nothing was made, but Qonto failed every time. */
		free(answer);
		/* TRANSLATORS: the first %u is 10 or more */
		status_set(&s->error, STATUS_SERVER,
			   "Qonto failed %u times in a row with request %u; none of "
			   "its cards was created (checked): run cardorder resume "
			   "later", l->unknowns, r->number);
		submit_leave_open(s, l, RESULT_NOT_SENT, "server_error",
				  N_("Qonto failed every time; not created (checked): "
				     "run cardorder resume later"));
		return;
	}
	if (n_pos == r->n_rows) {
		/* Qonto has none of them: the same body goes again with the
		 * same key (a key Qonto still keeps makes it harmless even if
		 * the earlier attempt is processed late), after a backoff that
		 * grows with the failures, so that a server failing every time
		 * is not hammered. */
		long long wait = submit_backoff_ms(s, l->unknowns ? l->unknowns - 1 : 0, 0);

		free(answer);
		s->reconciling = false;
		reconcile_free(l->rc);
		l->rc = NULL;
		claims_free(&l->claims);
		l->maybe_sent = false;
		l->answered = false;
		submit_wipe_token(l); /* an approval is for one attempt */
		l->state = LIVE_RETRY;
		l->wake_ms = submit_now_ms() + wait;
		submit_emit(s, l, SUBMIT_EV_RETRYING, (long)((wait + 999) / 1000), 200,
			    _("Qonto has none of these cards: sending them again with "
			      "the same key"));
		return;
	}
	submit_settle(s, l, JREQ_DONE, answer, len, "reconciled");
	free(answer);
	submit_audit(s, l, 200);
	s->reconciling = false;
	for (unsigned i = 0; i < n_pos; i++)
		rows[i] = r->rows[pos[i]];
	submit_emit(s, l, SUBMIT_EV_DONE, 0, 200,
	     n_pos ? _("reconciled: the cards Qonto does not have are sent again")
		   : _("reconciled: every card was found in Qonto"));
	if (n_pos && submit_replan(s, l, rows, n_pos) != STATUS_OK)
		submit_stop(s);
	submit_live_release(s->live[idx]);
}

void submit_listing_done(struct submission *s, size_t idx)
{
	struct live *l = s->live[idx];
	struct http_request *h = &l->call.http;
	unsigned next = 0;

	if (h->outcome == HTTP_ANSWERED && h->status == 401) {
		submit_renew_after_401(s, l, LIVE_RECONCILE);
		return;
	}
	if (h->outcome == HTTP_ANSWERED && h->status >= 400 && h->status < 500 &&
	    h->status != 429 && h->status != 408) {
		/* Refused for good (a missing scope, a plan): nothing is sent
		 * before Qonto's list is read, so the order stops here. */
		api_describe_failure(&l->call, &s->error);
		api_call_free(&l->call);
		submit_leave_open(s, l, RESULT_UNKNOWN, "unknown",
				  N_("sent, but the outcome is unknown and Qonto refused "
				     "to list the cards; run cardorder resume once that "
				     "is fixed"));
		return;
	}
	if (h->outcome != HTTP_ANSWERED || h->status != 200 ||
	    reconcile_page(l->rc, h->response, h->response_len, h->server_date,
			   h->local_date, s->results, &next, NULL) != STATUS_OK) {
		/* Nothing is resent before we know: the same page again later
		 * (this request keeps the reconciliation it started). */
		api_call_free(&l->call);
		if (++l->list_failures >= SUBMIT_MAX_UNKNOWN) {
			/* TRANSLATORS: %u is 10 or more */
			status_set(&s->error, STATUS_NETWORK,
				   "Qonto's list of cards could not be read %u times in "
				   "a row", l->list_failures);
			submit_leave_open(s, l, RESULT_UNKNOWN, "unknown",
					  N_("sent, but the outcome is unknown and Qonto's "
					     "list of cards could not be read; run cardorder "
					     "resume"));
			return;
		}
		l->state = LIVE_RECONCILE;
		l->wake_ms = submit_now_ms() +
			     submit_backoff_ms(s, l->list_failures - 1,
					       h->outcome == HTTP_ANSWERED ? h->retry_after : 0);
		return;
	}
	l->list_failures = 0;
	api_call_free(&l->call);
	if (next) {
		l->list_page = next;
		submit_start_listing(s, l);
		return;
	}
	finish_reconcile(s, idx);
}
