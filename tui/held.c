/* held.c: cards read from Qonto on the event loop, after the directory:
 * those the order's holders already have (for the review), and the
 * order's own once it was sent (the results screen's u, follow.h). */
#include "config.h"

#include "tui.h"
#include "follow.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
			 _("the cards the holders already have could not be read: %s"),
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
			 _("the cards the holders already have could not be read: %s"),
			 err.message);
	}
	directory_loader_free(app->held_loader);
	app->held_loader = NULL;
	app->held_gen++;
}

/* ---- the order's cards after it was sent ---- */

bool app_follow_start(struct app *app)
{
	struct status_error err = { 0 };
	size_t n = 0;
	char **ids;

	if (app->follow_loader)
		return true; /* already reading */
	/* the marks and the time are the order's: another order, afresh */
	if (strcmp(app->follow_order, app->flow.journal.order_id) != 0)
		app_follow_reset(app);
	if (!app->flow.journal_open) {
		app_notify(app, UI_WARNING, "%s", _("no order here to read again"));
		return false;
	}
	ids = follow_card_ids(&app->flow.results, &n);
	if (!ids || n == 0) {
		free(ids);
		app_notify(app, UI_WARNING, "%s", _("no card of this order was created: "
						    "nothing to read again"));
		return false;
	}
	if (directory_loader_new_listed(&app->follow_loader, &app->api, ids, n, &err) !=
	    STATUS_OK) {
		app_notify(app, UI_ERROR, _("the cards cannot be read: %s"), err.message);
		free(ids);
		return false;
	}
	free(ids);
	snprintf(app->follow_order, sizeof(app->follow_order), "%s",
		 app->flow.journal.order_id);
	app_notify(app, UI_NORMAL, P_("reading the %zu card(s) from Qonto…",
				      "reading the %zu card(s) from Qonto…", n), n);
	return true;
}

void app_follow_last(struct app *app)
{
	time_t at = 0;

	if (app->flow.journal_open &&
	    follow_last(&app->flow.journal, &app->flow.results, &at, NULL) == STATUS_OK)
		app->follow_at = at;
}

void app_follow_reset(struct app *app)
{
	directory_loader_free(app->follow_loader);
	app->follow_loader = NULL;
	free(app->follow_changed);
	app->follow_changed = NULL;
	app->n_follow_changed = 0;
	app->follow_at = 0;
	app->follow_order[0] = '\0';
}

/* How a reading went: how many cards, how many moved (marked on the
 * results), and whether it is kept with the order. */
static void follow_notice(struct app *app, size_t n, size_t moved, bool kept)
{
	char got[sizeof(app->message)], line[sizeof(app->message)];

	snprintf(got, sizeof(got), P_("%zu card(s) read from Qonto",
					"%zu card(s) read from Qonto", n), n);
	if (moved)
		/* TRANSLATORS: %s is "7 cards read from Qonto"; * is the
		   mark of the rows that moved on the results: keep it. */
		snprintf(line, sizeof(line),
			 P_("%s: %zu changed since the last look (marked *)",
			    "%s: %zu changed since the last look (marked *)", moved),
			 got, moved);
	else
		/* TRANSLATORS: %s is "7 cards read from Qonto"; %zu is 0. */
		snprintf(line, sizeof(line), P_("%s: %zu changed since the last look",
						"%s: %zu changed since the last look",
						moved), got, moved);
	if (kept)
		app_notify(app, UI_OK, "%s", line);
	else
		/* TRANSLATORS: %s is the sentence above: the reading could not
		   be saved with the order's journal. */
		app_notify(app, UI_WARNING, _("%s; not kept with the order"), line);
}

void app_follow_poll(struct app *app)
{
	struct status_error err = { 0 };
	struct card_object *cards = NULL;
	size_t n = 0, moved;

	if (!app->follow_loader || directory_loader_poll(app->follow_loader))
		return;
	if (directory_loader_take_listed(app->follow_loader, &cards, &n, &err) != STATUS_OK) {
		app_notify(app, UI_ERROR, _("the cards could not be read from Qonto: %s"),
			   err.message);
	} else if (!app->flow.journal_open ||
		   strcmp(app->follow_order, app->flow.journal.order_id) != 0) {
		/* read for an order that is no longer the one here: dropped */
	} else {
		bool kept;

		free(app->follow_changed);
		app->n_follow_changed = app->flow.results.n;
		app->follow_changed = calloc(app->n_follow_changed ? app->n_follow_changed : 1,
					     sizeof(*app->follow_changed));
		/* kept first: the refresh moves the cards into the results */
		kept = follow_record(&app->flow.journal, cards, n, time(NULL), &err) == STATUS_OK;
		moved = results_refresh(&app->flow.results, cards, n, app->follow_changed);
		app->follow_at = time(NULL);
		if (moved == (size_t)-1)
			app_notify(app, UI_ERROR, "%s", _("out of memory while reading the cards"));
		else
			follow_notice(app, n, moved, kept);
	}
	for (size_t i = 0; i < n; i++)
		card_object_free(&cards[i]);
	free(cards);
	directory_loader_free(app->follow_loader);
	app->follow_loader = NULL;
	app->follow_gen++;
}
