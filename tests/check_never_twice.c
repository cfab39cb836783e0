/* check_never_twice.c: issue 12's acceptance, the real binary against a
 * sandbox that keeps no idempotency keys (--idempotency off), as Qonto may
 * do for POST /v2/cards/bulk, which documents none: a card is never
 * ordered twice and never lost, whatever the network, a kill -9 or a
 * damaged order directory does. */
#include "config.h"

#include "check_submit_util.h"
#include "sandbox/check_sandbox.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char export_path[400];

static const char *export_file(const char *name)
{
	snprintf(export_path, sizeof(export_path), "%s/%s", stu_dir(), name);
	return export_path;
}

static void teardown(void)
{
	sbt_teardown();
	stu_cleanup();
}

static const char *spawn_err(void)
{
	static char path[400];

	snprintf(path, sizeof(path), "%s/spawn.err", stu_dir());
	return path;
}

static void kill_now(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/* Every row created (or failed with a reason), each card id once, and the
 * sandbox holding exactly those cards. */
static void assert_complete(const char *path, size_t n)
{
	json_object *rows = stu_export(path);

	ck_assert_uint_eq(json_object_array_length(rows), n);
	ck_assert_uint_eq(stu_count(rows, "unknown") + stu_count(rows, "not_sent"), 0);
	for (size_t i = 0; i < n; i++) {
		json_object *x = stu_row(rows, i);

		if (strcmp(stu_field(x, "status"), "failed") == 0)
			ck_assert_str_ne(stu_field(x, "error_detail"), "");
		else
			ck_assert_str_ne(stu_field(x, "card_id"), "");
		for (size_t k = 0; k < i; k++)
			ck_assert_msg(strcmp(stu_field(x, "card_id"), "") == 0 ||
					      strcmp(stu_field(x, "card_id"),
						     stu_field(stu_row(rows, k), "card_id")) != 0,
				      "card %s on rows %zu and %zu",
				      stu_field(x, "card_id"), k + 1, i + 1);
	}
	stu_assert_exactly_once(rows);
	json_object_put(rows);
}

/* The id of the order a spawned submit said it began (static). */
static const char *spawned_order(void)
{
	static char id[40];
	char *err = stu_read_file(spawn_err()), *at = strstr(err, "order ");

	ck_assert_ptr_nonnull(at);
	snprintf(id, sizeof(id), "%.36s", at + 6);
	free(err);
	return id;
}

static void set_faults(const char *json)
{
	struct sbt_resp r;

	sbt_request(&r, "POST", "/_sandbox/faults", json, NULL);
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
}

/* Every fault kind at 20 % over 1000 cards, and a kill -9 at 20 random
 * moments, each followed by resume: 0 cards twice, 0 lost. */
START_TEST(kill_at_random_moments)
{
	const char *order = stu_order(1000, "virtual", 7, NULL, 0);
	/* the kill moments; another seed: CARDORDER_TEST_SEED */
	unsigned seed = getenv("CARDORDER_TEST_SEED")
				? (unsigned)atoi(getenv("CARDORDER_TEST_SEED"))
				: 12;
	struct run r;
	pid_t pid;

	sbt_start("--idempotency", "off", "--sca", "auto", "--sca-polls", "1",
		  "--fault-rate", "0.2", "--faults", "all", "--seed", "42",
		  "--latency-ms", "300", "--drip-bytes", "8192", "--drip-ms", "20",
		  "--rate-limit", "off", NULL);
	pid = stu_spawn("submit", "--yes", "--base-url", sbt_base(), order, NULL);
	/* the order is journalled and ready once its id is said */
	ck_assert(stu_wait_for(spawn_err(), "order ", 20));
	for (int k = 0; k < 20; k++) {
		usleep(100000 + (useconds_t)(rand_r(&seed) % 1400) * 1000);
		kill_now(pid);
		pid = stu_spawn("resume", NULL);
	}
	kill_now(pid);
	/* by its id: one of the resumes may have finished it */
	stu_run(&r, 300, "resume", "--export", export_file("results.json"),
		strrchr(stu_order_dir(), '/') + 1, NULL);
	ck_assert_msg(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
	assert_complete(export_path, 1000);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* Kinds of damage done to an order killed in the middle. */
static void damage(int kind)
{
	const char *dir = stu_order_dir();
	char path[800], *text;
	FILE *f;

	switch (kind) {
	case 0: /* an answer cut in half */
		snprintf(path, sizeof(path), "%s/answer-001.json", dir);
		text = stu_read_file(path);
		ck_assert(truncate(path, (off_t)(strlen(text) / 2)) == 0);
		free(text);
		break;
	case 1: /* the journal cut in half */
		snprintf(path, sizeof(path), "%s/journal.jsonl", dir);
		text = stu_read_file(path);
		ck_assert(truncate(path, (off_t)(strlen(text) / 2)) == 0);
		free(text);
		break;
	case 2: /* one stray line */
		snprintf(path, sizeof(path), "%s/journal.jsonl", dir);
		f = fopen(path, "a");
		ck_assert_ptr_nonnull(f);
		fputs("{\"ev\":\"teleported\",\"req\":2}\n", f);
		fclose(f);
		break;
	case 3: /* an answer deleted */
		snprintf(path, sizeof(path), "%s/answer-002.json", dir);
		ck_assert(unlink(path) == 0);
		break;
	default: /* the body of a request whose outcome is unknown deleted */
		snprintf(path, sizeof(path), "%s/request-005.json", dir);
		ck_assert(unlink(path) == 0);
		break;
	}
}

static const char *const damage_names[] = {
	"answer cut", "journal cut", "stray line", "answer deleted",
	"request file deleted",
};

START_TEST(damaged_order_resumed)
{
	const char *order = stu_order(250, "virtual", 3, NULL, 0);
	struct run r;
	pid_t pid;

	/* each POST takes 1.5 s before its cards are made */
	sbt_start("--idempotency", "off", "--sca", "off", "--fault-rate", "1",
		  "--faults", "latency", "--fault-scope", "bulk", "--latency-ms",
		  "1500", NULL);
	pid = stu_spawn("submit", "--yes", "--base-url", sbt_base(), order, NULL);
	/* four at once: the fifth goes once the first four are done */
	ck_assert(stu_wait_for(spawn_err(), "request 5/5 (50 cards): sending", 30));
	usleep(300000); /* request 5 on the wire */
	kill_now(pid);
	sleep(2); /* the server makes what it received */
	damage(_i);
	stu_run(&r, 120, "resume", "--export", export_file("results.json"), NULL);
	ck_assert_msg(r.status == 0, "%s: exit %d: %s", damage_names[_i], r.status,
		      r.err);
	assert_complete(export_path, 250);
	ck_assert_int_eq(sbt_created(), 250);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* The same 50 cards ordered twice, some time apart, the second order's
 * first attempt lost before Qonto saw it: the first order's cards are
 * never taken for the second's. */
START_TEST(same_cards_twice)
{
	const char *order = stu_order(50, "virtual", 1, NULL, 0);
	char first[400];
	json_object *a, *b;
	struct run r;

	sbt_start("--idempotency", "off", "--sca", "off", NULL);
	stu_run(&r, 60, "submit", "--yes", "--base-url", sbt_base(), "--export",
		export_file("first.json"), order, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	snprintf(first, sizeof(first), "%s", export_path);
	stu_run_free(&r);
	sleep(3);
	set_faults("{\"rate\": 1, \"faults\": \"drop-before\", \"count\": 1, "
		   "\"bulk\": true}");
	stu_run(&r, 60, "submit", "--yes", "--base-url", sbt_base(), "--export",
		export_file("second.json"), order, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, "checking which cards Qonto has"), "%s", r.err);
	stu_run_free(&r);
	ck_assert_int_eq(sbt_created(), 100);
	a = stu_export(first);
	b = stu_export(export_path);
	for (size_t i = 0; i < 50; i++)
		for (size_t k = 0; k < 50; k++)
			ck_assert_str_ne(stu_field(stu_row(a, i), "card_id"),
					 stu_field(stu_row(b, k), "card_id"));
	json_object_put(a);
	json_object_put(b);
	sbt_finish();
}
END_TEST

/* Two identical cards for one holder in one request, its answer lost
 * after the cards were made, the key forgotten: both found, once each. */
START_TEST(identical_cards_answer_lost)
{
	char path[400];
	json_object *rows;
	struct run r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/twins.csv", stu_dir());
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "holder_id,organization_id,bank_account_id,card_level,"
		   "payment_monthly_limit\n");
	for (int i = 0; i < 2; i++)
		fprintf(f, "%s,%s,%s,virtual,300\n", sbt_member_id(4), sbt_org_id(),
			sbt_account_id(0));
	fclose(f);
	sbt_start("--idempotency", "off", "--sca", "off", "--fault-rate", "1",
		  "--faults", "drop-after", "--fault-scope", "bulk", "--fault-count",
		  "1", NULL);
	stu_run(&r, 60, "submit", "--yes", "--base-url", sbt_base(), "--export",
		export_file("results.json"), path, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, "every card was found in Qonto"), "%s", r.err);
	rows = stu_export(export_path);
	ck_assert_uint_eq(json_object_array_length(rows), 2);
	ck_assert_str_ne(stu_field(stu_row(rows, 0), "card_id"),
			 stu_field(stu_row(rows, 1), "card_id"));
	ck_assert_int_eq(sbt_created(), 2);
	json_object_put(rows);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* kill -9 while a request waits for approval, approved meanwhile in the
 * app: resume asks no second approval and the cards are made once. */
START_TEST(approval_survives_a_crash)
{
	const char *order = stu_order(7, "virtual", 1, NULL, 0);
	struct sbt_resp stats, decided;
	char kept[800], journal[800], *text;
	struct run r;
	pid_t pid;

	sbt_start("--idempotency", "off", "--sca", "mock", NULL);
	pid = stu_spawn("submit", "--yes", "--base-url", sbt_base(), order, NULL);
	ck_assert(stu_wait_for(spawn_err(), "waiting for approval", 20));
	kill_now(pid);
	/* the token is kept in a file of its own, never in the journal */
	snprintf(kept, sizeof(kept), "%s/approval-001.json", stu_order_dir());
	ck_assert_int_eq(access(kept, F_OK), 0);
	snprintf(journal, sizeof(journal), "%s/journal.jsonl", stu_order_dir());
	text = stu_read_file(journal);
	ck_assert_ptr_null(strstr(text, "token"));
	free(text);
	sbt_request(&decided, "POST", "/_sandbox/sca/allow", NULL, NULL);
	ck_assert_int_eq(sbt_int(decided.json, "decided"), 1);
	sbt_resp_free(&decided);
	stu_run(&r, 60, "resume", "--export", export_file("results.json"), NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, "waiting for the approval asked before cardorder "
				    "stopped"),
		      "%s", r.err);
	sbt_get(&stats, "/_sandbox/stats");
	ck_assert_int_eq(sbt_int(stats.json, "sca_challenges"), 1);
	sbt_resp_free(&stats);
	assert_complete(export_path, 7);
	ck_assert_msg(access(kept, F_OK) != 0, "the used token is still on disk");
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* Two `submit` of one file at once: the second stops and names the
 * first's order; once that one is finished, --again is not needed. */
START_TEST(two_submits_at_once)
{
	const char *order = stu_order(100, "virtual", 1, NULL, 0);
	char id[40] = "";
	struct run r;
	pid_t pid;
	int status;

	sbt_start("--idempotency", "off", "--sca", "off", "--fault-rate", "1",
		  "--faults", "latency", "--fault-scope", "bulk", "--latency-ms",
		  "1000", NULL);
	pid = stu_spawn("submit", "--yes", "--base-url", sbt_base(), order, NULL);
	ck_assert(stu_wait_for(spawn_err(), "sending", 20));
	snprintf(id, sizeof(id), "%s", spawned_order());
	stu_run(&r, 30, "submit", "--yes", "--base-url", sbt_base(), order, NULL);
	ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, id) && strstr(r.err, "cardorder resume"), "%s",
		      r.err);
	stu_run_free(&r);
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(sbt_created(), 100);
	sbt_finish();
}
END_TEST

/* resume on a journal it cannot write: never "nothing sent" (exit 2 or 3)
 * after cards were sent. */
START_TEST(read_only_journal)
{
	const char *order = stu_order(120, "virtual", 1, NULL, 0);
	char path[800];
	struct run r;
	pid_t pid;

	if (geteuid() == 0)
		return; /* root writes through any mode */
	sbt_start("--sca", "off", "--fault-rate", "1", "--faults", "latency",
		  "--fault-scope", "bulk", "--latency-ms", "1500", NULL);
	pid = stu_spawn("submit", "--yes", "--base-url", sbt_base(), order, NULL);
	ck_assert(stu_wait_for(spawn_err(), "request 2/3 (50 cards): sending", 20));
	usleep(300000);
	kill_now(pid);
	snprintf(path, sizeof(path), "%s/journal.jsonl", stu_order_dir());
	ck_assert(chmod(path, 0400) == 0);
	stu_run(&r, 30, "resume", NULL);
	ck_assert_msg(r.status == 4, "exit %d: %s", r.status, r.err);
	stu_run_free(&r);
	ck_assert(chmod(path, 0600) == 0);
	stu_run(&r, 60, "resume", NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	stu_run_free(&r);
	ck_assert_int_eq(sbt_created(), 120);
	sbt_finish();
}
END_TEST

/* The disk fills while an answer is saved (a file size limit stands in
 * for it): the order ends with exit 4 and the resume hint, never 0; once
 * there is room, resume finds the cards instead of ordering them again. */
START_TEST(disk_full_while_saving)
{
	const char *order = stu_order(3, "virtual", 1, NULL, 0);
	struct rlimit was, small;
	struct run r;

	sbt_start("--idempotency", "off", "--sca", "off", NULL);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &was), 0);
	small = was;
	/* the bodies and the journal fit; an answer of 3 card objects does not */
	small.rlim_cur = 2500;
	signal(SIGXFSZ, SIG_IGN); /* a write fails with EFBIG instead */
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	stu_run(&r, 60, "submit", "--yes", "--base-url", sbt_base(), order, NULL);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &was), 0);
	signal(SIGXFSZ, SIG_DFL);
	ck_assert_msg(r.status == 4, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, "cardorder resume"), "%s", r.err);
	stu_run_free(&r);
	ck_assert_int_eq(sbt_created(), 3);
	stu_run(&r, 60, "resume", "--export", export_file("results.json"), NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	assert_complete(export_path, 3);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* Starts a submit of order (with --again when again), waits until its
 * request is on the wire; returns its pid and copies its order id. */
static pid_t on_the_wire(const char *order, bool again, char id[40])
{
	pid_t pid;

	unlink(spawn_err());
	pid = again ? stu_spawn("submit", "--yes", "--again", "--base-url", sbt_base(),
				order, NULL)
		    : stu_spawn("submit", "--yes", "--base-url", sbt_base(), order, NULL);
	ck_assert(stu_wait_for(spawn_err(), "(7 cards): sending", 20));
	snprintf(id, 40, "%s", spawned_order());
	return pid;
}

/* The same 7 cards ordered twice on purpose (--again), each order killed
 * while its request was on the wire: each resume takes its own cards (the
 * first order's were made before the second was sent), none twice. */
START_TEST(two_unfinished_orders_one_after_the_other)
{
	const char *order = stu_order(7, "virtual", 1, NULL, 0);
	char a[40], b[40];
	json_object *ra, *rb;
	struct run r;
	pid_t pid;

	sbt_start("--idempotency", "off", "--sca", "off", "--fault-rate", "1",
		  "--faults", "latency", "--fault-scope", "bulk", "--latency-ms",
		  "1500", NULL);
	pid = on_the_wire(order, false, a);
	usleep(300000);
	kill_now(pid);
	/* A's cards are made, well before B is sent (more than the two
	 * seconds that Qonto's clock is allowed to be off by) */
	sleep(5);
	pid = on_the_wire(order, true, b);
	usleep(300000);
	kill_now(pid);
	sleep(2);
	ck_assert_int_eq(sbt_created(), 14);
	stu_run(&r, 60, "resume", "--export", export_file("a.json"), a, NULL);
	ck_assert_msg(r.status == 0, "A: exit %d: %s", r.status, r.err);
	stu_run_free(&r);
	stu_run(&r, 60, "resume", "--export", export_file("b.json"), b, NULL);
	ck_assert_msg(r.status == 0, "B: exit %d: %s", r.status, r.err);
	stu_run_free(&r);
	ck_assert_int_eq(sbt_created(), 14);
	ra = stu_export(export_file("a.json"));
	rb = stu_export(export_file("b.json"));
	for (size_t i = 0; i < 7; i++)
		for (size_t k = 0; k < 7; k++)
			ck_assert_str_ne(stu_field(stu_row(ra, i), "card_id"),
					 stu_field(stu_row(rb, k), "card_id"));
	json_object_put(ra);
	json_object_put(rb);
	sbt_finish();
}
END_TEST

/* Both on the wire at once: which order made which card cannot be known.
 * The cards are reported ambiguous, naming the other order, and neither
 * order takes them nor orders them again. */
START_TEST(two_unfinished_orders_at_once)
{
	const char *order = stu_order(7, "virtual", 1, NULL, 0);
	char a[40], b[40];
	pid_t pa, pb;
	struct run r;

	sbt_start("--idempotency", "off", "--sca", "off", "--fault-rate", "1",
		  "--faults", "latency", "--fault-scope", "bulk", "--latency-ms",
		  "1500", NULL);
	pa = on_the_wire(order, false, a);
	pb = on_the_wire(order, true, b);
	kill_now(pa);
	kill_now(pb);
	sleep(3);
	ck_assert_int_eq(sbt_created(), 14);
	stu_run(&r, 60, "resume", a, NULL);
	ck_assert_msg(r.status == 4, "exit %d: %s", r.status, r.err);
	/* each card's line names the other order */
	ck_assert_msg(strstr(r.out, b) && strstr(r.out, "could have been created"), "%s",
		      r.out);
	stu_run_free(&r);
	/* still unfinished, for a person to decide; nothing more was made */
	stu_run(&r, 60, "resume", a, NULL);
	ck_assert_int_eq(r.status, 4);
	stu_run_free(&r);
	ck_assert_int_eq(sbt_created(), 14);
	sbt_finish();
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("never_twice");
	TCase *one = sbt_tcase("once", 120);
	TCase *slow = sbt_tcase("kills", 600);

	tcase_add_checked_fixture(one, NULL, teardown);
	tcase_add_checked_fixture(slow, NULL, teardown);
	tcase_add_loop_test(one, damaged_order_resumed, 0,
			    (int)(sizeof(damage_names) / sizeof(damage_names[0])));
	tcase_add_test(one, same_cards_twice);
	tcase_add_test(one, identical_cards_answer_lost);
	tcase_add_test(one, approval_survives_a_crash);
	tcase_add_test(one, two_submits_at_once);
	tcase_add_test(one, read_only_journal);
	tcase_add_test(one, disk_full_while_saving);
	tcase_add_test(one, two_unfinished_orders_one_after_the_other);
	tcase_add_test(one, two_unfinished_orders_at_once);
	tcase_add_test(slow, kill_at_random_moments);
	suite_add_tcase(s, one);
	suite_add_tcase(s, slow);
	return s;
}

CHECK_MAIN_CURL(make_suite)
