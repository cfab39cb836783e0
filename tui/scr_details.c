/* scr_details.c: one card of the results, whole: what Qonto made (ids,
 * masked PAN, expiry, design), its limits, and what the order asked for it
 * (options, restrictions, bank account, where it ships). A screen of its
 * own, so that the network goes on, and a resize or a small terminal is
 * handled as everywhere. */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "catalog.h"
#include "i18n.h"

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

/* The actions are translated where they are shown (draw.c, help.c). */
static const struct key_binding details_keys[] = {
	/* TRANSLATORS: q goes back to the results; short */
	{ 'q', "q", N_("back"), true },
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

/* An ISO date (and what follows it) as a person reads it in the language
 * of the messages. */
static void add_date(struct details *d, const char *label, const char *iso)
{
	size_t cap;
	char *buf;

	if (!iso || !*iso)
		return;
	cap = strlen(iso) + 1; /* "31/12/2026" is as long as "2026-12-31" */
	buf = malloc(cap);
	if (!buf) {
		d->failed = true;
		return;
	}
	add_str(d, label, i18n_date(iso, buf, cap));
	free(buf);
}

/* Translated where they are shown. */
static const char *const limit_labels[LIMIT_COUNT] = {
	/* TRANSLATORS: labels of the card details, as the other ones: at
	   most 22 columns */
	N_("Monthly limit"), N_("Daily limit"), N_("Per-payment limit"),
	N_("Cash monthly limit"), N_("Cash daily limit"), N_("Budget"),
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
	char opts[200] = "", days[80] = "", cats[400] = "", addr[400] = "";
	/* translated where they are shown */
	static const struct { enum field_id id; const char *name; } options[] = {
		/* TRANSLATORS: a card's options, in "cash on, online off" */
		{ FIELD_ATM_OPTION, N_("cash") }, { FIELD_NFC_OPTION, N_("contactless") },
		{ FIELD_ONLINE_OPTION, N_("online") }, { FIELD_FOREIGN_OPTION, N_("abroad") },
	};
	static const enum field_id lines[] = {
		FIELD_CONTACT_NAME, FIELD_FIRST_LINE, FIELD_SECOND_LINE, FIELD_THIRD_LINE,
		FIELD_ZIPCODE, FIELD_CITY, FIELD_COUNTRY,
	};
	static const char *const day[7] = {
		/* TRANSLATORS: the days of the week, short (3 columns at most) */
		N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun")
	};
	size_t used = 0;

	if (app->resumed || i >= app->sent.n_cards)
		return;
	c = &app->sent.cards[i];
	for (size_t k = 0; k < sizeof(options) / sizeof(options[0]) && used < sizeof(opts); k++) {
		if (!card_has(c, options[k].id))
			continue;
		if (used)
			used += (size_t)snprintf(opts + used, sizeof(opts) - used, ", ");
		if (used < sizeof(opts) && card_bool(c, options[k].id))
			/* TRANSLATORS: an option of the card ("cash"), on */
			used += (size_t)snprintf(opts + used, sizeof(opts) - used, _("%s on"),
						 _(options[k].name));
		else if (used < sizeof(opts))
			/* TRANSLATORS: an option of the card ("cash"), off */
			used += (size_t)snprintf(opts + used, sizeof(opts) - used, _("%s off"),
						 _(options[k].name));
	}
	add_str(d, _("Options"), opts);
	used = 0;
	for (size_t k = 0; k < c->n_days && used < sizeof(days); k++)
		used += (size_t)snprintf(days + used, sizeof(days) - used, "%s%s", k ? " " : "",
					 c->days[k] >= 1 && c->days[k] <= 7
						 ? _(day[c->days[k] - 1]) : "?");
	add_str(d, _("Active days"), card_has(c, FIELD_ACTIVE_DAYS) ? days : "");
	used = 0;
	for (size_t k = 0; k < c->n_categories && used < sizeof(cats); k++)
		used += (size_t)snprintf(cats + used, sizeof(cats) - used, "%s%s", k ? ", " : "",
					 catalog_category_label((size_t)c->categories[k]));
	add_str(d, _("Merchant categories"), cats);
	if (card_has(c, FIELD_SHIP_TO_BUSINESS) && card_bool(c, FIELD_SHIP_TO_BUSINESS)) {
		add(d, _("Ships to"), "%s", _("the business's address"));
	} else {
		used = 0;
		for (size_t k = 0; k < sizeof(lines) / sizeof(lines[0]) && used < sizeof(addr); k++)
			if (card_text(c, lines[k]) && *card_text(c, lines[k]))
				used += (size_t)snprintf(addr + used, sizeof(addr) - used, "%s%s",
							 used ? ", " : "", card_text(c, lines[k]));
		add_str(d, _("Ships to"), addr);
	}
}

static void build(struct details *d, const struct app *app, size_t i)
{
	const struct card_result *r = &app->flow.results.cards[i];
	const struct card_object *c = &r->card;
	bool made = r->state == RESULT_CREATED;
	const char *account = made ? c->bank_account_id : NULL, *name;
	char euros[48];

	snprintf(d->title, sizeof(d->title), _("card %zu of the order (request %u)"), i + 1,
		 r->request);
	/* TRANSLATORS: the labels of the card details: at most 22 columns */
	add_str(d, _("Holder"), r->holder_name);
	add_str(d, _("Holder id"), made ? c->holder_id : r->asked.holder_id);
	add_str(d, _("Status"), results_status_label(r));
	if (made && c->pin_set >= 0)
		add_str(d, _("PIN set"), c->pin_set ? _("yes")
						    : _("no, the holder has not set it yet"));
	add_date(d, _("Shipped"), made ? c->shipped_at : NULL);
	add_str(d, _("Level"), made && c->card_level ? c->card_level : r->asked.card_level);
	add_str(d, _("Card id"), c->id);
	add_str(d, _("Masked PAN"), c->mask_pan);
	add_str(d, _("Last digits"), c->last_digits);
	if (c->exp_month && c->exp_year)
		add(d, _("Expiry"), "%s/%s", c->exp_month, c->exp_year);
	add_str(d, _("Embossed name"), c->embossed_name);
	add_str(d, _("Nickname"), c->nickname);
	add_str(d, _("Type"), c->card_type);
	add_str(d, _("Design"), catalog_design_label(c->card_design));
	add_str(d, _("Type of print"), c->type_of_print);
	if (!account && !app->resumed && i < app->sent.n_cards)
		account = card_text(&app->sent.cards[i], FIELD_BANK_ACCOUNT_ID);
	name = account_name(app, account);
	if (account)
		add(d, _("Bank account"), "%s%s%s%s", name ? name : "", name ? " (" : "", account,
		    name ? ")" : "");
	for (int k = 0; k < LIMIT_COUNT; k++) {
		const int64_t *v = made && (c->has_limits & (1u << k))
					   ? card_object_limit_const(c, (enum limit_index)k)
				   : (r->asked.has_limits & (1u << k)) ? &r->asked.limits[k] : NULL;

		if (!v)
			continue;
		i18n_euros((long long)*v, euros, sizeof(euros));
		if (k == LIMIT_INDEX_PAYMENT_LIFESPAN)
			/* TRANSLATORS: a flash card's budget, over its life:
			   "1500 EUR in all" */
			add(d, _(limit_labels[k]), _("%s in all"), euros);
		else
			add(d, _(limit_labels[k]), "%s", euros);
	}
	add_date(d, _("Expires at"), made && c->pre_expires_at ? c->pre_expires_at
							       : r->asked.pre_expires_at);
	asked(d, app, i);
	add_date(d, _("Created at"), c->created_at);
	add_str(d, _("Error"), r->error_code);
	add_str(d, _("Error detail"), results_detail_label(r));
	add_str(d, _("Error field"), r->error_field);
}

static void details_draw(struct app *app, struct screen *s)
{
	struct details *d = s->data;
	int rows = LINES - 6, y = 3;

	ui_frame(app, _("card details"), details_keys);
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
	/* TRANSLATORS: the name of a screen, as in "Keys of the %s screen",
	   and its title */
	.title = N_("card details"),
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
