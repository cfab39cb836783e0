/* scr_send.c: sending. The network runs on the event loop (submit_step
 * with the terminal's descriptor), so keys are handled at once while
 * requests wait for Qonto or for approvals. */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "fsutil.h"
#include "i18n.h"
#include "payload.h"
#include "text.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the screen itself keeps: the progress is the app's. */
struct sending {
	struct list_view list;
	bool finished;
	bool cancelled;
};

/* The actions are translated where they are shown (draw.c, help.c). */
static const struct key_binding send_keys[] = {
	/* TRANSLATORS: the actions of the sending screen's keys, in its key
	   bar: each at most as wide as the English */
	{ 'a', "a", N_("approve (sandbox)"), true },
	{ 'd', "d", N_("decline (sandbox)"), true },
	{ 'c', "c", N_("cancel"), true },
	LIST_KEY_BINDINGS,
	{ 0, NULL, NULL, false },
};

/* Once the order is over: only the way to the results. */
static const struct key_binding sent_keys[] = {
	/* TRANSLATORS: Enter opens the results */
	{ '\n', "Enter", N_("results"), true },
	LIST_KEY_BINDINGS,
	{ 0, NULL, NULL, false },
};

/* The counts of created, failed and not sent cards, as the results'
 * title says them (scr_results.c). */
static void counts_text(const size_t *counts, char *created, char *failed,
			char *not_sent, size_t cap)
{
	snprintf(created, cap, P_("%zu created", "%zu created", counts[RESULT_CREATED]),
		 counts[RESULT_CREATED]);
	snprintf(failed, cap, P_("%zu failed", "%zu failed", counts[RESULT_FAILED]),
		 counts[RESULT_FAILED]);
	snprintf(not_sent, cap, P_("%zu not sent", "%zu not sent", counts[RESULT_NOT_SENT]),
		 counts[RESULT_NOT_SENT]);
}

static const struct key_binding *send_keys_now(struct screen *s)
{
	return ((struct sending *)s->data)->finished ? sent_keys : send_keys;
}

static bool grow(struct send_progress *p, size_t n)
{
	struct request_line *grown;

	if (n <= p->n)
		return true;
	grown = realloc(p->lines, n * sizeof(*grown));
	if (!grown)
		return false;
	memset(grown + p->n, 0, (n - p->n) * sizeof(*grown));
	p->lines = grown;
	p->n = n;
	return true;
}

void send_progress_free(struct send_progress *p)
{
	free(p->lines);
	p->lines = NULL;
	p->n = 0;
}

void send_progress_event(void *user, const struct submit_event *ev)
{
	struct app *app = user;
	struct send_progress *p = &app->progress;
	struct request_line *r;
	const char *msg = ev->message ? ev->message : "";

	if (!grow(p, ev->n_requests) || ev->request == 0 || ev->request > p->n)
		return;
	r = &p->lines[ev->request - 1];
	r->n_cards = ev->n_cards;
	r->waiting = ev->kind == SUBMIT_EV_APPROVAL;
	/* The states of a request, shown after "request 2 (50 cards): ";
	 * msg is what the flow said (translated there). */
	switch (ev->kind) {
	case SUBMIT_EV_QUEUED:
		if (*msg)
			/* TRANSLATORS: a request's state; %s says why */
			snprintf(r->state, sizeof(r->state), _("queued: %s"), msg);
		else
			/* TRANSLATORS: a request's state */
			snprintf(r->state, sizeof(r->state), "%s", _("queued"));
		break;
	case SUBMIT_EV_SENDING:
		snprintf(r->state, sizeof(r->state), "%s", C_("request state", "sending"));
		break;
	case SUBMIT_EV_APPROVAL:
		r->deadline_ms = app_now_ms() + ev->seconds * 1000;
		snprintf(r->state, sizeof(r->state), "%s",
			 *msg ? msg : _("waiting for approval in the Qonto app"));
		break;
	case SUBMIT_EV_RETRYING:
		/* TRANSLATORS: a request's state: seconds, and why */
		snprintf(r->state, sizeof(r->state), _("retrying in %ld s: %s"), ev->seconds, msg);
		break;
	case SUBMIT_EV_RENEWING:
		snprintf(r->state, sizeof(r->state), "%s", msg);
		break;
	case SUBMIT_EV_RECONCILING:
		/* the wait for a late attempt can be two minutes: said */
		if (ev->seconds > 0)
			/* TRANSLATORS: a request's state: in how many seconds
			   Qonto is asked which cards it made, and why */
			snprintf(r->state, sizeof(r->state),
				 _("checking what Qonto has in %ld s: %s"), ev->seconds, msg);
		else
			/* TRANSLATORS: a request's state: Qonto is asked which
			   cards it made; %s says why */
			snprintf(r->state, sizeof(r->state), _("checking what Qonto has: %s"),
				 msg);
		break;
	case SUBMIT_EV_DONE:
		if (*msg)
			/* TRANSLATORS: a request's state; %s says how it went */
			snprintf(r->state, sizeof(r->state), _("done: %s"), msg);
		else
			snprintf(r->state, sizeof(r->state), "%s", C_("request state", "done"));
		break;
	case SUBMIT_EV_FAILED:
		/* TRANSLATORS: a request's state; %s says why */
		snprintf(r->state, sizeof(r->state), _("failed: %s"), msg);
		break;
	case SUBMIT_EV_UNKNOWN:
		if (*msg)
			/* TRANSLATORS: a request's state: whether Qonto made its
			   cards is not known; %s says why */
			snprintf(r->state, sizeof(r->state), _("outcome unknown: %s"), msg);
		else
			snprintf(r->state, sizeof(r->state), "%s",
				 C_("request state", "outcome unknown"));
		break;
	}
}

/* How the order ended, in the title: sent only when cards were made. */
static const char *done_title(struct app *app, const struct sending *st)
{
	size_t counts[RESULT_STATE_COUNT];

	results_count(&app->flow.results, counts);
	if (st->cancelled)
		return _("cancelled: press Enter for the results");
	if (counts[RESULT_CREATED] == 0 && counts[RESULT_UNKNOWN] == 0)
		return _("nothing was created: press Enter for the results");
	return _("sent: press Enter for the results");
}

static void send_draw(struct app *app, struct screen *s)
{
	struct sending *st = s->data;
	size_t counts[RESULT_STATE_COUNT], settled, width;
	int y = 4;
	long left;

	char created[64], failed[64], not_sent[64];

	results_count(&app->flow.results, counts);
	counts_text(counts, created, failed, not_sent, sizeof(created));
	settled = counts[RESULT_CREATED] + counts[RESULT_FAILED];
	ui_frame(app, st->finished ? done_title(app, st) : _("sending"), send_keys_now(s));
	/* TRANSLATORS: the sending screen's count: cards settled (the plural
	   follows them), of how many, then "3 created", "1 failed", "2 not
	   sent" */
	if (st->finished && counts[RESULT_NOT_SENT] && counts[RESULT_UNKNOWN])
		ui_textf(2, 1, COLS - 2,
			 P_("%zu of %zu card(s) settled: %s, %s, %s, some outcomes unknown",
			    "%zu of %zu card(s) settled: %s, %s, %s, some outcomes unknown",
			    settled),
			 settled, app->flow.results.n, created, failed, not_sent);
	else if (st->finished && counts[RESULT_NOT_SENT])
		ui_textf(2, 1, COLS - 2,
			 P_("%zu of %zu card(s) settled: %s, %s, %s",
			    "%zu of %zu card(s) settled: %s, %s, %s", settled),
			 settled, app->flow.results.n, created, failed, not_sent);
	else if (counts[RESULT_UNKNOWN])
		ui_textf(2, 1, COLS - 2,
			 P_("%zu of %zu card(s) settled: %s, %s, some outcomes unknown",
			    "%zu of %zu card(s) settled: %s, %s, some outcomes unknown",
			    settled),
			 settled, app->flow.results.n, created, failed);
	else
		ui_textf(2, 1, COLS - 2,
			 P_("%zu of %zu card(s) settled: %s, %s",
			    "%zu of %zu card(s) settled: %s, %s", settled),
			 settled, app->flow.results.n, created, failed);
	width = (size_t)(COLS - 4);
	move(3, 1);
	addch('[');
	for (size_t x = 0; x < width - 2; x++)
		addch(app->flow.results.n && x < (width - 2) * settled / app->flow.results.n ? '#' : '.');
	addch(']');
	list_fit(&st->list, app->progress.n, LINES - 3 - y);
	for (size_t i = st->list.top; i < app->progress.n && y < LINES - 3; i++, y++) {
		struct request_line *r = &app->progress.lines[i];

		if (i == st->list.cursor)
			ui_attr(app, UI_SELECTED, true);
		left = r->waiting ? (long)((r->deadline_ms - app_now_ms()) / 1000) : 0;
		if (r->waiting)
			/* TRANSLATORS: a request, its cards, its state, and the
			   minutes:seconds left to approve it */
			ui_textf(y, 1, COLS - 2,
				 P_("request %zu (%u cards): %s, %ld:%02ld left",
				    "request %zu (%u cards): %s, %ld:%02ld left", r->n_cards),
				 i + 1, r->n_cards, r->state, left > 0 ? left / 60 : 0,
				 left > 0 ? left % 60 : 0);
		else
			/* TRANSLATORS: a request, its cards, and its state */
			ui_textf(y, 1, COLS - 2,
				 P_("request %zu (%u cards): %s", "request %zu (%u cards): %s",
				    r->n_cards),
				 i + 1, r->n_cards, r->state);
		if (i == st->list.cursor)
			ui_attr(app, UI_SELECTED, false);
	}
}

/* The order is over: no countdown runs on, and the notice says how it
 * ended (a decline or a cancel is not "sent"). */
static void finish(struct app *app, struct sending *st)
{
	size_t counts[RESULT_STATE_COUNT];
	char created[64], failed[64], not_sent[64];
	const char *how;

	st->finished = true;
	for (size_t i = 0; i < app->progress.n; i++) {
		if (app->progress.lines[i].waiting && st->cancelled)
			snprintf(app->progress.lines[i].state, sizeof(app->progress.lines[i].state),
				 /* TRANSLATORS: a request's state */
				 "%s", _("cancelled while waiting for approval"));
		app->progress.lines[i].waiting = false;
	}
	results_count(&app->flow.results, counts);
	if (counts[RESULT_CREATED] || counts[RESULT_UNKNOWN]) {
		app->edits_at_rest = app->edits; /* its cards are Qonto's now */
		app_forget_deleted(app);
	}
	counts_text(counts, created, failed, not_sent, sizeof(created));
	/* TRANSLATORS: how the order ended, in the notice after sending */
	how = st->cancelled ? _("cancelled") : counts[RESULT_CREATED] ? _("the order is sent")
								       : _("nothing was created");
	if (counts[RESULT_UNKNOWN])
		/* TRANSLATORS: how the order ended ("the order is sent"), then
		   "3 created", "1 failed", "0 not sent" */
		app_notify(app, counts[RESULT_CREATED] == app->flow.results.n ? UI_OK : UI_WARNING,
			   _("%s: %s, %s, %s, some outcomes unknown; press Enter for the results"),
			   how, created, failed, not_sent);
	else
		/* TRANSLATORS: how the order ended ("the order is sent"), then
		   "3 created", "1 failed", "0 not sent" */
		app_notify(app, counts[RESULT_CREATED] == app->flow.results.n ? UI_OK : UI_WARNING,
			   _("%s: %s, %s, %s; press Enter for the results"),
			   how, created, failed, not_sent);
}

static void send_tick(struct app *app, struct screen *s)
{
	struct sending *st = s->data;

	if (st->finished)
		return;
	/* the flow stepped in the loop; a last step tells whether it is over */
	if (!flow_step(&app->flow, 0, NULL, 0))
		finish(app, st);
}

static void decide(struct app *app, struct sending *st, bool allow)
{
	struct status_error err = { 0 };
	unsigned req = 0;

	if (!app->sandbox) {
		app_notify(app, UI_WARNING, "%s", _("approve or decline in the Qonto app on your "
						      "phone"));
		return;
	}
	if (st->list.cursor < app->progress.n && app->progress.lines[st->list.cursor].waiting)
		req = (unsigned)st->list.cursor + 1;
	for (size_t i = 0; !req && i < app->progress.n; i++)
		if (app->progress.lines[i].waiting)
			req = (unsigned)i + 1;
	if (!req) {
		app_notify(app, UI_WARNING, "%s", _("no request is waiting for approval"));
		return;
	}
	if (submit_mock_decide(app->flow.sub, req, allow, &err) != STATUS_OK)
		app_notify(app, UI_ERROR, "%s", err.message);
	else if (allow)
		app_notify(app, UI_OK, _("request %u: approving in the sandbox"), req);
	else
		app_notify(app, UI_OK, _("request %u: declining in the sandbox"), req);
}

static void cancel_answered(struct app *app, bool yes, void *ctx)
{
	struct sending *st = ctx; /* the sending screen, under the dialog */

	if (!yes || st->finished)
		return;
	flow_cancel(&app->flow);
	st->cancelled = true;
	finish(app, st);
}

static enum key_result send_key(struct app *app, struct screen *s, wint_t ch,
				bool is_key)
{
	struct sending *st = s->data;
	enum key_result kr;

	if (list_take_key(&st->list, app->progress.n, &ch, is_key, &kr))
		return kr;
	switch (ch) {
	case 'a': case 'd':
		if (st->finished)
			return KR_IGNORED;
		decide(app, st, ch == 'a');
		return KR_REDRAW;
	case 'c':
		if (st->finished)
			return KR_IGNORED;
		/* TRANSLATORS: "outcome unknown" as a request's state says it */
		return app_ask(app, _("Cancel? Requests already sent will show "
				      "\"outcome unknown\""),
			       cancel_answered, st, NULL);
	case '\n': case '\r':
		if (!st->finished) {
			/* TRANSLATORS: c is the key */
			app_notify(app, UI_WARNING, "%s", _("still sending; c cancels"));
			return KR_REDRAW;
		}
		/* The results replace review and sending. */
		return app_open(app, SCREEN_RESULTS, 0, NULL);
	default:
		return KR_IGNORED;
	}
}

static void send_free(void *data)
{
	free(data);
}

static const struct screen_ops send_ops = {
	/* TRANSLATORS: the name of a screen, as in "Keys of the %s screen",
	   and its title while the order is sent */
	.title = N_("sending"),
	.keys = send_keys,
	.keys_now = send_keys_now,
	.draw = send_draw,
	.key = send_key,
	.tick = send_tick,
	.free = send_free,
};

/* An unfinished order from its journal (as `cardorder resume`): it goes
 * back where it was sent, where its cards are. */
static enum status resume(struct app *app, const struct submit_options *opts,
			  struct status_error *err)
{
	enum status st;

	if (!app->api_ready || !app->api.base_url) {
		app->resume_id[0] = '\0';
		return status_set(err, STATUS_AUTH,
				  "not logged in to Qonto with the right to create "
				  "cards: run cardorder login, then resume");
	}
	st = flow_open(&app->flow, app->resume_id, err);
	app->resume_id[0] = '\0';
	if (st != STATUS_OK)
		return st;
	if (strcmp(app->flow.journal.base_url, app->api.base_url) != 0)
		return status_set(err, STATUS_USAGE,
				  "order %.8s was sent to %s, not %s: resume it with "
				  "cardorder resume %s",
				  app->flow.journal.order_id, app->flow.journal.base_url,
				  app->api.base_url, app->flow.journal.order_id);
	app->resumed = true;
	return flow_resume(&app->flow, &app->api, opts, err);
}

/* Journal, plan, start: everything on disk before the first byte. */
static bool start(struct app *app)
{
	/* the audit log says who ordered */
	struct submit_options opts = { .who = app->dir.initiator_name };
	struct status_error err = { 0 };
	char *names;
	enum status st;

	if (!app->flow_ready) {
		app_notify(app, UI_ERROR, _("the journal could not be written: %s"),
			   app->dir_error);
		return false;
	}
	send_progress_free(&app->progress);
	if (app->resume_id[0]) {
		st = resume(app, &opts, &err);
		if (st != STATUS_OK)
			app_notify(app, UI_ERROR, _("could not resume: %s"), err.message);
		return st == STATUS_OK;
	}
	app->resumed = false;
	names = directory_holder_names(&app->dir, &app->order);
	st = flow_begin(&app->flow, &app->api, &app->order, app->draft_path, names,
			&opts, &err);
	free(names);
	if (st != STATUS_OK) {
		app_notify(app, UI_ERROR, _("could not start: %s"), err.message);
		return false;
	}
	order_free(&app->sent);
	for (size_t i = 0; i < app->order.n_cards; i++)
		if (!order_append_copy(&app->sent, &app->order.cards[i])) {
			order_free(&app->sent); /* the details show less */
			break;
		}
	return true;
}

struct screen *send_screen_new(struct app *app)
{
	struct sending *st = calloc(1, sizeof(*st));

	if (!st || !start(app)) { /* start() says why */
		free(st);
		return NULL;
	}
	return screen_new(&send_ops, st);
}
