/* preflight_summary.c: what an order commits, written for a person (the
 * text of check and the review's summary, see preflight.h): exposure by
 * level and team, bank accounts, fees, requests and approvals. */
#include "config.h"

#include "preflight.h"
#include "catalog.h"
#include "i18n.h"
#include "payload.h"
#include "preflight_internal.h"
#include "text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the summary ---- */

struct out {
	preflight_line_fn emit;
	void *user;
};

static void line(struct out *o, enum preflight_style style, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void line(struct out *o, enum preflight_style style, const char *fmt, ...)
{
	char buf[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	o->emit(o->user, style, buf);
}

/* s right-aligned in width columns (code points: translations have
 * accents, amounts "1 500 €" a no-break space), into buf; returns buf. */
static const char *align_right(const char *s, size_t width, char *buf, size_t cap)
{
	size_t chars = 0;

	for (const char *c = s; *c; c++)
		chars += ((unsigned char)*c & 0xC0) != 0x80;
	snprintf(buf, cap, "%*s%s", chars < width ? (int)(width - chars) : 0, "", s);
	return buf;
}

/* indent 4 under "by level" and "by team", 2 for "in all" */
static void tally_line(struct out *o, int indent, const char *label,
		       const struct tally *t)
{
	char cell[120], n[3][48], r[3][64];

	/* amounts grouped as the language writes them (22 000 in French) */
	line(o, PREFLIGHT_TEXT, "%*s%s %5zu %s %s %s", indent, "",
	     text_pad(label, (size_t)(30 - indent), cell, sizeof(cell)), t->cards,
	     align_right(i18n_number(t->pay, n[0], sizeof(n[0])), 13, r[0], sizeof(r[0])),
	     align_right(i18n_number(t->atm, n[1], sizeof(n[1])), 10, r[1], sizeof(r[1])),
	     align_right(i18n_number(t->flash, n[2], sizeof(n[2])), 13, r[2], sizeof(r[2])));
}

static void exposure(const struct preflight *p, const struct directory *dir,
		     struct out *o)
{
	char *label, c1[120], c2[40], c3[60], c4[60], c5[60];

	line(o, PREFLIGHT_TITLE, "%s", _("What the cards may spend (Qonto counts limits over "
				       "a rolling 30 days)"));
	/* TRANSLATORS: the column headers of a table (with "cards",
	   "payments/30d", "cash/30d" and "flash budgets"): each at most as
	   wide as the English. */
	line(o, PREFLIGHT_DIM, "  %s %s %s %s %s", text_pad(_("by level"), 28, c1, sizeof(c1)),
	     align_right(C_("column", "cards"), 5, c2, sizeof(c2)),
	     align_right(_("payments/30d"), 13, c3, sizeof(c3)),
	     align_right(_("cash/30d"), 10, c4, sizeof(c4)),
	     align_right(_("flash budgets"), 13, c5, sizeof(c5)));
	for (int l = 0; l < LEVEL_COUNT; l++)
		if (p->level[l].cards)
			tally_line(o, 4, catalog_level_label((enum card_level)l), &p->level[l]);
	if (dir)
		line(o, PREFLIGHT_DIM, "  %s", _("by team"));
	for (size_t i = 0; dir && i < p->n_teams; i++) {
		label = preflight_team_label(dir, p->teams[i].key);
		tally_line(o, 4, label ? label : "?", &p->teams[i].t);
		free(label);
	}
	tally_line(o, 2, _("in all"), &p->all);
}

const struct bank_account *preflight_account(const struct directory *dir,
					      const char *id)
{
	for (size_t i = 0; dir && id && i < dir->n_accounts; i++)
		if (strcmp(dir->accounts[i].id, id) == 0)
			return &dir->accounts[i];
	return NULL;
}

/* A bank account's status as a person reads it (Qonto's own word when it
 * is not one of these). */
static const char *account_status(const char *status)
{
	if (strcmp(status, "active") == 0)
		return C_("bank account", "active");
	if (strcmp(status, "closed") == 0)
		return C_("bank account", "closed");
	return status;
}

static void accounts(const struct preflight *p, const struct directory *dir,
		     struct out *o)
{
	char balance[80], amount[60], pay[40], atm[40];

	line(o, PREFLIGHT_TITLE, "%s", _("Bank accounts"));
	for (size_t i = 0; i < p->n_accounts; i++) {
		const struct tally *t = &p->accounts[i].t;
		const struct bank_account *a = preflight_account(dir, p->accounts[i].key);
		char *name = text_sanitize(a ? preflight_or_text(a->name, a->id)
					     : preflight_or_text(p->accounts[i].key, _("(no account)")));
		char *status = text_sanitize(a ? a->status && *a->status
							 ? account_status(a->status)
							 : _("status unknown")
					       : _("not read"));
		char *currency = text_sanitize(a ? preflight_or_text(a->currency, "EUR") : "EUR");

		if (a && a->has_balance && currency && strcmp(currency, "EUR") == 0)
			i18n_cents(a->balance_cents, amount, sizeof(amount));
		else if (a && a->has_balance)
			snprintf(amount, sizeof(amount), "%s%lld.%02lld %.8s",
				 a->balance_cents < 0 ? "-" : "",
				 llabs(a->balance_cents) / 100, llabs(a->balance_cents) % 100,
				 currency ? currency : "");
		if (a && a->has_balance)
			/* TRANSLATORS: %s is an amount such as "48 219,37 €". */
			snprintf(balance, sizeof(balance), _("balance %s"), amount);
		else
			snprintf(balance, sizeof(balance), "%s", _("balance not known"));
		/* TRANSLATORS: a bank account's name, its status and its
		   balance ("balance 48 219,37 €"). */
		line(o, PREFLIGHT_TEXT, _("  %s: %s, %s"), name ? name : "?",
		     status ? status : "?", balance);
		line(o, PREFLIGHT_TEXT,
		     /* TRANSLATORS: the cards drawing on the account, then
			what they may spend in payments and in cash ("3 500 €")
			over a rolling 30 days. */
		     P_("    its %zu card(s): %s of payments, %s of cash per 30 days",
			"    its %zu card(s): %s of payments, %s of cash per 30 days", t->cards),
		     t->cards, i18n_euros(t->pay, pay, sizeof(pay)),
		     i18n_euros(t->atm, atm, sizeof(atm)));
		if (t->flash)
			line(o, PREFLIGHT_TEXT, _("    and %s of flash budgets"),
			     i18n_euros(t->flash, pay, sizeof(pay)));
		free(name);
		free(status);
		free(currency);
	}
}

/* An amount of cents right-aligned in 14 columns. */
static void money(char *buf, size_t cap, int64_t cents)
{
	char amount[60];

	align_right(i18n_cents(cents, amount, sizeof(amount)), 14, buf, cap);
}

/* A note or the source of the built-in fee table (assets/fees.tsv) for
 * a person: translated when it is one of these (--json keeps the English);
 * another one (the table changed, or a fees_file) is shown as it is. */
static const char *fee_text(const struct fee_table *fees, const char *text)
{
	if (strcmp(fees->from, "built in") != 0)
		return text;
	if (strcmp(text, "an extra One card") == 0)
		return C_("fee table", "an extra One card");
	if (strcmp(text, "an extra Plus card (an older page says 6 EUR)") == 0)
		return C_("fee table", "an extra Plus card (an older page says 6 EUR)");
	if (strcmp(text, "an extra X card") == 0)
		return C_("fee table", "an extra X card");
	if (strcmp(text, "50 included on most plans, then 1 EUR a month (2 EUR on Basic)") == 0)
		return C_("fee table", "50 included on most plans, then 1 EUR a month (2 EUR on Basic)");
	if (strcmp(text, "priced as virtual cards (not published separately)") == 0)
		return C_("fee table", "priced as virtual cards (not published separately)");
	if (strcmp(text, "free") == 0)
		return C_("fee table", "free");
	if (strcmp(text, "Qonto help centre, articles support-de 23949221022097, help 5898299") == 0)
		return C_("fee table", "Qonto help centre, articles support-de 23949221022097, help 5898299");
	return text;
}

static void fees_lines(const struct preflight *p, const struct fee_table *fees,
		       struct out *o)
{
	int64_t once = 0, monthly = 0;
	char a[80], b[80], cell[64];

	if (fees->date[0])
		/* TRANSLATORS: %s is the date of the prices, such as "2026-12". */
		line(o, PREFLIGHT_TITLE, _("Card fees (an estimate from Qonto's published "
					   "prices, %s)"),
		     fees->date);
	else
		line(o, PREFLIGHT_TITLE, "%s", _("Card fees (an estimate from Qonto's "
						"published prices)"));
	for (int l = 0; l < LEVEL_COUNT; l++) {
		const struct fee *f = &fees->levels[l];
		size_t n = p->level[l].cards;

		if (!n)
			continue;
		if (!f->known) {
			/* TRANSLATORS: a card level and a number of cards. */
			line(o, PREFLIGHT_TEXT, _("  %s %5zu  not in the fee table"),
			     text_pad(catalog_level_label((enum card_level)l), 16, cell, sizeof(cell)), n);
			continue;
		}
		once += f->once_cents * (int64_t)n;
		monthly += f->monthly_cents * (int64_t)n;
		money(a, sizeof(a), f->once_cents * (int64_t)n);
		money(b, sizeof(b), f->monthly_cents * (int64_t)n);
		/* TRANSLATORS: a row of a table: a card level, a number of
		   cards, the fee paid once and the fee paid every month for
		   them (amounts right-aligned in 14 columns). */
		line(o, PREFLIGHT_TEXT, _("  %s %5zu  %s once  %s a month"),
		     text_pad(catalog_level_label((enum card_level)l), 16, cell, sizeof(cell)), n, a, b);
		if (f->note[0])
			line(o, PREFLIGHT_DIM, "      %s", fee_text(fees, f->note));
	}
	line(o, PREFLIGHT_TEXT, _("  in all: %s once, then up to %s a month"),
	     i18n_cents(once, a, sizeof(a)), i18n_cents(monthly, b, sizeof(b)));
	/* the built-in table's source; a file's, with its path */
	if (fees->source[0] && strcmp(fees->from, "built in") == 0)
		line(o, PREFLIGHT_DIM, _("  source: %s"), fee_text(fees, fees->source));
	else if (fees->source[0])
		/* TRANSLATORS: where the prices come from, then the file's path. */
		line(o, PREFLIGHT_DIM, _("  source: %s (%s)"), fees->source, fees->from);
}

/* A Qonto role as a person reads it (Qonto's own word when it is not one
 * of these). */
static const char *role_label(const char *role)
{
	if (strcmp(role, "owner") == 0)
		return C_("Qonto role", "owner");
	if (strcmp(role, "admin") == 0)
		return C_("Qonto role", "admin");
	if (strcmp(role, "manager") == 0)
		return C_("Qonto role", "manager");
	if (strcmp(role, "employee") == 0)
		return C_("Qonto role", "employee");
	if (strcmp(role, "reporting") == 0)
		return C_("Qonto role", "reporting");
	return role;
}

void preflight_summary(const struct preflight *p, const struct directory *dir,
		       const struct fee_table *fees, preflight_line_fn emit,
		       void *user)
{
	struct out o = { emit, user };
	size_t requests = payload_request_count(p->n);
	char *org = text_sanitize(dir ? preflight_or_text(dir->organization_name, "") : "");
	char *who = text_sanitize(dir ? preflight_or_text(dir->initiator_name, "") : "");
	char *role = dir && dir->caller_role ? text_sanitize(dir->caller_role) : NULL;
	struct keyed_ref *addresses;

	line(&o, PREFLIGHT_TITLE, "%s", _("The order"));
	/* TRANSLATORS: %zu cards; %s is the organisation's name. */
	line(&o, PREFLIGHT_TEXT, P_("  %zu card(s) for %s", "  %zu card(s) for %s", p->n), p->n,
	     org && *org ? org : _("(organisation from Qonto)"));
	if (who && *who && role)
		/* TRANSLATORS: a person's name, then their role in Qonto
		   (owner, admin, manager...). */
		line(&o, PREFLIGHT_TEXT, _("  ordered by %s (%s)"), who, role_label(role));
	else if (who && *who)
		line(&o, PREFLIGHT_TEXT, _("  ordered by %s"), who);
	free(org);
	free(who);
	free(role);
	exposure(p, dir, &o);
	if (dir)
		accounts(p, dir, &o);
	if (fees)
		fees_lines(p, fees, &o);
	line(&o, PREFLIGHT_TITLE, "%s", _("What you will be asked"));
	line(&o, PREFLIGHT_TEXT,
	     /* TRANSLATORS: requests sent to Qonto (each of at most 50
		cards), and as many approvals in the Qonto app: the two
		numbers are the same. */
	     P_("  %zu request(s) of at most %d cards; %zu approval(s) in the Qonto app",
		"  %zu request(s) of at most %d cards; %zu approval(s) in the Qonto app",
		requests),
	     requests, PAYLOAD_MAX_CARDS, requests);
	line(&o, PREFLIGHT_TEXT, "  %s", _("Physical cards by shipping address:"));
	addresses = preflight_sorted_addresses(p);
	for (size_t i = 0; addresses && i < p->n_addresses; i++) {
		const char *key = addresses[i].k->key;
		char *safe = text_sanitize(strcmp(key, BUSINESS_ADDRESS) == 0
						   ? _(BUSINESS_ADDRESS) : key);

		/* TRANSLATORS: a number of cards, then where they are
		   shipped (an address, or "the business's address"). */
		line(&o, PREFLIGHT_TEXT, _("    %zu to %s"), addresses[i].k->t.cards,
		     safe ? safe : "?");
		free(safe);
	}
	free(addresses);
	if (!p->physical)
		line(&o, PREFLIGHT_DIM, "    %s", _("(no physical card)"));
}
