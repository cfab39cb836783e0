/* check_submit_util.h: running the real cardorder binary against a
 * sandbox started by check_sandbox.h's helpers. */
#ifndef CHECK_SUBMIT_UTIL_H
#define CHECK_SUBMIT_UTIL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#ifndef CARDORDER_BIN
#define CARDORDER_BIN "cli/cardorder"
#endif

struct run {
	int status;     /* exit status, or 128 + signal */
	char *out, *err; /* captured stdout and stderr, owned */
};

/* A fresh temporary directory for state, exports and orders (XDG_STATE_HOME
 * and XDG_CONFIG_HOME point inside it); removed by stu_cleanup. */
const char *stu_dir(void);
void stu_cleanup(void);

/* Writes an order of n cards (CSV): level, holder = member (i * step) %
 * 129, limit = 100 + i; cards whose 1-based position is in bad_rows get
 * an unknown holder id. Returns the path (static buffer). */
const char *stu_order(size_t n, const char *level, size_t step,
		      const size_t *bad_rows, size_t n_bad);

/* The access token put in the child's environment (NULL: none, so that
 * the saved login is used); stdin is this file when set, else /dev/null. */
extern const char *stu_token;
extern const char *stu_stdin;
/* More "NAME=value" for the child's environment, NULL-terminated. */
extern const char *stu_env[8];

/* Runs cardorder with args (NULL-terminated) and the access token in the
 * environment; waits at most timeout_s. */
void stu_run(struct run *r, int timeout_s, const char *arg, ...);
/* Starts it without waiting; returns the pid (stderr to stu_dir()/err). */
pid_t stu_spawn(const char *arg, ...);
/* Waits until the file holds the text (or timeout_s): true when seen. */
bool stu_wait_for(const char *path, const char *text, int timeout_s);
void stu_run_free(struct run *r);

/* The JSON export at path (owned root). */
json_object *stu_export(const char *path);
/* Number of rows of an export whose "status" is status. */
size_t stu_count(json_object *rows, const char *status);
/* Cards the sandbox created for a holder id (GET /_sandbox/cards). */
long long stu_created_for(const char *holder);

/* Row i of an export, and a field of a row ("" when absent). */
json_object *stu_row(json_object *rows, size_t i);
const char *stu_field(json_object *row, const char *key);
/* Fails the test unless the sandbox holds, for every member, exactly the
 * cards the export gives ids for, and nothing else. */
void stu_assert_exactly_once(json_object *rows);

/* The directory of the only order under the state directory (static). */
const char *stu_order_dir(void);

/* A file's text (owned, at most 64 KiB). */
char *stu_read_file(const char *path);

/* Writes a config whose redirect_port is 0 (any free port). */
void stu_config_any_port(void);
/* Runs `cardorder login` against the sandbox, playing the browser (it
 * follows the authorization redirect); returns the exit status. */
int stu_login(void);

/* True when any file under dir contains needle. */
bool stu_tree_contains(const char *dir, const char *needle);

/* main() of a test program whose tests use libcurl. */
#define CHECK_MAIN_CURL(make_suite)                                            \
	int main(void)                                                         \
	{                                                                      \
		SRunner *sr = srunner_create(make_suite());                    \
		int failed;                                                    \
		curl_global_init(CURL_GLOBAL_DEFAULT);                         \
		srunner_run_all(sr, CK_ENV);                                   \
		failed = srunner_ntests_failed(sr);                            \
		srunner_free(sr);                                              \
		curl_global_cleanup();                                         \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;                   \
	}

#endif
