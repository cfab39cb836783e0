/* check_fields.c: the field table, the catalog and value parsing. */
#include "config.h"

#include "catalog.h"
#include "check_util.h"
#include "fields.h"
#include "values.h"

START_TEST(table_is_consistent)
{
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field_info *f = field_get((enum field_id)id);

		ck_assert_int_eq(f->id, id);
		ck_assert_ptr_eq(field_by_name(f->name), f);
		/* Required only where it applies. */
		ck_assert_uint_eq(f->required & ~f->applies, 0);
		/* A switch is a boolean that applies wherever its value does. */
		if (f->option != FIELD_NONE) {
			ck_assert_int_eq(field_get(f->option)->kind, KIND_BOOL);
			ck_assert_uint_eq(f->applies & ~field_get(f->option)->applies, 0);
		}
		ck_assert(((f->flags & FF_ADDRESS) != 0) == (strncmp(f->name, "address.", 8) == 0));
	}
	ck_assert_ptr_null(field_by_name("colour"));
	ck_assert_ptr_null(field_get(FIELD_COUNT));
	ck_assert_str_eq(field_get(FIELD_ZIPCODE)->json_key, "zipcode");
}
END_TEST

START_TEST(levels)
{
	enum card_level l;

	ck_assert(level_parse("virtual_partner", &l));
	ck_assert_int_eq(l, LEVEL_VIRTUAL_PARTNER);
	ck_assert(!level_parse("Virtual", &l));
	ck_assert(level_is_physical(LEVEL_METAL));
	ck_assert(!level_is_physical(LEVEL_FLASH));
	ck_assert(field_applies(FIELD_CITY, LEVEL_PLUS));
	ck_assert(!field_applies(FIELD_CITY, LEVEL_VIRTUAL));
	ck_assert(field_required(FIELD_PAYMENT_LIFESPAN_LIMIT, LEVEL_FLASH));
	ck_assert(!field_required(FIELD_PAYMENT_MONTHLY_LIMIT, LEVEL_FLASH));
	ck_assert_str_eq(level_name(LEVEL_ADVERTISING), "advertising");
}
END_TEST

START_TEST(catalog)
{
	enum card_level l;

	ck_assert_uint_eq(catalog_category_count(), 11);
	ck_assert_int_ge(catalog_category_find("legal_and_accounting"), 0);
	ck_assert_int_eq(catalog_category_find("casino"), -1);
	ck_assert_uint_ge(catalog_country_count(), 240);
	ck_assert_int_ge(catalog_country_find("KI"), 0);
	ck_assert_int_eq(catalog_country_find("fr"), -1);
	/* the first entry too (an awk counter once left it without a code) */
	ck_assert_str_eq(catalog_country_code(0), "AD");
	ck_assert_int_eq(catalog_country_find("AD"), 0);
	ck_assert_str_eq(catalog_country_name((size_t)catalog_country_find("FR")),
			 "France");
	ck_assert_uint_eq(catalog_design_count(), 11);
	ck_assert(catalog_design_level("plus.black.2023", &l));
	ck_assert_int_eq(l, LEVEL_PLUS);
	ck_assert(!catalog_design_level("gold", &l));
}
END_TEST

START_TEST(booleans)
{
	bool b;

	ck_assert(value_parse_bool("YES", &b) && b);
	ck_assert(value_parse_bool("0", &b) && !b);
	ck_assert(value_parse_bool("False", &b) && !b);
	ck_assert(!value_parse_bool("y", &b));
	ck_assert(!value_parse_bool("", &b));
}
END_TEST

START_TEST(euros)
{
	int64_t v;

	ck_assert_int_eq(value_parse_euros("1000", &v), EUROS_OK);
	ck_assert_int_eq(v, 1000);
	ck_assert_int_eq(value_parse_euros("1000.00", &v), EUROS_OK);
	ck_assert_int_eq(value_parse_euros("-3", &v), EUROS_OK);
	ck_assert_int_eq(v, -3);
	ck_assert_int_eq(value_parse_euros("12.5", &v), EUROS_CENTS);
	ck_assert_int_eq(value_parse_euros("12.", &v), EUROS_MALFORMED);
	ck_assert_int_eq(value_parse_euros("1,000", &v), EUROS_MALFORMED);
	ck_assert_int_eq(value_parse_euros("1e3", &v), EUROS_MALFORMED);
	ck_assert_int_eq(value_parse_euros("", &v), EUROS_MALFORMED);
	ck_assert_int_eq(value_parse_euros("0x10", &v), EUROS_MALFORMED);
	ck_assert_int_eq(value_parse_euros("1000000001", &v), EUROS_RANGE);
	ck_assert_int_eq(value_parse_euros("99999999999999999999999", &v), EUROS_RANGE);
}
END_TEST

START_TEST(days)
{
	int d;

	ck_assert(value_parse_day("mon", &d) && d == 1);
	ck_assert(value_parse_day("Sunday", &d) && d == 7);
	ck_assert(value_parse_day("SAT", &d) && d == 6);
	ck_assert(value_parse_day("9", &d) && d == 9);
	ck_assert(!value_parse_day("mo", &d));
	ck_assert(!value_parse_day("1.5", &d));
	ck_assert(!value_parse_day("", &d));
}
END_TEST

START_TEST(uuids)
{
	ck_assert(value_uuid_valid("3c90c3cc-0d44-4b50-8888-8dd25736052a"));
	ck_assert(value_uuid_valid("3C90C3CC-0D44-4B50-8888-8DD25736052A"));
	ck_assert(!value_uuid_valid("3c90c3cc-0d44-4b50-8888-8dd25736052"));
	ck_assert(!value_uuid_valid("3c90c3cc-0d44-4b50-8888-8dd25736052aa"));
	ck_assert(!value_uuid_valid("3c90c3cc0d444b5088888dd25736052a"));
	ck_assert(!value_uuid_valid("3c90c3cc-0d44-4b50-8888-8dd25736052g"));
}
END_TEST

START_TEST(datetimes)
{
	time_t t;

	ck_assert(value_parse_datetime("1970-01-01T00:00:00Z", &t) && t == 0);
	ck_assert(value_parse_datetime("1970-01-01T01:00:00+01:00", &t) && t == 0);
	ck_assert(value_parse_datetime("2024-02-29T12:30Z", &t));
	ck_assert(value_parse_datetime("2023-11-07T05:31:56.123Z", &t));
	ck_assert(!value_parse_datetime("2023-02-29T00:00:00Z", &t));
	ck_assert(!value_parse_datetime("2023-11-07", &t));
	ck_assert(!value_parse_datetime("2023-11-07T05:31:56", &t));
	ck_assert(!value_parse_datetime("2023-11-07T25:00:00Z", &t));
	ck_assert(!value_parse_datetime("2023-11-07T05:31:56Zjunk", &t));
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("fields");
	TCase *tc = tcase_create("fields");

	tcase_add_test(tc, table_is_consistent);
	tcase_add_test(tc, levels);
	tcase_add_test(tc, catalog);
	tcase_add_test(tc, booleans);
	tcase_add_test(tc, euros);
	tcase_add_test(tc, days);
	tcase_add_test(tc, uuids);
	tcase_add_test(tc, datetimes);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(make_suite)
