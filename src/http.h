/* http.h: every libcurl call of cardorder lives behind this interface.
 *
 * One client drives any number of requests on libcurl's multi interface;
 * http_step() waits (at most timeout_ms) for network activity or for the
 * caller's extra file descriptors (the terminal), performs what is ready
 * and marks finished requests done. Nothing here blocks for longer than
 * the timeout given, so the TUI's loop and the headless loop share it. */
#ifndef CARDORDER_HTTP_H
#define CARDORDER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "status.h"

#define HTTP_MAX_RESPONSE (4u * 1024u * 1024u)

struct http_config {
	long connect_timeout_ms; /* 0: 10 s */
	long total_timeout_ms;   /* 0: 90 s */
	long low_speed_time_s;   /* abort below 1 byte/s for this long; 0: 30 */
	size_t max_response;     /* 0: HTTP_MAX_RESPONSE */
};

enum http_outcome {
	HTTP_PENDING,      /* still running */
	HTTP_ANSWERED,     /* a complete answer came back (any status) */
	HTTP_NOT_SENT,     /* failed before any byte of the request left */
	HTTP_UNKNOWN,      /* failed after the request left: outcome unknown */
	HTTP_TOO_LARGE,    /* the answer exceeded max_response */
	HTTP_CANCELLED     /* http_cancel() before it finished */
};

/* A request and, once done, its answer. The caller owns the struct; the
 * strings it sets are borrowed until the request is done or cancelled;
 * what http fills in is owned by the request and freed by
 * http_request_reset(). */
struct http_request {
	/* in */
	const char *method;   /* "GET" or "POST" */
	const char *url;
	const char *body;     /* POST body, or NULL */
	size_t body_len;
	const char *const *headers; /* NULL-terminated "Name: value" lines */
	const char *bearer;   /* OAuth access token, or NULL (never logged) */
	bool fresh_connect;   /* no reused connection: see c-ecosystem §1.4 */
	/* out */
	bool done;
	enum http_outcome outcome;
	long status;          /* HTTP status when ANSWERED (or a status line
				 that came before the transfer failed) */
	time_t server_date;   /* the answer's Date header, 0 when none */
	time_t local_date;    /* this machine's clock when it came */
	long retry_after;     /* seconds from Retry-After, 0 when absent */
	char *response;       /* owned, NUL-terminated */
	size_t response_len;
	char error[256];      /* sanitised, secret-free description */
	/* private */
	void *handle;
	void *header_list;
	struct http_client *client;
};

struct http_client;

/* Creates a client; NULL when out of memory. The caller has called
 * curl_global_init through http_global_init() once. */
struct http_client *http_client_new(const struct http_config *config);
void http_client_free(struct http_client *client);

enum status http_global_init(void);
void http_global_cleanup(void);

/* True when url may be used: https, or http to a loopback host only. */
bool http_url_allowed(const char *url);

/* The server's clock minus this machine's, in seconds, from the Date
 * header of the latest answer that had one; false before any. */
bool http_clock_skew(const struct http_client *client, long *skew);

/* Starts req. Returns STATUS_USAGE for a URL that is not allowed. */
enum status http_start(struct http_client *client, struct http_request *req,
		       struct status_error *err);

/* Waits up to timeout_ms for activity on the network or on the n_fds
 * descriptors in fds (readable), then performs transfers. Returns the
 * number of requests that finished during this call. */
int http_step(struct http_client *client, int timeout_ms, const int *fds,
	      unsigned n_fds);

/* Writes each exchange's request and header lines to out (NULL: off),
 * with every secret replaced by [redacted]: the Authorization and staging
 * token headers, cookies, and SCA session tokens in paths. Bodies are
 * never written (they hold names and addresses). */
void http_set_debug(struct http_client *client, FILE *out);

/* Number of requests started and not yet done. */
unsigned http_running(const struct http_client *client);

/* Stops req; done with HTTP_CANCELLED, or HTTP_UNKNOWN if bytes had left. */
void http_cancel(struct http_request *req);

/* Percent-encodes s for a URL query or a form body; owned, NULL on
 * memory exhaustion. */
char *http_escape(const char *s);

/* Runs req to completion on client (headless use: blocks). */
enum status http_run(struct http_client *client, struct http_request *req,
		     struct status_error *err);

/* Frees what the request owns (response, curl handle) so it can be reused. */
void http_request_reset(struct http_request *req);

#endif
