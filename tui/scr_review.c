/* scr_review.c: what will be sent: the order's figures, every problem,
 * and the exact JSON of each request. Sending is an uppercase S and a
 * confirmation. */
#include "config.h"

#include "tui.h"
#include "payload.h"
#include "text.h"

#include <curses.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct review {
	char **lines;      /* owned */
	enum ui_role *roles;
	size_t n, cap;
	size_t top;
	size_t n_errors;
};

static const struct key_binding review_keys[] = {
	{ 'S', "S", "send the order", true },
	{ KEY_NPAGE, "PgDn", "scroll", true },
	{ 'q', "q", "back to the order", true },
	{ 'j', "j/k", "scroll a line", false },
	{ 'g', "g/G", "top / bottom", false },
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

/* "12 rue X, 75005 Paris, FR", or "the business". */
static void address_key(const struct card *c, char *buf, size_t cap)
{
	if (!card_has(c, FIELD_SHIP_TO_BUSINESS) || card_bool(c, FIELD_SHIP_TO_BUSINESS)) {
		snprintf(buf, cap, "the business's address");
		return;
	}
	snprintf(buf, cap, "%s, %s %s, %s",
		 card_text(c, FIELD_FIRST_LINE) ? card_text(c, FIELD_FIRST_LINE) : "?",
		 card_text(c, FIELD_ZIPCODE) ? card_text(c, FIELD_ZIPCODE) : "",
		 card_text(c, FIELD_CITY) ? card_text(c, FIELD_CITY) : "",
		 card_text(c, FIELD_COUNTRY) ? card_text(c, FIELD_COUNTRY) : "");
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "N to ADDRESS" for each distinct address of the physical cards: the
 * keys are made once and sorted, so a large order stays fast. Returns
 * the number of physical cards. */
static size_t addresses(struct app *app, struct review *r)
{
	char **keys = calloc(app->order.n_cards ? app->order.n_cards : 1, sizeof(char *));
	char buf[400];
	size_t n = 0, run;

	for (size_t i = 0; keys && i < app->order.n_cards; i++) {
		const struct card *c = &app->order.cards[i];

		if (!card_has(c, FIELD_CARD_LEVEL) || !level_is_physical(c->level))
			continue;
		address_key(c, buf, sizeof(buf));
		if ((keys[n] = strdup(buf)))
			n++;
	}
	if (n)
		qsort(keys, n, sizeof(keys[0]), by_text);
	for (size_t i = 0; i < n; i += run) {
		for (run = 1; i + run < n && strcmp(keys[i], keys[i + run]) == 0; run++)
			;
		add_line(r, UI_NORMAL, "    %zu to %s", run, keys[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return n;
}

static void figures(struct app *app, struct review *r)
{
	size_t per_level[LEVEL_COUNT] = { 0 }, requests, physical;
	int64_t monthly = 0, atm = 0, flash = 0;

	for (size_t i = 0; i < app->order.n_cards; i++) {
		const struct card *c = &app->order.cards[i];

		if (card_has(c, FIELD_CARD_LEVEL))
			per_level[c->level]++;
		if (card_has(c, FIELD_PAYMENT_MONTHLY_LIMIT))
			monthly += card_euros(c, FIELD_PAYMENT_MONTHLY_LIMIT);
		if (card_has(c, FIELD_ATM_MONTHLY_LIMIT))
			atm += card_euros(c, FIELD_ATM_MONTHLY_LIMIT);
		if (card_has(c, FIELD_PAYMENT_LIFESPAN_LIMIT))
			flash += card_euros(c, FIELD_PAYMENT_LIFESPAN_LIMIT);
	}
	requests = payload_request_count(app->order.n_cards);
	add_line(r, UI_TITLE, "The order");
	add_line(r, UI_NORMAL, "  %zu card(s) for %s", app->order.n_cards,
		 app->dir.organization_name ? app->dir.organization_name : "(organisation from Qonto)");
	for (int l = 0; l < LEVEL_COUNT; l++)
		if (per_level[l])
			add_line(r, UI_NORMAL, "    %-16s %zu", level_name((enum card_level)l),
				 per_level[l]);
	add_line(r, UI_NORMAL, "  Total monthly payment limit: %" PRId64 " EUR", monthly);
	add_line(r, UI_NORMAL, "  Total monthly cash limit:    %" PRId64 " EUR", atm);
	if (flash)
		add_line(r, UI_NORMAL, "  Flash card budgets:          %" PRId64 " EUR", flash);
	add_line(r, UI_NORMAL, "  %zu request(s) of at most %d cards; %zu approval(s) in "
			       "the Qonto app",
		 requests, PAYLOAD_MAX_CARDS, requests);
	add_line(r, UI_NORMAL, "  Physical cards by shipping address:");
	physical = addresses(app, r);
	if (!physical)
		add_line(r, UI_DIM, "    (no physical card)");
}

static void problems(struct app *app, struct review *r, struct problem_list *strict)
{
	add_line(r, UI_NORMAL, "%s", "");
	add_line(r, UI_TITLE, "Problems: %zu error(s) (sending is blocked until they "
			      "are fixed), %zu warning(s)",
		 strict->n_errors, strict->n_warnings);
	for (size_t i = 0; i < strict->n; i++) {
		const struct problem *p = &strict->items[i];

		add_line(r, p->severity == SEVERITY_ERROR ? UI_ERROR : UI_WARNING,
			 "  card %u, %s: %s%s", p->row, p->field[0] ? p->field : "-",
			 p->severity == SEVERITY_WARNING ? "warning: " : "", p->message);
	}
	(void)app;
}

static void bodies(struct app *app, struct review *r)
{
	size_t count;
	char *body, *line, *save = NULL;
	size_t len;

	for (size_t first = 0, n = 1; first < app->order.n_cards; first += count, n++) {
		count = app->order.n_cards - first;
		if (count > PAYLOAD_MAX_CARDS)
			count = PAYLOAD_MAX_CARDS;
		add_line(r, UI_NORMAL, "%s", "");
		add_line(r, UI_TITLE, "Request %zu: POST /v2/cards/bulk, cards %zu to %zu",
			 n, first + 1, first + count);
		if (payload_build(&app->order.cards[first], count, true, &body, &len,
				  NULL) != STATUS_OK)
			continue;
		for (line = strtok_r(body, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			add_line(r, UI_NORMAL, "%s", line);
		free(body);
	}
}

static void build(struct app *app, struct review *r)
{
	struct flow_context ctx = { .session = &app->session, .dir = &app->dir };
	struct problem_list strict;

	problems_init(&strict);
	/* As strict as sending: every id must be known by now. */
	for (size_t i = 0; i < app->draft.n; i++)
		draft_card_to(&app->draft.cards[i], i, &app->order.cards[i], &strict);
	flow_check_order(&ctx, &app->order, FLOW_FINAL, &strict);
	r->n_errors = strict.n_errors;
	figures(app, r);
	problems(app, r, &strict);
	bodies(app, r);
	problems_free(&strict);
}

static void review_draw(struct app *app, struct screen *s)
{
	struct review *r = s->data;
	int rows = LINES - 5;

	ui_frame(app, r->n_errors ? "review: fix the errors before sending"
				  : "review: this is exactly what will be sent",
		 review_keys);
	if (r->top + (size_t)rows > r->n)
		r->top = r->n > (size_t)rows ? r->n - (size_t)rows : 0;
	for (int y = 0; y < rows && r->top + (size_t)y < r->n; y++) {
		ui_attr(app, r->roles[r->top + y], true);
		ui_text(2 + y, 1, COLS - 2, r->lines[r->top + y]);
		ui_attr(app, r->roles[r->top + y], false);
	}
}

static enum key_result review_key(struct app *app, struct screen *s, wint_t ch,
				  bool is_key)
{
	struct review *r = s->data;
	size_t page = (size_t)(LINES > 6 ? LINES - 6 : 1);

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
	case 'j': r->top++; return KR_REDRAW;
	case 'k': r->top = r->top ? r->top - 1 : 0; return KR_REDRAW;
	case ' ': r->top += page; return KR_REDRAW;
	case 'b': r->top = r->top > page ? r->top - page : 0; return KR_REDRAW;
	case 'g': r->top = 0; return KR_REDRAW;
	case 'G': r->top = r->n; return KR_REDRAW;
	case 'q': case 27: return KR_CLOSE;
	case 'S':
		if (r->n_errors) {
			app_notify(app, UI_ERROR, "%zu error(s) block sending: fix them in "
						  "the order first", r->n_errors);
			return KR_REDRAW;
		}
		if (!app->api_ready) {
			app_notify(app, UI_ERROR, "not connected: set QONTO_ACCESS_TOKEN "
						  "(an OAuth token) to send orders");
			return KR_REDRAW;
		}
		app_push(app, send_screen_new(app));
		return KR_REDRAW;
	case 's':
		app_notify(app, UI_WARNING, "to send, press S (upper case)");
		return KR_REDRAW;
	default:
		return KR_IGNORED;
	}
}

static void review_free(struct screen *s)
{
	struct review *r = s->data;

	for (size_t i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	free(r->roles);
	free(r);
	free(s);
}

struct screen *review_screen_new(struct app *app)
{
	struct screen *s = calloc(1, sizeof(*s));
	struct review *r = calloc(1, sizeof(*r));

	if (!s || !r) {
		free(s);
		free(r);
		return NULL;
	}
	app_order_changed(app);
	build(app, r);
	s->data = r;
	s->title = "review";
	s->keys = review_keys;
	s->draw = review_draw;
	s->key = review_key;
	s->free = review_free;
	return s;
}
