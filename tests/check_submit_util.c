/* check_submit_util.c: see check_submit_util.h. */
#include "config.h"

#include "check_submit_util.h"
#include "sandbox/check_sandbox.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>

#define MAX_ARGS 24

static char dir[256];
const char *stu_token = SBT_TOKEN;
const char *stu_stdin;
const char *stu_env[8];

const char *stu_dir(void)
{
	char cfg[300];

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/cosubXXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(dir));
		snprintf(cfg, sizeof(cfg), "%s/config", dir);
		mkdir(cfg, 0700);
	}
	return dir;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

void stu_cleanup(void)
{
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	dir[0] = '\0';
}

const char *stu_order(size_t n, const char *level, size_t step,
		      const size_t *bad_rows, size_t n_bad)
{
	static char path[300];
	FILE *f;
	bool bad;

	snprintf(path, sizeof(path), "%s/order-%zu.csv", stu_dir(), n);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "holder_id,organization_id,bank_account_id,card_level,"
		   "payment_monthly_limit\n");
	for (size_t i = 0; i < n; i++) {
		bad = false;
		for (size_t k = 0; k < n_bad; k++)
			bad = bad || bad_rows[k] == i + 1;
		fprintf(f, "%s,%s,%s,%s,%zu\n",
			bad ? "00000000-0000-4000-8000-000000000000"
			    : sbt_member_id((i * step) % 129),
			sbt_org_id(), sbt_account_id(0), level, 100 + i);
	}
	fclose(f);
	return path;
}

static void child(const char *const *argv, const char *out, const char *err)
{
	char state[300], config[300];
	int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int fi = open(stu_stdin ? stu_stdin : "/dev/null", O_RDONLY);

	snprintf(state, sizeof(state), "%s/state", stu_dir());
	snprintf(config, sizeof(config), "%s/config", stu_dir());
	dup2(fi, 0);
	dup2(fo, 1);
	dup2(fe, 2);
	setenv("XDG_STATE_HOME", state, 1);
	setenv("XDG_CONFIG_HOME", config, 1);
	if (stu_token)
		setenv("QONTO_ACCESS_TOKEN", stu_token, 1);
	else
		unsetenv("QONTO_ACCESS_TOKEN");
	unsetenv("QONTO_API_BASE");
	/* After an attempt the server never answered, cardorder waits two
	 * minutes for a late processing before it lists Qonto's cards: the
	 * sandbox is done in a second or two. */
	setenv("CARDORDER_RECONCILE_GRACE", "2", 0);
	for (size_t i = 0; i < 8 && stu_env[i]; i++)
		putenv(strdup(stu_env[i]));
	execv(argv[0], (char *const *)(uintptr_t)argv);
	_exit(127);
}

static size_t collect(const char **argv, const char *arg, va_list ap)
{
	size_t n = 0;

	argv[n++] = CARDORDER_BIN;
	for (const char *a = arg; a && n < MAX_ARGS - 1; a = va_arg(ap, const char *))
		argv[n++] = a;
	argv[n] = NULL;
	return n;
}

static char *slurp_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, len + 1);
	if (buf && fread(buf, 1, len, f) != len)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

void stu_run(struct run *r, int timeout_s, const char *arg, ...)
{
	const char *argv[MAX_ARGS];
	char out[300], err[300];
	time_t end = time(NULL) + timeout_s;
	int status = 0;
	va_list ap;
	pid_t pid;

	va_start(ap, arg);
	collect(argv, arg, ap);
	va_end(ap);
	snprintf(out, sizeof(out), "%s/stdout", stu_dir());
	snprintf(err, sizeof(err), "%s/stderr", stu_dir());
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		child(argv, out, err);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (time(NULL) > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			ck_abort_msg("cardorder did not finish in %d s", timeout_s);
		}
		usleep(20000);
	}
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	r->out = slurp_file(out);
	r->err = slurp_file(err);
}

pid_t stu_spawn(const char *arg, ...)
{
	const char *argv[MAX_ARGS];
	char out[300], err[300];
	va_list ap;
	pid_t pid;

	va_start(ap, arg);
	collect(argv, arg, ap);
	va_end(ap);
	snprintf(out, sizeof(out), "%s/spawn.out", stu_dir());
	snprintf(err, sizeof(err), "%s/spawn.err", stu_dir());
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		child(argv, out, err);
	return pid;
}

bool stu_wait_for(const char *path, const char *text, int timeout_s)
{
	time_t end = time(NULL) + timeout_s;
	char *content;
	bool seen;

	do {
		content = slurp_file(path);
		seen = content && strstr(content, text);
		free(content);
		if (seen)
			return true;
		usleep(20000);
	} while (time(NULL) <= end);
	return false;
}

void stu_run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

json_object *stu_export(const char *path)
{
	json_object *root = json_object_from_file(path);

	ck_assert_msg(root != NULL, "no export at %s", path);
	ck_assert(json_object_is_type(root, json_type_array));
	return root;
}

size_t stu_count(json_object *rows, const char *status)
{
	size_t n = 0;
	json_object *v;

	for (size_t i = 0; i < json_object_array_length(rows); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(rows, i),
					      "status", &v) &&
		    strcmp(json_object_get_string(v), status) == 0)
			n++;
	return n;
}

long long stu_created_for(const char *holder)
{
	struct sbt_resp r;
	json_object *by, *n;
	long long count = 0;

	sbt_request(&r, "GET", "/_sandbox/cards", NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	by = sbt_at(r.json, "by_holder");
	if (json_object_object_get_ex(by, holder, &n))
		count = json_object_get_int64(n);
	sbt_resp_free(&r);
	return count;
}

static const char *needle_sought;
static bool needle_found;

static int grep_one(const char *path, const struct stat *sb, int flag,
		    struct FTW *f)
{
	char *content;

	(void)f;
	if (flag != FTW_F || !S_ISREG(sb->st_mode))
		return 0;
	content = slurp_file(path);
	if (content && strstr(content, needle_sought))
		needle_found = true;
	free(content);
	return 0;
}

bool stu_tree_contains(const char *root, const char *needle)
{
	needle_sought = needle;
	needle_found = false;
	nftw(root, grep_one, 16, FTW_PHYS);
	return needle_found;
}

/* A config that lets the listener take any free port. */
void stu_config_any_port(void)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/config/cardorder", stu_dir());
	mkdir(path, 0700);
	strncat(path, "/config", sizeof(path) - strlen(path) - 1);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("# test\nredirect_port = 0\n", f);
	fclose(f);
}

char *stu_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);

	if (f && buf)
		buf[fread(buf, 1, 65535, f)] = '\0';
	if (f)
		fclose(f);
	return buf;
}

/* GETs an absolute URL without following redirects; the Location. */
static void get_url(const char *url, char *location, size_t cap)
{
	CURL *h = curl_easy_init();
	char *loc = NULL;
	long status = 0;

	ck_assert_ptr_nonnull(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fwrite);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, fopen("/dev/null", "w"));
	ck_assert_int_eq(curl_easy_perform(h), CURLE_OK);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
	if (location)
		snprintf(location, cap, "%s", loc ? loc : "");
	ck_assert_msg(status == 200 || status == 302 || status == 303,
		      "GET %s: %ld", url, status);
	curl_easy_cleanup(h);
}

/* Runs `cardorder login` and plays the browser; returns its exit status. */
int stu_login(void)
{
	char out[400], url[2048] = "", location[2048];
	char *text, *start, *end;
	pid_t pid;
	int status;

	stu_config_any_port();
	stu_token = NULL;
	pid = stu_spawn("login", "--base-url", sbt_base(), "--no-browser", NULL);
	snprintf(out, sizeof(out), "%s/spawn.out", stu_dir());
	ck_assert(stu_wait_for(out, "/oauth2/auth?", 10));
	text = stu_read_file(out);
	start = strstr(text, "http://");
	ck_assert_ptr_nonnull(start);
	end = strpbrk(start, " \n");
	snprintf(url, sizeof(url), "%.*s", (int)(end ? end - start : (long)strlen(start)), start);
	free(text);
	ck_assert(strstr(url, "code_challenge_method=S256"));
	ck_assert(strstr(url, "state="));
	get_url(url, location, sizeof(location));           /* Qonto's page */
	ck_assert_msg(strncmp(location, "http://127.0.0.1:", 17) == 0, "%s", location);
	get_url(location, NULL, 0);                         /* the redirect */
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}


json_object *stu_row(json_object *rows, size_t i)
{
	return json_object_array_get_idx(rows, i);
}

const char *stu_field(json_object *r, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(r, key, &v) || !v)
		return "";
	return json_object_get_string(v);
}

void stu_assert_exactly_once(json_object *rows)
{
	size_t n = json_object_array_length(rows);
	long long created_total = 0;

	for (size_t m = 0; m < 129; m++) {
		const char *holder = sbt_member_id(m);
		long long want = 0;

		for (size_t i = 0; i < n; i++)
			if (strcmp(stu_field(stu_row(rows, i), "holder_id"), holder) == 0 &&
			    strcmp(stu_field(stu_row(rows, i), "card_id"), "") != 0)
				want++;
		ck_assert_msg(stu_created_for(holder) == want,
			      "holder %s: sandbox has %lld cards, export says %lld",
			      holder, stu_created_for(holder), want);
		created_total += want;
	}
	ck_assert_int_eq(sbt_created(), created_total);
}

const char *stu_order_dir(void)
{
	static char path[700];
	char orders[400];
	struct dirent *de;
	DIR *d;

	snprintf(orders, sizeof(orders), "%s/state/cardorder/orders", stu_dir());
	path[0] = '\0';
	d = opendir(orders);
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			snprintf(path, sizeof(path), "%s/%s", orders, de->d_name);
	if (d)
		closedir(d);
	ck_assert_msg(path[0], "no order under %s", orders);
	return path;
}
