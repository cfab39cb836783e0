/* check_payload.c: request bodies, against Qonto's documented example and
 * golden files. */
#include "config.h"

#include "check_util.h"
#include "payload.h"
#include "reader.h"

#include <json-c/json.h>

static struct order order;
static struct problem_list problems;
static struct status_error err;

static void setup(void)
{
	order_init(&order);
	problems_init(&problems);
}

static void teardown(void)
{
	order_free(&order);
	problems_free(&problems);
}

static void read_fixture(const char *path)
{
	ck_assert_int_eq(reader_read_file(path, &order, &problems, &err), STATUS_OK);
	ck_assert_uint_eq(problems.n_errors, 0);
}

static char *build(size_t first, size_t count, bool pretty)
{
	char *body = NULL;
	size_t len = 0;

	ck_assert_int_eq(payload_build(&order.cards[first], count, pretty, &body,
				       &len, &err),
			 STATUS_OK);
	ck_assert_uint_eq(len, strlen(body));
	return body;
}

START_TEST(documented_example_round_trip)
{
	const char *path = FIXTURES "/orders/documented-example.json";
	struct json_object *want, *got;
	char *body;

	read_fixture(path);
	body = build(0, 1, false);
	want = json_object_from_file(path);
	got = json_tokener_parse(body);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	ck_assert_msg(json_object_equal(want, got), "payload differs: %s", body);
	/* Compact: no spaces between tokens. */
	ck_assert_ptr_null(strstr(body, "\": "));
	ck_assert(strncmp(body, "{\"cards\":[{\"card\":{", 19) == 0);
	json_object_put(want);
	json_object_put(got);
	free(body);
}
END_TEST

START_TEST(pretty_is_the_same_json)
{
	char *compact, *pretty;
	struct json_object *a, *b;

	read_fixture(FIXTURES "/orders/documented-example.json");
	compact = build(0, 1, false);
	pretty = build(0, 1, true);
	ck_assert(strchr(pretty, '\n'));
	a = json_tokener_parse(compact);
	b = json_tokener_parse(pretty);
	ck_assert(json_object_equal(a, b));
	json_object_put(a);
	json_object_put(b);
	free(compact);
	free(pretty);
}
END_TEST

START_TEST(sample_order_golden)
{
	char *expected = slurp(FIXTURES "/payload/sample-order.expected", NULL);
	char *line, *body;

	ck_assert_ptr_nonnull(expected);
	read_fixture(FIXTURES "/../../assets/sample-order.csv");
	ck_assert_uint_le(order.n_cards, PAYLOAD_MAX_CARDS);
	body = build(0, order.n_cards, false);
	line = strtok(expected, "\n");
	ck_assert_str_eq(body, line);
	free(body);
	free(expected);
}
END_TEST

/* 137 cards, each with its own monthly limit (its position), split into
 * requests of 50, 50 and 37 in the file's order. */
START_TEST(split_137)
{
	struct json_object *root, *cards, *card, *limit;
	size_t sizes[3] = { 50, 50, 37 }, first = 0;
	char *body;

	ck_assert_uint_eq(payload_request_count(137), 3);
	ck_assert_uint_eq(payload_request_count(50), 1);
	ck_assert_uint_eq(payload_request_count(51), 2);
	ck_assert_uint_eq(payload_request_count(0), 0);
	read_fixture(FIXTURES "/orders/137-cards.csv");
	ck_assert_uint_eq(order.n_cards, 137);
	for (size_t r = 0; r < 3; r++) {
		body = build(first, sizes[r], false);
		root = json_tokener_parse(body);
		ck_assert(json_object_object_get_ex(root, "cards", &cards));
		ck_assert_uint_eq(json_object_array_length(cards), sizes[r]);
		for (size_t i = 0; i < sizes[r]; i++) {
			ck_assert(json_object_object_get_ex(
				json_object_array_get_idx(cards, i), "card", &card));
			ck_assert(json_object_object_get_ex(card, "payment_monthly_limit",
							    &limit));
			ck_assert(json_object_is_type(limit, json_type_int));
			ck_assert_int_eq(json_object_get_int64(limit),
					 (int64_t)(first + i + 1));
		}
		json_object_put(root);
		free(body);
		first += sizes[r];
	}
}
END_TEST

START_TEST(unset_off_and_local_fields_absent)
{
	struct card *c = order_add_card(&order);
	char *body;

	reader_set_from_text(c, 0, FIELD_HOLDER, "Zoé", &problems);
	reader_set_from_text(c, 0, FIELD_CARD_LEVEL, "virtual", &problems);
	reader_set_from_text(c, 0, FIELD_PAYMENT_DAILY_LIMIT_OPTION, "no", &problems);
	reader_set_from_text(c, 0, FIELD_PAYMENT_DAILY_LIMIT, "50", &problems);
	reader_set_from_text(c, 0, FIELD_ACTIVE_DAYS, "mon;fri", &problems);
	body = build(0, 1, false);
	ck_assert_str_eq(body, "{\"cards\":[{\"card\":{\"card_level\":\"virtual\","
			       "\"payment_daily_limit_option\":false,"
			       "\"active_days\":[1,5]}}]}");
	free(body);
}
END_TEST

START_TEST(count_bounds)
{
	char *body = NULL;
	size_t len;

	order_add_card(&order);
	ck_assert_int_eq(payload_build(order.cards, 0, false, &body, &len, &err),
			 STATUS_USAGE);
	ck_assert_int_eq(payload_build(order.cards, 51, false, &body, &len, &err),
			 STATUS_USAGE);
	ck_assert_ptr_null(body);
}
END_TEST

START_TEST(strings_are_escaped)
{
	struct card *c = order_add_card(&order);
	char *body;

	card_set_text(c, FIELD_CITY, "Saint-\"Denis\"/\\");
	body = build(0, 1, false);
	ck_assert_str_eq(body, "{\"cards\":[{\"card\":{\"address\":{\"city\":"
			       "\"Saint-\\\"Denis\\\"/\\\\\"}}}]}");
	free(body);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("payload");
	TCase *tc = tcase_create("bodies");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, documented_example_round_trip);
	tcase_add_test(tc, pretty_is_the_same_json);
	tcase_add_test(tc, sample_order_golden);
	tcase_add_test(tc, split_137);
	tcase_add_test(tc, unset_off_and_local_fields_absent);
	tcase_add_test(tc, count_bounds);
	tcase_add_test(tc, strings_are_escaped);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(make_suite)
