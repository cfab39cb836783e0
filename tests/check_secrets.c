/* check_secrets.c: secret hygiene after a full order (login, submit
 * interrupted by SIGKILL, resume, export): no file the program wrote but
 * the credentials file (mode 0600) holds a token, the API key or the
 * staging token; no command line holds one; core dumps are off while the
 * program runs; the debug output redacts them. */
#include "config.h"

#include "check_submit_util.h"
#include "sandbox/check_sandbox.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define STAGING "staging-7d1e0c9a5b"
#define API_SECRET "s3cr3t"

static void teardown(void)
{
	sbt_teardown();
	stu_cleanup();
	stu_token = SBT_TOKEN;
	memset(stu_env, 0, sizeof(stu_env));
}

/* The value of "key = value" in the credentials file (owned). */
static char *credential(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	size_t n;

	ck_assert_ptr_nonnull(p);
	p += strlen(key) + 3; /* " = " */
	n = strcspn(p, "\n");
	ck_assert_uint_gt(n, 8);
	return strndup(p, n);
}

static void check_process(pid_t pid, const char *const *secrets, size_t n)
{
	char path[64], *cmdline, *limits;
	FILE *f;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	cmdline = calloc(1, 8192);
	len = fread(cmdline, 1, 8191, f);
	fclose(f);
	for (size_t i = 0; i + 1 < len; i++)
		if (!cmdline[i])
			cmdline[i] = ' ';
	for (size_t k = 0; k < n; k++)
		ck_assert_msg(!strstr(cmdline, secrets[k]), "command line: %s", cmdline);
	ck_assert(strstr(cmdline, "submit"));
	free(cmdline);
	snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
	limits = stu_read_file(path);
	ck_assert_msg(strstr(limits, "Max core file size        0                    0"),
		      "%s", limits);
	free(limits);
}

START_TEST(full_order_leaves_no_secret)
{
	const char *order = stu_order(120, "virtual", 1, NULL, 0);
	char cred_path[400], err_path[400], export[400], *cred, *access, *refresh;
	const char *secrets[4];
	struct stat sb;
	struct run r;
	pid_t pid;
	int status;

	sbt_start("--sca", "off", "--staging-token", STAGING, "--fault-rate", "1",
		  "--faults", "latency", "--fault-scope", "bulk", "--latency-ms", "1500",
		  NULL);
	ck_assert_int_eq(stu_login(), 0);
	snprintf(cred_path, sizeof(cred_path), "%s/config/cardorder/credentials", stu_dir());
	cred = stu_read_file(cred_path);
	access = credential(cred, "access_token");
	refresh = credential(cred, "refresh_token");
	secrets[0] = access;
	secrets[1] = refresh;
	secrets[2] = STAGING;
	secrets[3] = API_SECRET;
	stu_env[0] = "QONTO_STAGING_TOKEN=" STAGING;
	stu_env[1] = "QONTO_API_KEY=acme-1234:" API_SECRET;
	stu_token = NULL; /* the saved login */

	pid = stu_spawn("submit", "--yes", "--base-url", sbt_base(), order, NULL);
	snprintf(err_path, sizeof(err_path), "%s/spawn.err", stu_dir());
	ck_assert(stu_wait_for(err_path, "(50 cards): sending", 20));
	check_process(pid, secrets, 4);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	snprintf(export, sizeof(export), "%s/results.csv", stu_dir());
	stu_run(&r, 60, "resume", "--export", export, NULL);
	ck_assert_msg(r.status == 0, "resume: %d %s", r.status, r.err);
	stu_run_free(&r);
	/* the debug output redacts, and still shows the exchange */
	stu_env[2] = "CARDORDER_DEBUG=1";
	stu_run(&r, 60, "submit", "--yes", "--base-url", sbt_base(),
		stu_order(2, "virtual", 1, NULL, 0), NULL);
	ck_assert_msg(r.status == 0, "debug submit: %d %s", r.status, r.err);
	ck_assert(strstr(r.err, "> POST /v2/cards/bulk"));
	ck_assert(strstr(r.err, "Authorization: [redacted]"));
	ck_assert(strstr(r.err, "X-Qonto-Staging-Token: [redacted]"));
	for (size_t k = 0; k < 4; k++) {
		ck_assert_msg(!strstr(r.err, secrets[k]), "secret %zu in the debug output", k);
		ck_assert(!strstr(r.out, secrets[k]));
	}
	stu_run_free(&r);
	/* every file written, but the credentials, is free of secrets */
	ck_assert_int_eq(stat(cred_path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	unlink(cred_path);
	/* the search works, and reaches the export */
	ck_assert(stu_tree_contains(stu_dir(), "511768******"));
	ck_assert(stat(export, &sb) == 0 && sb.st_size > 0);
	for (size_t k = 0; k < 4; k++)
		ck_assert_msg(!stu_tree_contains(stu_dir(), secrets[k]),
			      "secret %zu found in a file", k);
	free(access);
	free(refresh);
	free(cred);
	sbt_finish();
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("secrets");
	TCase *tc = sbt_tcase("secrets", 90);

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, full_order_leaves_no_secret);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_CURL(make_suite)
