/* check_results.c: per-card outcomes and the results export (PRODUCT.md,
 * "Results export"): the CSV against a golden file, the JSON's shape, and
 * the file written atomically with mode 0600. */
#include "config.h"

#include <csv.h>
#include <json-c/json.h>
#include <stdint.h>

#include "check_util.h"
#include "results.h"

#define N_ITEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define HOLDER_A "54ef7c9d-8a34-400a-9e74-0135f14560b9"
#define HOLDER_B "a25cf7d8-aa53-4dae-bf42-0546580182a3"
#define CARD_1 "3c90c3cc-0d44-4b50-8888-8dd25736052a"
#define CARD_2 "0b2d1e4f-6a7c-4e8b-9d0f-1a2b3c4d5e6f"
#define CARD_3 "9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b"

#define HEADER                                                                 \
	"row,request,holder_id,holder_name,card_level,status,card_id,"         \
	"mask_pan,last_digits,exp_month,exp_year,embossed_name,"               \
	"payment_monthly_limit,payment_daily_limit,payment_transaction_limit," \
	"atm_monthly_limit,atm_daily_limit,payment_lifespan_limit,"            \
	"pre_expires_at,error_code,error_detail,error_field,pin_set,shipped_at"

static const char *const columns[24] = {
    "row",
    "request",
    "holder_id",
    "holder_name",
    "card_level",
    "status",
    "card_id",
    "mask_pan",
    "last_digits",
    "exp_month",
    "exp_year",
    "embossed_name",
    "payment_monthly_limit",
    "payment_daily_limit",
    "payment_transaction_limit",
    "atm_monthly_limit",
    "atm_daily_limit",
    "payment_lifespan_limit",
    "pre_expires_at",
    "error_code",
    "error_detail",
    "error_field",
    "pin_set",
    "shipped_at",
};

static struct results res;
static struct status_error err;

static void setup(void)
{
	memset(&res, 0, sizeof(res));
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	results_free(&res);
}

static char *xdup(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	ck_assert(!s || d);
	return d;
}

/* What was asked: limits in the order of card_request_info.limits, -1 for
 * "not asked". */
static void ask(size_t i, const char *holder, const char *level,
		const char *pre_expires, const int64_t want[6])
{
	int64_t limits[6] = {0};
	unsigned bits = 0;

	for (int k = 0; k < 6; k++) {
		if (want[k] >= 0) {
			limits[k] = want[k];
			bits |= 1u << k;
		}
	}
	ck_assert_int_eq(results_set_asked(&res, i, holder, level, pre_expires,
					   limits, bits),
			 STATUS_OK);
}

struct made {
	const char *id, *status, *mask_pan, *last_digits, *exp_month, *exp_year;
	const char *embossed_name, *holder_id, *card_level, *pre_expires_at;
	const char *json;
	int64_t limits[6]; /* in the order of card_request_info.limits */
	unsigned has;	   /* LIMIT_* bits: what the card came back with */
};

static void create(size_t i, unsigned request, const struct made *m)
{
	struct card_object c;
	int64_t *slots[6] = {
	    &c.payment_monthly_limit,	  &c.payment_daily_limit,
	    &c.payment_transaction_limit, &c.atm_monthly_limit,
	    &c.atm_daily_limit,		  &c.payment_lifespan_limit};

	memset(&c, 0, sizeof(c));
	c.id = xdup(m->id);
	c.status = xdup(m->status);
	c.mask_pan = xdup(m->mask_pan);
	c.last_digits = xdup(m->last_digits);
	c.exp_month = xdup(m->exp_month);
	c.exp_year = xdup(m->exp_year);
	c.embossed_name = xdup(m->embossed_name);
	c.holder_id = xdup(m->holder_id);
	c.card_level = xdup(m->card_level);
	c.pre_expires_at = xdup(m->pre_expires_at);
	c.json = xdup(m->json);
	for (int k = 0; k < 6; k++)
		*slots[k] = m->limits[k];
	c.has_limits = m->has;
	results_created(&res, i, request, &c);
	/* The card was moved: nothing of it is left to the caller. */
	ck_assert_ptr_null(c.id);
	ck_assert_ptr_null(c.json);
	ck_assert_uint_eq(c.has_limits, 0);
}

static void mark_failed(size_t i, unsigned request, enum result_state state,
			const char *code, const char *detail, const char *field)
{
	ck_assert_int_eq(
	    results_fail(&res, i, request, state, code, detail, field),
	    STATUS_OK);
}

static void name(size_t i, const char *holder_name)
{
	free(res.cards[i].holder_name);
	res.cards[i].holder_name = xdup(holder_name);
}

#define CARD_1_JSON                                                            \
	"{\"id\":\"" CARD_1 "\",\"status\":\"pending\",\"mask_pan\":"          \
	"\"511768******7662\",\"holder_id\":\"" HOLDER_A "\",\"card_level\":"  \
	"\"plus\",\"payment_monthly_limit\":2000,\"payment_daily_limit\":500," \
	"\"nickname\":null}"

/* The order of the golden file: every state, every hostile cell. */
static void build_sample(void)
{
	static const int64_t none[6] = {-1, -1, -1, -1, -1, -1};
	static const struct made card1 = {
	    .id = CARD_1,
	    .status = "pending",
	    .mask_pan = "511768******7662",
	    .last_digits = "7662",
	    .exp_month = "3",
	    .exp_year = "2029",
	    .embossed_name = "HELENE DUBOIS",
	    .holder_id = HOLDER_A,
	    .card_level = "plus",
	    .json = CARD_1_JSON,
	    .limits = {2000, 500},
	    .has = LIMIT_PAYMENT_MONTHLY | LIMIT_PAYMENT_DAILY,
	};
	/* Strings from the server are untrusted: a formula, an escape
	 * sequence and a bidi override. */
	static const struct made card7 = {
	    .id = CARD_2,
	    .status = "\r=1+1",
	    .mask_pan = "=1+2",
	    .last_digits = "7\"62",
	    .embossed_name = "\x1b[31mRED\xe2\x80\xae",
	    .holder_id = HOLDER_B,
	    .card_level = "virtual",
	    .json = "{\"id\":\"" CARD_2 "\"}",
	};
	static const struct made card8 = {
	    .id = CARD_3,
	    .holder_id = NULL,
	    .card_level = NULL,
	    .pre_expires_at = "2030-06-30T23:59:59.000Z",
	    .limits = {[5] = 250},
	    .has = LIMIT_PAYMENT_LIFESPAN,
	};

	ck_assert_int_eq(results_init(&res, 8, &err), STATUS_OK);
	ask(0, HOLDER_A, "plus", NULL,
	    (const int64_t[6]){1000, 100, 50, 300, -1, -1});
	create(0, 1, &card1);
	name(0, "Hélène Dubois-Ferrière");

	ask(1, HOLDER_B, "virtual", NULL,
	    (const int64_t[6]){25000, -1, -1, -1, -1, -1});
	mark_failed(1, 1, RESULT_FAILED, "invalid_value",
		    "must be at most 20000", "payment_monthly_limit");
	name(1, "=HYPERLINK(\"http://x\",\"y\")");

	ask(2, HOLDER_B, "standard", NULL,
	    (const int64_t[6]){100, -1, -1, 200, 50, -1});
	name(2, "+1");

	ask(3, HOLDER_A, "flash", "2030-01-31T23:59:59Z",
	    (const int64_t[6]){-1, -1, -1, -1, -1, 500});
	mark_failed(3, 2, RESULT_UNKNOWN, "timeout",
		    "no answer after 90 s\nthe card may exist", NULL);
	name(3, "-1+1");

	ask(4, HOLDER_B, "standard", NULL, none);
	mark_failed(4, 2, RESULT_FAILED, "invalid", "a,b", "address.city");
	name(4, "@SUM(A1)");

	ask(5, HOLDER_B, "standard", NULL, none);
	mark_failed(5, 2, RESULT_FAILED, "-2+3", "a\"b", "");
	name(5, "\t=1");

	ask(6, HOLDER_A, "standard", NULL, none);
	create(6, 2, &card7);
	name(6, "Zoé 🚀 Lefèvre");

	/* Created, but the card came back without status, holder or level:
	 * what was asked fills in. */
	ask(7, HOLDER_A, "flash", "2030-01-01T00:00:00Z",
	    (const int64_t[6]){-1, -1, -1, -1, -1, 300});
	create(7, 3, &card8);
}

static char *export(bool json, size_t *len_out)
{
	char *out = NULL;
	size_t len = 0;

	ck_assert_int_eq(results_export_buffer(&res, json, CSV_STANDARD, &out, &len, &err),
			 STATUS_OK);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(len, strlen(out));
	if (len_out)
		*len_out = len;
	return out;
}

/* Line n (0-based) of a CRLF text, without its CRLF; owned. */
static char *csv_line(const char *text, unsigned n)
{
	const char *p = text, *end;

	for (unsigned i = 0; i < n; i++) {
		p = strstr(p, "\r\n");
		ck_assert_ptr_nonnull(p);
		p += 2;
	}
	end = strstr(p, "\r\n");
	ck_assert_ptr_nonnull(end);
	return strndup(p, (size_t)(end - p));
}

/* ---- the model ---- */

START_TEST(test_init_and_count)
{
	size_t counts[4];

	ck_assert_int_eq(results_init(&res, 5, &err), STATUS_OK);
	ck_assert_uint_eq(res.n, 5);
	results_count(&res, counts);
	ck_assert_uint_eq(counts[RESULT_NOT_SENT], 5);
	ck_assert_uint_eq(counts[RESULT_CREATED], 0);
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(res.cards[i].state, RESULT_NOT_SENT);
		ck_assert_uint_eq(res.cards[i].request, 0);
		ck_assert_str_eq(results_status_text(&res.cards[i]),
				 "not_sent");
	}
	mark_failed(0, 1, RESULT_FAILED, "invalid", "bad", "holder_id");
	mark_failed(1, 1, RESULT_UNKNOWN, NULL, NULL, NULL);
	create(2, 1, &(struct made){.id = CARD_1, .status = "live"});
	create(3, 2, &(struct made){.id = CARD_2});
	results_count(&res, counts);
	ck_assert_uint_eq(counts[RESULT_NOT_SENT], 1);
	ck_assert_uint_eq(counts[RESULT_CREATED], 2);
	ck_assert_uint_eq(counts[RESULT_FAILED], 1);
	ck_assert_uint_eq(counts[RESULT_UNKNOWN], 1);
	ck_assert_str_eq(results_status_text(&res.cards[0]), "failed");
	ck_assert_str_eq(results_status_text(&res.cards[1]), "unknown");
	ck_assert_str_eq(results_status_text(&res.cards[2]), "live");
	/* Created without a status in the answer. */
	ck_assert_str_eq(results_status_text(&res.cards[3]), "created");
	ck_assert_str_eq(results_status_text(&res.cards[4]), "not_sent");
}
END_TEST

START_TEST(test_init_empty)
{
	char *csv, *json;
	struct json_object *root;

	ck_assert_int_eq(results_init(&res, 0, &err), STATUS_OK);
	ck_assert_uint_eq(res.n, 0);
	csv = export(false, NULL);
	ck_assert_str_eq(csv, HEADER "\r\n");
	json = export(true, NULL);
	root = json_tokener_parse(json);
	ck_assert(json_object_is_type(root, json_type_array));
	ck_assert_uint_eq(json_object_array_length(root), 0);
	json_object_put(root);
	free(csv);
	free(json);
}
END_TEST

START_TEST(test_fail_copies_and_replaces)
{
	char code[] = "invalid", detail[] = "too high",
	     field[] = "atm_daily_limit";

	ck_assert_int_eq(results_init(&res, 1, &err), STATUS_OK);
	create(0, 1,
	       &(struct made){.id = CARD_1,
			      .status = "pending",
			      .limits = {5},
			      .has = LIMIT_PAYMENT_MONTHLY});
	mark_failed(0, 3, RESULT_FAILED, code, detail, field);
	/* The strings were copied, not borrowed. */
	code[0] = detail[0] = field[0] = 'X';
	ck_assert_int_eq(res.cards[0].state, RESULT_FAILED);
	ck_assert_uint_eq(res.cards[0].request, 3);
	ck_assert_str_eq(res.cards[0].error_code, "invalid");
	ck_assert_str_eq(res.cards[0].error_detail, "too high");
	ck_assert_str_eq(res.cards[0].error_field, "atm_daily_limit");
	/* The card of the earlier outcome is gone. */
	ck_assert_ptr_null(res.cards[0].card.id);
	ck_assert_uint_eq(res.cards[0].card.has_limits, 0);

	/* And a card replaces an error. */
	create(0, 4, &(struct made){.id = CARD_2, .status = "pending"});
	ck_assert_int_eq(res.cards[0].state, RESULT_CREATED);
	ck_assert_uint_eq(res.cards[0].request, 4);
	ck_assert_ptr_null(res.cards[0].error_code);
	ck_assert_ptr_null(res.cards[0].error_detail);
	ck_assert_str_eq(res.cards[0].error_field, "");
	ck_assert_str_eq(res.cards[0].card.id, CARD_2);
}
END_TEST

START_TEST(test_fail_field_cut)
{
	char field[200];

	memset(field, 'f', sizeof(field) - 1);
	field[sizeof(field) - 1] = '\0';
	ck_assert_int_eq(results_init(&res, 1, &err), STATUS_OK);
	mark_failed(0, 1, RESULT_FAILED, NULL, NULL, field);
	ck_assert_uint_eq(strlen(res.cards[0].error_field),
			  sizeof(res.cards[0].error_field) - 1);
	ck_assert_ptr_null(res.cards[0].error_code);
}
END_TEST

START_TEST(test_set_asked)
{
	const int64_t limits[6] = {1, 2, 3, 4, 5, 6};
	char holder[] = HOLDER_A;

	ck_assert_int_eq(results_init(&res, 2, &err), STATUS_OK);
	ck_assert_int_eq(
	    results_set_asked(&res, 1, holder, "flash", "2030-01-01T00:00:00Z",
			      limits, LIMIT_PAYMENT_LIFESPAN | LIMIT_ATM_DAILY),
	    STATUS_OK);
	holder[0] = 'X';
	ck_assert_str_eq(res.cards[1].asked.holder_id, HOLDER_A);
	ck_assert_str_eq(res.cards[1].asked.card_level, "flash");
	ck_assert_str_eq(res.cards[1].asked.pre_expires_at,
			 "2030-01-01T00:00:00Z");
	ck_assert_uint_eq(res.cards[1].asked.has_limits,
			  LIMIT_PAYMENT_LIFESPAN | LIMIT_ATM_DAILY);
	ck_assert_int_eq(res.cards[1].asked.limits[5], 6);
	ck_assert_int_eq(res.cards[1].asked.limits[4], 5);
	/* Asking again replaces everything, NULLs included. */
	ck_assert_int_eq(results_set_asked(&res, 1, NULL, "virtual", NULL,
					   limits, LIMIT_PAYMENT_MONTHLY),
			 STATUS_OK);
	ck_assert_ptr_null(res.cards[1].asked.holder_id);
	ck_assert_ptr_null(res.cards[1].asked.pre_expires_at);
	ck_assert_str_eq(res.cards[1].asked.card_level, "virtual");
	ck_assert_uint_eq(res.cards[1].asked.has_limits, LIMIT_PAYMENT_MONTHLY);
	ck_assert_ptr_null(res.cards[0].asked.card_level);
}
END_TEST

/* ---- CSV ---- */

START_TEST(test_csv_golden)
{
	const char *path = FIXTURES "/export/results.csv";
	size_t len = 0, want_len = 0;
	char *got, *want = slurp(path, &want_len);

	ck_assert_msg(want != NULL, "cannot read %s", path);
	build_sample();
	got = export(false, &len);
	ck_assert_msg(len == want_len && memcmp(got, want, len) == 0,
		      "export differs from %s:\n%s", path, got);
	free(got);
	free(want);
}
END_TEST

START_TEST(test_csv_header_and_lines)
{
	char *csv, *line;
	const char *p;
	unsigned crlf = 0;

	build_sample();
	csv = export(false, NULL);
	line = csv_line(csv, 0);
	ck_assert_str_eq(line, HEADER);
	free(line);
	/* One CRLF-terminated line per card after the header, in order, and
	 * no bare LF or CR anywhere: a newline in a value cannot split a
	 * record. */
	for (p = csv; *p; p++) {
		if (*p == '\r') {
			ck_assert_int_eq(p[1], '\n');
			crlf++;
			p++;
		} else {
			ck_assert_int_ne(*p, '\n');
		}
	}
	ck_assert_uint_eq(crlf, 1 + res.n);
	ck_assert(strlen(csv) >= 2 &&
		  strcmp(csv + strlen(csv) - 2, "\r\n") == 0);
	for (unsigned i = 0; i < res.n; i++) {
		char prefix[32];

		line = csv_line(csv, 1 + i);
		snprintf(prefix, sizeof(prefix), "%u,", i + 1);
		ck_assert_msg(strncmp(line, prefix, strlen(prefix)) == 0,
			      "line %u: %s", i + 1, line);
		free(line);
	}
	free(csv);
}
END_TEST

/* A single hostile holder name, exported; the cell as it must appear. */
static const struct {
	const char *name, *cell;
} formula_cases[] = {
    {"=HYPERLINK(\"http://x\",\"y\")",
     "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
    {"+1", "\"'+1\""},
    {"-1+1", "\"'-1+1\""},
    {"@SUM(A1)", "\"'@SUM(A1)\""},
    {"\t=1", "\"'\\x09=1\""},
    {"\r=1", "\"'\\x0D=1\""},
    {"a,b", "\"a,b\""},
    {"a\"b", "\"a\"\"b\""},
    {"line one\nline two", "\"line one\\x0Aline two\""},
    {"\x1b]0;pwned\x07", "\"\\x1B]0;pwned\\x07\""},
    {"abc\xe2\x80\xae", "\"abc\\u{202E}\""},
    {"Hélène", "\"Hélène\""},
    {"1+1", "\"1+1\""},
    {" =1", "\" =1\""},
};

START_TEST(test_csv_formula_and_quoting)
{
	char *csv, *line, *want = NULL;

	ck_assert_int_eq(results_init(&res, 1, &err), STATUS_OK);
	name(0, formula_cases[_i].name);
	csv = export(false, NULL);
	line = csv_line(csv, 1);
	ck_assert_int_ge(asprintf(&want, "1,,,%s,,\"not_sent\",,,,,,,,,,,,,,,,,,",
				  formula_cases[_i].cell),
			 0);
	ck_assert_str_eq(line, want);
	free(want);
	free(line);
	free(csv);
}
END_TEST

/* Every text column is neutralised, not only names. */
START_TEST(test_csv_formula_every_text_column)
{
	char *csv, *line;

	ck_assert_int_eq(results_init(&res, 1, &err), STATUS_OK);
	ask(0, "=1", "+2", "-3", (const int64_t[6]){-1, -1, -1, -1, -1, -1});
	mark_failed(0, 1, RESULT_FAILED, "@4", "=5", "+6");
	csv = export(false, NULL);
	line = csv_line(csv, 1);
	ck_assert_str_eq(line, "1,1,\"'=1\",,\"'+2\",\"failed\",,,,,,,,,,,,,"
			       "\"'-3\",\"'@4\",\"'=5\",\"'+6\",,");
	free(line);
	free(csv);
}
END_TEST

START_TEST(test_csv_numbers_unquoted)
{
	char *csv, *line;

	ck_assert_int_eq(results_init(&res, 1, &err), STATUS_OK);
	ask(0, HOLDER_A, "standard", NULL,
	    (const int64_t[6]){1, 22, 333, 0, 55555, 9000000000});
	mark_failed(0, 12, RESULT_UNKNOWN, NULL, NULL, NULL);
	csv = export(false, NULL);
	line = csv_line(csv, 1);
	ck_assert_str_eq(line,
			 "1,12,\"" HOLDER_A "\",,\"standard\",\"unknown\","
			 ",,,,,,1,22,333,0,55555,9000000000,,,,,,");
	free(line);
	free(csv);
}
END_TEST

/* Limits: the card's own when it came back with them, else what was
 * asked; a card that failed shows only what was asked. */
START_TEST(test_csv_limits_card_then_asked)
{
	char *csv, *line;

	build_sample();
	csv = export(false, NULL);
	line = csv_line(csv, 1);
	/* Card 1 came back with 2000/500 (asked 1000/100), without the
	 * transaction and ATM limits: those come from what was asked. */
	ck_assert_ptr_nonnull(
	    strstr(line, ",\"HELENE DUBOIS\",2000,500,50,300,,,"));
	free(line);
	line = csv_line(csv, 2);
	ck_assert_ptr_nonnull(strstr(line, ",,25000,,,,,,,\"invalid_value\""));
	free(line);
	line = csv_line(csv, 3);
	ck_assert_ptr_nonnull(
	    strstr(line, "\"not_sent\",,,,,,,100,,,200,50,,,"));
	free(line);
	line = csv_line(csv, 8);
	/* Nothing about holder or level in the card: what was asked; the
	 * card's lifespan and expiry win over what was asked. */
	ck_assert_str_eq(line,
			 "8,3,\"" HOLDER_A "\",,\"flash\",\"created\",\"" CARD_3
			 "\",,,,,,,,,,,250,\"2030-06-30T23:59:59.000Z\",,,,\"false\",");
	free(line);
	free(csv);
}
END_TEST

/* ---- JSON ---- */

static struct json_object *member(struct json_object *obj, const char *key)
{
	struct json_object *val = NULL;

	ck_assert_msg(json_object_object_get_ex(obj, key, &val), "no key %s",
		      key);
	return val;
}

START_TEST(test_json_shape)
{
	struct json_object *root, *row, *card, *want;
	char *json;

	build_sample();
	json = export(true, NULL);
	root = json_tokener_parse(json);
	ck_assert_msg(json_object_is_type(root, json_type_array), "%s", json);
	ck_assert_uint_eq(json_object_array_length(root), res.n);
	for (size_t i = 0; i < res.n; i++) {
		struct json_object_iterator it, end;
		int k = 0;

		row = json_object_array_get_idx(root, i);
		ck_assert(json_object_is_type(row, json_type_object));
		ck_assert_int_eq(json_object_object_length(row), 25);
		/* The CSV's columns in its order, then the card. */
		end = json_object_iter_end(row);
		for (it = json_object_iter_begin(row);
		     !json_object_iter_equal(&it, &end);
		     json_object_iter_next(&it))
			ck_assert_str_eq(json_object_iter_peek_name(&it),
					 k < 24 ? columns[k++] : "card");
		ck_assert_int_eq(json_object_get_int64(member(row, "row")),
				 (int64_t)i + 1);
		ck_assert(
		    json_object_is_type(member(row, "row"), json_type_int));
	}

	row = json_object_array_get_idx(root, 0);
	ck_assert_int_eq(json_object_get_int64(member(row, "request")), 1);
	ck_assert_str_eq(json_object_get_string(member(row, "status")),
			 "pending");
	ck_assert_str_eq(json_object_get_string(member(row, "holder_name")),
			 "Hélène Dubois-Ferrière");
	ck_assert(json_object_is_type(member(row, "payment_monthly_limit"),
				      json_type_int));
	ck_assert_int_eq(
	    json_object_get_int64(member(row, "payment_monthly_limit")), 2000);
	ck_assert_int_eq(
	    json_object_get_int64(member(row, "payment_transaction_limit")),
	    50);
	ck_assert_ptr_null(member(row, "atm_daily_limit"));
	ck_assert_ptr_null(member(row, "error_code"));
	ck_assert_ptr_null(member(row, "pre_expires_at"));
	/* The card object as returned, unknown members and nulls included. */
	card = member(row, "card");
	want = json_tokener_parse(CARD_1_JSON);
	ck_assert(json_object_equal(card, want));
	json_object_put(want);

	/* Not created: no card, the error as given, nulls for the rest. */
	row = json_object_array_get_idx(root, 1);
	ck_assert_ptr_null(member(row, "card"));
	ck_assert_ptr_null(member(row, "card_id"));
	ck_assert_ptr_null(member(row, "payment_daily_limit"));
	ck_assert_str_eq(json_object_get_string(member(row, "status")),
			 "failed");
	ck_assert_str_eq(json_object_get_string(member(row, "error_field")),
			 "payment_monthly_limit");
	/* JSON is not a spreadsheet: values are kept as they are. */
	ck_assert_str_eq(json_object_get_string(member(row, "holder_name")),
			 "=HYPERLINK(\"http://x\",\"y\")");

	row = json_object_array_get_idx(root, 2);
	ck_assert_ptr_null(member(row, "request"));
	ck_assert_str_eq(json_object_get_string(member(row, "status")),
			 "not_sent");
	ck_assert_int_eq(json_object_get_int64(member(row, "atm_daily_limit")),
			 50);

	row = json_object_array_get_idx(root, 3);
	ck_assert_str_eq(json_object_get_string(member(row, "error_detail")),
			 "no answer after 90 s\nthe card may exist");
	ck_assert_ptr_null(member(row, "error_field"));
	ck_assert_str_eq(json_object_get_string(member(row, "pre_expires_at")),
			 "2030-01-31T23:59:59Z");

	row = json_object_array_get_idx(root, 6);
	ck_assert_str_eq(json_object_get_string(member(row, "embossed_name")),
			 "\x1b[31mRED\xe2\x80\xae");
	ck_assert_str_eq(
	    json_object_get_string(
		member(json_object_array_get_idx(root, 5), "holder_name")),
	    "\t=1");
	json_object_put(root);
	free(json);
}
END_TEST

/* A created card whose saved object is missing or unreadable: "card" is
 * null rather than the export failing. */
START_TEST(test_json_card_unreadable)
{
	struct json_object *root;
	char *json;

	ck_assert_int_eq(results_init(&res, 2, &err), STATUS_OK);
	create(0, 1, &(struct made){.id = CARD_1, .json = "{\"id\":"});
	create(1, 1, &(struct made){.id = CARD_2});
	json = export(true, NULL);
	root = json_tokener_parse(json);
	ck_assert_uint_eq(json_object_array_length(root), 2);
	for (size_t i = 0; i < 2; i++) {
		struct json_object *row = json_object_array_get_idx(root, i);

		ck_assert_ptr_null(member(row, "card"));
		ck_assert_str_eq(json_object_get_string(member(row, "card_id")),
				 i ? CARD_2 : CARD_1);
	}
	json_object_put(root);
	free(json);
}
END_TEST

/* ---- files ---- */

START_TEST(test_export_file_csv)
{
	char *dir = tmpdir_new(), *path = NULL, *data, *want;
	size_t len = 0, want_len = 0;

	build_sample();
	ck_assert_int_ge(asprintf(&path, "%s/results.csv", dir), 0);
	/* An older file of that name, readable by all, is replaced. */
	{
		FILE *f = fopen(path, "w");

		ck_assert_ptr_nonnull(f);
		fputs("old", f);
		fclose(f);
		chmod(path, 0644);
	}
	ck_assert_int_eq(results_export(&res, path, CSV_STANDARD, &err), STATUS_OK);
	ck_assert_uint_eq(file_mode(path), 0600);
	ck_assert_uint_eq(dir_count(dir), 1); /* no temporary file left */
	data = slurp(path, &len);
	ck_assert_ptr_nonnull(data);
	want = export(false, &want_len);
	ck_assert_uint_eq(len, want_len);
	ck_assert(memcmp(data, want, len) == 0);
	free(data);
	free(want);
	free(path);
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_export_file_json_by_extension)
{
	static const char *const names[] = {"out.json", "OUT.JSON",
					    "a.csv.json"};
	char *dir = tmpdir_new(), *path = NULL, *data;
	struct json_object *root;

	build_sample();
	for (int i = 0; i < N_ITEMS(names); i++) {
		ck_assert_int_ge(asprintf(&path, "%s/%s", dir, names[i]), 0);
		ck_assert_int_eq(results_export(&res, path, CSV_STANDARD, &err), STATUS_OK);
		ck_assert_uint_eq(file_mode(path), 0600);
		data = slurp(path, NULL);
		root = json_tokener_parse(data);
		ck_assert_msg(json_object_is_type(root, json_type_array),
			      "%s: %s", names[i], data);
		ck_assert_uint_eq(json_object_array_length(root), res.n);
		json_object_put(root);
		free(data);
		free(path);
	}
	ck_assert_uint_eq(dir_count(dir), N_ITEMS(names));
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_export_file_other_extensions_are_csv)
{
	static const char *const names[] = {"out.csv", "out.txt", "json",
					    "out.json.csv", "out.jsonl"};
	char *dir = tmpdir_new(), *path = NULL, *data;

	build_sample();
	for (int i = 0; i < N_ITEMS(names); i++) {
		ck_assert_int_ge(asprintf(&path, "%s/%s", dir, names[i]), 0);
		ck_assert_int_eq(results_export(&res, path, CSV_STANDARD, &err), STATUS_OK);
		data = slurp(path, NULL);
		ck_assert_msg(
		    strncmp(data, HEADER "\r\n", strlen(HEADER) + 2) == 0,
		    "%s is not CSV", names[i]);
		free(data);
		free(path);
	}
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_export_file_unwritable)
{
	char *dir = tmpdir_new(), *path = NULL;

	build_sample();
	ck_assert_int_ge(asprintf(&path, "%s/missing/results.csv", dir), 0);
	ck_assert_int_eq(results_export(&res, path, CSV_STANDARD, &err), STATUS_IO);
	ck_assert_int_eq(err.code, STATUS_IO);
	ck_assert_ptr_nonnull(strstr(err.message, "missing/results.csv"));
	ck_assert_uint_eq(dir_count(dir), 0);
	free(path);
	tmpdir_remove(dir);
}
END_TEST

/* A device, a pipe or a link is never replaced by an export: renaming
 * over one would replace it (as root, /dev/null itself). */
START_TEST(test_export_refuses_non_regular_targets)
{
	char *dir = tmpdir_new(), *fifo = NULL, *link = NULL, *target = NULL;
	char *sub = NULL, *data;
	struct stat sb;

	build_sample();
	ck_assert_int_ge(asprintf(&fifo, "%s/pipe.csv", dir), 0);
	ck_assert_int_ge(asprintf(&target, "%s/kept.csv", dir), 0);
	ck_assert_int_ge(asprintf(&link, "%s/link.csv", dir), 0);
	ck_assert_int_ge(asprintf(&sub, "%s/sub.csv", dir), 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	{
		FILE *f = fopen(target, "w");

		ck_assert_ptr_nonnull(f);
		fputs("kept", f);
		fclose(f);
	}
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(results_export(&res, fifo, CSV_STANDARD, &err), STATUS_IO);
	ck_assert_ptr_nonnull(strstr(err.message, "not a regular file"));
	ck_assert_int_eq(lstat(fifo, &sb), 0);
	ck_assert(S_ISFIFO(sb.st_mode));
	ck_assert_int_eq(results_export(&res, link, CSV_STANDARD, &err), STATUS_IO);
	ck_assert_int_eq(lstat(link, &sb), 0);
	ck_assert(S_ISLNK(sb.st_mode));
	data = slurp(target, NULL);
	ck_assert_str_eq(data, "kept");
	free(data);
	ck_assert_int_eq(results_export(&res, sub, CSV_STANDARD, &err), STATUS_IO);
	ck_assert_uint_eq(dir_count(dir), 4); /* no temporary file left */
	free(fifo);
	free(link);
	free(target);
	free(sub);
	tmpdir_remove(dir);
}
END_TEST

/* The cells of a CSV text, one string per cell and "\n" after each row
 * (libcsv with DELIM between cells). */
struct cells_text { char *text; size_t len; };

static void on_cell(void *s, size_t len, void *data)
{
	struct cells_text *c = data;

	c->text = realloc(c->text, c->len + len + 2);
	ck_assert_ptr_nonnull(c->text);
	memcpy(c->text + c->len, s, len);
	c->len += len;
	c->text[c->len++] = '|';
	c->text[c->len] = '\0';
}

static void on_row(int end, void *data)
{
	struct cells_text *c = data;

	char nl[] = "\n";

	(void)end;
	on_cell(nl, 1, c);
}

static char *cells_of(const char *text, size_t len, unsigned char delim)
{
	struct csv_parser p;
	struct cells_text c = { NULL, 0 };

	ck_assert_int_eq(csv_init(&p, CSV_STRICT | CSV_APPEND_NULL), 0);
	csv_set_delim(&p, delim);
	ck_assert_uint_eq(csv_parse(&p, text, len, on_cell, on_row, &c), len);
	csv_fini(&p, on_cell, on_row, &c);
	csv_free(&p);
	return c.text;
}

/* Issue 16: the export for French Excel is the standard one with a byte
 * order mark and ';' between cells: every cell the same, none split by a
 * ';' or ',' of its own (names, errors and addresses hold both). */
START_TEST(test_csv_for_french_excel)
{
	char *std, *fr = NULL, *a, *b;
	size_t len = 0;

	build_sample();
	std = export(false, NULL);
	ck_assert_int_eq(results_export_buffer(&res, false, CSV_EXCEL_FR, &fr, &len, &err),
			 STATUS_OK);
	ck_assert_mem_eq(fr, "\xEF\xBB\xBF", 3);
	ck_assert_ptr_null(strstr(fr + 3, "\xEF\xBB\xBF"));
	a = cells_of(std, strlen(std), ',');
	b = cells_of(fr + 3, len - 3, ';');
	ck_assert_ptr_nonnull(strstr(a, "|a,b|"));
	ck_assert_str_eq(b, a);
	free(a);
	free(b);
	free(std);
	free(fr);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("results");
	TCase *model = tcase_create("model");
	TCase *csv = tcase_create("csv");
	TCase *json = tcase_create("json");
	TCase *file = tcase_create("file");
	TCase *all[] = {model, csv, json, file};

	for (int i = 0; i < N_ITEMS(all); i++)
		tcase_add_checked_fixture(all[i], setup, teardown);
	tcase_add_unchecked_fixture(file, tmpdir_root_setup,
				    tmpdir_root_teardown);
	tcase_add_test(model, test_init_and_count);
	tcase_add_test(model, test_init_empty);
	tcase_add_test(model, test_fail_copies_and_replaces);
	tcase_add_test(model, test_fail_field_cut);
	tcase_add_test(model, test_set_asked);
	tcase_add_test(csv, test_csv_golden);
	tcase_add_test(csv, test_csv_header_and_lines);
	tcase_add_loop_test(csv, test_csv_formula_and_quoting, 0,
			    N_ITEMS(formula_cases));
	tcase_add_test(csv, test_csv_formula_every_text_column);
	tcase_add_test(csv, test_csv_numbers_unquoted);
	tcase_add_test(csv, test_csv_for_french_excel);
	tcase_add_test(csv, test_csv_limits_card_then_asked);
	tcase_add_test(json, test_json_shape);
	tcase_add_test(json, test_json_card_unreadable);
	tcase_add_test(file, test_export_file_csv);
	tcase_add_test(file, test_export_file_json_by_extension);
	tcase_add_test(file, test_export_file_other_extensions_are_csv);
	tcase_add_test(file, test_export_file_unwritable);
	tcase_add_test(file, test_export_refuses_non_regular_targets);
	for (int i = 0; i < N_ITEMS(all); i++)
		suite_add_tcase(s, all[i]);
	return s;
}

CHECK_MAIN(make_suite)
