/* preflight.c: the check of an order against Qonto's state, and what it
 * commits (see preflight.h). */
#include "config.h"

#include "preflight.h"
#include "i18n.h"
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

const char *preflight_or_text(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

int preflight_rules_caller(const struct directory *dir,
			   struct problem_list *problems)
{
	const char *role = dir ? dir->caller_role : NULL;

	if (!role || (strcmp(role, "employee") != 0 && strcmp(role, "reporting") != 0))
		return 0;
	if (strcmp(role, "reporting") == 0)
		return problems_add(problems, SEVERITY_ERROR, PROBLEM_NO_CARD, 0, "",
				    "your Qonto role is reporting (accountant): only an "
				    "owner, an admin or a manager (for their own team) "
				    "can order cards for others; ask one of them to send "
				    "this order");
	return problems_add(problems, SEVERITY_ERROR, PROBLEM_NO_CARD, 0, "",
			    "your Qonto role is employee: only an owner, an admin "
			    "or a manager (for their own team) can order cards for "
			    "others; ask one of them to send this order");
}

/* "Ngozi Dubois" (owned, sanitised), or the id. */
static char *member_name(const struct member *m, const char *id)
{
	char *name = NULL, *safe;

	if (!m || asprintf(&name, "%s %s", preflight_or_text(m->first_name, ""),
			   preflight_or_text(m->last_name, "")) < 0)
		name = NULL;
	safe = text_sanitize(name && name[1] ? name : id);
	free(name);
	return safe;
}

/* "Marketing" or "3994693e-..." (owned, sanitised); NULL: no team, or
 * memory. */
static char *team_name(const struct directory *dir, const char *team_id)
{
	const char *name = team_id ? directory_team_name(dir, team_id) : NULL;

	return team_id ? text_sanitize(name ? name : team_id) : NULL;
}

/* "team Marketing", "team 3994693e-..." or "no team", as the summary
 * shows it (owned, sanitised). */
char *preflight_team_label(const struct directory *dir, const char *team_id)
{
	char *name = team_name(dir, team_id), *label = NULL;

	if (!team_id)
		return strdup(_("no team"));
	/* TRANSLATORS: a row of the summary; %s is a team's name. */
	if (asprintf(&label, _("team %s"), name ? name : "?") < 0)
		label = NULL;
	free(name);
	return label;
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
	theirs = team_name(dir, m->team_id);
	mine = team_name(dir, dir->caller_team_id);
	/* one sentence for each side with or without a team */
	if (m->team_id && dir->caller_team_id)
		rc = problems_add(problems, SEVERITY_ERROR, index, card->row, "holder_id",
				  "%s is in team %s, and you manage team %s: a manager "
				  "orders cards only for the members of their own team",
				  who ? who : "", theirs ? theirs : "", mine ? mine : "");
	else if (m->team_id)
		rc = problems_add(problems, SEVERITY_ERROR, index, card->row, "holder_id",
				  "%s is in team %s, and you manage no team: a manager "
				  "orders cards only for the members of their own team",
				  who ? who : "", theirs ? theirs : "");
	else if (dir->caller_team_id)
		rc = problems_add(problems, SEVERITY_ERROR, index, card->row, "holder_id",
				  "%s is in no team, and you manage team %s: a manager "
				  "orders cards only for the members of their own team",
				  who ? who : "", mine ? mine : "");
	else
		rc = problems_add(problems, SEVERITY_ERROR, index, card->row, "holder_id",
				  "%s is in no team, and you manage no team: a manager "
				  "orders cards only for the members of their own team",
				  who ? who : "");
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
	if (strcmp(m->status, "invited") == 0)
		rc = problems_add(problems, SEVERITY_ERROR, index, card->row, "holder_id",
				  /* TRANSLATORS: a person's name, then the status of
				     their membership as the Qonto API writes it. */
				  "%s's membership is %s (the invitation is not accepted "
				  "yet): Qonto creates cards only for active members",
				  who ? who : "", status ? status : "");
	else
		rc = problems_add(problems, SEVERITY_ERROR, index, card->row, "holder_id",
				  /* TRANSLATORS: a person's name, then the status of
				     their membership as the Qonto API writes it (such
				     as "revoked"). */
				  "%s's membership is %s: Qonto creates cards only for "
				  "active members",
				  who ? who : "", status ? status : "");
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
		name = text_sanitize(preflight_or_text(a->name, a->id));
		status = text_sanitize(a->status);
		rc = problems_add(problems, SEVERITY_ERROR, index, card->row,
				  "bank_account_id",
				  /* TRANSLATORS: the account's name, then its status
				     as the Qonto API writes it (such as "closed"). */
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
		snprintf(buf, cap, "%s", BUSINESS_ADDRESS);
		return;
	}
	snprintf(buf, cap, "%s, %s %s, %s", preflight_or_text(card_text(c, FIELD_FIRST_LINE), "?"),
		 preflight_or_text(card_text(c, FIELD_ZIPCODE), ""),
		 preflight_or_text(card_text(c, FIELD_CITY), ""),
		 preflight_or_text(card_text(c, FIELD_COUNTRY), ""));
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

/* "2025-03-14" of "2025-03-14T10:02:11.000Z", sanitised ("" when there
 * is none). The date stays ISO: the message is kept in English too. */
static void date_of(const char *created, char *buf, size_t cap)
{
	char *safe = text_sanitize(preflight_or_text(created, ""));

	snprintf(buf, cap, "%.10s", safe ? safe : "?");
	free(safe);
}

static int warn_held(const struct directory *dir, const struct seen_card *s,
		     const struct held_card *h, struct problem_list *problems)
{
	char *who = member_name(directory_member(dir, s->holder), s->holder);
	char *digits = text_sanitize(preflight_or_text(h->last_digits, "????"));
	char *status = text_sanitize(preflight_or_text(h->status, "?"));
	char date[16];
	int rc;

	date_of(h->created_at, date, sizeof(date));
	if (date[0])
		rc = problems_add(problems, SEVERITY_WARNING, s->index, s->row, "card_level",
				  /* TRANSLATORS: a person's name, a card level
				     (standard, plus...), the card's last digits, its
				     status as the Qonto API writes it (live,
				     pending, paused) and the date it was created
				     (2025-03-14). */
				  "%s already has a %s card: ••%s, %s, created %s; is "
				  "another one meant?",
				  who ? who : "", level_name((enum card_level)s->level),
				  digits ? digits : "", status ? status : "", date);
	else
		rc = problems_add(problems, SEVERITY_WARNING, s->index, s->row, "card_level",
				  /* TRANSLATORS: as "%s already has a %s card...",
				     when Qonto gives no creation date: say that
				     the date is not known. */
				  "%s already has a %s card: ••%s, %s, with no "
				  "creation date; is another one meant?",
				  who ? who : "", level_name((enum card_level)s->level),
				  digits ? digits : "", status ? status : "");
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
