/* submit_post.c: sending a request (POST /v2/cards/bulk) and what each
 * answer does to it: settled, refused, asked for approval, retried, or
 * reconciled when its outcome is unknown. */
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

void submit_start_post(struct submission *s, struct live *l)
{
	struct journal_request *r = submit_jreq(s, l);
	enum status st;

	/* An attempt that may have reached Qonto is never followed by
	 * another before Qonto's cards were listed: Qonto does not document
	 * that it keeps keys for this endpoint. */
	if (l->maybe_sent) {
		submit_go_reconcile(s, l, _("the outcome of the last attempt is unknown"));
		return;
	}
	if (!submit_load_body(s, l)) {
		submit_stop(s);
		return;
	}
	/* Journalled before the first byte leaves: after a crash, resume
	 * knows this request may have reached Qonto; with Qonto's clock as
	 * last measured, which reconciliation's window starts from. */
	s->journal->has_skew = http_clock_skew(s->api->http, &s->journal->skew);
	st = journal_sending(s->journal, r, &s->error);
	if (st == STATUS_OK)
		st = api_prepare(s->api, &l->call, "POST", "/v2/cards/bulk", l->body,
				 l->body_len, r->key, l->sca_token, &s->error);
	if (st == STATUS_OK)
		st = api_start(s->api, &l->call, &s->error);
	if (st != STATUS_OK) {
		submit_stop(s);
		return;
	}
	s->http_requests++;
	l->state = LIVE_POSTING;
	submit_emit(s, l, SUBMIT_EV_SENDING, 0, 0, NULL);
}

/* The outcome may be unknown: find out with GET /v2/cards before
 * anything is sent again, whatever the key's age. Qonto documents its
 * idempotency keys for single creates, not for this endpoint, so a key
 * is a second line of defence, never the first. answered: the server
 * finished with this attempt (a 500, a cut or unreadable body), so
 * there is no late processing to wait for. */
static void ambiguous(struct submission *s, struct live *l, const char *why,
		      bool answered)
{
	api_call_free(&l->call);
	l->maybe_sent = true;
	l->answered = answered;
	l->unknowns++; /* the wait before a resend grows with these */
	submit_go_reconcile(s, l, why);
}

static void unreachable(struct submission *s, struct live *l, const char *why)
{
	long long wait;

	api_call_free(&l->call);
	if (++l->unreachable >= s->opts.max_unreachable) {
		/* Never left this machine: the cards are simply not sent. */
		status_set(&s->error, STATUS_NETWORK, "could not reach Qonto: %s", why);
		l->state = LIVE_IDLE;
		submit_stop(s);
		return;
	}
	wait = submit_backoff_ms(s, l->unreachable, 0);
	l->state = LIVE_RETRY;
	l->wake_ms = submit_now_ms() + wait;
	submit_emit(s, l, SUBMIT_EV_RETRYING, (long)((wait + 999) / 1000), 0, why);
}

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
	struct journal_request *r = submit_jreq(s, l);
	uint32_t none[JOURNAL_MAX_ROWS];
	unsigned n_none;
	bool whole = resp->n_entries >= r->n_rows;

	for (size_t i = 0; whole && i < resp->n_entries; i++)
		whole = resp->entries[i].kind != ENTRY_MALFORMED;
	if (!whole) {
		/* A card the answer does not account for may exist: Qonto's
		 * list tells, rather than leaving it "unknown". */
		ambiguous(s, l, _("Qonto's answer did not account for every card"),
			  true);
		return;
	}
	if (submit_apply(s->results, r->number, r->rows, r->n_rows, resp, none,
			 &n_none) != STATUS_OK) {
		status_set(&s->error, STATUS_NOMEM, NULL);
		submit_stop(s);
		return;
	}
	submit_settle(s, l, JREQ_DONE, l->call.http.response, l->call.http.response_len,
	       NULL);
	submit_audit(s, l, 200);
	submit_emit(s, l, SUBMIT_EV_DONE, 0, 200, NULL);
	submit_live_release(l);
}

static void on_rejected(struct submission *s, size_t idx,
			struct bulk_response *resp)
{
	struct live *l = s->live[idx];
	struct journal_request *r = submit_jreq(s, l);
	uint32_t rest[JOURNAL_MAX_ROWS];
	unsigned n_rest;
	long http = l->call.http.status;

	if (submit_apply(s->results, r->number, r->rows, r->n_rows, resp, rest,
			 &n_rest) != STATUS_OK) {
		status_set(&s->error, STATUS_NOMEM, NULL);
		submit_stop(s);
		return;
	}
	/* Nothing was created: the cards without an error of their own go
	 * again, in a request of their own with a key of its own. */
	submit_settle(s, l, n_rest ? JREQ_REPLANNED : JREQ_FAILED, l->call.http.response,
	       l->call.http.response_len, resp->message);
	submit_audit(s, l, http);
	submit_emit(s, l, SUBMIT_EV_FAILED, 0, http,
	     n_rest ? _("refused; the cards without an error are sent again")
		    : _("refused"));
	if (n_rest && submit_replan(s, l, rest, n_rest) != STATUS_OK)
		submit_stop(s);
	submit_live_release(s->live[idx]);
}

static void on_sca(struct submission *s, struct live *l, struct bulk_response *resp)
{
	if (++l->approvals > SUBMIT_MAX_APPROVALS) {
		/* Approved, replayed, and asked again: do not loop. */
		submit_refused_all(s, l, STATUS_SCA_REQUIRED, "sca_loop",
			    N_("Qonto kept asking for approval of the same request"));
		return;
	}
	l->backoff = 0; /* Qonto answered: earlier failures were passing */
	/* Qonto answers a known key with its cached success: a 428 says
	 * no attempt with this key created anything. */
	l->maybe_sent = false;
	submit_wipe_token(l);
	l->sca_token = resp->sca_session_token;
	resp->sca_session_token = NULL;
	/* Kept in the journal, so that an approval given while cardorder is
	 * not running is not asked again. Memory is enough to go on. */
	if (l->sca_token)
		journal_approval(s->journal, submit_jreq(s, l), l->sca_token, NULL);
	l->sca_deadline_ms = submit_now_ms() + s->opts.sca_timeout_s * 1000;
	api_call_free(&l->call);
	l->state = LIVE_APPROVAL;
	l->wake_ms = submit_now_ms() + 1000;
	submit_emit(s, l, SUBMIT_EV_APPROVAL,
	     (long)((l->sca_deadline_ms - submit_now_ms()) / 1000), 428,
	     _("waiting for approval in the Qonto app"));
}

/* err gets code with en as its English message (files, JSON) and shown
 * as the one for people. */
static void set_error(struct status_error *err, enum status code,
		      const char *en, const char *shown)
{
	status_set(err, code, NULL);
	snprintf(err->message_en, sizeof(err->message_en), "%s", en);
	snprintf(err->message, sizeof(err->message), "%s", shown);
}

/* message is English (marked N_() by the callers): as written in the
 * results export and the journal's note, translated for people. */
void submit_refused_all(struct submission *s, struct live *l, enum status code,
			const char *api_code, const char *message)
{
	long http = l->call.http.status;

	set_error(&s->error, code, message, _(message));
	s->error.http_status = http;
	submit_fail_rows(s, l, RESULT_FAILED, api_code, message);
	submit_settle(s, l, JREQ_FAILED, l->call.http.response, l->call.http.response_len,
	       message);
	submit_audit(s, l, http);
	submit_emit(s, l, SUBMIT_EV_FAILED, 0, http, _(message));
	submit_live_release(l);
}

/* Something that would stop every request (credentials, permissions, no
 * paired device, a web page instead of the API): the order stops there,
 * and the request stays open in the journal so that `resume` sends it
 * once the cause is fixed. Its cards are not sent, or unknown when an
 * earlier attempt may have reached Qonto. message is English (the
 * results export), shown its translation for people (NULL: _(message)). */
static void stop_order(struct submission *s, struct live *l, enum status code,
		       const char *api_code, const char *message,
		       const char *shown)
{
	long http = l->call.http.status;
	char detail[400];

	if (!shown)
		shown = _(message);
	set_error(&s->error, code, message, shown);
	s->error.http_status = http;
	snprintf(detail, sizeof(detail), "%s; then run cardorder resume", message);
	submit_fail_rows(s, l, l->maybe_sent ? RESULT_UNKNOWN : RESULT_NOT_SENT,
			   api_code, detail);
	submit_emit(s, l, SUBMIT_EV_FAILED, 0, http, shown);
	submit_live_release(l);
	l->state = LIVE_SETTLED; /* for this run; the journal keeps it open */
	submit_stop(s);
}

void submit_renewal_poll(struct submission *s, struct live *l)
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
		if (e.message[0])
			stop_order(s, l, STATUS_AUTH, "unauthorized", e.message_en,
				   e.message);
		else
			stop_order(s, l, STATUS_AUTH, "unauthorized",
				   N_("Qonto refused the credentials (401): "
				      "log in again with cardorder login"),
				   NULL);
		return;
	}
}

void submit_renew_after_401(struct submission *s, struct live *l,
			    enum live_state then)
{
	l->renew_sent_with = l->call.token_gen;
	api_call_free(&l->call);
	if (l->auth_failures++ >= 2) {
		stop_order(s, l, STATUS_AUTH, "unauthorized",
			   N_("Qonto refused the renewed credentials (401): log in "
			      "again with cardorder login"),
			   NULL);
		return;
	}
	l->after_renew = then;
	l->renew_ticket = 0;
	l->state = LIVE_RENEWING;
	submit_emit(s, l, SUBMIT_EV_RENEWING, 0, 401, _("renewing the login to Qonto"));
	submit_renewal_poll(s, l);
}

static void unauthorized(struct submission *s, struct live *l)
{
	submit_renew_after_401(s, l, LIVE_RETRY);
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
			   N_("no device is paired for approvals: pair the Qonto "
			      "app on a phone"),
			   NULL);
		break;
	case RESPONSE_UNAUTHORIZED:
		unauthorized(s, l);
		break;
	case RESPONSE_FORBIDDEN:
		stop_order(s, l, STATUS_FORBIDDEN, "forbidden",
			    N_("Qonto refused to create cards with these credentials "
			       "(403): card creation needs an OAuth login with the "
			       "card.write scope, not an API key"),
			    NULL);
		break;
	case RESPONSE_NOT_FOUND:
		stop_order(s, l, STATUS_NOT_FOUND, "not_found",
			    N_("Qonto does not offer bulk card creation for this "
			       "organisation (404)"),
			    NULL);
		break;
	case RESPONSE_RATE_LIMITED:
		wait = submit_backoff_ms(s, l->backoff++, l->call.http.retry_after);
		s->paused_until_ms = submit_now_ms() + wait;
		api_call_free(&l->call);
		l->state = LIVE_RETRY;
		l->wake_ms = s->paused_until_ms;
		submit_emit(s, l, SUBMIT_EV_RETRYING, (long)((wait + 999) / 1000), 429,
		     _("Qonto asks to slow down"));
		break;
	case RESPONSE_NOT_JSON:
		if (l->call.http.status == 200 && is_html(l->call.http.response)) {
			stop_order(s, l, STATUS_NOT_JSON, "not_json",
				    N_("the server answered with a web page instead "
				       "of JSON: is the staging token set "
				       "(QONTO_STAGING_TOKEN)?"),
				    NULL);
			break;
		}
		ambiguous(s, l, resp->message, true);
		break;
	default:
		ambiguous(s, l, resp->message ? resp->message : _("unexpected answer"),
			  l->call.http.status != 502 && l->call.http.status != 504);
		break;
	}
}

void submit_post_done(struct submission *s, size_t idx)
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
		/* TRANSLATORS: %s says how the network failed (it may be
		 * English: it comes from the network library) */
		snprintf(why, sizeof(why), _("%s; the outcome is unknown"), h->error);
		ambiguous(s, l, why, false);
		return;
	}
	response_init(&resp);
	if (response_parse(h->status, h->response, h->response_len,
			   submit_jreq(s, l)->n_rows, &resp, NULL) != STATUS_OK) {
		ambiguous(s, l, _("the answer could not be read"), true);
		return;
	}
	journal_answer(s->journal, submit_jreq(s, l), h->status, kind_name(resp.kind), NULL);
	if (resp.kind != RESPONSE_UNAUTHORIZED)
		l->auth_failures = 0;
	on_answer(s, idx, &resp);
	response_free(&resp);
}
