/* cardcheck.c: the sandbox's own validator of POST /v2/cards/bulk, written
 * from qonto-api.md alone (independent of the client's src/validate.c, so
 * that the two can disagree and a test can catch it).
 *
 * Error codes: required, blank, invalid_type, invalid_format, not_found,
 * not_in_list, not_an_integer, too_small, too_large, exceeds_limit,
 * in_the_past, empty, duplicate, not_sorted. Pointers are
 * /cards/N/card/FIELD (or /cards/N/card/address/FIELD). */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "sandbox.h"

#define MAX_CARDS 50
#define VIRTUAL_MONTHLY_MAX 20000
#define FLASH_MIN 5
#define FLASH_MAX 20000

struct check {
	const struct seed *seed;
	json_object *card;  /* the object being read (card or address) */
	const char *prefix; /* "" or "address/" */
	json_object *errors;
	size_t index;
	int64_t now_ms;
	const char *level; /* NULL when card_level is missing or invalid */
	bool physical;
	bool flash;
};

static void fail(struct check *c, const char *field, const char *code,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void fail(struct check *c, const char *field, const char *code,
		 const char *fmt, ...)
{
	char pointer[160], detail[256];
	va_list ap;

	snprintf(pointer, sizeof(pointer), "/cards/%zu/card/%s%s", c->index,
		 c->prefix, field);
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	util_push(c->errors, reply_error_entry(code, detail, pointer));
}

/* 1 present with the type, 0 absent (an error when required), -1 wrong
 * type (reported). */
static int get_typed(struct check *c, const char *name, enum json_type type,
		     bool required, json_object **out)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(c->card, name, &v)) {
		if (required)
			fail(c, name, "required", "%s is required", name);
		return 0;
	}
	if (!json_object_is_type(v, type)) {
		fail(c, name, "invalid_type", "%s must be a %s", name,
		     json_type_to_name(type));
		return -1;
	}
	*out = v;
	return 1;
}

static int get_string(struct check *c, const char *name, bool required,
		      const char **out)
{
	json_object *v;
	int rc = get_typed(c, name, json_type_string, required, &v);

	if (rc == 1)
		*out = json_object_get_string(v);
	return rc;
}

static int get_bool(struct check *c, const char *name, bool *out)
{
	json_object *v;
	int rc = get_typed(c, name, json_type_boolean, false, &v);

	*out = rc == 1 && json_object_get_boolean(v);
	return rc;
}

/* Whole euros, at least 0. */
static int get_amount(struct check *c, const char *name, bool required,
		      int64_t *out)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(c->card, name, &v)) {
		if (required)
			fail(c, name, "required", "%s is required", name);
		return 0;
	}
	if (json_object_is_type(v, json_type_double)) {
		fail(c, name, "not_an_integer",
		     "%s must be a whole number of euros", name);
		return -1;
	}
	if (!json_object_is_type(v, json_type_int)) {
		fail(c, name, "invalid_type", "%s must be an integer", name);
		return -1;
	}
	*out = json_object_get_int64(v);
	if (*out < 0) {
		fail(c, name, "too_small", "%s must be at least 0", name);
		return -1;
	}
	return 1;
}

static void check_uuid_ref(struct check *c, const char *name, bool required,
			   bool (*exists)(const struct seed *, const char *))
{
	const char *id;

	if (get_string(c, name, required, &id) != 1)
		return;
	if (!util_is_uuid(id))
		fail(c, name, "invalid_format", "%s must be a UUID", name);
	else if (!exists(c->seed, id))
		fail(c, name, "not_found", "%s %s does not exist", name, id);
}

static bool membership_exists(const struct seed *seed, const char *id)
{
	return seed_find_membership(seed, id) != NULL;
}

static bool organization_exists(const struct seed *seed, const char *id)
{
	return strcmp(seed->organization_id, id) == 0;
}

static const char *member_string(json_object *m, const char *key)
{
	json_object *v;

	if (!m || !json_object_object_get_ex(m, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Qonto orders cards only for active members, and a manager only for the
 * members of their own team. */
static void check_holder(struct check *c)
{
	json_object *v, *m;
	const char *status, *role, *team, *mine;

	if (!json_object_object_get_ex(c->card, "holder_id", &v) ||
	    !json_object_is_type(v, json_type_string))
		return;
	m = seed_find_membership(c->seed, json_object_get_string(v));
	if (!m)
		return;
	status = member_string(m, "status");
	if (status && strcmp(status, "active") != 0) {
		fail(c, "holder_id", "invalid_membership",
		     "the holder's membership is %s: cards are only created for "
		     "active members", status);
		return;
	}
	role = seed_caller_string(c->seed, "role");
	mine = seed_caller_string(c->seed, "team_id");
	team = member_string(m, "team_id");
	if (role && strcmp(role, "manager") == 0 &&
	    (!mine || !team || strcmp(mine, team) != 0))
		fail(c, "holder_id", "forbidden",
		     "a manager can only order cards for the members of their "
		     "team");
}

/* Cards draw on an active account. */
static void check_account(struct check *c)
{
	json_object *v;
	const char *status;

	if (!json_object_object_get_ex(c->card, "bank_account_id", &v) ||
	    !json_object_is_type(v, json_type_string))
		return;
	status = seed_account_status(c->seed, json_object_get_string(v));
	if (status && strcmp(status, "active") != 0)
		fail(c, "bank_account_id", "invalid_bank_account",
		     "the bank account is %s", status);
}

static void check_ids(struct check *c)
{
	check_uuid_ref(c, "holder_id", true, membership_exists);
	check_holder(c);
	check_account(c);
	check_uuid_ref(c, "initiator_id", false, membership_exists);
	check_uuid_ref(c, "organization_id", true, organization_exists);
	check_uuid_ref(c, "bank_account_id", true, seed_has_bank_account);
}

static void check_level(struct check *c)
{
	static const char *const levels[] = {
	    "standard",	       "plus",	"metal",      "virtual",
	    "virtual_partner", "flash", "advertising"};
	const char *level;

	if (get_string(c, "card_level", true, &level) != 1)
		return;
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (strcmp(level, levels[i]) == 0) {
			c->level = levels[i];
			c->physical = i < 3;
			c->flash = strcmp(level, "flash") == 0;
			return;
		}
	}
	fail(c, "card_level", "not_in_list", "unknown card_level %s", level);
}

static void check_address_line(struct check *c, const char *name, bool required)
{
	const char *s;

	if (get_string(c, name, required, &s) == 1 && required && !*s)
		fail(c, name, "blank", "%s must not be empty", name);
}

static void check_address_fields(struct check *c)
{
	json_object *v;
	const char *country;

	if (json_object_object_get_ex(c->card, "contact_name", &v) && v &&
	    !json_object_is_type(v, json_type_string))
		fail(c, "contact_name", "invalid_type",
		     "contact_name must be a string or null");
	check_address_line(c, "first_line", true);
	check_address_line(c, "second_line", false);
	check_address_line(c, "third_line", false);
	check_address_line(c, "zipcode", true);
	check_address_line(c, "city", true);
	if (get_string(c, "country", true, &country) != 1)
		return;
	if (strlen(country) != 2 || country[0] < 'A' || country[0] > 'Z' ||
	    country[1] < 'A' || country[1] > 'Z')
		fail(c, "country", "invalid_format",
		     "country must be an ISO 3166-1 alpha-2 code in upper "
		     "case");
	else if (!seed_has(c->seed->countries, c->seed->n_countries, country))
		fail(c, "country", "not_in_list", "unknown country %s",
		     country);
}

static void check_shipping(struct check *c)
{
	json_object *ship, *addr = NULL;
	int has_ship = get_typed(c, "ship_to_business", json_type_boolean,
				 c->physical, &ship);
	int has_addr = get_typed(c, "address", json_type_object, false, &addr);

	if (c->physical && has_ship == 1 && !json_object_get_boolean(ship) &&
	    has_addr == 0)
		fail(c, "address", "required",
		     "address is required when ship_to_business is false");
	if (has_addr == 1) {
		struct check sub = *c;

		sub.card = addr;
		sub.prefix = "address/";
		check_address_fields(&sub);
	}
}

static void check_options(struct check *c)
{
	static const char *const names[] = {"atm_option", "nfc_option",
					    "online_option", "foreign_option"};
	bool ignored;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		get_bool(c, names[i], &ignored);
}

/* An *_option set true needs its value; value ≤ bound when both known. */
static void check_limit_pair(struct check *c, const char *option,
			     const char *name, int64_t bound,
			     const char *bound_name, int64_t *value, bool *on)
{
	int has = get_amount(c, name, false, value);

	get_bool(c, option, on);
	if (*on && has == 0)
		fail(c, name, "required", "%s is required when %s is true",
		     name, option);
	if (has == 1 && bound >= 0 && *value > bound)
		fail(c, name, "exceeds_limit",
		     "%s (%lld) must not exceed %s (%lld)", name,
		     (long long)*value, bound_name, (long long)bound);
	if (has != 1)
		*value = -1;
}

static void check_atm(struct check *c)
{
	int64_t monthly = -1, daily;
	bool on;

	if (get_amount(c, "atm_monthly_limit", false, &monthly) != 1)
		monthly = -1;
	check_limit_pair(c, "atm_daily_limit_option", "atm_daily_limit",
			 monthly, "atm_monthly_limit", &daily, &on);
}

static void check_payment(struct check *c)
{
	int64_t monthly = -1, daily, per_tx;
	bool daily_on, tx_on;
	int has = get_amount(c, "payment_monthly_limit", !c->flash, &monthly);

	if (has == 1 && strcmp(c->level, "virtual") == 0 &&
	    monthly > VIRTUAL_MONTHLY_MAX)
		fail(c, "payment_monthly_limit", "too_large",
		     "payment_monthly_limit of a virtual card must not exceed "
		     "%d",
		     VIRTUAL_MONTHLY_MAX);
	if (has != 1)
		monthly = -1;
	check_limit_pair(c, "payment_daily_limit_option", "payment_daily_limit",
			 monthly, "payment_monthly_limit", &daily, &daily_on);
	check_limit_pair(c, "payment_transaction_limit_option",
			 "payment_transaction_limit", monthly,
			 "payment_monthly_limit", &per_tx, &tx_on);
	if (per_tx >= 0 && daily_on && daily >= 0 && per_tx > daily)
		fail(c, "payment_transaction_limit", "exceeds_limit",
		     "payment_transaction_limit (%lld) must not exceed "
		     "payment_daily_limit (%lld)",
		     (long long)per_tx, (long long)daily);
}

static void check_flash(struct check *c)
{
	int64_t budget, when;
	const char *at;

	if (get_amount(c, "payment_lifespan_limit", c->flash, &budget) == 1 &&
	    (budget < FLASH_MIN || budget > FLASH_MAX))
		fail(c, "payment_lifespan_limit",
		     budget < FLASH_MIN ? "too_small" : "too_large",
		     "payment_lifespan_limit must be between %d and %d",
		     FLASH_MIN, FLASH_MAX);
	if (get_string(c, "pre_expires_at", c->flash, &at) != 1)
		return;
	if (!util_parse_iso_time(at, &when))
		fail(c, "pre_expires_at", "invalid_format",
		     "pre_expires_at must be an ISO 8601 date-time");
	else if (c->flash && when <= c->now_ms)
		fail(c, "pre_expires_at", "in_the_past",
		     "pre_expires_at must be in the future");
}

static void check_active_days(struct check *c)
{
	json_object *days;
	int64_t prev = 0;
	size_t n;

	if (get_typed(c, "active_days", json_type_array, false, &days) != 1)
		return;
	n = json_object_array_length(days);
	if (n == 0)
		fail(c, "active_days", "empty",
		     "active_days must not be empty (omit it for every day)");
	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(days, i);
		int64_t v;

		if (!json_object_is_type(d, json_type_int)) {
			fail(c, "active_days", "invalid_type",
			     "active_days[%zu] must be an integer", i);
			return;
		}
		v = json_object_get_int64(d);
		if (v < 1 || v > 7) {
			fail(c, "active_days", "not_in_list",
			     "active_days[%zu] must be 1 (Monday) to 7 "
			     "(Sunday)",
			     i);
			return;
		}
		if (v <= prev) {
			fail(c, "active_days",
			     v == prev ? "duplicate" : "not_sorted",
			     "active_days must be sorted without repeats");
			return;
		}
		prev = v;
	}
}

static void check_categories(struct check *c)
{
	json_object *cats;

	if (get_typed(c, "categories", json_type_array, false, &cats) != 1)
		return;
	for (size_t i = 0; i < json_object_array_length(cats); i++) {
		json_object *v = json_object_array_get_idx(cats, i);
		const char *s;

		if (!json_object_is_type(v, json_type_string)) {
			fail(c, "categories", "invalid_type",
			     "categories[%zu] must be a string", i);
			return;
		}
		s = json_object_get_string(v);
		if (!seed_has(c->seed->categories, c->seed->n_categories, s)) {
			fail(c, "categories", "not_in_list",
			     "unknown category %s", s);
			return;
		}
	}
}

static void check_design(struct check *c)
{
	const char *s;

	if (get_string(c, "card_design", false, &s) == 1 &&
	    !seed_has(c->seed->designs, c->seed->n_designs, s))
		fail(c, "card_design", "not_in_list", "unknown card_design %s",
		     s);
	if (get_string(c, "type_of_print", false, &s) == 1 &&
	    strcmp(s, "print") != 0 && strcmp(s, "embossed") != 0)
		fail(c, "type_of_print", "not_in_list",
		     "type_of_print must be print or embossed");
}

/* Appends the errors of item index of the request to errors. */
void cardcheck_card(const struct seed *seed, json_object *item, size_t index,
		    int64_t now_wall_ms, json_object *errors)
{
	struct check c = {.seed = seed,
			  .prefix = "",
			  .errors = errors,
			  .index = index,
			  .now_ms = now_wall_ms};
	char pointer[64];

	snprintf(pointer, sizeof(pointer), "/cards/%zu", index);
	if (!json_object_is_type(item, json_type_object) ||
	    !json_object_object_get_ex(item, "card", &c.card) ||
	    !json_object_is_type(c.card, json_type_object)) {
		util_push(errors,
			  reply_error_entry(
			      "invalid_type",
			      "each item must be {\"card\": {...}}", pointer));
		return;
	}
	/* In the order of the table of qonto-api.md. */
	check_ids(&c);
	check_level(&c);
	if (c.level)
		check_shipping(&c);
	check_options(&c);
	if (c.level && c.physical)
		check_atm(&c);
	if (c.level && !c.flash)
		check_payment(&c);
	if (c.level)
		check_flash(&c);
	check_active_days(&c);
	check_categories(&c);
	check_design(&c);
}

/* The envelope: {"cards": [1..50 items]}. Returns the item count, or -1
 * with an error appended. */
int cardcheck_body(json_object *body, json_object *errors)
{
	json_object *cards;
	size_t n;

	if (!json_object_is_type(body, json_type_object) ||
	    !json_object_object_get_ex(body, "cards", &cards) ||
	    !json_object_is_type(cards, json_type_array)) {
		util_push(errors,
			  reply_error_entry(
			      "invalid_type",
			      "the body must be {\"cards\": [...]}", "/cards"));
		return -1;
	}
	n = json_object_array_length(cards);
	if (n < 1 || n > MAX_CARDS) {
		util_push(errors,
			  reply_error_entry(n < 1 ? "too_small" : "too_large",
					    "cards must hold 1 to 50 items",
					    "/cards"));
		return -1;
	}
	return (int)n;
}
