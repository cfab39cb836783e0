/* check_http.c: which URLs cardorder may talk to (qonto-api.md: https, or
 * http to loopback only), and the file helpers everything on disk goes
 * through (fsutil: XDG locations, atomic writes, appends, modes). Pure:
 * no request is made. */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include "check_util.h"
#include "fsutil.h"
#include "http.h"

#define N_ITEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- http_url_allowed ---- */

static const struct {
	const char *url;
	bool allowed;
} url_cases[] = {
    {"https://thirdparty.qonto.com", true},
    {"https://thirdparty-sandbox.staging.qonto.co/v2/cards/bulk", true},
    {"https://oauth.qonto.com/oauth2/token", true},
    {"https://example.com:8443/x?y=1", true},
    {"https://127.0.0.1:8443", true},
    {"HTTPS://THIRDPARTY.QONTO.COM", true},
    {"http://127.0.0.1:8080", true},
    {"http://127.0.0.1", true},
    {"http://127.0.0.1:41234/v2/cards?page=2", true},
    {"http://127.1.2.3/", true},
    {"http://127.255.255.254:1/", true},
    {"http://localhost:9000/v2", true},
    {"http://[::1]:8080/", true},
    {"http://[::1]/", true},
    {"http://user@127.0.0.1:1/", true},
    {"http://example.com", false},
    {"http://thirdparty.qonto.com/v2/cards/bulk", false},
    {"http://127.0.0.1.evil.com", false},
    {"http://127.0.0.1.evil.com:8080/v2", false},
    {"http://127.evil.com/", false},
    {"http://127.0.0.1.nip.io/", false},
    {"http://localhost.evil.com/", false},
    {"http://evillocalhost/", false},
    {"http://127.0.0.1@evil.com/", false},
    {"http://127.0.0.1:80@evil.com/", false},
    {"http://128.0.0.1/", false},
    {"http://126.255.255.255/", false},
    {"http://10.0.0.1/", false},
    {"http://0.0.0.0:8080/", false},
    {"http://[::2]/", false},
    {"http://[fe80::1]/", false},
    {"ftp://127.0.0.1/", false},
    {"ftp://thirdparty.qonto.com/", false},
    {"file:///etc/passwd", false},
    {"file://localhost/etc/passwd", false},
    {"gopher://127.0.0.1:70/", false},
    {"ws://127.0.0.1/", false},
    {"javascript:alert(1)", false},
    {"thirdparty.qonto.com", false},
    {"127.0.0.1:8080", false},
    {"//127.0.0.1/", false},
    {"garbage", false},
    {"https://", false},
    {"http://", false},
    {"http:///v2", false},
    {"", false},
    {"https://exa mple.com/", false},
};

START_TEST(test_url_allowed)
{
	ck_assert_msg(http_url_allowed(url_cases[_i].url) ==
			  url_cases[_i].allowed,
		      "%s should be %s", url_cases[_i].url,
		      url_cases[_i].allowed ? "allowed" : "refused");
}
END_TEST

/* ---- fs_xdg_dir ---- */

static const char *const xdg_vars[] = {"XDG_CONFIG_HOME", "XDG_STATE_HOME",
				       "XDG_DATA_HOME", "HOME"};
static char *saved_env[4];
static mode_t old_umask;
static char *tmp;

static void env_setup(void)
{
	for (int i = 0; i < 4; i++) {
		const char *v = getenv(xdg_vars[i]);

		saved_env[i] = v ? strdup(v) : NULL;
		unsetenv(xdg_vars[i]);
	}
}

static void env_teardown(void)
{
	for (int i = 0; i < 4; i++) {
		if (saved_env[i])
			setenv(xdg_vars[i], saved_env[i], 1);
		else
			unsetenv(xdg_vars[i]);
		free(saved_env[i]);
		saved_env[i] = NULL;
	}
}

static void expect_dir(enum xdg_kind kind, const char *want)
{
	char *got = fs_xdg_dir(kind);

	if (!want) {
		ck_assert_msg(got == NULL, "expected no directory, got %s",
			      got);
		return;
	}
	ck_assert_msg(got != NULL, "expected %s, got none", want);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_xdg_absolute)
{
	setenv("HOME", "/home/compta", 1);
	setenv("XDG_CONFIG_HOME", "/etc/xdg-config", 1);
	setenv("XDG_STATE_HOME", "/var/lib/state", 1);
	setenv("XDG_DATA_HOME", "/srv/data", 1);
	expect_dir(XDG_CONFIG, "/etc/xdg-config/cardorder");
	expect_dir(XDG_STATE, "/var/lib/state/cardorder");
	expect_dir(XDG_DATA, "/srv/data/cardorder");
}
END_TEST

START_TEST(test_xdg_defaults)
{
	setenv("HOME", "/home/compta", 1);
	expect_dir(XDG_CONFIG, "/home/compta/.config/cardorder");
	expect_dir(XDG_STATE, "/home/compta/.local/state/cardorder");
	expect_dir(XDG_DATA, "/home/compta/.local/share/cardorder");
}
END_TEST

/* The XDG spec: a relative path in these variables is invalid and must be
 * ignored. */
START_TEST(test_xdg_relative_ignored)
{
	setenv("HOME", "/home/compta", 1);
	setenv("XDG_CONFIG_HOME", "relative/config", 1);
	setenv("XDG_STATE_HOME", "./state", 1);
	setenv("XDG_DATA_HOME", "", 1);
	expect_dir(XDG_CONFIG, "/home/compta/.config/cardorder");
	expect_dir(XDG_STATE, "/home/compta/.local/state/cardorder");
	expect_dir(XDG_DATA, "/home/compta/.local/share/cardorder");
}
END_TEST

START_TEST(test_xdg_without_home)
{
	expect_dir(XDG_STATE, NULL);
	setenv("HOME", "", 1);
	expect_dir(XDG_CONFIG, NULL);
	setenv("HOME", "relative/home", 1);
	expect_dir(XDG_DATA, NULL);
	/* An absolute variable needs no HOME. */
	setenv("XDG_STATE_HOME", "/state", 1);
	expect_dir(XDG_STATE, "/state/cardorder");
}
END_TEST

/* ---- files ---- */

static void fs_setup(void)
{
	/* No umask help: the modes must come from the code itself. */
	old_umask = umask(0);
	tmp = tmpdir_new();
}

static void fs_teardown(void)
{
	tmpdir_remove(tmp);
	tmp = NULL;
	umask(old_umask);
}

static char *in_tmp(const char *name)
{
	char *path = fs_join(tmp, name);

	ck_assert_ptr_nonnull(path);
	return path;
}

static void write_plain(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

START_TEST(test_join)
{
	char *p = fs_join("/a/b", "c.json");

	ck_assert_str_eq(p, "/a/b/c.json");
	free(p);
}
END_TEST

START_TEST(test_write_atomic_creates_0600)
{
	struct status_error err;
	char *path = in_tmp("export.csv"), *back;
	size_t len = 0;

	ck_assert_int_eq(fs_write_atomic(path, "a,b\r\n", 5, &err), STATUS_OK);
	ck_assert_uint_eq(file_mode(path), 0600);
	back = slurp(path, &len);
	ck_assert_uint_eq(len, 5);
	ck_assert_str_eq(back, "a,b\r\n");
	ck_assert_uint_eq(dir_count(tmp), 1);
	free(back);
	free(path);
}
END_TEST

/* An existing file, readable by everyone, is replaced as a whole: new
 * content, mode 0600, no temporary file left beside it. */
START_TEST(test_write_atomic_replaces)
{
	static const char data[] = "new\0with a NUL";
	struct status_error err;
	char *path = in_tmp("results.json"), *back;
	struct stat before, after;
	size_t len = 0;

	write_plain(path, "the old content, which is longer than the new one\n",
		    0644);
	ck_assert_int_eq(stat(path, &before), 0);
	ck_assert_int_eq(fs_write_atomic(path, data, sizeof(data) - 1, &err),
			 STATUS_OK);
	ck_assert_int_eq(stat(path, &after), 0);
	ck_assert_uint_eq(file_mode(path), 0600);
	/* Renamed over, not rewritten in place. */
	ck_assert_uint_ne(before.st_ino, after.st_ino);
	back = slurp(path, &len);
	ck_assert_uint_eq(len, sizeof(data) - 1);
	ck_assert(memcmp(back, data, len) == 0);
	ck_assert_uint_eq(dir_count(tmp), 1);
	free(back);
	/* Empty is a content too. */
	ck_assert_int_eq(fs_write_atomic(path, "", 0, &err), STATUS_OK);
	back = slurp(path, &len);
	ck_assert_uint_eq(len, 0);
	free(back);
	free(path);
}
END_TEST

START_TEST(test_write_atomic_failures)
{
	struct status_error err;
	char *missing = in_tmp("no/such/dir/file.csv"), *sub = in_tmp("sub");

	ck_assert_int_eq(fs_write_atomic(missing, "x", 1, &err), STATUS_IO);
	ck_assert_int_eq(err.code, STATUS_IO);
	ck_assert_ptr_nonnull(strstr(err.message, "file.csv"));
	/* A directory in the way: the rename fails and the temporary file
	 * is removed. */
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(fs_write_atomic(sub, "x", 1, &err), STATUS_IO);
	ck_assert_ptr_nonnull(strstr(err.message, "sub"));
	ck_assert_uint_eq(dir_count(tmp), 1);
	ck_assert_uint_eq(dir_count(sub), 0);
	free(missing);
	free(sub);
}
END_TEST

START_TEST(test_append_line)
{
	struct status_error err;
	char *path = in_tmp("journal.jsonl"), *back;

	ck_assert_int_eq(fs_append_line(path, "{\"ev\":\"order\"}", &err),
			 STATUS_OK);
	ck_assert_uint_eq(file_mode(path), 0600);
	ck_assert_int_eq(fs_append_line(path, "", &err), STATUS_OK);
	ck_assert_int_eq(fs_append_line(path, "é 🚀", &err), STATUS_OK);
	back = slurp(path, NULL);
	ck_assert_str_eq(back, "{\"ev\":\"order\"}\n\né 🚀\n");
	free(back);
	free(path);
}
END_TEST

/* Appending keeps what is there and does not change an existing mode. */
START_TEST(test_append_line_existing)
{
	struct status_error err;
	char *path = in_tmp("audit.log"), *back;

	write_plain(path, "first\n", 0600);
	ck_assert_int_eq(fs_append_line(path, "second", &err), STATUS_OK);
	back = slurp(path, NULL);
	ck_assert_str_eq(back, "first\nsecond\n");
	free(back);
	free(path);
	path = in_tmp("missing/audit.log");
	ck_assert_int_eq(fs_append_line(path, "x", &err), STATUS_IO);
	ck_assert_ptr_nonnull(strstr(err.message, "audit.log"));
	free(path);
}
END_TEST

START_TEST(test_mkdirs)
{
	struct status_error err;
	char *deep = in_tmp("state/cardorder/orders/abc"),
	     *mid = in_tmp("state"), *mid2 = in_tmp("state/cardorder");

	ck_assert_int_eq(fs_mkdirs(deep, &err), STATUS_OK);
	ck_assert_uint_eq(file_mode(mid), 0700);
	ck_assert_uint_eq(file_mode(mid2), 0700);
	ck_assert_uint_eq(file_mode(deep), 0700);
	/* Again: nothing to do, no error. */
	ck_assert_int_eq(fs_mkdirs(deep, &err), STATUS_OK);
	free(deep);
	/* A trailing slash. */
	deep = in_tmp("other/dir/");
	ck_assert_int_eq(fs_mkdirs(deep, &err), STATUS_OK);
	free(deep);
	deep = in_tmp("other/dir");
	ck_assert_uint_eq(file_mode(deep), 0700);
	free(deep);
	free(mid);
	free(mid2);
}
END_TEST

/* An existing directory keeps its mode: fs_mkdirs only creates. */
START_TEST(test_mkdirs_existing_untouched)
{
	struct status_error err;
	char *top = in_tmp("shared"), *below = in_tmp("shared/mine");

	ck_assert_int_eq(mkdir(top, 0755), 0);
	ck_assert_int_eq(fs_mkdirs(below, &err), STATUS_OK);
	ck_assert_uint_eq(file_mode(top), 0755);
	ck_assert_uint_eq(file_mode(below), 0700);
	free(top);
	free(below);
}
END_TEST

START_TEST(test_mkdirs_failures)
{
	struct status_error err;
	char *file = in_tmp("plain"), *below = in_tmp("plain/sub/dir");

	write_plain(file, "x", 0600);
	ck_assert_int_eq(fs_mkdirs(below, &err), STATUS_IO);
	ck_assert_int_eq(err.code, STATUS_IO);
	ck_assert_ptr_nonnull(strstr(err.message, "plain/sub"));
	/* An empty path is no directory; it is refused, not read past. */
	ck_assert_int_eq(fs_mkdirs("", &err), STATUS_IO);
	free(file);
	free(below);
}
END_TEST

START_TEST(test_read_all)
{
	struct status_error err;
	char *path = in_tmp("body.json"), *data = NULL;
	size_t len = 0;

	write_plain(path, "{\"cards\":[]}", 0600);
	ck_assert_int_eq(fs_read_all(path, 100, &data, &len, &err), STATUS_OK);
	ck_assert_uint_eq(len, 12);
	ck_assert_str_eq(data, "{\"cards\":[]}");
	free(data);
	data = NULL;
	ck_assert_int_eq(fs_read_all(path, 12, &data, &len, &err), STATUS_OK);
	free(data);
	data = NULL;
	/* Over the limit, a directory, nothing there. */
	ck_assert_int_eq(fs_read_all(path, 11, &data, &len, &err), STATUS_TOO_LARGE);
	ck_assert_ptr_null(data);
	ck_assert_int_eq(fs_read_all(tmp, 1000, &data, &len, &err), STATUS_IO);
	ck_assert_ptr_null(data);
	free(path);
	path = in_tmp("missing");
	ck_assert_int_eq(fs_read_all(path, 1000, &data, &len, &err), STATUS_IO);
	ck_assert_ptr_nonnull(strstr(err.message, "missing"));
	ck_assert_ptr_null(data);
	free(path);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("http");
	TCase *url = tcase_create("url");
	TCase *xdg = tcase_create("xdg");
	TCase *files = tcase_create("files");

	tcase_add_loop_test(url, test_url_allowed, 0, N_ITEMS(url_cases));
	tcase_add_checked_fixture(xdg, env_setup, env_teardown);
	tcase_add_test(xdg, test_xdg_absolute);
	tcase_add_test(xdg, test_xdg_defaults);
	tcase_add_test(xdg, test_xdg_relative_ignored);
	tcase_add_test(xdg, test_xdg_without_home);
	tcase_add_unchecked_fixture(files, tmpdir_root_setup,
				    tmpdir_root_teardown);
	tcase_add_checked_fixture(files, fs_setup, fs_teardown);
	tcase_add_test(files, test_join);
	tcase_add_test(files, test_write_atomic_creates_0600);
	tcase_add_test(files, test_write_atomic_replaces);
	tcase_add_test(files, test_write_atomic_failures);
	tcase_add_test(files, test_append_line);
	tcase_add_test(files, test_append_line_existing);
	tcase_add_test(files, test_mkdirs);
	tcase_add_test(files, test_mkdirs_existing_untouched);
	tcase_add_test(files, test_mkdirs_failures);
	tcase_add_test(files, test_read_all);
	suite_add_tcase(s, url);
	suite_add_tcase(s, xdg);
	suite_add_tcase(s, files);
	return s;
}

CHECK_MAIN(make_suite)
