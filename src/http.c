/* http.c: the one module that calls libcurl. */
#include "config.h"

#include "http.h"
#include "text.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct http_client {
	CURLM *multi;
	struct http_config config;
	unsigned running;
	FILE *debug;
	long skew;            /* the server's clock minus this machine's */
	bool has_skew;        /* once an answer had a Date header */
};

/* What a request needs while libcurl works on it. */
struct xfer {
	CURL *easy;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	size_t cap;
	size_t cap_alloc;
	bool too_large;
};

enum status http_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? STATUS_OK
								 : STATUS_NOMEM;
}

void http_global_cleanup(void)
{
	curl_global_cleanup();
}

struct http_client *http_client_new(const struct http_config *config)
{
	struct http_client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (config)
		c->config = *config;
	if (!c->config.connect_timeout_ms)
		c->config.connect_timeout_ms = 10000;
	if (!c->config.total_timeout_ms)
		c->config.total_timeout_ms = 90000;
	if (!c->config.low_speed_time_s)
		c->config.low_speed_time_s = 30;
	if (!c->config.max_response)
		c->config.max_response = HTTP_MAX_RESPONSE;
	c->multi = curl_multi_init();
	if (!c->multi) {
		free(c);
		return NULL;
	}
	return c;
}

void http_client_free(struct http_client *client)
{
	if (!client)
		return;
	curl_multi_cleanup(client->multi);
	free(client);
}

/* 127.0.0.0/8 must be an address: "127.0.0.1.evil.com" is a name that
 * anyone can point anywhere. */
static bool host_is_loopback(const char *host)
{
	struct in_addr v4;

	if (strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "::1") == 0)
		return true;
	return inet_pton(AF_INET, host, &v4) == 1 &&
	       (ntohl(v4.s_addr) >> 24) == 127;
}

bool http_url_allowed(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	bool ok = false;

	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	if (strcmp(scheme, "https") == 0)
		ok = true;
	else if (strcmp(scheme, "http") == 0)
		ok = host_is_loopback(host);
out:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *user)
{
	struct http_request *req = user;
	struct xfer *x = req->handle;
	size_t n = size * nmemb, want;
	char *grown;

	if (req->response_len + n > x->cap) {
		x->too_large = true;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	if (req->response_len + n + 1 > x->cap_alloc) {
		want = x->cap_alloc ? x->cap_alloc * 2 : 4096;
		while (want < req->response_len + n + 1)
			want *= 2;
		grown = realloc(req->response, want);
		if (!grown)
			return 0;
		req->response = grown;
		x->cap_alloc = want;
	}
	memcpy(req->response + req->response_len, data, n);
	req->response_len += n;
	req->response[req->response_len] = '\0';
	return n;
}

/* Keeps the server's Date header: the clock difference with Qonto, so
 * that reconciliation can tell cards made before a request from cards
 * made by it (see reconcile.h). */
static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct http_request *req = user;
	size_t n = size * nmemb;
	char line[128];
	time_t t;

	if (n > 5 && n < sizeof(line) && strncasecmp(data, "date:", 5) == 0) {
		memcpy(line, data + 5, n - 5);
		line[n - 5] = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		t = curl_getdate(line, NULL);
		if (t > 0) {
			req->server_date = t;
			req->local_date = time(NULL);
		}
	}
	return n;
}

static const char *const secret_headers[] = {
	"authorization:", "proxy-authorization:", "cookie:", "set-cookie:",
	"x-qonto-staging-token:", "x-qonto-sca-session-token:", NULL,
};

/* One header or request line, secrets replaced. */
static void debug_line(FILE *out, char dir, const char *line, size_t len)
{
	char buf[1024], *safe, *tok;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	for (size_t i = 0; secret_headers[i]; i++) {
		if (strncasecmp(buf, secret_headers[i], strlen(secret_headers[i])) == 0) {
			fprintf(out, "%c %.*s [redacted]\n", dir,
				(int)strlen(secret_headers[i]), buf);
			return;
		}
	}
	/* GET /v2/sca_sessions/TOKEN, POST /v2/mocked_sca_sessions/TOKEN/allow */
	if ((tok = strstr(buf, "sca_sessions/"))) {
		char *end = strpbrk(tok + 13, "/ ?");

		snprintf(tok + 13, sizeof(buf) - (size_t)(tok + 13 - buf), "[redacted]%s",
			 end ? end : "");
	}
	safe = text_sanitize(buf);
	fprintf(out, "%c %s\n", dir, safe ? safe : "");
	free(safe);
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size,
		    void *user)
{
	FILE *out = user;
	size_t start = 0;
	char dir;

	(void)h;
	if (type == CURLINFO_TEXT)
		dir = '*';
	else if (type == CURLINFO_HEADER_OUT)
		dir = '>';
	else if (type == CURLINFO_HEADER_IN)
		dir = '<';
	else
		return 0; /* bodies and TLS data are never written */
	for (size_t i = 0; i <= size; i++) {
		if (i == size || data[i] == '\n') {
			size_t len = i - start;

			if (len && data[start + len - 1] == '\r')
				len--;
			if (len)
				debug_line(out, dir, data + start, len);
			start = i + 1;
		}
	}
	fflush(out);
	return 0;
}

void http_set_debug(struct http_client *client, FILE *out)
{
	client->debug = out;
}

static bool add_headers(struct xfer *x, const char *const *headers)
{
	struct curl_slist *next;

	for (size_t i = 0; headers && headers[i]; i++) {
		next = curl_slist_append(x->headers, headers[i]);
		if (!next)
			return false;
		x->headers = next;
	}
	/* An empty Expect: no "100-continue" round trip for small bodies. */
	next = curl_slist_append(x->headers, "Expect:");
	if (!next)
		return false;
	x->headers = next;
	return true;
}

static void set_options(struct http_client *client, struct http_request *req,
			struct xfer *x)
{
	CURL *h = x->easy;
	const struct http_config *cfg = &client->config;

	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cfg->total_timeout_ms);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, cfg->low_speed_time_s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, req);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, req);
	curl_easy_setopt(h, CURLOPT_PRIVATE, req);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "cardorder/" PACKAGE_VERSION);
	if (req->fresh_connect)
		curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
	if (client->debug) {
		curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(h, CURLOPT_DEBUGDATA, client->debug);
		curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	}
	if (req->bearer) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, req->bearer);
	}
	if (strcmp(req->method, "POST") == 0) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(req->body ? req->body_len : 0));
	} else if (strcmp(req->method, "GET") != 0) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	}
}

bool http_clock_skew(const struct http_client *client, long *skew)
{
	if (client->has_skew)
		*skew = client->skew;
	return client->has_skew;
}

enum status http_start(struct http_client *client, struct http_request *req,
		       struct status_error *err)
{
	struct xfer *x;

	req->done = false;
	req->outcome = HTTP_PENDING;
	req->status = 0;
	req->retry_after = 0;
	req->server_date = req->local_date = 0;
	req->error[0] = '\0';
	if (!http_url_allowed(req->url))
		return status_set(err, STATUS_USAGE,
				  "refusing %s: only https is allowed, or plain "
				  "http to this machine (127.0.0.1, localhost)",
				  req->url);
	x = calloc(1, sizeof(*x));
	if (!x)
		return status_set(err, STATUS_NOMEM, NULL);
	x->cap = client->config.max_response;
	req->handle = x;
	req->client = client;
	x->easy = curl_easy_init();
	if (!x->easy || !add_headers(x, req->headers)) {
		http_request_reset(req);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	set_options(client, req, x);
	if (curl_multi_add_handle(client->multi, x->easy) != CURLM_OK) {
		http_request_reset(req);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	client->running++;
	return STATUS_OK;
}

/* req->error stays in English: it is kept in the journal (the sentences
 * shown to people are made from it in api_describe_failure). */
static void describe(struct http_request *req, struct xfer *x, CURLcode rc)
{
	char *safe = text_sanitize(x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));

	snprintf(req->error, sizeof(req->error), "%s", safe ? safe : "network error");
	free(safe);
}

static void finish(struct http_client *client, struct http_request *req,
		   CURLcode rc)
{
	struct xfer *x = req->handle;
	long request_size = 0;
	curl_off_t retry = 0;

	curl_easy_getinfo(x->easy, CURLINFO_REQUEST_SIZE, &request_size);
	if (rc == CURLE_OK) {
		req->outcome = HTTP_ANSWERED;
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &req->status);
		if (curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &retry) ==
		    CURLE_OK && retry > 0)
			req->retry_after = retry > 3600 ? 3600 : (long)retry;
	} else if (x->too_large) {
		req->outcome = HTTP_TOO_LARGE;
		snprintf(req->error, sizeof(req->error),
			 "the answer was larger than %zu bytes", x->cap);
	} else {
		req->outcome = request_size > 0 ? HTTP_UNKNOWN : HTTP_NOT_SENT;
		/* a status line may have come before the failure */
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &req->status);
		describe(req, x, rc);
	}
	if (!req->response && (req->response = strdup("")) == NULL)
		req->outcome = HTTP_UNKNOWN;
	if (req->server_date > 0 && req->local_date > 0) {
		client->skew = (long)(req->server_date - req->local_date);
		client->has_skew = true;
	}
	curl_multi_remove_handle(client->multi, x->easy);
	client->running--;
	req->done = true;
}

int http_step(struct http_client *client, int timeout_ms, const int *fds,
	      unsigned n_fds)
{
	struct curl_waitfd waits[4];
	struct http_request *req;
	CURLMsg *msg;
	int still, left, finished = 0;

	if (n_fds > 4)
		n_fds = 4;
	for (unsigned i = 0; i < n_fds; i++) {
		waits[i].fd = fds[i];
		waits[i].events = CURL_WAIT_POLLIN;
		waits[i].revents = 0;
	}
	curl_multi_poll(client->multi, waits, n_fds, timeout_ms, NULL);
	curl_multi_perform(client->multi, &still);
	while ((msg = curl_multi_info_read(client->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		req = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&req);
		if (req) {
			finish(client, req, msg->data.result);
			finished++;
		}
	}
	return finished;
}

unsigned http_running(const struct http_client *client)
{
	return client->running;
}

void http_cancel(struct http_request *req)
{
	struct xfer *x = req->handle;
	long request_size = 0;

	if (!x || req->done)
		return;
	curl_easy_getinfo(x->easy, CURLINFO_REQUEST_SIZE, &request_size);
	curl_multi_remove_handle(req->client->multi, x->easy);
	req->client->running--;
	req->outcome = request_size > 0 ? HTTP_UNKNOWN : HTTP_CANCELLED;
	snprintf(req->error, sizeof(req->error), "cancelled");
	req->done = true;
}

static void wipe_headers(struct curl_slist *list)
{
	/* Headers may hold the staging token or an API key. */
	for (struct curl_slist *l = list; l; l = l->next)
		explicit_bzero(l->data, strlen(l->data));
	curl_slist_free_all(list);
}

void http_request_reset(struct http_request *req)
{
	struct xfer *x = req->handle;

	if (x) {
		if (!req->done && x->easy && req->client) {
			curl_multi_remove_handle(req->client->multi, x->easy);
			req->client->running--;
		}
		if (x->easy)
			curl_easy_cleanup(x->easy);
		wipe_headers(x->headers);
		free(x);
	}
	free(req->response);
	req->response = NULL;
	req->response_len = 0;
	req->handle = NULL;
	req->done = false;
	req->outcome = HTTP_PENDING;
}

char *http_escape(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0), *out;

	if (!e)
		return NULL;
	out = strdup(e);
	curl_free(e);
	return out;
}

enum status http_run(struct http_client *client, struct http_request *req,
		     struct status_error *err)
{
	enum status st = http_start(client, req, err);

	while (st == STATUS_OK && !req->done)
		http_step(client, 1000, NULL, 0);
	return st;
}
