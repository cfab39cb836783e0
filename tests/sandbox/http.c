/* http.c: the libmicrohttpd daemon, request bodies, the edge (rate limit,
 * staging gate, faults) and the route table. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

/* Per-connection request state (MHD's con_cls). */
struct request_state {
	char *body;
	size_t len, cap;
	bool too_large;
};

typedef void (*route_fn)(struct exchange *ex, struct reply *r,
			 const char *rest);

struct route {
	const char *method;
	const char *path; /* ending in '/': a prefix, the rest is passed */
	const char *scope;
	bool needs_auth;
	bool oauth_only;
	route_fn fn;
};

static void do_organization(struct exchange *ex, struct reply *r,
			    const char *rest)
{
	(void)rest;
	lists_organization(ex, r);
}

static void do_bank_accounts(struct exchange *ex, struct reply *r,
			     const char *rest)
{
	(void)rest;
	lists_bank_accounts(ex, r);
}

static void do_memberships(struct exchange *ex, struct reply *r,
			   const char *rest)
{
	(void)rest;
	lists_memberships(ex, r);
}

static void do_membership(struct exchange *ex, struct reply *r,
			  const char *rest)
{
	(void)rest;
	lists_membership(ex, r);
}

static void do_teams(struct exchange *ex, struct reply *r, const char *rest)
{
	(void)rest;
	lists_teams(ex, r);
}

static void do_appearances(struct exchange *ex, struct reply *r,
			   const char *rest)
{
	(void)rest;
	lists_appearances(ex, r);
}

static void do_cards(struct exchange *ex, struct reply *r, const char *rest)
{
	(void)rest;
	lists_cards(ex, r);
}

static void do_bulk(struct exchange *ex, struct reply *r, const char *rest)
{
	(void)rest;
	bulk_create(ex, r);
}

static void do_sca_get(struct exchange *ex, struct reply *r, const char *rest)
{
	sca_get(ex, rest, false, r);
}

static void do_mocked_sca(struct exchange *ex, struct reply *r,
			  const char *rest)
{
	char token[256];
	const char *slash = strchr(rest, '/');

	if (strcmp(ex->method, "GET") == 0 && !slash) {
		sca_get(ex, rest, true, r);
		return;
	}
	if (!slash || (size_t)(slash - rest) >= sizeof(token) ||
	    (strcmp(slash, "/allow") != 0 && strcmp(slash, "/deny") != 0)) {
		reply_error(r, 404, "not_found", "No such endpoint", NULL);
		return;
	}
	memcpy(token, rest, (size_t)(slash - rest));
	token[slash - rest] = '\0';
	sca_decide(ex, token, slash + 1, r);
}

static void do_authorize(struct exchange *ex, struct reply *r, const char *rest)
{
	(void)rest;
	oauth_authorize(ex, r);
}

static void do_token(struct exchange *ex, struct reply *r, const char *rest)
{
	(void)rest;
	oauth_token(ex, r);
}

static const struct route routes[] = {
    {"GET", "/v2/organization", "organization.read", true, false,
     do_organization},
    {"GET", "/v2/bank_accounts", "organization.read", true, false,
     do_bank_accounts},
    {"GET", "/v2/memberships", "organization.read", true, false,
     do_memberships},
    {"GET", "/v2/membership", "membership.read", true, false, do_membership},
    {"GET", "/v2/teams", "team.read", true, false, do_teams},
    {"GET", "/v2/cards/appearances", "card.read", true, false, do_appearances},
    {"GET", "/v2/cards", "card.read", true, false, do_cards},
    {"POST", "/v2/cards/bulk", "card.write", true, true, do_bulk},
    {"GET", "/v2/sca_sessions/", NULL, true, false, do_sca_get},
    {"GET", "/v2/mocked_sca_sessions/", NULL, true, false, do_mocked_sca},
    {"POST", "/v2/mocked_sca_sessions/", NULL, true, false, do_mocked_sca},
    {"GET", "/oauth2/auth", NULL, false, false, do_authorize},
    {"POST", "/oauth2/token", NULL, false, false, do_token},
};

/* The rest of url after a route's path, or NULL when it does not match. */
static const char *route_match(const struct route *rt, const char *url)
{
	size_t n = strlen(rt->path);

	if (rt->path[n - 1] != '/')
		return strcmp(url, rt->path) == 0 ? url + n : NULL;
	if (strncmp(url, rt->path, n) != 0 || url[n] == '\0')
		return NULL;
	return url + n;
}

void http_dispatch(struct exchange *ex, struct reply *r)
{
	bool path_known = false;

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *rt = &routes[i];
		const char *rest = route_match(rt, ex->url);

		if (!rest)
			continue;
		path_known = true;
		if (strcmp(rt->method, ex->method) != 0)
			continue;
		if (rt->needs_auth &&
		    !auth_check(ex, rt->scope, rt->oauth_only, r))
			return;
		rt->fn(ex, r, rest);
		return;
	}
	if (path_known)
		reply_error(r, 405, "method_not_allowed", "Method not allowed",
			    NULL);
	else
		reply_error(r, 404, "not_found", "No such endpoint", NULL);
}

/* Faults that answer instead of the endpoint. True when r is the answer. */
static bool fault_before(struct exchange *ex, struct reply *r)
{
	switch (ex->fault) {
	case FAULT_LATENCY:
		fault_sleep_ms(ex->sb->cfg.latency_ms);
		return false;
	case FAULT_E500:
		reply_error(r, 500, "internal_server_error",
			    "Internal server error", NULL);
		return true;
	case FAULT_E503:
		reply_error(r, 503, "service_unavailable",
			    "Service temporarily unavailable", NULL);
		snprintf(r->retry_after, sizeof(r->retry_after), "1");
		return true;
	case FAULT_E429:
		reply_error(r, 429, "too_many_requests",
			    "Rate limit exceeded, retry later", NULL);
		snprintf(r->retry_after, sizeof(r->retry_after), "1");
		return true;
	case FAULT_DROP_BEFORE:
		r->drop = true;
		return true;
	default:
		return false;
	}
}

static void fault_after(struct exchange *ex, struct reply *r)
{
	if (ex->fault == FAULT_DROP_AFTER)
		r->drop = true;
	else
		fault_corrupt(r, ex->fault);
}

static void count(struct exchange *ex, const struct reply *r)
{
	struct sandbox *sb = ex->sb;
	unsigned int cls = r->status / 100;

	pthread_mutex_lock(&sb->lock);
	sb->stats.requests++;
	if (strcmp(ex->url, "/v2/cards/bulk") == 0)
		sb->stats.bulk_requests++;
	if (!r->drop && cls >= 1 && cls <= 5)
		sb->stats.status[cls]++;
	pthread_mutex_unlock(&sb->lock);
	if (sb->cfg.verbose)
		fprintf(stderr, "qonto-sandbox: %s %s -> %s%u%s%s\n",
			ex->method, ex->url, r->drop ? "dropped, " : "",
			r->status, ex->fault != FAULT_NONE ? " fault " : "",
			ex->fault != FAULT_NONE ? fault_name(ex->fault) : "");
}

/* Everything but /_sandbox: edge checks, faults, the endpoint. */
static void handle_api(struct exchange *ex, struct reply *r)
{
	bool v2 = strncmp(ex->url, "/v2/", 4) == 0;
	bool bulk = strcmp(ex->url, "/v2/cards/bulk") == 0 &&
		    strcmp(ex->method, "POST") == 0;

	if (!v2 && strncmp(ex->url, "/oauth2/", 8) != 0) {
		reply_error(r, 404, "not_found", "No such endpoint", NULL);
		return;
	}
	if (!auth_rate_limit(ex, r))
		return;
	if (v2 && !auth_staging_ok(ex)) {
		reply_login_page(r);
		return;
	}
	if (strncmp(ex->url, "/v2/mocked_sca_sessions/", 24) != 0)
		ex->fault = fault_draw(ex->sb, bulk);
	if (fault_before(ex, r))
		return;
	http_dispatch(ex, r);
	fault_after(ex, r);
}

static enum MHD_Result handle(struct exchange *ex)
{
	struct reply r = {0};

	if (strncmp(ex->url, "/_sandbox/", 10) == 0) {
		admin_dispatch(ex, &r);
		return reply_send(ex, &r);
	}
	handle_api(ex, &r);
	count(ex, &r);
	return reply_send(ex, &r);
}

static bool append_body(struct request_state *st, const char *data, size_t size)
{
	char *grown;

	if (st->too_large || st->len + size > SANDBOX_MAX_BODY) {
		st->too_large = true;
		return true; /* keep reading, answer 413 at the end */
	}
	grown = util_grow(st->body, &st->cap, st->len + size + 1, 1);
	if (!grown)
		return false;
	st->body = grown;
	memcpy(st->body + st->len, data, size);
	st->len += size;
	st->body[st->len] = '\0';
	return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct request_state *st = *con_cls;
	struct exchange ex = {0};

	(void)version;
	if (!st) {
		st = calloc(1, sizeof(*st));
		*con_cls = st;
		return st ? MHD_YES : MHD_NO;
	}
	if (*upload_data_size) {
		if (!append_body(st, upload_data, *upload_data_size))
			return MHD_NO;
		*upload_data_size = 0;
		return MHD_YES;
	}
	ex.sb = cls;
	ex.conn = conn;
	ex.method = method;
	ex.url = url;
	ex.body = st->body;
	ex.body_len = st->len;
	ex.body_too_large = st->too_large;
	ex.fault = FAULT_NONE;
	return handle(&ex);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct request_state *st = *con_cls;

	(void)cls, (void)conn, (void)toe;
	if (st) {
		free(st->body);
		free(st);
	}
	*con_cls = NULL;
}

/* MHD's error log, minus the line every deliberate drop fault causes. */
static void log_error(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (!strstr(line, "Application reported internal error"))
		fputs(line, stderr);
}

/* Starts the daemon on 127.0.0.1:cfg.port; *port gets the real port. */
struct MHD_Daemon *http_start(struct sandbox *sb, uint16_t *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;

	sa.sin_port = htons((uint16_t)sb->cfg.port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* One thread per connection: latency and drip faults sleep in the
	 * connection's own thread and never hold up the others. */
	d = MHD_start_daemon(
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
		MHD_USE_ERROR_LOG,
	    0, NULL, NULL, on_request, sb, MHD_OPTION_EXTERNAL_LOGGER,
	    log_error, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, sb,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120, MHD_OPTION_END);
	if (!d)
		return NULL;
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	*port = info ? info->port : 0;
	return d;
}
