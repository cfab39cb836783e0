/* validate.c: the rules of qonto-api.md over the order model. */
#include "config.h"

#include "validate.h"
#include "catalog.h"
#include "i18n.h"
#include "text.h"
#include "values.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vctx {
	const struct card *card;
	size_t index;
	const struct validate_options *opts;
	struct problem_list *problems;
	enum card_level level;
	bool has_level;
	int rc;
};

static const char *field_key(enum field_id id)
{
	return id == FIELD_NONE ? "" : field_get(id)->name;
}

static void added(struct vctx *v, int rc)
{
	if (rc < 0)
		v->rc = -1;
}

/* A problem at one field of the card. The format is English, marked with
 * N_(): problems_add translates it and keeps the English too. */
#define ADD(v, sev, id, ...)                                                   \
	added(v, problems_add((v)->problems, sev, (v)->index, (v)->card->row,  \
			      field_key(id), __VA_ARGS__))
#define ERR(v, id, ...) ADD(v, SEVERITY_ERROR, id, __VA_ARGS__)
#define WARN(v, id, ...) ADD(v, SEVERITY_WARNING, id, __VA_ARGS__)

static bool has(const struct vctx *v, enum field_id id)
{
	return card_has(v->card, id);
}

static int64_t euros(const struct vctx *v, enum field_id id)
{
	return card_euros(v->card, id);
}

/* A value that will be sent: set, and its switch (if any) not off. */
static bool sent(const struct vctx *v, enum field_id id)
{
	return has(v, id) && !card_value_switched_off(v->card, id);
}

static const char *level_label(enum card_level level)
{
	return level_name(level);
}

/* holder_id, organization_id, bank_account_id: an id, or a name (holder,
 * bank_account) to be resolved through the API. */
static void check_id(struct vctx *v, enum field_id id, enum field_id name)
{
	bool from_api = v->opts->ids_from_api;
	bool holder = id == FIELD_HOLDER_ID;

	if (has(v, id)) {
		if (!value_uuid_valid(card_text(v->card, id)))
			ERR(v, id, N_("is not a Qonto id (a UUID such as "
				      "3c90c3cc-0d44-4b50-8888-8dd25736052a)"));
		/* an id looked up from the name is not a second value */
		if (name != FIELD_NONE && has(v, name) &&
		    !(v->card->resolved & FIELD_BIT(id)))
			WARN(v, name, N_("both %s and %s are given; %s is used"),
			     field_get(id)->name, field_get(name)->name,
			     field_get(id)->name);
		return;
	}
	if (v->card->invalid & FIELD_BIT(id))
		return; /* the reader said what is wrong with it */
	if (name != FIELD_NONE && has(v, name)) {
		if (from_api && holder)
			WARN(v, name, N_("\"%s\" will be looked up among your "
					 "organisation's members when sending"),
			     card_text(v->card, name));
		else if (from_api)
			WARN(v, name, N_("\"%s\" will be looked up among your "
					 "organisation's bank accounts when sending"),
			     card_text(v->card, name));
		else if (holder)
			/* TRANSLATORS: %s is an API field name (holder_id). */
			ERR(v, name, N_("a member given by name needs the network to "
					"be looked up; give %s instead"),
			    field_get(id)->name);
		else
			/* TRANSLATORS: %s is an API field name (bank_account_id). */
			ERR(v, name, N_("a bank account given by name needs the network "
					"to be looked up; give %s instead"),
			    field_get(id)->name);
		return;
	}
	if (id == FIELD_ORGANIZATION_ID && from_api)
		return; /* filled in from GET /v2/organization */
	if (id == FIELD_ORGANIZATION_ID)
		ERR(v, id, N_("is required (or use submit, which takes it from "
			      "your Qonto account)"));
	else
		ERR(v, id, N_("is required"));
}

static void check_required(struct vctx *v)
{
	check_id(v, FIELD_HOLDER_ID, FIELD_HOLDER);
	check_id(v, FIELD_ORGANIZATION_ID, FIELD_NONE);
	check_id(v, FIELD_BANK_ACCOUNT_ID, FIELD_BANK_ACCOUNT);
	if (has(v, FIELD_INITIATOR_ID) &&
	    !value_uuid_valid(card_text(v->card, FIELD_INITIATOR_ID)))
		ERR(v, FIELD_INITIATOR_ID, N_("is not a Qonto id (a UUID)"));
	if (!v->has_level) {
		if (v->card->invalid & FIELD_BIT(FIELD_CARD_LEVEL))
			return; /* the reader said what is wrong with it */
		ERR(v, FIELD_CARD_LEVEL, N_("is required: standard, plus, metal, "
					    "virtual, virtual_partner, flash or "
					    "advertising"));
		return;
	}
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field_info *f = field_get((enum field_id)id);

		if (f->kind == KIND_UUID || (f->flags & FF_LOCAL) ||
		    !field_required(f->id, v->level) || has(v, f->id) ||
		    (v->card->invalid & FIELD_BIT(f->id)))
			continue;
		ERR(v, f->id, N_("is required for %s cards"), level_label(v->level));
	}
}

/* Fields that do not apply to the card's level. */
static void check_applies(struct vctx *v)
{
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field_info *f = field_get((enum field_id)id);

		if (!has(v, f->id) || field_applies(f->id, v->level))
			continue;
		if (f->flags & FF_SOFT_LEVEL)
			WARN(v, f->id, N_("does not apply to %s cards; Qonto may "
					  "refuse or ignore it"),
			     level_label(v->level));
		else
			ERR(v, f->id, N_("does not apply to %s cards; remove it"),
			    level_label(v->level));
	}
}

static void check_switches(struct vctx *v)
{
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field_info *f = field_get((enum field_id)id);

		if (f->option == FIELD_NONE || !field_applies(f->id, v->level))
			continue;
		if (has(v, f->option) && card_bool(v->card, f->option) &&
		    !has(v, f->id))
			ERR(v, f->id, N_("%s is on, so a %s is needed"),
			    field_get(f->option)->name, f->name);
		else if (card_value_switched_off(v->card, f->id))
			WARN(v, f->id, N_("%s is off, so this limit is not sent"),
			     field_get(f->option)->name);
		else if (has(v, f->id) && !has(v, f->option))
			WARN(v, f->id, N_("is set but %s is not; Qonto may ignore "
					  "the limit unless %s is true"),
			     field_get(f->option)->name,
			     field_get(f->option)->name);
	}
}

static void check_amounts(struct vctx *v)
{
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field_info *f = field_get((enum field_id)id);

		if (f->kind == KIND_EUROS && has(v, f->id) &&
		    euros(v, f->id) < 0)
			ERR(v, f->id, N_("cannot be negative (%lld)"),
			    (long long)euros(v, f->id));
	}
}

/* lower must not exceed upper when both are sent. */
static void check_within(struct vctx *v, enum field_id lower,
			 enum field_id upper)
{
	if (!sent(v, lower) || !sent(v, upper) ||
	    euros(v, lower) <= euros(v, upper))
		return;
	ERR(v, lower, N_("%lld EUR is above the %s of %lld EUR"),
	    (long long)euros(v, lower), field_get(upper)->name,
	    (long long)euros(v, upper));
}

static void check_limits(struct vctx *v)
{
	check_amounts(v);
	if (!field_applies(FIELD_PAYMENT_MONTHLY_LIMIT, v->level) &&
	    !field_applies(FIELD_ATM_MONTHLY_LIMIT, v->level))
		return;
	check_within(v, FIELD_PAYMENT_DAILY_LIMIT, FIELD_PAYMENT_MONTHLY_LIMIT);
	check_within(v, FIELD_PAYMENT_TRANSACTION_LIMIT, FIELD_PAYMENT_DAILY_LIMIT);
	check_within(v, FIELD_PAYMENT_TRANSACTION_LIMIT,
		     FIELD_PAYMENT_MONTHLY_LIMIT);
	check_within(v, FIELD_ATM_DAILY_LIMIT, FIELD_ATM_MONTHLY_LIMIT);
	if ((v->level == LEVEL_VIRTUAL || v->level == LEVEL_VIRTUAL_PARTNER) &&
	    has(v, FIELD_PAYMENT_MONTHLY_LIMIT) &&
	    euros(v, FIELD_PAYMENT_MONTHLY_LIMIT) > VALIDATE_VIRTUAL_MONTHLY_MAX)
		ERR(v, FIELD_PAYMENT_MONTHLY_LIMIT,
		    N_("%lld EUR is above the %d EUR a virtual card allows"),
		    (long long)euros(v, FIELD_PAYMENT_MONTHLY_LIMIT),
		    VALIDATE_VIRTUAL_MONTHLY_MAX);
	if (has(v, FIELD_ATM_MONTHLY_LIMIT) && has(v, FIELD_ATM_OPTION) &&
	    !card_bool(v->card, FIELD_ATM_OPTION))
		WARN(v, FIELD_ATM_MONTHLY_LIMIT,
		     N_("atm_option is off, so the card cannot withdraw cash "
			"whatever this limit says"));
}

static void check_flash(struct vctx *v)
{
	time_t when;
	int64_t budget;

	if (v->level != LEVEL_FLASH)
		return;
	budget = euros(v, FIELD_PAYMENT_LIFESPAN_LIMIT);
	if (has(v, FIELD_PAYMENT_LIFESPAN_LIMIT) &&
	    (budget < VALIDATE_FLASH_MIN || budget > VALIDATE_FLASH_MAX))
		ERR(v, FIELD_PAYMENT_LIFESPAN_LIMIT,
		    N_("a flash card's budget is %d to %d EUR, not %lld"),
		    VALIDATE_FLASH_MIN, VALIDATE_FLASH_MAX, (long long)budget);
	if (!has(v, FIELD_PRE_EXPIRES_AT))
		return;
	if (!value_parse_datetime(card_text(v->card, FIELD_PRE_EXPIRES_AT), &when))
		ERR(v, FIELD_PRE_EXPIRES_AT,
		    N_("is not an ISO 8601 date and time such as "
		       "2027-03-31T23:59:59Z"));
	else if (when <= v->opts->now)
		ERR(v, FIELD_PRE_EXPIRES_AT, N_("is in the past; a flash card "
						"must expire in the future"));
}

static void check_days(struct vctx *v)
{
	const struct card *c = v->card;
	unsigned seen = 0;

	if (!has(v, FIELD_ACTIVE_DAYS))
		return;
	if (c->n_days == 0) {
		ERR(v, FIELD_ACTIVE_DAYS, N_("is empty, so the card could never "
					     "be used; leave it out for every day"));
		return;
	}
	for (int i = 0; i < c->n_days; i++) {
		if (c->days[i] < 1 || c->days[i] > 7) {
			ERR(v, FIELD_ACTIVE_DAYS, N_("%d is not a day: days are 1 "
						     "(Monday) to 7 (Sunday)"),
			    c->days[i]);
			return;
		}
		if (seen & (1u << c->days[i])) {
			ERR(v, FIELD_ACTIVE_DAYS, N_("day %d is listed twice"),
			    c->days[i]);
			return;
		}
		if (i > 0 && c->days[i] < c->days[i - 1]) {
			ERR(v, FIELD_ACTIVE_DAYS, N_("days must be in order, "
						     "Monday (1) first"));
			return;
		}
		seen |= 1u << c->days[i];
	}
}

static void check_categories(struct vctx *v)
{
	const struct card *c = v->card;
	unsigned seen = 0;

	if (!has(v, FIELD_CATEGORIES))
		return;
	if (c->n_categories == 0)
		ERR(v, FIELD_CATEGORIES, N_("is empty; leave it out to allow "
					    "every category"));
	for (int i = 0; i < c->n_categories; i++) {
		if (seen & (1u << c->categories[i])) {
			ERR(v, FIELD_CATEGORIES, N_("\"%s\" is listed twice"),
			    catalog_category(c->categories[i]));
			return;
		}
		seen |= 1u << c->categories[i];
	}
}

static void check_country(struct vctx *v, const char *country)
{
	char upper[3] = { 0 };

	if (catalog_country_find(country) >= 0)
		return;
	if (strlen(country) == 2) {
		upper[0] = (char)toupper((unsigned char)country[0]);
		upper[1] = (char)toupper((unsigned char)country[1]);
	}
	if (upper[0] && catalog_country_find(upper) >= 0)
		ERR(v, FIELD_COUNTRY, N_("country codes are upper case: write \"%s\""),
		    upper);
	else
		ERR(v, FIELD_COUNTRY, N_("\"%s\" is not an ISO 3166-1 country "
					 "code such as FR, DE or ES"),
		    country);
}

/* Postcodes by country: what the country's post writes (A a letter, 9 a
 * digit, others as they are). Qonto documents no format, so a postcode
 * that differs is a warning: the card may not arrive. The warning is one
 * sentence a country: a country's name glued into it could not be
 * translated (and --json keeps the English). */
static const struct { const char *country, *forms[2], *example, *message; } postcodes[] = {
	{ "FR", { "99999" }, "75005",
	  N_("\"%s\" is not a postcode of France, which has %zu characters such as %s") },
	{ "DE", { "99999" }, "10115",
	  N_("\"%s\" is not a postcode of Germany, which has %zu characters such as %s") },
	{ "IT", { "99999" }, "00184",
	  N_("\"%s\" is not a postcode of Italy, which has %zu characters such as %s") },
	{ "ES", { "99999" }, "28013",
	  N_("\"%s\" is not a postcode of Spain, which has %zu characters such as %s") },
	{ "BE", { "9999" }, "1000",
	  N_("\"%s\" is not a postcode of Belgium, which has %zu characters such as %s") },
	{ "NL", { "9999 AA", "9999AA" }, "1012 AB",
	  N_("\"%s\" is not a postcode of the Netherlands, which has %zu characters such as %s") },
	{ "AT", { "9999" }, "1010",
	  N_("\"%s\" is not a postcode of Austria, which has %zu characters such as %s") },
	{ "LU", { "9999", "L-9999" }, "1111",
	  N_("\"%s\" is not a postcode of Luxembourg, which has %zu characters such as %s") },
	{ "CH", { "9999" }, "8001",
	  N_("\"%s\" is not a postcode of Switzerland, which has %zu characters such as %s") },
	{ "PT", { "9999-999" }, "1100-148",
	  N_("\"%s\" is not a postcode of Portugal, which has %zu characters such as %s") },
	{ "PL", { "99-999" }, "00-950",
	  N_("\"%s\" is not a postcode of Poland, which has %zu characters such as %s") },
	{ "SE", { "999 99", "99999" }, "114 55",
	  N_("\"%s\" is not a postcode of Sweden, which has %zu characters such as %s") },
	{ "DK", { "9999" }, "1050",
	  N_("\"%s\" is not a postcode of Denmark, which has %zu characters such as %s") },
	{ "FI", { "99999" }, "00100",
	  N_("\"%s\" is not a postcode of Finland, which has %zu characters such as %s") },
	{ "MC", { "98000" }, "98000",
	  N_("\"%s\" is not a postcode of Monaco, which has %zu characters such as %s") },
};

static bool postcode_is(const char *code, const char *form)
{
	for (; *form; form++, code++) {
		if (*form == '9' ? !isdigit((unsigned char)*code)
		    : *form == 'A' ? !isalpha((unsigned char)*code) : *code != *form)
			return false;
	}
	return *code == '\0';
}

/* Address lines longer than the 38 characters that European postal
 * norms print per line (AFNOR XP Z10-011 in France; Qonto documents no
 * limit): a warning, since the label may cut them. */
#define ADDRESS_LINE_MAX 38

static int utf8_chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void check_postal(struct vctx *v, const char *country)
{
	static const enum field_id lines[] = { FIELD_CONTACT_NAME, FIELD_FIRST_LINE,
					       FIELD_SECOND_LINE, FIELD_THIRD_LINE,
					       FIELD_CITY };
	const char *zip = card_text(v->card, FIELD_ZIPCODE), *t;

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		t = card_text(v->card, lines[i]);
		if (t && utf8_chars(t) > ADDRESS_LINE_MAX)
			WARN(v, lines[i], N_("is %d characters long; a postal address line "
					     "holds %d, so the label may cut it"),
			     utf8_chars(t), ADDRESS_LINE_MAX);
	}
	if (!zip || !country)
		return;
	for (size_t i = 0; i < sizeof(postcodes) / sizeof(postcodes[0]); i++) {
		if (strcmp(postcodes[i].country, country) != 0)
			continue;
		if (postcode_is(zip, postcodes[i].forms[0]) ||
		    (postcodes[i].forms[1] && postcode_is(zip, postcodes[i].forms[1])))
			return;
#pragma GCC diagnostic push /* one format a country, all "%s %zu %s" */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		WARN(v, FIELD_ZIPCODE, postcodes[i].message, zip,
		     strlen(postcodes[i].forms[0]), postcodes[i].example);
#pragma GCC diagnostic pop
		return;
	}
	if (strlen(zip) > 10)
		WARN(v, FIELD_ZIPCODE, N_("\"%s\" is longer than any country's postcode "
					  "(10 characters at most)"), zip);
}

static void check_address(struct vctx *v)
{
	static const enum field_id needed[] = { FIELD_FIRST_LINE, FIELD_ZIPCODE,
						FIELD_CITY, FIELD_COUNTRY };
	const char *country;
	bool any = false;

	if (!level_is_physical(v->level))
		return;
	for (int id = 0; id < FIELD_COUNT; id++)
		if ((field_get((enum field_id)id)->flags & FF_ADDRESS) &&
		    has(v, (enum field_id)id) && !card_is_null(v->card, (enum field_id)id))
			any = true;
	if (has(v, FIELD_SHIP_TO_BUSINESS) &&
	    !card_bool(v->card, FIELD_SHIP_TO_BUSINESS)) {
		for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
			if (!has(v, needed[i]) &&
			    !(v->card->invalid & FIELD_BIT(needed[i])))
				ERR(v, needed[i], N_("is required when the card is "
						     "not shipped to the business"));
	} else if (any && has(v, FIELD_SHIP_TO_BUSINESS)) {
		WARN(v, FIELD_SHIP_TO_BUSINESS,
		     N_("the card is shipped to the business, so the address "
			"given is not used"));
	}
	country = card_text(v->card, FIELD_COUNTRY);
	if (country)
		check_country(v, country);
	if (!has(v, FIELD_SHIP_TO_BUSINESS) || !card_bool(v->card, FIELD_SHIP_TO_BUSINESS))
		check_postal(v, country);
}

static void check_design(struct vctx *v)
{
	const char *design = card_text(v->card, FIELD_CARD_DESIGN);
	const char *print = card_text(v->card, FIELD_TYPE_OF_PRINT);
	enum card_level design_level;
	const char *offered_level = NULL;
	int state;

	if (design && v->opts->design_state) {
		/* Qonto's own list, read for this organisation */
		state = v->opts->design_state(v->opts->design_ctx, design,
					      level_name(v->level), &offered_level);
		if (state < 0)
			ERR(v, FIELD_CARD_DESIGN, N_("\"%s\" is not among the designs Qonto "
						     "offers your organisation"), design);
		else if (state == 0)
			WARN(v, FIELD_CARD_DESIGN, N_("\"%s\" is no longer offered (Qonto "
						      "lists it as inactive)"), design);
		else if (offered_level && level_parse(offered_level, &design_level) &&
			 design_level != v->level && field_applies(FIELD_CARD_DESIGN, v->level))
			WARN(v, FIELD_CARD_DESIGN, N_("\"%s\" is a %s design on a %s card"),
			     design, level_name(design_level), level_label(v->level));
	} else if (design && catalog_design_find(design) < 0)
		ERR(v, FIELD_CARD_DESIGN, N_("\"%s\" is not a known card design"),
		    design);
	else if (design && catalog_design_level(design, &design_level) &&
		 design_level != v->level &&
		 field_applies(FIELD_CARD_DESIGN, v->level))
		WARN(v, FIELD_CARD_DESIGN, N_("\"%s\" is a %s design on a %s card"),
		     design, level_name(design_level), level_label(v->level));
	if (print && strcmp(print, "print") != 0 && strcmp(print, "embossed") != 0)
		ERR(v, FIELD_TYPE_OF_PRINT, N_("must be \"print\" or \"embossed\""));
	else if (print && v->level != LEVEL_PLUS &&
		 field_applies(FIELD_TYPE_OF_PRINT, v->level))
		WARN(v, FIELD_TYPE_OF_PRINT, N_("Qonto documents the type of print "
						"for plus cards only"));
}

int validate_card(const struct card *card, size_t index,
		  const struct validate_options *opts,
		  struct problem_list *problems)
{
	struct vctx v = { .card = card, .index = index, .opts = opts,
			  .problems = problems };

	v.has_level = card_has(card, FIELD_CARD_LEVEL);
	v.level = (enum card_level)card->level;
	check_required(&v);
	if (v.has_level) {
		check_applies(&v);
		check_switches(&v);
		check_limits(&v);
		check_flash(&v);
		check_address(&v);
		check_design(&v);
	} else {
		check_amounts(&v);
	}
	check_days(&v);
	check_categories(&v);
	return v.rc;
}

/* ---- the same holder twice at one level ---- */

struct seen_slot {
	char *key;      /* "holder_id or name" US "level"; NULL: free */
	unsigned row;   /* where it came first */
};

struct validate_seen {
	struct seen_slot *slots;
	size_t cap, n;
};

struct validate_seen *validate_seen_new(void)
{
	return calloc(1, sizeof(struct validate_seen));
}

void validate_seen_free(struct validate_seen *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->slots[i].key);
	free(s->slots);
	free(s);
}

static size_t seen_hash(const char *k)
{
	size_t h = 1469598103934665603u;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211u;
	return h;
}

/* The slot of key, or the free one where it goes. */
static struct seen_slot *seen_find(struct validate_seen *s, const char *key)
{
	size_t i = seen_hash(key) & (s->cap - 1);

	while (s->slots[i].key && strcmp(s->slots[i].key, key) != 0)
		i = (i + 1) & (s->cap - 1);
	return &s->slots[i];
}

static bool seen_grow(struct validate_seen *s)
{
	struct validate_seen bigger = { .cap = s->cap ? s->cap * 2 : 64 };

	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (!bigger.slots)
		return false;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].key)
			*seen_find(&bigger, s->slots[i].key) = s->slots[i];
	free(s->slots);
	s->slots = bigger.slots;
	s->cap = bigger.cap;
	return true;
}

int validate_seen_card(struct validate_seen *s, const struct card *card, size_t index,
		       struct problem_list *problems)
{
	const char *who = card_text(card, FIELD_HOLDER_ID);
	enum field_id field = FIELD_HOLDER_ID;
	struct seen_slot *slot;
	char *key = NULL, *folded = NULL;

	if (!who || !*who) {
		who = card_text(card, FIELD_HOLDER);
		field = FIELD_HOLDER;
	}
	if (!s || !who || !*who || !card_has(card, FIELD_CARD_LEVEL))
		return 0;
	folded = field == FIELD_HOLDER ? text_fold(who) : NULL;
	if (asprintf(&key, "%s\x1f%s", folded ? folded : who,
		     level_name((enum card_level)card->level)) < 0)
		key = NULL;
	free(folded);
	if (!key || ((s->n + 1) * 2 > s->cap && !seen_grow(s))) {
		free(key);
		return -1;
	}
	slot = seen_find(s, key);
	if (slot->key) {
		free(key);
		return problems_add(problems, SEVERITY_WARNING, index, card->row,
				    field_get(field)->name,
				    "this holder has another %s card in this "
				    "order, at row %u",
				    level_name((enum card_level)card->level), slot->row);
	}
	slot->key = key;
	slot->row = card->row;
	s->n++;
	return 0;
}

int validate_order(const struct order *order,
		   const struct validate_options *opts,
		   struct problem_list *problems)
{
	struct validate_seen *seen = validate_seen_new();
	int rc = seen ? 0 : -1;

	if (rc == 0 && order->n_cards == 0 &&
	    problems_add(problems, SEVERITY_ERROR, PROBLEM_NO_CARD, 0, "",
			 "the order has no cards") < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < order->n_cards; i++)
		if (validate_card(&order->cards[i], i, opts, problems) < 0 ||
		    validate_seen_card(seen, &order->cards[i], i, problems) < 0)
			rc = -1;
	validate_seen_free(seen);
	return rc;
}
