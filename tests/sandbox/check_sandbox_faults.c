/* check_sandbox_faults.c: every fault kind, determinism, the fault cap,
 * rate limiting and that a slow connection does not hold up the others. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_sandbox.h"

/* Starts a sandbox where every bulk request gets the fault kind. */
static void start_fault(const char *kind, const char *extra1,
			const char *extra2)
{
	sbt_start("--sca", "off", "--fault-rate", "1", "--faults", kind,
		  "--fault-scope", "bulk", "--latency-ms", "300",
		  "--drip-bytes", "256", "--drip-ms", "2", extra1, extra2,
		  NULL);
}

static void send_order(struct sbt_resp *r, size_t n, const char *key)
{
	json_object *cards[8];
	char fresh[37], *body;

	for (size_t i = 0; i < n; i++)
		cards[i] = sbt_card("virtual", 20 + i);
	body = sbt_body(cards, n);
	if (!key) {
		sbt_uuid(fresh);
		key = fresh;
	}
	sbt_bulk(r, key, body, NULL);
	free(body);
}

START_TEST(test_fault_latency)
{
	struct sbt_resp r;

	start_fault("latency", NULL, NULL);
	send_order(&r, 1, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(r.seconds >= 0.29, "took %.3f s", r.seconds);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 1);
	sbt_finish();
}
END_TEST

START_TEST(test_fault_statuses)
{
	static const struct {
		const char *kind;
		long status;
		bool retry_after;
	} cases[] = {
	    {"500", 500, false}, {"503", 503, true}, {"429", 429, true}};
	struct sbt_resp r;

	for (size_t i = 0; i < 3; i++) {
		start_fault(cases[i].kind, NULL, NULL);
		send_order(&r, 2, NULL);
		ck_assert_int_eq(r.status, cases[i].status);
		ck_assert_ptr_nonnull(sbt_str(r.json, "errors/0/code"));
		ck_assert_int_eq(r.retry_after[0] != '\0',
				 cases[i].retry_after);
		sbt_resp_free(&r);
		ck_assert_int_eq(sbt_created(), 0);
		sbt_finish();
	}
}
END_TEST

START_TEST(test_fault_drop_before)
{
	struct sbt_resp r;

	start_fault("drop-before", NULL, NULL);
	send_order(&r, 2, NULL);
	ck_assert_int_eq(r.rc, CURLE_GOT_NOTHING);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 0);
	sbt_finish();
}
END_TEST

START_TEST(test_fault_drop_after)
{
	struct sbt_resp r;
	char key[37];

	sbt_uuid(key);
	start_fault("drop-after", "--fault-count", "1");
	send_order(&r, 3, key);
	ck_assert_int_eq(r.rc, CURLE_GOT_NOTHING);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 3); /* created, though unseen */
	/* the retry with the same key gets the cached answer */
	send_order(&r, 3, key);
	ck_assert_int_eq(r.rc, CURLE_OK);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(json_object_array_length(sbt_at(r.json, "cards")), 3);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 3);
	sbt_finish();
}
END_TEST

/* --idempotency off: a key is checked but never kept, so the same request
 * again makes the cards again (what a client must survive); and the
 * faults can be changed while the sandbox runs. */
START_TEST(test_no_idempotency_and_live_faults)
{
	struct sbt_resp r;
	char key[37];

	sbt_uuid(key);
	start_fault("drop-after", "--idempotency", "off");
	/* no fault until they are set */
	sbt_request(&r, "POST", "/_sandbox/faults", "{\"rate\": 0}", NULL);
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
	send_order(&r, 2, key);
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
	send_order(&r, 2, key);
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 4); /* made twice: no key kept */
	sbt_request(&r, "POST", "/_sandbox/faults",
		    "{\"rate\": 1, \"faults\": \"drop-before\", \"count\": 1, "
		    "\"bulk\": true}", NULL);
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
	send_order(&r, 2, NULL);
	ck_assert_int_eq(r.rc, CURLE_GOT_NOTHING);
	sbt_resp_free(&r);
	send_order(&r, 2, NULL); /* the count is spent */
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 6);
	sbt_request(&r, "POST", "/_sandbox/faults", "{\"faults\": \"nope\"}", NULL);
	ck_assert_int_eq(r.status, 400);
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

START_TEST(test_fault_truncate)
{
	struct sbt_resp r;

	start_fault("truncate", NULL, NULL);
	send_order(&r, 2, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_gt(r.len, 10);
	ck_assert_ptr_null(r.json);
	ck_assert_int_eq(r.body[0], '{');
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 2);
	sbt_finish();
}
END_TEST

START_TEST(test_fault_invalid_json)
{
	struct sbt_resp r;

	start_fault("invalid-json", NULL, NULL);
	send_order(&r, 1, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(r.json);
	ck_assert_ptr_nonnull(strstr(r.body, "NaN"));
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 1);
	sbt_finish();
}
END_TEST

START_TEST(test_fault_drip)
{
	struct sbt_resp r;

	start_fault("drip", NULL, NULL);
	send_order(&r, 2, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(r.json); /* slow but whole */
	/* 256 bytes every 2 ms: at least len / 256 * 2 ms */
	ck_assert_msg(r.seconds >= (double)(r.len / 256) * 0.002 * 0.9,
		      "%zu bytes in %.3f s", r.len, r.seconds);
	ck_assert_int_ge(r.len / 256, 5);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 2);
	sbt_finish();
}
END_TEST

static bool hostile(const char *s)
{
	return s && (strchr(s, '\x1b') || strstr(s, "\xe2\x80\xae") ||
		     strlen(s) >= 4096);
}

START_TEST(test_fault_hostile)
{
	struct sbt_resp r;
	int found = 0;

	start_fault("hostile", NULL, NULL);
	send_order(&r, 3, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(r.json);
	for (size_t i = 0; i < 3; i++) {
		char path[64];

		snprintf(path, sizeof(path), "cards/%zu/card/nickname", i);
		found += hostile(sbt_str(r.json, path));
		snprintf(path, sizeof(path), "cards/%zu/card/embossed_name", i);
		found += hostile(sbt_str(r.json, path));
	}
	ck_assert_int_ge(found, 4);
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

START_TEST(test_fault_hostile_people)
{
	struct sbt_resp r;

	sbt_start("--fault-rate", "1", "--faults", "hostile", "--fault-count",
		  "1", NULL);
	sbt_get(&r, "/v2/memberships?per_page=5");
	ck_assert_int_eq(r.status, 200);
	ck_assert(hostile(sbt_str(r.json, "memberships/0/last_name")));
	ck_assert(hostile(sbt_str(r.json, "memberships/1/last_name")));
	sbt_resp_free(&r);
	/* the next page of people is clean again: the seed was not touched */
	sbt_get(&r, "/v2/memberships?per_page=5");
	ck_assert(!hostile(sbt_str(r.json, "memberships/0/last_name")));
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

/* Statuses of n GET /v2/organization under 50 % faults of kind 500. */
static void fault_pattern(const char *seed, char *out, size_t n)
{
	struct sbt_resp r;

	sbt_start("--fault-rate", "0.5", "--faults", "500", "--seed", seed,
		  NULL);
	for (size_t i = 0; i < n; i++) {
		sbt_get(&r, "/v2/organization");
		out[i] = r.status == 200 ? '.' : r.status == 500 ? 'X' : '?';
		sbt_resp_free(&r);
	}
	out[n] = '\0';
	sbt_finish();
}

START_TEST(test_fault_determinism)
{
	char a[25], b[25], c[25];

	fault_pattern("7", a, 24);
	fault_pattern("7", b, 24);
	fault_pattern("8", c, 24);
	ck_assert_str_eq(a, b);
	ck_assert_str_ne(a, c);
	ck_assert_ptr_nonnull(strchr(a, '.'));
	ck_assert_ptr_nonnull(strchr(a, 'X'));
	ck_assert_ptr_null(strchr(a, '?'));
}
END_TEST

START_TEST(test_fault_count_and_mix)
{
	struct sbt_resp r;
	long st[4];

	sbt_start("--fault-rate", "1", "--faults", "503,429", "--fault-count",
		  "2", NULL);
	for (int i = 0; i < 4; i++) {
		sbt_get(&r, "/v2/membership");
		st[i] = r.status;
		sbt_resp_free(&r);
	}
	ck_assert(st[0] == 503 || st[0] == 429);
	ck_assert(st[1] == 503 || st[1] == 429);
	ck_assert_int_eq(st[2], 200);
	ck_assert_int_eq(st[3], 200);
	sbt_request(&r, "GET", "/_sandbox/stats", NULL, NULL);
	ck_assert_int_eq(
	    sbt_int(r.json, "faults/503") + sbt_int(r.json, "faults/429"), 2);
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

START_TEST(test_rate_limit)
{
	struct sbt_resp r;
	long retry;

	sbt_start("--rate-limit", "3/10s", NULL);
	for (int i = 0; i < 3; i++) {
		sbt_get(&r, "/v2/organization");
		ck_assert_int_eq(r.status, 200);
		sbt_resp_free(&r);
	}
	sbt_get(&r, "/v2/organization");
	ck_assert_int_eq(r.status, 429);
	retry = atol(r.retry_after);
	ck_assert_int_ge(retry, 1);
	ck_assert_int_le(retry, 10);
	sbt_resp_free(&r);
	/* the control endpoints are not limited */
	sbt_request(&r, "GET", "/_sandbox/stats", NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(sbt_int(r.json, "rate_limited"), 1);
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

static size_t discard(char *ptr, size_t size, size_t n, void *cls)
{
	(void)ptr, (void)cls;
	return size * n;
}

static CURL *easy(const char *path)
{
	CURL *c = curl_easy_init();
	char url[256];

	snprintf(url, sizeof(url), "%s%s", sbt_base(), path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	return c;
}

/* Three slow requests at once take about one delay, not three. */
START_TEST(test_slow_does_not_block)
{
	CURLM *m = curl_multi_init();
	CURL *e[3];
	struct timespec t0, t1;
	int running = 1;
	double elapsed;

	sbt_start("--fault-rate", "1", "--faults", "latency", "--latency-ms",
		  "600", NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 3; i++) {
		e[i] = easy("/v2/organization");
		curl_multi_add_handle(m, e[i]);
	}
	while (running) {
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	elapsed = (double)(t1.tv_sec - t0.tv_sec) +
		  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(elapsed >= 0.55 && elapsed < 1.5, "took %.3f s", elapsed);
	for (int i = 0; i < 3; i++) {
		curl_multi_remove_handle(m, e[i]);
		curl_easy_cleanup(e[i]);
	}
	curl_multi_cleanup(m);
	sbt_finish();
}
END_TEST

Suite *sandbox_faults_suite(void)
{
	Suite *s = suite_create("sandbox_faults");
	TCase *tc = sbt_tcase("faults", 30);

	tcase_add_test(tc, test_fault_latency);
	tcase_add_test(tc, test_fault_statuses);
	tcase_add_test(tc, test_fault_drop_before);
	tcase_add_test(tc, test_fault_drop_after);
	tcase_add_test(tc, test_no_idempotency_and_live_faults);
	tcase_add_test(tc, test_fault_truncate);
	tcase_add_test(tc, test_fault_invalid_json);
	tcase_add_test(tc, test_fault_drip);
	tcase_add_test(tc, test_fault_hostile);
	tcase_add_test(tc, test_fault_hostile_people);
	tcase_add_test(tc, test_fault_determinism);
	tcase_add_test(tc, test_fault_count_and_mix);
	suite_add_tcase(s, tc);
	tc = sbt_tcase("limits", 30);
	tcase_add_test(tc, test_rate_limit);
	tcase_add_test(tc, test_slow_does_not_block);
	suite_add_tcase(s, tc);
	return s;
}
