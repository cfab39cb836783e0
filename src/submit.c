/* submit.c: the submission state machine (see submit.h): the requests
 * of an order, planning, and the loop that drives them. Posting and
 * answers, approvals, reconciliation and resume are in submit_*.c. */
#include "config.h"

#include "submit_internal.h"
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

long long submit_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct journal_request *submit_jreq(struct submission *s, struct live *l)
{
	return &s->journal->requests[l->jr];
}

void submit_emit(struct submission *s, struct live *l, enum submit_event_kind kind,
		 long seconds, long http, const char *message)
{
	struct submit_event ev = { .kind = kind, .seconds = seconds,
				   .http_status = http, .message = message };

	if (!s->on_event)
		return;
	ev.request = submit_jreq(s, l)->number;
	ev.n_requests = (unsigned)s->journal->n_requests;
	ev.n_cards = submit_jreq(s, l)->n_rows;
	s->on_event(s->user, &ev);
}

void submit_wipe_token(struct live *l)
{
	if (l->sca_token) {
		explicit_bzero(l->sca_token, strlen(l->sca_token));
		free(l->sca_token);
		l->sca_token = NULL;
	}
}

void submit_live_release(struct live *l)
{
	api_call_free(&l->call);
	api_call_free(&l->decide);
	free(l->body);
	l->body = NULL;
	reconcile_free(l->rc);
	l->rc = NULL;
	claims_free(&l->claims);
	submit_wipe_token(l);
}

/* Calls fn with each body of the order as it is first planned: at most
 * 50 cards each, in order. */
static enum status each_body(const struct order *order,
			     enum status (*fn)(void *ctx, const char *body, size_t len,
					       const uint32_t *rows, unsigned n),
			     void *ctx, struct status_error *err)
{
	uint32_t rows[PAYLOAD_MAX_CARDS];
	enum status st = STATUS_OK;
	size_t count;
	char *body;
	size_t len;

	for (size_t first = 0; st == STATUS_OK && first < order->n_cards;
	     first += count) {
		count = order->n_cards - first;
		if (count > PAYLOAD_MAX_CARDS)
			count = PAYLOAD_MAX_CARDS;
		for (size_t i = 0; i < count; i++)
			rows[i] = (uint32_t)(first + i);
		st = payload_build(&order->cards[first], count, false, &body, &len, err);
		if (st != STATUS_OK)
			break;
		st = fn(ctx, body, len, rows, (unsigned)count);
		if (st != STATUS_OK && err && err->code == STATUS_OK)
			status_set(err, st, NULL);
		free(body);
	}
	return st;
}

struct plan_ctx {
	struct journal *journal;
	struct status_error *err;
};

static enum status plan_one(void *ctx, const char *body, size_t len,
			    const uint32_t *rows, unsigned n)
{
	struct plan_ctx *p = ctx;
	struct journal_request *r;

	return journal_plan(p->journal, body, len, rows, n, &r, p->err);
}

enum status submit_plan(struct journal *journal, const struct order *order,
			struct status_error *err)
{
	struct plan_ctx p = { journal, err };

	return each_body(order, plan_one, &p, err);
}

struct digest_ctx {
	char (*shas)[65];
	size_t n;
};

static enum status hash_one(void *ctx, const char *body, size_t len,
			    const uint32_t *rows, unsigned n)
{
	struct digest_ctx *d = ctx;

	(void)rows;
	(void)n;
	journal_sha256_hex(body, len, d->shas[d->n++]);
	return STATUS_OK;
}

enum status submit_digest(const struct order *order, char out[65],
			  struct status_error *err)
{
	size_t k = (order->n_cards + PAYLOAD_MAX_CARDS - 1) / PAYLOAD_MAX_CARDS;
	struct digest_ctx d = { calloc(k ? k : 1, sizeof(*d.shas)), 0 };
	enum status st;

	out[0] = '\0';
	if (!d.shas)
		return status_set(err, STATUS_NOMEM, NULL);
	st = each_body(order, hash_one, &d, err);
	if (st == STATUS_OK)
		journal_digest_of((const char (*)[65])d.shas, d.n, out);
	free(d.shas);
	return st;
}

enum status submit_live_push(struct submission *s, size_t jr, struct live **out)
{
	struct live *l;

	*out = NULL;
	if (s->n_live == s->cap_live) {
		size_t cap = s->cap_live ? s->cap_live * 2 : 8;
		/* an array of pointers, on purpose: see struct submission */
		struct live **grown = reallocarray(s->live, cap, sizeof(l)); /* NOLINT(bugprone-sizeof-expression) */

		if (!grown) {
			status_set(&s->error, STATUS_NOMEM, NULL);
			return STATUS_NOMEM;
		}
		s->live = grown;
		s->cap_live = cap;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		status_set(&s->error, STATUS_NOMEM, NULL);
		return STATUS_NOMEM;
	}
	l->jr = jr;
	s->live[s->n_live++] = l;
	*out = l;
	return STATUS_OK;
}

enum status submit_replan(struct submission *s, struct live *l,
			  const uint32_t *rows, unsigned n)
{
	struct journal_request *src = submit_jreq(s, l), *r;
	unsigned pos[JOURNAL_MAX_ROWS];
	struct live *added = NULL;
	enum status st;
	char *body;
	size_t len;

	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < src->n_rows; k++)
			if (src->rows[k] == rows[i])
				pos[i] = k;
	st = submit_subset_body(l->body, l->body_len, pos, n, &body, &len);
	if (st != STATUS_OK)
		return status_set(&s->error, st, NULL);
	/* src points into the journal, which journal_plan may move */
	st = journal_plan(s->journal, body, len, rows, n, &r, &s->error);
	free(body);
	if (st == STATUS_OK)
		st = submit_live_push(s, s->journal->n_requests - 1, &added);
	if (st != STATUS_OK)
		return st;
	submit_emit(s, added, SUBMIT_EV_QUEUED, 0, 0, NULL);
	return STATUS_OK;
}

bool submit_load_body(struct submission *s, struct live *l)
{
	if (l->body)
		return true;
	return journal_body(s->journal, submit_jreq(s, l), &l->body, &l->body_len,
			    &s->error) == STATUS_OK;
}

void submit_stop(struct submission *s)
{
	s->stopped = true;
}

long long submit_backoff_ms(struct submission *s, unsigned n, long retry_after_s)
{
	struct retry_policy p = { .base_ms = s->opts.backoff_base_ms,
				  .max_ms = s->opts.backoff_max_ms };

	return retry_delay_ms(&p, n, retry_after_s, &s->seed);
}

void submit_fail_rows(struct submission *s, struct live *l,
		      enum result_state state, const char *code,
		      const char *detail)
{
	struct journal_request *r = submit_jreq(s, l);

	for (unsigned i = 0; i < r->n_rows; i++)
		results_fail(s->results, r->rows[i], r->number, state, code, detail,
			     NULL);
}

void submit_leave_open(struct submission *s, struct live *l,
		       enum result_state state, const char *code,
		       const char *detail)
{
	submit_fail_rows(s, l, state, code, detail);
	submit_live_release(l);
	l->state = LIVE_SETTLED; /* for this run */
	s->reconciling = false;
	submit_stop(s);
}

void submit_settle(struct submission *s, struct live *l,
		   enum journal_req_state state, const char *answer, size_t len,
		   const char *note)
{
	if (journal_settle(s->journal, submit_jreq(s, l), state, answer, len, note,
			   &s->error) != STATUS_OK) {
		/* The outcome is known here but not on disk: resume must find
		 * it again, so the order is not reported done. */
		s->journal_failed = true;
		submit_stop(s);
	}
	l->state = LIVE_SETTLED;
}

void submit_audit(struct submission *s, struct live *l, long http)
{
	struct journal_request *r = submit_jreq(s, l);
	size_t created = 0, failed = 0, used = 0;
	char ids[50 * 40 + 1] = "";

	for (unsigned i = 0; i < r->n_rows; i++) {
		const struct card_result *c = &s->results->cards[r->rows[i]];

		if (c->request != r->number)
			continue;
		if (c->state == RESULT_CREATED) {
			created++;
			if (c->card.id && used + strlen(c->card.id) + 2 < sizeof(ids))
				used += (size_t)snprintf(ids + used, sizeof(ids) - used,
							 "%s%s", used ? " " : "",
							 c->card.id);
		} else if (c->state == RESULT_FAILED) {
			failed++;
		}
	}
	journal_audit(s->journal, r, s->opts.who, http, created, failed, ids, NULL);
}

static unsigned count_state(const struct submission *s, enum live_state a,
			    enum live_state b)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->n_live; i++)
		n += s->live[i]->state == a || s->live[i]->state == b;
	return n;
}

/* Another request may still create cards (it is on the wire, waiting to
 * be sent again, or waiting for its approval): a listing now could take
 * its cards for this request's, so reconciliation waits. */
static bool others_busy(const struct submission *s, size_t self)
{
	for (size_t i = 0; i < s->n_live; i++) {
		enum live_state st = s->live[i]->state;

		if (i != self && (st == LIVE_POSTING || st == LIVE_RETRY ||
				  st == LIVE_APPROVAL || st == LIVE_POLLING ||
				  st == LIVE_RENEWING))
			return true;
	}
	return false;
}

/* Starts what may start now; returns the time of the next timer. */
static long long start_ready(struct submission *s, long long now)
{
	long long next = now + 60000;

	for (size_t i = 0; i < s->n_live && !s->stopped; i++) {
		struct live *l = s->live[i];

		if (l->state == LIVE_RENEWING) {
			submit_renewal_poll(s, l);
			next = now + 100 < next ? now + 100 : next;
			if (l->state == LIVE_RENEWING || s->stopped)
				continue;
		}
		if (l->state == LIVE_APPROVAL || l->state == LIVE_RETRY ||
		    (l->state == LIVE_RECONCILE && l->wake_ms)) {
			if (l->wake_ms > now) {
				next = l->wake_ms < next ? l->wake_ms : next;
				continue;
			}
		}
		if (now < s->paused_until_ms) {
			next = s->paused_until_ms < next ? s->paused_until_ms : next;
			continue;
		}
		if (l->state == LIVE_APPROVAL)
			submit_start_poll(s, l);
		else if (l->state == LIVE_RECONCILE && (!s->reconciling || l->rc) &&
			 !others_busy(s, i))
			submit_start_listing(s, l);
		else if (s->reconciling)
			continue; /* no card is made while Qonto's list is read */
		else if (l->state == LIVE_RETRY ||
			 (l->state == LIVE_IDLE &&
			  count_state(s, LIVE_POSTING, LIVE_POSTING) < s->opts.max_in_flight &&
			  count_state(s, LIVE_APPROVAL, LIVE_POLLING) < s->opts.max_approvals))
			submit_start_post(s, l);
	}
	return next;
}

static void handle_done(struct submission *s)
{
	for (size_t i = 0; i < s->n_live; i++) {
		struct live *l = s->live[i];

		if (l->decide.http.done)
			submit_decide_done(s, l);
		if (!l->call.http.done)
			continue;
		if (l->state == LIVE_POSTING)
			submit_post_done(s, i);
		else if (l->state == LIVE_POLLING)
			submit_poll_done(s, l);
		else if (l->state == LIVE_LISTING)
			submit_listing_done(s, i);
	}
}

/* When the loop ends before every request is settled (stopped, cancelled),
 * each card says what is known of it and that resume will finish it. */
static void mark_unsettled(struct submission *s)
{
	for (size_t i = 0; i < s->n_live; i++) {
		struct live *l = s->live[i];

		if (l->state == LIVE_SETTLED)
			continue;
		/* The details stay English (the results export); N_: a
		 * screen translates them where it shows them. */
		if (l->maybe_sent)
			submit_fail_rows(s, l, RESULT_UNKNOWN, "unknown",
					   N_("sent, but the outcome is unknown; run "
					      "cardorder resume, which finds out "
					      "before sending anything again"));
		else if (l->state == LIVE_APPROVAL || l->state == LIVE_POLLING)
			submit_fail_rows(s, l, RESULT_NOT_SENT, "not_approved",
					   N_("not approved yet; run cardorder resume"));
		else
			submit_fail_rows(s, l, RESULT_NOT_SENT, "not_sent",
					   N_("not sent; run cardorder resume"));
		if (l->call.http.handle)
			http_cancel(&l->call.http);
		submit_live_release(l);
		l->state = LIVE_SETTLED;
	}
}

static bool active(const struct submission *s)
{
	for (size_t i = 0; i < s->n_live; i++)
		if (s->live[i]->state != LIVE_SETTLED &&
		    (!s->stopped || s->live[i]->call.http.handle))
			return true;
	return false;
}

/* Nothing more will happen in this run: the order is finished when every
 * request is settled for good, and what is left says what it is. */
static bool end_of_run(struct submission *s)
{
	if (!s->stopped && !s->left_open && !s->journal->finished)
		journal_finish(s->journal, NULL);
	mark_unsettled(s);
	return false;
}

bool submit_step(struct submission *s, int timeout_ms, const int *fds,
		 unsigned n_fds)
{
	long long now = submit_now_ms(), next;
	long wait;

	if (s->cancelled)
		return false;
	next = start_ready(s, now);
	handle_done(s); /* a start that failed at once */
	if (!active(s))
		return end_of_run(s);
	wait = (long)(next - now);
	if (wait < 0)
		wait = 0;
	if (wait > timeout_ms)
		wait = timeout_ms;
	if (http_running(s->api->http) > 0 || n_fds > 0 || wait > 0)
		http_step(s->api->http, (int)wait, fds, n_fds);
	handle_done(s);
	return active(s) || end_of_run(s);
}

void submit_cancel(struct submission *s)
{
	for (size_t i = 0; i < s->n_live; i++) {
		struct live *l = s->live[i];

		if (l->state == LIVE_POSTING && l->call.http.handle) {
			http_cancel(&l->call.http);
			/* Bytes that left may have created cards. */
			if (l->call.http.outcome == HTTP_UNKNOWN)
				l->maybe_sent = true;
			submit_emit(s, l, l->maybe_sent ? SUBMIT_EV_UNKNOWN : SUBMIT_EV_QUEUED,
			     0, 0, l->maybe_sent ? _("stopped while it was on the wire")
						 : _("not sent"));
		}
	}
	s->cancelled = true;
	s->stopped = true;
	mark_unsettled(s);
}

enum submit_outcome submit_outcome(const struct submission *s)
{
	size_t counts[RESULT_STATE_COUNT];

	results_count(s->results, counts);
	if (counts[RESULT_UNKNOWN] > 0 || s->journal_failed)
		return SUBMIT_UNKNOWN;
	if (counts[RESULT_CREATED] == s->results->n)
		return SUBMIT_ALL_CREATED;
	if (counts[RESULT_CREATED] == 0 && s->error.code != STATUS_OK &&
	    s->error.code != STATUS_SCA_REQUIRED)
		return SUBMIT_NOTHING_SENT;
	return SUBMIT_SOME_FAILED;
}

const struct status_error *submit_error(const struct submission *s)
{
	return &s->error;
}

unsigned submit_http_requests(const struct submission *s)
{
	return s->http_requests;
}
