/* submit_reconcile.c: finding out what Qonto created for a request whose
 * outcome is unknown (GET /v2/cards), before anything is sent again. */
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

bool submit_key_safe(const struct submission *s, const struct journal_request *r)
{
	long age = (long)(time(NULL) - r->first_sent);

	return !r->first_sent || (age >= 0 && age < s->opts.retry_window_s);
}

long submit_schedule_reconcile(struct submission *s, struct live *l)
{
	struct journal_request *r = submit_jreq(s, l);
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
		if (!submit_load_body(s, l) ||
		    reconcile_new(&l->rc, l->body, l->body_len, submit_jreq(s, l)->first_sent,
				  &s->error) != STATUS_OK) {
			submit_stop(s);
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
		submit_stop(s);
		return;
	}
	free(path);
	s->http_requests++;
	l->state = LIVE_LISTING;
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
	submit_settle(s, l, JREQ_DONE, answer, len, "reconciled");
	free(answer);
	submit_audit(s, l, 200);
	s->reconciling = false;
	for (unsigned i = 0; i < n_pos; i++)
		rows[i] = r->rows[pos[i]];
	submit_emit(s, l, SUBMIT_EV_DONE, 0, 200,
	     n_pos ? "reconciled: the cards Qonto does not have are sent again"
		   : "reconciled: every card was found in Qonto");
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
	if (h->outcome != HTTP_ANSWERED || h->status != 200 ||
	    reconcile_page(l->rc, h->response, h->response_len, s->results, &next,
			   NULL) != STATUS_OK) {
		/* Nothing is resent before we know: the same page again later
		 * (this request keeps the reconciliation it started). */
		api_call_free(&l->call);
		l->state = LIVE_RECONCILE;
		l->wake_ms = submit_now_ms() + submit_backoff_ms(s, l->backoff++, 0);
		return;
	}
	api_call_free(&l->call);
	if (next) {
		l->list_page = next;
		submit_start_listing(s, l);
		return;
	}
	finish_reconcile(s, idx);
}
