/* offers.c: what the TUI offers at start, before anything else: the
 * orders left unfinished (to resume one), then the draft saved earlier
 * (to open it, or keep it aside). Dialogs over the order screen. */
#include "config.h"

#include "tui.h"
#include "flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A draft left by an earlier run (a crash, a closed terminal) is offered;
 * declined, it is kept aside rather than lost. */
static void found_draft_free(void *ctx)
{
	draft_free(ctx);
	free(ctx);
}

/* The draft file goes aside (draft.json.DATE), whole, and says where. */
static void set_draft_aside(struct app *app, time_t saved_at)
{
	char when[64], aside[600];
	struct tm tm;

	localtime_r(&saved_at, &tm);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm);
	snprintf(aside, sizeof(aside), "%s.%s", app->draft_path, when);
	rename(app->draft_path, aside);
	app_notify(app, UI_DIM, "the earlier draft was kept as %s", aside);
}

static void draft_answered(struct app *app, bool yes, void *ctx)
{
	struct draft *found = ctx;

	app->draft_offered = false;
	if (yes) {
		draft_free(&app->draft);
		app->draft = *found;
		draft_init(found);
		app_order_changed(app);
		app->draft_dirty = false;
		app_notify(app, UI_OK, "draft of %zu card(s) opened", app->draft.n);
	} else {
		set_draft_aside(app, found->saved_at);
	}
	found_draft_free(found);
}

static bool same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The draft holds what the file gives (a demo started again): nothing to
 * choose between. */
static bool same_cards(const struct draft *a, const struct draft *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		for (int f = 0; f < FIELD_COUNT; f++)
			if (!same_text(a->cards[i].text[f], b->cards[i].text[f]))
				return false;
	return true;
}

void app_offer_draft(struct app *app)
{
	struct draft *found = calloc(1, sizeof(*found));
	char question[400], when[64];
	struct tm tm;

	if (!found)
		return;
	draft_init(found);
	if (draft_load(found, app->draft_path, NULL) != STATUS_OK || found->n == 0 ||
	    (app->order_file && same_cards(found, &app->draft))) {
		found_draft_free(found);
		return;
	}
	localtime_r(&found->saved_at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	if (app->order_file) {
		/* started with a file: the draft is not replaced unasked */
		const char *base = strrchr(app->order_file, '/');

		snprintf(question, sizeof(question),
			 "A draft of %zu card(s) from %s was found. Open it instead "
			 "of %s? (n: %s, and the draft is kept aside)",
			 found->n, when, base ? base + 1 : app->order_file,
			 base ? base + 1 : app->order_file);
	} else {
		snprintf(question, sizeof(question),
			 "A draft of %zu card(s) from %s was found. Open it?", found->n,
			 when);
	}
	/* Only while the question is open is the draft file held. */
	app->draft_offered = app_ask(app, question, draft_answered, found,
				     found_draft_free) == KR_PUSH;
}

static void unfinished_answered(struct app *app, const char *value,
				const bool *marked, void *ctx)
{
	(void)marked;
	(void)ctx;
	if (value && *value) {
		struct draft found;

		/* the draft is not offered now: with a file, whose cards will
		 * be saved, an earlier draft of other cards goes aside whole */
		draft_init(&found);
		if (app->order_file && app->draft_path &&
		    draft_load(&found, app->draft_path, NULL) == STATUS_OK && found.n &&
		    !same_cards(&found, &app->draft))
			set_draft_aside(app, found.saved_at);
		draft_free(&found);
		snprintf(app->resume_id, sizeof(app->resume_id), "%s", value);
		app_open(app, SCREEN_SEND, 0, NULL);
		return;
	}
	if (app->draft_path)
		app_offer_draft(app); /* what was put off for the question */
}

/* One line per unfinished order: when, how many cards, what is known
 * (only what is not zero). */
static void unfinished_label(const struct journal_summary *o, char *out, size_t cap)
{
	size_t used, not_sent = o->n_cards - (o->n_sent < o->n_cards ? o->n_sent : o->n_cards);
	char when[32];
	struct tm tm;
	const struct {
		size_t n;
		const char *what;
	} parts[] = {
		{ o->n_settled, "done" },
		{ o->n_unknown, "unknown" },
		{ o->n_approval, "awaiting approval" },
		{ not_sent, "not sent" },
	};

	if (!localtime_r(&o->created, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm))
		snprintf(when, sizeof(when), "?");
	used = (size_t)snprintf(out, cap, "%s  %.8s  %zu card(s):", when, o->order_id,
				o->n_cards);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && used < cap; i++)
		if (parts[i].n)
			used += (size_t)snprintf(out + used, cap - used, "%s %zu %s",
						 used && out[used - 1] == ':' ? "" : ",",
						 parts[i].n, parts[i].what);
	if (o->damaged && used < cap)
		snprintf(out + used, cap - used, ", DAMAGED");
}

/* Orders that a crash or a cancel left unfinished are offered before
 * anything else: sending their cards again as a new order would order
 * them twice. True when the question is open (the draft is offered once
 * it is answered). */
bool app_offer_unfinished(struct app *app)
{
	struct journal_summary *list = NULL;
	const char **labels, **values;
	char (*text)[200];
	size_t n = 0;
	bool asked = false;

	if (!app->flow_ready || flow_unfinished(&app->flow, &list, &n, NULL) != STATUS_OK ||
	    n == 0) {
		free(list);
		return false;
	}
	labels = calloc(n + 1, sizeof(*labels));
	values = calloc(n + 1, sizeof(*values));
	text = calloc(n, sizeof(*text));
	if (labels && values && text) {
		labels[0] = "Not now: go to the order";
		values[0] = "";
		for (size_t i = 0; i < n; i++) {
			unfinished_label(&list[i], text[i], sizeof(text[i]));
			labels[i + 1] = text[i];
			values[i + 1] = list[i].order_id;
		}
		/* the newest is the one a crash just left */
		asked = app_pick(app, "Unfinished orders: resume one before anything "
				      "is sent again",
				 labels, values, n + 1, 1, false, NULL, NULL,
				 unfinished_answered, NULL, NULL) == KR_PUSH;
	}
	free(labels);
	free(values);
	free(text);
	free(list);
	return asked;
}
