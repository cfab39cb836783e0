/* oauth.h: OAuth 2.0 authorization code with PKCE (S256) against Qonto's
 * OAuth server (qonto-api.md, "OAuth 2.0"), the refresh of access tokens,
 * and the loopback listener that receives the browser's redirect. */
#ifndef CARDORDER_OAUTH_H
#define CARDORDER_OAUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "api.h"
#include "settings.h"
#include "status.h"

#define OAUTH_SCOPES "card.read card.write organization.read membership.read team.read offline_access"
#define OAUTH_PRODUCTION "https://oauth.qonto.com"
#define OAUTH_SANDBOX "https://oauth-sandbox.staging.qonto.co"

/* One login in progress. Secrets are wiped by oauth_login_free. */
struct oauth_login {
	char verifier[64];      /* PKCE code_verifier (43..128 chars) */
	char challenge[64];     /* base64url(SHA-256(verifier)) */
	char state[48];
	char redirect_uri[96];
	char *auth_url;         /* owned: what the browser opens */
};

/* The OAuth server of an API base: production and sandbox map to Qonto's;
 * any other (the local sandbox) serves OAuth itself. Owned. */
char *oauth_base_for(const char *api_base);

/* Fresh verifier, challenge and state; the authorization URL. */
enum status oauth_login_start(struct oauth_login *login, const char *oauth_base,
			      const char *client_id, int redirect_port,
			      struct status_error *err);
void oauth_login_free(struct oauth_login *login);

/* Checks a redirect ("...?code=X&state=Y", or only the query) against the
 * login's state; *code is owned. A wrong state or an error= from the
 * server is refused with a message. */
enum status oauth_parse_redirect(const struct oauth_login *login,
				 const char *url, char **code,
				 struct status_error *err);

/* Exchanges the code for tokens into cred (access, refresh, expiry). */
enum status oauth_exchange(struct api *api, const char *oauth_base,
			   const struct oauth_login *login, const char *client_id,
			   const char *code, struct credentials *cred,
			   struct status_error *err);

/* The token request that uses cred's refresh token: *url and *form are
 * owned by the caller (the form holds secrets: wipe it). POST it with
 * oauth_token_headers; the answer goes to oauth_token_answer. */
enum status oauth_refresh_form(const char *oauth_base, const char *client_id,
			       const struct credentials *cred, char **url,
			       char **form, struct status_error *err);

/* Content-Type and Accept of a token request (NULL-terminated). */
extern const char *const oauth_token_headers[];

/* Reads the token endpoint's answer into cred (tokens, expiry), or says
 * why it cannot (unreachable, refused: log in again). */
enum status oauth_token_answer(const struct http_request *req,
			       const char *oauth_base, struct credentials *cred,
			       struct status_error *err);

/* Reads a token answer ({access_token, refresh_token, expires_in}). */
enum status oauth_parse_tokens(const char *body, size_t len, time_t now,
			       struct credentials *cred, struct status_error *err);

/* The loopback listener: libmicrohttpd on 127.0.0.1:port, answering
 * GET /callback. */
struct oauth_listener;
enum status oauth_listen(struct oauth_listener **out, int port,
			 struct status_error *err);
/* The port it listens on (the one chosen when asked for port 0). */
int oauth_listener_port(const struct oauth_listener *l);
/* The redirect URL received so far (owned), or NULL. */
char *oauth_listener_take(struct oauth_listener *l);
void oauth_listener_stop(struct oauth_listener *l);

#endif
