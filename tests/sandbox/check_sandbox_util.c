/* check_sandbox_util.c: process and HTTP helpers of the sandbox tests. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <uuid/uuid.h>

#include "check_sandbox.h"

#define MAX_ARGS 64

static struct {
	pid_t pid;
	char dir[64];
	char port_file[96];
	char base[64];
} srv;

const char *sbt_base(void)
{
	return srv.base;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* SANDBOX_WRAPPER (e.g. "valgrind -q --error-exitcode=99") words, then the
 * binary. The strings live until the exec. */
static size_t wrapper_args(const char **argv, char *buf, size_t size)
{
	const char *w = getenv("SANDBOX_WRAPPER");
	size_t n = 0;

	if (!w || !*w)
		return 0;
	snprintf(buf, size, "%s", w);
	for (char *save = NULL, *t = strtok_r(buf, " ", &save);
	     t && n < MAX_ARGS / 2; t = strtok_r(NULL, " ", &save))
		argv[n++] = t;
	return n;
}

static void exec_child(const char **argv)
{
	int null = open("/dev/null", O_WRONLY);

	/* The server must not outlive a test process that crashed. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (null >= 0)
		dup2(null, STDOUT_FILENO);
	execvp(argv[0], (char *const *)(void *)argv);
	_exit(127);
}

static unsigned int wait_port(void)
{
	/* valgrind needs a few seconds to start the server */
	for (int i = 0; i < 3000; i++) {
		FILE *f = fopen(srv.port_file, "r");
		unsigned int port = 0;
		int status;

		if (f) {
			if (fscanf(f, "%u", &port) != 1)
				port = 0;
			fclose(f);
			if (port)
				return port;
		}
		if (waitpid(srv.pid, &status, WNOHANG) == srv.pid) {
			srv.pid = 0;
			return 0;
		}
		sleep_ms(5);
	}
	return 0;
}

void sbt_start(const char *arg, ...)
{
	const char *argv[MAX_ARGS + 16];
	char wrap[512];
	const char *bin = getenv("QONTO_SANDBOX");
	size_t n = wrapper_args(argv, wrap, sizeof(wrap));
	unsigned int port;
	va_list ap;

	snprintf(srv.dir, sizeof(srv.dir), "/tmp/sbtXXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(srv.dir));
	snprintf(srv.port_file, sizeof(srv.port_file), "%s/port", srv.dir);
	argv[n++] = bin && *bin ? bin : SANDBOX_BIN;
	argv[n++] = "--port-file";
	argv[n++] = srv.port_file;
	argv[n++] = "--access-token";
	argv[n++] = SBT_TOKEN;
	argv[n++] = "--api-key";
	argv[n++] = SBT_API_KEY;
	va_start(ap, arg);
	for (const char *a = arg; a && n < MAX_ARGS;
	     a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	srv.pid = fork();
	ck_assert_int_ge(srv.pid, 0);
	if (srv.pid == 0)
		exec_child(argv);
	port = wait_port();
	ck_assert_msg(port != 0, "the sandbox did not start");
	snprintf(srv.base, sizeof(srv.base), "http://127.0.0.1:%u", port);
}

static int stop(int sig)
{
	int status = 0;

	if (srv.pid <= 0)
		return 0;
	kill(srv.pid, sig);
	while (waitpid(srv.pid, &status, 0) < 0 && errno == EINTR)
		;
	srv.pid = 0;
	unlink(srv.port_file);
	rmdir(srv.dir);
	return status;
}

void sbt_finish(void)
{
	int status = stop(SIGTERM);

	ck_assert_msg(WIFEXITED(status), "the sandbox died (signal %d)",
		      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ck_assert_msg(WEXITSTATUS(status) == 0,
		      "the sandbox exited with status %d (valgrind or "
		      "sanitizer report on stderr?)",
		      WEXITSTATUS(status));
}

void sbt_teardown(void)
{
	stop(SIGKILL);
}

/* --- HTTP ------------------------------------------------------------- */

struct buf {
	char *data;
	size_t len;
};

static size_t on_body(char *ptr, size_t size, size_t n, void *cls)
{
	struct buf *b = cls;
	char *grown = realloc(b->data, b->len + size * n + 1);

	if (!grown)
		return 0;
	b->data = grown;
	memcpy(b->data + b->len, ptr, size * n);
	b->len += size * n;
	b->data[b->len] = '\0';
	return size * n;
}

static void copy_header(const char *line, size_t len, const char *name,
			char *out, size_t size)
{
	size_t n = strlen(name);

	if (len <= n || strncasecmp(line, name, n) != 0)
		return;
	line += n;
	len -= n;
	while (len && (*line == ' '))
		line++, len--;
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	snprintf(out, size, "%.*s", (int)len, line);
}

static size_t on_header(char *ptr, size_t size, size_t n, void *cls)
{
	struct sbt_resp *r = cls;

	copy_header(ptr, size * n, "Retry-After:", r->retry_after,
		    sizeof(r->retry_after));
	copy_header(ptr, size * n, "Location:", r->location,
		    sizeof(r->location));
	copy_header(ptr, size * n, "Content-Type:", r->content_type,
		    sizeof(r->content_type));
	return size * n;
}

static json_object *parse(const char *text, size_t len)
{
	json_tokener *tok = json_tokener_new_ex(32);
	json_object *root;

	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len + 1);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

void sbt_request(struct sbt_resp *out, const char *method, const char *path,
		 const char *body, const char *const *headers)
{
	CURL *c = curl_easy_init();
	struct curl_slist *list = NULL;
	struct buf b = {NULL, 0};
	char url[2048];

	memset(out, 0, sizeof(*out));
	ck_assert_ptr_nonnull(c);
	snprintf(url, sizeof(url), "%s%s", srv.base, path);
	for (size_t i = 0; headers && headers[i]; i++)
		list = curl_slist_append(list, headers[i]);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	out->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &out->seconds);
	out->body = b.data;
	out->len = b.len;
	if (b.data)
		out->json = parse(b.data, b.len);
	curl_slist_free_all(list);
	curl_easy_cleanup(c);
}

void sbt_get(struct sbt_resp *out, const char *path)
{
	const char *const h[] = {SBT_AUTH, NULL};

	sbt_request(out, "GET", path, NULL, h);
}

void sbt_bulk(struct sbt_resp *out, const char *key, const char *body,
	      const char *extra_header)
{
	char key_header[128];
	const char *h[] = {SBT_AUTH,
			   "Content-Type: application/json",
			   "X-Qonto-2fa-Preference: mock",
			   key_header,
			   extra_header,
			   NULL};

	snprintf(key_header, sizeof(key_header), "X-Qonto-Idempotency-Key: %s",
		 key);
	sbt_request(out, "POST", "/v2/cards/bulk", body, h);
}

void sbt_resp_free(struct sbt_resp *r)
{
	free(r->body);
	json_object_put(r->json);
	memset(r, 0, sizeof(*r));
}

/* --- JSON --------------------------------------------------------------- */

json_object *sbt_at(json_object *root, const char *path)
{
	char copy[256], *save = NULL;
	json_object *cur = root;

	snprintf(copy, sizeof(copy), "%s", path);
	for (char *t = strtok_r(copy, "/", &save); t && cur;
	     t = strtok_r(NULL, "/", &save)) {
		if (json_object_is_type(cur, json_type_array))
			cur = json_object_array_get_idx(cur, (size_t)atol(t));
		else if (!json_object_object_get_ex(cur, t, &cur))
			cur = NULL;
	}
	return cur;
}

const char *sbt_str(json_object *root, const char *path)
{
	json_object *v = sbt_at(root, path);

	return json_object_is_type(v, json_type_string)
		   ? json_object_get_string(v)
		   : NULL;
}

long long sbt_int(json_object *root, const char *path)
{
	json_object *v = sbt_at(root, path);

	return json_object_is_type(v, json_type_int) ? json_object_get_int64(v)
						     : -999999;
}

/* --- seed data ---------------------------------------------------------- */

static json_object *seed_file(const char *name)
{
	static json_object *cache[4];
	static const char *names[4];
	char path[4096];

	for (int i = 0; i < 4; i++) {
		if (names[i] && strcmp(names[i], name) == 0)
			return cache[i];
		if (!names[i]) {
			snprintf(path, sizeof(path), "%s/%s", SANDBOX_SEED_DIR,
				 name);
			cache[i] = json_object_from_file(path);
			ck_assert_ptr_nonnull(cache[i]);
			names[i] = name;
			return cache[i];
		}
	}
	return NULL;
}

const char *sbt_member_id(size_t index)
{
	char path[64];

	snprintf(path, sizeof(path), "memberships/%zu/id", index);
	return sbt_str(seed_file("memberships.json"), path);
}

const char *sbt_org_id(void)
{
	return sbt_str(seed_file("organization.json"), "organization/id");
}

const char *sbt_account_id(size_t index)
{
	char path[64];

	snprintf(path, sizeof(path), "bank_accounts/%zu/id", index);
	return sbt_str(seed_file("bank_accounts.json"), path);
}

static void add(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

json_object *sbt_card(const char *level, size_t holder)
{
	json_object *c = json_object_new_object();
	char when[32];
	time_t t = time(NULL) + 30 * 86400;

	add(c, "holder_id", json_object_new_string(sbt_member_id(holder)));
	add(c, "organization_id", json_object_new_string(sbt_org_id()));
	add(c, "bank_account_id", json_object_new_string(sbt_account_id(0)));
	add(c, "card_level", json_object_new_string(level));
	if (strcmp(level, "flash") == 0) {
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		add(c, "payment_lifespan_limit", json_object_new_int(100));
		add(c, "pre_expires_at", json_object_new_string(when));
		return c;
	}
	add(c, "payment_monthly_limit", json_object_new_int(1000));
	if (strcmp(level, "standard") == 0 || strcmp(level, "plus") == 0 ||
	    strcmp(level, "metal") == 0)
		add(c, "ship_to_business", json_object_new_boolean(1));
	return c;
}

char *sbt_body(json_object **cards, size_t n)
{
	json_object *root = json_object_new_object();
	json_object *arr = json_object_new_array();
	char *text;

	for (size_t i = 0; i < n; i++) {
		json_object *item = json_object_new_object();

		add(item, "card", cards[i]);
		json_object_array_add(arr, item);
	}
	add(root, "cards", arr);
	text = strdup(
	    json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	return text;
}

void sbt_uuid(char out[37])
{
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
}

long long sbt_created(void)
{
	struct sbt_resp r;
	long long n;

	sbt_request(&r, "GET", "/_sandbox/cards", NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	n = sbt_int(r.json, "count");
	sbt_resp_free(&r);
	return n;
}

long long sbt_requests(void)
{
	struct sbt_resp r;
	long long n;

	sbt_get(&r, "/_sandbox/stats");
	ck_assert_int_eq(r.status, 200);
	n = sbt_int(r.json, "requests");
	sbt_resp_free(&r);
	return n;
}

const char *sbt_sca_token(const struct sbt_resp *r)
{
	return sbt_str(r->json, "sca_session_token");
}

TCase *sbt_tcase(const char *name, double timeout)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, NULL, sbt_teardown);
	tcase_set_timeout(tc, timeout);
	return tc;
}
