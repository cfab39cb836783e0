/* check_sandbox_bulk.c: POST /v2/cards/bulk without SCA: created cards,
 * validation (per card and whole request), idempotency, GET /v2/cards. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_sandbox.h"

static void set(json_object *card, const char *key, const char *json_text)
{
	json_object_object_add(card, key, json_tokener_parse(json_text));
}

/* The request example of Qonto's documentation with real seed ids. */
static json_object *documented_card(void)
{
	json_object *c = sbt_card("standard", 3);

	set(c, "ship_to_business", "false");
	set(c, "atm_option", "true");
	set(c, "nfc_option", "true");
	set(c, "foreign_option", "true");
	set(c, "online_option", "true");
	set(c, "atm_monthly_limit", "1000");
	set(c, "atm_daily_limit_option", "true");
	set(c, "atm_daily_limit", "1000");
	set(c, "payment_daily_limit_option", "true");
	set(c, "payment_daily_limit", "1000");
	set(c, "payment_transaction_limit_option", "true");
	set(c, "payment_transaction_limit", "1000");
	set(c, "active_days", "[1,3,5]");
	set(c, "address",
	    "{\"contact_name\":null,\"first_line\":\"751 Metz Falls\","
	    "\"second_line\":\"835\",\"third_line\":\"Apt. 734\","
	    "\"zipcode\":\"13563-3709\",\"city\":\"Reinholdchester\","
	    "\"country\":\"KI\"}");
	set(c, "categories",
	    "[\"transport\",\"restaurant_and_bar\",\"food_and_grocery\"]");
	set(c, "card_design", "\"plus.black.2023\"");
	set(c, "type_of_print", "\"embossed\"");
	return c;
}

START_TEST(test_create_documented_example)
{
	json_object *card = documented_card();
	char *body = sbt_body(&card, 1);
	char key[37], mask[32];
	struct sbt_resp r;
	json_object *c;

	sbt_uuid(key);
	sbt_start("--sca", "off", NULL);
	sbt_bulk(&r, key, body, NULL);
	ck_assert_int_eq(r.status, 200);
	c = sbt_at(r.json, "cards/0/card");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(sbt_str(c, "status"), "pending");
	ck_assert_str_eq(sbt_str(c, "holder_id"), sbt_member_id(3));
	ck_assert_int_eq(strlen(sbt_str(c, "id")), 36);
	ck_assert_int_eq(strlen(sbt_str(c, "last_digits")), 4);
	snprintf(mask, sizeof(mask), "511768******%s",
		 sbt_str(c, "last_digits"));
	ck_assert_str_eq(sbt_str(c, "mask_pan"), mask);
	ck_assert_ptr_nonnull(sbt_str(c, "exp_month"));
	ck_assert_ptr_nonnull(sbt_str(c, "exp_year"));
	ck_assert_ptr_nonnull(sbt_str(c, "created_at"));
	ck_assert_ptr_nonnull(sbt_str(c, "embossed_name"));
	ck_assert_int_eq(sbt_int(c, "atm_daily_limit"), 1000);
	ck_assert_int_eq(sbt_int(c, "payment_transaction_limit"), 1000);
	ck_assert_int_eq(sbt_int(c, "active_days/2"), 5);
	ck_assert_str_eq(sbt_str(c, "categories/1"), "restaurant_and_bar");
	ck_assert_str_eq(sbt_str(c, "card_design"), "plus.black.2023");
	ck_assert_str_eq(sbt_str(c, "type_of_print"), "embossed");
	ck_assert_str_eq(sbt_str(c, "address/country"), "KI");
	ck_assert_int_eq(sbt_created(), 1);
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
}
END_TEST

/* Index in the seed of the membership with that first name. */
static size_t member_named(const char *first)
{
	char path[4096];
	json_object *root, *list;
	size_t found = 0;

	snprintf(path, sizeof(path), "%s/memberships.json", SANDBOX_SEED_DIR);
	root = json_object_from_file(path);
	list = sbt_at(root, "memberships");
	for (size_t i = 0; i < json_object_array_length(list); i++)
		if (strcmp(sbt_str(json_object_array_get_idx(list, i),
				   "first_name"),
			   first) == 0)
			found = i;
	json_object_put(root);
	ck_assert_int_ne(found, 0);
	return found;
}

START_TEST(test_order_and_names)
{
	static const char *const levels[] = {"virtual", "flash",
					     "plus",	"advertising",
					     "metal",	"virtual_partner"};
	json_object *cards[6];
	size_t zoe = member_named("Zo\xc3\xa9 \xf0\x9f\x9a\x80");
	char key[37], *body;
	struct sbt_resp r;

	for (size_t i = 0; i < 6; i++)
		cards[i] = sbt_card(levels[i], i == 2 ? zoe : 10 + i);
	body = sbt_body(cards, 6);
	sbt_uuid(key);
	sbt_start("--sca", "off", NULL);
	sbt_bulk(&r, key, body, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(json_object_array_length(sbt_at(r.json, "cards")), 6);
	for (size_t i = 0; i < 6; i++) {
		char path[64];

		snprintf(path, sizeof(path), "cards/%zu/card/card_level", i);
		ck_assert_str_eq(sbt_str(r.json, path), levels[i]);
		snprintf(path, sizeof(path), "cards/%zu/card/holder_id", i);
		ck_assert_str_eq(sbt_str(r.json, path),
				 sbt_member_id(i == 2 ? zoe : 10 + i));
	}
	ck_assert_str_eq(sbt_str(r.json, "cards/0/card/card_design"),
			 "virtual.default.2017"); /* the level's default */
	ck_assert_str_eq(sbt_str(r.json, "cards/2/card/embossed_name"),
			 "ZO\xc3\x89 \xf0\x9f\x9a\x80 LEF\xc3\x88VRE");
	ck_assert_int_eq(sbt_created(), 6);
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
}
END_TEST

/* One broken field per row: the level, the field ("address.x" for an
 * address field), the JSON value (NULL removes the field), the expected
 * pointer suffix and code. */
struct mutation {
	const char *level, *field, *value, *pointer, *code;
};

static const struct mutation mutations[] = {
    {"virtual", "holder_id", NULL, "holder_id", "required"},
    {"virtual", "holder_id", "\"not-a-uuid\"", "holder_id", "invalid_format"},
    {"virtual", "holder_id", "\"00000000-0000-4000-8000-000000000000\"",
     "holder_id", "not_found"},
    {"virtual", "holder_id", "42", "holder_id", "invalid_type"},
    {"virtual", "initiator_id", "\"00000000-0000-4000-8000-000000000000\"",
     "initiator_id", "not_found"},
    {"virtual", "organization_id", NULL, "organization_id", "required"},
    {"virtual", "organization_id", "\"00000000-0000-4000-8000-000000000000\"",
     "organization_id", "not_found"},
    {"virtual", "bank_account_id", "\"00000000-0000-4000-8000-000000000000\"",
     "bank_account_id", "not_found"},
    {"virtual", "card_level", "\"gold\"", "card_level", "not_in_list"},
    {"virtual", "card_level", NULL, "card_level", "required"},
    {"standard", "ship_to_business", NULL, "ship_to_business", "required"},
    {"standard", "ship_to_business", "\"no\"", "ship_to_business",
     "invalid_type"},
    {"plus", "ship_to_business", "false", "address", "required"},
    {"metal", "address",
     "{\"first_line\":\"1 rue\",\"zipcode\":\"75001\","
     "\"city\":\"Paris\",\"country\":\"fr\"}",
     "address/country", "invalid_format"},
    {"metal", "address",
     "{\"first_line\":\"1 rue\",\"zipcode\":\"75001\","
     "\"city\":\"Paris\",\"country\":\"XX\"}",
     "address/country", "not_in_list"},
    {"metal", "address",
     "{\"zipcode\":\"75001\",\"city\":\"Paris\","
     "\"country\":\"FR\"}",
     "address/first_line", "required"},
    {"metal", "address",
     "{\"first_line\":\"\",\"zipcode\":\"75001\","
     "\"city\":\"Paris\",\"country\":\"FR\"}",
     "address/first_line", "blank"},
    {"metal", "address",
     "{\"contact_name\":5,\"first_line\":\"1\","
     "\"zipcode\":\"1\",\"city\":\"P\",\"country\":"
     "\"FR\"}",
     "address/contact_name", "invalid_type"},
    {"standard", "atm_option", "1", "atm_option", "invalid_type"},
    {"standard", "atm_monthly_limit", "-1", "atm_monthly_limit", "too_small"},
    {"standard", "atm_daily_limit_option", "true", "atm_daily_limit",
     "required"},
    {"virtual", "payment_monthly_limit", NULL, "payment_monthly_limit",
     "required"},
    {"virtual", "payment_monthly_limit", "20001", "payment_monthly_limit",
     "too_large"},
    {"virtual", "payment_monthly_limit", "12.50", "payment_monthly_limit",
     "not_an_integer"},
    {"virtual", "payment_monthly_limit", "\"1000\"", "payment_monthly_limit",
     "invalid_type"},
    {"virtual", "payment_daily_limit", "1001", "payment_daily_limit",
     "exceeds_limit"},
    {"virtual", "payment_transaction_limit", "1001",
     "payment_transaction_limit", "exceeds_limit"},
    {"virtual", "payment_transaction_limit_option", "true",
     "payment_transaction_limit", "required"},
    {"flash", "payment_lifespan_limit", NULL, "payment_lifespan_limit",
     "required"},
    {"flash", "payment_lifespan_limit", "4", "payment_lifespan_limit",
     "too_small"},
    {"flash", "payment_lifespan_limit", "20001", "payment_lifespan_limit",
     "too_large"},
    {"flash", "pre_expires_at", NULL, "pre_expires_at", "required"},
    {"flash", "pre_expires_at", "\"2020-01-01T00:00:00Z\"", "pre_expires_at",
     "in_the_past"},
    {"flash", "pre_expires_at", "\"next week\"", "pre_expires_at",
     "invalid_format"},
    {"flash", "pre_expires_at", "\"2099-02-30T00:00:00Z\"", "pre_expires_at",
     "invalid_format"},
    {"virtual", "active_days", "[]", "active_days", "empty"},
    {"virtual", "active_days", "[0]", "active_days", "not_in_list"},
    {"virtual", "active_days", "[8]", "active_days", "not_in_list"},
    {"virtual", "active_days", "[1,1]", "active_days", "duplicate"},
    {"virtual", "active_days", "[3,1]", "active_days", "not_sorted"},
    {"virtual", "active_days", "[\"1\"]", "active_days", "invalid_type"},
    {"virtual", "active_days", "5", "active_days", "invalid_type"},
    {"virtual", "categories", "[\"casino\"]", "categories", "not_in_list"},
    {"virtual", "categories", "[1]", "categories", "invalid_type"},
    {"plus", "card_design", "\"plus.gold.2099\"", "card_design", "not_in_list"},
    {"plus", "type_of_print", "\"laser\"", "type_of_print", "not_in_list"},
};

static void mutate(json_object *card, const struct mutation *m)
{
	if (strcmp(m->field, "atm_daily_limit_option") == 0)
		set(card, "atm_monthly_limit", "500");
	if (!m->value) {
		json_object_object_del(card, m->field);
		return;
	}
	json_object_object_add(card, m->field, json_tokener_parse(m->value));
	ck_assert_ptr_nonnull(json_object_object_get(card, m->field));
}

START_TEST(test_validation_rule)
{
	const struct mutation *m = &mutations[_i];
	json_object *cards[2] = {sbt_card(m->level, 4), sbt_card("virtual", 5)};
	char key[37], pointer[128], *body;
	struct sbt_resp r;

	mutate(cards[0], m);
	body = sbt_body(cards, 2);
	sbt_uuid(key);
	sbt_start("--sca", "off", NULL);
	sbt_bulk(&r, key, body, NULL);
	ck_assert_int_eq(r.status, 200);
	snprintf(pointer, sizeof(pointer), "/cards/0/card/%s", m->pointer);
	ck_assert_msg(
	    sbt_str(r.json, "cards/0/errors/0/code") &&
		strcmp(sbt_str(r.json, "cards/0/errors/0/code"), m->code) == 0,
	    "%s=%s: expected %s, got %s", m->field,
	    m->value ? m->value : "(absent)", m->code, r.body);
	ck_assert_str_eq(sbt_str(r.json, "cards/0/errors/0/source/pointer"),
			 pointer);
	ck_assert_ptr_nonnull(sbt_str(r.json, "cards/0/errors/0/detail"));
	ck_assert_ptr_null(sbt_at(r.json, "cards/0/card"));
	ck_assert_ptr_nonnull(sbt_at(r.json, "cards/1/card"));
	ck_assert_int_eq(sbt_created(), 1);
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
}
END_TEST

static char *mixed_body(void)
{
	json_object *cards[3] = {sbt_card("virtual", 1), sbt_card("plus", 2),
				 sbt_card("flash", 3)};

	set(cards[1], "payment_monthly_limit", "-5");
	set(cards[1], "categories", "[\"casino\"]");
	return sbt_body(cards, 3);
}

START_TEST(test_per_card_mixed)
{
	char key[37], *body = mixed_body();
	struct sbt_resp r;

	sbt_uuid(key);
	sbt_start("--sca", "off", "--validation", "per-card", NULL);
	sbt_bulk(&r, key, body, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(sbt_at(r.json, "cards/0/card"));
	ck_assert_int_eq(
	    json_object_array_length(sbt_at(r.json, "cards/1/errors")), 2);
	ck_assert_ptr_nonnull(sbt_at(r.json, "cards/2/card"));
	ck_assert_int_eq(sbt_created(), 2);
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
}
END_TEST

START_TEST(test_whole_request_mode)
{
	char key[37], *body = mixed_body();
	struct sbt_resp r;

	sbt_uuid(key);
	sbt_start("--sca", "off", "--validation", "whole", NULL);
	sbt_bulk(&r, key, body, NULL);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(sbt_str(r.json, "trace_id"));
	ck_assert_int_eq(json_object_array_length(sbt_at(r.json, "errors")), 2);
	ck_assert_str_eq(sbt_str(r.json, "errors/0/source/pointer"),
			 "/cards/1/card/payment_monthly_limit");
	ck_assert_str_eq(sbt_str(r.json, "errors/1/source/pointer"),
			 "/cards/1/card/categories");
	ck_assert_int_eq(sbt_created(), 0);
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
}
END_TEST

static void expect_refused(const char *body, long status, const char *pointer)
{
	char key[37];
	struct sbt_resp r;

	sbt_uuid(key);
	sbt_bulk(&r, key, body, NULL);
	ck_assert_msg(r.status == status, "%s: %ld %s", body, r.status, r.body);
	ck_assert_ptr_nonnull(sbt_str(r.json, "trace_id"));
	if (pointer)
		ck_assert_str_eq(sbt_str(r.json, "errors/0/source/pointer"),
				 pointer);
	sbt_resp_free(&r);
}

START_TEST(test_envelope)
{
	json_object *many[51];
	char *body;
	struct sbt_resp r;
	char key[37];

	sbt_start("--sca", "off", NULL);
	expect_refused("{\"cards\":[]}", 422, "/cards");
	expect_refused("{\"cards\":{}}", 422, "/cards");
	expect_refused("[]", 422, "/cards");
	expect_refused("{\"cards\":[", 400, NULL);
	expect_refused("not json", 400, NULL);
	for (size_t i = 0; i < 51; i++)
		many[i] = sbt_card("virtual", i);
	body = sbt_body(many, 51);
	expect_refused(body, 422, "/cards");
	free(body);
	/* an item without the {"card": ...} wrapper is an error entry */
	sbt_uuid(key);
	sbt_bulk(&r, key, "{\"cards\":[{\"card_level\":\"virtual\"}]}", NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(sbt_str(r.json, "cards/0/errors/0/source/pointer"),
			 "/cards/0");
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 0);
	sbt_finish();
}
END_TEST

START_TEST(test_fifty_cards)
{
	json_object *many[50];
	char key[37], *body;
	struct sbt_resp r;

	for (size_t i = 0; i < 50; i++)
		many[i] = sbt_card(i % 2 ? "virtual" : "standard", i);
	body = sbt_body(many, 50);
	sbt_uuid(key);
	sbt_start("--sca", "off", NULL);
	sbt_bulk(&r, key, body, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(sbt_created(), 50);
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
}
END_TEST

START_TEST(test_idempotency_key_rules)
{
	json_object *card = sbt_card("virtual", 1);
	char *body = sbt_body(&card, 1);
	struct sbt_resp r;

	sbt_start("--sca", "off", NULL);
	sbt_request(&r, "POST", "/v2/cards/bulk", body,
		    (const char *const[]){SBT_AUTH, NULL});
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(sbt_str(r.json, "errors/0/source/parameter"),
			 "X-Qonto-Idempotency-Key");
	sbt_resp_free(&r);
	sbt_bulk(&r, "not-a-uuid", body, NULL);
	ck_assert_int_eq(r.status, 400);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 0);
	free(body);
	sbt_finish();
}
END_TEST

START_TEST(test_idempotent_replay)
{
	json_object *cards[2] = {sbt_card("virtual", 1), sbt_card("flash", 2)};
	json_object *other = sbt_card("virtual", 3);
	char *body = sbt_body(cards, 2), *body2 = sbt_body(&other, 1);
	char key[37];
	struct sbt_resp a, b;

	sbt_uuid(key);
	sbt_start("--sca", "off", NULL);
	sbt_bulk(&a, key, body, NULL);
	ck_assert_int_eq(a.status, 200);
	sbt_bulk(&b, key, body, NULL);
	ck_assert_int_eq(b.status, 200);
	ck_assert_str_eq(a.body, b.body);
	ck_assert_int_eq(sbt_created(), 2);
	sbt_resp_free(&b);
	sbt_bulk(&b, key, body2, NULL);
	ck_assert_int_eq(b.status, 422);
	ck_assert_str_eq(sbt_str(b.json, "errors/0/code"),
			 "idempotency_key_reused");
	ck_assert_int_eq(sbt_created(), 2);
	sbt_resp_free(&a);
	sbt_resp_free(&b);
	free(body);
	free(body2);
	sbt_finish();
}
END_TEST

START_TEST(test_idempotency_expiry)
{
	json_object *card = sbt_card("virtual", 1);
	char *body = sbt_body(&card, 1);
	char key[37];
	struct sbt_resp a, b;
	struct timespec pause = {0, 400 * 1000000L};

	sbt_uuid(key);
	sbt_start("--sca", "off", "--idempotency-ttl", "300ms", NULL);
	sbt_bulk(&a, key, body, NULL);
	ck_assert_int_eq(a.status, 200);
	nanosleep(&pause, NULL);
	sbt_bulk(&b, key, body, NULL);
	ck_assert_int_eq(b.status, 200);
	ck_assert_str_ne(sbt_str(a.json, "cards/0/card/id"),
			 sbt_str(b.json, "cards/0/card/id"));
	ck_assert_int_eq(sbt_created(), 2);
	sbt_resp_free(&a);
	sbt_resp_free(&b);
	free(body);
	sbt_finish();
}
END_TEST

static void create_many(size_t n, size_t holders)
{
	json_object *cards[50];
	size_t done = 0;

	while (done < n) {
		size_t k = n - done > 30 ? 30 : n - done;
		char key[37], *body;
		struct sbt_resp r;

		for (size_t i = 0; i < k; i++)
			cards[i] =
			    sbt_card((done + i) % 3 ? "virtual" : "flash",
				     (done + i) % holders);
		body = sbt_body(cards, k);
		sbt_uuid(key);
		sbt_bulk(&r, key, body, NULL);
		ck_assert_int_eq(r.status, 200);
		sbt_resp_free(&r);
		free(body);
		done += k;
	}
}

/* Who may order for whom (issue 14): GET /v2/teams; an employee's or an
 * accountant's token gets 403; a manager orders for their own team only;
 * a holder who is not active, or a closed account, is a card error. */
START_TEST(test_roles_and_teams)
{
	/* 8: an employee of Ventes; 18: a manager of Atelier; 11: an
	 * employee of Atelier; 129: revoked */
	json_object *cards[3] = { sbt_card("virtual", 11), sbt_card("virtual", 8),
				  sbt_card("virtual", 129) };
	char key[37], *body = sbt_body(cards, 3);
	struct sbt_resp r;

	sbt_start("--sca", "off", "--caller", sbt_member_id(18), "--closed-account",
		  sbt_account_id(3), NULL);
	sbt_get(&r, "/v2/teams?per_page=2&page=3");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(sbt_int(r.json, "meta/total_count"), 5);
	ck_assert_str_eq(sbt_str(r.json, "teams/0/name"), "Finance");
	sbt_resp_free(&r);
	sbt_get(&r, "/v2/membership");
	ck_assert_str_eq(sbt_str(r.json, "membership/role"), "manager");
	sbt_resp_free(&r);
	sbt_get(&r, "/v2/bank_accounts");
	ck_assert_str_eq(sbt_str(r.json, "bank_accounts/3/status"), "closed");
	sbt_resp_free(&r);
	sbt_uuid(key);
	sbt_bulk(&r, key, body, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(sbt_at(r.json, "cards/0/card"));
	ck_assert_str_eq(sbt_str(r.json, "cards/1/errors/0/code"), "forbidden");
	ck_assert_str_eq(sbt_str(r.json, "cards/1/errors/0/source/pointer"),
			 "/cards/1/card/holder_id");
	ck_assert_str_eq(sbt_str(r.json, "cards/2/errors/0/code"), "invalid_membership");
	ck_assert_int_eq(sbt_created(), 1);
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
	/* the closed account, for an owner */
	cards[0] = sbt_card("virtual", 11);
	json_object_object_add(cards[0], "bank_account_id",
			       json_object_new_string(sbt_account_id(3)));
	body = sbt_body(cards, 1);
	sbt_start("--sca", "off", "--closed-account", sbt_account_id(3), NULL);
	sbt_uuid(key);
	sbt_bulk(&r, key, body, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(sbt_str(r.json, "cards/0/errors/0/code"), "invalid_bank_account");
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
	/* an employee's token: nothing is looked at */
	cards[0] = sbt_card("virtual", 11);
	body = sbt_body(cards, 1);
	sbt_start("--sca", "off", "--caller", sbt_member_id(8), NULL);
	sbt_uuid(key);
	sbt_bulk(&r, key, body, NULL);
	ck_assert_int_eq(r.status, 403);
	ck_assert_str_eq(sbt_str(r.json, "errors/0/code"), "forbidden");
	ck_assert_int_eq(sbt_created(), 0);
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
}
END_TEST

/* POST /_sandbox/cards/life: a card gets its PIN, ships and goes live;
 * GET /v2/cards?ids[]= reads it back so. */
START_TEST(test_card_life)
{
	json_object *cards[2] = { sbt_card("standard", 3), sbt_card("virtual", 4) };
	char key[37], *body = sbt_body(cards, 2), life[200], path[200];
	struct sbt_resp r;
	const char *headers[] = { "Content-Type: application/json", NULL };

	sbt_start("--sca", "off", NULL);
	sbt_uuid(key);
	sbt_bulk(&r, key, body, NULL);
	ck_assert_int_eq(r.status, 200);
	snprintf(path, sizeof(path), "/v2/cards?ids[]=%s", sbt_str(r.json, "cards/0/card/id"));
	snprintf(life, sizeof(life), "{\"ids\": [\"%s\", \"nope\"], \"status\": \"live\", "
		 "\"pin_set\": true, \"shipped\": true}",
		 sbt_str(r.json, "cards/0/card/id"));
	sbt_resp_free(&r);
	sbt_request(&r, "POST", "/_sandbox/cards/life", life, headers);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(sbt_int(r.json, "moved"), 1);
	ck_assert_int_eq(sbt_int(r.json, "unknown"), 1);
	sbt_resp_free(&r);
	sbt_get(&r, path);
	ck_assert_int_eq(sbt_int(r.json, "meta/total_count"), 1);
	ck_assert_str_eq(sbt_str(r.json, "cards/0/status"), "live");
	ck_assert(json_object_get_boolean(sbt_at(r.json, "cards/0/pin_set")));
	ck_assert_ptr_nonnull(sbt_str(r.json, "cards/0/shipped_at"));
	sbt_resp_free(&r);
	sbt_request(&r, "POST", "/_sandbox/cards/life", "{\"ids\": [], \"status\": \"gone\"}",
		    headers);
	ck_assert_int_eq(r.status, 400);
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
}
END_TEST

/* The seed's cards (assets/sandbox/cards.json): 7, two of them member 1's
 * (a discarded plus and a live virtual), none a flash card. */
#define SEEDED_CARDS 7
#define SEEDED_OF_MEMBER_1 2

START_TEST(test_list_cards)
{
	char path[256], first_asc[37];
	struct sbt_resp r;

	sbt_start("--sca", "off", NULL);
	create_many(60, 3);
	for (int page = 1; page <= 3; page++) {
		snprintf(path, sizeof(path), "/v2/cards?per_page=25&page=%d",
			 page);
		sbt_get(&r, path);
		ck_assert_int_eq(r.status, 200);
		ck_assert_int_eq(
		    json_object_array_length(sbt_at(r.json, "cards")),
		    page < 3 ? 25 : 10 + SEEDED_CARDS);
		ck_assert_int_eq(sbt_int(r.json, "meta/total_count"), 60 + SEEDED_CARDS);
		ck_assert_int_eq(sbt_int(r.json, "meta/total_pages"), 3);
		if (page < 3)
			ck_assert_int_eq(sbt_int(r.json, "meta/next_page"),
					 page + 1);
		else
			ck_assert_ptr_null(sbt_at(r.json, "meta/next_page"));
		sbt_resp_free(&r);
	}
	snprintf(path, sizeof(path), "/v2/cards?holder_ids%%5B%%5D=%s",
		 sbt_member_id(1));
	sbt_get(&r, path);
	ck_assert_int_eq(sbt_int(r.json, "meta/total_count"), 20 + SEEDED_OF_MEMBER_1);
	ck_assert_str_eq(sbt_str(r.json, "cards/0/holder_id"),
			 sbt_member_id(1));
	sbt_resp_free(&r);
	snprintf(
	    path, sizeof(path),
	    "/v2/cards?holder_ids[]=%s&holder_ids[]=%s&card_levels[]=flash",
	    sbt_member_id(0), sbt_member_id(1));
	sbt_get(&r, path);
	ck_assert_int_eq(sbt_int(r.json, "meta/total_count"), 20);
	ck_assert_str_eq(sbt_str(r.json, "cards/0/card_level"), "flash");
	sbt_resp_free(&r);
	sbt_get(&r, "/v2/cards?sort_by=created_at:asc&per_page=100");
	snprintf(first_asc, sizeof(first_asc), "%s",
		 sbt_str(r.json, "cards/0/id"));
	sbt_resp_free(&r);
	sbt_get(&r, "/v2/cards?sort_by=created_at:desc&per_page=100");
	ck_assert_str_eq(sbt_str(r.json, "cards/66/id"), first_asc);
	sbt_resp_free(&r);
	sbt_get(&r, "/v2/cards?sort_by=nickname:up");
	ck_assert_int_eq(r.status, 400);
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

Suite *sandbox_bulk_suite(void)
{
	Suite *s = suite_create("sandbox_bulk");
	TCase *tc = sbt_tcase("create", 30);

	tcase_add_test(tc, test_create_documented_example);
	tcase_add_test(tc, test_order_and_names);
	tcase_add_test(tc, test_fifty_cards);
	tcase_add_test(tc, test_list_cards);
	tcase_add_test(tc, test_roles_and_teams);
	tcase_add_test(tc, test_card_life);
	suite_add_tcase(s, tc);
	tc = sbt_tcase("validation", 30);
	tcase_add_loop_test(tc, test_validation_rule, 0,
			    (int)(sizeof(mutations) / sizeof(mutations[0])));
	tcase_add_test(tc, test_per_card_mixed);
	tcase_add_test(tc, test_whole_request_mode);
	tcase_add_test(tc, test_envelope);
	suite_add_tcase(s, tc);
	tc = sbt_tcase("idempotency", 30);
	tcase_add_test(tc, test_idempotency_key_rules);
	tcase_add_test(tc, test_idempotent_replay);
	tcase_add_test(tc, test_idempotency_expiry);
	suite_add_tcase(s, tc);
	return s;
}
