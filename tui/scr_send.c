/* scr_send.c: sending. The network runs on the event loop (submit_step
 * with the terminal's descriptor), so keys are handled at once while
 * requests wait for Qonto or for approvals. */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "fsutil.h"
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

static const struct key_binding send_keys[] = {
	{ 'a', "a", "approve (sandbox)", true },
	{ 'd', "d", "decline (sandbox)", true },
	{ 'c', "c", "cancel", true },
	LIST_KEY_BINDINGS,
	{ 0, NULL, NULL, false },
};

/* Once the order is over: only the way to the results. */
static const struct key_binding sent_keys[] = {
	{ '\n', "Enter", "results", true },
	LIST_KEY_BINDINGS,
	{ 0, NULL, NULL, false },
};

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
	switch (ev->kind) {
	case SUBMIT_EV_QUEUED:
		snprintf(r->state, sizeof(r->state), "queued%s%s", *msg ? ": " : "", msg);
		break;
	case SUBMIT_EV_SENDING: snprintf(r->state, sizeof(r->state), "sending"); break;
	case SUBMIT_EV_APPROVAL:
		r->deadline_ms = app_now_ms() + ev->seconds * 1000;
		snprintf(r->state, sizeof(r->state), "%s",
			 *msg ? msg : "waiting for approval in the Qonto app");
		break;
	case SUBMIT_EV_RETRYING:
		snprintf(r->state, sizeof(r->state), "retrying in %ld s: %s", ev->seconds, msg);
		break;
	case SUBMIT_EV_RENEWING:
		snprintf(r->state, sizeof(r->state), "%s", msg);
		break;
	case SUBMIT_EV_RECONCILING:
		/* the wait for a late attempt can be two minutes: said */
		if (ev->seconds > 0)
			snprintf(r->state, sizeof(r->state),
				 "checking what Qonto has in %ld s: %s", ev->seconds, msg);
		else
			snprintf(r->state, sizeof(r->state), "checking what Qonto has: %s",
				 msg);
		break;
	case SUBMIT_EV_DONE:
		snprintf(r->state, sizeof(r->state), "done%s%s", *msg ? ": " : "", msg);
		break;
	case SUBMIT_EV_FAILED:
		snprintf(r->state, sizeof(r->state), "failed: %s", msg);
		break;
	case SUBMIT_EV_UNKNOWN:
		snprintf(r->state, sizeof(r->state), "outcome unknown%s%s", *msg ? ": " : "",
			 msg);
		break;
	}
}

/* How the order ended, in the title: sent only when cards were made. */
static const char *done_title(struct app *app, const struct sending *st)
{
	size_t counts[RESULT_STATE_COUNT];

	results_count(&app->flow.results, counts);
	if (st->cancelled)
		return "cancelled: press Enter for the results";
	if (counts[RESULT_CREATED] == 0 && counts[RESULT_UNKNOWN] == 0)
		return "nothing was created: press Enter for the results";
	return "sent: press Enter for the results";
}

static void send_draw(struct app *app, struct screen *s)
{
	struct sending *st = s->data;
	size_t counts[RESULT_STATE_COUNT], settled, width;
	int y = 4;
	long left;

	results_count(&app->flow.results, counts);
	settled = counts[RESULT_CREATED] + counts[RESULT_FAILED];
	ui_frame(app, st->finished ? done_title(app, st) : "sending", send_keys_now(s));
	if (st->finished && counts[RESULT_NOT_SENT])
		ui_textf(2, 1, COLS - 2, "%zu of %zu card(s) settled: %zu created, %zu failed, "
			 "%zu not sent%s", settled, app->flow.results.n, counts[RESULT_CREATED],
			 counts[RESULT_FAILED], counts[RESULT_NOT_SENT],
			 counts[RESULT_UNKNOWN] ? ", some outcomes unknown" : "");
	else
		ui_textf(2, 1, COLS - 2, "%zu of %zu card(s) settled: %zu created, %zu failed%s",
			 settled, app->flow.results.n, counts[RESULT_CREATED],
			 counts[RESULT_FAILED],
			 counts[RESULT_UNKNOWN] ? ", some outcomes unknown" : "");
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
			ui_textf(y, 1, COLS - 2, "request %zu (%u cards): %s, %ld:%02ld left",
				 i + 1, r->n_cards, r->state, left > 0 ? left / 60 : 0,
				 left > 0 ? left % 60 : 0);
		else
			ui_textf(y, 1, COLS - 2, "request %zu (%u cards): %s", i + 1,
				 r->n_cards, r->state);
		if (i == st->list.cursor)
			ui_attr(app, UI_SELECTED, false);
	}
}

/* The order is over: no countdown runs on, and the notice says how it
 * ended (a decline or a cancel is not "sent"). */
static void finish(struct app *app, struct sending *st)
{
	size_t counts[RESULT_STATE_COUNT];

	st->finished = true;
	for (size_t i = 0; i < app->progress.n; i++) {
		if (app->progress.lines[i].waiting && st->cancelled)
			snprintf(app->progress.lines[i].state, sizeof(app->progress.lines[i].state),
				 "cancelled while waiting for approval");
		app->progress.lines[i].waiting = false;
	}
	results_count(&app->flow.results, counts);
	if (counts[RESULT_CREATED] || counts[RESULT_UNKNOWN]) {
		app->edits_at_rest = app->edits; /* its cards are Qonto's now */
		app_forget_deleted(app);
	}
	app_notify(app, counts[RESULT_CREATED] == app->flow.results.n ? UI_OK : UI_WARNING,
		   "%s: %zu created, %zu failed, %zu not sent%s; press Enter for the results",
		   st->cancelled ? "cancelled" : counts[RESULT_CREATED] ? "the order is sent"
									   : "nothing was created",
		   counts[RESULT_CREATED], counts[RESULT_FAILED], counts[RESULT_NOT_SENT],
		   counts[RESULT_UNKNOWN] ? ", some outcomes unknown" : "");
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
		app_notify(app, UI_WARNING, "approve or decline in the Qonto app on your "
					    "phone");
		return;
	}
	if (st->list.cursor < app->progress.n && app->progress.lines[st->list.cursor].waiting)
		req = (unsigned)st->list.cursor + 1;
	for (size_t i = 0; !req && i < app->progress.n; i++)
		if (app->progress.lines[i].waiting)
			req = (unsigned)i + 1;
	if (!req) {
		app_notify(app, UI_WARNING, "no request is waiting for approval");
		return;
	}
	if (submit_mock_decide(app->flow.sub, req, allow, &err) != STATUS_OK)
		app_notify(app, UI_ERROR, "%s", err.message);
	else
		app_notify(app, UI_OK, "request %u: %s in the sandbox", req,
			   allow ? "approving" : "declining");
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
		return app_ask(app, "Cancel? Requests already sent will show "
				    "\"outcome unknown\"",
			       cancel_answered, st, NULL);
	case '\n': case '\r':
		if (!st->finished) {
			app_notify(app, UI_WARNING, "still sending; c cancels");
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
	.title = "sending",
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
		app_notify(app, UI_ERROR, "the journal could not be written: %s",
			   app->dir_error);
		return false;
	}
	send_progress_free(&app->progress);
	if (app->resume_id[0]) {
		st = resume(app, &opts, &err);
		if (st != STATUS_OK)
			app_notify(app, UI_ERROR, "could not resume: %s", err.message);
		return st == STATUS_OK;
	}
	app->resumed = false;
	names = directory_holder_names(&app->dir, &app->order);
	st = flow_begin(&app->flow, &app->api, &app->order, app->draft_path, names,
			&opts, &err);
	free(names);
	if (st != STATUS_OK) {
		app_notify(app, UI_ERROR, "could not start: %s", err.message);
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
