/* oauth_listener.c: the loopback HTTP server that receives the browser's
 * redirect after a login (libmicrohttpd, 127.0.0.1 only). */
#include "config.h"

#include "i18n.h"
#include "oauth.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct oauth_listener {
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock;
	char *received; /* the redirect's query, once */
	/* The pages the browser shows, in the person's language: made
	 * before the server's thread starts, read-only after. */
	char *page_ok;
	char *page_missing;
};

/* Makes the two pages; false when memory runs out. */
static bool make_pages(struct oauth_listener *l)
{
	/* TRANSLATORS: the heading of the web page the browser shows after
	 * the login (plain text: no < > or &). */
	const char *heading = _("cardorder received the login.");
	/* TRANSLATORS: below that heading (plain text: no < > or &). */
	const char *below = _("You can close this tab and go back to the terminal.");
	/* TRANSLATORS: the heading of the web page for a wrong address
	 * (plain text: no < > or &). */
	const char *missing = _("Not found");

	if (asprintf(&l->page_ok,
		     "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
		     "<title>cardorder</title></head><body><h1>%s</h1><p>%s</p>"
		     "</body></html>",
		     heading, below) < 0)
		l->page_ok = NULL;
	if (asprintf(&l->page_missing,
		     "<!DOCTYPE html><html><body><h1>%s</h1></body></html>",
		     missing) < 0)
		l->page_missing = NULL;
	return l->page_ok && l->page_missing;
}

static void pages_free(struct oauth_listener *l)
{
	free(l->page_ok);
	free(l->page_missing);
	l->page_ok = l->page_missing = NULL;
}

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	char **query = cls;
	char *e_value = value ? http_escape(value) : strdup(""), *next = NULL;

	(void)kind;
	if (e_value && asprintf(&next, "%s%s%s=%s", *query ? *query : "",
				*query ? "&" : "", key, e_value) < 0)
		next = NULL;
	free(e_value);
	free(*query);
	*query = next;
	return next ? MHD_YES : MHD_NO;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct oauth_listener *l = cls;
	struct MHD_Response *resp;
	bool ok = strcmp(method, "GET") == 0 && strcmp(url, "/callback") == 0;
	char *query = NULL;
	enum MHD_Result r;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	if (ok) {
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect, &query);
		pthread_mutex_lock(&l->lock);
		if (!l->received && query) {
			l->received = query;
			query = NULL;
		}
		pthread_mutex_unlock(&l->lock);
		free(query);
	}
	resp = MHD_create_response_from_buffer(strlen(ok ? l->page_ok : l->page_missing),
					       ok ? l->page_ok : l->page_missing,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
	r = MHD_queue_response(conn, ok ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND, resp);
	MHD_destroy_response(resp);
	return r;
}

enum status oauth_listen(struct oauth_listener **out, int port,
			 struct status_error *err)
{
	struct oauth_listener *l = calloc(1, sizeof(*l));
	struct sockaddr_in sa;

	if (!l)
		return status_set(err, STATUS_NOMEM, NULL);
	if (!make_pages(l)) {
		pages_free(l);
		free(l);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	pthread_mutex_init(&l->lock, NULL);
	l->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port,
				     NULL, NULL, answer, l, MHD_OPTION_SOCK_ADDR,
				     (struct sockaddr *)&sa, MHD_OPTION_END);
	if (!l->daemon) {
		pthread_mutex_destroy(&l->lock);
		pages_free(l);
		free(l);
		return status_set(err, STATUS_IO,
				  "cannot listen on 127.0.0.1:%d for the login's "
				  "answer (is the port in use? set redirect_port in "
				  "the config, or use --manual)",
				  port);
	}
	*out = l;
	return STATUS_OK;
}

int oauth_listener_port(const struct oauth_listener *l)
{
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(l->daemon, MHD_DAEMON_INFO_BIND_PORT);

	return info ? (int)info->port : 0;
}

char *oauth_listener_take(struct oauth_listener *l)
{
	char *q;

	pthread_mutex_lock(&l->lock);
	q = l->received;
	l->received = NULL;
	pthread_mutex_unlock(&l->lock);
	return q;
}

void oauth_listener_stop(struct oauth_listener *l)
{
	if (!l)
		return;
	MHD_stop_daemon(l->daemon);
	pthread_mutex_destroy(&l->lock);
	free(l->received);
	pages_free(l);
	free(l);
}
