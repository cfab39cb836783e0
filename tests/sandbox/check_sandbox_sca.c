/* check_sandbox_sca.c: the SCA flow of card creation: 428, polling, the
 * mocked decisions, expiry, the replay and its binding to the request. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_sandbox.h"

struct order {
	char key[37];
	char *body;
	char token[128];
};

/* Sends a fresh 2-card order and expects 428 sca_required. */
static void challenge(struct order *o, size_t holder)
{
	json_object *cards[2] = {sbt_card("virtual", holder),
				 sbt_card("standard", holder + 1)};
	struct sbt_resp r;

	o->body = sbt_body(cards, 2);
	sbt_uuid(o->key);
	sbt_bulk(&r, o->key, o->body, NULL);
	ck_assert_int_eq(r.status, 428);
	ck_assert_str_eq(sbt_str(r.json, "code"), "sca_required");
	ck_assert_ptr_nonnull(sbt_str(r.json, "message"));
	ck_assert_ptr_nonnull(sbt_str(r.json, "trace_id"));
	ck_assert_ptr_nonnull(sbt_sca_token(&r));
	snprintf(o->token, sizeof(o->token), "%s", sbt_sca_token(&r));
	sbt_resp_free(&r);
}

static void poll_expect(const struct order *o, const char *result)
{
	char path[256];
	struct sbt_resp r;

	snprintf(path, sizeof(path), "/v2/sca_sessions/%s", o->token);
	sbt_get(&r, path);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(sbt_str(r.json, "result"), result);
	sbt_resp_free(&r);
}

static long decide(const char *prefix, const struct order *o,
		   const char *decision)
{
	char path[256];
	struct sbt_resp r;
	long status;

	snprintf(path, sizeof(path), "%s/%s/%s", prefix, o->token, decision);
	sbt_request(&r, "POST", path, NULL,
		    (const char *const[]){SBT_AUTH, NULL});
	status = r.status;
	sbt_resp_free(&r);
	return status;
}

/* The replay with the session token; returns the status, code in out. */
static long replay(const struct order *o, const char *key, const char *body,
		   char *code, size_t size)
{
	char header[192];
	struct sbt_resp r;
	long status;

	snprintf(header, sizeof(header), "X-Qonto-Sca-Session-Token: %s",
		 o->token);
	sbt_bulk(&r, key, body, header);
	status = r.status;
	if (code)
		snprintf(code, size, "%s",
			 sbt_str(r.json, "errors/0/code")
			     ? sbt_str(r.json, "errors/0/code")
			     : "");
	sbt_resp_free(&r);
	return status;
}

START_TEST(test_sca_allow)
{
	struct order o;
	struct sbt_resp r;

	sbt_start(NULL);
	challenge(&o, 1);
	ck_assert_int_eq(sbt_created(), 0);
	poll_expect(&o, "waiting");
	ck_assert_int_eq(decide("/v2/mocked_sca_sessions", &o, "allow"), 200);
	poll_expect(&o, "allow");
	ck_assert_int_eq(replay(&o, o.key, o.body, NULL, 0), 200);
	ck_assert_int_eq(sbt_created(), 2);
	/* the same replay again: the cached answer, nothing new */
	ck_assert_int_eq(replay(&o, o.key, o.body, NULL, 0), 200);
	sbt_bulk(&r, o.key, o.body, NULL);
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 2);
	free(o.body);
	sbt_finish();
}
END_TEST

START_TEST(test_sca_deny)
{
	struct order o;
	char code[64];

	sbt_start(NULL);
	challenge(&o, 1);
	ck_assert_int_eq(decide("/v2/mocked_sca_sessions", &o, "deny"), 200);
	poll_expect(&o, "deny");
	ck_assert_int_eq(replay(&o, o.key, o.body, code, sizeof(code)), 412);
	ck_assert_str_eq(code, "sca_session_denied");
	/* a decided session cannot change its mind */
	ck_assert_int_eq(decide("/v2/mocked_sca_sessions", &o, "allow"), 422);
	ck_assert_int_eq(sbt_created(), 0);
	free(o.body);
	sbt_finish();
}
END_TEST

START_TEST(test_sca_waiting_replay)
{
	struct order o;
	char code[64];

	sbt_start(NULL);
	challenge(&o, 1);
	ck_assert_int_eq(replay(&o, o.key, o.body, code, sizeof(code)), 412);
	ck_assert_str_eq(code, "sca_session_waiting");
	ck_assert_int_eq(sbt_created(), 0);
	free(o.body);
	sbt_finish();
}
END_TEST

START_TEST(test_sca_expiry)
{
	struct timespec pause = {0, 900 * 1000000L};
	struct order o;
	char code[64];

	sbt_start("--sca-lifetime", "800ms", NULL);
	challenge(&o, 1);
	poll_expect(&o, "waiting");
	nanosleep(&pause, NULL);
	poll_expect(&o, "deny");
	ck_assert_int_eq(decide("/v2/mocked_sca_sessions", &o, "allow"), 422);
	ck_assert_int_eq(replay(&o, o.key, o.body, code, sizeof(code)), 412);
	ck_assert_int_eq(sbt_created(), 0);
	free(o.body);
	sbt_finish();
}
END_TEST

START_TEST(test_sca_replay_wrong_body)
{
	json_object *card = sbt_card("virtual", 9);
	char *other = sbt_body(&card, 1);
	char key[37], code[64];
	struct order o;

	sbt_start(NULL);
	challenge(&o, 1);
	ck_assert_int_eq(decide("/v2/mocked_sca_sessions", &o, "allow"), 200);
	ck_assert_int_eq(replay(&o, o.key, other, code, sizeof(code)), 412);
	ck_assert_str_eq(code, "sca_session_mismatch");
	sbt_uuid(key);
	ck_assert_int_eq(replay(&o, key, o.body, code, sizeof(code)), 412);
	ck_assert_str_eq(code, "sca_session_mismatch");
	ck_assert_int_eq(sbt_created(), 0);
	/* the right replay still works after the refusals */
	ck_assert_int_eq(replay(&o, o.key, o.body, NULL, 0), 200);
	ck_assert_int_eq(sbt_created(), 2);
	free(o.body);
	free(other);
	sbt_finish();
}
END_TEST

START_TEST(test_sca_token_used_once)
{
	struct timespec pause = {0, 350 * 1000000L};
	struct order o;
	char code[64];

	sbt_start("--idempotency-ttl", "250ms", NULL);
	challenge(&o, 1);
	ck_assert_int_eq(decide("/v2/mocked_sca_sessions", &o, "allow"), 200);
	ck_assert_int_eq(replay(&o, o.key, o.body, NULL, 0), 200);
	nanosleep(&pause, NULL);
	ck_assert_int_eq(replay(&o, o.key, o.body, code, sizeof(code)), 412);
	ck_assert_str_eq(code, "sca_session_used");
	ck_assert_int_eq(sbt_created(), 2);
	free(o.body);
	sbt_finish();
}
END_TEST

START_TEST(test_sca_unknown_token)
{
	struct order o;
	char code[64];

	sbt_start(NULL);
	challenge(&o, 1);
	snprintf(o.token, sizeof(o.token), "nope");
	ck_assert_int_eq(replay(&o, o.key, o.body, code, sizeof(code)), 412);
	ck_assert_str_eq(code, "sca_session_not_found");
	ck_assert_int_eq(decide("/v2/mocked_sca_sessions", &o, "allow"), 404);
	free(o.body);
	sbt_finish();
}
END_TEST

START_TEST(test_sca_auto)
{
	struct order o;

	sbt_start("--sca", "auto", "--sca-polls", "2", NULL);
	challenge(&o, 1);
	poll_expect(&o, "waiting");
	poll_expect(&o, "waiting");
	poll_expect(&o, "allow");
	ck_assert_int_eq(replay(&o, o.key, o.body, NULL, 0), 200);
	ck_assert_int_eq(sbt_created(), 2);
	free(o.body);
	sbt_finish();
}
END_TEST

START_TEST(test_sca_auto_deny)
{
	struct order o;

	sbt_start("--sca", "auto-deny", "--sca-polls", "0", NULL);
	challenge(&o, 1);
	poll_expect(&o, "deny");
	ck_assert_int_eq(replay(&o, o.key, o.body, NULL, 0), 412);
	free(o.body);
	sbt_finish();
}
END_TEST

static void expect_not_enrolled(const char *const *headers)
{
	json_object *card = sbt_card("virtual", 1);
	char *body = sbt_body(&card, 1);
	struct sbt_resp r;

	sbt_request(&r, "POST", "/v2/cards/bulk", body, headers);
	ck_assert_int_eq(r.status, 428);
	ck_assert_str_eq(sbt_str(r.json, "code"), "sca_not_enrolled");
	ck_assert_ptr_nonnull(sbt_str(r.json, "message"));
	ck_assert_ptr_null(sbt_sca_token(&r));
	sbt_resp_free(&r);
	free(body);
}

START_TEST(test_sca_not_enrolled)
{
	const char *const mock[] = {
	    SBT_AUTH, "X-Qonto-2fa-Preference: mock",
	    "X-Qonto-Idempotency-Key: 0b6c4a5e-3a51-4f4c-9a57-4bc4e8f0a001",
	    NULL};
	const char *const paired[] = {
	    SBT_AUTH, "X-Qonto-2fa-Preference: paired-device",
	    "X-Qonto-Idempotency-Key: 0b6c4a5e-3a51-4f4c-9a57-4bc4e8f0a002",
	    NULL};

	sbt_start(NULL);
	expect_not_enrolled(paired); /* sandbox writes need "mock" */
	sbt_finish();
	sbt_start("--sca", "not-enrolled", NULL);
	expect_not_enrolled(mock);
	ck_assert_int_eq(sbt_created(), 0);
	sbt_finish();
}
END_TEST

START_TEST(test_sca_sandbox_control)
{
	struct order a, b;
	struct sbt_resp r;

	sbt_start(NULL);
	challenge(&a, 1);
	challenge(&b, 3);
	sbt_request(&r, "GET", "/_sandbox/sca_sessions", NULL, NULL);
	ck_assert_int_eq(
	    json_object_array_length(sbt_at(r.json, "sca_sessions")), 2);
	ck_assert_str_eq(sbt_str(r.json, "sca_sessions/0/result"), "waiting");
	sbt_resp_free(&r);
	ck_assert_int_eq(decide("/_sandbox/sca_sessions", &b, "deny"), 200);
	sbt_request(&r, "POST", "/_sandbox/sca/allow", NULL, NULL);
	ck_assert_int_eq(sbt_int(r.json, "decided"), 1);
	sbt_resp_free(&r);
	poll_expect(&a, "allow");
	poll_expect(&b, "deny");
	ck_assert_int_eq(replay(&a, a.key, a.body, NULL, 0), 200);
	ck_assert_int_eq(sbt_created(), 2);
	free(a.body);
	free(b.body);
	sbt_finish();
}
END_TEST

START_TEST(test_sca_off)
{
	json_object *card = sbt_card("virtual", 1);
	char *body = sbt_body(&card, 1);
	const char *const h[] = {
	    SBT_AUTH,
	    "X-Qonto-Idempotency-Key: 0b6c4a5e-3a51-4f4c-9a57-4bc4e8f0a003",
	    NULL};
	struct sbt_resp r;

	sbt_start("--sca", "off", NULL);
	sbt_request(&r, "POST", "/v2/cards/bulk", body, h);
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 1);
	free(body);
	sbt_finish();
}
END_TEST

Suite *sandbox_sca_suite(void)
{
	Suite *s = suite_create("sandbox_sca");
	TCase *tc = sbt_tcase("sca", 30);

	tcase_add_test(tc, test_sca_allow);
	tcase_add_test(tc, test_sca_deny);
	tcase_add_test(tc, test_sca_waiting_replay);
	tcase_add_test(tc, test_sca_expiry);
	tcase_add_test(tc, test_sca_replay_wrong_body);
	tcase_add_test(tc, test_sca_token_used_once);
	tcase_add_test(tc, test_sca_unknown_token);
	tcase_add_test(tc, test_sca_auto);
	tcase_add_test(tc, test_sca_auto_deny);
	tcase_add_test(tc, test_sca_not_enrolled);
	tcase_add_test(tc, test_sca_sandbox_control);
	tcase_add_test(tc, test_sca_off);
	suite_add_tcase(s, tc);
	return s;
}
