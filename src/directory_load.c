/* directory_load.c: reading the directory from Qonto without blocking
 * (see directory.h): each list is a small state machine driven by the
 * caller's event loop, with the retry policy of retry.h. */
#include "config.h"

#include "directory.h"
#include "i18n.h"
#include "retry.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum status (*page_parser)(struct directory *, const char *, size_t,
				   unsigned *, struct status_error *);

enum part_state { PART_WAITING, PART_RUNNING, PART_RENEWING, PART_DONE };

struct part {
	const char *path;
	char *own_path; /* a path made for this loader (the held cards) */
	const char *what; /* for the progress line: N_() English, shown with _() */
	page_parser parse;
	bool paged;
	bool required; /* the order cannot be resolved without it */
	enum part_state state;
	struct api_call call;
	unsigned page;
	unsigned attempt; /* failures of this page so far */
	bool renewed;	  /* the token was renewed once for this list */
	unsigned renew_ticket; /* see api_renew */
	unsigned renew_sent_with; /* the refused call's token_gen */
	long long wake_ms;
};

struct directory_loader {
	struct directory dir; /* filled here, taken at the end */
	struct api *api;
	struct part *parts; /* owned */
	size_t n_parts;
	bool held;	    /* a listing of cards (held or by id) */
	struct status_error err;
	bool failed;
	unsigned seed;
	char doing[80];
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Single-object parsers, adapted to the page parser's shape. */
static enum status parse_org(struct directory *dir, const char *body,
			     size_t len, unsigned *next,
			     struct status_error *err)
{
	*next = 0;
	return directory_parse_organization(dir, body, len, err);
}

static enum status parse_designs(struct directory *dir, const char *body,
				 size_t len, unsigned *next,
				 struct status_error *err)
{
	*next = 0;
	return directory_parse_appearances(dir, body, len, err);
}

static enum status parse_caller(struct directory *dir, const char *body,
				size_t len, unsigned *next,
				struct status_error *err)
{
	*next = 0;
	return directory_parse_caller(dir, body, len, err);
}

static const struct part part_table[DIRECTORY_PARTS] = {
    {.path = "/v2/organization",
     .what = N_("the organisation"),
     .parse = parse_org,
     .paged = false,
     .required = true},
    {.path = "/v2/bank_accounts",
     .what = N_("bank accounts"),
     .parse = directory_parse_accounts,
     .paged = true,
     .required = true},
    {.path = "/v2/memberships",
     .what = N_("members"),
     .parse = directory_parse_members,
     .paged = true,
     .required = true},
    /* The designs of each level: the offline list serves without them. */
    {.path = "/v2/cards/appearances",
     .what = N_("card designs"),
     .parse = parse_designs,
     .paged = false,
     .required = false},
    /* Who is ordering: known with OAuth; an API key may not reach it. */
    {.path = "/v2/membership",
     .what = N_("your membership"),
     .parse = parse_caller,
     .paged = false,
     .required = false},
    /* Team names for the summary and the manager's rule: ids serve. */
    {.path = "/v2/teams",
     .what = N_("teams"),
     .parse = directory_parse_teams,
     .paged = true,
     .required = false},
};

static struct directory_loader *loader_alloc(struct api *api, size_t parts)
{
	struct directory_loader *l = calloc(1, sizeof(*l));

	if (l)
		l->parts = calloc(parts ? parts : 1, sizeof(*l->parts));
	if (!l || !l->parts) {
		free(l);
		return NULL;
	}
	directory_init(&l->dir);
	l->api = api;
	l->seed = retry_seed();
	return l;
}

/* "/v2/cards?holder_ids[]=..&..&statuses[]=paused" for holders
 * [first, first + n), or "/v2/cards?ids[]=..&.." for cards. */
static char *list_path(bool held, char *const *ids, size_t first, size_t n)
{
	struct strbuf b = { 0 };

	strbuf_str(&b, "/v2/cards?");
	for (size_t i = first; i < first + n; i++)
		strbuf_printf(&b, "%s[]=%s&", held ? "holder_ids" : "ids", ids[i]);
	strbuf_str(&b, held ? "statuses[]=live&statuses[]=pending&statuses[]=paused"
			      "&sort_by=created_at:desc"
			    : "sort_by=created_at:asc");
	return strbuf_take(&b);
}

/* One list of GET /v2/cards per DIRECTORY_HOLDERS_PER_REQUEST ids. */
static enum status new_listing(struct directory_loader **out, struct api *api,
			       bool held, char *const *ids, size_t n,
			       struct status_error *err)
{
	size_t batches = (n + DIRECTORY_HOLDERS_PER_REQUEST - 1) /
			 DIRECTORY_HOLDERS_PER_REQUEST;
	struct directory_loader *l = loader_alloc(api, batches);

	*out = NULL;
	if (!l) {
		status_set(err, STATUS_NOMEM, NULL);
		return STATUS_NOMEM;
	}
	l->held = true; /* (a listing: its progress and messages) */
	for (size_t b = 0; b < batches; b++) {
		size_t first = b * DIRECTORY_HOLDERS_PER_REQUEST;
		struct part *p = &l->parts[l->n_parts];

		p->own_path = list_path(held, ids, first,
					n - first < DIRECTORY_HOLDERS_PER_REQUEST
						? n - first
						: DIRECTORY_HOLDERS_PER_REQUEST);
		if (!p->own_path) {
			directory_loader_free(l);
			status_set(err, STATUS_NOMEM, NULL);
			return STATUS_NOMEM;
		}
		p->path = p->own_path;
		p->what = held ? N_("the holders' cards") : N_("the order's cards");
		p->parse = held ? directory_parse_held : directory_parse_listed;
		p->paged = true;
		p->required = true;
		p->page = 1;
		l->n_parts++;
	}
	*out = l;
	return STATUS_OK;
}

enum status directory_loader_new_held(struct directory_loader **out,
				      struct api *api, char *const *ids,
				      size_t n, struct status_error *err)
{
	return new_listing(out, api, true, ids, n, err);
}

enum status directory_loader_new_listed(struct directory_loader **out,
					struct api *api, char *const *ids,
					size_t n, struct status_error *err)
{
	return new_listing(out, api, false, ids, n, err);
}

enum status directory_loader_new(struct directory_loader **out, struct api *api,
				 unsigned parts, struct status_error *err)
{
	struct directory_loader *l = loader_alloc(api, DIRECTORY_PARTS);

	*out = NULL;
	if (!l) {
		status_set(err, STATUS_NOMEM, NULL);
		return STATUS_NOMEM;
	}
	for (size_t i = 0; i < DIRECTORY_PARTS; i++)
		if (parts & (1u << i)) {
			l->parts[l->n_parts] = part_table[i];
			l->parts[l->n_parts++].page = 1;
		}
	*out = l;
	return STATUS_OK;
}

static void cancel_all(struct directory_loader *l)
{
	for (size_t i = 0; i < l->n_parts; i++) {
		if (l->parts[i].call.http.handle && !l->parts[i].call.http.done)
			http_cancel(&l->parts[i].call.http);
		api_call_free(&l->parts[i].call);
		l->parts[i].state = PART_DONE;
	}
}

void directory_loader_free(struct directory_loader *l)
{
	if (!l)
		return;
	cancel_all(l);
	for (size_t i = 0; i < l->n_parts; i++)
		free(l->parts[i].own_path);
	free(l->parts);
	directory_free(&l->dir);
	free(l);
}

/* "...https://host/v2/cards?holder_ids[]=...: reason" without the query:
 * fifty ids would push the reason out of the message. */
static void strip_query(char *msg)
{
	char *q = strchr(msg, '?'), *end, *colon;

	if (!q)
		return;
	end = q + strcspn(q, " "); /* the URL ends at a space, or at ": " */
	colon = strstr(q, ": ");
	if (colon && colon < end)
		end = colon;
	memmove(q, end, strlen(end) + 1);
}

static void fail(struct directory_loader *l, struct part *p,
		 const struct status_error *e)
{
	api_call_free(&p->call);
	p->state = PART_DONE;
	if (!p->required)
		return;
	l->err = *e;
	if (l->held) {
		strip_query(l->err.message);
		strip_query(l->err.message_en);
	}
	l->failed = true;
	cancel_all(l);
}

static void start(struct directory_loader *l, struct part *p)
{
	struct status_error e = {0};
	struct strbuf path = { 0 };
	enum status st;

	if (p->paged)
		strbuf_printf(&path, "%s%cpage=%u&per_page=%d", p->path,
			      strchr(p->path, '?') ? '&' : '?', p->page,
			      DIRECTORY_PER_PAGE);
	else
		strbuf_str(&path, p->path);
	st = path.failed ? status_set(&e, STATUS_NOMEM, NULL)
			 : api_prepare(l->api, &p->call, "GET", path.data, NULL, 0,
				       NULL, NULL, &e);
	strbuf_free(&path);
	if (st != STATUS_OK || api_start(l->api, &p->call, &e) != STATUS_OK) {
		fail(l, p, &e);
		return;
	}
	l->dir.requests++;
	p->state = PART_RUNNING;
}

static void again_at(struct part *p, long long wake_ms)
{
	api_call_free(&p->call);
	p->state = PART_WAITING;
	p->wake_ms = wake_ms;
}

/* A 200 read: the next page, or done. */
static void page_read(struct part *p, unsigned next)
{
	api_call_free(&p->call);
	p->attempt = 0;
	if (p->paged && next > p->page && next <= DIRECTORY_MAX_PAGES) {
		p->page = next;
		again_at(p, 0);
		return;
	}
	p->state = PART_DONE;
}

static void renewal_poll(struct directory_loader *l, struct part *p)
{
	struct status_error e = { 0 };

	switch (api_renew(l->api, p->renew_sent_with, &p->renew_ticket, &e)) {
	case API_RENEW_WAIT:
		return;
	case API_RENEW_DONE:
		again_at(p, 0);
		return;
	case API_RENEW_FAILED:
		fail(l, p, &e);
		return;
	}
}

static void finished(struct directory_loader *l, struct part *p)
{
	const struct http_request *h = &p->call.http;
	struct status_error e = {0};
	enum status st = STATUS_HTTP;
	unsigned next = 0;

	/* An expired token: renewed once (on the loop), then the same GET
	 * again. */
	if (h->outcome == HTTP_ANSWERED && h->status == 401 && !p->renewed &&
	    l->api->refresher) {
		p->renewed = true;
		p->renew_ticket = 0;
		p->renew_sent_with = p->call.token_gen;
		api_call_free(&p->call);
		p->state = PART_RENEWING;
		renewal_poll(l, p);
		return;
	}
	if (h->outcome == HTTP_ANSWERED && h->status == 200)
		st = p->parse(&l->dir, h->response, h->response_len, &next, &e);
	else
		api_describe_failure(&p->call, &e);
	if (st == STATUS_OK) {
		page_read(p, next);
		return;
	}
	if (retry_read_worth(h, st == STATUS_NOT_JSON ||
				    st == STATUS_BAD_RESPONSE) &&
	    ++p->attempt < RETRY_READ_ATTEMPTS) {
		again_at(p,
			 now_ms() + retry_delay_ms(NULL, p->attempt - 1,
						   h->retry_after, &l->seed));
		return;
	}
	if (e.code == STATUS_OK)
		e.code = st;
	fail(l, p, &e);
}

bool directory_loader_poll(struct directory_loader *l)
{
	long long now = now_ms();
	bool active = false;
	size_t running = 0;

	for (size_t i = 0; i < l->n_parts; i++)
		running += l->parts[i].state == PART_RUNNING;
	for (size_t i = 0; i < l->n_parts && !l->failed; i++) {
		struct part *p = &l->parts[i];

		if (p->state == PART_RUNNING && p->call.http.done) {
			finished(l, p);
			running -= p->state != PART_RUNNING;
		} else if (p->state == PART_RENEWING) {
			renewal_poll(l, p);
		}
		/* a few at a time: thousands of holders make many lists, and a
		 * burst of them would only meet 429s */
		if (!l->failed && p->state == PART_WAITING && p->wake_ms <= now &&
		    running < DIRECTORY_MAX_RUNNING) {
			start(l, p);
			running += p->state == PART_RUNNING;
		}
	}
	for (size_t i = 0; i < l->n_parts && !l->failed; i++)
		active |= l->parts[i].state != PART_DONE;
	return active;
}

long directory_loader_wait_ms(const struct directory_loader *l)
{
	long long now = now_ms(), next = -1;

	for (size_t i = 0; i < l->n_parts; i++) {
		const struct part *p = &l->parts[i];

		if (p->state == PART_WAITING && (next < 0 || p->wake_ms < next))
			next = p->wake_ms;
		if (p->state == PART_RENEWING && (next < 0 || now + 100 < next))
			next = now + 100;
	}
	if (next < 0)
		return -1;
	return next > now ? (long)(next - now) : 0;
}

const char *directory_loader_doing(struct directory_loader *l)
{
	size_t done = 0;

	l->doing[0] = '\0';
	if (l->held) {
		for (size_t i = 0; i < l->n_parts; i++)
			done += l->parts[i].state == PART_DONE;
		/* TRANSLATORS: progress while reading from Qonto; %s is what
		 * is read ("the holders' cards"), then which list of how
		 * many. Keep it short. */
		snprintf(l->doing, sizeof(l->doing), _("%s, list %zu of %zu"),
			 l->n_parts ? _(l->parts[0].what) : _("cards"),
			 done < l->n_parts ? done + 1 : l->n_parts, l->n_parts);
		return l->doing;
	}
	for (size_t i = 0; i < l->n_parts; i++) {
		const struct part *p = &l->parts[i];

		if (p->state == PART_DONE)
			continue;
		if (p->paged && p->page > 1)
			/* TRANSLATORS: progress while reading from Qonto; %s
			 * is what is read ("members"). Keep it short. */
			snprintf(l->doing, sizeof(l->doing), _("%s, page %u"),
				 _(p->what), p->page);
		else
			snprintf(l->doing, sizeof(l->doing), "%s", _(p->what));
		if (p->required)
			break;
	}
	return l->doing;
}

/* Why a required list could not be read, for each take. */
static enum status loader_failure(const struct directory_loader *l,
				  struct status_error *err)
{
	if (err)
		*err = l->err;
	return l->err.code != STATUS_OK ? l->err.code : STATUS_HTTP;
}

enum status directory_loader_take(struct directory_loader *l,
				  struct directory *dir,
				  struct status_error *err)
{
	if (l->failed)
		return loader_failure(l, err);
	directory_free(dir);
	*dir = l->dir;
	directory_init(&l->dir);
	return STATUS_OK;
}

enum status directory_loader_take_held(struct directory_loader *l,
				       struct directory *dir,
				       struct status_error *err)
{
	if (l->failed)
		return loader_failure(l, err);
	directory_held_clear(dir);
	dir->held = l->dir.held;
	dir->n_held = l->dir.n_held;
	l->dir.held = NULL;
	l->dir.n_held = 0;
	return STATUS_OK;
}

/* Runs a loader to its end. */
static void run(struct directory_loader *l, struct api *api)
{
	long wait;

	while (directory_loader_poll(l)) {
		wait = directory_loader_wait_ms(l);
		/* curl's poll waits out its timeout even with nothing to do */
		http_step(api->http, wait < 0 || wait > 100 ? 100 : (int)wait,
			  NULL, 0);
	}
}

enum status directory_loader_take_listed(struct directory_loader *l,
					 struct card_object **cards, size_t *n,
					 struct status_error *err)
{
	if (l->failed)
		return loader_failure(l, err);
	*cards = l->dir.listed;
	*n = l->dir.n_listed;
	l->dir.listed = NULL;
	l->dir.n_listed = 0;
	return STATUS_OK;
}

enum status directory_load_parts(struct directory *dir, struct api *api,
				 unsigned parts, struct status_error *err)
{
	struct directory_loader *l = NULL;
	enum status st = directory_loader_new(&l, api, parts, err);

	if (st == STATUS_OK) {
		run(l, api);
		st = directory_loader_take(l, dir, err);
	}
	directory_loader_free(l);
	return st;
}

enum status directory_load_held(struct directory *dir, struct api *api,
				char *const *holder_ids, size_t n,
				unsigned *requests, struct status_error *err)
{
	struct directory_loader *l = NULL;
	enum status st = directory_loader_new_held(&l, api, holder_ids, n, err);

	if (st == STATUS_OK) {
		run(l, api);
		st = directory_loader_take_held(l, dir, err);
		if (requests)
			*requests = l->dir.requests;
	}
	directory_loader_free(l);
	return st;
}

enum status directory_load_listed(struct api *api, char *const *card_ids, size_t n,
				  struct card_object **cards, size_t *n_cards,
				  unsigned *requests, struct status_error *err)
{
	struct directory_loader *l = NULL;
	enum status st = directory_loader_new_listed(&l, api, card_ids, n, err);

	*cards = NULL;
	*n_cards = 0;
	if (st == STATUS_OK) {
		run(l, api);
		st = directory_loader_take_listed(l, cards, n_cards, err);
		if (requests)
			*requests = l->dir.requests;
	}
	directory_loader_free(l);
	return st;
}

enum status directory_load(struct directory *dir, struct api *api,
			   struct status_error *err)
{
	return directory_load_parts(dir, api, DIRECTORY_ALL, err);
}
