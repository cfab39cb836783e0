/* check_reader.c: CSV and JSON order files, edge cases first. */
#include "config.h"

#include "check_util.h"
#include "reader.h"

#include <stdint.h>

#define H "54ef7c9d-8a34-400a-9e74-0135f14560b9"

static struct order order;
static struct problem_list problems;
static struct status_error err;

static void setup(void)
{
	order_init(&order);
	problems_init(&problems);
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	order_free(&order);
	problems_free(&problems);
}

static enum status csv(const char *text)
{
	return reader_read_csv(text, strlen(text), &order, &problems, &err);
}

static enum status json(const char *text)
{
	return reader_read_json(text, strlen(text), &order, &problems, &err);
}

/* The n-th problem has this row, field and a message containing needle. */
static void assert_problem(size_t n, unsigned row, const char *field,
			   const char *needle)
{
	ck_assert_uint_gt(problems.n, n);
	ck_assert_uint_eq(problems.items[n].row, row);
	ck_assert_str_eq(problems.items[n].field, field);
	ck_assert_msg(strstr(problems.items[n].message, needle),
		      "message \"%s\" lacks \"%s\"", problems.items[n].message,
		      needle);
}

START_TEST(csv_basic_fields)
{
	ck_assert_int_eq(csv("holder_id,card_level,payment_monthly_limit,"
			     "atm_option,categories,active_days\n" H
			     ",virtual,1500,yes,transport; tax ,mon;3;SUN\n"),
			 STATUS_OK);
	ck_assert_uint_eq(problems.n, 0);
	ck_assert_uint_eq(order.n_cards, 1);
	ck_assert_str_eq(card_text(&order.cards[0], FIELD_HOLDER_ID), H);
	ck_assert_int_eq(order.cards[0].level, LEVEL_VIRTUAL);
	ck_assert_int_eq(card_euros(&order.cards[0], FIELD_PAYMENT_MONTHLY_LIMIT),
			 1500);
	ck_assert(card_bool(&order.cards[0], FIELD_ATM_OPTION));
	ck_assert_uint_eq(order.cards[0].n_categories, 2);
	ck_assert_uint_eq(order.cards[0].n_days, 3);
	ck_assert_uint_eq(order.cards[0].days[0], 1);
	ck_assert_uint_eq(order.cards[0].days[1], 3);
	ck_assert_uint_eq(order.cards[0].days[2], 7);
	ck_assert_uint_eq(order.cards[0].row, 2);
}
END_TEST

START_TEST(csv_quotes_and_newlines)
{
	/* A doubled quote, a comma and a newline inside quotes; the newline
	 * cell is one spreadsheet row, so the next card is row 3. */
	ck_assert_int_eq(csv("address.first_line,address.city\n"
			     "\"1 \"\"Le Clos\"\", bât. A\",Paris\n"
			     "\"line\nbreak\",Lyon\n"),
			 STATUS_OK);
	ck_assert_uint_eq(order.n_cards, 2);
	ck_assert_str_eq(card_text(&order.cards[0], FIELD_FIRST_LINE),
			 "1 \"Le Clos\", bât. A");
	ck_assert_uint_eq(order.cards[1].row, 3);
	ck_assert_str_eq(card_text(&order.cards[1], FIELD_CITY), "Lyon");
	/* A line break cannot go into an address line. */
	assert_problem(0, 3, "address.first_line", "control character");
}
END_TEST

START_TEST(csv_crlf_and_bom)
{
	ck_assert_int_eq(csv("\xEF\xBB\xBFholder_id,card_level\r\n" H
			     ",plus\r\n" H ",metal\r\n"),
			 STATUS_OK);
	ck_assert_uint_eq(problems.n, 0);
	ck_assert_uint_eq(order.n_cards, 2);
	ck_assert_uint_eq(order.cards[0].row, 2);
	ck_assert_uint_eq(order.cards[1].row, 3);
	ck_assert_int_eq(order.cards[1].level, LEVEL_METAL);
}
END_TEST

START_TEST(csv_blank_rows_keep_numbers)
{
	ck_assert_int_eq(csv("card_level\nplus\n\n,\nmetal\n"), STATUS_OK);
	ck_assert_uint_eq(order.n_cards, 2);
	ck_assert_uint_eq(order.cards[1].row, 5);
}
END_TEST

START_TEST(csv_invalid_utf8)
{
	ck_assert_int_eq(csv("card_level,address.city\nplus,Par\xE9s\n"),
			 STATUS_OK);
	assert_problem(0, 2, "address.city", "not UTF-8 text");
}
END_TEST

/* Issue 13, item 13: French Excel's separator, tabs, UTF-16, and a broken
 * quote at its row and column. */
START_TEST(csv_semicolons)
{
	ck_assert_int_eq(csv("\xEF\xBB\xBF" "card_level;address.city;categories\r\n"
			     "plus;\"Paris, 5e\";\"transport;tax\"\r\n"), STATUS_OK);
	ck_assert_uint_eq(problems.n, 0);
	ck_assert_uint_eq(order.n_cards, 1);
	ck_assert_str_eq(card_text(&order.cards[0], FIELD_CITY), "Paris, 5e");
	ck_assert_uint_eq(order.cards[0].n_categories, 2);
}
END_TEST

START_TEST(csv_tabs)
{
	ck_assert_int_eq(csv("card_level\taddress.city\nplus\tParis, 5e\n"), STATUS_OK);
	ck_assert_uint_eq(problems.n, 0);
	ck_assert_str_eq(card_text(&order.cards[0], FIELD_CITY), "Paris, 5e");
}
END_TEST

START_TEST(csv_commas_win)
{
	/* a comma header whose names hold no ';', and a ';' list in a cell */
	ck_assert_int_eq(csv("card_level,categories\nplus,transport;tax\n"), STATUS_OK);
	ck_assert_uint_eq(problems.n, 0);
	ck_assert_uint_eq(order.cards[0].n_categories, 2);
}
END_TEST

START_TEST(csv_utf16)
{
	static const char le[] = "\xFF\xFE" "c\0a\0r\0d\0_\0l\0";
	static const char be[] = "\xFE\xFF" "\0c\0a\0r\0d";
	static const char nobom[] = "c\0a\0r\0d\0_\0l\0";

	ck_assert_int_eq(reader_read_csv(le, sizeof(le) - 1, &order, &problems, &err),
			 STATUS_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.message, "UTF-16"));
	ck_assert_ptr_nonnull(strstr(err.message, "CSV UTF-8"));
	ck_assert_int_eq(reader_read_csv(be, sizeof(be) - 1, &order, &problems, &err),
			 STATUS_FORMAT);
	ck_assert_int_eq(reader_read_csv(nobom, sizeof(nobom) - 1, &order, &problems, &err),
			 STATUS_FORMAT);
	ck_assert_uint_eq(problems.n, 0); /* one message, not one per cell */
}
END_TEST

START_TEST(csv_broken_quote)
{
	ck_assert_int_eq(csv("card_level,address.city\nplus,Paris\nplus,\"Par\"is\n"
			     "virtual,Lyon\n"), STATUS_OK);
	ck_assert_uint_eq(order.n_cards, 1); /* the broken row's card goes */
	ck_assert_uint_eq(problems.n_errors, 1);
	assert_problem(0, 3, "address.city", "a quote is not closed");
	ck_assert_ptr_nonnull(strstr(problems.items[0].message, "not read"));
}
END_TEST

START_TEST(csv_overlong_utf8)
{
	ck_assert_int_eq(csv("card_level,address.city\nplus,\xC0\xAF\n"),
			 STATUS_OK);
	assert_problem(0, 2, "address.city", "not UTF-8 text");
}
END_TEST

START_TEST(csv_unknown_and_duplicate_columns)
{
	ck_assert_int_eq(csv("card_level,colour,card_level\nplus,red,metal\n"),
			 STATUS_OK);
	assert_problem(0, 1, "colour", "unknown column");
	assert_problem(1, 1, "card_level", "twice");
}
END_TEST

START_TEST(csv_too_many_cells)
{
	ck_assert_int_eq(csv("card_level\nplus,extra\n"), STATUS_OK);
	assert_problem(0, 2, "", "more cells");
}
END_TEST

START_TEST(csv_unclosed_quote)
{
	/* a problem at the row where the quote opens, and no card */
	ck_assert_int_eq(csv("card_level\n\"plus\nmetal\n"), STATUS_OK);
	ck_assert_uint_eq(order.n_cards, 0);
	assert_problem(0, 2, "card_level", "a quote is not closed");
}
END_TEST

START_TEST(csv_empty_file)
{
	ck_assert_int_eq(csv(""), STATUS_FORMAT);
	ck_assert(strstr(err.message, "header"));
}
END_TEST

START_TEST(csv_bad_values)
{
	ck_assert_int_eq(csv("atm_option,payment_monthly_limit,active_days,"
			     "categories,card_level\n"
			     "maybe,1 000,mon;funday,tax;casino,gold\n"),
			 STATUS_OK);
	ck_assert_uint_eq(problems.n, 5);
	assert_problem(0, 2, "atm_option", "true or false");
	assert_problem(1, 2, "payment_monthly_limit", "whole number");
	assert_problem(2, 2, "active_days", "funday");
	assert_problem(3, 2, "categories", "casino");
	assert_problem(4, 2, "card_level", "gold");
	/* A list with a bad item is left out whole, never half-sent. */
	ck_assert(!card_has(&order.cards[0], FIELD_ACTIVE_DAYS));
	ck_assert(!card_has(&order.cards[0], FIELD_CATEGORIES));
	ck_assert(order.cards[0].invalid & FIELD_BIT(FIELD_CARD_LEVEL));
}
END_TEST

START_TEST(csv_amounts)
{
	ck_assert_int_eq(csv("payment_monthly_limit,atm_monthly_limit,"
			     "payment_daily_limit,payment_transaction_limit\n"
			     "1000.00,12.50,99999999999,-5\n"),
			 STATUS_OK);
	ck_assert_int_eq(card_euros(&order.cards[0], FIELD_PAYMENT_MONTHLY_LIMIT),
			 1000);
	assert_problem(0, 2, "atm_monthly_limit", "cents");
	assert_problem(1, 2, "payment_daily_limit", "out of range");
	ck_assert_int_eq(card_euros(&order.cards[0], FIELD_PAYMENT_TRANSACTION_LIMIT),
			 -5); /* validation says it cannot be negative */
}
END_TEST

START_TEST(csv_names_kept)
{
	ck_assert_int_eq(csv("holder,bank_account\n\"Zoé Lambert\",FR7616958000011234567890138\n"),
			 STATUS_OK);
	ck_assert_str_eq(card_text(&order.cards[0], FIELD_HOLDER), "Zoé Lambert");
	ck_assert_str_eq(card_text(&order.cards[0], FIELD_BANK_ACCOUNT),
			 "FR7616958000011234567890138");
}
END_TEST

START_TEST(json_wrapped_flat_and_array)
{
	ck_assert_int_eq(json("{\"cards\":[{\"card\":{\"card_level\":\"plus\"}},"
			      "{\"card_level\":\"flash\"}]}"),
			 STATUS_OK);
	ck_assert_int_eq(json("[{\"card\":{\"card_level\":\"metal\"}}]"), STATUS_OK);
	ck_assert_uint_eq(problems.n, 0);
	ck_assert_uint_eq(order.n_cards, 3);
	ck_assert_int_eq(order.cards[1].level, LEVEL_FLASH);
	ck_assert_uint_eq(order.cards[1].row, 2);
	ck_assert_int_eq(order.cards[2].level, LEVEL_METAL);
}
END_TEST

START_TEST(json_contact_name_null)
{
	ck_assert_int_eq(json("{\"cards\":[{\"card\":{\"address\":"
			      "{\"contact_name\":null,\"city\":\"Paris\"}}}]}"),
			 STATUS_OK);
	ck_assert(card_has(&order.cards[0], FIELD_CONTACT_NAME));
	ck_assert(card_is_null(&order.cards[0], FIELD_CONTACT_NAME));
	ck_assert_str_eq(card_text(&order.cards[0], FIELD_CITY), "Paris");
}
END_TEST

START_TEST(json_wrong_types)
{
	ck_assert_int_eq(json("{\"cards\":[{\"card\":{\"atm_option\":\"true\","
			      "\"payment_monthly_limit\":\"5\",\"active_days\":"
			      "\"1\",\"categories\":[1],\"card_level\":3,"
			      "\"address\":[]}}]}"),
			 STATUS_OK);
	ck_assert_uint_eq(problems.n, 6);
	for (size_t i = 0; i < problems.n; i++)
		ck_assert_uint_eq(problems.items[i].row, 1);
}
END_TEST

START_TEST(json_syntax_errors)
{
	ck_assert_int_eq(json("{\"cards\":[{\"card\":{}"), STATUS_FORMAT);
	ck_assert(strstr(err.message, "not valid"));
	ck_assert_int_eq(json("{\"cards\":[]} trailing"), STATUS_FORMAT);
	ck_assert_int_eq(json("{\"orders\":[]}"), STATUS_FORMAT);
	ck_assert(strstr(err.message, "\"cards\""));
	ck_assert_int_eq(json("{\"cards\":[\"\xC3\x28\"]}"), STATUS_FORMAT);
}
END_TEST

/* A key twice is an error, not last-wins: in a card, in its address,
 * spelt with an escape, in a root list; and a root key twice refuses the
 * file. Keys that only look alike are fine. */
START_TEST(json_duplicate_keys)
{
	ck_assert_int_eq(json("{\"cards\":[{\"card\":{\"card_level\":\"virtual\"}},"
			      "{\"card\":{\"payment_monthly_limit\":5000,"
			      "\"card_level\":\"virtual\",\"payment_monthly_limit\":50}}]}"),
			 STATUS_OK);
	ck_assert_uint_eq(order.n_cards, 2);
	ck_assert_uint_eq(problems.n_errors, 1);
	assert_problem(0, 2, "payment_monthly_limit", "given twice");
	ck_assert_uint_eq(problems.items[0].card, 1);
	teardown();
	setup();
	ck_assert_int_eq(json("[{\"card_level\":\"plus\",\"address\":{\"city\":\"Lyon\","
			      "\"city\":\"Paris\"}}]"),
			 STATUS_OK);
	assert_problem(0, 1, "city", "given twice");
	teardown();
	setup();
	ck_assert_int_eq(json("[{\"card_level\":\"plus\",\"card_l\\u0065vel\":\"metal\"}]"),
			 STATUS_OK);
	assert_problem(0, 1, "card_level", "given twice");
	teardown();
	setup();
	ck_assert_int_eq(json("{\"cards\":[],\"cards\":[{\"card_level\":\"plus\"}]}"),
			 STATUS_FORMAT);
	ck_assert(strstr(err.message, "\"cards\" is given twice"));
	teardown();
	setup();
	ck_assert_int_eq(json("[{\"card_level\":\"plus\",\"card_level \":\"metal\","
			      "\"x\":{\"card_level\":1}}]"),
			 STATUS_OK);
	for (size_t i = 0; i < problems.n; i++)
		ck_assert(!strstr(problems.items[i].message, "twice"));
}
END_TEST

START_TEST(json_not_a_number)
{
	/* json-c 0.16 lets NaN through even in strict mode; JSON has no
	 * NaN, so the file is refused as a whole. */
	ck_assert_int_eq(json("[{\"payment_monthly_limit\":NaN}]"),
			 STATUS_FORMAT);
	ck_assert_msg(strstr(err.message, "NaN"), "message \"%s\" lacks NaN",
		      err.message);
	ck_assert_uint_eq(order.n_cards, 0);
}
END_TEST

START_TEST(json_deep_nesting)
{
	char deep[20001];

	memset(deep, '[', 10000);
	memset(deep + 10000, ']', 10000);
	deep[20000] = '\0';
	ck_assert_int_eq(json(deep), STATUS_TOO_LARGE);
}
END_TEST

START_TEST(json_embedded_nul_and_controls)
{
	ck_assert_int_eq(json("{\"cards\":[{\"card\":{\"holder_id\":\"a\\u0000b\","
			      "\"address\":{\"city\":\"\\u001b[2J\"}}}]}"),
			 STATUS_OK);
	assert_problem(0, 1, "holder_id", "string");
	assert_problem(1, 1, "address.city", "control character");
}
END_TEST

START_TEST(json_huge_string)
{
	size_t n = 100000;
	char *doc = malloc(n + 64);

	ck_assert_ptr_nonnull(doc);
	strcpy(doc, "[{\"address\":{\"city\":\"");
	memset(doc + strlen(doc), 'x', n);
	strcpy(doc + 21 + n, "\"}}]");
	ck_assert_int_eq(json(doc), STATUS_OK);
	assert_problem(0, 1, "address.city", "longer than");
	free(doc);
}
END_TEST

START_TEST(file_formats_by_extension)
{
	ck_assert_int_eq(reader_read_file(FIXTURES "/orders/documented-example.json",
					  &order, &problems, &err),
			 STATUS_OK);
	ck_assert_uint_eq(order.n_cards, 1);
	ck_assert_str_eq(order.path, FIXTURES "/orders/documented-example.json");
	ck_assert_int_eq(reader_read_file(FIXTURES "/orders/does-not-exist.csv",
					  &order, &problems, &err),
			 STATUS_IO);
	ck_assert(strstr(err.message, "cannot open"));
}
END_TEST

struct batches {
	size_t sizes[8], firsts[8], n;
	int64_t last_limit;
	unsigned last_row;
};

static int on_batch(struct order *batch, size_t first, void *user)
{
	struct batches *b = user;

	ck_assert_uint_lt(b->n, 8);
	b->sizes[b->n] = batch->n_cards;
	b->firsts[b->n++] = first;
	b->last_limit = card_euros(&batch->cards[batch->n_cards - 1],
				   FIELD_PAYMENT_MONTHLY_LIMIT);
	b->last_row = batch->cards[batch->n_cards - 1].row;
	return 0;
}

/* A 137-card file read 50 cards at a time: the same cards, in order,
 * with their rows and indices in the whole file. */
START_TEST(stream_in_batches)
{
	FILE *f = fopen(FIXTURES "/orders/137-cards.csv", "r");
	struct batches b = { .n = 0 };

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(reader_stream_csv(f, 50, on_batch, &b, &problems, &err), STATUS_OK);
	fclose(f);
	ck_assert_uint_eq(b.n, 3);
	ck_assert_uint_eq(b.sizes[0], 50);
	ck_assert_uint_eq(b.sizes[2], 37);
	ck_assert_uint_eq(b.firsts[1], 50);
	ck_assert_uint_eq(b.firsts[2], 100);
	ck_assert_int_eq(b.last_limit, 137);
	ck_assert_uint_eq(b.last_row, 138);
	ck_assert_uint_eq(problems.n, 0);
}
END_TEST

START_TEST(stream_reports_problems_with_file_indices)
{
	static char text[] = "card_level\nplus\nplus\ngold\n";
	FILE *f = fmemopen(text, sizeof(text) - 1, "r"); /* without the NUL */
	struct batches b = { .n = 0 };

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(reader_stream_csv(f, 2, on_batch, &b, &problems, &err), STATUS_OK);
	fclose(f);
	ck_assert_uint_eq(b.n, 2);
	ck_assert_uint_eq(problems.n, 1);
	ck_assert_uint_eq(problems.items[0].card, 2);
	ck_assert_uint_eq(problems.items[0].row, 4);
}
END_TEST

START_TEST(set_from_text_unsets_on_empty)
{
	struct card *c = order_add_card(&order);

	ck_assert_int_eq(reader_set_from_text(c, 0, FIELD_CITY, "Lyon", &problems), 0);
	ck_assert(card_has(c, FIELD_CITY));
	ck_assert_int_eq(reader_set_from_text(c, 0, FIELD_CITY, "", &problems), 0);
	ck_assert(!card_has(c, FIELD_CITY));
	ck_assert_int_eq(reader_set_from_text(c, 0, FIELD_ATM_OPTION, "no", &problems), 0);
	ck_assert(card_has(c, FIELD_ATM_OPTION));
	ck_assert(!card_bool(c, FIELD_ATM_OPTION));
}
END_TEST

/* Issue 13, item 13: the JSON read a card at a time gives what the whole
 * reader gives: the same cards, problems (rows, fields, messages) and
 * statuses, for orders right and wrong. */
static const char *const json_cases[] = {
	"{\"cards\": [{\"card\": {\"card_level\": \"plus\", \"atm_option\": \"yes\"}}, "
	"{\"card_level\": \"virtual\", \"payment_monthly_limit\": 12.5}]}",
	"[{\"card\": {\"card_level\": \"flash\", \"categories\": [\"tax\", \"nope\"]}}, 3, "
	"\"x\", null, {\"card\": {\"card_level\": \"metal\", \"card_level\": \"plus\"}}]",
	"{\"version\": 2, \"meta\": {\"a\": [1, {\"b\": \"]}\"}]}, \"cards\": []}",
	"  \xEF\xBB\xBF{\"cards\": [{\"card\": {\"address\": {\"city\": \"Par\\\"is\", "
	"\"colour\": 1}}}]}  \n",
	"{\"cards\": [{\"card\": {\"card_level\": \"plus\"}}",
	"{\"cards\": [{\"card\": {}},, {}]}",
	"{\"cards\": [{}, ]}",
	"{\"cards\": [{} {}]}",
	"{\"cards\": {}}",
	"{\"other\": []}",
	"{\"cards\": [], \"cards\": []}",
	"{\"cards\": []} x",
	"",
	"   ",
	"[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]",
	"{\"cards\": [{\"card\": {\"nickname\": \"a\\u0000b\"}}]}",
	"{\"cards\": [{\"card\": {\"payment_monthly_limit\": NaN}}]}",
	"{\"x\": 1, \"cards\": [], \"x\": 2}",
	"{\"meta\": {\"a\": 1, \"a\": 2}, \"cards\": []}",
	"[[{\"a\": 1, \"a\": 1}], {\"card\": {\"card_level\": \"plus\"}}]",
};

START_TEST(json_stream_same)
{
	const char *text = json_cases[_i];
	struct problem_list streamed;
	struct status_error err2 = { 0 };
	struct order order2;
	enum status whole, st;
	FILE *f;

	order_init(&order2);
	problems_init(&streamed);
	whole = reader_read_json(text, strlen(text), &order, &problems, &err);
	f = fmemopen((void *)(uintptr_t)text, strlen(text) ? strlen(text) : 1, "r");
	ck_assert_ptr_nonnull(f);
	if (!*text) { /* fmemopen of nothing: a file of no bytes */
		fclose(f);
		f = fopen("/dev/null", "r");
	}
	st = reader_read_json_file(f, &order2, &streamed, &err2);
	fclose(f);
	ck_assert_msg(st == whole, "case %d: %d / %d: %s / %s", _i, st, whole, err2.message,
		      err.message);
	if (st == STATUS_OK) {
		ck_assert_uint_eq(order2.n_cards, order.n_cards);
		ck_assert_uint_eq(streamed.n, problems.n);
		for (size_t i = 0; i < problems.n; i++) {
			ck_assert_uint_eq(streamed.items[i].row, problems.items[i].row);
			ck_assert_uint_eq(streamed.items[i].card, problems.items[i].card);
			ck_assert_str_eq(streamed.items[i].field, problems.items[i].field);
			ck_assert_str_eq(streamed.items[i].message, problems.items[i].message);
		}
	}
	order_free(&order2);
	problems_free(&streamed);
}
END_TEST

/* 20 000 cards read a card at a time: batches of 50 with the indices of
 * the whole file, and a problem at its card's row. */
static size_t batches, cards_seen;

static int count_batch(struct order *batch, size_t first, void *user)
{
	(void)user;
	ck_assert_uint_eq(first, cards_seen);
	ck_assert_uint_le(batch->n_cards, 50);
	batches++;
	cards_seen += batch->n_cards;
	return 0;
}

START_TEST(json_stream_batches)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len), *in;

	ck_assert_ptr_nonnull(out);
	fputs("{\"cards\": [", out);
	for (int i = 0; i < 20000; i++)
		fprintf(out, "%s{\"card\": {\"card_level\": \"%s\", \"payment_monthly_limit\": 100}}",
			i ? ", " : "", i == 12345 ? "galactic" : "virtual");
	fputs("]}", out);
	fclose(out);
	batches = cards_seen = 0;
	in = fmemopen(text, len, "r");
	ck_assert_int_eq(reader_stream_json(in, 50, count_batch, NULL, &problems, &err), STATUS_OK);
	fclose(in);
	ck_assert_uint_eq(cards_seen, 20000);
	ck_assert_uint_eq(batches, 400);
	ck_assert_uint_eq(problems.n, 1);
	ck_assert_uint_eq(problems.items[0].row, 12346);
	ck_assert_uint_eq(problems.items[0].card, 12345);
	free(text);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("reader");
	TCase *tc = tcase_create("csv");
	TCase *tj = tcase_create("json");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_checked_fixture(tj, setup, teardown);
	tcase_add_test(tc, csv_basic_fields);
	tcase_add_test(tc, csv_quotes_and_newlines);
	tcase_add_test(tc, csv_crlf_and_bom);
	tcase_add_test(tc, csv_blank_rows_keep_numbers);
	tcase_add_test(tc, csv_invalid_utf8);
	tcase_add_test(tc, csv_semicolons);
	tcase_add_test(tc, csv_tabs);
	tcase_add_test(tc, csv_commas_win);
	tcase_add_test(tc, csv_utf16);
	tcase_add_test(tc, csv_broken_quote);
	tcase_add_loop_test(tc, json_stream_same, 0, (int)(sizeof(json_cases) / sizeof(json_cases[0])));
	tcase_add_test(tc, json_stream_batches);
	tcase_add_test(tc, csv_overlong_utf8);
	tcase_add_test(tc, csv_unknown_and_duplicate_columns);
	tcase_add_test(tc, csv_too_many_cells);
	tcase_add_test(tc, csv_unclosed_quote);
	tcase_add_test(tc, csv_empty_file);
	tcase_add_test(tc, csv_bad_values);
	tcase_add_test(tc, csv_amounts);
	tcase_add_test(tc, csv_names_kept);
	tcase_add_test(tc, set_from_text_unsets_on_empty);
	tcase_add_test(tc, stream_in_batches);
	tcase_add_test(tc, stream_reports_problems_with_file_indices);
	tcase_add_test(tj, json_wrapped_flat_and_array);
	tcase_add_test(tj, json_contact_name_null);
	tcase_add_test(tj, json_wrong_types);
	tcase_add_test(tj, json_syntax_errors);
	tcase_add_test(tj, json_duplicate_keys);
	tcase_add_test(tj, json_not_a_number);
	tcase_add_test(tj, json_deep_nesting);
	tcase_add_test(tj, json_embedded_nul_and_controls);
	tcase_add_test(tj, json_huge_string);
	tcase_add_test(tj, file_formats_by_extension);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tj);
	return s;
}

CHECK_MAIN(make_suite)
