/* check_login.c: `cardorder login`, saved credentials and their renewal,
 * against the sandbox's OAuth endpoints (issue 6's acceptance list). The
 * test plays the browser: it follows the authorization redirect. */
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

static char path_buf[400];

static const char *in_dir(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", stu_dir(), name);
	return path_buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void teardown(void)
{
	sbt_teardown();
	stu_cleanup();
	stu_token = SBT_TOKEN;
	stu_stdin = NULL;
}

static const char *credentials_path(void)
{
	return in_dir("config/cardorder/credentials");
}

/* 1. A login end to end, then a submit with the saved token. */
START_TEST(login_then_submit)
{
	struct stat sb;
	struct run r;
	char *cred;

	sbt_start("--sca", "off", NULL);
	ck_assert_int_eq(stu_login(), 0);
	ck_assert_int_eq(stat(credentials_path(), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	cred = stu_read_file(credentials_path());
	ck_assert(strstr(cred, "access_token = "));
	ck_assert(strstr(cred, "refresh_token = "));
	free(cred);
	stu_run(&r, 30, "submit", "--yes", "--base-url", sbt_base(),
		stu_order(3, "virtual", 1, NULL, 0), NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_int_eq(sbt_created(), 3);
	stu_run_free(&r);
	/* logout removes the tokens; submit then has none */
	stu_run(&r, 10, "logout", NULL);
	ck_assert_int_eq(r.status, 0);
	stu_run_free(&r);
	ck_assert_int_ne(stat(credentials_path(), &sb), 0);
	stu_run(&r, 10, "submit", "--yes", "--base-url", sbt_base(),
		stu_order(3, "virtual", 1, NULL, 0), NULL);
	ck_assert_int_eq(r.status, 3);
	ck_assert(strstr(r.err, "cardorder login"));
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* 2a. An expired access token is renewed without the person noticing. */
START_TEST(expired_token_renewed)
{
	struct run r;

	sbt_start("--sca", "auto", "--sca-polls", "1", "--token-lifetime", "2s", NULL);
	ck_assert_int_eq(stu_login(), 0);
	sleep(3);
	stu_run(&r, 30, "submit", "--yes", "--base-url", sbt_base(),
		stu_order(60, "virtual", 1, NULL, 0), NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_ptr_null(strstr(r.err, "log in"));
	ck_assert_int_eq(sbt_created(), 60);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* 2a'. The token expires while several requests are on the wire: they all
 * get a 401, and one renewal on the event loop serves them all (the
 * sandbox's refresh tokens are single-use, so a second renewal with the
 * same one would be refused and stop the order). */
START_TEST(token_expires_mid_order)
{
	struct sbt_resp expired;
	char err_path[300], *trace;
	int status, renewals = 0;
	pid_t pid;

	sbt_start("--sca", "off", "--fault-rate", "1", "--faults", "latency",
		  "--fault-scope", "bulk", "--latency-ms", "800", NULL);
	ck_assert_int_eq(stu_login(), 0);
	stu_env[0] = "CARDORDER_DEBUG=1"; /* the trace shows each token request */
	pid = stu_spawn("submit", "--yes", "--base-url", sbt_base(),
			stu_order(400, "virtual", 1, NULL, 0), NULL);
	snprintf(err_path, sizeof(err_path), "%s/spawn.err", stu_dir());
	ck_assert(stu_wait_for(err_path, "request 4/8 (50 cards): sending", 20));
	sbt_request(&expired, "POST", "/_sandbox/expire_tokens", NULL, NULL);
	ck_assert_int_eq(expired.status, 200);
	sbt_resp_free(&expired);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d: %s",
		      status, stu_read_file(err_path));
	stu_env[0] = NULL;
	ck_assert_int_eq(sbt_created(), 400);
	trace = stu_read_file(err_path);
	ck_assert_msg(strstr(trace, "renewing the login"), "no 401 was met: %s", trace);
	for (const char *p = trace; (p = strstr(p, "POST /oauth2/token")); p++)
		renewals++;
	ck_assert_int_eq(renewals, 1);
	free(trace);
	sbt_finish();
}
END_TEST

/* 2b. A revoked refresh token: a clear message and exit status 3. */
START_TEST(revoked_refresh_token)
{
	struct sbt_resp reset;
	struct run r;

	sbt_start("--sca", "off", "--token-lifetime", "2s", NULL);
	ck_assert_int_eq(stu_login(), 0);
	sbt_request(&reset, "POST", "/_sandbox/reset", NULL, NULL);
	ck_assert_int_eq(reset.status, 200);
	sbt_resp_free(&reset);
	sleep(3);
	stu_run(&r, 30, "submit", "--yes", "--base-url", sbt_base(),
		stu_order(3, "virtual", 1, NULL, 0), NULL);
	ck_assert_msg(r.status == 3, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, "log in again with cardorder login"), "%s", r.err);
	ck_assert_int_eq(sbt_created(), 0);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* 3a. A credentials file others can read is refused, saying how to fix it. */
START_TEST(credentials_0644_refused)
{
	struct run r;

	sbt_start("--sca", "off", NULL);
	ck_assert_int_eq(stu_login(), 0);
	ck_assert_int_eq(chmod(credentials_path(), 0644), 0);
	stu_run(&r, 30, "submit", "--yes", "--base-url", sbt_base(),
		stu_order(3, "virtual", 1, NULL, 0), NULL);
	ck_assert_int_eq(r.status, 3);
	ck_assert_msg(strstr(r.err, "chmod 600"), "%s", r.err);
	ck_assert_int_eq(sbt_created(), 0);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* 3b. An answer whose state is not this login's is refused. */
START_TEST(wrong_state_refused)
{
	struct stat sb;
	struct run r;

	sbt_start("--sca", "off", NULL);
	stu_config_any_port();
	write_file(in_dir("pasted"), "http://127.0.0.1:8739/callback?code=abc&state=forged\n");
	stu_stdin = in_dir("pasted");
	stu_token = NULL;
	stu_run(&r, 20, "login", "--manual", "--base-url", sbt_base(), NULL);
	ck_assert_int_eq(r.status, 3);
	ck_assert_msg(strstr(r.err, "state does not match"), "%s", r.err);
	ck_assert_int_ne(stat(credentials_path(), &sb), 0);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* 3c. A wrong PKCE verifier is refused by the token endpoint. */
START_TEST(wrong_verifier_refused)
{
	struct sbt_resp auth, token;
	char path[1024], body[1024], *code;

	sbt_start("--sca", "off", NULL);
	/* challenge of the verifier "a" * 43 */
	snprintf(path, sizeof(path), "/oauth2/auth?client_id=cardorder&redirect_uri="
		 "http%%3A%%2F%%2F127.0.0.1%%3A9%%2Fcallback&scope=card.write&response_type=code"
		 "&state=s&code_challenge=%s&code_challenge_method=S256",
		 "ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA");
	sbt_get(&auth, path);
	code = strstr(auth.location, "code=");
	ck_assert_ptr_nonnull(code);
	snprintf(body, sizeof(body), "grant_type=authorization_code&%.*s&client_id=cardorder"
		 "&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A9%%2Fcallback&code_verifier=%s",
		 (int)strcspn(code, "&"), code, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	sbt_request(&token, "POST", "/oauth2/token", body,
		    (const char *const[]){ "Content-Type: application/x-www-form-urlencoded",
					    NULL });
	ck_assert_int_eq(token.status, 400);
	ck_assert_str_eq(sbt_str(token.json, "error"), "invalid_grant");
	sbt_resp_free(&auth);
	sbt_resp_free(&token);
	sbt_finish();
}
END_TEST

/* The config file: unknown keys and unsafe permissions are refused. */
START_TEST(config_errors)
{
	char cfg[400];
	struct run r;

	sbt_start("--sca", "off", NULL);
	snprintf(cfg, sizeof(cfg), "%s/my-config", stu_dir());
	write_file(cfg, "base_url = https://example.com\ncolour = blue\n");
	chmod(cfg, 0600);
	stu_run(&r, 10, "submit", "--yes", "--config", cfg,
		stu_order(2, "virtual", 1, NULL, 0), NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "my-config:2: unknown key \"colour\""), "%s", r.err);
	stu_run_free(&r);
	write_file(cfg, "redirect_port = 80\n");
	stu_run(&r, 10, "submit", "--yes", "--config", cfg,
		stu_order(2, "virtual", 1, NULL, 0), NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.err, "redirect_port must be"));
	stu_run_free(&r);
	write_file(cfg, "sandbox = true\n");
	chmod(cfg, 0666);
	stu_run(&r, 10, "submit", "--yes", "--config", cfg,
		stu_order(2, "virtual", 1, NULL, 0), NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.err, "chmod go-w"));
	stu_run_free(&r);
	/* precedence: the command line's base URL over the config's */
	write_file(cfg, "base_url = https://thirdparty.qonto.com\n");
	chmod(cfg, 0600);
	stu_run(&r, 30, "submit", "--yes", "--config", cfg, "--base-url", sbt_base(),
		stu_order(2, "virtual", 1, NULL, 0), NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* The config's bank account goes to cards that name none. */
START_TEST(config_defaults)
{
	char cfg[400], order[400], text[512], json[400];
	json_object *rows, *card, *v;
	struct run r;

	sbt_start("--sca", "off", NULL);
	snprintf(cfg, sizeof(cfg), "%s/defaults", stu_dir());
	snprintf(text, sizeof(text), "bank_account_id = %s\n", sbt_account_id(1));
	write_file(cfg, text);
	chmod(cfg, 0600);
	snprintf(order, sizeof(order), "%s/short.csv", stu_dir());
	snprintf(text, sizeof(text), "holder_id,card_level,payment_monthly_limit\n%s,virtual,100\n",
		 sbt_member_id(0));
	write_file(order, text);
	snprintf(json, sizeof(json), "%s/out.json", stu_dir());
	stu_run(&r, 30, "submit", "--yes", "--config", cfg, "--base-url", sbt_base(),
		"--export", json, order, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	rows = stu_export(json);
	card = json_object_object_get(json_object_array_get_idx(rows, 0), "card");
	ck_assert(json_object_object_get_ex(card, "bank_account_id", &v));
	ck_assert_str_eq(json_object_get_string(v), sbt_account_id(1));
	json_object_put(rows);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("login");
	TCase *tc = sbt_tcase("login", 60);

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, login_then_submit);
	tcase_add_test(tc, expired_token_renewed);
	tcase_add_test(tc, token_expires_mid_order);
	tcase_add_test(tc, revoked_refresh_token);
	tcase_add_test(tc, credentials_0644_refused);
	tcase_add_test(tc, wrong_state_refused);
	tcase_add_test(tc, wrong_verifier_refused);
	tcase_add_test(tc, config_errors);
	tcase_add_test(tc, config_defaults);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_CURL(make_suite)
