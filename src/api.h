/* api.h: requests to Qonto's Business API: base URL, credentials and the
 * headers of qonto-api.md. Builds http_requests; knows no JSON. */
#ifndef CARDORDER_API_H
#define CARDORDER_API_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"
#include "status.h"

/* Secrets: owned by the struct, wiped by api_credentials_free. */
struct api_credentials {
	char *access_token;  /* OAuth 2.0 bearer, needed to create cards */
	char *api_key;       /* "login:secret-key", enough for the pickers */
	char *staging_token; /* X-Qonto-Staging-Token, sandbox only */
};

struct api {
	char *base_url;      /* owned, without a trailing slash */
	struct api_credentials cred;
	char twofa[32];      /* X-Qonto-2fa-Preference, "" to leave it out */
	struct http_client *http; /* owned */
	/* Renews the access token after a 401 (NULL: cannot). On success the
	 * hook has called api_set_token. */
	enum status (*refresh)(struct api *api, void *user, struct status_error *err);
	void *refresh_user;
};

/* One call: the request and the strings it borrows. */
struct api_call {
	struct http_request http;
	char *url;             /* owned */
	char *headers[8];      /* owned lines, NULL-terminated, wiped on free */
};

void api_credentials_free(struct api_credentials *cred);

/* base_url is copied; cred is moved into the api (the caller's struct is
 * cleared). */
enum status api_init(struct api *api, const char *base_url,
		     struct api_credentials *cred,
		     const struct http_config *http_config,
		     struct status_error *err);
void api_free(struct api *api);

bool api_can_create_cards(const struct api *api);

/* Replaces the access token (copied; the old one is wiped). */
enum status api_set_token(struct api *api, const char *token);

/* Prepares a call of method on path ("/v2/cards/bulk?x=1"). body is
 * borrowed until the call is done. idempotency_key and sca_token may be
 * NULL. Start it with api_start. */
enum status api_prepare(struct api *api, struct api_call *call,
			const char *method, const char *path, const char *body,
			size_t body_len, const char *idempotency_key,
			const char *sca_token, struct status_error *err);
enum status api_start(struct api *api, struct api_call *call,
		      struct status_error *err);
/* Frees what the call owns; it can then be prepared again. */
void api_call_free(struct api_call *call);

/* Runs a GET to completion (stepping the api's client), for headless use.
 * On STATUS_OK the answer is in call->http (status, response). */
enum status api_get_blocking(struct api *api, struct api_call *call,
			     const char *path, struct status_error *err);

/* A plain sentence for a failed or non-2xx call, without secrets. */
void api_describe_failure(const struct api_call *call, struct status_error *err);

#endif
