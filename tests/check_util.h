/* check_util.h: what every Check test program shares. */
#ifndef CARDORDER_CHECK_UTIL_H
#define CARDORDER_CHECK_UTIL_H

#include <check.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads a whole file (fixtures); the result is owned and NUL-terminated. */
static inline char *slurp(const char *path, size_t *len_out)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1))) {
		if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else {
			buf[len] = '\0';
			if (len_out)
				*len_out = (size_t)len;
		}
	}
	fclose(f);
	return buf;
}

/* Where tmpdir_new makes its directories while a test case runs. */
static inline char **tmpdir_root(void)
{
	static char *root;

	return &root;
}

/* A fresh empty directory: under the test case's root when there is one,
 * else under $TMPDIR (or /tmp). Owned path. */
static inline char *tmpdir_new(void)
{
	const char *base = *tmpdir_root() ? *tmpdir_root() : getenv("TMPDIR");
	char *dir = NULL;

	ck_assert_int_ge(asprintf(&dir, "%s/cardorder-check-XXXXXX",
				  base && base[0] == '/' ? base : "/tmp"),
			 0);
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp %s failed", dir);
	return dir;
}

static inline int tmpdir_remove_one(const char *path, const struct stat *sb,
				    int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* Removes dir and everything below it, and frees the path; NULL is fine. */
static inline void tmpdir_remove(char *dir)
{
	if (dir)
		nftw(dir, tmpdir_remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* An unchecked fixture (tcase_add_unchecked_fixture): the root of the
 * test case's directories, made and removed in the parent process, so
 * that a failed test, which skips its own teardown, leaves nothing. */
static inline void tmpdir_root_setup(void)
{
	*tmpdir_root() = NULL;
	*tmpdir_root() = tmpdir_new();
}

static inline void tmpdir_root_teardown(void)
{
	tmpdir_remove(*tmpdir_root());
	*tmpdir_root() = NULL;
}

/* The permission bits of path, which must exist. */
static inline unsigned file_mode(const char *path)
{
	struct stat sb;

	ck_assert_msg(stat(path, &sb) == 0, "cannot stat %s", path);
	return (unsigned)(sb.st_mode & 07777);
}

/* How many entries dir holds, "." and ".." aside. */
static inline unsigned dir_count(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned n = 0;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

#define CHECK_MAIN(make_suite)                                                 \
	int main(void)                                                         \
	{                                                                      \
		SRunner *sr = srunner_create(make_suite());                    \
		int failed;                                                    \
		srunner_run_all(sr, CK_ENV);                                   \
		failed = srunner_ntests_failed(sr);                            \
		srunner_free(sr);                                              \
		return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;              \
	}

#endif
