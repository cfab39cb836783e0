/* check_sandbox.c: runs the sandbox suites; the read endpoints, pagination,
 * authentication and the staging gate are tested here. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check_sandbox.h"

START_TEST(test_organization)
{
	struct sbt_resp r;

	sbt_start(NULL);
	sbt_get(&r, "/v2/organization");
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(sbt_str(r.json, "organization/id"), sbt_org_id());
	ck_assert_ptr_nonnull(sbt_str(r.json, "organization/slug"));
	ck_assert_ptr_nonnull(sbt_str(r.json, "organization/legal_name"));
	ck_assert_ptr_nonnull(strstr(r.content_type, "application/json"));
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

START_TEST(test_bank_accounts)
{
	struct sbt_resp r;
	json_object *list;
	int mains = 0;

	sbt_start(NULL);
	sbt_get(&r, "/v2/bank_accounts");
	ck_assert_int_eq(r.status, 200);
	list = sbt_at(r.json, "bank_accounts");
	ck_assert_int_ge(json_object_array_length(list), 2);
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *a = json_object_array_get_idx(list, i);

		ck_assert_ptr_nonnull(sbt_str(a, "iban"));
		ck_assert_str_eq(sbt_str(a, "currency"), "EUR");
		mains += json_object_get_boolean(sbt_at(a, "main"));
	}
	ck_assert_int_eq(mains, 1);
	ck_assert_int_eq(sbt_int(r.json, "meta/current_page"), 1);
	ck_assert_ptr_null(sbt_at(r.json, "meta/next_page"));
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

/* Walks every page of memberships; returns the total and checks meta. */
static size_t walk_memberships(unsigned int per_page, json_object *names)
{
	char path[96];
	long long page = 1;
	size_t total = 0;

	while (page > 0) {
		struct sbt_resp r;
		json_object *list, *next;

		snprintf(path, sizeof(path),
			 "/v2/memberships?page=%lld&per_page=%u", page,
			 per_page);
		sbt_get(&r, path);
		ck_assert_int_eq(r.status, 200);
		list = sbt_at(r.json, "memberships");
		ck_assert_int_eq(sbt_int(r.json, "meta/current_page"), page);
		ck_assert_int_eq(sbt_int(r.json, "meta/per_page"), per_page);
		if (page > 1)
			ck_assert_int_eq(sbt_int(r.json, "meta/prev_page"),
					 page - 1);
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			json_object *m = json_object_array_get_idx(list, i);
			char name[256];

			snprintf(name, sizeof(name), "%s %s",
				 sbt_str(m, "first_name"),
				 sbt_str(m, "last_name"));
			json_object_array_add(names,
					      json_object_new_string(name));
			total++;
		}
		next = sbt_at(r.json, "meta/next_page");
		page = next ? json_object_get_int64(next) : 0;
		ck_assert_int_eq(sbt_int(r.json, "meta/total_count") >= 120, 1);
		sbt_resp_free(&r);
	}
	return total;
}

static int count_name(json_object *names, const char *needle, bool exact)
{
	int n = 0;

	for (size_t i = 0; i < json_object_array_length(names); i++) {
		const char *s =
		    json_object_get_string(json_object_array_get_idx(names, i));

		n += exact ? strcmp(s, needle) == 0 : strstr(s, needle) != NULL;
	}
	return n;
}

START_TEST(test_memberships_pages)
{
	json_object *names = json_object_new_array();
	size_t total;

	sbt_start(NULL);
	total = walk_memberships(50, names);
	ck_assert_int_ge(total, 120);
	ck_assert_int_eq(count_name(names, "Camille Martin", true), 2);
	ck_assert_int_ge(count_name(names, "é", false), 3);	   /* accents */
	ck_assert_int_ge(count_name(names, "山田", false), 1);	   /* CJK */
	ck_assert_int_ge(count_name(names, "\xf0\x9f", false), 1); /* emoji */
	json_object_put(names);
	names = json_object_new_array();
	ck_assert_int_eq(walk_memberships(100, names), total);
	json_object_put(names);
	sbt_finish();
}
END_TEST

START_TEST(test_paging_bounds)
{
	static const char *const bad[] = {
	    "/v2/memberships?per_page=0", "/v2/memberships?per_page=101",
	    "/v2/memberships?page=0",	  "/v2/memberships?page=abc",
	    "/v2/cards?per_page=500",
	};
	struct sbt_resp r;

	sbt_start(NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sbt_get(&r, bad[i]);
		ck_assert_int_eq(r.status, 400);
		ck_assert_ptr_nonnull(sbt_str(r.json, "trace_id"));
		ck_assert_ptr_nonnull(
		    sbt_str(r.json, "errors/0/source/parameter"));
		sbt_resp_free(&r);
	}
	sbt_get(&r, "/v2/memberships?page=99&per_page=100");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(
	    json_object_array_length(sbt_at(r.json, "memberships")), 0);
	ck_assert_ptr_null(sbt_at(r.json, "meta/next_page"));
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

START_TEST(test_membership_and_appearances)
{
	struct sbt_resp r;
	json_object *types;
	int designs = 0;

	sbt_start(NULL);
	sbt_get(&r, "/v2/membership");
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(sbt_str(r.json, "membership/role"), "owner");
	ck_assert_ptr_nonnull(sbt_str(r.json, "membership/email"));
	sbt_resp_free(&r);
	sbt_get(&r, "/v2/cards/appearances");
	ck_assert_int_eq(r.status, 200);
	types = sbt_at(r.json, "card_type_appearances");
	for (size_t t = 0; t < json_object_array_length(types); t++) {
		json_object *lv = sbt_at(json_object_array_get_idx(types, t),
					 "card_level_appearances");

		for (size_t l = 0; l < json_object_array_length(lv); l++)
			designs += (int)json_object_array_length(sbt_at(
			    json_object_array_get_idx(lv, l), "appearances"));
	}
	ck_assert_int_ge(designs, 11);
	ck_assert_ptr_nonnull(strstr(r.body, "\"plus.black.2023\""));
	ck_assert_ptr_nonnull(strstr(r.body, "\"metal.sand.gold.2024\""));
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

START_TEST(test_unknown_path)
{
	struct sbt_resp r;

	sbt_start(NULL);
	sbt_get(&r, "/v2/nothing");
	ck_assert_int_eq(r.status, 404);
	sbt_resp_free(&r);
	sbt_request(&r, "DELETE", "/v2/organization", NULL,
		    (const char *const[]){SBT_AUTH, NULL});
	ck_assert_int_eq(r.status, 405);
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

START_TEST(test_auth)
{
	struct sbt_resp r;

	sbt_start(NULL);
	sbt_request(&r, "GET", "/v2/organization", NULL, NULL);
	ck_assert_int_eq(r.status, 401);
	ck_assert_ptr_nonnull(sbt_str(r.json, "errors/0/code"));
	sbt_resp_free(&r);
	sbt_request(&r, "GET", "/v2/organization", NULL,
		    (const char *const[]){"Authorization: Bearer nope", NULL});
	ck_assert_int_eq(r.status, 401);
	sbt_resp_free(&r);
	sbt_request(&r, "GET", "/v2/memberships", NULL,
		    (const char *const[]){"Authorization: " SBT_API_KEY, NULL});
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
	sbt_request(&r, "GET", "/v2/cards", NULL,
		    (const char *const[]){"Authorization: " SBT_API_KEY, NULL});
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
	sbt_request(
	    &r, "GET", "/v2/memberships", NULL,
	    (const char *const[]){"Authorization: acme-1234:wrong", NULL});
	ck_assert_int_eq(r.status, 401);
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

START_TEST(test_api_key_cannot_create)
{
	json_object *card = sbt_card("virtual", 1);
	char *body = sbt_body(&card, 1);
	char key[37];
	struct sbt_resp r;

	sbt_uuid(key);
	sbt_start("--sca", "off", NULL);
	sbt_request(&r, "POST", "/v2/cards/bulk", body,
		    (const char *const[]){"Authorization: " SBT_API_KEY,
					  "X-Qonto-2fa-Preference: mock",
					  "Content-Type: application/json",
					  NULL});
	ck_assert_int_eq(r.status, 403);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 0);
	free(body);
	sbt_finish();
}
END_TEST

START_TEST(test_staging_token)
{
	struct sbt_resp r;

	sbt_start("--staging-token", "stg-42", NULL);
	sbt_get(&r, "/v2/organization");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(r.json);
	ck_assert_ptr_nonnull(strstr(r.content_type, "text/html"));
	ck_assert_ptr_nonnull(strstr(r.body, "<html"));
	sbt_resp_free(&r);
	sbt_request(&r, "GET", "/v2/organization", NULL,
		    (const char *const[]){
			SBT_AUTH, "X-Qonto-Staging-Token: wrong", NULL});
	ck_assert_ptr_null(r.json);
	sbt_resp_free(&r);
	sbt_request(&r, "GET", "/v2/organization", NULL,
		    (const char *const[]){
			SBT_AUTH, "X-Qonto-Staging-Token: stg-42", NULL});
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(sbt_at(r.json, "organization"));
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

static const char *const help_options[] = {
    "--port",
    "--port-file",
    "--seed-dir",
    "--catalog-dir",
    "--staging-token",
    "--access-token",
    "--refresh-token",
    "--api-key",
    "--token-lifetime",
    "--code-lifetime",
    "--oauth-client-id",
    "--oauth-client-secret",
    "--redirect-uri",
    "--validation",
    "--sca",
    "--sca-polls",
    "--sca-lifetime",
    "--idempotency-ttl",
    "--rate-limit",
    "--fault-rate",
    "--faults",
    "--fault-count",
    "--fault-scope",
    "--seed",
    "--latency-ms",
    "--drip-bytes",
    "--drip-ms",
    "--verbose",
    "--help",
};

START_TEST(test_help)
{
	char cmd[4096], out[16384];
	const char *bin = getenv("QONTO_SANDBOX");
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' --help", bin ? bin : SANDBOX_BIN);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	ck_assert_int_eq(WEXITSTATUS(pclose(p)), 0);
	for (size_t i = 0; i < sizeof(help_options) / sizeof(help_options[0]);
	     i++) {
		char word[64];

		snprintf(word, sizeof(word), "%s ", help_options[i]);
		ck_assert_msg(strstr(out, word), "--help lacks %s",
			      help_options[i]);
	}
	snprintf(cmd, sizeof(cmd), "'%s' --no-such-option 2>/dev/null",
		 bin ? bin : SANDBOX_BIN);
	p = popen(cmd, "r");
	ck_assert_int_eq(WEXITSTATUS(pclose(p)), 2);
}
END_TEST

Suite *sandbox_api_suite(void)
{
	Suite *s = suite_create("sandbox_api");
	TCase *tc = sbt_tcase("read", 30);

	tcase_add_test(tc, test_organization);
	tcase_add_test(tc, test_bank_accounts);
	tcase_add_test(tc, test_memberships_pages);
	tcase_add_test(tc, test_paging_bounds);
	tcase_add_test(tc, test_membership_and_appearances);
	tcase_add_test(tc, test_unknown_path);
	suite_add_tcase(s, tc);
	tc = sbt_tcase("auth", 30);
	tcase_add_test(tc, test_auth);
	tcase_add_test(tc, test_api_key_cannot_create);
	tcase_add_test(tc, test_staging_token);
	tcase_add_test(tc, test_help);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sandbox_api_suite());
	int failed;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	srunner_add_suite(sr, sandbox_bulk_suite());
	srunner_add_suite(sr, sandbox_sca_suite());
	srunner_add_suite(sr, sandbox_faults_suite());
	srunner_add_suite(sr, sandbox_oauth_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	curl_global_cleanup();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
