/* submit.c: the submission state machine (see submit.h). */
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

#define SUBMIT_MAX_APPROVALS 3

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
	unsigned auth_failures;  /* 401s in a row */
	unsigned renew_ticket;   /* see api_renew */
	unsigned renew_sent_with; /* the refused call's token_gen */
	enum live_state after_renew; /* what goes again once renewed */
	unsigned list_page;
	struct reconcile *rc;    /* while reconciling */
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
	struct status_error error;
	unsigned http_requests;
	unsigned seed;
};

long long submit_now_ms(void);

long long submit_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct journal_request *jreq(struct submission *s, struct live *l)
{
	return &s->journal->requests[l->jr];
}

static void emit(struct submission *s, struct live *l, enum submit_event_kind kind,
		 long seconds, long http, const char *message)
{
	struct submit_event ev = { .kind = kind, .seconds = seconds,
				   .http_status = http, .message = message };

	if (!s->on_event)
		return;
	ev.request = jreq(s, l)->number;
	ev.n_requests = (unsigned)s->journal->n_requests;
	ev.n_cards = jreq(s, l)->n_rows;
	s->on_event(s->user, &ev);
}

static void wipe_token(struct live *l)
{
	if (l->sca_token) {
		explicit_bzero(l->sca_token, strlen(l->sca_token));
		free(l->sca_token);
		l->sca_token = NULL;
	}
}

static void live_release(struct live *l)
{
	api_call_free(&l->call);
	api_call_free(&l->decide);
	free(l->body);
	l->body = NULL;
	reconcile_free(l->rc);
	l->rc = NULL;
	wipe_token(l);
}

static void defaults(struct submit_options *o)
{
	if (!o->max_in_flight)
		o->max_in_flight = 4;
	if (!o->max_approvals)
		o->max_approvals = 8;
	if (!o->retry_window_s)
		o->retry_window_s = 600;
	if (!o->key_lifetime_s)
		o->key_lifetime_s = 1800;
	if (!o->sca_timeout_s)
		o->sca_timeout_s = 900;
	if (!o->max_unreachable)
		o->max_unreachable = 6;
	if (!o->backoff_base_ms)
		o->backoff_base_ms = RETRY_BASE_MS;
	if (!o->backoff_max_ms)
		o->backoff_max_ms = RETRY_MAX_MS;
	if (!o->reconcile_grace_s)
		o->reconcile_grace_s = 120;
	/* The same key goes again only while Qonto surely still keeps it:
	 * with room for a whole attempt (timeouts, backoff) before it
	 * expires. */
	if (o->retry_window_s > o->key_lifetime_s - 300)
		o->retry_window_s = o->key_lifetime_s - 300;
	if (o->retry_window_s < 1)
		o->retry_window_s = 1;
}

/* ---- planning ---- */

enum status submit_plan(struct journal *journal, const struct order *order,
			struct status_error *err)
{
	uint32_t rows[PAYLOAD_MAX_CARDS];
	struct journal_request *r;
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
		st = journal_plan(journal, body, len, rows, (unsigned)count, &r, err);
		free(body);
	}
	return st;
}

/* Adds a live entry for journal request jr; *out is stable for the
 * submission's life. */
static enum status live_push(struct submission *s, size_t jr, struct live **out)
{
	struct live *l;

	if (s->n_live == s->cap_live) {
		size_t cap = s->cap_live ? s->cap_live * 2 : 8;
		struct live **grown = realloc(s->live, cap * sizeof(*grown));

		if (!grown)
			return status_set(&s->error, STATUS_NOMEM, NULL);
		s->live = grown;
		s->cap_live = cap;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return status_set(&s->error, STATUS_NOMEM, NULL);
	l->jr = jr;
	s->live[s->n_live++] = l;
	*out = l;
	return STATUS_OK;
}

/* A new request for some rows of l's request, with a new key: only after
 * Qonto said those cards were not created. */
static enum status replan(struct submission *s, struct live *l,
			  const uint32_t *rows, unsigned n)
{
	struct journal_request *src = jreq(s, l), *r;
	unsigned pos[JOURNAL_MAX_ROWS];
	struct live *added;
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
		st = live_push(s, s->journal->n_requests - 1, &added);
	if (st != STATUS_OK)
		return st;
	emit(s, added, SUBMIT_EV_QUEUED, 0, 0, NULL);
	return STATUS_OK;
}

/* ---- sending ---- */

static bool load_body(struct submission *s, struct live *l)
{
	if (l->body)
		return true;
	return journal_body(s->journal, jreq(s, l), &l->body, &l->body_len,
			    &s->error) == STATUS_OK;
}

static void stop(struct submission *s)
{
	s->stopped = true;
}

static bool key_safe(const struct submission *s, const struct journal_request *r);
static void go_reconcile(struct submission *s, struct live *l, const char *why);

static void start_post(struct submission *s, struct live *l)
{
	struct journal_request *r = jreq(s, l);
	enum status st;

	/* A resend after a long wait (a 429's Retry-After, a sleeping laptop,
	 * a resume) must not reach Qonto with a key it may have forgotten. */
	if (l->maybe_sent && !key_safe(s, r)) {
		go_reconcile(s, l, "the key may have expired while waiting");
		return;
	}
	if (!load_body(s, l)) {
		stop(s);
		return;
	}
	/* Journalled before the first byte leaves: after a crash, resume
	 * knows this request may have reached Qonto. */
	st = journal_sending(s->journal, r, &s->error);
	if (st == STATUS_OK)
		st = api_prepare(s->api, &l->call, "POST", "/v2/cards/bulk", l->body,
				 l->body_len, r->key, l->sca_token, &s->error);
	if (st == STATUS_OK)
		st = api_start(s->api, &l->call, &s->error);
	if (st != STATUS_OK) {
		stop(s);
		return;
	}
	s->http_requests++;
	l->state = LIVE_POSTING;
	emit(s, l, SUBMIT_EV_SENDING, 0, 0, NULL);
}

static long long backoff_ms(struct submission *s, unsigned n, long retry_after_s)
{
	struct retry_policy p = { .base_ms = s->opts.backoff_base_ms,
				  .max_ms = s->opts.backoff_max_ms };

	return retry_delay_ms(&p, n, retry_after_s, &s->seed);
}

static void settle_failed_rows(struct submission *s, struct live *l,
			       enum result_state state, const char *code,
			       const char *detail)
{
	struct journal_request *r = jreq(s, l);

	for (unsigned i = 0; i < r->n_rows; i++)
		results_fail(s->results, r->rows[i], r->number, state, code, detail,
			     NULL);
}

static void settle(struct submission *s, struct live *l,
		   enum journal_req_state state, const char *answer, size_t len,
		   const char *note)
{
	if (journal_settle(s->journal, jreq(s, l), state, answer, len, note,
			   &s->error) != STATUS_OK)
		stop(s);
	l->state = LIVE_SETTLED;
}

static void audit(struct submission *s, struct live *l, long http)
{
	struct journal_request *r = jreq(s, l);
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

/* True while the request's key may be sent again: Qonto surely still
 * keeps it (a clock that went back counts as not safe). */
static bool key_safe(const struct submission *s, const struct journal_request *r)
{
	long age = (long)(time(NULL) - r->first_sent);

	return !r->first_sent || (age >= 0 && age < s->opts.retry_window_s);
}

/* Finds out what Qonto has before anything is sent again, after a grace
 * period in which a late attempt is processed. */
static long schedule_reconcile(struct submission *s, struct live *l)
{
	struct journal_request *r = jreq(s, l);
	long left = r->last_sent ? (long)(r->last_sent + s->opts.reconcile_grace_s -
					  time(NULL))
				 : 0;

	if (left < 0)
		left = 0;
	if (left > s->opts.reconcile_grace_s)
		left = s->opts.reconcile_grace_s; /* a clock that went back */
	l->state = LIVE_RECONCILE;
	l->wake_ms = submit_now_ms() + left * 1000LL;
	return left;
}

static void go_reconcile(struct submission *s, struct live *l, const char *why)
{
	long left;

	api_call_free(&l->call);
	left = schedule_reconcile(s, l);
	emit(s, l, SUBMIT_EV_RECONCILING, left, 0, why);
}

/* The outcome may be unknown: same key again while Qonto surely still
 * knows it, else find out with GET /v2/cards before anything is resent. */
static void ambiguous(struct submission *s, struct live *l, const char *why)
{
	long long wait;

	api_call_free(&l->call);
	l->maybe_sent = true;
	if (!key_safe(s, jreq(s, l))) {
		go_reconcile(s, l, why);
		return;
	}
	wait = backoff_ms(s, l->backoff++, 0);
	l->state = LIVE_RETRY;
	l->wake_ms = submit_now_ms() + wait;
	emit(s, l, SUBMIT_EV_RETRYING, (long)((wait + 999) / 1000), 0, why);
}

static void unreachable(struct submission *s, struct live *l, const char *why)
{
	long long wait;

	api_call_free(&l->call);
	if (++l->unreachable >= s->opts.max_unreachable) {
		/* Never left this machine: the cards are simply not sent. */
		status_set(&s->error, STATUS_NETWORK, "could not reach Qonto: %s", why);
		l->state = LIVE_IDLE;
		stop(s);
		return;
	}
	wait = backoff_ms(s, l->unreachable, 0);
	l->state = LIVE_RETRY;
	l->wake_ms = submit_now_ms() + wait;
	emit(s, l, SUBMIT_EV_RETRYING, (long)((wait + 999) / 1000), 0, why);
}

/* ---- answers to the POST ---- */

static const char *kind_name(enum response_kind k)
{
	static const char *const names[] = {
		"cards", "rejected", "sca_required", "sca_not_enrolled",
		"rate_limited", "unauthorized", "forbidden", "not_found",
		"server_error", "not_json", "malformed", "other",
	};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "other";
}

static void on_cards(struct submission *s, size_t idx, struct bulk_response *resp)
{
	struct live *l = s->live[idx];
	struct journal_request *r = jreq(s, l);
	uint32_t none[JOURNAL_MAX_ROWS];
	unsigned n_none;

	if (submit_apply(s->results, r->number, r->rows, r->n_rows, resp, none,
			 &n_none) != STATUS_OK) {
		status_set(&s->error, STATUS_NOMEM, NULL);
		stop(s);
		return;
	}
	settle(s, l, JREQ_DONE, l->call.http.response, l->call.http.response_len,
	       NULL);
	audit(s, l, 200);
	emit(s, l, SUBMIT_EV_DONE, 0, 200, NULL);
	live_release(l);
}

static void on_rejected(struct submission *s, size_t idx,
			struct bulk_response *resp)
{
	struct live *l = s->live[idx];
	struct journal_request *r = jreq(s, l);
	uint32_t rest[JOURNAL_MAX_ROWS];
	unsigned n_rest;
	long http = l->call.http.status;

	if (submit_apply(s->results, r->number, r->rows, r->n_rows, resp, rest,
			 &n_rest) != STATUS_OK) {
		status_set(&s->error, STATUS_NOMEM, NULL);
		stop(s);
		return;
	}
	/* Nothing was created: the cards without an error of their own go
	 * again, in a request of their own with a key of its own. */
	settle(s, l, n_rest ? JREQ_REPLANNED : JREQ_FAILED, l->call.http.response,
	       l->call.http.response_len, resp->message);
	audit(s, l, http);
	emit(s, l, SUBMIT_EV_FAILED, 0, http,
	     n_rest ? "refused; the cards without an error are sent again"
		    : "refused");
	if (n_rest && replan(s, l, rest, n_rest) != STATUS_OK)
		stop(s);
	live_release(s->live[idx]);
}

static void refused_all(struct submission *s, struct live *l, enum status code,
			const char *api_code, const char *message);
static void stop_order(struct submission *s, struct live *l, enum status code,
		       const char *api_code, const char *message);

static void on_sca(struct submission *s, struct live *l, struct bulk_response *resp)
{
	if (++l->approvals > SUBMIT_MAX_APPROVALS) {
		/* Approved, replayed, and asked again: do not loop. */
		refused_all(s, l, STATUS_SCA_REQUIRED, "sca_loop",
			    "Qonto kept asking for approval of the same request");
		return;
	}
	l->backoff = 0; /* Qonto answered: earlier failures were passing */
	/* Qonto answers a known key with its cached success: a 428 says
	 * no attempt with this key created anything. */
	l->maybe_sent = false;
	wipe_token(l);
	l->sca_token = resp->sca_session_token;
	resp->sca_session_token = NULL;
	l->sca_deadline_ms = submit_now_ms() + s->opts.sca_timeout_s * 1000;
	api_call_free(&l->call);
	l->state = LIVE_APPROVAL;
	l->wake_ms = submit_now_ms() + 1000;
	emit(s, l, SUBMIT_EV_APPROVAL,
	     (long)((l->sca_deadline_ms - submit_now_ms()) / 1000), 428,
	     "waiting for approval in the Qonto app");
}

/* The request is refused for good: a person declined it, or Qonto kept
 * asking. Nothing was created (an approval came first), so the cards are
 * failed and the request is settled. */
static void refused_all(struct submission *s, struct live *l, enum status code,
			const char *api_code, const char *message)
{
	long http = l->call.http.status;

	status_set(&s->error, code, "%s", message);
	s->error.http_status = http;
	settle_failed_rows(s, l, RESULT_FAILED, api_code, message);
	settle(s, l, JREQ_FAILED, l->call.http.response, l->call.http.response_len,
	       message);
	audit(s, l, http);
	emit(s, l, SUBMIT_EV_FAILED, 0, http, message);
	live_release(l);
}

/* Something that would stop every request (credentials, permissions, no
 * paired device, a web page instead of the API): the order stops there,
 * and the request stays open in the journal so that `resume` sends it
 * once the cause is fixed. Its cards are not sent, or unknown when an
 * earlier attempt may have reached Qonto. */
static void stop_order(struct submission *s, struct live *l, enum status code,
		       const char *api_code, const char *message)
{
	long http = l->call.http.status;
	char detail[400];

	status_set(&s->error, code, "%s", message);
	s->error.http_status = http;
	snprintf(detail, sizeof(detail), "%s; then run cardorder resume", message);
	settle_failed_rows(s, l, l->maybe_sent ? RESULT_UNKNOWN : RESULT_NOT_SENT,
			   api_code, detail);
	emit(s, l, SUBMIT_EV_FAILED, 0, http, message);
	live_release(l);
	l->state = LIVE_SETTLED; /* for this run; the journal keeps it open */
	stop(s);
}

/* Polls the renewal l waits for; once a new token is set, l goes on in
 * the state it was in (wake now). */
static void renewal_poll(struct submission *s, struct live *l)
{
	struct status_error e = { 0 };

	switch (api_renew(s->api, l->renew_sent_with, &l->renew_ticket, &e)) {
	case API_RENEW_WAIT:
		return;
	case API_RENEW_DONE:
		l->state = l->after_renew;
		l->wake_ms = submit_now_ms();
		return;
	case API_RENEW_FAILED:
		stop_order(s, l, STATUS_AUTH, "unauthorized",
			   e.message[0] ? e.message
					 : "Qonto refused the credentials (401): "
					   "log in again with cardorder login");
		return;
	}
}

/* A 401: the access token expired or was revoked. It is renewed on the
 * event loop and the same request goes again in state then (a 401
 * created nothing); twice in a row and the order stops, since Qonto
 * throttles an address after many 401s. */
static void renew_after_401(struct submission *s, struct live *l,
			    enum live_state then)
{
	l->renew_sent_with = l->call.token_gen;
	api_call_free(&l->call);
	if (l->auth_failures++ >= 2) {
		stop_order(s, l, STATUS_AUTH, "unauthorized",
			   "Qonto refused the renewed credentials (401): log in "
			   "again with cardorder login");
		return;
	}
	l->after_renew = then;
	l->renew_ticket = 0;
	l->state = LIVE_RENEWING;
	emit(s, l, SUBMIT_EV_RENEWING, 0, 401, "renewing the login to Qonto");
	renewal_poll(s, l);
}

static void unauthorized(struct submission *s, struct live *l)
{
	renew_after_401(s, l, LIVE_RETRY);
}

static bool is_html(const char *body)
{
	while (*body == ' ' || *body == '\n' || *body == '\r' || *body == '\t')
		body++;
	return *body == '<';
}

static void on_answer(struct submission *s, size_t idx, struct bulk_response *resp)
{
	struct live *l = s->live[idx];
	long long wait;

	switch (resp->kind) {
	case RESPONSE_CARDS:
		on_cards(s, idx, resp);
		break;
	case RESPONSE_REJECTED:
		/* a known key would have given its cached success */
		l->maybe_sent = false;
		on_rejected(s, idx, resp);
		break;
	case RESPONSE_SCA_REQUIRED:
		on_sca(s, l, resp);
		break;
	case RESPONSE_SCA_NOT_ENROLLED:
		stop_order(s, l, STATUS_SCA_NOT_ENROLLED, "sca_not_enrolled",
			   "no device is paired for approvals: pair the Qonto "
			   "app on a phone");
		break;
	case RESPONSE_UNAUTHORIZED:
		unauthorized(s, l);
		break;
	case RESPONSE_FORBIDDEN:
		stop_order(s, l, STATUS_FORBIDDEN, "forbidden",
			    "Qonto refused to create cards with these credentials "
			    "(403): card creation needs an OAuth login with the "
			    "card.write scope, not an API key");
		break;
	case RESPONSE_NOT_FOUND:
		stop_order(s, l, STATUS_NOT_FOUND, "not_found",
			    "Qonto does not offer bulk card creation for this "
			    "organisation (404)");
		break;
	case RESPONSE_RATE_LIMITED:
		wait = backoff_ms(s, l->backoff++, l->call.http.retry_after);
		s->paused_until_ms = submit_now_ms() + wait;
		api_call_free(&l->call);
		l->state = LIVE_RETRY;
		l->wake_ms = s->paused_until_ms;
		emit(s, l, SUBMIT_EV_RETRYING, (long)((wait + 999) / 1000), 429,
		     "Qonto asks to slow down");
		break;
	case RESPONSE_NOT_JSON:
		if (l->call.http.status == 200 && is_html(l->call.http.response)) {
			stop_order(s, l, STATUS_NOT_JSON, "not_json",
				    "the server answered with a web page instead "
				    "of JSON: is the staging token set "
				    "(QONTO_STAGING_TOKEN)?");
			break;
		}
		ambiguous(s, l, resp->message);
		break;
	default:
		ambiguous(s, l, resp->message ? resp->message : "unexpected answer");
		break;
	}
}

static void post_done(struct submission *s, size_t idx)
{
	struct live *l = s->live[idx];
	struct http_request *h = &l->call.http;
	struct bulk_response resp;
	char why[300];

	if (h->outcome == HTTP_NOT_SENT) {
		unreachable(s, l, h->error);
		return;
	}
	if (h->outcome != HTTP_ANSWERED) {
		snprintf(why, sizeof(why), "%s; the outcome is unknown", h->error);
		ambiguous(s, l, why);
		return;
	}
	response_init(&resp);
	if (response_parse(h->status, h->response, h->response_len,
			   jreq(s, l)->n_rows, &resp, NULL) != STATUS_OK) {
		ambiguous(s, l, "the answer could not be read");
		return;
	}
	journal_answer(s->journal, jreq(s, l), h->status, kind_name(resp.kind), NULL);
	if (resp.kind != RESPONSE_UNAUTHORIZED)
		l->auth_failures = 0;
	on_answer(s, idx, &resp);
	response_free(&resp);
}

/* ---- approvals ---- */

static void start_poll(struct submission *s, struct live *l)
{
	char path[600];

	if (submit_now_ms() >= l->sca_deadline_ms) {
		refused_all(s, l, STATUS_SCA_REQUIRED, "sca_expired",
			    "the approval in the Qonto app was not given in time; "
			    "nothing was created for these cards");
		return;
	}
	snprintf(path, sizeof(path), "/v2/sca_sessions/%s", l->sca_token);
	if (api_prepare(s->api, &l->call, "GET", path, NULL, 0, NULL, NULL,
			&s->error) != STATUS_OK ||
	    api_start(s->api, &l->call, &s->error) != STATUS_OK) {
		stop(s);
		return;
	}
	s->http_requests++;
	l->state = LIVE_POLLING;
}

/* "waiting", "allow" or "deny"; NULL when the answer is not readable. */
static const char *sca_result(const struct http_request *h, char *buf, size_t cap)
{
	json_object *root = NULL;
	char *text = NULL;

	if (h->outcome != HTTP_ANSWERED || h->status != 200 ||
	    json_parse_limited(h->response, h->response_len, 4, &root, NULL) !=
		    JPARSE_OK)
		return NULL;
	if (!json_copy_member(root, "result", 16, false, &text) || !text) {
		json_object_put(root);
		return NULL;
	}
	snprintf(buf, cap, "%s", text);
	free(text);
	json_object_put(root);
	return buf;
}

static void poll_done(struct submission *s, struct live *l)
{
	char buf[20];
	const char *result = sca_result(&l->call.http, buf, sizeof(buf));
	long left = (long)((l->sca_deadline_ms - submit_now_ms()) / 1000);

	if (l->call.http.outcome == HTTP_ANSWERED && l->call.http.status == 401) {
		renew_after_401(s, l, LIVE_APPROVAL);
		return;
	}
	if (result)
		l->auth_failures = 0;
	api_call_free(&l->call);
	if (result && strcmp(result, "allow") == 0) {
		start_post(s, l); /* the same body and key, with the token */
		return;
	}
	if (result && strcmp(result, "deny") == 0) {
		refused_all(s, l, STATUS_SCA_REQUIRED, "sca_denied",
			    "the order was not approved in the Qonto app "
			    "(declined, or the time to approve ran out); "
			    "nothing was created for these cards");
		return;
	}
	/* waiting, or a poll that failed: ask again in a second */
	l->state = LIVE_APPROVAL;
	l->wake_ms = submit_now_ms() + 1000;
	emit(s, l, SUBMIT_EV_APPROVAL, left < 0 ? 0 : left, 0,
	     "waiting for approval in the Qonto app");
}

enum status submit_mock_decide(struct submission *sub, unsigned request,
			       bool allow, struct status_error *err)
{
	struct live *l = NULL;
	enum status st;
	char path[600];

	for (size_t i = 0; i < sub->n_live; i++)
		if (jreq(sub, sub->live[i])->number == request)
			l = sub->live[i];
	if (!l || !l->sca_token)
		return status_set(err, STATUS_USAGE,
				  "request %u is not waiting for approval", request);
	if (l->decide.http.handle)
		return status_set(err, STATUS_USAGE,
				  "request %u is already being answered", request);
	snprintf(path, sizeof(path), "/v2/mocked_sca_sessions/%s/%s", l->sca_token,
		 allow ? "allow" : "deny");
	st = api_prepare(sub->api, &l->decide, "POST", path, "{}", 2, NULL, NULL, err);
	if (st == STATUS_OK)
		st = api_start(sub->api, &l->decide, err);
	if (st != STATUS_OK) {
		api_call_free(&l->decide);
		return st;
	}
	sub->http_requests++;
	return STATUS_OK;
}

/* The sandbox took (or refused) a decision: the next poll tells the
 * outcome, at once; a refusal is said on the request's line. */
static void decide_done(struct submission *s, struct live *l)
{
	struct status_error e = { 0 };
	const struct http_request *h = &l->decide.http;

	if (h->outcome != HTTP_ANSWERED || h->status >= 300) {
		api_describe_failure(&l->decide, &e);
		emit(s, l, SUBMIT_EV_APPROVAL,
		     (long)((l->sca_deadline_ms - submit_now_ms()) / 1000), h->status,
		     e.message[0] ? e.message : "the sandbox refused the decision");
	} else if (l->state == LIVE_APPROVAL) {
		l->wake_ms = submit_now_ms();
	}
	api_call_free(&l->decide);
}

/* ---- reconciliation ---- */

static void start_listing(struct submission *s, struct live *l)
{
	char *path;

	if (!l->rc) {
		if (!load_body(s, l) ||
		    reconcile_new(&l->rc, l->body, l->body_len, jreq(s, l)->first_sent,
				  &s->error) != STATUS_OK) {
			stop(s);
			return;
		}
		l->list_page = 1;
		s->reconciling = true;
	}
	path = reconcile_path(l->rc, l->list_page);
	if (!path || api_prepare(s->api, &l->call, "GET", path, NULL, 0, NULL, NULL,
				 &s->error) != STATUS_OK ||
	    api_start(s->api, &l->call, &s->error) != STATUS_OK) {
		free(path);
		stop(s);
		return;
	}
	free(path);
	s->http_requests++;
	l->state = LIVE_LISTING;
}

static void finish_reconcile(struct submission *s, size_t idx)
{
	struct live *l = s->live[idx];
	struct journal_request *r = jreq(s, l);
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
		stop(s);
		return;
	}
	response_free(&resp);
	settle(s, l, JREQ_DONE, answer, len, "reconciled");
	free(answer);
	audit(s, l, 200);
	s->reconciling = false;
	for (unsigned i = 0; i < n_pos; i++)
		rows[i] = r->rows[pos[i]];
	emit(s, l, SUBMIT_EV_DONE, 0, 200,
	     n_pos ? "reconciled: the cards Qonto does not have are sent again"
		   : "reconciled: every card was found in Qonto");
	if (n_pos && replan(s, l, rows, n_pos) != STATUS_OK)
		stop(s);
	live_release(s->live[idx]);
}

static void listing_done(struct submission *s, size_t idx)
{
	struct live *l = s->live[idx];
	struct http_request *h = &l->call.http;
	unsigned next = 0;

	if (h->outcome == HTTP_ANSWERED && h->status == 401) {
		renew_after_401(s, l, LIVE_RECONCILE);
		return;
	}
	if (h->outcome != HTTP_ANSWERED || h->status != 200 ||
	    reconcile_page(l->rc, h->response, h->response_len, s->results, &next,
			   NULL) != STATUS_OK) {
		/* Nothing is resent before we know: the same page again later
		 * (this request keeps the reconciliation it started). */
		api_call_free(&l->call);
		l->state = LIVE_RECONCILE;
		l->wake_ms = submit_now_ms() + backoff_ms(s, l->backoff++, 0);
		return;
	}
	api_call_free(&l->call);
	if (next) {
		l->list_page = next;
		start_listing(s, l);
		return;
	}
	finish_reconcile(s, idx);
}

/* ---- the loop ---- */

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
			renewal_poll(s, l);
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
		if (now < s->paused_until_ms && l->state != LIVE_APPROVAL) {
			next = s->paused_until_ms < next ? s->paused_until_ms : next;
			continue;
		}
		if (l->state == LIVE_APPROVAL)
			start_poll(s, l);
		else if (l->state == LIVE_RECONCILE && (!s->reconciling || l->rc) &&
			 !others_busy(s, i))
			start_listing(s, l);
		else if (l->state == LIVE_RETRY ||
			 (l->state == LIVE_IDLE &&
			  count_state(s, LIVE_POSTING, LIVE_POSTING) < s->opts.max_in_flight &&
			  count_state(s, LIVE_APPROVAL, LIVE_POLLING) < s->opts.max_approvals))
			start_post(s, l);
	}
	return next;
}

static void handle_done(struct submission *s)
{
	for (size_t i = 0; i < s->n_live; i++) {
		struct live *l = s->live[i];

		if (l->decide.http.done)
			decide_done(s, l);
		if (!l->call.http.done)
			continue;
		if (l->state == LIVE_POSTING)
			post_done(s, i);
		else if (l->state == LIVE_POLLING)
			poll_done(s, l);
		else if (l->state == LIVE_LISTING)
			listing_done(s, i);
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
		if (l->maybe_sent)
			settle_failed_rows(s, l, RESULT_UNKNOWN, "unknown",
					   "sent, but the outcome is unknown; run "
					   "cardorder resume, which finds out "
					   "before sending anything again");
		else if (l->state == LIVE_APPROVAL || l->state == LIVE_POLLING)
			settle_failed_rows(s, l, RESULT_NOT_SENT, "not_approved",
					   "not approved yet; run cardorder resume");
		else
			settle_failed_rows(s, l, RESULT_NOT_SENT, "not_sent",
					   "not sent; run cardorder resume");
		if (l->call.http.handle)
			http_cancel(&l->call.http);
		live_release(l);
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

bool submit_step(struct submission *s, int timeout_ms, const int *fds,
		 unsigned n_fds)
{
	long long now = submit_now_ms(), next;
	long wait;

	if (s->cancelled)
		return false;
	next = start_ready(s, now);
	handle_done(s); /* a start that failed at once */
	if (!active(s)) {
		if (!s->stopped && !s->journal->finished)
			journal_finish(s->journal, NULL);
		mark_unsettled(s);
		return false;
	}
	wait = (long)(next - now);
	if (wait < 0)
		wait = 0;
	if (wait > timeout_ms)
		wait = timeout_ms;
	if (http_running(s->api->http) > 0 || n_fds > 0 || wait > 0)
		http_step(s->api->http, (int)wait, fds, n_fds);
	handle_done(s);
	if (active(s))
		return true;
	if (!s->stopped && !s->journal->finished)
		journal_finish(s->journal, NULL);
	mark_unsettled(s);
	return false;
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
			emit(s, l, l->maybe_sent ? SUBMIT_EV_UNKNOWN : SUBMIT_EV_QUEUED,
			     0, 0, l->maybe_sent ? "outcome unknown" : "not sent");
		}
	}
	s->cancelled = true;
	s->stopped = true;
	mark_unsettled(s);
}

/* ---- starting and resuming ---- */

/* Applies the saved outcome of a settled request to the results. */
static enum status replay_settled(struct submission *s, struct journal_request *r)
{
	uint32_t none[JOURNAL_MAX_ROWS];
	struct bulk_response resp;
	enum status st;
	unsigned n_none;
	char *body = NULL;
	size_t len;

	st = journal_answer_body(s->journal, r, &body, &len, &s->error);
	if (st != STATUS_OK) {
		/* Failed as a whole without a body (never happens today). */
		for (unsigned i = 0; i < r->n_rows; i++)
			results_fail(s->results, r->rows[i], r->number, RESULT_FAILED,
				     "refused", r->note, NULL);
		return STATUS_OK;
	}
	response_init(&resp);
	st = response_parse(r->state == JREQ_DONE ? 200 : 422, body, len, r->n_rows,
			    &resp, &s->error);
	if (st == STATUS_OK && r->state == JREQ_FAILED && resp.kind != RESPONSE_REJECTED) {
		for (unsigned i = 0; i < r->n_rows; i++)
			results_fail(s->results, r->rows[i], r->number, RESULT_FAILED,
				     "refused", r->note, NULL);
	} else if (st == STATUS_OK) {
		st = submit_apply(s->results, r->number, r->rows, r->n_rows, &resp,
				  none, &n_none);
	}
	response_free(&resp);
	free(body);
	return st;
}

static enum status add_live(struct submission *s, size_t jr)
{
	struct journal_request *r = &s->journal->requests[jr];
	struct live *l;
	enum status st = live_push(s, jr, &l);

	if (st != STATUS_OK)
		return st;
	switch (r->state) {
	case JREQ_PLANNED:
		l->state = LIVE_IDLE;
		break;
	case JREQ_SENT:
		/* It may have reached Qonto before the process stopped:
		 * same key while Qonto surely keeps it, else reconcile. */
		l->maybe_sent = true;
		if (key_safe(s, r))
			l->state = LIVE_RETRY;
		else
			schedule_reconcile(s, l);
		break;
	default:
		l->state = LIVE_SETTLED;
		return replay_settled(s, r);
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
			st = replan(s, s->live[idx], rows, n);
		free(s->live[idx]->body);
		s->live[idx]->body = NULL;
	}
	free(taken);
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
	st = fill_asked(s);
	for (size_t i = 0; st == STATUS_OK && i < journal->n_requests; i++)
		st = add_live(s, i);
	if (st == STATUS_OK && !journal->ready) {
		/* Sending starts only once every request is planned. */
		st = status_set(&s->error, STATUS_INVALID,
				"order %s was interrupted while it was being prepared: "
				"nothing was sent; submit the order file again",
				journal->order_id);
		journal_finish(journal, NULL);
	}
	if (st == STATUS_OK)
		st = plan_uncovered(s);
	if (st != STATUS_OK) {
		if (err)
			*err = s->error;
		submit_free(s);
		return st;
	}
	for (size_t i = 0; i < s->n_live; i++) {
		struct live *l = s->live[i];

		if (l->state == LIVE_RECONCILE)
			emit(s, l, SUBMIT_EV_RECONCILING, 0, 0,
			     "it was being sent when cardorder stopped, and its "
			     "key may have expired since");
		else if (l->state == LIVE_RETRY)
			emit(s, l, SUBMIT_EV_RETRYING, 0, 0,
			     "it was being sent when cardorder stopped; sending "
			     "it again with the same key");
		else if (l->state != LIVE_SETTLED)
			emit(s, l, SUBMIT_EV_QUEUED, 0, 0, NULL);
	}
	*out = s;
	return STATUS_OK;
}

void submit_free(struct submission *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_live; i++) {
		live_release(s->live[i]);
		free(s->live[i]);
	}
	free(s->live);
	free(s);
}

enum submit_outcome submit_outcome(const struct submission *s)
{
	size_t counts[4];

	results_count(s->results, counts);
	if (counts[RESULT_UNKNOWN] > 0)
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
