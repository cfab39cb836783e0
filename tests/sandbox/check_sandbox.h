/* check_sandbox.h: helpers shared by the sandbox's Check tests. Each test
 * starts its own qonto-sandbox process (--port 0 --port-file) with the
 * options it needs, talks to it over real HTTP with libcurl, and stops it
 * with SIGTERM, asserting a clean exit (which is where valgrind's and the
 * sanitizers' verdicts show up). */
#ifndef CHECK_SANDBOX_H
#define CHECK_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>

#ifndef SANDBOX_BIN
#define SANDBOX_BIN "tests/sandbox/qonto-sandbox"
#endif
#ifndef SANDBOX_SEED_DIR
#define SANDBOX_SEED_DIR "assets/sandbox"
#endif

#define SBT_TOKEN "test-token"
#define SBT_API_KEY "acme-1234:s3cr3t"
#define SBT_AUTH "Authorization: Bearer " SBT_TOKEN

struct sbt_resp {
	CURLcode rc;
	long status;
	char *body;
	size_t len;
	char retry_after[32];
	char location[2048];
	char content_type[128];
	double seconds;
	json_object *json; /* NULL when the body is not JSON */
};

/* Starts the sandbox with the default test options plus the NULL-terminated
 * extra arguments. Fails the test when it does not come up. */
void sbt_start(const char *arg, ...);
/* SIGTERM, wait, assert exit status 0. */
void sbt_finish(void);
/* Checked teardown: kills a server a failed test left behind. */
void sbt_teardown(void);
const char *sbt_base(void);

/* Request; headers is a NULL-terminated list of "Name: value". */
void sbt_request(struct sbt_resp *out, const char *method, const char *path,
		 const char *body, const char *const *headers);
void sbt_get(struct sbt_resp *out, const char *path);
/* POST /v2/cards/bulk with bearer auth, mock 2FA, the key and an optional
 * extra header (e.g. the SCA token). */
void sbt_bulk(struct sbt_resp *out, const char *key, const char *body,
	      const char *extra_header);
void sbt_resp_free(struct sbt_resp *r);

/* "a/0/b" path into a JSON value (borrowed), NULL when absent. */
json_object *sbt_at(json_object *root, const char *path);
const char *sbt_str(json_object *root, const char *path);
long long sbt_int(json_object *root, const char *path);

/* Seed data from assets/sandbox (owned by the helper). */
const char *sbt_member_id(size_t index);
const char *sbt_org_id(void);
const char *sbt_account_id(size_t index);
/* A valid request card of that level (new object). */
json_object *sbt_card(const char *level, size_t holder);
/* {"cards": [{"card": ...} * n]} as a string (malloc'd); takes cards. */
char *sbt_body(json_object **cards, size_t n);
void sbt_uuid(char out[37]);
/* Number of cards the sandbox created (GET /_sandbox/cards). */
long long sbt_created(void);
/* Requests the sandbox answered so far (GET /_sandbox/stats). */
long long sbt_requests(void);
/* The SCA session token of a 428 answer. */
const char *sbt_sca_token(const struct sbt_resp *r);

TCase *sbt_tcase(const char *name, double timeout);

Suite *sandbox_api_suite(void);
Suite *sandbox_bulk_suite(void);
Suite *sandbox_sca_suite(void);
Suite *sandbox_faults_suite(void);
Suite *sandbox_oauth_suite(void);

#endif
