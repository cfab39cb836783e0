/* scr_results.c: one row per card of the sent order; details, export,
 * and the failed cards back into the order. */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "follow.h"
#include "i18n.h"
#include "text.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum filter { FILTER_ALL, FILTER_CREATED, FILTER_FAILED };

struct results_view {
	enum filter filter;
	size_t *rows;  /* indices of the shown cards */
	size_t n;
	struct list_view list;
};

/* The actions are translated where they are shown (draw.c, help.c). */
static const struct key_binding results_keys[] = {
	/* TRANSLATORS: the actions of the results screen's keys; those of
	   its key bar (all but "holders to remind") at most as wide as the
	   English */
	{ 'f', "f", N_("filter"), true },
	{ '\n', "Enter", N_("details"), true },
	{ 'x', "x", N_("export"), true },
	{ 'r', "r", N_("retry failed"), true },
	/* TRANSLATORS: u reads the cards again from Qonto */
	{ 'u', "u", N_("update"), true },
	{ 'm', "m", N_("holders to remind"), false },
	/* TRANSLATORS: q goes back to the order; short */
	{ 'q', "q", N_("back"), true },
	LIST_KEY_BINDINGS,
	{ 0, NULL, NULL, false },
};

/* Translated where they are shown. */
static const char *const filter_names[] = {
	/* TRANSLATORS: which cards the results show, in "(showing %s)" */
	N_("all"), N_("created"), N_("failed")
};

static bool shown(const struct card_result *r, enum filter f)
{
	if (f == FILTER_CREATED)
		return r->state == RESULT_CREATED;
	if (f == FILTER_FAILED)
		return r->state != RESULT_CREATED;
	return true;
}

static void refilter(struct app *app, struct results_view *v)
{
	free(v->rows);
	v->rows = calloc(app->flow.results.n ? app->flow.results.n : 1, sizeof(*v->rows));
	v->n = 0;
	for (size_t i = 0; v->rows && i < app->flow.results.n; i++)
		if (shown(&app->flow.results.cards[i], v->filter))
			v->rows[v->n++] = i;
	v->list.cursor = v->list.top = 0;
}

static void limits_text(const struct card_result *r, char *buf, size_t cap)
{
	const struct card_object *c = &r->card;

	/* TRANSLATORS: a card's limits in the results' last column, in
	   euros (the number as is, say 5000); at most 12 columns in all */
	if (r->state == RESULT_CREATED && (c->has_limits & LIMIT_PAYMENT_LIFESPAN))
		snprintf(buf, cap, _("budget %lld"), (long long)c->payment_lifespan_limit);
	else if (r->state == RESULT_CREATED && (c->has_limits & LIMIT_PAYMENT_MONTHLY))
		/* TRANSLATORS: a monthly limit in euros (the number as is,
		   say 5000); at most 12 columns in all */
		snprintf(buf, cap, _("%lld/month"), (long long)c->payment_monthly_limit);
	else if (r->asked.has_limits & LIMIT_PAYMENT_MONTHLY)
		snprintf(buf, cap, _("%lld/month"), (long long)r->asked.limits[0]);
	else
		buf[0] = '\0';
}

/* The columns: the holder's shrinks on a narrow terminal so that the
 * limits keep room for "5000/month". */
struct columns {
	int holder_w, level, status, pan, expiry, limits;
};

static struct columns columns(void)
{
	struct columns c;
	int w = COLS - 55 - 12;

	c.holder_w = w > 22 ? 22 : w < 12 ? 12 : w;
	c.level = 5 + c.holder_w + 1;
	c.status = c.level + 12;
	c.pan = c.status + 10;
	c.expiry = c.pan + 18;
	c.limits = c.expiry + 9;
	return c;
}

static void draw_row(struct app *app, struct results_view *v, size_t k, int y)
{
	struct columns col = columns();
	size_t i = v->rows[k];
	const struct card_result *r = &app->flow.results.cards[i];
	char limits[64], expiry[32];
	bool ok = r->state == RESULT_CREATED;

	limits_text(r, limits, sizeof(limits));
	snprintf(expiry, sizeof(expiry), "%s%s%s", ok && r->card.exp_month ? r->card.exp_month : "",
		 ok && r->card.exp_month ? "/" : "", ok && r->card.exp_year ? r->card.exp_year : "");
	if (k == v->list.cursor) {
		ui_attr(app, UI_SELECTED, true);
		move(y, 0);
		for (int x = 0; x < COLS; x++)
			addch(' ');
	}
	/* * : moved (status, PIN, shipping) at the last reading */
	if (app->follow_changed && i < app->n_follow_changed && app->follow_changed[i])
		ui_textf(y, 0, 5, "%3zu*", i + 1);
	else
		ui_textf(y, 0, 5, "%4zu", i + 1);
	ui_text(y, 5, col.holder_w, r->holder_name ? r->holder_name
					 : r->asked.holder_id ? r->asked.holder_id : "");
	ui_text(y, col.level, 11, ok && r->card.card_level ? r->card.card_level
						    : r->asked.card_level ? r->asked.card_level : "");
	if (k != v->list.cursor)
		ui_attr(app, ok ? UI_OK : UI_ERROR, true);
	ui_text(y, col.status, 9, results_status_label(r));
	if (k != v->list.cursor)
		ui_attr(app, ok ? UI_OK : UI_ERROR, false);
	if (ok) {
		ui_text(y, col.pan, 17, r->card.mask_pan ? r->card.mask_pan : "");
		ui_text(y, col.expiry, 8, expiry);
		ui_text(y, col.limits, COLS - col.limits, limits);
	} else {
		ui_textf(y, col.pan, COLS - col.pan, "%s%s%s", r->error_field[0] ? r->error_field : "",
			 r->error_field[0] ? ": " : "", r->error_detail ? results_detail_label(r) : "");
	}
	if (k == v->list.cursor)
		ui_attr(app, UI_SELECTED, false);
}

/* The counts of created, failed and not sent cards, as the title says
 * them (scr_send.c says them alike). */
static void counts_text(const size_t *counts, char *created, char *failed,
			char *not_sent, size_t cap)
{
	/* TRANSLATORS: counts of cards in the results and while sending;
	   English keeps one form, give your language's singular and plural */
	snprintf(created, cap, P_("%zu created", "%zu created", counts[RESULT_CREATED]),
		 counts[RESULT_CREATED]);
	snprintf(failed, cap, P_("%zu failed", "%zu failed", counts[RESULT_FAILED]),
		 counts[RESULT_FAILED]);
	snprintf(not_sent, cap, P_("%zu not sent", "%zu not sent", counts[RESULT_NOT_SENT]),
		 counts[RESULT_NOT_SENT]);
}

static void results_draw(struct app *app, struct screen *s)
{
	struct results_view *v = s->data;
	size_t counts[RESULT_STATE_COUNT];
	int rows = LINES - 6;
	char title[320], created[64], failed[64], not_sent[64];
	const char *showing = _(filter_names[v->filter]);
	struct columns col = columns();
	char when[24] = "";
	struct tm tm;

	if (app->follow_at) {
		localtime_r(&app->follow_at, &tm);
		strftime(when, sizeof(when), "%H:%M", &tm);
	}
	results_count(&app->flow.results, counts);
	counts_text(counts, created, failed, not_sent, sizeof(created));
	/* cards not sent (a cancel) are not failures: counted apart; the
	 * time of the last reading is said when there is room */
	if (counts[RESULT_NOT_SENT] && counts[RESULT_UNKNOWN])
		/* TRANSLATORS: the results' title: "3 created", "1 failed",
		   "2 not sent", then which cards are shown ("all") */
		snprintf(title, sizeof(title), _("results: %s, %s, %s, some unknown: run "
						 "cardorder resume (showing %s)"),
			 created, failed, not_sent, showing);
	else if (counts[RESULT_NOT_SENT])
		/* TRANSLATORS: the results' title: "3 created", "1 failed",
		   "2 not sent", then which cards are shown ("all") */
		snprintf(title, sizeof(title), _("results: %s, %s, %s (showing %s)"),
			 created, failed, not_sent, showing);
	else if (counts[RESULT_UNKNOWN] && when[0])
		/* TRANSLATORS: the results' title: "3 created", "1 failed",
		   which cards are shown ("all"), and the time Qonto was read
		   ("14:05") */
		snprintf(title, sizeof(title), _("results: %s, %s, some unknown: run "
						 "cardorder resume (showing %s, Qonto at %s)"),
			 created, failed, showing, when);
	else if (counts[RESULT_UNKNOWN])
		/* TRANSLATORS: the results' title: "3 created", "1 failed",
		   then which cards are shown ("all") */
		snprintf(title, sizeof(title), _("results: %s, %s, some unknown: run "
						 "cardorder resume (showing %s)"),
			 created, failed, showing);
	else if (when[0])
		/* TRANSLATORS: the results' title: "3 created", "1 failed",
		   which cards are shown ("all"), and the time Qonto was read
		   ("14:05") */
		snprintf(title, sizeof(title), _("results: %s, %s (showing %s, Qonto at %s)"),
			 created, failed, showing, when);
	else
		/* TRANSLATORS: the results' title: "3 created", "1 failed",
		   then which cards are shown ("all") */
		snprintf(title, sizeof(title), _("results: %s, %s (showing %s)"),
			 created, failed, showing);
	ui_frame(app, title, results_keys);
	/* the header at the columns of the rows (draw_row) */
	ui_attr(app, UI_DIM, true);
	ui_text(2, 3, 2, "#");
	/* TRANSLATORS: the results' column headers: holder (12 columns at
	   least), level (11), status (9), PAN / problem (17), expiry (8),
	   limits (12); the English widths are kept where they can be */
	ui_text(2, 5, col.holder_w, _("holder"));
	ui_text(2, col.level, 11, _("level"));
	ui_text(2, col.status, 9, _("status"));
	ui_text(2, col.pan, 17, _("PAN / problem"));
	ui_text(2, col.expiry, 8, _("expiry"));
	ui_text(2, col.limits, COLS - col.limits, _("limits"));
	ui_attr(app, UI_DIM, false);
	list_fit(&v->list, v->n, rows);
	for (size_t k = v->list.top; k < v->n && (int)(k - v->list.top) < rows; k++)
		draw_row(app, v, k, 3 + (int)(k - v->list.top));
}

static void export_to(struct app *app, const char *path)
{
	struct status_error err = { 0 };

	if (flow_export(&app->flow, path, app_csv_format(app),
			&err) != STATUS_OK)
		app_notify(app, UI_ERROR, _("not exported: %s"), err.message);
	else
		app_notify(app, UI_OK, P_("%zu row(s) written to %s", "%zu row(s) written to %s",
					  app->flow.results.n), app->flow.results.n, path);
}

/* Asks for a path (a dated default), and writes the results there. */
static enum key_result export_results(struct app *app)
{
	char name[64];

	return app_prompt_file(app, _("Export to (.csv or .json):"),
			       app_dated_name("results", name, sizeof(name)), _("not exported"),
			       export_to);
}

static void remind_to(struct app *app, const char *path)
{
	struct status_error err = { 0 };
	size_t n = 0;

	if (follow_export_reminders(&app->flow.results, path,
				    app_csv_format(app), &n,
				    &err) != STATUS_OK)
		app_notify(app, UI_ERROR, _("not written: %s"), err.message);
	else
		app_notify(app, UI_OK, P_("%zu holder(s) to remind (no PIN set yet) written "
					  "to %s",
					  "%zu holder(s) to remind (no PIN set yet) written "
					  "to %s", n), n, path);
}

/* The holders whose physical card waits for its PIN, as a CSV. */
static enum key_result export_reminders(struct app *app)
{
	char name[64];

	return app_prompt_file(app, _("Holders to remind, to (.csv):"),
			       app_dated_name("remind", name, sizeof(name)), _("not written"),
			       remind_to);
}

/* The cards that were not created go back into the order, with what
 * Qonto said; the created ones leave it. */
bool app_retry_failed(struct app *app)
{
	size_t kept = 0, counts[RESULT_STATE_COUNT];

	results_count(&app->flow.results, counts);
	if (counts[RESULT_CREATED] == app->flow.results.n) {
		/* nothing to retry: the results stay, and say why */
		app_notify(app, UI_OK, P_("nothing failed: all %zu card(s) were created",
					  "nothing failed: all %zu card(s) were created",
					  app->flow.results.n), app->flow.results.n);
		return false;
	}
	if (app->resumed) {
		/* the draft holds other cards than this order */
		app_notify(app, UI_WARNING, "%s", _("this order was resumed: its cards are "
						      "not in the draft; export the results to "
						      "see the failed ones"));
		return false;
	}
	if (!app->flow.journal.finished) {
		/* its cards not sent yet would go twice: once in a new order,
		 * once when it is resumed */
		/* TRANSLATORS: the order's id (8 characters) */
		app_notify(app, UI_WARNING, _("order %.8s is not finished: resume it "
					      "(start cardorder again) rather than "
					      "sending its cards as a new order"),
			   app->flow.journal.order_id);
		return false;
	}

	for (size_t i = app->draft.n; i-- > 0;) {
		if (i >= app->flow.results.n || app->flow.results.cards[i].state != RESULT_CREATED) {
			if (i < app->flow.results.n && app->flow.results.cards[i].error_detail)
				draft_note(&app->draft.cards[i], app->flow.results.cards[i].error_field,
					   app->flow.results.cards[i].error_detail);
			kept++;
			continue;
		}
		draft_remove(&app->draft, i);
	}
	app_order_changed(app);
	app_notify(app, UI_WARNING, P_("%zu card(s) back in the order; fix them and send again",
				       "%zu card(s) back in the order; fix them and send again",
				       kept), kept);
	return true;
}

static enum key_result results_key(struct app *app, struct screen *s, wint_t ch,
				   bool is_key)
{
	struct results_view *v = s->data;
	enum key_result kr;

	if (list_take_key(&v->list, v->n, &ch, is_key, &kr))
		return kr;
	switch (ch) {
	case 'f':
		v->filter = (enum filter)((v->filter + 1) % 3);
		refilter(app, v);
		return KR_REDRAW;
	case '\n': case '\r':
		if (v->n)
			return app_open_details(app, v->rows[v->list.cursor]);
		return KR_REDRAW;
	case 'x': return export_results(app);
	case 'm': return export_reminders(app);
	case 'u':
		app_follow_start(app);
		return KR_REDRAW;
	case 'r':
		return app_retry_failed(app) ? KR_CLOSE : KR_REDRAW;
	case 'q': case 27:
		return KR_CLOSE;
	default:
		return KR_IGNORED;
	}
}

static void results_free_view(void *data)
{
	struct results_view *v = data;

	if (v)
		free(v->rows);
	free(v);
}

static const struct screen_ops results_ops;

struct screen *results_screen_new(struct app *app)
{
	struct results_view *v = calloc(1, sizeof(*v));
	size_t counts[RESULT_STATE_COUNT];

	if (!v)
		return NULL;
	/* the last look at the cards, if there was one; an order sent
	 * earlier (resumed) is read again at once */
	if (strcmp(app->follow_order, app->flow.journal.order_id) != 0) {
		app_follow_reset(app); /* another order than the one read */
		snprintf(app->follow_order, sizeof(app->follow_order), "%s",
			 app->flow.journal.order_id);
	}
	if (!app->follow_at)
		app_follow_last(app);
	results_count(&app->flow.results, counts);
	if (app->resumed && counts[RESULT_CREATED] && !app->follow_loader &&
	    !app->follow_changed)
		app_follow_start(app);
	refilter(app, v);
	for (size_t i = 0; i < app->flow.results.n; i++) {
		struct card_result *r = &app->flow.results.cards[i];
		const char *name = app_holder_name(app, r->asked.holder_id);

		if (!r->holder_name && name)
			r->holder_name = strdup(name);
	}
	results_count(&app->flow.results, counts);
	/* Everything created: the draft has served its purpose. */
	if (!app->resumed && counts[RESULT_CREATED] == app->flow.results.n &&
	    app->flow.results.n == app->draft.n) {
		while (app->draft.n)
			draft_remove(&app->draft, app->draft.n - 1);
		app_order_changed(app);
	}
	return screen_new(&results_ops, v);
}

static const struct screen_ops results_ops = {
	/* TRANSLATORS: the name of a screen, as in "Keys of the %s screen" */
	.title = N_("results"),
	.keys = results_keys,
	.draw = results_draw,
	.key = results_key,
	.free = results_free_view,
};
