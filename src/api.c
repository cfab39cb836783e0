/* api.c: base URL, credentials and headers for Qonto's Business API. */
#include "config.h"

#include "api.h"
#include "i18n.h"
#include "oauth.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void wipe_free(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

void api_credentials_free(struct api_credentials *cred)
{
	if (!cred)
		return;
	wipe_free(cred->access_token);
	wipe_free(cred->api_key);
	wipe_free(cred->staging_token);
	memset(cred, 0, sizeof(*cred));
}

enum status api_init(struct api *api, const char *base_url,
		     struct api_credentials *cred,
		     const struct http_config *http_config,
		     struct status_error *err)
{
	size_t len;

	memset(api, 0, sizeof(*api));
	if (!http_url_allowed(base_url))
		return status_set(err, STATUS_USAGE,
				  "the API address %s is refused: only https "
				  "is allowed, or plain http to this machine",
				  base_url);
	api->base_url = strdup(base_url);
	api->http = http_client_new(http_config);
	if (!api->base_url || !api->http) {
		api_free(api);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	len = strlen(api->base_url);
	while (len > 0 && api->base_url[len - 1] == '/')
		api->base_url[--len] = '\0';
	if (cred) {
		api->cred = *cred;
		memset(cred, 0, sizeof(*cred));
	}
	return STATUS_OK;
}

static void renewal_release(struct api_renewal *r)
{
	if (r->req.response)
		explicit_bzero(r->req.response, r->req.response_len);
	http_request_reset(&r->req);
	if (r->form)
		explicit_bzero(r->form, strlen(r->form));
	free(r->form);
	free(r->url);
	r->form = r->url = NULL;
	r->running = false;
}

static enum status renewal_start(struct api *api, struct status_error *err)
{
	struct api_renewal *r = &api->renewal;
	enum status st;

	st = api->refresher->form(api->refresh_user, &r->url, &r->form, err);
	if (st != STATUS_OK)
		return st;
	memset(&r->req, 0, sizeof(r->req));
	r->req.method = "POST";
	r->req.url = r->url;
	r->req.headers = oauth_token_headers;
	r->req.body = r->form;
	r->req.body_len = strlen(r->form);
	st = http_start(api->http, &r->req, err);
	if (st != STATUS_OK) {
		renewal_release(r);
		return st;
	}
	r->running = true;
	return STATUS_OK;
}

enum api_renew_state api_renew(struct api *api, unsigned sent_with,
			       unsigned *ticket, struct status_error *err)
{
	struct api_renewal *r = &api->renewal;

	if (!api->refresher) {
		status_set(err, STATUS_AUTH, "Qonto refused the credentials (401) "
					     "and they cannot be renewed: log in "
					     "again with cardorder login");
		return API_RENEW_FAILED;
	}
	if (*ticket == 0) {
		if (sent_with != api->token_gen)
			return API_RENEW_DONE;
		if (!r->running && renewal_start(api, err) != STATUS_OK)
			return API_RENEW_FAILED;
		*ticket = r->finished + 1;
	}
	if (r->running && r->req.done) {
		memset(&r->err, 0, sizeof(r->err));
		r->last = api->refresher->take(api, api->refresh_user, &r->req,
					       &r->err);
		renewal_release(r);
		r->finished++;
	}
	if (r->finished < *ticket)
		return API_RENEW_WAIT;
	if (r->last == STATUS_OK)
		return API_RENEW_DONE;
	if (err)
		*err = r->err;
	return API_RENEW_FAILED;
}

enum status api_renew_blocking(struct api *api, struct status_error *err)
{
	unsigned ticket = 0;
	enum api_renew_state st;

	while ((st = api_renew(api, api->token_gen, &ticket, err)) == API_RENEW_WAIT)
		http_step(api->http, 100, NULL, 0);
	if (st == API_RENEW_DONE)
		return STATUS_OK;
	return err && err->code != STATUS_OK ? err->code : STATUS_AUTH;
}

void api_free(struct api *api)
{
	if (!api)
		return;
	renewal_release(&api->renewal);
	free(api->base_url);
	api_credentials_free(&api->cred);
	http_client_free(api->http);
	memset(api, 0, sizeof(*api));
}

bool api_can_create_cards(const struct api *api)
{
	return api->cred.access_token && api->cred.access_token[0];
}

enum status api_set_token(struct api *api, const char *token)
{
	char *copy = strdup(token);

	if (!copy)
		return STATUS_NOMEM;
	wipe_free(api->cred.access_token);
	api->cred.access_token = copy;
	api->token_gen++;
	return STATUS_OK;
}

static int add_header(struct api_call *call, size_t *n, const char *name,
		      const char *value)
{
	if (*n + 1 >= sizeof(call->headers) / sizeof(call->headers[0]))
		return -1;
	if (asprintf(&call->headers[*n], "%s: %s", name, value) < 0) {
		call->headers[*n] = NULL;
		return -1;
	}
	(*n)++;
	return 0;
}

static int build_headers(struct api *api, struct api_call *call, bool post,
			 const char *key, const char *sca)
{
	size_t n = 0;
	int rc = add_header(call, &n, "Accept", "application/json");

	if (rc == 0 && post)
		rc = add_header(call, &n, "Content-Type", "application/json");
	/* The API key goes in Authorization only when there is no token:
	 * "login:secret-key", without a scheme. */
	if (rc == 0 && !api_can_create_cards(api) && api->cred.api_key)
		rc = add_header(call, &n, "Authorization", api->cred.api_key);
	if (rc == 0 && api->cred.staging_token && api->cred.staging_token[0])
		rc = add_header(call, &n, "X-Qonto-Staging-Token",
				api->cred.staging_token);
	if (rc == 0 && key)
		rc = add_header(call, &n, "X-Qonto-Idempotency-Key", key);
	if (rc == 0 && sca)
		rc = add_header(call, &n, "X-Qonto-Sca-Session-Token", sca);
	if (rc == 0 && post && api->twofa[0])
		rc = add_header(call, &n, "X-Qonto-2fa-Preference", api->twofa);
	call->headers[n] = NULL;
	return rc;
}

enum status api_prepare(struct api *api, struct api_call *call,
			const char *method, const char *path, const char *body,
			size_t body_len, const char *idempotency_key,
			const char *sca_token, struct status_error *err)
{
	bool post = strcmp(method, "POST") == 0;

	api_call_free(call);
	call->token_gen = api->token_gen;
	if (asprintf(&call->url, "%s%s", api->base_url, path) < 0) {
		call->url = NULL;
		return status_set(err, STATUS_NOMEM, NULL);
	}
	if (build_headers(api, call, post, idempotency_key, sca_token) < 0) {
		api_call_free(call);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	call->http.method = method;
	call->http.url = call->url;
	call->http.body = body;
	call->http.body_len = body_len;
	call->http.headers = (const char *const *)call->headers;
	call->http.bearer = api_can_create_cards(api) ? api->cred.access_token
						      : NULL;
	/* A POST that creates cards never rides a reused connection that
	 * libcurl might silently resend on (c-ecosystem.md §1.4). */
	call->http.fresh_connect = post;
	return STATUS_OK;
}

enum status api_start(struct api *api, struct api_call *call,
		      struct status_error *err)
{
	return http_start(api->http, &call->http, err);
}

void api_call_free(struct api_call *call)
{
	http_request_reset(&call->http);
	free(call->url);
	for (size_t i = 0; i < sizeof(call->headers) / sizeof(call->headers[0]); i++)
		wipe_free(call->headers[i]);
	memset(call, 0, sizeof(*call));
}

enum status api_get_blocking(struct api *api, struct api_call *call,
			     const char *path, struct status_error *err)
{
	enum status st;

	st = api_prepare(api, call, "GET", path, NULL, 0, NULL, NULL, err);
	if (st == STATUS_OK)
		st = api_start(api, call, err);
	while (st == STATUS_OK && !call->http.done)
		http_step(api->http, 1000, NULL, 0);
	return st;
}

void api_describe_failure(const struct api_call *call, struct status_error *err)
{
	const struct http_request *r = &call->http;
	size_t cap;

	switch (r->outcome) {
	case HTTP_ANSWERED:
		if (r->status == 401)
			status_set(err, STATUS_AUTH, "Qonto refused the credentials "
						     "(401): log in again or check "
						     "QONTO_ACCESS_TOKEN / QONTO_API_KEY");
		else if (r->status == 403)
			status_set(err, STATUS_FORBIDDEN,
				   "Qonto refused this for these credentials "
				   "(403): a scope, role or plan is missing");
		else if (r->status == 404)
			status_set(err, STATUS_NOT_FOUND,
				   "Qonto does not offer %s for this "
				   "organisation (404)", r->url);
		else if (r->status >= 500)
			status_set(err, STATUS_SERVER,
				   "Qonto had an error (%ld); try again later",
				   r->status);
		else
			status_set(err, STATUS_HTTP,
				   "Qonto answered with status %ld", r->status);
		break;
	case HTTP_TOO_LARGE:
		/* r->error is English (it goes to the journal): the sentence
		 * is made again here, to be translated. */
		if (sscanf(r->error, "the answer was larger than %zu bytes", &cap) == 1)
			status_set(err, STATUS_TOO_LARGE,
				   "the answer was larger than %zu bytes", cap);
		else
			status_set(err, STATUS_TOO_LARGE, "%s", r->error);
		break;
	default:
		if (!r->error[0])
			status_set(err, STATUS_NETWORK,
				   "could not reach %s: network error", r->url);
		else if (strcmp(r->error, "cancelled") == 0)
			status_set(err, STATUS_NETWORK,
				   "could not reach %s: cancelled", r->url);
		else
			/* TRANSLATORS: the first %s is a web address, the
			 * second what the network library said (English). */
			status_set(err, STATUS_NETWORK, "could not reach %s: %s",
				   r->url, r->error);
		break;
	}
	if (err)
		err->http_status = r->status;
}
