/* submit_resume.c: starting a submission from its journal: settled
 * answers read back, unsettled requests picked up, uncovered rows
 * planned again. This is how both submit and resume begin. */
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

static void defaults(struct submit_options *o)
{
	const char *grace = getenv("CARDORDER_RECONCILE_GRACE");

	if (!o->max_in_flight)
		o->max_in_flight = 4;
	if (!o->max_approvals)
		o->max_approvals = 8;
	if (!o->sca_timeout_s)
		o->sca_timeout_s = 900;
	if (!o->max_unreachable)
		o->max_unreachable = 6;
	if (!o->backoff_base_ms)
		o->backoff_base_ms = RETRY_BASE_MS;
	if (!o->backoff_max_ms)
		o->backoff_max_ms = RETRY_MAX_MS;
	if (!o->reconcile_grace_s && grace)
		o->reconcile_grace_s = atol(grace);
	if (o->reconcile_grace_s <= 0)
		o->reconcile_grace_s = 120;
}

/* Applies the saved outcome of a settled request to the results.
 * STATUS_NOT_FOUND: a request that created cards (done) whose answer is
 * gone or unreadable; what it created is then found in Qonto. */
static enum status replay_settled(struct submission *s, struct journal_request *r)
{
	uint32_t none[JOURNAL_MAX_ROWS];
	struct bulk_response resp;
	enum status st;
	unsigned n_none;
	char *body = NULL;
	size_t len;

	st = journal_answer_body(s->journal, r, &body, &len, NULL);
	if (st == STATUS_OK) {
		response_init(&resp);
		st = response_parse(r->state == JREQ_DONE ? 200 : 422, body, len,
				    r->n_rows, &resp, NULL);
		if (st == STATUS_OK && r->state == JREQ_DONE &&
		    (resp.kind != RESPONSE_CARDS || resp.n_entries < r->n_rows))
			st = STATUS_FORMAT;
		for (size_t i = 0; st == STATUS_OK && r->state == JREQ_DONE &&
				   i < resp.n_entries; i++)
			if (resp.entries[i].kind == ENTRY_MALFORMED)
				st = STATUS_FORMAT;
		if (st == STATUS_OK && r->state == JREQ_FAILED &&
		    resp.kind != RESPONSE_REJECTED) {
			for (unsigned i = 0; i < r->n_rows; i++)
				results_fail(s->results, r->rows[i], r->number,
					     RESULT_FAILED, "refused", r->note, NULL);
		} else if (st == STATUS_OK) {
			st = submit_apply(s->results, r->number, r->rows, r->n_rows,
					  &resp, none, &n_none);
		}
		response_free(&resp);
		free(body);
		if (st == STATUS_NOMEM)
			return status_set(&s->error, st, NULL);
	}
	if (st == STATUS_OK)
		return STATUS_OK;
	if (r->state == JREQ_DONE)
		return STATUS_NOT_FOUND;
	/* Refused as a whole (nothing was created): the note says why. */
	for (unsigned i = 0; i < r->n_rows; i++)
		results_fail(s->results, r->rows[i], r->number, RESULT_FAILED,
			     "refused", r->note, NULL);
	return STATUS_OK;
}

static enum status add_live(struct submission *s, size_t jr)
{
	struct journal_request *r = &s->journal->requests[jr];
	struct live *l;
	enum status st = submit_live_push(s, jr, &l);

	if (st != STATUS_OK)
		return st;
	switch (r->state) {
	case JREQ_PLANNED:
		l->state = LIVE_IDLE;
		break;
	case JREQ_SENT:
		if (r->sca_token && time(NULL) >= r->sca_at &&
		    time(NULL) - r->sca_at < s->opts.sca_timeout_s) {
			/* Its last answer asked for an approval (so that
			 * attempt created nothing): wait for that approval,
			 * which the person may have given meanwhile. */
			l->sca_token = strdup(r->sca_token);
			if (!l->sca_token)
				return status_set(&s->error, STATUS_NOMEM, NULL);
			l->sca_deadline_ms = submit_now_ms() +
					     (s->opts.sca_timeout_s -
					      (long long)(time(NULL) - r->sca_at)) * 1000;
			l->approvals = 1;
			l->state = LIVE_APPROVAL;
			l->wake_ms = 0;
			break;
		}
		/* It may have reached Qonto before the process stopped:
		 * what Qonto has is listed before anything goes again. */
		l->maybe_sent = true;
		submit_schedule_reconcile(s, l);
		break;
	default:
		l->state = LIVE_SETTLED;
		st = replay_settled(s, r);
		if (st != STATUS_NOT_FOUND)
			return st;
		/* Its answer is damaged: the cards it made are found again. */
		r->state = JREQ_SENT;
		l->maybe_sent = true;
		l->answered = true;
		s->damaged = true;
		submit_schedule_reconcile(s, l);
		break;
	}
	return STATUS_OK;
}

static enum status fill_asked(struct submission *s)
{
	enum status st = STATUS_OK;
	char *body;
	size_t len;

	for (size_t i = 0; i < s->journal->n_requests && st == STATUS_OK; i++) {
		struct journal_request *r = &s->journal->requests[i];

		st = journal_body(s->journal, r, &body, &len, &s->error);
		if (st == STATUS_OK) {
			submit_fill_asked(s->results, body, len, r->rows, r->n_rows);
			free(body);
		}
	}
	return st;
}

/* Rows that no request will send any more although nothing was sent for
 * them: the cards a 422 did not refuse, or that reconciliation did not
 * find, when cardorder stopped before planning their new request. Each
 * goes into a new request, built from the body that last carried it. */
static enum status plan_uncovered(struct submission *s)
{
	size_t n_req = s->journal->n_requests;
	bool *taken = calloc(s->results->n ? s->results->n : 1, sizeof(bool));
	uint32_t rows[JOURNAL_MAX_ROWS];
	enum status st = STATUS_OK;
	unsigned n;

	if (!taken)
		return status_set(&s->error, STATUS_NOMEM, NULL);
	for (size_t i = 0; i < n_req; i++) {
		struct journal_request *r = &s->journal->requests[i];

		for (unsigned k = 0; k < r->n_rows; k++)
			if (r->state == JREQ_PLANNED || r->state == JREQ_SENT ||
			    s->results->cards[r->rows[k]].state != RESULT_NOT_SENT)
				taken[r->rows[k]] = true;
	}
	for (size_t i = n_req; st == STATUS_OK && i-- > 0;) {
		size_t idx = i; /* live entries are one per request, in order */
		struct journal_request *r = &s->journal->requests[idx];

		n = 0;
		for (unsigned k = 0; k < r->n_rows; k++)
			if (!taken[r->rows[k]]) {
				taken[r->rows[k]] = true;
				rows[n++] = r->rows[k];
			}
		if (n && (st = journal_body(s->journal, r, &s->live[idx]->body,
					    &s->live[idx]->body_len, &s->error)) == STATUS_OK)
			st = submit_replan(s, s->live[idx], rows, n);
		free(s->live[idx]->body);
		s->live[idx]->body = NULL;
	}
	free(taken);
	return st;
}

/* An order never marked ready was interrupted while it was being
 * prepared, before sending could start, or its journal lost that line
 * along with requests: what Qonto has of its requests is found, and
 * nothing is sent (its other cards were never planned). */
static void verify_only(struct submission *s)
{
	s->verify_only = true;
	s->damaged = s->damaged || s->journal->damaged;
	for (size_t i = 0; i < s->n_live; i++) {
		struct live *l = s->live[i];
		struct journal_request *r = submit_jreq(s, l);

		if (l->state == LIVE_SETTLED)
			continue;
		if (!r->first_sent)
			r->first_sent = s->journal->created;
		submit_wipe_token(l);
		l->maybe_sent = true;
		l->answered = r->state == JREQ_PLANNED; /* nothing in flight */
		submit_schedule_reconcile(s, l);
	}
}

enum status submit_read_results(struct journal *journal, struct results *results,
				struct status_error *err)
{
	struct submission s = { .journal = journal, .results = results };
	enum status st = fill_asked(&s);

	for (size_t i = 0; st == STATUS_OK && i < journal->n_requests; i++) {
		struct journal_request *r = &journal->requests[i];

		/* a replanned request's refused rows are said by its answer;
		 * the rows sent again are overwritten by the later request */
		if (r->state == JREQ_DONE || r->state == JREQ_FAILED ||
		    r->state == JREQ_REPLANNED)
			st = replay_settled(&s, r);
		if (st == STATUS_NOT_FOUND || r->state == JREQ_SENT) {
			/* sent, outcome not in the journal: resume finds out */
			for (unsigned k = 0; k < r->n_rows; k++)
				results_fail(results, r->rows[k], r->number, RESULT_UNKNOWN,
					     "unknown",
					     /* English in the results export; N_: a
					      * screen translates it where it shows it */
					     N_("sent, but the outcome is unknown: "
						"run cardorder resume"),
					     NULL);
			st = STATUS_OK;
		}
	}
	if (st != STATUS_OK && err)
		*err = s.error;
	return st;
}

enum status submit_new(struct submission **out, struct api *api,
		       struct journal *journal, struct results *results,
		       const struct submit_options *opts, submit_event_fn on_event,
		       void *user, struct status_error *err)
{
	struct submission *s = calloc(1, sizeof(*s));
	enum status st = STATUS_OK;

	if (!s)
		return status_set(err, STATUS_NOMEM, NULL);
	s->api = api;
	s->journal = journal;
	s->results = results;
	if (opts)
		s->opts = *opts;
	defaults(&s->opts);
	s->on_event = on_event;
	s->user = user;
	s->seed = retry_seed();
	s->damaged = journal->damaged;
	st = fill_asked(s);
	for (size_t i = 0; st == STATUS_OK && i < journal->n_requests; i++)
		st = add_live(s, i);
	if (st == STATUS_OK && !journal->ready)
		verify_only(s);
	else if (st == STATUS_OK)
		st = plan_uncovered(s);
	if (st != STATUS_OK) {
		if (err)
			*err = s->error;
		submit_free(s);
		return st;
	}
	for (size_t i = 0; i < s->n_live; i++) {
		struct live *l = s->live[i];
		long long wait = l->wake_ms - submit_now_ms();
		long in_s = wait > 0 ? (long)((wait + 999) / 1000) : 0;

		if (l->state == LIVE_APPROVAL)
			submit_emit(s, l, SUBMIT_EV_APPROVAL,
				    (long)((l->sca_deadline_ms - submit_now_ms()) / 1000), 428,
				    _("waiting for the approval asked before cardorder "
				      "stopped"));
		else if (l->state == LIVE_RECONCILE && s->verify_only)
			submit_emit(s, l, SUBMIT_EV_RECONCILING, in_s, 0,
			     _("the order was interrupted while it was being "
			       "prepared; nothing more will be sent"));
		else if (l->state == LIVE_RECONCILE && s->damaged)
			submit_emit(s, l, SUBMIT_EV_RECONCILING, in_s, 0,
			     s->journal->damage[0] ? s->journal->damage
						   : _("the order's files are damaged"));
		else if (l->state == LIVE_RECONCILE)
			submit_emit(s, l, SUBMIT_EV_RECONCILING, in_s, 0,
			     _("it was being sent when cardorder stopped"));
		else if (l->state != LIVE_SETTLED)
			submit_emit(s, l, SUBMIT_EV_QUEUED, 0, 0, NULL);
	}
	*out = s;
	return STATUS_OK;
}

void submit_free(struct submission *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_live; i++) {
		submit_live_release(s->live[i]);
		free(s->live[i]);
	}
	free(s->live);
	free(s);
}
