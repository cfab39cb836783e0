/* preflight.c: the check of an order against Qonto's state, and what it
 * commits (see preflight.h). */
#include "config.h"

#include "preflight.h"
#include "preflight_internal.h"
#include "payload.h"
#include "text.h"
#include "values.h"

#include <json-c/json.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rules ---- */

static const char *or_text(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

int preflight_rules_caller(const struct directory *dir,
			   struct problem_list *problems)
{
	const char *role = dir ? dir->caller_role : NULL;

	if (!role || (strcmp(role, "employee") != 0 && strcmp(role, "reporting") != 0))
		return 0;
	return problems_add(problems, SEVERITY_ERROR, PROBLEM_NO_CARD, 0, "",
			    "your Qonto role is %s: only an owner, an admin or a "
			    "manager (for their own team) can order cards for "
			    "others; ask one of them to send this order",
			    strcmp(role, "reporting") == 0 ? "reporting (accountant)"
							   : "employee");
}

/* "Ngozi Dubois" (owned, sanitised), or the id. */
static char *member_name(const struct member *m, const char *id)
{
	char *name = NULL, *safe;

	if (!m || asprintf(&name, "%s %s", or_text(m->first_name, ""),
			   or_text(m->last_name, "")) < 0)
		name = NULL;
	safe = text_sanitize(name && name[1] ? name : id);
	free(name);
	return safe;
}

/* "team Marketing" or "team 3994693e-..." (owned, sanitised). */
static char *team_label(const struct directory *dir, const char *team_id)
{
	const char *name = directory_team_name(dir, team_id);
	char *label = NULL, *safe;

	if (!team_id)
		return strdup("no team");
	if (asprintf(&label, "team %s", name ? name : team_id) < 0)
		return NULL;
	safe = text_sanitize(label);
	free(label);
	return safe;
}

static int manager_rule(const struct directory *dir, const struct card *card,
			size_t index, const struct member *m,
			struct problem_list *problems)
{
	char *who, *theirs, *mine;
	int rc;

	if (!dir->caller_role || strcmp(dir->caller_role, "manager") != 0)
		return 0;
	if (dir->caller_team_id && m->team_id &&
	    strcmp(dir->caller_team_id, m->team_id) == 0)
		return 0;
	who = member_name(m, m->id);
	theirs = team_label(dir, m->team_id);
	mine = team_label(dir, dir->caller_team_id);
	rc = problems_add(problems, SEVERITY_ERROR, index, card->row, "holder_id",
			  "%s is in %s, and you manage %s: a manager orders cards "
			  "only for the members of their own team",
			  who ? who : "the holder", theirs ? theirs : "another team",
			  mine ? mine : "another team");
	free(who);
	free(theirs);
	free(mine);
	return rc;
}

static int membership_rule(const struct directory *dir, const struct card *card,
			   size_t index, struct problem_list *problems)
{
	const char *id = card_text(card, FIELD_HOLDER_ID);
	const struct member *m = id ? directory_member(dir, id) : NULL;
	char *who, *status;
	int rc;

	if (!m)
		return 0; /* an unknown id is said by the resolver */
	if (!m->status || strcmp(m->status, "active") == 0)
		return manager_rule(dir, card, index, m, problems);
	who = member_name(m, id);
	status = text_sanitize(m->status);
	rc = problems_add(problems, SEVERITY_ERROR, index, card->row, "holder_id",
			  "%s's membership is %s%s: Qonto creates cards only for "
			  "active members",
			  who ? who : "the holder", status ? status : "not active",
			  strcmp(m->status, "invited") == 0
				  ? " (the invitation is not accepted yet)"
				  : "");
	free(who);
	free(status);
	return rc;
}

static int account_rule(const struct directory *dir, const struct card *card,
			size_t index, struct problem_list *problems)
{
	const char *id = card_text(card, FIELD_BANK_ACCOUNT_ID);
	char *name, *status;
	int rc;

	for (size_t i = 0; id && i < dir->n_accounts; i++) {
		const struct bank_account *a = &dir->accounts[i];

		if (strcmp(a->id, id) != 0 || !a->status ||
		    strcmp(a->status, "active") == 0)
			continue;
		name = text_sanitize(or_text(a->name, a->id));
		status = text_sanitize(a->status);
		rc = problems_add(problems, SEVERITY_ERROR, index, card->row,
				  "bank_account_id",
				  "the bank account \"%s\" is %s: cards draw on an "
				  "active account",
				  name ? name : "", status ? status : "");
		free(name);
		free(status);
		return rc;
	}
	return 0;
}

int preflight_rules_card(const struct directory *dir, const struct card *card,
			 size_t index, struct problem_list *problems)
{
	if (!dir)
		return 0;
	if (membership_rule(dir, card, index, problems) < 0)
		return -1;
	return account_rule(dir, card, index, problems);
}

/* ---- the summary, card by card ---- */

struct preflight *preflight_new(void)
{
	return calloc(1, sizeof(struct preflight));
}

static void keyed_free(struct keyed *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(k[i].key);
	free(k);
}

void preflight_free(struct preflight *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_holders; i++)
		free(p->holders[i]);
	free(p->holders);
	free(p->cards);
	keyed_free(p->teams, p->n_teams);
	keyed_free(p->accounts, p->n_accounts);
	keyed_free(p->addresses, p->n_addresses);
	free(p->holder_index.slot);
	free(p->address_index.slot);
	free(p);
}

size_t preflight_cards(const struct preflight *p)
{
	return p->n;
}

static bool grow(void **items, size_t *cap, size_t need, size_t size)
{
	size_t cap2;
	void *grown;

	if (need <= *cap)
		return true;
	cap2 = *cap ? *cap * 2 : 16;
	while (cap2 < need)
		cap2 *= 2;
	grown = realloc(*items, cap2 * size);
	if (!grown)
		return false;
	*items = grown;
	*cap = cap2;
	return true;
}

/* ---- an index of strings: a hash of positions in a caller's array ---- */

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot of key in x (position + 1 there, 0 when free); keys[] are the
 * strings the positions point at. */
static size_t *index_slot(const struct text_index *x, char *const *keys, size_t stride,
			  const char *key)
{
	size_t mask = x->cap - 1, at = (size_t)hash_text(key) & mask;

	while (x->slot[at] &&
	       strcmp(*(char *const *)((const char *)keys + (x->slot[at] - 1) * stride),
		      key) != 0)
		at = (at + 1) & mask;
	return &x->slot[at];
}

/* Room for one more position (at most half full); false: memory. */
static bool index_room(struct text_index *x, char *const *keys, size_t stride)
{
	struct text_index bigger;

	if ((x->n + 1) * 2 <= x->cap)
		return true;
	bigger.cap = x->cap ? x->cap * 2 : 64;
	bigger.n = x->n;
	bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot));
	if (!bigger.slot)
		return false;
	for (size_t i = 0; i < x->cap; i++)
		if (x->slot[i])
			*index_slot(&bigger, keys, stride,
				    *(char *const *)((const char *)keys +
						     (x->slot[i] - 1) * stride)) = x->slot[i];
	free(x->slot);
	*x = bigger;
	return true;
}

/* The kept copy of id (added when new). */
static const char *intern(struct preflight *p, const char *id)
{
	size_t *slot;
	char *copy;

	if (!index_room(&p->holder_index, p->holders, sizeof(*p->holders)))
		return NULL;
	slot = index_slot(&p->holder_index, p->holders, sizeof(*p->holders), id);
	if (*slot)
		return p->holders[*slot - 1];
	if (!grow((void **)&p->holders, &p->cap_holders, p->n_holders + 1,
		  sizeof(*p->holders)) ||
	    !(copy = strdup(id)))
		return NULL;
	p->holders[p->n_holders++] = copy;
	*slot = p->n_holders;
	p->holder_index.n++;
	p->holders_sorted = false;
	return copy;
}

/* The entry of key (NULL is a key of its own) in a small list, made when
 * new; NULL on memory exhaustion. */
static struct tally *keyed_get(struct keyed **list, size_t *n, const char *key)
{
	struct keyed *grown;

	for (size_t i = 0; i < *n; i++)
		if ((!key && !(*list)[i].key) ||
		    (key && (*list)[i].key && strcmp((*list)[i].key, key) == 0))
			return &(*list)[i].t;
	grown = realloc(*list, (*n + 1) * sizeof(**list));
	if (!grown)
		return NULL;
	*list = grown;
	memset(&grown[*n], 0, sizeof(grown[*n]));
	if (key && !(grown[*n].key = strdup(key)))
		return NULL;
	return &grown[(*n)++].t;
}

static void count(struct tally *t, const struct card *card)
{
	t->cards++;
	if (card_has(card, FIELD_PAYMENT_MONTHLY_LIMIT))
		t->pay += card_euros(card, FIELD_PAYMENT_MONTHLY_LIMIT);
	if (card_has(card, FIELD_ATM_MONTHLY_LIMIT))
		t->atm += card_euros(card, FIELD_ATM_MONTHLY_LIMIT);
	if (card_has(card, FIELD_PAYMENT_LIFESPAN_LIMIT))
		t->flash += card_euros(card, FIELD_PAYMENT_LIFESPAN_LIMIT);
}

/* "12 rue X, 75005 Paris, FR", or "the business's address". */
static void address_key(const struct card *c, char *buf, size_t cap)
{
	if (!card_has(c, FIELD_SHIP_TO_BUSINESS) || card_bool(c, FIELD_SHIP_TO_BUSINESS)) {
		snprintf(buf, cap, "the business's address");
		return;
	}
	snprintf(buf, cap, "%s, %s %s, %s", or_text(card_text(c, FIELD_FIRST_LINE), "?"),
		 or_text(card_text(c, FIELD_ZIPCODE), ""),
		 or_text(card_text(c, FIELD_CITY), ""),
		 or_text(card_text(c, FIELD_COUNTRY), ""));
}

/* The addresses' keys, as the index reads them (NULL before the first). */
static char *const *address_keys(const struct preflight *p)
{
	return p->addresses ? &p->addresses[0].key : NULL;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct keyed_ref *)a)->k->key,
		      ((const struct keyed_ref *)b)->k->key);
}

struct keyed_ref *preflight_sorted_addresses(const struct preflight *p)
{
	struct keyed_ref *sorted = malloc((p->n_addresses ? p->n_addresses : 1) *
					  sizeof(*sorted));

	if (!sorted)
		return NULL;
	for (size_t i = 0; i < p->n_addresses; i++)
		sorted[i].k = &p->addresses[i];
	qsort(sorted, p->n_addresses, sizeof(*sorted), by_key);
	return sorted;
}

/* Each holder's own address may differ: found through an index. */
static int count_address(struct preflight *p, const struct card *card)
{
	size_t *slot;
	char buf[400];
	struct keyed *k;

	if (!card_has(card, FIELD_CARD_LEVEL) || !level_is_physical(card->level))
		return 0;
	address_key(card, buf, sizeof(buf));
	p->physical++;
	if (!index_room(&p->address_index, address_keys(p), sizeof(*p->addresses)))
		return -1;
	slot = index_slot(&p->address_index, address_keys(p), sizeof(*p->addresses), buf);
	if (*slot) {
		p->addresses[*slot - 1].t.cards++;
		return 0;
	}
	if (!grow((void **)&p->addresses, &p->cap_addresses, p->n_addresses + 1,
		  sizeof(*p->addresses)))
		return -1;
	k = &p->addresses[p->n_addresses];
	memset(k, 0, sizeof(*k));
	if (!(k->key = strdup(buf)))
		return -1;
	k->t.cards = 1;
	*slot = ++p->n_addresses;
	p->address_index.n++;
	return 0;
}

int preflight_add(struct preflight *p, const struct directory *dir,
		  const struct card *card, size_t index)
{
	const char *holder = card_text(card, FIELD_HOLDER_ID);
	const struct member *m = holder && dir ? directory_member(dir, holder) : NULL;
	struct tally *team, *account;
	struct seen_card *s;

	if (!grow((void **)&p->cards, &p->cap, p->n + 1, sizeof(*p->cards)))
		return -1;
	s = &p->cards[p->n];
	memset(s, 0, sizeof(*s));
	s->has_level = card_has(card, FIELD_CARD_LEVEL);
	s->level = card->level;
	s->row = card->row;
	s->index = index;
	/* a holder id that is no UUID is an error of its own, and is never
	 * put in a URL */
	if (holder && value_uuid_valid(holder) && !(s->holder = intern(p, holder)))
		return -1;
	p->n++;
	count(&p->all, card);
	if (s->has_level)
		count(&p->level[card->level], card);
	team = keyed_get(&p->teams, &p->n_teams, m ? m->team_id : NULL);
	account = keyed_get(&p->accounts, &p->n_accounts,
			    card_text(card, FIELD_BANK_ACCOUNT_ID));
	if (!team || !account)
		return -1;
	count(team, card);
	count(account, card);
	return count_address(p, card);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *const *preflight_holders(struct preflight *p, size_t *n)
{
	/* sorted once asked for: the cards keep pointers to the strings,
	 * and the index is made again below */
	if (!p->holders_sorted && p->n_holders) {
		qsort(p->holders, p->n_holders, sizeof(*p->holders), by_text);
		memset(p->holder_index.slot, 0, p->holder_index.cap * sizeof(*p->holder_index.slot));
		for (size_t i = 0; i < p->n_holders; i++)
			*index_slot(&p->holder_index, p->holders, sizeof(*p->holders),
				    p->holders[i]) = i + 1;
		p->holders_sorted = true;
	}
	*n = p->n_holders;
	return p->holders;
}

/* ---- the holders' cards ---- */

/* A held card, for sorting by holder. */
struct held_ref {
	const struct held_card *card;
};

static int by_holder(const void *a, const void *b)
{
	const struct held_card *x = ((const struct held_ref *)a)->card;
	const struct held_card *y = ((const struct held_ref *)b)->card;

	int c = strcmp(x->holder_id, y->holder_id);

	/* ties in Qonto's order (newest first): qsort is not stable */
	return c ? c : (x > y) - (x < y);
}

/* "2025-03-14" of "2025-03-14T10:02:11.000Z", sanitised. */
static void date_of(const char *created, char *buf, size_t cap)
{
	char *safe = text_sanitize(or_text(created, "an unknown date"));

	snprintf(buf, cap, "%.10s", safe ? safe : "?");
	free(safe);
}

static int warn_held(const struct directory *dir, const struct seen_card *s,
		     const struct held_card *h, struct problem_list *problems)
{
	char *who = member_name(directory_member(dir, s->holder), s->holder);
	char *digits = text_sanitize(or_text(h->last_digits, "????"));
	char *status = text_sanitize(or_text(h->status, "?"));
	char date[16];
	int rc;

	date_of(h->created_at, date, sizeof(date));
	rc = problems_add(problems, SEVERITY_WARNING, s->index, s->row, "card_level",
			  "%s already has a %s card: ••%s, %s, created %s; is "
			  "another one meant?",
			  who ? who : "the holder", level_name((enum card_level)s->level),
			  digits ? digits : "", status ? status : "", date);
	free(who);
	free(digits);
	free(status);
	return rc;
}

int preflight_held(const struct preflight *p, const struct directory *dir,
		   struct problem_list *problems)
{
	struct held_ref *sorted;
	int rc = 0;

	if (dir->n_held == 0)
		return 0;
	sorted = malloc(dir->n_held * sizeof(*sorted));
	if (!sorted)
		return -1;
	for (size_t i = 0; i < dir->n_held; i++)
		sorted[i].card = &dir->held[i];
	qsort(sorted, dir->n_held, sizeof(*sorted), by_holder);
	for (size_t i = 0; rc == 0 && i < p->n; i++) {
		const struct seen_card *s = &p->cards[i];
		const struct held_ref *at;
		size_t lo = 0, hi = dir->n_held, mid;

		if (!s->holder || !s->has_level)
			continue;
		while (lo < hi) { /* the first of the holder's cards */
			mid = lo + (hi - lo) / 2;
			if (strcmp(sorted[mid].card->holder_id, s->holder) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		at = sorted + lo;
		/* the first card of the level: the newest are listed first */
		for (; at < sorted + dir->n_held && strcmp(at->card->holder_id, s->holder) == 0;
		     at++)
			if (at->card->level &&
			    strcmp(at->card->level, level_name((enum card_level)s->level)) == 0) {
				rc = warn_held(dir, s, at->card, problems);
				break;
			}
	}
	free(sorted);
	return rc;
}

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

/* indent 4 under "by level" and "by team", 2 for "in all" */
static void tally_line(struct out *o, int indent, const char *label,
		       const struct tally *t)
{
	char cell[120];

	line(o, PREFLIGHT_TEXT, "%*s%s %5zu %13" PRId64 " %10" PRId64 " %13" PRId64,
	     indent, "", text_pad(label, (size_t)(30 - indent), cell, sizeof(cell)), t->cards,
	     t->pay, t->atm, t->flash);
}

static void exposure(const struct preflight *p, const struct directory *dir,
		     struct out *o)
{
	char *label;

	line(o, PREFLIGHT_TITLE, "What the cards may spend (Qonto counts limits over a "
				 "rolling 30 days)");
	line(o, PREFLIGHT_DIM, "  %-28s %5s %13s %10s %13s", "by level", "cards",
	     "payments/30d", "cash/30d", "flash budgets");
	for (int l = 0; l < LEVEL_COUNT; l++)
		if (p->level[l].cards)
			tally_line(o, 4, level_name((enum card_level)l), &p->level[l]);
	if (dir)
		line(o, PREFLIGHT_DIM, "  by team");
	for (size_t i = 0; dir && i < p->n_teams; i++) {
		label = team_label(dir, p->teams[i].key);
		tally_line(o, 4, label ? label : "team ?", &p->teams[i].t);
		free(label);
	}
	tally_line(o, 2, "in all", &p->all);
}

const struct bank_account *preflight_account(const struct directory *dir,
					      const char *id)
{
	for (size_t i = 0; dir && id && i < dir->n_accounts; i++)
		if (strcmp(dir->accounts[i].id, id) == 0)
			return &dir->accounts[i];
	return NULL;
}

static void accounts(const struct preflight *p, const struct directory *dir,
		     struct out *o)
{
	char balance[80];

	line(o, PREFLIGHT_TITLE, "Bank accounts");
	for (size_t i = 0; i < p->n_accounts; i++) {
		const struct tally *t = &p->accounts[i].t;
		const struct bank_account *a = preflight_account(dir, p->accounts[i].key);
		char *name = text_sanitize(a ? or_text(a->name, a->id)
					     : or_text(p->accounts[i].key, "(no account)"));
		char *status = text_sanitize(a ? or_text(a->status, "status unknown")
					       : "not read");
		char *currency = text_sanitize(a ? or_text(a->currency, "EUR") : "EUR");

		if (a && a->has_balance)
			snprintf(balance, sizeof(balance), "balance %s%lld.%02lld %.8s",
				 a->balance_cents < 0 ? "-" : "",
				 llabs(a->balance_cents) / 100, llabs(a->balance_cents) % 100,
				 currency ? currency : "");
		else
			snprintf(balance, sizeof(balance), "balance not known");
		line(o, PREFLIGHT_TEXT, "  %s: %s, %s", name ? name : "?",
		     status ? status : "?", balance);
		line(o, PREFLIGHT_TEXT, "    its %zu card(s): %" PRId64 " EUR of payments, %" PRId64
					" EUR of cash per 30 days",
		     t->cards, t->pay, t->atm);
		if (t->flash)
			line(o, PREFLIGHT_TEXT, "    and %" PRId64 " EUR of flash budgets",
			     t->flash);
		free(name);
		free(status);
		free(currency);
	}
}

static void money(char *buf, size_t cap, int64_t cents)
{
	snprintf(buf, cap, "%" PRId64 ".%02" PRId64 " EUR", cents / 100, cents % 100);
}

static void fees_lines(const struct preflight *p, const struct fee_table *fees,
		       struct out *o)
{
	int64_t once = 0, monthly = 0;
	char a[40], b[40], cell[64];

	line(o, PREFLIGHT_TITLE, "Card fees (an estimate from Qonto's published prices%s%s)",
	     fees->date[0] ? ", " : "", fees->date);
	for (int l = 0; l < LEVEL_COUNT; l++) {
		const struct fee *f = &fees->levels[l];
		size_t n = p->level[l].cards;

		if (!n)
			continue;
		if (!f->known) {
			line(o, PREFLIGHT_TEXT, "  %s %5zu  not in the fee table",
			     text_pad(level_name((enum card_level)l), 16, cell, sizeof(cell)), n);
			continue;
		}
		once += f->once_cents * (int64_t)n;
		monthly += f->monthly_cents * (int64_t)n;
		money(a, sizeof(a), f->once_cents * (int64_t)n);
		money(b, sizeof(b), f->monthly_cents * (int64_t)n);
		line(o, PREFLIGHT_TEXT, "  %s %5zu  %14s once  %14s a month",
		     text_pad(level_name((enum card_level)l), 16, cell, sizeof(cell)), n, a, b);
		if (f->note[0])
			line(o, PREFLIGHT_DIM, "      %s", f->note);
	}
	money(a, sizeof(a), once);
	money(b, sizeof(b), monthly);
	line(o, PREFLIGHT_TEXT, "  in all: %s once, then up to %s a month", a, b);
	/* the built-in table's source; a file's, with its path */
	if (fees->source[0] && strcmp(fees->from, "built in") == 0)
		line(o, PREFLIGHT_DIM, "  source: %s", fees->source);
	else if (fees->source[0])
		line(o, PREFLIGHT_DIM, "  source: %s (%s)", fees->source, fees->from);
}

void preflight_summary(const struct preflight *p, const struct directory *dir,
		       const struct fee_table *fees, preflight_line_fn emit,
		       void *user)
{
	struct out o = { emit, user };
	size_t requests = payload_request_count(p->n);
	char *org = text_sanitize(dir ? or_text(dir->organization_name, "") : "");
	char *who = text_sanitize(dir ? or_text(dir->initiator_name, "") : "");
	char *role = dir && dir->caller_role ? text_sanitize(dir->caller_role) : NULL;
	struct keyed_ref *addresses;

	line(&o, PREFLIGHT_TITLE, "The order");
	line(&o, PREFLIGHT_TEXT, "  %zu card(s) for %s", p->n,
	     org && *org ? org : "(organisation from Qonto)");
	if (who && *who)
		line(&o, PREFLIGHT_TEXT, "  ordered by %s%s%s%s", who, role ? " (" : "",
		     role ? role : "", role ? ")" : "");
	free(org);
	free(who);
	free(role);
	exposure(p, dir, &o);
	if (dir)
		accounts(p, dir, &o);
	if (fees)
		fees_lines(p, fees, &o);
	line(&o, PREFLIGHT_TITLE, "What you will be asked");
	line(&o, PREFLIGHT_TEXT, "  %zu request(s) of at most %d cards; %zu approval(s) in "
				 "the Qonto app",
	     requests, PAYLOAD_MAX_CARDS, requests);
	line(&o, PREFLIGHT_TEXT, "  Physical cards by shipping address:");
	addresses = preflight_sorted_addresses(p);
	for (size_t i = 0; addresses && i < p->n_addresses; i++) {
		char *safe = text_sanitize(addresses[i].k->key);

		line(&o, PREFLIGHT_TEXT, "    %zu to %s", addresses[i].k->t.cards,
		     safe ? safe : "?");
		free(safe);
	}
	free(addresses);
	if (!p->physical)
		line(&o, PREFLIGHT_DIM, "    (no physical card)");
}
