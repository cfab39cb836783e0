/* oauth.c: /oauth2/auth and /oauth2/token, authorization code with PKCE
 * (S256 only), refresh tokens (rotated on use), expiring access tokens. The
 * sandbox has no person to log in: /oauth2/auth consents at once and
 * redirects with a code. Token store helpers: callers hold sb->lock. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

static const char all_scopes[] =
    "card.read card.write organization.read membership.read team.read "
    "offline_access";

struct token *oauth_find_token(struct sandbox *sb, enum token_kind kind,
			       const char *value)
{
	for (size_t i = 0; i < sb->n_tokens; i++)
		if (sb->tokens[i].kind == kind &&
		    strcmp(sb->tokens[i].value, value) == 0)
			return &sb->tokens[i];
	return NULL;
}

/* A new token with a random value; lifetime_ms 0: never expires. */
struct token *oauth_add_token(struct sandbox *sb, enum token_kind kind,
			      const char *scope, const char *client_id,
			      int64_t lifetime_ms)
{
	struct token *grown, *t;
	char value[SANDBOX_TOKEN_LEN + 1];

	grown = util_grow(sb->tokens, &sb->cap_tokens, sb->n_tokens + 1,
			  sizeof(*sb->tokens));
	if (!grown || !util_random_token(value))
		return NULL;
	sb->tokens = grown;
	t = &sb->tokens[sb->n_tokens++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	snprintf(t->value, sizeof(t->value), "%s", value);
	snprintf(t->scope, sizeof(t->scope), "%s", scope);
	snprintf(t->client_id, sizeof(t->client_id), "%s", client_id);
	t->expires_ms = lifetime_ms ? util_now_ms() + lifetime_ms : 0;
	return t;
}

void oauth_clear(struct sandbox *sb)
{
	free(sb->tokens);
	sb->tokens = NULL;
	sb->n_tokens = sb->cap_tokens = 0;
}

/* The --access-token and --refresh-token values (caller holds the lock). */
int oauth_preregister(struct sandbox *sb)
{
	const struct sandbox_config *cfg = &sb->cfg;
	struct token *t;

	for (size_t i = 0; i < cfg->n_access_tokens; i++) {
		t = oauth_add_token(sb, TOKEN_ACCESS, all_scopes,
				    cfg->client_id, 0);
		if (!t)
			return -1;
		snprintf(t->value, sizeof(t->value), "%s",
			 cfg->access_tokens[i]);
	}
	for (size_t i = 0; i < cfg->n_refresh_tokens; i++) {
		t = oauth_add_token(sb, TOKEN_REFRESH, all_scopes,
				    cfg->client_id, 0);
		if (!t)
			return -1;
		snprintf(t->value, sizeof(t->value), "%s",
			 cfg->refresh_tokens[i]);
	}
	return 0;
}

static void oauth_error(struct reply *r, unsigned int status, const char *error,
			const char *description)
{
	json_object *o = json_object_new_object();

	if (o) {
		util_add(o, "error", json_object_new_string(error));
		util_add(o, "error_description",
			 json_object_new_string(description));
	}
	reply_take_json(r, status, o);
}

/* "http://127.0.0.1:PORT/path" → host "127.0.0.1", rest "/path". */
static bool split_loopback(const char *uri, char *host, size_t host_size,
			   const char **rest)
{
	static const char *const hosts[] = {"127.0.0.1", "localhost", "[::1]"};
	const char *p;

	if (strncmp(uri, "http://", 7) != 0)
		return false;
	uri += 7;
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		size_t n = strlen(hosts[i]);

		if (strncmp(uri, hosts[i], n) != 0 ||
		    (uri[n] != ':' && uri[n] != '/' && uri[n] != '\0'))
			continue;
		snprintf(host, host_size, "%s", hosts[i]);
		p = uri + n;
		if (*p == ':')
			p += strspn(p + 1, "0123456789") + 1;
		*rest = p;
		return true;
	}
	return false;
}

/* Registered URIs match exactly, except the port of loopback URIs
 * (RFC 8252 §7.3). With none registered, any loopback URI is allowed. */
static bool redirect_allowed(const struct sandbox_config *cfg, const char *uri)
{
	char host_a[16], host_b[16];
	const char *rest_a, *rest_b;
	bool loopback = split_loopback(uri, host_a, sizeof(host_a), &rest_a);

	if (cfg->n_redirect_uris == 0)
		return loopback;
	for (size_t i = 0; i < cfg->n_redirect_uris; i++) {
		const char *reg = cfg->redirect_uris[i];

		if (strcmp(reg, uri) == 0)
			return true;
		if (loopback &&
		    split_loopback(reg, host_b, sizeof(host_b), &rest_b) &&
		    strcmp(host_a, host_b) == 0 && strcmp(rest_a, rest_b) == 0)
			return true;
	}
	return false;
}

static bool scopes_known(const char *scope)
{
	char copy[256], *save = NULL;

	if (!scope || !*scope || strlen(scope) >= sizeof(copy))
		return false;
	snprintf(copy, sizeof(copy), "%s", scope);
	for (char *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		char padded[64];

		snprintf(padded, sizeof(padded), " %s ", w);
		if (strcmp(w, "openid") != 0 &&
		    !strstr(" card.read card.write organization.read "
			    "membership.read team.read offline_access ",
			    padded))
			return false;
	}
	return true;
}

static void append_param(char *out, size_t size, const char *key,
			 const char *value)
{
	size_t len = strlen(out);

	if (!value || len + 1 >= size)
		return;
	snprintf(out + len, size - len, "%s%s=", strchr(out, '?') ? "&" : "?",
		 key);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		len = strlen(out);
		if (len + 4 >= size)
			return;
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			out[len] = (char)*p;
			out[len + 1] = '\0';
		} else {
			snprintf(out + len, size - len, "%%%02X", *p);
		}
	}
}

/* 302 to redirect_uri with the given parameters. */
static void redirect(struct reply *r, const char *uri, const char *k1,
		     const char *v1, const char *k2, const char *v2,
		     const char *state)
{
	size_t size = strlen(uri) + 1024 + (state ? 3 * strlen(state) : 0);
	char *loc = malloc(size);

	if (!loc) {
		oauth_error(r, 500, "server_error", "out of memory");
		return;
	}
	snprintf(loc, size, "%s", uri);
	append_param(loc, size, k1, v1);
	append_param(loc, size, k2, v2);
	append_param(loc, size, "state", state);
	reply_text(r, 302, "text/html; charset=utf-8",
		   "<html><body>Redirecting</body></html>\n");
	free(r->location);
	r->location = loc;
}

static const char *arg(struct exchange *ex, const char *name)
{
	return MHD_lookup_connection_value(ex->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

/* Problem of an authorize request that can be redirected, or NULL. */
static const char *authorize_problem(struct exchange *ex,
				     const char **description)
{
	const char *challenge = arg(ex, "code_challenge");
	const char *method = arg(ex, "code_challenge_method");
	const char *type = arg(ex, "response_type");

	*description = "response_type must be code";
	if (!type || strcmp(type, "code") != 0)
		return "unsupported_response_type";
	*description = "PKCE with code_challenge_method=S256 is required";
	if (!challenge || !method || strcmp(method, "S256") != 0 ||
	    strlen(challenge) != 43)
		return "invalid_request";
	*description = "unknown or missing scope";
	if (!scopes_known(arg(ex, "scope")))
		return "invalid_scope";
	return NULL;
}

/* Checks before a code is issued; false with r filled. */
static bool authorize_checks(struct exchange *ex, struct reply *r)
{
	const char *client = arg(ex, "client_id");
	const char *uri = arg(ex, "redirect_uri");
	const char *problem, *description;

	if (!client || strcmp(client, ex->sb->cfg.client_id) != 0) {
		oauth_error(r, 400, "invalid_client", "unknown client_id");
		return false;
	}
	if (!uri || !redirect_allowed(&ex->sb->cfg, uri)) {
		oauth_error(r, 400, "invalid_request",
			    "redirect_uri is not registered");
		return false;
	}
	problem = authorize_problem(ex, &description);
	if (problem) {
		redirect(r, uri, "error", problem, "error_description",
			 description, arg(ex, "state"));
		return false;
	}
	return true;
}

void oauth_authorize(struct exchange *ex, struct reply *r)
{
	struct sandbox *sb = ex->sb;
	const char *uri = arg(ex, "redirect_uri");
	char code[sizeof(((struct token *)0)->value)] = "";
	struct token *t;

	if (!authorize_checks(ex, r))
		return;
	pthread_mutex_lock(&sb->lock);
	t = oauth_add_token(sb, TOKEN_CODE, arg(ex, "scope"), sb->cfg.client_id,
			    sb->cfg.code_lifetime_ms);
	if (t) {
		snprintf(t->redirect_uri, sizeof(t->redirect_uri), "%s", uri);
		snprintf(t->challenge, sizeof(t->challenge), "%s",
			 arg(ex, "code_challenge"));
		snprintf(code, sizeof(code), "%s", t->value);
	}
	pthread_mutex_unlock(&sb->lock);
	if (code[0])
		redirect(r, uri, "code", code, NULL, NULL, arg(ex, "state"));
	else
		oauth_error(r, 500, "server_error", "out of memory");
}

/* --- token endpoint ---------------------------------------------------- */

enum form_field {
	F_GRANT,
	F_CODE,
	F_REDIRECT,
	F_CLIENT,
	F_SECRET,
	F_VERIFIER,
	F_REFRESH,
	F_COUNT
};

static const char *const form_names[F_COUNT] = {
    "grant_type",    "code",	      "redirect_uri",  "client_id",
    "client_secret", "code_verifier", "refresh_token",
};

struct form {
	char value[F_COUNT][512];
	bool seen[F_COUNT];
};

static enum MHD_Result form_field_cb(void *cls, enum MHD_ValueKind kind,
				     const char *key, const char *filename,
				     const char *content_type,
				     const char *encoding, const char *data,
				     uint64_t off, size_t size)
{
	struct form *f = cls;

	(void)kind, (void)filename, (void)content_type, (void)encoding;
	for (int i = 0; i < F_COUNT; i++) {
		if (strcmp(key, form_names[i]) != 0)
			continue;
		f->seen[i] = true;
		if (off + size < sizeof(f->value[i])) {
			memcpy(f->value[i] + off, data, size);
			f->value[i][off + size] = '\0';
		}
	}
	return MHD_YES;
}

static bool parse_form(struct exchange *ex, struct form *f)
{
	struct MHD_PostProcessor *pp;
	bool ok;

	memset(f, 0, sizeof(*f));
	pp = MHD_create_post_processor(ex->conn, 4096, form_field_cb, f);
	if (!pp)
		return false;
	ok = MHD_post_process(pp, ex->body ? ex->body : "", ex->body_len) ==
	     MHD_YES;
	MHD_destroy_post_processor(pp);
	return ok;
}

static const char *field(const struct form *f, enum form_field i)
{
	return f->seen[i] ? f->value[i] : NULL;
}

/* RFC 7636 §4.1 verifier, and S256(verifier) == challenge. */
static bool pkce_ok(const char *verifier, const char *challenge)
{
	unsigned char hash[32];
	char encoded[64];
	size_t n = verifier ? strlen(verifier) : 0;

	if (n < 43 || n > 128 ||
	    strspn(verifier, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
			     "vwxyz0123456789-._~") != n)
		return false;
	if (!util_sha256(verifier, n, hash))
		return false;
	util_base64url(hash, sizeof(hash), encoded, sizeof(encoded));
	return strcmp(encoded, challenge) == 0;
}

static bool client_ok(const struct sandbox_config *cfg, const struct form *f)
{
	const char *id = field(f, F_CLIENT);
	const char *secret = field(f, F_SECRET);

	if (!id || strcmp(id, cfg->client_id) != 0)
		return false;
	return !cfg->client_secret ||
	       (secret && strcmp(secret, cfg->client_secret) == 0);
}

/* Issues access (+ refresh with offline_access) tokens into a JSON answer;
 * caller holds the lock. */
static json_object *issue(struct sandbox *sb, const char *scope,
			  const char *client)
{
	struct token *access, *refresh = NULL;
	json_object *o;
	int64_t life = sb->cfg.token_lifetime_ms;

	access = oauth_add_token(sb, TOKEN_ACCESS, scope, client, life);
	if (!access)
		return NULL;
	o = json_object_new_object();
	if (!o)
		return NULL;
	util_add(o, "access_token", json_object_new_string(access->value));
	if (strstr(scope, "offline_access"))
		refresh = oauth_add_token(sb, TOKEN_REFRESH, scope, client, 0);
	if (refresh)
		util_add(o, "refresh_token",
			 json_object_new_string(refresh->value));
	util_add(o, "expires_in", json_object_new_int64((life + 999) / 1000));
	util_add(o, "scope", json_object_new_string(scope));
	util_add(o, "token_type", json_object_new_string("bearer"));
	return o;
}

static const char *check_code(struct token *t, const struct form *f)
{
	const char *uri = field(f, F_REDIRECT);

	if (!t || t->used || util_now_ms() >= t->expires_ms)
		return "the authorization code is invalid, used or expired";
	if (strcmp(t->client_id, f->value[F_CLIENT]) != 0 || !uri ||
	    strcmp(uri, t->redirect_uri) != 0)
		return "redirect_uri or client_id does not match the code";
	if (!pkce_ok(field(f, F_VERIFIER), t->challenge))
		return "the code_verifier does not match the code_challenge";
	return NULL;
}

/* Both grants, with the lock held: the answer or an error description. */
static json_object *grant(struct sandbox *sb, const struct form *f,
			  const char **problem)
{
	const char *type = field(f, F_GRANT);
	char scope[256];
	struct token *t;

	*problem = "the grant is invalid, used or expired";
	if (strcmp(type, "authorization_code") == 0) {
		t = oauth_find_token(sb, TOKEN_CODE,
				     field(f, F_CODE) ? f->value[F_CODE] : "");
		*problem = check_code(t, f);
	} else {
		t = oauth_find_token(sb, TOKEN_REFRESH,
				     field(f, F_REFRESH) ? f->value[F_REFRESH]
							 : "");
		if (t && !t->used && strcmp(t->client_id, f->value[F_CLIENT]))
			t = NULL;
		if (t && !t->used)
			*problem = NULL;
	}
	if (*problem)
		return NULL;
	t->used = true; /* codes are single-use, refresh tokens rotate */
	snprintf(scope, sizeof(scope), "%s", t->scope);
	return issue(sb, scope, f->value[F_CLIENT]);
}

/* The form and the client; false with r filled. */
static bool token_checks(struct exchange *ex, struct form *f, struct reply *r)
{
	const char *type;

	if (!parse_form(ex, f)) {
		oauth_error(r, 400, "invalid_request",
			    "the body must be form-encoded");
		return false;
	}
	type = field(f, F_GRANT);
	if (!type || (strcmp(type, "authorization_code") != 0 &&
		      strcmp(type, "refresh_token") != 0)) {
		oauth_error(r, 400, "unsupported_grant_type",
			    "grant_type must be authorization_code or "
			    "refresh_token");
		return false;
	}
	if (!client_ok(&ex->sb->cfg, f)) {
		oauth_error(r, 401, "invalid_client",
			    "client authentication failed");
		return false;
	}
	return true;
}

void oauth_token(struct exchange *ex, struct reply *r)
{
	struct sandbox *sb = ex->sb;
	const char *problem = NULL;
	struct form f;
	json_object *answer;

	if (!token_checks(ex, &f, r))
		return;
	pthread_mutex_lock(&sb->lock);
	answer = grant(sb, &f, &problem);
	pthread_mutex_unlock(&sb->lock);
	if (problem)
		oauth_error(r, 400, "invalid_grant", problem);
	else
		reply_take_json(r, answer ? 200 : 500, answer);
}
