/* auth.c: the staging gate, rate limits and the Authorization header, in the
 * order a request meets them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox.h"

static const char *header(struct exchange *ex, const char *name)
{
	return MHD_lookup_connection_value(ex->conn, MHD_HEADER_KIND, name);
}

/* True when no staging token is configured or the request carries it. */
bool auth_staging_ok(struct exchange *ex)
{
	const char *want = ex->sb->cfg.staging_token;
	const char *got;

	if (!want)
		return true;
	got = header(ex, "X-Qonto-Staging-Token");
	return got && strcmp(got, want) == 0;
}

/* Fixed windows, all clients together (everything is 127.0.0.1 here).
 * Returns false and fills r with a 429 when a limit is exceeded. */
bool auth_rate_limit(struct exchange *ex, struct reply *r)
{
	struct sandbox *sb = ex->sb;
	int64_t now = util_now_ms();
	int64_t wait_ms = 0;

	pthread_mutex_lock(&sb->lock);
	for (size_t i = 0; i < sb->cfg.n_limits; i++) {
		const struct rate_limit *lim = &sb->cfg.limits[i];

		if (sb->window_count[i] == 0 ||
		    now - sb->window_start_ms[i] >= lim->window_ms) {
			sb->window_start_ms[i] = now;
			sb->window_count[i] = 0;
		}
		if (++sb->window_count[i] > lim->max) {
			int64_t left =
			    sb->window_start_ms[i] + lim->window_ms - now;

			if (left > wait_ms)
				wait_ms = left;
		}
	}
	if (wait_ms > 0)
		sb->stats.rate_limited++;
	pthread_mutex_unlock(&sb->lock);
	if (wait_ms <= 0)
		return true;
	reply_error(r, 429, "too_many_requests",
		    "Rate limit exceeded, retry later", NULL);
	snprintf(r->retry_after, sizeof(r->retry_after), "%lld",
		 (long long)((wait_ms + 999) / 1000));
	return false;
}

/* Whole-word match in a space-separated scope list. */
static bool has_scope(const char *list, const char *scope)
{
	size_t n = strlen(scope);
	const char *p = list;

	while ((p = strstr(p, scope)) != NULL) {
		bool start = p == list || p[-1] == ' ';
		bool end = p[n] == '\0' || p[n] == ' ';

		if (start && end)
			return true;
		p += n;
	}
	return false;
}

static void unauthorized(struct reply *r, const char *code, const char *detail)
{
	reply_error(r, 401, code, detail, NULL);
}

static bool check_bearer(struct exchange *ex, const char *value,
			 const char *scope, struct reply *r)
{
	struct sandbox *sb = ex->sb;
	struct token *t;
	bool ok = false;

	pthread_mutex_lock(&sb->lock);
	t = oauth_find_token(sb, TOKEN_ACCESS, value);
	if (!t) {
		unauthorized(r, "unauthorized", "The access token is invalid");
	} else if (t->expires_ms && util_now_ms() >= t->expires_ms) {
		unauthorized(r, "unauthorized", "The access token expired");
	} else if (scope && !has_scope(t->scope, scope)) {
		char detail[128];

		snprintf(detail, sizeof(detail),
			 "missing required oauth scope: %s", scope);
		reply_error(r, 403, "forbidden", detail, NULL);
	} else {
		ok = true;
		ex->auth = AUTH_BEARER;
		snprintf(ex->scope, sizeof(ex->scope), "%s", t->scope);
	}
	pthread_mutex_unlock(&sb->lock);
	return ok;
}

static bool check_api_key(struct exchange *ex, const char *value,
			  bool oauth_only, struct reply *r)
{
	const struct sandbox_config *cfg = &ex->sb->cfg;

	for (size_t i = 0; i < cfg->n_api_keys; i++) {
		if (strcmp(cfg->api_keys[i], value) != 0)
			continue;
		if (oauth_only) {
			reply_error(r, 403, "forbidden",
				    "This action needs an OAuth access token: "
				    "API keys cannot perform SCA actions",
				    NULL);
			return false;
		}
		ex->auth = AUTH_API_KEY;
		return true;
	}
	unauthorized(r, "unauthorized", "Invalid API key");
	return false;
}

/* Checks the Authorization header for an endpoint needing scope (NULL: any
 * valid credential). oauth_only refuses API keys with 403. */
bool auth_check(struct exchange *ex, const char *scope, bool oauth_only,
		struct reply *r)
{
	const char *value = header(ex, MHD_HTTP_HEADER_AUTHORIZATION);

	if (!value || !*value) {
		unauthorized(r, "unauthorized", "Missing Authorization header");
		return false;
	}
	if (strncasecmp(value, "Bearer ", 7) == 0)
		return check_bearer(ex, value + 7, scope, r);
	if (strchr(value, ':') && !strchr(value, ' '))
		return check_api_key(ex, value, oauth_only, r);
	unauthorized(r, "unauthorized", "Malformed Authorization header");
	return false;
}
