/* fsutil.h: files cardorder writes: XDG locations, atomic replacement,
 * durable appends. Every file is created with mode 0600 and every
 * directory with 0700: orders hold names and addresses. */
#ifndef CARDORDER_FSUTIL_H
#define CARDORDER_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

enum xdg_kind { XDG_CONFIG, XDG_STATE, XDG_DATA };

/* $XDG_<KIND>_HOME/cardorder (relative values ignored, as the spec says),
 * else ~/.config, ~/.local/state, ~/.local/share. Owned result; NULL when
 * neither the variable nor HOME is usable. */
char *fs_xdg_dir(enum xdg_kind kind);

/* mkdir -p with mode 0700 for the directories it creates. */
enum status fs_mkdirs(const char *path, struct status_error *err);

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename, fsync of the directory. Mode 0600. */
enum status fs_write_atomic(const char *path, const void *data, size_t len,
			    struct status_error *err);

/* The same, written in pieces (a large file in bounded memory): open,
 * write as often as needed (a failure is kept and said by commit), then
 * commit (which renames) or abort (which removes the temporary file).
 * Both end the writer. */
struct fs_atomic {
	char *path, *tmp; /* owned */
	int fd;
	bool failed;
	int error;        /* errno of the first failure */
	size_t used;
	char buf[65536];
};
enum status fs_atomic_open(struct fs_atomic *a, const char *path,
			   struct status_error *err);
void fs_atomic_write(struct fs_atomic *a, const void *data, size_t len);
enum status fs_atomic_commit(struct fs_atomic *a, struct status_error *err);
void fs_atomic_abort(struct fs_atomic *a);

/* Appends one line (a newline is added) and fsyncs; creates the file with
 * mode 0600. */
enum status fs_append_line(const char *path, const char *line,
			   struct status_error *err);

/* Reads a whole file (at most max bytes); owned, NUL-terminated. */
enum status fs_read_all(const char *path, size_t max, char **data, size_t *len,
			struct status_error *err);

/* "dir/name" into an owned string; NULL on memory exhaustion. */
char *fs_join(const char *dir, const char *name);

#endif
