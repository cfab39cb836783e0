/* fsutil.c: XDG paths and crash-safe writes. */
#include "config.h"

#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *fs_join(const char *dir, const char *name)
{
	char *out = NULL;

	if (asprintf(&out, "%s/%s", dir, name) < 0)
		return NULL;
	return out;
}

char *fs_xdg_dir(enum xdg_kind kind)
{
	static const char *const vars[] = { "XDG_CONFIG_HOME", "XDG_STATE_HOME",
					    "XDG_DATA_HOME" };
	static const char *const defaults[] = { ".config", ".local/state",
						".local/share" };
	const char *base = getenv(vars[kind]);
	const char *home = getenv("HOME");
	char *out = NULL;

	if (base && base[0] == '/') {
		if (asprintf(&out, "%s/cardorder", base) < 0)
			return NULL;
		return out;
	}
	if (!home || home[0] != '/')
		return NULL;
	if (asprintf(&out, "%s/%s/cardorder", home, defaults[kind]) < 0)
		return NULL;
	return out;
}

enum status fs_mkdirs(const char *path, struct status_error *err)
{
	char *copy = strdup(path);
	enum status st = STATUS_OK;

	if (!copy)
		return status_set(err, STATUS_NOMEM, NULL);
	/* Past a leading '/' only: "" must not be read beyond its NUL. */
	for (char *p = copy + (copy[0] == '/'); ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
			st = status_set(err, STATUS_IO, "cannot create %s: %s",
					copy, strerror(errno));
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(copy);
	return st;
}

static bool write_full(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

enum status fs_atomic_open(struct fs_atomic *a, const char *path,
			   struct status_error *err)
{
	memset(a, 0, sizeof(*a));
	a->fd = -1;
	a->path = strdup(path);
	if (!a->path || asprintf(&a->tmp, "%s.tmp.XXXXXX", path) < 0) {
		a->tmp = NULL;
		fs_atomic_abort(a);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	a->fd = mkostemp(a->tmp, O_CLOEXEC);
	if (a->fd < 0 || fchmod(a->fd, 0600) < 0) {
		status_set(err, STATUS_IO, "cannot create a file beside %s: %s", path,
			   strerror(errno));
		fs_atomic_abort(a);
		return STATUS_IO;
	}
	return STATUS_OK;
}

static void atomic_flush(struct fs_atomic *a)
{
	if (a->used && !a->failed && !write_full(a->fd, a->buf, a->used)) {
		a->failed = true;
		a->error = errno;
	}
	a->used = 0;
}

void fs_atomic_write(struct fs_atomic *a, const void *data, size_t len)
{
	if (a->failed || a->fd < 0)
		return;
	if (a->used + len > sizeof(a->buf))
		atomic_flush(a);
	if (len >= sizeof(a->buf)) {
		if (!a->failed && !write_full(a->fd, data, len)) {
			a->failed = true;
			a->error = errno;
		}
		return;
	}
	memcpy(a->buf + a->used, data, len);
	a->used += len;
}

enum status fs_atomic_commit(struct fs_atomic *a, struct status_error *err)
{
	enum status st = STATUS_OK;

	if (a->fd < 0)
		return a->path ? status_set(err, STATUS_IO, "cannot write %s", a->path)
			       : status_set(err, STATUS_IO, "cannot write the file");
	atomic_flush(a);
	if (!a->failed && fsync(a->fd) < 0) {
		a->failed = true;
		a->error = errno;
	}
	if (close(a->fd) < 0 && !a->failed) {
		a->failed = true;
		a->error = errno;
	}
	a->fd = -1;
	if (a->failed)
		st = status_set(err, STATUS_IO, "cannot write %s: %s", a->path,
				strerror(a->error));
	else if (rename(a->tmp, a->path) < 0)
		st = status_set(err, STATUS_IO, "cannot replace %s: %s", a->path,
				strerror(errno));
	if (st == STATUS_OK) {
		sync_dir(a->path);
		free(a->tmp); /* renamed: nothing to remove */
		a->tmp = NULL;
	}
	fs_atomic_abort(a);
	return st;
}

void fs_atomic_abort(struct fs_atomic *a)
{
	if (a->fd >= 0)
		close(a->fd);
	if (a->tmp)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	a->tmp = a->path = NULL;
	a->fd = -1;
}

enum status fs_write_atomic(const char *path, const void *data, size_t len,
			    struct status_error *err)
{
	struct fs_atomic a;
	enum status st = fs_atomic_open(&a, path, err);

	if (st != STATUS_OK)
		return st;
	fs_atomic_write(&a, data, len);
	return fs_atomic_commit(&a, err);
}

enum status fs_append_line(const char *path, const char *line,
			   struct status_error *err)
{
	enum status st = STATUS_OK;
	size_t len = strlen(line);
	char *buf = malloc(len + 1);
	off_t end;
	int fd;

	if (!buf)
		return status_set(err, STATUS_NOMEM, NULL);
	/* a line and its newline, not a C string */
	memcpy(buf, line, len); /* NOLINT(bugprone-not-null-terminated-result) */
	buf[len] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	end = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	if (fd < 0 || !write_full(fd, buf, len + 1) || fsync(fd) < 0) {
		st = status_set(err, STATUS_IO, "cannot append to %s: %s", path,
				strerror(errno));
		/* A line written in part (a full disk) would glue the next
		 * one to it: take it back. */
		if (end >= 0 && ftruncate(fd, end) == 0)
			fsync(fd);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return st;
}

enum status fs_read_all(const char *path, size_t max, char **data, size_t *len,
			struct status_error *err)
{
	enum status st = STATUS_OK;
	struct stat sb;
	size_t used = 0;
	char *buf = NULL;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return status_set(err, STATUS_IO, "cannot open %s: %s", path,
				  strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		st = status_set(err, STATUS_IO, "%s is not a regular file", path);
		goto out;
	}
	if ((uintmax_t)sb.st_size > max) {
		st = max >= 1024u * 1024u
			     ? status_set(err, STATUS_TOO_LARGE, "%s is larger than %zu MiB",
					  path, max / (1024u * 1024u))
			     : status_set(err, STATUS_TOO_LARGE,
					  "%s is larger than %zu bytes", path, max);
		goto out;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf) {
		st = status_set(err, STATUS_NOMEM, NULL);
		goto out;
	}
	while (used < (size_t)sb.st_size &&
	       (n = read(fd, buf + used, (size_t)sb.st_size - used)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = status_set(err, STATUS_IO, "cannot read %s: %s",
					path, strerror(errno));
			goto out;
		}
		used += (size_t)n;
	}
	buf[used] = '\0';
	*data = buf;
	*len = used;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return st;
}
