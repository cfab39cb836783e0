/* offers.c: what the TUI offers at start, before anything else: the
 * orders left unfinished (to resume one), then the draft saved earlier
 * (to open it, or keep it aside). Dialogs over the order screen. */
#include "config.h"

#include "tui.h"
#include "flow.h"
#include "i18n.h"

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
	app_notify(app, UI_DIM, _("the earlier draft was kept as %s"), aside);
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
		app_notify(app, UI_OK, P_("draft of %zu card(s) opened",
					  "draft of %zu card(s) opened", app->draft.n),
			   app->draft.n);
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
	char question[400], stamp[64], when[64];
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
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M", &tm);
	i18n_date(stamp, when, sizeof(when));
	if (app->order_file) {
		/* started with a file: the draft is not replaced unasked */
		const char *base = strrchr(app->order_file, '/');

		snprintf(question, sizeof(question),
			 /* TRANSLATORS: the first %s is when the draft was
			    saved ("2026-05-04 14:30"), the two others the
			    order file's name; n is the key that answers no:
			    keep it. */
			 P_("A draft of %zu card(s) from %s was found. Open it instead "
			    "of %s? (n: %s, and the draft is kept aside)",
			    "A draft of %zu card(s) from %s was found. Open it instead "
			    "of %s? (n: %s, and the draft is kept aside)", found->n),
			 found->n, when, base ? base + 1 : app->order_file,
			 base ? base + 1 : app->order_file);
	} else {
		snprintf(question, sizeof(question),
			 /* TRANSLATORS: %s is when the draft was saved
			    ("2026-05-04 14:30"). */
			 P_("A draft of %zu card(s) from %s was found. Open it?",
			    "A draft of %zu card(s) from %s was found. Open it?", found->n),
			 found->n, when);
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

/* "3 done": how many cards of an unfinished order are in state i, into
 * out; returns what snprintf does. */
static size_t unfinished_part(char *out, size_t cap, int i, size_t n)
{
	int len;

	switch (i) {
	/* TRANSLATORS: counts of an unfinished order's cards, in a list
	   after "4 cards:" (as short as they can be). */
	case 0: len = snprintf(out, cap, P_("%zu done", "%zu done", n), n); break;
	case 1: len = snprintf(out, cap, P_("%zu unknown", "%zu unknown", n), n); break;
	case 2:
		len = snprintf(out, cap, P_("%zu awaiting approval", "%zu awaiting approval", n),
			       n);
		break;
	default: len = snprintf(out, cap, P_("%zu not sent", "%zu not sent", n), n); break;
	}
	return len > 0 ? (size_t)len : 0;
}

/* One line per unfinished order: when, how many cards, what is known
 * (only what is not zero). */
static void unfinished_label(const struct journal_summary *o, char *out, size_t cap)
{
	size_t used, not_sent = o->n_cards - (o->n_sent < o->n_cards ? o->n_sent : o->n_cards);
	char stamp[32], when[32];
	struct tm tm;
	const size_t parts[] = { o->n_settled, o->n_unknown, o->n_approval, not_sent };
	bool first = true;

	if (!localtime_r(&o->created, &tm) ||
	    !strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M", &tm))
		snprintf(stamp, sizeof(stamp), "?");
	i18n_date(stamp, when, sizeof(when));
	/* TRANSLATORS: when the order was started, the start of its id, and
	   how many cards it has; its cards' states follow. */
	used = (size_t)snprintf(out, cap, P_("%s  %.8s  %zu card(s):",
					     "%s  %.8s  %zu card(s):", o->n_cards),
				when, o->order_id, o->n_cards);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && used < cap; i++) {
		if (!parts[i])
			continue;
		used += (size_t)snprintf(out + used, cap - used, "%s", first ? " " : ", ");
		first = false;
		if (used < cap)
			used += unfinished_part(out + used, cap - used, (int)i, parts[i]);
	}
	if (o->damaged && used < cap)
		/* TRANSLATORS: an unfinished order whose journal is damaged. */
		snprintf(out + used, cap - used, ", %s", _("DAMAGED"));
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
		labels[0] = _("Not now: go to the order");
		values[0] = "";
		for (size_t i = 0; i < n; i++) {
			unfinished_label(&list[i], text[i], sizeof(text[i]));
			labels[i + 1] = text[i];
			values[i + 1] = list[i].order_id;
		}
		/* the newest is the one a crash just left */
		asked = app_pick(app, _("Unfinished orders: resume one before "
					"anything is sent again"),
				 labels, values, n + 1, 1, false, NULL, NULL,
				 unfinished_answered, NULL, NULL) == KR_PUSH;
	}
	free(labels);
	free(values);
	free(text);
	free(list);
	return asked;
}
