/* submit_approval.c: strong customer authentication: polling the SCA
 * session of a request that waits for approval, and the sandbox's mocked
 * decision. */
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

void submit_start_poll(struct submission *s, struct live *l)
{
	char path[600];

	if (submit_now_ms() >= l->sca_deadline_ms) {
		submit_refused_all(s, l, STATUS_SCA_REQUIRED, "sca_expired",
			    N_("the approval in the Qonto app was not given in time; "
			       "nothing was created for these cards"));
		return;
	}
	snprintf(path, sizeof(path), "/v2/sca_sessions/%s", l->sca_token);
	if (api_prepare(s->api, &l->call, "GET", path, NULL, 0, NULL, NULL,
			&s->error) != STATUS_OK ||
	    api_start(s->api, &l->call, &s->error) != STATUS_OK) {
		submit_stop(s);
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

void submit_poll_done(struct submission *s, struct live *l)
{
	char buf[20];
	const char *result = sca_result(&l->call.http, buf, sizeof(buf));
	long left = (long)((l->sca_deadline_ms - submit_now_ms()) / 1000);

	if (l->call.http.outcome == HTTP_ANSWERED && l->call.http.status == 401) {
		submit_renew_after_401(s, l, LIVE_APPROVAL);
		return;
	}
	if (l->call.http.outcome == HTTP_ANSWERED && l->call.http.status == 429) {
		/* Polls share the limit with the POSTs: every request waits */
		long long wait = submit_backoff_ms(s, l->backoff++, l->call.http.retry_after);

		s->paused_until_ms = submit_now_ms() + wait;
		api_call_free(&l->call);
		l->state = LIVE_APPROVAL;
		l->wake_ms = s->paused_until_ms;
		return;
	}
	if (result) {
		l->auth_failures = 0;
		l->backoff = 0;
	}
	api_call_free(&l->call);
	if (result && strcmp(result, "allow") == 0) {
		/* the same body and key, with the token: at once, unless
		 * Qonto's list is being read (no card is made meanwhile) */
		l->state = LIVE_RETRY;
		l->wake_ms = 0;
		if (!s->reconciling)
			submit_start_post(s, l);
		return;
	}
	if (result && strcmp(result, "deny") == 0) {
		submit_refused_all(s, l, STATUS_SCA_REQUIRED, "sca_denied",
			    N_("the order was not approved in the Qonto app "
			       "(declined, or the time to approve ran out); "
			       "nothing was created for these cards"));
		return;
	}
	/* waiting, or a poll that failed: ask again in a second */
	l->state = LIVE_APPROVAL;
	l->wake_ms = submit_now_ms() + 1000;
	submit_emit(s, l, SUBMIT_EV_APPROVAL, left < 0 ? 0 : left, 0,
	     _("waiting for approval in the Qonto app"));
}

enum status submit_mock_decide(struct submission *sub, unsigned request,
			       bool allow, struct status_error *err)
{
	struct live *l = NULL;
	enum status st;
	char path[600];

	for (size_t i = 0; i < sub->n_live; i++)
		if (submit_jreq(sub, sub->live[i])->number == request)
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

void submit_decide_done(struct submission *s, struct live *l)
{
	struct status_error e = { 0 };
	const struct http_request *h = &l->decide.http;

	if (h->outcome != HTTP_ANSWERED || h->status >= 300) {
		api_describe_failure(&l->decide, &e);
		submit_emit(s, l, SUBMIT_EV_APPROVAL,
		     (long)((l->sca_deadline_ms - submit_now_ms()) / 1000), h->status,
		     e.message[0] ? e.message : _("the sandbox refused the decision"));
	} else if (l->state == LIVE_APPROVAL) {
		l->wake_ms = submit_now_ms();
	}
	api_call_free(&l->decide);
}
