/* check_status.c: `cardorder status` (issue 15), the real binary against the
 * sandbox over HTTP: an order of 120 cards, half of them then given a PIN,
 * shipped and live; the lines, the summary, the export, the requests, the
 * last reading kept for when Qonto cannot be read. */
#include "config.h"

#include "check_submit_util.h"
#include "sandbox/check_sandbox.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void teardown(void)
{
	sbt_teardown();
	stu_cleanup();
}

/* 120 standard cards shipped to the business, for the first 120 members. */
static const char *order_120(void)
{
	static char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/order-120.csv", stu_dir());
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "holder_id,organization_id,bank_account_id,card_level,"
		   "payment_monthly_limit,ship_to_business\n");
	for (size_t i = 0; i < 120; i++)
		fprintf(f, "%s,%s,%s,standard,%zu,true\n", sbt_member_id(i), sbt_org_id(),
			sbt_account_id(0), 100 + i);
	fclose(f);
	return path;
}

/* Moves every other card of the export (rows 1, 3, 5...) to live, with a
 * PIN, shipped. */
static void move_half(json_object *rows)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	const char *headers[] = { "Content-Type: application/json", NULL };
	struct sbt_resp r;

	fputs("{\"status\": \"live\", \"pin_set\": true, \"shipped\": true, \"ids\": [", f);
	for (size_t i = 0; i < json_object_array_length(rows); i += 2)
		fprintf(f, "%s\"%s\"", i ? ", " : "", stu_field(stu_row(rows, i), "card_id"));
	fputs("]}", f);
	fclose(f);
	sbt_request(&r, "POST", "/_sandbox/cards/life", body, headers);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(sbt_int(r.json, "moved"), 60);
	sbt_resp_free(&r);
	free(body);
}

START_TEST(order_of_120)
{
	char export_path[400], status_path[400];
	json_object *rows, *now, *root;
	long long before;
	struct sbt_resp r2;
	struct run r;

	snprintf(export_path, sizeof(export_path), "%s/sent.json", stu_dir());
	snprintf(status_path, sizeof(status_path), "%s/status.json", stu_dir());
	sbt_start("--sca", "auto", "--sca-polls", "1", NULL);
	stu_run(&r, 120, "submit", "--yes", "--base-url", sbt_base(), "--export",
		export_path, order_120(), NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	stu_run_free(&r);
	rows = stu_export(export_path);
	ck_assert_uint_eq(json_object_array_length(rows), 120);
	move_half(rows);

	/* read now: one line per card, the summary, the export */
	before = sbt_requests();
	stu_run(&r, 60, "status", "--base-url", sbt_base(), "--export", status_path, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	/* at most one request per 50 cards */
	ck_assert_int_le(sbt_requests() - before, 3);
	ck_assert_msg(strstr(r.out, "120 of 120 cards created: 60 live, 60 pending, 0 "
				    "other; 60 shipped\n"), "%.1200s", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "(now)\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "60 cards wait for their holder's PIN: "));
	ck_assert_msg(strstr(r.out, "\n   1  Hélène Dubois-Ferrière     standard        "
				    "live           yes  20"), "%.1200s", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "\n   2  Björn Nguyễn               standard        "
					    "pending        no   -          ••"));
	now = stu_export(status_path);
	ck_assert_uint_eq(json_object_array_length(now), 120);
	for (size_t i = 0; i < 120; i++) {
		json_object *row = stu_row(now, i);
		json_object *pin;

		ck_assert_str_eq(stu_field(row, "card_id"), stu_field(stu_row(rows, i), "card_id"));
		ck_assert_str_eq(stu_field(row, "status"), i % 2 ? "pending" : "live");
		ck_assert(json_object_object_get_ex(row, "pin_set", &pin));
		ck_assert_int_eq(json_object_get_boolean(pin), i % 2 == 0);
		ck_assert_int_eq(stu_field(row, "shipped_at")[0] != '\0', i % 2 == 0);
	}
	json_object_put(now);
	stu_run_free(&r);

	/* --json for scripts */
	stu_run(&r, 60, "status", "--json", "--base-url", sbt_base(), NULL);
	ck_assert_int_eq(r.status, 0);
	root = json_tokener_parse(r.out);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(sbt_int(root, "summary/live"), 60);
	ck_assert_int_eq(sbt_int(root, "summary/pin_not_set"), 60);
	ck_assert_int_eq(json_object_array_length(sbt_at(root, "holders_to_remind")), 60);
	ck_assert(json_object_get_boolean(sbt_at(root, "read_now")));
	{ /* issue 16: in French, the same JSON (but for the reading's time) */
		struct run fr;
		json_object *froot;

		setenv("LANGUAGE", "fr", 1);
		stu_run(&fr, 60, "status", "--json", "--base-url", sbt_base(), NULL);
		unsetenv("LANGUAGE");
		ck_assert_int_eq(fr.status, 0);
		froot = json_tokener_parse(fr.out);
		ck_assert_ptr_nonnull(froot);
		ck_assert_str_eq(json_object_to_json_string(sbt_at(froot, "summary")),
				 json_object_to_json_string(sbt_at(root, "summary")));
		ck_assert_str_eq(json_object_to_json_string(sbt_at(froot, "cards")),
				 json_object_to_json_string(sbt_at(root, "cards")));
		ck_assert_str_eq(json_object_to_json_string(sbt_at(froot, "holders_to_remind")),
				 json_object_to_json_string(sbt_at(root, "holders_to_remind")));
		json_object_put(froot);
		stu_run_free(&fr);
	}
	json_object_put(root);
	stu_run_free(&r);

	/* a Qonto that lists none of the cards (forgotten: another one) is
	 * not taken as their state */
	sbt_request(&r2, "POST", "/_sandbox/reset", NULL, NULL);
	sbt_resp_free(&r2);
	stu_run(&r, 60, "status", NULL);
	ck_assert_int_eq(r.status, 3);
	ck_assert_msg(strstr(r.err, "Qonto listed none of the order's 120 cards"), "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "60 live, 60 pending"));
	stu_run_free(&r);

	/* Qonto gone: the last reading kept, with its time, and exit 3 */
	sbt_finish();
	stu_run(&r, 60, "status", NULL);
	ck_assert_int_eq(r.status, 3);
	ck_assert_ptr_nonnull(strstr(r.err, "could not read the cards from Qonto"));
	ck_assert_msg(strstr(r.out, "60 live, 60 pending"), "%.300s", strstr(r.out, "order "));
	ck_assert_ptr_nonnull(strstr(r.out, "(the last reading kept)\n"));
	stu_run_free(&r);
	stu_run(&r, 60, "status", "--offline", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "60 live, 60 pending"));
	stu_run_free(&r);
	json_object_put(rows);
}
END_TEST

/* Nothing sent from this machine: said, exit 2. */
START_TEST(no_order)
{
	struct run r;

	stu_run(&r, 30, "status", "--offline", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "no order was sent from this machine yet"));
	stu_run_free(&r);
	stu_run(&r, 30, "status", "--offline", "../etc", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "is not an order id"));
	stu_run_free(&r);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("status");
	TCase *tc = sbt_tcase("status", 180);

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, order_of_120);
	tcase_add_test(tc, no_order);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_CURL(make_suite)
