/* files.c: writing a file the person names (the results export, the order
 * saved as): a prompt with a default, and an existing file replaced only
 * when the person says so. */
#include "config.h"

#include "tui.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct file_ask {
	file_write_fn write;
	const char *not_done; /* "not exported" */
	char *path;           /* owned, once typed */
};

static void file_ask_free(void *ctx)
{
	struct file_ask *fa = ctx;

	if (fa)
		free(fa->path);
	free(fa);
}

static void replace_answered(struct app *app, bool yes, void *ctx)
{
	struct file_ask *fa = ctx;

	if (yes)
		fa->write(app, fa->path);
	else
		app_notify(app, UI_WARNING, "%s", fa->not_done);
	file_ask_free(fa);
}

static void path_answered(struct app *app, const char *path, void *ctx)
{
	struct file_ask *fa = ctx;
	struct stat sb;

	if (!path || !*path) {
		file_ask_free(fa);
		return;
	}
	if (stat(path, &sb) != 0) {
		fa->write(app, path);
		file_ask_free(fa);
		return;
	}
	fa->path = strdup(path);
	if (!fa->path) {
		file_ask_free(fa);
		return;
	}
	app_ask(app, _("The file exists. Replace it?"), replace_answered, fa, file_ask_free);
}

const char *app_dated_name(const char *kind, char *buf, size_t cap)
{
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];

	if (!localtime_r(&now, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M", &tm))
		snprintf(stamp, sizeof(stamp), "%s", "now");
	snprintf(buf, cap, "cardorder-%s-%s.csv", kind, stamp);
	return buf;
}

enum csv_format app_csv_format(const struct app *app)
{
	return csv_format_choose(NULL, app->session.cfg.csv_format);
}

enum key_result app_prompt_file(struct app *app, const char *question,
				const char *initial, const char *not_done,
				file_write_fn write)
{
	struct file_ask *fa = calloc(1, sizeof(*fa));

	if (!fa)
		return KR_REDRAW;
	fa->write = write;
	fa->not_done = not_done;
	return app_prompt(app, question, initial, path_answered, fa, file_ask_free);
}
