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
	unsigned token_gen;  /* bumped by every api_set_token */
	/* Renews the access token after a 401 (NULL: cannot); see
	 * api_renew. */
	const struct api_refresher *refresher;
	void *refresh_user;
	struct api_renewal {
		struct http_request req; /* the token request, while it runs */
		char *url, *form;        /* owned; the form is secret */
		bool running;
		unsigned finished;       /* renewals ended so far */
		enum status last;        /* how the last one ended */
		struct status_error err;
	} renewal;
};

/* How a login renews its access token: the token request is built by
 * form() (url and form become the api's, the form is wiped after use) and
 * its answer given to take(), which calls api_set_token. */
struct api_refresher {
	enum status (*form)(void *user, char **url, char **form,
			    struct status_error *err);
	enum status (*take)(struct api *api, void *user,
			    const struct http_request *answer,
			    struct status_error *err);
};

enum api_renew_state {
	API_RENEW_WAIT,   /* the renewal runs: ask again from the loop */
	API_RENEW_DONE,   /* a new token is set: send the request again */
	API_RENEW_FAILED  /* err says why (log in again, unreachable) */
};

/* One call: the request and the strings it borrows. */
struct api_call {
	struct http_request http;
	char *url;             /* owned */
	char *headers[8];      /* owned lines, NULL-terminated, wiped on free */
	unsigned token_gen;    /* the api's token_gen when it was prepared */
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

/* After a 401: renews the access token on the api's client without
 * blocking. sent_with is the refused call's token_gen: a token renewed
 * since is not renewed again, and every request refused while one
 * renewal runs waits for that same renewal (Qonto's refresh tokens are
 * single-use). *ticket is the caller's, 0 before its first call; call
 * again (from the event loop) while API_RENEW_WAIT. */
enum api_renew_state api_renew(struct api *api, unsigned sent_with,
			       unsigned *ticket, struct status_error *err);

/* The same, waiting for the answer (start-up and login only). */
enum status api_renew_blocking(struct api *api, struct status_error *err);

/* Runs a GET to completion (stepping the api's client), for headless use.
 * On STATUS_OK the answer is in call->http (status, response). */
enum status api_get_blocking(struct api *api, struct api_call *call,
			     const char *path, struct status_error *err);

/* A plain sentence for a failed or non-2xx call, without secrets. */
void api_describe_failure(const struct api_call *call, struct status_error *err);

#endif
