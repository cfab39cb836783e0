/* scr_details.c: one card of the results, whole: what Qonto made (ids,
 * masked PAN, expiry, design), its limits, and what the order asked for it
 * (options, restrictions, bank account, where it ships). A screen of its
 * own, so that the network goes on, and a resize or a small terminal is
 * handled as everywhere. */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "catalog.h"

#include <curses.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct details {
	char title[80];
	char **label, **value; /* owned; value may be "" */
	size_t n, cap;
	struct list_view list; /* top: the first line shown */
	bool failed;
};

static const struct key_binding details_keys[] = {
	{ 'q', "q", "back", true },
	LIST_KEY_BINDINGS,
	{ 0, NULL, NULL, false },
};

static void add(struct details *d, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct details *d, const char *label, const char *fmt, ...)
{
	char *v = NULL, **l, **vs;
	va_list ap;

	if (d->failed)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;

		l = realloc(d->label, cap * sizeof(*l));
		if (l)
			d->label = l;
		vs = l ? realloc(d->value, cap * sizeof(*vs)) : NULL;
		if (!vs) {
			d->failed = true;
			return;
		}
		d->value = vs;
		d->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&v, fmt, ap) < 0)
		v = NULL;
	va_end(ap);
	d->label[d->n] = strdup(label);
	d->value[d->n] = v;
	if (!d->label[d->n] || !v) {
		free(d->label[d->n]);
		free(v);
		d->failed = true;
		return;
	}
	d->n++;
}

static void add_str(struct details *d, const char *label, const char *s)
{
	if (s && *s)
		add(d, label, "%s", s);
}

static const char *const limit_labels[LIMIT_COUNT] = {
	"Monthly limit", "Daily limit", "Per-payment limit", "Cash monthly limit",
	"Cash daily limit", "Budget",
};

static const char *account_name(const struct app *app, const char *id)
{
	for (size_t k = 0; id && k < app->dir.n_accounts; k++)
		if (strcmp(app->dir.accounts[k].id, id) == 0)
			return app->dir.accounts[k].name;
	return NULL;
}

/* What the order asked, from the copy of the order made when it was sent
 * (not for a resumed order, whose cards are in its journal only). */
static void asked(struct details *d, const struct app *app, size_t i)
{
	const struct card *c;
	char opts[80] = "", days[40] = "", cats[400] = "", addr[400] = "";
	static const struct { enum field_id id; const char *name; } options[] = {
		{ FIELD_ATM_OPTION, "cash" }, { FIELD_NFC_OPTION, "contactless" },
		{ FIELD_ONLINE_OPTION, "online" }, { FIELD_FOREIGN_OPTION, "abroad" },
	};
	static const enum field_id lines[] = {
		FIELD_CONTACT_NAME, FIELD_FIRST_LINE, FIELD_SECOND_LINE, FIELD_THIRD_LINE,
		FIELD_ZIPCODE, FIELD_CITY, FIELD_COUNTRY,
	};
	static const char *const day[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	size_t used = 0;

	if (app->resumed || i >= app->sent.n_cards)
		return;
	c = &app->sent.cards[i];
	for (size_t k = 0; k < sizeof(options) / sizeof(options[0]); k++)
		if (card_has(c, options[k].id))
			used += (size_t)snprintf(opts + used, sizeof(opts) - used, "%s%s %s",
						 used ? ", " : "", options[k].name,
						 card_bool(c, options[k].id) ? "on" : "off");
	add_str(d, "Options", opts);
	used = 0;
	for (size_t k = 0; k < c->n_days && used < sizeof(days); k++)
		used += (size_t)snprintf(days + used, sizeof(days) - used, "%s%s", k ? " " : "",
					 c->days[k] >= 1 && c->days[k] <= 7
						 ? day[c->days[k] - 1] : "?");
	add_str(d, "Active days", card_has(c, FIELD_ACTIVE_DAYS) ? days : "");
	used = 0;
	for (size_t k = 0; k < c->n_categories && used < sizeof(cats); k++)
		used += (size_t)snprintf(cats + used, sizeof(cats) - used, "%s%s", k ? ", " : "",
					 catalog_category(c->categories[k]));
	add_str(d, "Merchant categories", cats);
	if (card_has(c, FIELD_SHIP_TO_BUSINESS) && card_bool(c, FIELD_SHIP_TO_BUSINESS)) {
		add(d, "Ships to", "the business's address");
	} else {
		used = 0;
		for (size_t k = 0; k < sizeof(lines) / sizeof(lines[0]) && used < sizeof(addr); k++)
			if (card_text(c, lines[k]) && *card_text(c, lines[k]))
				used += (size_t)snprintf(addr + used, sizeof(addr) - used, "%s%s",
							 used ? ", " : "", card_text(c, lines[k]));
		add_str(d, "Ships to", addr);
	}
}

static void build(struct details *d, const struct app *app, size_t i)
{
	const struct card_result *r = &app->flow.results.cards[i];
	const struct card_object *c = &r->card;
	bool made = r->state == RESULT_CREATED;
	const char *account = made ? c->bank_account_id : NULL, *name;

	snprintf(d->title, sizeof(d->title), "card %zu of the order (request %u)", i + 1,
		 r->request);
	add_str(d, "Holder", r->holder_name);
	add_str(d, "Holder id", made ? c->holder_id : r->asked.holder_id);
	add_str(d, "Status", results_status_text(r));
	if (made && c->pin_set >= 0)
		add_str(d, "PIN set", c->pin_set ? "yes" : "no, the holder has not set it yet");
	add_str(d, "Shipped", made ? c->shipped_at : NULL);
	add_str(d, "Level", made && c->card_level ? c->card_level : r->asked.card_level);
	add_str(d, "Card id", c->id);
	add_str(d, "Masked PAN", c->mask_pan);
	add_str(d, "Last digits", c->last_digits);
	if (c->exp_month && c->exp_year)
		add(d, "Expiry", "%s/%s", c->exp_month, c->exp_year);
	add_str(d, "Embossed name", c->embossed_name);
	add_str(d, "Nickname", c->nickname);
	add_str(d, "Type", c->card_type);
	add_str(d, "Design", c->card_design);
	add_str(d, "Type of print", c->type_of_print);
	if (!account && !app->resumed && i < app->sent.n_cards)
		account = card_text(&app->sent.cards[i], FIELD_BANK_ACCOUNT_ID);
	name = account_name(app, account);
	if (account)
		add(d, "Bank account", "%s%s%s%s", name ? name : "", name ? " (" : "", account,
		    name ? ")" : "");
	for (int k = 0; k < LIMIT_COUNT; k++) {
		const int64_t *v = made && (c->has_limits & (1u << k))
					   ? card_object_limit_const(c, (enum limit_index)k)
				   : (r->asked.has_limits & (1u << k)) ? &r->asked.limits[k] : NULL;

		if (v)
			add(d, limit_labels[k], "%" PRId64 " EUR%s", *v,
			    k == LIMIT_INDEX_PAYMENT_LIFESPAN ? " in all" : "");
	}
	add_str(d, "Expires at", made && c->pre_expires_at ? c->pre_expires_at
							   : r->asked.pre_expires_at);
	asked(d, app, i);
	add_str(d, "Created at", c->created_at);
	add_str(d, "Error", r->error_code);
	add_str(d, "Error detail", r->error_detail);
	add_str(d, "Error field", r->error_field);
}

static void details_draw(struct app *app, struct screen *s)
{
	struct details *d = s->data;
	int rows = LINES - 6, y = 3;

	ui_frame(app, "card details", details_keys);
	ui_attr(app, UI_TITLE, true);
	ui_text(2, 2, COLS - 4, d->title);
	ui_attr(app, UI_TITLE, false);
	if (d->list.top + (size_t)rows > d->n)
		d->list.top = d->n > (size_t)rows ? d->n - (size_t)rows : 0;
	for (size_t k = d->list.top; k < d->n && y < 3 + rows; k++, y++) {
		ui_attr(app, UI_DIM, true);
		ui_text(y, 2, 22, d->label[k]);
		ui_attr(app, UI_DIM, false);
		ui_text(y, 25, COLS - 27, d->value[k]);
	}
}

static enum key_result details_key(struct app *app, struct screen *s, wint_t ch,
				   bool is_key)
{
	struct details *d = s->data;
	size_t rows = (size_t)(LINES > 7 ? LINES - 6 : 1);

	(void)app;
	if (!is_key && (ch == 'q' || ch == 27 || ch == '\n' || ch == '\r'))
		return KR_CLOSE;
	/* the view scrolls: the cursor is its first line */
	d->list.cursor = d->list.top;
	if (!list_key(&d->list, d->n > rows ? d->n - rows + 1 : 1, ch, is_key))
		return KR_IGNORED;
	d->list.top = d->list.cursor;
	return KR_REDRAW;
}

static void details_free(void *data)
{
	struct details *d = data;

	if (!d)
		return;
	for (size_t k = 0; k < d->n; k++) {
		free(d->label[k]);
		free(d->value[k]);
	}
	free(d->label);
	free(d->value);
	free(d);
}

static const struct screen_ops details_ops = {
	.title = "card details",
	.keys = details_keys,
	.draw = details_draw,
	.key = details_key,
	.free = details_free,
};

enum key_result app_open_details(struct app *app, size_t i)
{
	struct details *d;

	if (i >= app->flow.results.n)
		return KR_HANDLED;
	d = calloc(1, sizeof(*d));
	if (!d)
		return KR_HANDLED;
	build(d, app, i);
	return app_open_ready(app, screen_new(&details_ops, d));
}
