/* held.c: the cards the order's holders already have, read from Qonto
 * on the event loop for the review (directory.h's held-card loader). */
#include "config.h"

#include "tui.h"

#include <stdio.h>
#include <string.h>

/* FNV-1a over the ids: which holders dir.held was read for. */
static uint64_t holders_key(char *const *ids, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		for (const char *c = ids[i]; ; c++) {
			h = (h ^ (unsigned char)*c) * 1099511628211ULL;
			if (!*c)
				break;
		}
	return h;
}

bool app_held_for(struct app *app, char *const *ids, size_t n, bool retry)
{
	uint64_t key = holders_key(ids, n);
	struct status_error err = { 0 };

	/* an error is about the holders it was for: other holders now */
	if (app->held_error[0] && app->held_failed_key != key)
		app->held_error[0] = '\0';
	if (app->held_read && app->held_key == key)
		return true;
	if (!app->dir_loaded || n == 0 ||
	    (app->held_loader && app->held_loading_key == key) ||
	    (!retry && app->held_error[0] && app->held_failed_key == key))
		return n == 0;
	/* other holders now: what is being read is for an older order */
	directory_loader_free(app->held_loader);
	app->held_loader = NULL;
	app->held_error[0] = '\0';
	if (directory_loader_new_held(&app->held_loader, &app->api, ids, n, &err) !=
	    STATUS_OK) {
		app->held_failed_key = key;
		snprintf(app->held_error, sizeof(app->held_error),
			 "the cards the holders already have could not be read: %s",
			 err.message);
		return false;
	}
	app->held_loading_key = key;
	return false;
}

bool app_held_loading(const struct app *app)
{
	return app->held_loader != NULL;
}

void app_held_poll(struct app *app)
{
	struct status_error err = { 0 };

	if (!app->held_loader || directory_loader_poll(app->held_loader))
		return;
	if (directory_loader_take_held(app->held_loader, &app->dir, &err) == STATUS_OK) {
		app->held_read = true;
		app->held_key = app->held_loading_key;
	} else {
		app->held_failed_key = app->held_loading_key;
		snprintf(app->held_error, sizeof(app->held_error),
			 "the cards the holders already have could not be read: %s",
			 err.message);
	}
	directory_loader_free(app->held_loader);
	app->held_loader = NULL;
	app->held_gen++;
}
