/* oauth.c: PKCE login and token refresh. */
#include "config.h"

#include "oauth.h"
#include "jsonutil.h"
#include "text.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_MAX 4096

static void base64url(const unsigned char *in, size_t n, char *out, size_t cap)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0;
	unsigned v;

	for (size_t i = 0; i < n && o + 4 < cap; i += 3) {
		v = (unsigned)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
		if (i + 1 < n)
			out[o++] = alphabet[(v >> 6) & 63];
		if (i + 2 < n)
			out[o++] = alphabet[v & 63];
	}
	out[o] = '\0';
}

static bool random_url_safe(char *out, size_t cap, size_t bytes)
{
	unsigned char buf[48];

	if (bytes > sizeof(buf) || RAND_bytes(buf, (int)bytes) != 1)
		return false;
	base64url(buf, bytes, out, cap);
	explicit_bzero(buf, sizeof(buf));
	return true;
}

char *oauth_base_for(const char *api_base)
{
	if (strncmp(api_base, "https://thirdparty.qonto.com", 28) == 0)
		return strdup(OAUTH_PRODUCTION);
	if (strncmp(api_base, "https://thirdparty-sandbox.staging.qonto.co", 43) == 0)
		return strdup(OAUTH_SANDBOX);
	return strdup(api_base);
}

enum status oauth_login_start(struct oauth_login *login, const char *oauth_base,
			      const char *client_id, int redirect_port,
			      struct status_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	char *e_client, *e_redirect, *e_scope;
	int n;

	memset(login, 0, sizeof(*login));
	/* 32 random bytes: a 43-character verifier (RFC 7636 §4.1). */
	if (!random_url_safe(login->verifier, sizeof(login->verifier), 32) ||
	    !random_url_safe(login->state, sizeof(login->state), 24) ||
	    !EVP_Digest(login->verifier, strlen(login->verifier), md, &md_len,
			EVP_sha256(), NULL))
		return status_set(err, STATUS_NOMEM, "no randomness for the login");
	base64url(md, md_len, login->challenge, sizeof(login->challenge));
	snprintf(login->redirect_uri, sizeof(login->redirect_uri),
		 "http://127.0.0.1:%d/callback", redirect_port);
	e_client = http_escape(client_id);
	e_redirect = http_escape(login->redirect_uri);
	e_scope = http_escape(OAUTH_SCOPES);
	n = e_client && e_redirect && e_scope
		    ? asprintf(&login->auth_url,
			       "%s/oauth2/auth?client_id=%s&redirect_uri=%s&scope=%s"
			       "&response_type=code&state=%s&code_challenge=%s"
			       "&code_challenge_method=S256",
			       oauth_base, e_client, e_redirect, e_scope, login->state,
			       login->challenge)
		    : -1;
	free(e_client);
	free(e_redirect);
	free(e_scope);
	if (n < 0) {
		login->auth_url = NULL;
		return status_set(err, STATUS_NOMEM, NULL);
	}
	return STATUS_OK;
}

void oauth_login_free(struct oauth_login *login)
{
	free(login->auth_url);
	explicit_bzero(login, sizeof(*login));
}

/* The value of name in a query string (percent-decoded in place into out). */
static bool query_value(const char *query, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name), o = 0;
	const char *p = query;

	while (p && *p) {
		if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
			for (p += nl + 1; *p && *p != '&' && o + 1 < cap; p++) {
				if (*p == '%' && p[1] && p[2]) {
					char hex[3] = { p[1], p[2], 0 };

					out[o++] = (char)strtol(hex, NULL, 16);
					p += 2;
				} else {
					out[o++] = *p == '+' ? ' ' : *p;
				}
			}
			out[o] = '\0';
			return true;
		}
		p = strchr(p, '&');
		if (p)
			p++;
	}
	return false;
}

enum status oauth_parse_redirect(const struct oauth_login *login,
				 const char *url, char **code,
				 struct status_error *err)
{
	const char *q = strchr(url, '?');
	char state[128], value[TOKEN_MAX], error[256];

	*code = NULL;
	q = q ? q + 1 : url;
	if (query_value(q, "error", error, sizeof(error))) {
		char *safe = text_sanitize(error);

		status_set(err, STATUS_AUTH, "Qonto refused the login: %s",
			   safe ? safe : "error");
		free(safe);
		return STATUS_AUTH;
	}
	if (!query_value(q, "state", state, sizeof(state)) ||
	    strcmp(state, login->state) != 0)
		return status_set(err, STATUS_AUTH,
				  "the answer's state does not match this login: it "
				  "may come from another site; log in again");
	if (!query_value(q, "code", value, sizeof(value)) || !*value)
		return status_set(err, STATUS_AUTH, "the answer carries no code");
	*code = strdup(value);
	explicit_bzero(value, sizeof(value));
	return *code ? STATUS_OK : status_set(err, STATUS_NOMEM, NULL);
}

enum status oauth_parse_tokens(const char *body, size_t len, time_t now,
			       struct credentials *cred, struct status_error *err)
{
	json_object *root = NULL, *exp;
	char *access = NULL, *refresh = NULL;
	enum status st = STATUS_OK;

	if (json_parse_limited(body, len, 4, &root, NULL) != JPARSE_OK ||
	    !json_copy_member(root, "access_token", TOKEN_MAX, false, &access) ||
	    !json_copy_member(root, "refresh_token", TOKEN_MAX, false, &refresh) ||
	    !access || !*access || text_has_controls(access) ||
	    (refresh && text_has_controls(refresh))) {
		st = status_set(err, STATUS_BAD_RESPONSE,
				"Qonto's OAuth server did not answer with tokens");
		goto out;
	}
	free(cred->access_token);
	cred->access_token = access;
	access = NULL;
	if (refresh) { /* a refresh may rotate the refresh token */
		free(cred->refresh_token);
		cred->refresh_token = refresh;
		refresh = NULL;
	}
	exp = json_member(root, "expires_in");
	cred->expires_at = json_object_is_type(exp, json_type_int) &&
					   json_object_get_int64(exp) > 0
				   ? now + (time_t)json_object_get_int64(exp)
				   : 0;
out:
	if (access)
		explicit_bzero(access, strlen(access));
	if (refresh)
		explicit_bzero(refresh, strlen(refresh));
	free(access);
	free(refresh);
	json_object_put(root);
	return st;
}

const char *const oauth_token_headers[] = {
	"Content-Type: application/x-www-form-urlencoded",
	"Accept: application/json", NULL,
};

enum status oauth_token_answer(const struct http_request *req,
			       const char *oauth_base, struct credentials *cred,
			       struct status_error *err)
{
	if (req->outcome != HTTP_ANSWERED)
		return status_set(err, STATUS_NETWORK, "could not reach %s: %s",
				  oauth_base, req->error);
	if (req->status == 400 || req->status == 401)
		return status_set(err, STATUS_AUTH, "Qonto's OAuth server refused "
						    "(%ld): log in again with "
						    "cardorder login",
				  req->status);
	if (req->status != 200)
		return status_set(err, STATUS_HTTP, "Qonto's OAuth server answered %ld",
				  req->status);
	return oauth_parse_tokens(req->response, req->response_len, time(NULL),
				  cred, err);
}

/* POSTs a form to the token endpoint and waits; cred is filled from the
 * answer (login only: renewals go through api_renew, on the loop). */
static enum status token_request(struct api *api, const char *oauth_base,
				 char *form, struct credentials *cred,
				 struct status_error *err)
{
	struct http_request req = { .method = "POST",
				    .headers = oauth_token_headers };
	char *url = NULL;
	enum status st;

	if (asprintf(&url, "%s/oauth2/token", oauth_base) < 0)
		return status_set(err, STATUS_NOMEM, NULL);
	req.url = url;
	req.body = form;
	req.body_len = strlen(form);
	st = http_run(api->http, &req, err);
	if (st == STATUS_OK)
		st = oauth_token_answer(&req, oauth_base, cred, err);
	if (req.response)
		explicit_bzero(req.response, req.response_len);
	http_request_reset(&req);
	free(url);
	return st;
}

static char *form_pair(char *form, const char *key, const char *value)
{
	char *e = http_escape(value), *out = NULL;

	if (e && asprintf(&out, "%s%s%s=%s", form ? form : "", form ? "&" : "", key,
			  e) < 0)
		out = NULL;
	if (e)
		explicit_bzero(e, strlen(e));
	free(e);
	if (form)
		explicit_bzero(form, strlen(form));
	free(form);
	return out;
}

/* The form with the client's secret when it has one; NULL when out of
 * memory (form is consumed). */
static char *with_secret(char *form)
{
	const char *secret = getenv("QONTO_CLIENT_SECRET");

	if (form && secret && *secret)
		form = form_pair(form, "client_secret", secret);
	return form;
}

static enum status send_form(struct api *api, const char *oauth_base,
			     char *form, struct credentials *cred,
			     struct status_error *err)
{
	enum status st;

	form = with_secret(form);
	if (!form)
		return status_set(err, STATUS_NOMEM, NULL);
	st = token_request(api, oauth_base, form, cred, err);
	explicit_bzero(form, strlen(form));
	free(form);
	return st;
}

enum status oauth_exchange(struct api *api, const char *oauth_base,
			   const struct oauth_login *login, const char *client_id,
			   const char *code, struct credentials *cred,
			   struct status_error *err)
{
	char *form = form_pair(NULL, "grant_type", "authorization_code");

	form = form ? form_pair(form, "code", code) : NULL;
	form = form ? form_pair(form, "redirect_uri", login->redirect_uri) : NULL;
	form = form ? form_pair(form, "client_id", client_id) : NULL;
	form = form ? form_pair(form, "code_verifier", login->verifier) : NULL;
	return send_form(api, oauth_base, form, cred, err);
}

enum status oauth_refresh_form(const char *oauth_base, const char *client_id,
			       const struct credentials *cred, char **url,
			       char **form, struct status_error *err)
{
	char *f;

	*url = NULL;
	*form = NULL;
	if (!cred->refresh_token || !*cred->refresh_token)
		return status_set(err, STATUS_AUTH, "the login has expired and cannot "
						    "be renewed: log in again with "
						    "cardorder login");
	f = form_pair(NULL, "grant_type", "refresh_token");
	f = f ? form_pair(f, "refresh_token", cred->refresh_token) : NULL;
	f = f ? form_pair(f, "client_id", client_id) : NULL;
	f = with_secret(f);
	if (!f || asprintf(url, "%s/oauth2/token", oauth_base) < 0) {
		if (f)
			explicit_bzero(f, strlen(f));
		free(f);
		*url = NULL;
		return status_set(err, STATUS_NOMEM, NULL);
	}
	*form = f;
	return STATUS_OK;
}
