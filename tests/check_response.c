/* check_response.c: parsing the answers of POST /v2/cards/bulk. */
#include "config.h"

#include <json-c/json.h>
#include <stdint.h>

#include "check_util.h"
#include "response.h"
#include "text.h"

#define ALL_LIMITS 0x3Fu

/* Parses len bytes copied into a buffer of exactly that size, so that the
 * sanitizers catch any read past the end (the body has no NUL). */
static enum status parse_len(long status, const char *text, size_t len,
			     size_t n_sent, struct bulk_response *resp,
			     struct status_error *err)
{
	char *body = malloc(len ? len : 1);
	enum status st;

	ck_assert_ptr_nonnull(body);
	memcpy(body, text, len);
	st = response_parse(status, body, len, n_sent, resp, err);
	free(body);
	return st;
}

/* Parses text and checks that the answer was classified. */
static void parse_text(long status, const char *text,
		       struct bulk_response *resp)
{
	struct status_error err;

	ck_assert_int_eq(parse_len(status, text, strlen(text), 1, resp, &err),
			 STATUS_OK);
	ck_assert_int_eq(resp->http_status, status);
}

static void parse_fixture(long status, const char *name, size_t n_sent,
			  struct bulk_response *resp)
{
	struct status_error err;
	char path[512];
	size_t len = 0;
	char *body;

	snprintf(path, sizeof(path), "%s/response/%s", FIXTURES, name);
	body = slurp(path, &len);
	ck_assert_msg(body != NULL, "cannot read %s", path);
	ck_assert_int_eq(parse_len(status, body, len, n_sent, resp, &err),
			 STATUS_OK);
	free(body);
}

/* A body of one card whose "extra" members are spliced in. */
static void parse_card(const char *extra, struct bulk_response *resp)
{
	char *body = NULL;

	ck_assert_int_ge(asprintf(&body, "{\"cards\":[{\"card\":{\"id\":\"c-1\""
					 "%s%s}}]}",
				  *extra ? "," : "", extra),
			 0);
	parse_text(200, body, resp);
	free(body);
	ck_assert_int_eq(resp->kind, RESPONSE_CARDS);
	ck_assert_uint_eq(resp->n_entries, 1);
}

static bool contains(const char *s, const char *part)
{
	return s && strstr(s, part);
}

/* Parses text and checks its kind and, unless part is NULL, that the
 * message holds part. */
static void expect(long status, const char *text, enum response_kind kind,
		   const char *part)
{
	struct bulk_response r;

	parse_text(status, text, &r);
	ck_assert_msg(r.kind == kind, "HTTP %ld \"%.40s\": kind %d", status,
		      text, r.kind);
	ck_assert_msg(!part || contains(r.message, part), "message: %s",
		      r.message ? r.message : "(null)");
	ck_assert(r.message == NULL ||
		  text_utf8_valid(r.message, strlen(r.message)));
	response_free(&r);
}

/* ---- 200 ---- */

START_TEST(test_documented_example)
{
	struct bulk_response r;
	const struct card_object *c;

	parse_fixture(200, "documented_200.json", 1, &r);
	ck_assert_int_eq(r.kind, RESPONSE_CARDS);
	ck_assert_uint_eq(r.n_entries, 1);
	ck_assert_int_eq(r.entries[0].kind, ENTRY_CARD);
	c = &r.entries[0].card;
	ck_assert_str_eq(c->id, "3c90c3cc-0d44-4b50-8888-8dd25736052a");
	ck_assert_str_eq(c->mask_pan, "511768******7662");
	ck_assert_str_eq(c->status, "pending");
	ck_assert_str_eq(c->last_digits, "7662");
	ck_assert_str_eq(c->exp_month, "3");
	ck_assert_str_eq(c->exp_year, "2024");
	ck_assert_str_eq(c->nickname, "\xF0\x9F\x92\xB3 for \xF0\x9F\x8D\x97");
	ck_assert_str_eq(c->embossed_name, "DOLORES KOULECHOV");
	ck_assert_str_eq(c->card_type, "debit");
	ck_assert_str_eq(c->card_level, "standard");
	ck_assert_str_eq(c->holder_id, "3c90c3cc-0d44-4b50-8888-8dd25736052a");
	ck_assert_str_eq(c->bank_account_id,
			 "3c90c3cc-0d44-4b50-8888-8dd25736052a");
	ck_assert_str_eq(c->organization_id,
			 "3c90c3cc-0d44-4b50-8888-8dd25736052a");
	ck_assert_ptr_null(c->initiator_id);
	ck_assert_str_eq(c->card_design, "plus.black.2023");
	ck_assert_str_eq(c->type_of_print, "embossed");
	ck_assert_str_eq(c->created_at, "2023-11-07T05:31:56Z");
	ck_assert_str_eq(c->updated_at, "2023-11-07T05:31:56Z");
	ck_assert_str_eq(c->pre_expires_at, "2023-11-07T05:31:56Z");
	ck_assert_uint_eq(c->has_limits, ALL_LIMITS);
	ck_assert_int_eq(c->payment_monthly_limit, 1000);
	ck_assert_int_eq(c->payment_daily_limit, 1000);
	ck_assert_int_eq(c->payment_transaction_limit, 1000);
	ck_assert_int_eq(c->atm_monthly_limit, 1000);
	ck_assert_int_eq(c->atm_daily_limit, 1000);
	ck_assert_int_eq(c->payment_lifespan_limit, 100);
	ck_assert_ptr_null(r.message);
	ck_assert_uint_eq(r.n_errors, 0);
	ck_assert_ptr_null(r.sca_session_token);
	response_free(&r);
}
END_TEST

START_TEST(test_documented_json_kept)
{
	struct bulk_response r;
	json_object *orig, *kept, *card = NULL;
	const char *json;

	parse_fixture(200, "documented_200.json", 1, &r);
	json = r.entries[0].card.json;
	ck_assert_ptr_nonnull(json);
	/* compact, unknown fields kept, nulls kept, no "\/" */
	ck_assert(strncmp(json, "{\"id\":\"3c90c3cc-", 16) == 0);
	ck_assert(contains(json, "\"status\":\"pending\""));
	ck_assert(contains(json, "\"shipped_at\":null"));
	ck_assert(contains(json, "\"parent_card_summary\":{\"id\":"));
	ck_assert(contains(json, "\"discard_on\":\"2022-11-31\""));
	ck_assert(!contains(json, ": "));
	orig = json_object_from_file(FIXTURES "/response/documented_200.json");
	ck_assert_ptr_nonnull(orig);
	ck_assert(json_object_object_get_ex(
		json_object_array_get_idx(
			json_object_object_get(orig, "cards"), 0),
		"card", &card));
	kept = json_tokener_parse(json);
	ck_assert(json_object_equal(card, kept));
	json_object_put(kept);
	json_object_put(orig);
	response_free(&r);
}
END_TEST

START_TEST(test_mixed_cards_and_errors)
{
	struct bulk_response r;
	const struct response_entry *e;

	parse_fixture(200, "cards_mixed_200.json", 4, &r);
	ck_assert_int_eq(r.kind, RESPONSE_CARDS);
	ck_assert_uint_eq(r.n_entries, 4);
	e = r.entries;
	ck_assert_int_eq(e[0].kind, ENTRY_CARD);
	ck_assert_str_eq(e[0].card.id, "0b6f7a10-5c2e-4c7e-9d51-1f0e6a1b0001");
	ck_assert_str_eq(e[0].card.exp_month, "11");
	ck_assert_uint_eq(e[0].card.has_limits, LIMIT_PAYMENT_MONTHLY);
	ck_assert_int_eq(e[0].card.payment_monthly_limit, 500);

	ck_assert_int_eq(e[1].kind, ENTRY_ERROR);
	ck_assert_ptr_null(e[1].card.id);
	ck_assert_uint_eq(e[1].n_errors, 1);
	ck_assert_str_eq(e[1].errors[0].code, "invalid");
	ck_assert_str_eq(e[1].errors[0].detail,
			 "holder is not an active member of the organization");
	ck_assert_str_eq(e[1].errors[0].pointer, "/card/holder_id");
	ck_assert_str_eq(e[1].errors[0].field, "holder_id");
	ck_assert_int_eq(e[1].errors[0].card, 1);

	ck_assert_int_eq(e[2].kind, ENTRY_CARD);
	ck_assert_uint_eq(e[2].card.has_limits,
			  LIMIT_PAYMENT_MONTHLY | LIMIT_ATM_MONTHLY);
	ck_assert_int_eq(e[2].card.atm_monthly_limit, 300);

	ck_assert_int_eq(e[3].kind, ENTRY_ERROR);
	ck_assert_uint_eq(e[3].n_errors, 2);
	ck_assert_str_eq(e[3].errors[0].field, "payment_daily_limit");
	ck_assert_str_eq(e[3].errors[1].field, "address.zipcode");
	ck_assert_int_eq(e[3].errors[0].card, 3);
	ck_assert_int_eq(e[3].errors[1].card, 3);
	response_free(&r);
}
END_TEST

START_TEST(test_flat_entries)
{
	struct bulk_response r;
	const struct card_object *c;

	parse_fixture(200, "cards_flat_200.json", 2, &r);
	ck_assert_int_eq(r.kind, RESPONSE_CARDS);
	ck_assert_uint_eq(r.n_entries, 2);
	ck_assert_int_eq(r.entries[0].kind, ENTRY_CARD);
	c = &r.entries[0].card;
	ck_assert_str_eq(c->id, "9e0f3c1a-0000-4000-8000-000000000001");
	ck_assert_str_eq(c->card_level, "flash");
	ck_assert_uint_eq(c->has_limits, LIMIT_PAYMENT_LIFESPAN);
	ck_assert_int_eq(c->payment_lifespan_limit, 250);
	ck_assert_str_eq(c->pre_expires_at, "2030-01-31T23:59:59Z");
	c = &r.entries[1].card;
	ck_assert_int_eq(r.entries[1].kind, ENTRY_CARD);
	ck_assert_str_eq(c->nickname, "Ads / Google");
	ck_assert(contains(c->json, "\"nickname\":\"Ads / Google\""));
	ck_assert_int_eq(c->payment_monthly_limit, 20000);
	response_free(&r);
}
END_TEST

START_TEST(test_card_and_errors_in_one_entry)
{
	struct bulk_response r;

	parse_text(200, "{\"cards\":[{\"card\":{\"id\":\"c-1\"},\"errors\":"
			"[{\"code\":\"x\"}]}]}", &r);
	ck_assert_int_eq(r.entries[0].kind, ENTRY_CARD);
	ck_assert_str_eq(r.entries[0].card.id, "c-1");
	response_free(&r);
}
END_TEST

START_TEST(test_entry_count_differs)
{
	struct bulk_response r;

	parse_fixture(200, "cards_flat_200.json", 5, &r);
	ck_assert_uint_eq(r.n_entries, 2);
	response_free(&r);
	parse_fixture(200, "cards_mixed_200.json", 1, &r);
	ck_assert_uint_eq(r.n_entries, 4);
	response_free(&r);
	parse_text(200, "{\"cards\":[]}", &r);
	ck_assert_int_eq(r.kind, RESPONSE_CARDS);
	ck_assert_uint_eq(r.n_entries, 0);
	ck_assert_ptr_null(r.entries);
	response_free(&r);
}
END_TEST

START_TEST(test_unknown_values_kept)
{
	struct bulk_response r;
	const struct card_object *c;

	parse_fixture(200, "unknown_values_200.json", 1, &r);
	ck_assert_int_eq(r.kind, RESPONSE_CARDS);
	c = &r.entries[0].card;
	ck_assert_str_eq(c->status, "teleported");
	ck_assert_str_eq(c->card_type, "quantum");
	ck_assert_str_eq(c->card_level, "titanium");
	ck_assert(contains(c->json,
			   "\"brand_new_field\":{\"nested\":[1,2,3]}"));
	ck_assert(contains(c->json, "\"another\":\"x\""));
	response_free(&r);
}
END_TEST

START_TEST(test_escapes_kept_verbatim)
{
	struct bulk_response r;
	const struct card_object *c;

	parse_fixture(200, "escapes_200.json", 1, &r);
	ck_assert_int_eq(r.entries[0].kind, ENTRY_CARD);
	c = &r.entries[0].card;
	ck_assert_str_eq(c->nickname,
			 "red \x1b[31mALERT\x1b[0m\r\nline2\ttab");
	ck_assert_str_eq(c->embossed_name, "\xE2\x80\xAE" "evil");
	ck_assert_str_eq(c->card_design, "a/b \"quoted\" back\\slash");
	ck_assert_str_eq(c->status, "pending\a");
	/* re-serialised JSON escapes them again */
	ck_assert(contains(c->json, "\\u001b[31m"));
	ck_assert(strchr(c->json, '\x1b') == NULL);
	response_free(&r);
}
END_TEST

START_TEST(test_embedded_nul_refused)
{
	struct bulk_response r;

	parse_fixture(200, "embedded_nul_200.json", 2, &r);
	ck_assert_int_eq(r.entries[0].kind, ENTRY_CARD);
	ck_assert_ptr_null(r.entries[0].card.nickname);
	ck_assert_str_eq(r.entries[0].card.status, "pending");
	ck_assert_int_eq(r.entries[1].kind, ENTRY_MALFORMED);
	ck_assert_ptr_nonnull(r.entries[1].problem);
	ck_assert_ptr_null(r.entries[1].card.id);
	response_free(&r);
}
END_TEST

START_TEST(test_invalid_utf8_in_strings)
{
	struct bulk_response r;

	/* json-c lets an overlong '/' and an encoded surrogate through */
	parse_card("\"nickname\":\"a\xC0\xAF\",\"status\":\"\xED\xA0\x80\","
		   "\"card_type\":\"\\ud800\"", &r);
	ck_assert_int_eq(r.entries[0].kind, ENTRY_CARD);
	ck_assert_ptr_null(r.entries[0].card.nickname);
	ck_assert_ptr_null(r.entries[0].card.status);
	/* a lone escaped surrogate becomes U+FFFD in json-c: valid */
	ck_assert_str_eq(r.entries[0].card.card_type, "\xEF\xBF\xBD");
	response_free(&r);
	/* a raw 0xFF byte is refused by json-c itself */
	parse_text(200, "{\"cards\":[{\"card\":{\"id\":\"\xFF\"}}]}", &r);
	ck_assert_int_eq(r.kind, RESPONSE_NOT_JSON);
	response_free(&r);
}
END_TEST

START_TEST(test_wrong_types)
{
	struct bulk_response r;
	const struct response_entry *e;
	const struct card_object *c;
	static const size_t bad[] = { 0, 1, 2, 3, 4, 5, 6, 8, 9 };

	parse_fixture(200, "wrong_types_200.json", 11, &r);
	ck_assert_int_eq(r.kind, RESPONSE_CARDS);
	ck_assert_uint_eq(r.n_entries, 11);
	e = r.entries;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(e[bad[i]].kind == ENTRY_MALFORMED, "entry %zu",
			      bad[i]);
		ck_assert_ptr_nonnull(e[bad[i]].problem);
		ck_assert_ptr_null(e[bad[i]].card.id);
		ck_assert_ptr_null(e[bad[i]].card.json);
		ck_assert_ptr_null(e[bad[i]].errors);
	}
	ck_assert(contains(e[0].problem, "\"id\""));
	ck_assert(contains(e[1].problem, "\"id\""));
	ck_assert(contains(e[4].problem, "\"errors\""));

	ck_assert_int_eq(e[7].kind, ENTRY_CARD);
	c = &e[7].card;
	ck_assert_str_eq(c->id, "c-0007");
	ck_assert_ptr_null(c->nickname);
	ck_assert_ptr_null(c->status);
	ck_assert_ptr_null(c->mask_pan);
	ck_assert_ptr_null(c->last_digits);
	ck_assert_ptr_null(c->card_level);
	ck_assert_ptr_null(c->holder_id);
	ck_assert_str_eq(c->exp_month, "3");
	ck_assert_str_eq(c->exp_year, "2027");
	ck_assert_uint_eq(c->has_limits,
			  LIMIT_PAYMENT_MONTHLY | LIMIT_PAYMENT_DAILY);
	ck_assert_int_eq(c->payment_monthly_limit, 1000);
	ck_assert_int_eq(c->payment_daily_limit, 1000);

	ck_assert_int_eq(e[10].kind, ENTRY_CARD);
	c = &e[10].card;
	ck_assert_ptr_null(c->exp_month);
	ck_assert_ptr_null(c->exp_year);
	ck_assert_uint_eq(c->has_limits,
			  LIMIT_PAYMENT_TRANSACTION | LIMIT_ATM_MONTHLY);
	ck_assert_int_eq(c->payment_transaction_limit, 1000);
	ck_assert_int_eq(c->atm_monthly_limit, 1000);
	response_free(&r);
}
END_TEST

/* The shape of the whole 200 answer. */
static const char *const bad_shapes[] = {
	"{}", "{\"cards\":{}}", "{\"cards\":null}", "{\"cards\":\"x\"}",
	"[]", "\"cards\"", "null", "42", "{\"card\":[]}", "true",
};

START_TEST(test_bad_shapes)
{
	expect(200, bad_shapes[_i], RESPONSE_MALFORMED, "the answer");
}
END_TEST

START_TEST(test_top_level_wrong_types)
{
	struct bulk_response r;

	parse_text(200, "{\"cards\":[],\"message\":5,\"trace_id\":[],"
			"\"code\":{}}", &r);
	ck_assert_int_eq(r.kind, RESPONSE_CARDS);
	ck_assert_ptr_null(r.message);
	ck_assert_ptr_null(r.trace_id);
	ck_assert_ptr_null(r.code);
	response_free(&r);
}
END_TEST

/* ---- limits and expiry ---- */

struct limit_case {
	const char *json; /* the value as it appears in the body */
	bool set;
	int64_t value;
};

static const struct limit_case limit_cases[] = {
	{ "1000", true, 1000 }, { "0", true, 0 },
	{ "-1", false, 0 }, { "1000000000000", true, INT64_C(1000000000000) },
	{ "1000000000001", false, 0 }, { "9223372036854775807", false, 0 },
	{ "99999999999999999999999", false, 0 },
	{ "-99999999999999999999999", false, 0 }, { "1000.0", true, 1000 },
	{ "1000.00000", true, 1000 }, { "1000.5", false, 0 },
	{ "1000.00000000000001", false, 0 }, { "-0.0", true, 0 },
	{ "1e3", true, 1000 }, { "1.5E3", true, 1500 },
	{ "15e-1", false, 0 }, { "100e-2", true, 1 },
	{ "1e12", true, INT64_C(1000000000000) }, { "1e13", false, 0 },
	{ "1e999999999999", false, 0 }, { "1e-999999999999", false, 0 },
	{ "0e999999999999", true, 0 }, { "\"1000\"", true, 1000 },
	{ "\"0\"", true, 0 }, { "\"1000.00\"", true, 1000 },
	{ "\"1e3\"", true, 1000 }, { "\"1000.5\"", false, 0 },
	{ "\"-5\"", false, 0 }, { "\"+5\"", false, 0 },
	{ "\" 5\"", false, 0 }, { "\"5 \"", false, 0 },
	{ "\"5.\"", false, 0 }, { "\".5\"", false, 0 },
	{ "\"0x10\"", false, 0 }, { "\"\"", false, 0 },
	{ "\"12abc\"", false, 0 },
	{ "\"1000000000000\"", true, INT64_C(1000000000000) },
	{ "\"0001000\"", true, 1000 },
	{ "\"10000000000000000000000000\"", false, 0 },
	{ "\"1\\u00000\"", false, 0 }, { "\"NaN\"", false, 0 },
	{ "true", false, 0 }, { "null", false, 0 },
	{ "[1000]", false, 0 }, { "{\"amount\":1000}", false, 0 },
};

START_TEST(test_limit_values)
{
	const struct limit_case *lc = &limit_cases[_i];
	struct bulk_response r;
	char *extra = NULL;

	ck_assert_int_ge(asprintf(&extra, "\"atm_daily_limit\":%s", lc->json),
			 0);
	parse_card(extra, &r);
	free(extra);
	ck_assert_int_eq(r.entries[0].kind, ENTRY_CARD);
	ck_assert_msg(!!(r.entries[0].card.has_limits & LIMIT_ATM_DAILY) ==
			      lc->set,
		      "%s: set is %d", lc->json, !lc->set);
	if (lc->set)
		ck_assert_int_eq(r.entries[0].card.atm_daily_limit, lc->value);
	ck_assert_uint_eq(r.entries[0].card.has_limits & ~LIMIT_ATM_DAILY, 0);
	response_free(&r);
}
END_TEST

START_TEST(test_expiry_values)
{
	struct bulk_response r;

	parse_card("\"exp_month\":12,\"exp_year\":\"2031\"", &r);
	ck_assert_str_eq(r.entries[0].card.exp_month, "12");
	ck_assert_str_eq(r.entries[0].card.exp_year, "2031");
	response_free(&r);
	parse_card("\"exp_month\":\"03\",\"exp_year\":2031.0", &r);
	ck_assert_str_eq(r.entries[0].card.exp_month, "03");
	ck_assert_ptr_null(r.entries[0].card.exp_year);
	response_free(&r);
	parse_card("\"exp_month\":true,\"exp_year\":10000", &r);
	ck_assert_ptr_null(r.entries[0].card.exp_month);
	ck_assert_ptr_null(r.entries[0].card.exp_year);
	response_free(&r);
}
END_TEST

/* ---- long strings ---- */

/* A card whose nickname is prefix followed by count copies of unit. */
static void parse_long_nickname(const char *prefix, const char *unit,
				size_t count, struct bulk_response *r)
{
	size_t ulen = strlen(unit), plen = strlen(prefix);
	char *s = malloc(plen + ulen * count + 16), *extra = NULL;

	ck_assert_ptr_nonnull(s);
	memcpy(s, prefix, plen);
	for (size_t i = 0; i < count; i++)
		memcpy(s + plen + i * ulen, unit, ulen);
	s[plen + ulen * count] = '\0';
	ck_assert_int_ge(asprintf(&extra, "\"nickname\":\"%s\"", s), 0);
	parse_card(extra, r);
	free(extra);
	free(s);
}

START_TEST(test_huge_string_cut)
{
	struct bulk_response r;
	const char *nick;

	parse_long_nickname("", "a", 100 * 1024, &r);
	nick = r.entries[0].card.nickname;
	ck_assert_uint_eq(strlen(nick), RESPONSE_MAX_STRING);
	/* the card's JSON keeps what was received */
	ck_assert_uint_gt(strlen(r.entries[0].card.json), 100 * 1024);
	response_free(&r);

	parse_long_nickname("", "\xE2\x82\xAC", 40000, &r); /* euro signs */
	nick = r.entries[0].card.nickname;
	ck_assert_uint_eq(strlen(nick), RESPONSE_MAX_STRING / 3 * 3);
	ck_assert(text_utf8_valid(nick, strlen(nick)));
	response_free(&r);

	parse_long_nickname("a", "\xF0\x9F\x98\x80", 2000, &r); /* emoji */
	nick = r.entries[0].card.nickname;
	ck_assert_uint_eq(strlen(nick), 1 + 4 * 1023);
	ck_assert(text_utf8_valid(nick, strlen(nick)));
	response_free(&r);
}
END_TEST

START_TEST(test_string_at_limit)
{
	struct bulk_response r;

	parse_long_nickname("", "b", RESPONSE_MAX_STRING, &r);
	ck_assert_uint_eq(strlen(r.entries[0].card.nickname),
			  RESPONSE_MAX_STRING);
	response_free(&r);
	parse_long_nickname("", "b", RESPONSE_MAX_STRING + 1, &r);
	ck_assert_uint_eq(strlen(r.entries[0].card.nickname),
			  RESPONSE_MAX_STRING);
	response_free(&r);
}
END_TEST

START_TEST(test_huge_id_refused)
{
	struct bulk_response r;
	char *body = malloc(RESPONSE_MAX_STRING + 64);
	int n;

	ck_assert_ptr_nonnull(body);
	n = sprintf(body, "{\"cards\":[{\"id\":\"");
	memset(body + n, 'i', RESPONSE_MAX_STRING + 1);
	strcpy(body + n + RESPONSE_MAX_STRING + 1, "\"}]}");
	parse_text(200, body, &r);
	free(body);
	ck_assert_int_eq(r.entries[0].kind, ENTRY_MALFORMED);
	response_free(&r);
}
END_TEST

/* ---- whole-request errors ---- */

START_TEST(test_rejected_422)
{
	struct bulk_response r;
	const struct api_error *e;

	parse_fixture(422, "rejected_422.json", 13, &r);
	ck_assert_int_eq(r.kind, RESPONSE_REJECTED);
	ck_assert_str_eq(r.trace_id, "c0ffee00-1111-2222-3333-444455556666");
	ck_assert_uint_eq(r.n_entries, 0);
	ck_assert_uint_eq(r.n_errors, 5);
	e = r.errors;
	ck_assert_str_eq(e[0].code, "greater_than");
	ck_assert_int_eq(e[0].card, 0);
	ck_assert_str_eq(e[0].field, "payment_daily_limit");
	ck_assert_str_eq(e[1].pointer, "/cards/3/card/address/zipcode");
	ck_assert_int_eq(e[1].card, 3);
	ck_assert_str_eq(e[1].field, "address.zipcode");
	ck_assert_str_eq(e[1].detail, "zipcode is invalid for country FR");
	ck_assert_int_eq(e[2].card, 12);
	ck_assert_str_eq(e[2].field, "payment_monthly_limit");
	ck_assert_ptr_null(e[3].pointer);
	ck_assert_int_eq(e[3].card, -1);
	ck_assert_str_eq(e[3].field, "per_page");
	ck_assert_ptr_null(e[4].pointer);
	ck_assert_int_eq(e[4].card, -1);
	ck_assert_str_eq(e[4].field, "");
	ck_assert_str_eq(e[4].code, "too_many_cards");
	response_free(&r);
}
END_TEST

START_TEST(test_rejected_400)
{
	struct bulk_response r;

	parse_fixture(400, "rejected_400.json", 1, &r);
	ck_assert_int_eq(r.kind, RESPONSE_REJECTED);
	ck_assert_str_eq(r.message, "Bad request");
	ck_assert_str_eq(r.trace_id, "t-400");
	ck_assert_uint_eq(r.n_errors, 1);
	ck_assert_str_eq(r.errors[0].pointer, "/cards");
	ck_assert_int_eq(r.errors[0].card, -1);
	ck_assert_str_eq(r.errors[0].field, "");
	response_free(&r);
}
END_TEST

START_TEST(test_rejected_without_json)
{
	expect(422, "Unprocessable Entity", RESPONSE_REJECTED,
	       "\"Unprocessable Entity\"");
	expect(400, "", RESPONSE_REJECTED, "empty");
}
END_TEST

START_TEST(test_errors_wrong_types)
{
	struct bulk_response r;

	parse_text(422, "{\"errors\":[1,\"x\",null,"
			"{\"code\":5,\"detail\":[\"d\"],\"source\":\"nope\"},"
			"{\"code\":\"c\",\"source\":{\"pointer\":7,"
			"\"parameter\":\"p\"}}],\"trace_id\":9}", &r);
	ck_assert_int_eq(r.kind, RESPONSE_REJECTED);
	ck_assert_uint_eq(r.n_errors, 2);
	ck_assert_ptr_null(r.errors[0].code);
	ck_assert_ptr_null(r.errors[0].detail);
	ck_assert_ptr_null(r.errors[0].pointer);
	ck_assert_int_eq(r.errors[0].card, -1);
	ck_assert_str_eq(r.errors[1].code, "c");
	ck_assert_ptr_null(r.errors[1].pointer);
	ck_assert_str_eq(r.errors[1].field, "p");
	ck_assert_ptr_null(r.trace_id);
	response_free(&r);
	parse_text(422, "{\"errors\":{\"holder_id\":[\"is invalid\"]}}", &r);
	ck_assert_int_eq(r.kind, RESPONSE_REJECTED);
	ck_assert_uint_eq(r.n_errors, 0);
	response_free(&r);
}
END_TEST

START_TEST(test_error_detail_fallbacks)
{
	struct bulk_response r;

	parse_text(422, "{\"errors\":[{\"title\":\"T\"},{\"message\":\"M\"},"
			"{\"detail\":\"D\",\"title\":\"T\"}]}", &r);
	ck_assert_uint_eq(r.n_errors, 3);
	ck_assert_str_eq(r.errors[0].detail, "T");
	ck_assert_str_eq(r.errors[1].detail, "M");
	ck_assert_str_eq(r.errors[2].detail, "D");
	response_free(&r);
}
END_TEST

/* ---- 428 ---- */

START_TEST(test_sca_required)
{
	struct bulk_response r;

	parse_fixture(428, "sca_required_428.json", 1, &r);
	ck_assert_int_eq(r.kind, RESPONSE_SCA_REQUIRED);
	ck_assert_str_eq(r.code, "sca_required");
	ck_assert_str_eq(r.sca_session_token,
			 "sca-7f3d2c1b-aaaa-bbbb-cccc-0123456789ab");
	ck_assert_str_eq(r.message,
			 "This action requires Strong Customer Authentication");
	ck_assert_str_eq(r.trace_id, "trace-428-required");
	response_free(&r);
	ck_assert_ptr_null(r.sca_session_token);
}
END_TEST

START_TEST(test_sca_not_enrolled)
{
	struct bulk_response r;

	parse_fixture(428, "sca_not_enrolled_428.json", 1, &r);
	ck_assert_int_eq(r.kind, RESPONSE_SCA_NOT_ENROLLED);
	ck_assert_str_eq(r.code, "sca_not_enrolled");
	ck_assert_ptr_null(r.sca_session_token);
	ck_assert(contains(r.message, "No paired device"));
	response_free(&r);
}
END_TEST

START_TEST(test_sca_without_token)
{
	struct bulk_response r;

	parse_fixture(428, "sca_no_token_428.json", 1, &r);
	ck_assert_int_eq(r.kind, RESPONSE_MALFORMED);
	ck_assert(contains(r.message, "token"));
	ck_assert_str_eq(r.trace_id, "trace-428-no-token");
	ck_assert_ptr_null(r.sca_session_token);
	response_free(&r);
	parse_text(428, "{\"code\":\"sca_required\",\"sca_session_token\":12}",
		   &r);
	ck_assert_int_eq(r.kind, RESPONSE_MALFORMED);
	ck_assert_ptr_null(r.sca_session_token);
	response_free(&r);
	parse_text(428, "{\"code\":\"sca_required\","
			"\"sca_session_token\":\"\"}",
		   &r);
	ck_assert_int_eq(r.kind, RESPONSE_MALFORMED);
	ck_assert_ptr_null(r.sca_session_token);
	response_free(&r);
}
END_TEST

START_TEST(test_sca_other_bodies)
{
	struct bulk_response r;

	parse_text(428, "{\"code\":\"sca_pending\",\"sca_session_token\":"
			"\"t\"}",
		   &r);
	ck_assert_int_eq(r.kind, RESPONSE_MALFORMED);
	ck_assert_str_eq(r.code, "sca_pending");
	ck_assert_ptr_null(r.sca_session_token);
	response_free(&r);
	expect(428, "{\"errors\":[{\"code\":\"sca_not_enrolled\"}]}",
	       RESPONSE_SCA_NOT_ENROLLED, NULL);
	expect(428, "[]", RESPONSE_MALFORMED, "code");
	expect(428, "", RESPONSE_NOT_JSON, "empty");
	expect(428, "<html><body>approve</body></html>", RESPONSE_NOT_JSON,
	       "HTML");
}
END_TEST

/* ---- other statuses ---- */

struct status_case {
	long status;
	const char *body;
	enum response_kind kind;
};

static const struct status_case status_cases[] = {
	{ 401, "", RESPONSE_UNAUTHORIZED },
	{ 401, "Unauthorized", RESPONSE_UNAUTHORIZED },
	{ 403, "<html><body>Forbidden</body></html>", RESPONSE_FORBIDDEN },
	{ 404, "{\"message\":\"Not Found\"}", RESPONSE_NOT_FOUND },
	{ 404, "[", RESPONSE_NOT_FOUND },
	{ 429, "", RESPONSE_RATE_LIMITED },
	{ 429, "slow down", RESPONSE_RATE_LIMITED },
	{ 500, "", RESPONSE_SERVER_ERROR },
	{ 502, "Bad Gateway", RESPONSE_SERVER_ERROR },
	{ 503, "{\"message\":\"maintenance\"}", RESPONSE_SERVER_ERROR },
	{ 599, "x", RESPONSE_SERVER_ERROR },
	{ 201, "{\"cards\":[]}", RESPONSE_OTHER },
	{ 302, "<html><head></head></html>", RESPONSE_OTHER },
	{ 418, "", RESPONSE_OTHER },
	{ 600, "", RESPONSE_OTHER },
	{ 0, "", RESPONSE_OTHER },
	{ -1, "{}", RESPONSE_OTHER },
};

START_TEST(test_status_kinds)
{
	expect(status_cases[_i].status, status_cases[_i].body,
	       status_cases[_i].kind, NULL);
}
END_TEST

START_TEST(test_rate_limited_json)
{
	struct bulk_response r;

	parse_fixture(429, "rate_limited_429.json", 1, &r);
	ck_assert_int_eq(r.kind, RESPONSE_RATE_LIMITED);
	ck_assert_uint_eq(r.n_errors, 1);
	ck_assert_str_eq(r.errors[0].code, "too_many_requests");
	ck_assert_str_eq(r.trace_id, "trace-429");
	response_free(&r);
}
END_TEST

START_TEST(test_unauthorized_forbidden_json)
{
	struct bulk_response r;

	parse_fixture(401, "unauthorized_401.json", 1, &r);
	ck_assert_int_eq(r.kind, RESPONSE_UNAUTHORIZED);
	ck_assert_str_eq(r.message, "Unauthorized");
	ck_assert_str_eq(r.errors[0].detail, "The access token expired");
	response_free(&r);
	parse_fixture(403, "forbidden_403.json", 1, &r);
	ck_assert_int_eq(r.kind, RESPONSE_FORBIDDEN);
	ck_assert_str_eq(r.errors[0].detail, "missing scope card.write");
	response_free(&r);
}
END_TEST

START_TEST(test_server_error_html)
{
	struct bulk_response r;

	parse_fixture(500, "server_error_500.html", 1, &r);
	ck_assert_int_eq(r.kind, RESPONSE_SERVER_ERROR);
	ck_assert(contains(r.message, "HTML"));
	ck_assert(contains(r.message, "500"));
	ck_assert(!contains(r.message, "staging"));
	response_free(&r);
}
END_TEST

/* ---- bodies that are not JSON ---- */

START_TEST(test_login_page)
{
	struct bulk_response r;

	parse_fixture(200, "login_page_200.html", 1, &r);
	ck_assert_int_eq(r.kind, RESPONSE_NOT_JSON);
	ck_assert_str_eq(r.message, "the server answered with an HTML page "
				    "instead of JSON; is the staging token "
				    "set?");
	ck_assert_uint_eq(r.n_entries, 0);
	response_free(&r);
	parse_text(200, "\r\n  <HTML><BODY>hi</BODY></HTML>", &r);
	ck_assert_int_eq(r.kind, RESPONSE_NOT_JSON);
	ck_assert(contains(r.message, "staging token"));
	response_free(&r);
}
END_TEST

START_TEST(test_other_garbage)
{
	struct bulk_response r;

	parse_text(200, "<?xml version=\"1.0\"?><error>no</error>", &r);
	ck_assert_int_eq(r.kind, RESPONSE_NOT_JSON);
	ck_assert(!contains(r.message, "HTML"));
	response_free(&r);
	expect(200, "Service Unavailable\nretry later", RESPONSE_NOT_JSON,
	       "the server's answer is not JSON: \"Service Unavailable\"");
	expect(200, "\x80\x81 binary", RESPONSE_NOT_JSON, "not JSON");
}
END_TEST

START_TEST(test_empty_body)
{
	struct bulk_response r;
	struct status_error err;

	expect(200, "", RESPONSE_NOT_JSON, "empty");
	expect(200, " \r\n\t ", RESPONSE_NOT_JSON, "empty");
	ck_assert_int_eq(response_parse(200, NULL, 0, 1, &r, &err), STATUS_OK);
	ck_assert_int_eq(r.kind, RESPONSE_NOT_JSON);
	response_free(&r);
}
END_TEST

static const char *const invalid_json[] = {
	"{\"cards\":[1,]}",
	"{\"cards\":[]} trailing",
	"{\"cards\":[NaN]}", /* json-c 0.16 takes these even when strict */
	"{\"cards\":[{\"card\":{\"id\":\"a\",\"x\":{\"y\":[-Infinity]}}}]}",
	"{\"cards\":[{\"id\":\"a\",\"payment_monthly_limit\":Infinity}]}",
	"{\"cards\":[]/*c*/}",
	"{\"cards\":[TRUE]}",
	"{\"cards\":[{\"card\":{\"id\":\"a\"}}",
	"{\"cards\":[{\"card\":{\"id\":\"a",
	"{\"cards\":[{\"card\":{\"id\":\"\\uZZZZ\"}}]}",
	"{\"cards\"",
	"}",
	"12abc",
};

START_TEST(test_invalid_json)
{
	expect(200, invalid_json[_i], RESPONSE_NOT_JSON, "not JSON");
}
END_TEST

START_TEST(test_truncated_documented)
{
	struct bulk_response r;
	struct status_error err;
	char *body;
	size_t len = 0;

	body = slurp(FIXTURES "/response/documented_200.json", &len);
	ck_assert_ptr_nonnull(body);
	for (size_t cut = 1; cut < len - 1; cut += 37) {
		ck_assert_int_eq(parse_len(200, body, cut, 1, &r, &err),
				 STATUS_OK);
		ck_assert_msg(r.kind == RESPONSE_NOT_JSON, "cut %zu", cut);
		response_free(&r);
	}
	free(body);
}
END_TEST

START_TEST(test_nul_byte_and_bom)
{
	struct bulk_response r;
	struct status_error err;
	static const char with_nul[] = "{\"cards\":[]}\0junk";

	ck_assert_int_eq(parse_len(200, with_nul, sizeof(with_nul) - 1, 1, &r,
				   &err),
			 STATUS_OK);
	ck_assert_int_eq(r.kind, RESPONSE_NOT_JSON);
	ck_assert(contains(r.message, "NUL"));
	response_free(&r);
	parse_text(200, "\xEF\xBB\xBF{\"cards\":[]}", &r);
	ck_assert_int_eq(r.kind, RESPONSE_CARDS);
	response_free(&r);
}
END_TEST

/* ---- limits on size and depth ---- */

static char *nested(const char *head, size_t depth, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *s = malloc(hl + 2 * depth + tl + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, head, hl);
	memset(s + hl, '[', depth);
	memset(s + hl + depth, ']', depth);
	memcpy(s + hl + 2 * depth, tail, tl + 1);
	return s;
}

START_TEST(test_deep_nesting)
{
	const char *head = "{\"cards\":[{\"card\":{\"id\":\"x\",\"d\":";
	char *body = nested("", 10000, "");

	expect(200, body, RESPONSE_MALFORMED, "nested");
	expect(422, body, RESPONSE_REJECTED, "nested");
	free(body);
	/* 4 levels to reach the card, then 12 more: exactly the limit */
	body = nested(head, RESPONSE_MAX_DEPTH - 4, "}}]}");
	expect(200, body, RESPONSE_CARDS, NULL);
	free(body);
	body = nested(head, RESPONSE_MAX_DEPTH - 3, "}}]}");
	expect(200, body, RESPONSE_MALFORMED, "nested");
	free(body);
}
END_TEST

START_TEST(test_too_large)
{
	struct bulk_response r;
	struct status_error err;
	size_t len = RESPONSE_MAX_BYTES + 1;
	char *body = malloc(len);

	ck_assert_ptr_nonnull(body);
	memset(body, ' ', len);
	memcpy(body, "{\"cards\":[]}", 12);
	ck_assert_int_eq(response_parse(200, body, len, 1, &r, &err),
			 STATUS_TOO_LARGE);
	ck_assert_int_eq(err.code, STATUS_TOO_LARGE);
	ck_assert_int_eq(err.http_status, 200);
	ck_assert(err.message[0] != '\0');
	ck_assert_uint_eq(r.n_entries, 0);
	ck_assert_ptr_null(r.message);
	response_free(&r);
	/* one byte less is accepted */
	ck_assert_int_eq(response_parse(200, body, len - 1, 1, &r, NULL),
			 STATUS_OK);
	ck_assert_int_eq(r.kind, RESPONSE_CARDS);
	response_free(&r);
	ck_assert_int_eq(response_parse(200, body, len, 1, &r, NULL),
			 STATUS_TOO_LARGE);
	response_free(&r);
	free(body);
}
END_TEST

START_TEST(test_free_and_reuse)
{
	struct bulk_response r;

	response_free(NULL);
	response_init(&r);
	response_free(&r);
	parse_fixture(428, "sca_required_428.json", 1, &r);
	response_free(&r);
	response_free(&r);
	parse_fixture(200, "cards_mixed_200.json", 4, &r);
	ck_assert_uint_eq(r.n_entries, 4);
	response_free(&r);
	ck_assert_ptr_null(r.entries);
	ck_assert_uint_eq(r.n_entries, 0);
}
END_TEST

/* ---- JSON pointers ---- */

struct pointer_case {
	const char *pointer;
	bool ok;
	long card;
	const char *field;
};

static const struct pointer_case pointer_cases[] = {
	{ "/cards/3/card/address/zipcode", true, 3, "address.zipcode" },
	{ "/cards/0/card/payment_monthly_limit", true, 0,
	  "payment_monthly_limit" },
	{ "/cards/3/payment_monthly_limit", true, 3, "payment_monthly_limit" },
	{ "/cards/49/address/city", true, 49, "address.city" },
	{ "/card/holder_id", true, -1, "holder_id" },
	{ "/card/address/country", true, -1, "address.country" },
	{ "/cards/7", true, 7, "" },
	{ "/cards/7/card", true, 7, "" },
	{ "/cards/7/cardinal", true, 7, "cardinal" },
	{ "/cards/2/card/active_days/1", true, 2, "active_days.1" },
	{ "/cards/1/card/a~1b", true, 1, "a/b" },
	{ "/cards/1/card/a~0b", true, 1, "a~b" },
	{ "/cards/1/card/~01", true, 1, "~1" },
	{ "/c~1rds/1/card/x", false, -1, "" },
	{ "/cards/1/card/a~2b", false, -1, "" },
	{ "/cards/1/card/a~", false, -1, "" },
	{ "/cards/01/card/x", false, -1, "" },
	{ "/cards/-1/card/x", false, -1, "" },
	{ "/cards/x/card/x", false, -1, "" },
	{ "/cards/3x/card/x", false, -1, "" },
	{ "/cards/99999999999999999999999/card/x", false, -1, "" },
	{ "/cards/1/card/", false, -1, "" },
	{ "/cards/1/card//x", false, -1, "" },
	{ "/cards/", false, -1, "" },
	{ "/cards", false, -1, "" },
	{ "/card", true, -1, "" },
	{ "/data/cards/1", false, -1, "" },
	{ "cards/1/card/x", false, -1, "" },
	{ "#/cards/1/card/x", false, -1, "" },
	{ "", false, -1, "" },
	{ "/", false, -1, "" },
	{ "/cards/1/card/this_field_name_is_far_too_long_to_fit_in_the_field_"
	  "buffer_of_an_error",
	  false, -1, "" },
};

START_TEST(test_pointer_parse)
{
	const struct pointer_case *pc = &pointer_cases[_i];
	char field[64];
	long card = 42;

	memset(field, 'X', sizeof(field));
	ck_assert_msg(response_pointer_parse(pc->pointer, &card, field,
					     sizeof(field)) == pc->ok,
		      "%s", pc->pointer);
	ck_assert_msg(card == pc->card, "%s: card %ld", pc->pointer, card);
	ck_assert_str_eq(field, pc->field);
}
END_TEST

START_TEST(test_pointer_parse_arguments)
{
	char small[8];
	long card = 42;

	ck_assert(!response_pointer_parse(NULL, &card, small, sizeof(small)));
	ck_assert_int_eq(card, -1);
	ck_assert_str_eq(small, "");
	ck_assert(response_pointer_parse("/cards/5/card/x", &card, NULL, 0));
	ck_assert_int_eq(card, 5);
	ck_assert(response_pointer_parse("/cards/5/card/holder_id", NULL,
					 NULL, 0));
	ck_assert(!response_pointer_parse("/cards/5/card/holder_id", &card,
					  small, sizeof(small)));
	ck_assert_int_eq(card, -1);
	ck_assert_str_eq(small, "");
	ck_assert(response_pointer_parse("/cards/5/card/zipcod", &card, small,
					 sizeof(small)));
	ck_assert_str_eq(small, "zipcod");
}
END_TEST

#define N_ITEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *make_suite(void)
{
	Suite *s = suite_create("response");
	TCase *ok = tcase_create("cards"), *bad = tcase_create("untrusted");
	TCase *other = tcase_create("statuses"), *ptr = tcase_create("pointer");

	tcase_set_timeout(bad, 60);
	tcase_add_test(ok, test_documented_example);
	tcase_add_test(ok, test_documented_json_kept);
	tcase_add_test(ok, test_mixed_cards_and_errors);
	tcase_add_test(ok, test_flat_entries);
	tcase_add_test(ok, test_card_and_errors_in_one_entry);
	tcase_add_test(ok, test_entry_count_differs);
	tcase_add_test(ok, test_unknown_values_kept);
	tcase_add_test(ok, test_escapes_kept_verbatim);
	tcase_add_test(ok, test_expiry_values);
	tcase_add_loop_test(ok, test_limit_values, 0, N_ITEMS(limit_cases));
	tcase_add_test(bad, test_embedded_nul_refused);
	tcase_add_test(bad, test_invalid_utf8_in_strings);
	tcase_add_test(bad, test_wrong_types);
	tcase_add_loop_test(bad, test_bad_shapes, 0, N_ITEMS(bad_shapes));
	tcase_add_test(bad, test_top_level_wrong_types);
	tcase_add_test(bad, test_huge_string_cut);
	tcase_add_test(bad, test_string_at_limit);
	tcase_add_test(bad, test_huge_id_refused);
	tcase_add_test(bad, test_login_page);
	tcase_add_test(bad, test_other_garbage);
	tcase_add_test(bad, test_empty_body);
	tcase_add_loop_test(bad, test_invalid_json, 0, N_ITEMS(invalid_json));
	tcase_add_test(bad, test_truncated_documented);
	tcase_add_test(bad, test_nul_byte_and_bom);
	tcase_add_test(bad, test_deep_nesting);
	tcase_add_test(bad, test_too_large);
	tcase_add_test(bad, test_free_and_reuse);
	tcase_add_test(other, test_rejected_422);
	tcase_add_test(other, test_rejected_400);
	tcase_add_test(other, test_rejected_without_json);
	tcase_add_test(other, test_errors_wrong_types);
	tcase_add_test(other, test_error_detail_fallbacks);
	tcase_add_test(other, test_sca_required);
	tcase_add_test(other, test_sca_not_enrolled);
	tcase_add_test(other, test_sca_without_token);
	tcase_add_test(other, test_sca_other_bodies);
	tcase_add_loop_test(other, test_status_kinds, 0, N_ITEMS(status_cases));
	tcase_add_test(other, test_rate_limited_json);
	tcase_add_test(other, test_unauthorized_forbidden_json);
	tcase_add_test(other, test_server_error_html);
	tcase_add_loop_test(ptr, test_pointer_parse, 0, N_ITEMS(pointer_cases));
	tcase_add_test(ptr, test_pointer_parse_arguments);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, bad);
	suite_add_tcase(s, other);
	suite_add_tcase(s, ptr);
	return s;
}

CHECK_MAIN(make_suite)
