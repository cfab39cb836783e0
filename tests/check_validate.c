/* check_validate.c: each rule of qonto-api.md, one case at a time. A case
 * starts from a valid card of a level, changes some fields and expects
 * exactly one problem (or none). */
#include "config.h"

#include "check_util.h"
#include "reader.h"
#include "validate.h"

#define UUID "3c90c3cc-0d44-4b50-8888-8dd25736052a"
#define NOW 1800000000 /* 2027-01-15 */

struct rule_case {
	const char *name;
	const char *level;
	const char *changes; /* "field=value|field=value"; empty value unsets */
	const char *field;   /* expected problem's field, NULL for none */
	enum severity severity;
	const char *needle;
};

static const struct rule_case cases[] = {
	{ "valid standard", "standard", "", NULL, 0, NULL },
	{ "valid virtual", "virtual", "", NULL, 0, NULL },
	{ "valid flash", "flash", "", NULL, 0, NULL },
	{ "valid advertising", "advertising", "", NULL, 0, NULL },
	{ "holder required", "virtual", "holder_id=", "holder_id", SEVERITY_ERROR, "required" },
	{ "holder uuid", "virtual", "holder_id=1234", "holder_id", SEVERITY_ERROR, "UUID" },
	{ "holder by name offline", "virtual", "holder_id=|holder=Zoé Lambert", "holder", SEVERITY_WARNING, "looked up" },
	{ "organization uuid", "virtual", "organization_id=x", "organization_id", SEVERITY_ERROR, "UUID" },
	{ "organization from api", "virtual", "organization_id=", NULL, 0, NULL },
	{ "bank account required", "virtual", "bank_account_id=", "bank_account_id", SEVERITY_ERROR, "required" },
	{ "bank account by name", "virtual", "bank_account_id=|bank_account=Compte principal", "bank_account", SEVERITY_WARNING, "looked up" },
	{ "initiator uuid", "virtual", "initiator_id=me", "initiator_id", SEVERITY_ERROR, "UUID" },
	{ "level required", "virtual", "card_level=", "card_level", SEVERITY_ERROR, "required" },
	{ "ship_to_business required", "plus", "ship_to_business=", "ship_to_business", SEVERITY_ERROR, "required" },
	{ "monthly required", "virtual", "payment_monthly_limit=", "payment_monthly_limit", SEVERITY_ERROR, "required" },
	{ "flash budget required", "flash", "payment_lifespan_limit=", "payment_lifespan_limit", SEVERITY_ERROR, "required" },
	{ "flash expiry required", "flash", "pre_expires_at=", "pre_expires_at", SEVERITY_ERROR, "required" },
	{ "flash budget low", "flash", "payment_lifespan_limit=4", "payment_lifespan_limit", SEVERITY_ERROR, "5 to 20000" },
	{ "flash budget high", "flash", "payment_lifespan_limit=20001", "payment_lifespan_limit", SEVERITY_ERROR, "5 to 20000" },
	{ "flash budget bounds", "flash", "payment_lifespan_limit=20000", NULL, 0, NULL },
	{ "flash expiry past", "flash", "pre_expires_at=2026-01-01T00:00:00Z", "pre_expires_at", SEVERITY_ERROR, "past" },
	{ "flash expiry format", "flash", "pre_expires_at=2027-02-30T00:00:00Z", "pre_expires_at", SEVERITY_ERROR, "ISO 8601" },
	{ "flash expiry offset", "flash", "pre_expires_at=2027-06-30T23:59:59+02:00", NULL, 0, NULL },
	{ "flash no monthly", "flash", "payment_monthly_limit=100", "payment_monthly_limit", SEVERITY_ERROR, "does not apply" },
	{ "virtual no atm", "virtual", "atm_monthly_limit=100", "atm_monthly_limit", SEVERITY_ERROR, "does not apply" },
	{ "virtual no address", "virtual", "address.city=Paris", "address.city", SEVERITY_ERROR, "does not apply" },
	{ "virtual no nfc", "virtual", "nfc_option=true", "nfc_option", SEVERITY_ERROR, "does not apply" },
	{ "virtual no lifespan", "virtual", "payment_lifespan_limit=50", "payment_lifespan_limit", SEVERITY_ERROR, "does not apply" },
	{ "virtual max", "virtual", "payment_monthly_limit=20001", "payment_monthly_limit", SEVERITY_ERROR, "20000" },
	{ "virtual max ok", "virtual", "payment_monthly_limit=20000", NULL, 0, NULL },
	{ "physical over virtual max", "metal", "payment_monthly_limit=50000", NULL, 0, NULL },
	{ "negative", "virtual", "payment_monthly_limit=-1", "payment_monthly_limit", SEVERITY_ERROR, "negative" },
	{ "option without value", "virtual", "payment_daily_limit_option=true", "payment_daily_limit", SEVERITY_ERROR, "needed" },
	{ "value with option off", "virtual", "payment_daily_limit_option=false|payment_daily_limit=10", "payment_daily_limit", SEVERITY_WARNING, "not sent" },
	{ "value without option", "virtual", "payment_daily_limit=10", "payment_daily_limit", SEVERITY_WARNING, "Qonto may ignore" },
	{ "daily above monthly", "virtual", "payment_daily_limit_option=true|payment_daily_limit=1001", "payment_daily_limit", SEVERITY_ERROR, "above" },
	{ "daily equal monthly", "virtual", "payment_daily_limit_option=true|payment_daily_limit=1000", NULL, 0, NULL },
	{ "transaction above daily", "virtual", "payment_daily_limit_option=true|payment_daily_limit=100|payment_transaction_limit_option=true|payment_transaction_limit=101", "payment_transaction_limit", SEVERITY_ERROR, "payment_daily_limit" },
	{ "transaction above monthly", "virtual", "payment_transaction_limit_option=true|payment_transaction_limit=1001", "payment_transaction_limit", SEVERITY_ERROR, "payment_monthly_limit" },
	{ "transaction with daily off", "virtual", "payment_daily_limit_option=false|payment_daily_limit=100|payment_transaction_limit_option=true|payment_transaction_limit=500", "payment_daily_limit", SEVERITY_WARNING, "not sent" },
	{ "atm daily above monthly", "standard", "atm_daily_limit_option=true|atm_daily_limit=600", "atm_daily_limit", SEVERITY_ERROR, "atm_monthly_limit" },
	{ "atm limit with atm off", "standard", "atm_option=false", "atm_monthly_limit", SEVERITY_WARNING, "cash" },
	{ "address required", "standard", "ship_to_business=false", "address.first_line", SEVERITY_ERROR, "not shipped" },
	{ "address ignored", "standard", "address.city=Paris", "ship_to_business", SEVERITY_WARNING, "not used" },
	{ "country lower", "plus", "ship_to_business=false|address.first_line=1 rue X|address.zipcode=75001|address.city=Paris|address.country=fr", "address.country", SEVERITY_ERROR, "upper case" },
	{ "country unknown", "plus", "ship_to_business=false|address.first_line=1 rue X|address.zipcode=75001|address.city=Paris|address.country=EU", "address.country", SEVERITY_ERROR, "ISO 3166-1" },
	{ "postcode of France", "plus", "ship_to_business=false|address.first_line=1 rue X|address.zipcode=750010|address.city=Paris|address.country=FR", "address.zipcode", SEVERITY_WARNING, "5 characters such as 75005" },
	{ "postcode of the Netherlands", "plus", "ship_to_business=false|address.first_line=1 rue X|address.zipcode=1012 AB|address.city=Amsterdam|address.country=NL", NULL, 0, NULL },
	{ "postcode of Portugal", "plus", "ship_to_business=false|address.first_line=1 rue X|address.zipcode=1100148|address.city=Lisboa|address.country=PT", "address.zipcode", SEVERITY_WARNING, "such as 1100-148" },
	{ "postcode too long anywhere", "plus", "ship_to_business=false|address.first_line=1 rue X|address.zipcode=12345678901|address.city=Quito|address.country=EC", "address.zipcode", SEVERITY_WARNING, "10 characters at most" },
	{ "address line too long", "plus", "ship_to_business=false|address.first_line=Résidence des Grands Chênes, bâtiment C, esc. 4|address.zipcode=75001|address.city=Paris|address.country=FR", "address.first_line", SEVERITY_WARNING, "holds 38" },
	{ "address line of 38", "plus", "ship_to_business=false|address.first_line=Résidence des Grands Chênes, bât. C 4|address.zipcode=75001|address.city=Paris|address.country=FR", NULL, 0, NULL },
	{ "address complete", "plus", "ship_to_business=false|address.first_line=1 rue X|address.zipcode=75001|address.city=Paris|address.country=FR", NULL, 0, NULL },
	{ "days order", "virtual", "active_days=5;1", "active_days", SEVERITY_ERROR, "in order" },
	{ "days repeat", "virtual", "active_days=1;1", "active_days", SEVERITY_ERROR, "twice" },
	{ "days range", "virtual", "active_days=8", "active_days", SEVERITY_ERROR, "not a day" },
	{ "days fine", "virtual", "active_days=mon;wed;sun", NULL, 0, NULL },
	{ "categories repeat", "virtual", "categories=tax;atm;tax", "categories", SEVERITY_ERROR, "twice" },
	{ "categories fine", "virtual", "categories=tax;atm", NULL, 0, NULL },
	{ "design unknown", "plus", "card_design=plus.gold.1999", "card_design", SEVERITY_ERROR, "not a known" },
	{ "design other level", "standard", "card_design=plus.black.2023", "card_design", SEVERITY_WARNING, "plus design" },
	{ "design own level", "metal", "card_design=metal.mineral.gray.2024", NULL, 0, NULL },
	{ "print value", "plus", "type_of_print=laser", "type_of_print", SEVERITY_ERROR, "print" },
	{ "print on standard", "standard", "type_of_print=embossed", "type_of_print", SEVERITY_WARNING, "plus" },
	{ "print on virtual", "virtual", "type_of_print=print", "type_of_print", SEVERITY_WARNING, "does not apply" },
	{ "print on plus", "plus", "type_of_print=print", NULL, 0, NULL },
	{ "online on flash", "flash", "online_option=true", "online_option", SEVERITY_ERROR, "does not apply" },
};

static const char *const base[] = {
	"holder_id=" UUID, "organization_id=" UUID, "bank_account_id=" UUID,
};

static void apply(struct card *card, const char *assignments,
		  struct problem_list *problems)
{
	char *copy = strdup(assignments), *save = NULL, *eq;
	const struct field_info *f;

	for (char *tok = strtok_r(copy, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		eq = strchr(tok, '=');
		ck_assert_ptr_nonnull(eq);
		*eq = '\0';
		f = field_by_name(tok);
		ck_assert_msg(f != NULL, "no field %s", tok);
		reader_set_from_text(card, 0, f->id, eq + 1, problems);
	}
	free(copy);
}

/* A valid card of the level: what the level requires and nothing else. */
static void make_card(struct card *card, const char *level,
		      struct problem_list *problems)
{
	char buf[64];

	for (size_t i = 0; i < 3; i++)
		apply(card, base[i], problems);
	snprintf(buf, sizeof(buf), "card_level=%s", level);
	apply(card, buf, problems);
	if (strcmp(level, "flash") == 0) {
		apply(card, "payment_lifespan_limit=300|pre_expires_at=2027-06-30T00:00:00Z",
		      problems);
		return;
	}
	apply(card, "payment_monthly_limit=1000", problems);
	if (strcmp(level, "standard") == 0 || strcmp(level, "plus") == 0 ||
	    strcmp(level, "metal") == 0)
		apply(card, "ship_to_business=true|atm_option=true|atm_monthly_limit=500",
		      problems);
}

START_TEST(rule)
{
	const struct rule_case *c = &cases[_i];
	struct validate_options opts = { .now = NOW, .ids_from_api = true };
	struct problem_list problems;
	struct card card;

	card_init(&card);
	card.row = 7;
	problems_init(&problems);
	make_card(&card, c->level, &problems);
	ck_assert_uint_eq(problems.n, 0);
	apply(&card, c->changes, &problems);
	ck_assert_int_eq(validate_card(&card, 0, &opts, &problems), 0);
	if (!c->field) {
		ck_assert_msg(problems.n == 0, "%s: unexpected \"%s: %s\"", c->name,
			      problems.n ? problems.items[0].field : "",
			      problems.n ? problems.items[0].message : "");
	} else {
		ck_assert_msg(problems.n >= 1, "%s: no problem found", c->name);
		ck_assert_msg(strcmp(problems.items[0].field, c->field) == 0,
			      "%s: field %s, expected %s", c->name,
			      problems.items[0].field, c->field);
		ck_assert_int_eq(problems.items[0].severity, c->severity);
		ck_assert_uint_eq(problems.items[0].row, 7);
		ck_assert_msg(strstr(problems.items[0].message, c->needle),
			      "%s: \"%s\" lacks \"%s\"", c->name,
			      problems.items[0].message, c->needle);
	}
	problems_free(&problems);
	card_free(&card);
}
END_TEST

START_TEST(payload_mode_needs_ids)
{
	struct validate_options opts = { .now = NOW, .ids_from_api = false };
	struct problem_list problems;
	struct card card;

	card_init(&card);
	problems_init(&problems);
	make_card(&card, "virtual", &problems);
	apply(&card, "holder_id=|holder=Zoé|organization_id=", &problems);
	validate_card(&card, 0, &opts, &problems);
	ck_assert_uint_eq(problems.n_errors, 2);
	ck_assert_str_eq(problems.items[0].field, "holder");
	ck_assert_str_eq(problems.items[1].field, "organization_id");
	problems_free(&problems);
	card_free(&card);
}
END_TEST

START_TEST(empty_order)
{
	struct validate_options opts = { .now = NOW };
	struct problem_list problems;
	struct order order;

	order_init(&order);
	problems_init(&problems);
	validate_order(&order, &opts, &problems);
	ck_assert_uint_eq(problems.n_errors, 1);
	ck_assert(strstr(problems.items[0].message, "no cards"));
	problems_free(&problems);
}
END_TEST

START_TEST(every_level_has_a_valid_card)
{
	static const char *const levels[] = { "standard", "plus", "metal", "virtual",
					      "virtual_partner", "flash", "advertising" };
	struct validate_options opts = { .now = NOW, .ids_from_api = false };

	for (size_t i = 0; i < 7; i++) {
		struct problem_list problems;
		struct card card;

		card_init(&card);
		problems_init(&problems);
		make_card(&card, levels[i], &problems);
		validate_card(&card, 0, &opts, &problems);
		ck_assert_msg(problems.n == 0, "%s: %s", levels[i],
			      problems.n ? problems.items[0].message : "");
		problems_free(&problems);
		card_free(&card);
	}
}
END_TEST

/* Issue 13, item 14: the same holder with two cards of one level is a
 * warning at the second, naming the first; other levels, other holders,
 * and holders by name (accents and case ignored) are told apart. */
START_TEST(same_holder_twice)
{
	struct validate_options opts = { .now = NOW, .ids_from_api = true };
	struct problem_list problems;
	struct order order;
	static const char *const cards[][2] = {
		{ "virtual", "holder_id=" UUID }, { "plus", "holder_id=" UUID },
		{ "virtual", "holder_id=" UUID }, { "virtual", "holder_id=|holder=Zoé Lambert" },
		{ "virtual", "holder_id=|holder=zoe LAMBERT" },
	};

	order_init(&order);
	problems_init(&problems);
	for (size_t i = 0; i < 5; i++) {
		struct card *c = order_add_card(&order);

		c->row = (unsigned)i + 2;
		make_card(c, cards[i][0], &problems);
		apply(c, cards[i][1], &problems);
	}
	ck_assert_uint_eq(problems.n, 0);
	ck_assert_int_eq(validate_order(&order, &opts, &problems), 0);
	ck_assert_uint_eq(problems.n_errors, 0);
	/* two "looked up" notes, and the two second cards */
	ck_assert_uint_eq(problems.n_warnings, 4);
	ck_assert_uint_eq(problems.items[0].row, 4);
	ck_assert_str_eq(problems.items[0].field, "holder_id");
	ck_assert_ptr_nonnull(strstr(problems.items[0].message, "another virtual card in this "
								"order, at row 2"));
	ck_assert_uint_eq(problems.items[3].row, 6);
	ck_assert_str_eq(problems.items[3].field, "holder");
	ck_assert_ptr_nonnull(strstr(problems.items[3].message, "at row 5"));
	problems_free(&problems);
	order_free(&order);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("rules");

	tcase_add_loop_test(tc, rule, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, payload_mode_needs_ids);
	tcase_add_test(tc, empty_order);
	tcase_add_test(tc, every_level_has_a_valid_card);
	tcase_add_test(tc, same_holder_twice);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(make_suite)
