/* reply.c: building answers (JSON:API errors, HTML login page) and handing
 * them to libmicrohttpd, slowly when the drip fault asks for it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

static const char json_mime[] = "application/json; charset=utf-8";

void reply_clear(struct reply *r)
{
	free(r->body);
	free(r->location);
	memset(r, 0, sizeof(*r));
}

static void set_body(struct reply *r, unsigned int status, char *body,
		     size_t len, const char *type)
{
	free(r->body);
	r->status = status;
	r->body = body;
	r->len = len;
	r->content_type = type;
}

/* Takes obj (released here). Falls back to a bare 500 when out of memory. */
void reply_take_json(struct reply *r, unsigned int status, json_object *obj)
{
	size_t len = 0;
	char *text = obj ? util_to_string(obj, &len) : NULL;

	json_object_put(obj);
	if (!text) {
		reply_text(r, 500, json_mime, "{\"errors\":[]}");
		return;
	}
	set_body(r, status, text, len, json_mime);
}

void reply_text(struct reply *r, unsigned int status, const char *type,
		const char *text)
{
	char *copy = strdup(text);

	set_body(r, copy ? status : 500, copy, copy ? strlen(copy) : 0, type);
}

/* {"code", "detail", "source": {"pointer"}}; pointer may be NULL. */
json_object *reply_error_entry(const char *code, const char *detail,
			       const char *pointer)
{
	json_object *e = json_object_new_object();
	json_object *src;

	if (!e)
		return NULL;
	util_add(e, "code", json_object_new_string(code));
	util_add(e, "detail", json_object_new_string(detail));
	if (pointer) {
		src = json_object_new_object();
		if (src)
			util_add(src, "pointer",
				 json_object_new_string(pointer));
		util_add(e, "source", src);
	}
	return e;
}

/* {"errors": errors, "trace_id"}; takes errors. */
json_object *reply_errors_body(json_object *errors)
{
	json_object *root = json_object_new_object();
	char trace[SANDBOX_UUID_LEN + 1];

	if (!root) {
		json_object_put(errors);
		return NULL;
	}
	util_new_uuid(trace);
	util_add(root, "errors", errors);
	util_add(root, "trace_id", json_object_new_string(trace));
	return root;
}

void reply_error(struct reply *r, unsigned int status, const char *code,
		 const char *detail, const char *pointer)
{
	json_object *errors = json_object_new_array();

	if (errors)
		util_push(errors, reply_error_entry(code, detail, pointer));
	reply_take_json(r, status, reply_errors_body(errors));
}

/* An error about a query parameter or header: source.parameter. */
void reply_error_param(struct reply *r, unsigned int status, const char *code,
		       const char *detail, const char *parameter)
{
	json_object *errors = json_object_new_array();
	json_object *e = reply_error_entry(code, detail, NULL);
	json_object *src = json_object_new_object();

	if (src)
		util_add(src, "parameter", json_object_new_string(parameter));
	if (e)
		util_add(e, "source", src);
	else
		json_object_put(src);
	if (errors)
		util_push(errors, e);
	else
		json_object_put(e);
	reply_take_json(r, status, reply_errors_body(errors));
}

/* What the real sandbox's single sign-on gate answers without the staging
 * token: an HTML page with status 200. */
void reply_login_page(struct reply *r)
{
	reply_text(
	    r, 200, "text/html; charset=utf-8",
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	    "charset=\"utf-8\"><title>Sign In - OneLogin</title></head>\n"
	    "<body><form method=\"post\" action=\"/login\">\n"
	    "<h1>Qonto staging</h1><p>Sign in to continue.</p>\n"
	    "<input name=\"username\" type=\"email\">\n"
	    "<input name=\"password\" type=\"password\">\n"
	    "<button type=\"submit\">Continue</button>\n"
	    "</form></body></html>\n");
}

struct drip {
	char *body;
	size_t len;
	unsigned int bytes;
	unsigned int ms;
};

/* Runs in the connection's own thread, so sleeping here slows only it. */
static ssize_t drip_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct drip *d = cls;
	size_t n;

	if (pos >= d->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	fault_sleep_ms(d->ms);
	n = d->len - (size_t)pos;
	if (n > d->bytes)
		n = d->bytes;
	if (n > max)
		n = max;
	memcpy(buf, d->body + pos, n);
	return (ssize_t)n;
}

static void drip_free(void *cls)
{
	struct drip *d = cls;

	free(d->body);
	free(d);
}

static struct MHD_Response *drip_response(struct sandbox *sb, struct reply *r)
{
	struct drip *d = calloc(1, sizeof(*d));
	struct MHD_Response *resp;

	if (!d)
		return NULL;
	d->body = r->body;
	d->len = r->len;
	d->bytes = sb->cfg.drip_bytes;
	d->ms = sb->cfg.drip_ms;
	resp = MHD_create_response_from_callback(r->len, 4096, drip_read, d,
						 drip_free);
	if (!resp) {
		free(d);
		return NULL;
	}
	r->body = NULL; /* now owned by the drip */
	return resp;
}

static void add_headers(struct MHD_Response *resp, const struct reply *r)
{
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					r->content_type);
	if (r->retry_after[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER,
					r->retry_after);
	if (r->location)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
					r->location);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				"no-store");
}

/* Queues r on the connection (or drops it). r is cleared. */
enum MHD_Result reply_send(struct exchange *ex, struct reply *r)
{
	static char empty[1];
	struct MHD_Response *resp;
	enum MHD_Result ret = MHD_NO;

	if (r->drop)
		goto out;
	if (ex->fault == FAULT_DRIP)
		resp = drip_response(ex->sb, r);
	else
		resp = MHD_create_response_from_buffer(
		    r->len, r->body ? r->body : empty, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		goto out;
	add_headers(resp, r);
	ret = MHD_queue_response(ex->conn, r->status ? r->status : 500, resp);
	MHD_destroy_response(resp);
out:
	reply_clear(r);
	return ret;
}
