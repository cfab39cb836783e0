/* scr_review.c: what will be sent: the order's figures, every problem,
 * and the exact JSON of each request. Sending is an uppercase S and a
 * confirmation. */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "i18n.h"
#include "payload.h"
#include "preflight.h"
#include "text.h"

#include <curses.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The text of one request (a blank line, its title, its JSON), built
 * when it scrolls into view. */
struct segment {
	size_t request;    /* 1-based; 0: the slot is empty */
	char *text;        /* owned: the lines, NUL-separated */
	const char **lines; /* owned array, into text */
	size_t n;
	unsigned long used; /* for eviction: the least recently used goes */
};

#define REVIEW_CACHE 8 /* more than one screen ever shows at once */

/* The review is the order's figures and problems (built at once, they
 * are small), then the requests' bodies (built as they are shown: an
 * order of 100 000 cards has 2 000 of them). The top line on screen is a
 * position: line off of segment seg, where segment 0 is the figures and
 * problems and segment k is request k. */
struct review {
	char **lines;      /* owned: segment 0 */
	enum ui_role *roles;
	size_t n, cap;
	size_t seg, off;   /* the top line on screen */
	size_t n_requests;
	struct segment cache[REVIEW_CACHE];
	unsigned long clock;
	size_t n_errors;
	bool dir_loaded;   /* built with the organisation read */
	unsigned held_gen; /* built with this reading of the holders' cards */
	bool held_pending; /* which is still going on */
	bool built;        /* built once: a failed reading is not retried */
	struct problem_list strict; /* what build() found */
	struct preflight *pre;      /* the summary; NULL: out of memory */
	bool held_added;            /* the holders' cards' warnings are in */
	unsigned resizes;  /* built for this size (problems are wrapped) */
	/* S was pressed while the organisation was being read: the check
	 * and the question come once it is read (any other key drops it) */
	bool send_waiting;
};

/* The actions are translated where they are shown (draw.c, help.c). */
static const struct key_binding review_keys[] = {
	/* TRANSLATORS: the actions of the review screen's keys; those of its
	   key bar (send the order, scroll, back to the order) at most as wide
	   as the English */
	{ 'S', "S", N_("send the order"), true },
	{ KEY_NPAGE, "PgDn", N_("scroll"), true },
	{ 'q', "q", N_("back to the order"), true },
	{ 'j', "j/k", N_("scroll a line"), false },
	{ 'g', "g/G", N_("top / bottom"), false },
	{ 0, NULL, NULL, false },
};

static void add_line(struct review *r, enum ui_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_line(struct review *r, enum ui_role role, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		char **l = realloc(r->lines, cap * sizeof(*l));
		enum ui_role *ro = realloc(r->roles, cap * sizeof(*ro));

		if (l)
			r->lines = l;
		if (ro)
			r->roles = ro;
		if (!l || !ro)
			return;
		r->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	if (!line)
		return;
	r->roles[r->n] = role;
	r->lines[r->n++] = line;
}

/* Columns of s: its length when it is ASCII (most words), else ui_width. */
static int cells(const char *s)
{
	const char *c = s;

	while (*c && !((unsigned char)*c & 0x80))
		c++;
	return *c ? ui_width(s) : (int)(c - s);
}

/* text in lines of the screen's width, the first one after lead, the
 * others indented under it: a problem is read whole, never cut. Most fit
 * on one line (measured once); the others are cut between words, each
 * word measured once. */
static void add_wrapped(struct review *r, enum ui_role role, const char *lead,
			const char *text)
{
	int width = COLS - 2, lead_w = cells(lead);
	int indent = lead_w < 12 ? lead_w : 12, used, w;
	char *copy, *word, *save = NULL, *line;
	size_t len, cap;

	if (width < 30 || lead_w + cells(text) <= width) {
		add_line(r, role, "%s%s", lead, text);
		return;
	}
	copy = strdup(text);
	cap = strlen(lead) + strlen(text) + (size_t)indent + 2;
	line = malloc(cap + 1);
	if (!copy || !line) {
		add_line(r, role, "%s%s", lead, text);
		free(copy);
		free(line);
		return;
	}
	len = (size_t)sprintf(line, "%s", lead);
	used = lead_w;
	for (word = strtok_r(copy, " ", &save); word; word = strtok_r(NULL, " ", &save)) {
		bool first = word == copy; /* the lead ends with its own space */

		w = cells(word);
		if (!first && used + 1 + w > width) {
			line[len] = '\0';
			add_line(r, role, "%s", line);
			len = (size_t)sprintf(line, "%*s", indent, "");
			used = indent;
			first = true;
		}
		len += (size_t)sprintf(line + len, "%s%s", first ? "" : " ", word);
		used += (first ? 0 : 1) + w;
	}
	line[len] = '\0';
	add_line(r, role, "%s", line);
	free(line);
	free(copy);
}

static void summary_line(void *user, enum preflight_style style, const char *line)
{
	static const enum ui_role roles[] = { UI_TITLE, UI_NORMAL, UI_DIM };

	add_line(user, roles[style], "%s", line);
}

static void problems(struct app *app, struct review *r, struct problem_list *strict)
{
	char errors[48], warnings[48];

	snprintf(errors, sizeof(errors), P_("%zu error(s)", "%zu error(s)", strict->n_errors),
		 strict->n_errors);
	snprintf(warnings, sizeof(warnings), P_("%zu warning(s)", "%zu warning(s)",
						strict->n_warnings),
		 strict->n_warnings);
	/* TRANSLATORS: the review's heading of the problems: "2 errors",
	   "1 warning" */
	add_line(r, UI_TITLE, _("Problems: %s (sending is blocked until they are fixed), %s"),
		 errors, warnings);
	for (size_t i = 0; i < strict->n; i++) {
		const struct problem *p = &strict->items[i];
		bool warning = p->severity == SEVERITY_WARNING;
		const char *field = p->field[0] ? p->field : "-";

		char lead[160];

		if (p->row && warning)
			/* TRANSLATORS: the start of a problem's line in the
			   review (the problem follows): the card's row and the
			   API name of its field; keep the two leading spaces */
			snprintf(lead, sizeof(lead), _("  card %u, %s: warning: "), p->row, field);
		else if (p->row)
			snprintf(lead, sizeof(lead), _("  card %u, %s: "), p->row, field);
		else if (warning)
			snprintf(lead, sizeof(lead), "%s", _("  the order: warning: "));
		else
			snprintf(lead, sizeof(lead), "%s", _("  the order: "));
		add_wrapped(r, p->severity == SEVERITY_ERROR ? UI_ERROR : UI_WARNING, lead,
			    p->message);
	}
	if (r->held_pending)
		add_line(r, UI_DIM, "%s", _("  checking with Qonto the cards the holders "
					    "already have…"));
	else if (app->held_error[0])
		add_line(r, UI_WARNING, "  %s", app->held_error);
}

static void segment_clear(struct segment *g)
{
	free(g->text);
	free(g->lines);
	memset(g, 0, sizeof(*g));
}

/* Lays request k out: a blank line, its title, its pretty JSON. */
static void segment_build(struct app *app, size_t k, struct segment *g)
{
	size_t first = (k - 1) * PAYLOAD_MAX_CARDS, count, len = 0, n = 0;
	char *body = NULL, *head = NULL;

	count = app->order.n_cards - first;
	if (count > PAYLOAD_MAX_CARDS)
		count = PAYLOAD_MAX_CARDS;
	if (payload_build(&app->order.cards[first], count, true, &body, &len,
			  NULL) != STATUS_OK)
		body = NULL;
	/* The heading is for people; the JSON under it is what is sent,
	 * never translated. */
	/* TRANSLATORS: the heading of a request's JSON in the review; keep
	   "POST /v2/cards/bulk" */
	if (asprintf(&head, _("Request %zu: POST /v2/cards/bulk, cards %zu to %zu"),
		     k, first + 1, first + count) < 0)
		head = NULL;
	if (!head || asprintf(&g->text, "\n%s\n%s", head,
			      body ? body : _("(the body could not be built)")) < 0)
		g->text = NULL;
	free(head);
	free(body);
	if (!g->text)
		return;
	for (const char *c = g->text; *c; c++)
		n += *c == '\n';
	g->lines = calloc(n + 1, sizeof(*g->lines));
	if (!g->lines) {
		segment_clear(g);
		return;
	}
	for (char *line = g->text, *nl; line && g->n <= n; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		if (nl || *line)
			g->lines[g->n++] = line;
	}
	g->request = k;
}

/* Request k's lines, from the cache or built now (NULL when out of
 * memory). */
static const struct segment *segment_get(struct app *app, struct review *r,
					 size_t k)
{
	struct segment *oldest = &r->cache[0];

	for (size_t i = 0; i < REVIEW_CACHE; i++) {
		if (r->cache[i].request == k) {
			r->cache[i].used = ++r->clock;
			return &r->cache[i];
		}
		if (r->cache[i].used < oldest->used)
			oldest = &r->cache[i];
	}
	segment_clear(oldest);
	segment_build(app, k, oldest);
	oldest->used = ++r->clock;
	return oldest->request ? oldest : NULL;
}

/* Lines of segment seg (0: figures and problems). */
static size_t segment_lines(struct app *app, struct review *r, size_t seg)
{
	const struct segment *g;

	if (seg == 0)
		return r->n;
	g = segment_get(app, r, seg);
	return g ? g->n : 0;
}

/* Moves the top line down by n lines; false at the last line. */
static bool scroll_down(struct app *app, struct review *r, size_t n)
{
	while (n > 0) {
		size_t lines = segment_lines(app, r, r->seg);

		if (r->off + 1 < lines) {
			size_t step = lines - 1 - r->off < n ? lines - 1 - r->off : n;

			r->off += step;
			n -= step;
		} else if (r->seg < r->n_requests) {
			r->seg++;
			r->off = 0;
			n--;
		} else {
			return false;
		}
	}
	return true;
}

static void scroll_up(struct app *app, struct review *r, size_t n)
{
	while (n > 0) {
		if (r->off >= n) {
			r->off -= n;
			return;
		}
		n -= r->off + 1;
		if (r->seg == 0) {
			r->off = 0;
			return;
		}
		r->seg--;
		r->off = segment_lines(app, r, r->seg);
		r->off = r->off ? r->off - 1 : 0;
	}
}

/* True when fewer than rows lines are left from the top line down. */
static bool at_end(struct app *app, struct review *r, int rows)
{
	size_t left = 0, off = r->off;

	for (size_t seg = r->seg; seg <= r->n_requests && left < (size_t)rows;
	     seg++, off = 0) {
		size_t n = segment_lines(app, r, seg);

		left += n > off ? n - off : 0;
	}
	return left < (size_t)rows;
}

/* The last screenful: from the end, rows - 1 lines up. */
static void scroll_end(struct app *app, struct review *r, int rows)
{
	size_t last = segment_lines(app, r, r->n_requests);

	r->seg = r->n_requests;
	r->off = last ? last - 1 : 0;
	scroll_up(app, r, rows > 1 ? (size_t)rows - 1 : 0);
}

/* The order derived again from the draft and checked, into *strict (the
 * caller's to free). */
static void check(struct app *app, enum flow_strictness strictness,
		  struct problem_list *strict)
{
	struct flow_context ctx = app_check_context(app);

	problems_init(strict);
	for (size_t i = 0; i < app->draft.n && i < app->order.n_cards; i++)
		draft_card_to(&app->draft.cards[i], i, &app->order.cards[i], strict);
	flow_check_order(&ctx, &app->order, strictness, strict);
}

static size_t final_errors(struct app *app)
{
	struct problem_list strict;
	size_t n;

	check(app, FLOW_FINAL, &strict);
	n = strict.n_errors;
	problems_free(&strict);
	return n;
}

/* The holders' cards (read once the organisation is), once read for
 * these holders: their warnings join the problems (once). */
static void held_findings(struct app *app, struct review *r, bool retry)
{
	char *const *holders;
	size_t n_holders;

	r->held_pending = false;
	if (!r->pre || !app->dir_loaded || r->held_added)
		return;
	holders = preflight_holders(r->pre, &n_holders);
	if (!app_held_for(app, holders, n_holders, retry)) {
		r->held_pending = app_held_loading(app);
		return;
	}
	if (preflight_held(r->pre, &app->dir, &r->strict) == 0) {
		problems_sort(&r->strict);
		r->held_added = true;
	}
}

static void clear_lines(struct review *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->lines[i]);
	r->n = 0;
}

/* The lines of the top segment, from what build() found: what needs
 * acting on first, then what the order commits. Cheap: done again when
 * the holders' cards arrive or the terminal is resized. */
static void lay_out(struct app *app, struct review *r)
{
	clear_lines(r);
	r->held_gen = app->held_gen;
	r->resizes = app->resizes;
	r->n_errors = r->strict.n_errors;
	problems(app, r, &r->strict);
	add_line(r, UI_NORMAL, "%s", "");
	if (r->pre)
		preflight_summary(r->pre, app->dir_loaded ? &app->dir : NULL,
				  app->fees_ok ? &app->fees : NULL, summary_line, r);
	else
		add_line(r, UI_ERROR, "%s", _("out of memory: the summary could not be made"));
	if (!app->fees_ok && app->fees_error[0])
		add_line(r, UI_DIM, "  %s", app->fees_error);
}

/* The order checked (as strictly as sending once the organisation is
 * read) and summed up by src/preflight.c, as `cardorder check` does. */
static void build(struct app *app, struct review *r)
{
	const struct directory *dir = app->dir_loaded ? &app->dir : NULL;
	int rc = 0;

	problems_free(&r->strict);
	preflight_free(r->pre);
	check(app, app_strictness(app), &r->strict);
	r->pre = preflight_new();
	for (size_t i = 0; r->pre && rc == 0 && i < app->order.n_cards; i++)
		rc = preflight_add(r->pre, dir, &app->order.cards[i], i);
	if (rc < 0) {
		preflight_free(r->pre);
		r->pre = NULL;
	}
	r->dir_loaded = app->dir_loaded;
	r->held_added = false;
	held_findings(app, r, !r->built);
	r->n_requests = payload_request_count(app->order.n_cards);
	r->built = true;
	lay_out(app, r);
}

static void draw_line(struct app *app, int y, enum ui_role role, const char *text)
{
	ui_attr(app, role, true);
	ui_text(y, 1, COLS - 2, text);
	ui_attr(app, role, false);
}

/* Beside a holder_id of the JSON, dim and after an arrow (not part of
 * what is sent), the member's name. */
static void holder_beside(struct app *app, int y, const char *line)
{
	const char *key = strstr(line, "\"holder_id\": \""), *name;
	char id[64];
	size_t n;

	if (!key)
		return;
	key += strlen("\"holder_id\": \"");
	n = strcspn(key, "\"");
	if (n >= sizeof(id))
		return;
	memcpy(id, key, n);
	id[n] = '\0';
	name = app_holder_name(app, id);
	if (!name || ui_width(line) + 5 >= COLS - 2)
		return;
	ui_attr(app, UI_DIM, true);
	ui_textf(y, 1 + ui_width(line) + 2, COLS - 4 - ui_width(line), "← %s", name);
	ui_attr(app, UI_DIM, false);
}

static void review_draw(struct app *app, struct screen *s)
{
	struct review *r = s->data;
	int rows = LINES - 5, y = 0;
	size_t seg = r->seg, off = r->off;

	ui_frame(app, r->n_errors ? _("review: fix the errors before sending")
				  : _("review: this is exactly what will be sent"),
		 review_keys);
	if (at_end(app, r, rows)) { /* the terminal grew, or a resize */
		scroll_end(app, r, rows);
		seg = r->seg;
		off = r->off;
	}
	for (; y < rows && seg == 0 && off < r->n; y++, off++)
		draw_line(app, 2 + y, r->roles[off], r->lines[off]);
	if (seg == 0) {
		seg = 1;
		off = 0;
	}
	for (; y < rows && seg <= r->n_requests; seg++, off = 0) {
		const struct segment *g = segment_get(app, r, seg);

		for (; g && y < rows && off < g->n; y++, off++) {
			draw_line(app, 2 + y, off == 1 ? UI_TITLE : UI_NORMAL, g->lines[off]);
			holder_beside(app, 2 + y, g->lines[off]);
		}
	}
}

static void send_answered(struct app *app, bool yes, void *ctx)
{
	(void)ctx;
	if (yes)
		app_open(app, SCREEN_SEND, 0, NULL);
	else
		app->flow.again = false;
}

/* Sending is confirmed with the figures that matter: how many cards, for
 * which organisation, and whether this is the sandbox. */
static enum key_result ask_to_send(struct app *app)
{
	struct journal_summary same;
	char q[800], when[32], date[48], cards[48], requests[48];
	size_t n_requests = payload_request_count(app->order.n_cards);
	const char *org = app->dir.organization_name ? app->dir.organization_name : "Qonto";
	/* TRANSLATORS: where the cards are ordered: Qonto's test
	   environment, or the real one */
	const char *where = app->sandbox ? _("SANDBOX") : _("PRODUCTION");
	struct tm tm;

	/* The same cards sent before (a crash, a draft sent and kept): the
	 * question names that order, and only a yes orders them again. */
	/* an unfinished one first: a newer finished one must not hide it */
	app->flow.again = flow_earlier(&app->flow, &app->order, true, &same, NULL) ==
				  STATUS_OK ||
			  flow_earlier(&app->flow, &app->order, false, &same, NULL) ==
				  STATUS_OK;
	if (app->flow.again) {
		localtime_r(&same.created, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		i18n_date(when, date, sizeof(date));
		if (same.finished)
			/* TRANSLATORS: the order's id (8 characters), its date and
			   time, the number of cards, the organisation's name, and
			   SANDBOX or PRODUCTION */
			snprintf(q, sizeof(q),
				 P_("THESE CARDS WERE ALREADY SENT as order %.8s on %s (finished). "
				    "Order these %zu card(s) AGAIN, as a new order, from %s (%s)?",
				    "THESE CARDS WERE ALREADY SENT as order %.8s on %s (finished). "
				    "Order these %zu card(s) AGAIN, as a new order, from %s (%s)?",
				    app->order.n_cards),
				 same.order_id, date, app->order.n_cards, org, where);
		else
			/* TRANSLATORS: the order's id (8 characters), its date and
			   time, the number of cards, the organisation's name, and
			   SANDBOX or PRODUCTION */
			snprintf(q, sizeof(q),
				 P_("THESE CARDS WERE ALREADY SENT as order %.8s on %s (not "
				    "finished: resume it instead). Order these %zu card(s) AGAIN, "
				    "as a new order, from %s (%s)?",
				    "THESE CARDS WERE ALREADY SENT as order %.8s on %s (not "
				    "finished: resume it instead). Order these %zu card(s) AGAIN, "
				    "as a new order, from %s (%s)?",
				    app->order.n_cards),
				 same.order_id, date, app->order.n_cards, org, where);
		return app_ask(app, q, send_answered, NULL, NULL);
	}
	snprintf(cards, sizeof(cards), P_("%zu card(s)", "%zu card(s)", app->order.n_cards),
		 app->order.n_cards);
	snprintf(requests, sizeof(requests),
		 /* TRANSLATORS: requests to Qonto, of up to 50 cards each */
		 P_("%zu request(s)", "%zu request(s)", n_requests), n_requests);
	/* TRANSLATORS: "7 cards", "1 request", the organisation's name, and
	   SANDBOX or PRODUCTION */
	snprintf(q, sizeof(q), _("Order %s in %s from %s (%s)?"), cards, requests, org, where);
	return app_ask(app, q, send_answered, NULL, NULL);
}

/* S: checked again, as strictly as sending (the review may have been
 * built while the organisation was being read), then the question. */
static enum key_result try_send(struct app *app, struct review *r)
{
	r->n_errors = final_errors(app);
	if (r->n_errors) {
		app_notify(app, UI_ERROR, P_("%zu error(s) block sending: fix them in "
					     "the order first",
					     "%zu error(s) block sending: fix them in "
					     "the order first", r->n_errors), r->n_errors);
		return KR_REDRAW;
	}
	if (!app->api_ready) {
		app_notify(app, UI_ERROR, "%s", _("not connected: set QONTO_ACCESS_TOKEN "
						"(an OAuth token) to send orders"));
		return KR_REDRAW;
	}
	return ask_to_send(app);
}

/* Qonto read since the review was built (the organisation, the
 * holders' cards): built again, at the same place; then the S that
 * waited for it. */
static void review_tick(struct app *app, struct screen *s)
{
	struct review *r = s->data;

	if (r->dir_loaded != app->dir_loaded) {
		build(app, r);
	} else if (r->held_gen != app->held_gen || r->resizes != app->resizes) {
		held_findings(app, r, false);
		lay_out(app, r);
	}
	if (r->seg == 0 && r->off >= r->n)
		r->off = r->n ? r->n - 1 : 0;
	if (!r->send_waiting || app_loading(app) || app_held_loading(app))
		return;
	r->send_waiting = false;
	try_send(app, r);
}

static enum key_result review_key(struct app *app, struct screen *s, wint_t ch,
				  bool is_key)
{
	struct review *r = s->data;
	size_t page = (size_t)(LINES > 6 ? LINES - 6 : 1);
	int rows = LINES - 5;

	r->send_waiting = false; /* S again, or something else wanted */
	if (is_key) {
		switch (ch) {
		case KEY_DOWN: ch = 'j'; break;
		case KEY_UP: ch = 'k'; break;
		case KEY_NPAGE: ch = ' '; break;
		case KEY_PPAGE: ch = 'b'; break;
		case KEY_HOME: ch = 'g'; break;
		case KEY_END: ch = 'G'; break;
		default: return KR_IGNORED;
		}
	}
	switch (ch) {
	case 'j':
		if (!scroll_down(app, r, 1) || at_end(app, r, rows))
			scroll_end(app, r, rows);
		return KR_REDRAW;
	case 'k': scroll_up(app, r, 1); return KR_REDRAW;
	case ' ':
		if (!scroll_down(app, r, page) || at_end(app, r, rows))
			scroll_end(app, r, rows);
		return KR_REDRAW;
	case 'b': scroll_up(app, r, page); return KR_REDRAW;
	case 'g': r->seg = r->off = 0; return KR_REDRAW;
	case 'G': scroll_end(app, r, rows); return KR_REDRAW;
	case 'q': case 27: return KR_CLOSE;
	case 'S':
		if (app_loading(app) || app_held_loading(app)) {
			/* the names are resolved once the members are read,
			 * and the holders' cards are said before any approval */
			r->send_waiting = true;
			app_notify(app, UI_WARNING, "%s", _("the order is checked and the question "
							      "asked once your organisation is read"));
			return KR_REDRAW;
		}
		return try_send(app, r);
	case 's':
		app_notify(app, UI_WARNING, "%s", _("to send, press S (upper case)"));
		return KR_REDRAW;
	default:
		return KR_IGNORED;
	}
}

static void review_free(void *data)
{
	struct review *r = data;

	if (!r)
		return;
	clear_lines(r);
	problems_free(&r->strict);
	preflight_free(r->pre);
	for (size_t i = 0; i < REVIEW_CACHE; i++)
		segment_clear(&r->cache[i]);
	free(r->lines);
	free(r->roles);
	free(r);
}

static const struct screen_ops review_ops = {
	/* TRANSLATORS: the name of a screen, as in "Keys of the %s screen" */
	.title = N_("review"),
	.keys = review_keys,
	.draw = review_draw,
	.key = review_key,
	.tick = review_tick,
	.free = review_free,
};

struct screen *review_screen_new(struct app *app)
{
	struct review *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	/* Every edit keeps the order in step with the draft; build() takes
	 * each card from the draft again for the strict check. */
	if (app->order.n_cards != app->draft.n)
		app_order_changed(app);
	build(app, r);
	return screen_new(&review_ops, r);
}
