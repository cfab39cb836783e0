/* tui.c: start-up, the event loop and the screen stack. */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "fsutil.h"
#include "http.h"
#include "i18n.h"
#include "reader.h"
#include "text.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <term.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define DRAFT_SAVE_DELAY_MS 300

static volatile sig_atomic_t stop_requested;
static struct termios saved_termios;
static bool termios_saved;
static char reset_seq[256];
static size_t reset_len;

long long app_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* A crash: put the terminal back with async-signal-safe calls only, then
 * die as the signal says (so that cores and sanitizer reports happen). */
static void on_crash(int sig)
{
	if (reset_len)
		(void)!write(STDOUT_FILENO, reset_seq, reset_len);
	if (termios_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void capture_reset(void)
{
	const char *caps[] = { "rmcup", "sgr0", "cnorm" };
	char *s;

	for (size_t i = 0; i < 3; i++) {
		s = tigetstr((char *)(uintptr_t)caps[i]);
		if (s && s != (char *)-1 && reset_len + strlen(s) < sizeof(reset_seq)) {
			/* bytes for write(2), not a C string */
			memcpy(reset_seq + reset_len, s, strlen(s)); /* NOLINT(bugprone-not-null-terminated-result) */
			reset_len += strlen(s);
		}
	}
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_crash;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
}

static void init_colors(struct app *app)
{
	app->color = has_colors();
	if (!app->color)
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_CYAN, -1);          /* title */
	init_pair(2, COLOR_BLACK, COLOR_CYAN); /* key bar */
	init_pair(3, COLOR_RED, -1);           /* error */
	init_pair(4, COLOR_YELLOW, -1);        /* warning */
	init_pair(5, COLOR_GREEN, -1);         /* ok */
	init_pair(6, COLOR_BLACK, COLOR_WHITE);/* selected */
	init_pair(7, COLOR_BLUE, -1);          /* dim */
	init_pair(8, COLOR_BLACK, COLOR_YELLOW);/* sandbox banner */
	init_pair(9, COLOR_WHITE, COLOR_RED);  /* production banner */
}

static bool start_curses(struct app *app, bool no_color)
{
	const char *nc = getenv("NO_COLOR");

	if (tcgetattr(STDIN_FILENO, &saved_termios) == 0)
		termios_saved = true;
	if (!newterm(NULL, stdout, stdin)) {
		fprintf(stderr, _("cardorder: this terminal (TERM=%s) is not known\n"),
			getenv("TERM") ? getenv("TERM") : "");
		return false;
	}
	if (!tigetstr((char *)(uintptr_t)"cup") || tigetstr((char *)(uintptr_t)"cup") == (char *)-1) {
		endwin();
		fputs(_("cardorder: this terminal cannot place the cursor; "
			"use the commands (cardorder --help)\n"), stderr);
		return false;
	}
	capture_reset();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (!no_color && !(nc && *nc))
		init_colors(app);
	install_signals();
	return true;
}

struct screen *screen_new(const struct screen_ops *ops, void *data)
{
	struct screen *s = data ? calloc(1, sizeof(*s)) : NULL;

	if (!s) {
		ops->free(data);
		return NULL;
	}
	s->ops = ops;
	s->data = data;
	return s;
}

void screen_free(struct screen *s)
{
	if (!s)
		return;
	s->ops->free(s->data);
	free(s);
}

/* A request not taken (another replaced it) frees what it holds. */
static void request_drop(struct screen_request *rq)
{
	if (rq->pending)
		screen_free(rq->ready);
	memset(rq, 0, sizeof(*rq));
}

enum key_result app_open(struct app *app, enum screen_id id, size_t card,
			 const bool *marked)
{
	request_drop(&app->open);
	app->open = (struct screen_request){ .id = id, .card = card,
					     .marked = marked, .pending = true };
	return KR_PUSH;
}

enum key_result app_open_ready(struct app *app, struct screen *s)
{
	if (!s)
		return KR_REDRAW; /* out of memory: the dialog's maker said so */
	app_open(app, SCREEN_READY, 0, NULL);
	app->open.ready = s;
	return KR_PUSH;
}

/* Makes the screen the last key asked for. */
static void open_requested(struct app *app)
{
	struct screen_request rq = app->open;

	memset(&app->open, 0, sizeof(app->open));
	if (!rq.pending)
		return;
	switch (rq.id) {
	case SCREEN_EDITOR:
		app_push(app, editor_screen_new(app, rq.card));
		break;
	case SCREEN_TEMPLATE:
		app_push(app, template_screen_new(app, rq.marked));
		break;
	case SCREEN_REVIEW:
		app_push(app, review_screen_new(app));
		break;
	case SCREEN_SEND:
		app_push(app, send_screen_new(app));
		break;
	case SCREEN_RESULTS:
		app_back_to_order(app);
		app_push(app, results_screen_new(app));
		break;
	case SCREEN_HELP:
		app_push(app, help_screen_new(app->stack[app->depth - 1]));
		break;
	case SCREEN_READY:
		app_push(app, rq.ready);
		break;
	}
}

void app_push(struct app *app, struct screen *s)
{
	if (!s)
		return;
	if (app->depth == (int)(sizeof(app->stack) / sizeof(app->stack[0]))) {
		screen_free(s);
		return;
	}
	/* A notice is about the screen it was given on; the first screen
	 * keeps those of the start (draft opened, file read). */
	if (app->depth > 0)
		app->message[0] = '\0';
	app->stack[app->depth++] = s;
}

/* keep_notice: the notice was given by the key that closed the screen
 * ("template applied"), so it is about the screen below. */
static void pop(struct app *app, bool keep_notice)
{
	struct screen *s = app->stack[--app->depth];

	screen_free(s);
	if (!keep_notice)
		app->message[0] = '\0';
}

void app_back_to_order(struct app *app)
{
	while (app->depth > 1)
		pop(app, false);
}

void app_notify(struct app *app, enum ui_role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->message, sizeof(app->message), fmt, ap);
	va_end(ap);
	app->message_role = role;
	app->message_count++;
}

const char *app_holder_name(const struct app *app, const char *id)
{
	static char name[256];
	const struct member *m = id ? directory_member(&app->dir, id) : NULL;

	if (!m)
		return NULL;
	snprintf(name, sizeof(name), "%s %s", m->first_name ? m->first_name : "",
		 m->last_name ? m->last_name : "");
	return name;
}

struct flow_context app_check_context(const struct app *app)
{
	/* names are looked up in a directory read whole, never in a half
	 * read one (every name would be "unknown" meanwhile) */
	struct flow_context ctx = { .session = &app->session,
				    .dir = app->dir_loaded ? &app->dir : NULL };

	return ctx;
}

enum flow_strictness app_strictness(const struct app *app)
{
	/* names wait for the directory while it is read; after, the order
	 * screen is as strict as the review, so that their counts agree */
	return app_loading(app) ? FLOW_DRAFT : FLOW_FINAL;
}

void app_order_changed(struct app *app)
{
	order_free(&app->order);
	problems_clear(&app->problems);
	draft_to_order(&app->draft, &app->order, &app->problems, NULL);
	if (app->order.n_cards > 0) {
		struct flow_context ctx = app_check_context(app);

		flow_check_order(&ctx, &app->order, app_strictness(app), &app->problems);
	}
	app->draft_dirty = true;
	app->draft_changed_ms = app_now_ms();
	app->edits++;
}

/* One card changed (a keystroke in the editor): only its problems are
 * computed again, so typing stays instant in a large order. */
void app_card_changed(struct app *app, size_t i)
{
	struct flow_context ctx = app_check_context(app);

	if (i >= app->order.n_cards || i >= app->draft.n) {
		app_order_changed(app);
		return;
	}
	problems_remove_card(&app->problems, i);
	draft_card_to(&app->draft.cards[i], i, &app->order.cards[i], &app->problems);
	flow_check_card(&ctx, &app->order.cards[i], i, app_strictness(app), &app->problems);
	problems_sort(&app->problems);
	app->draft_dirty = true;
	app->draft_changed_ms = app_now_ms();
	app->edits++;
}

static void save_draft(struct app *app, bool now)
{
	/* While an earlier draft is offered, its file is the person's to
	 * keep or set aside: nothing is written over it. */
	if (!app->draft_dirty || !app->draft_path || app->draft_offered)
		return;
	if (!now && app_now_ms() - app->draft_changed_ms < DRAFT_SAVE_DELAY_MS)
		return;
	if (app->draft.n == 0) {
		unlink(app->draft_path);
	} else if (draft_save(&app->draft, app->draft_path, NULL) != STATUS_OK) {
		app_notify(app, UI_ERROR, _("the draft could not be saved in %s"),
			   app->draft_path);
		return;
	}
	app->draft_dirty = false;
}

/* Base URL and credentials by precedence (session.h); the lists behind
 * the pickers. Without credentials the screens still work offline. */
static void connect_api(struct app *app, const struct tui_options *o)
{
	struct session_options so = { .base_url = o->base_url, .sandbox = o->sandbox,
				      .config_path = o->config,
				      .renew_on_loop = true };
	struct status_error err = { 0 };
	enum status st = session_open(&app->session, &app->api, &so, &err);

	if (st != STATUS_OK)
		snprintf(app->dir_error, sizeof(app->dir_error), "%s", err.message);
	/* the review's cost estimate: the config's table, or the built-in one */
	err = (struct status_error){ 0 };
	app->fees_ok = (st == STATUS_OK && app->session.cfg.fees_file
				? fees_load(&app->fees, app->session.cfg.fees_file, &err)
				: fees_default(&app->fees, &err)) == STATUS_OK;
	if (!app->fees_ok)
		snprintf(app->fees_error, sizeof(app->fees_error),
			 _("no cost estimate: %s"), err.message);
	if (st != STATUS_OK)
		return;
	app->sandbox = app->session.sandbox;
	app->api_ready = api_can_create_cards(&app->api);
	if (!app->api_ready && !app->api.cred.api_key) {
		snprintf(app->dir_error, sizeof(app->dir_error),
			 "%s", app->session.note[0] ? app->session.note
						    : _("not connected: run cardorder login (or "
							"set QONTO_ACCESS_TOKEN) to send orders"));
		return;
	}
	/* Read on the event loop: the screens answer keys meanwhile. */
	if (directory_loader_new(&app->loader, &app->api, DIRECTORY_ALL, &err) !=
	    STATUS_OK)
		snprintf(app->dir_error, sizeof(app->dir_error), "%s", err.message);
}

/* Once the directory is read, it replaces the empty one at a turn of the
 * main loop (never inside a dialog, which may hold pointers into it),
 * and the order is checked again with the names resolved. */
static void directory_arrived(struct app *app)
{
	struct status_error err = { 0 };

	if (!app->loader || directory_loader_poll(app->loader))
		return;
	/* The banner names the organisation from now on. */
	if (directory_loader_take(app->loader, &app->dir, &err) == STATUS_OK) {
		app->dir_loaded = true;
		/* The person's language in Qonto, when the locale names none. */
		if (app->dir.caller_locale && !i18n_locale_given() &&
		    MB_CUR_MAX > 1) /* accents drawn only with a UTF-8 locale */
			i18n_use_language(app->dir.caller_locale);
	} else {
		snprintf(app->dir_error, sizeof(app->dir_error),
			 _("could not read your organisation: %s"), err.message);
		app_notify(app, UI_WARNING, "%s", app->dir_error);
	}
	directory_loader_free(app->loader);
	app->loader = NULL;
	{
		bool typed = app->draft_dirty; /* what the person typed stays due */
		unsigned long edits = app->edits; /* names, not changes */

		app_order_changed(app);
		app->draft_dirty = typed;
		app->edits = edits;
	}
}

bool app_loading(const struct app *app)
{
	return app->loader != NULL;
}

const char *app_loading_what(struct app *app)
{
	if (app->loader)
		return directory_loader_doing(app->loader);
	if (app->held_loader)
		return directory_loader_doing(app->held_loader);
	return app->follow_loader ? directory_loader_doing(app->follow_loader) : "";
}

void app_forget_deleted(struct app *app)
{
	for (size_t i = 0; i < app->n_undo; i++)
		draft_card_clear(&app->undo[i].card);
	free(app->undo);
	app->undo = NULL;
	app->n_undo = 0;
}

const char *app_card_holder(const struct app *app, const struct draft_card *c)
{
	const char *id = c->text[FIELD_HOLDER_ID] ? c->text[FIELD_HOLDER_ID] : "";
	const char *name = app_holder_name(app, id);

	if (name && *name)
		return name;
	return c->text[FIELD_HOLDER] && *c->text[FIELD_HOLDER] ? c->text[FIELD_HOLDER] : id;
}

void app_card_who(const struct app *app, const struct draft_card *c, size_t i,
		  char *buf, size_t cap)
{
	const char *name = app_card_holder(app, c);

	if (*name)
		/* TRANSLATORS: the card's number in the order, and its
		   holder's name. */
		snprintf(buf, cap, _("card %zu (%s)"), i + 1, name);
	else
		snprintf(buf, cap, _("card %zu (no holder yet)"), i + 1);
}

bool app_import(struct app *app, const char *path)
{
	struct problem_list problems;
	struct status_error err = { 0 };
	struct order order;
	char *first = NULL;
	bool ok = false;

	order_init(&order);
	problems_init(&problems);
	if (reader_read_file(path, &order, &problems, &err) != STATUS_OK) {
		app_notify(app, UI_ERROR, "%s: %s", path, err.message);
	} else if (draft_from_order(&app->draft, &order, &err) != STATUS_OK) {
		app_notify(app, UI_ERROR, "%s", _("out of memory"));
	} else {
		/* The cells refused are kept as written: the cards show
		 * each problem; the notice counts them and names the first
		 * as validate does. */
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		enum ui_role role = problems.n_errors ? UI_WARNING : UI_OK;
		char cards[sizeof(app->message)];

		first = problems.n ? problem_format(&problems.items[0], base) : NULL;
		/* TRANSLATORS: %s is the file's name. */
		snprintf(cards, sizeof(cards), P_("%zu card(s) read from %s",
						"%zu card(s) read from %s", order.n_cards),
			 order.n_cards, base);
		if (first)
			/* TRANSLATORS: the first %s is "7 cards read from
			   FILE", the last one the first problem found
			   ("FILE:3:holder_id: ..."). */
			app_notify(app, role, P_("%s; %zu problem(s): %s",
						 "%s; %zu problem(s): %s", problems.n),
				   cards, problems.n, first);
		else
			app_notify(app, role, "%s", cards);
		ok = true;
	}
	free(first);
	problems_free(&problems);
	order_free(&order);
	return ok;
}

static void handle_key(struct app *app, int rc, wint_t ch)
{
	struct screen *s = app->stack[app->depth - 1];
	unsigned notices = app->message_count;
	enum key_result kr;
	bool is_key = rc == KEY_CODE_YES;

	if (is_key && ch == KEY_RESIZE) {
		app->resizes++;
		clear();
		return;
	}
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		if (!is_key && (ch == 'q' || ch == 'Q'))
			app->quit = true;
		return;
	}
	kr = s->ops->key(app, s, ch, is_key);
	if (kr == KR_IGNORED && ((!is_key && ch == '?') || (is_key && ch == KEY_F(1))))
		kr = app_open(app, SCREEN_HELP, 0, NULL);
	if (kr == KR_CLOSE) {
		pop(app, app->message_count != notices);
		if (app->close_below && app->depth > 1)
			pop(app, true);
		clear();
	}
	app->close_below = false;
	/* A screen asked for by the key, or by the answer of the dialog it
	 * closed ("yes, send": the sending screen). */
	if (app->open.pending) {
		open_requested(app);
		clear();
	}
}

/* Waits for a key or the network, at most timeout_ms. */
static void wait_input(struct app *app, int timeout_ms)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	int fd = STDIN_FILENO;

	/* A submission that is over (or cancelled) returns at once: waiting
	 * on the terminal then keeps the loop from spinning on the results
	 * screen. The send screen sees the end through its tick. */
	if (app->loader || app->held_loader || app->follow_loader) {
		struct directory_loader *l = app->loader	 ? app->loader
					     : app->held_loader ? app->held_loader
								: app->follow_loader;
		long due = directory_loader_wait_ms(l);

		if (due >= 0 && due < timeout_ms)
			timeout_ms = (int)due;
		http_step(app->api.http, timeout_ms, &fd, 1);
		directory_loader_poll(l);
		flow_step(&app->flow, 0, NULL, 0);
		return;
	}
	if (flow_step(&app->flow, timeout_ms, &fd, 1))
		return;
	poll(&pfd, 1, timeout_ms);
}

/* The terminal went away (a closed window, a dropped ssh): reads return
 * at once from then on, so every loop must stop rather than spin. */
static bool terminal_lost(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
}

bool app_stopping(void)
{
	if (!stop_requested && terminal_lost())
		stop_requested = 1;
	return stop_requested != 0;
}

/* A key without waiting. An escape sequence that the terminal description
 * does not know (tmux's Home under TERM=xterm, a mismatched TERM) comes as
 * Esc and the rest at once: the usual ones (Home, End, Delete, Insert,
 * the arrows) are understood, another is dropped whole, never read as
 * Esc (which closes or cancels) followed by stray characters. */
static int read_key(wint_t *ch)
{
	char seq[16];
	size_t n = 0;
	wint_t c;
	int rc, next;

	timeout(0);
	rc = get_wch(ch);
	if (rc != OK || *ch != 27)
		return rc;
	next = get_wch(&c);
	if (next == ERR)
		return rc; /* Esc alone */
	if (next == KEY_CODE_YES || (c != '[' && c != 'O')) {
		/* Esc and then another key, arrived together: both count */
		if (next == KEY_CODE_YES)
			ungetch((int)c);
		else
			unget_wch((wchar_t)c);
		return rc;
	}
	while (n + 1 < sizeof(seq) && get_wch(&c) == OK) {
		seq[n++] = (char)(c < 0x80 ? c : '?');
		if (c >= 0x40 && c <= 0x7e)
			break;
	}
	seq[n] = '\0';
	static const struct { const char *seq; int key; } known[] = {
		{ "1~", KEY_HOME }, { "7~", KEY_HOME }, { "H", KEY_HOME },
		{ "4~", KEY_END }, { "8~", KEY_END }, { "F", KEY_END },
		{ "3~", KEY_DC }, { "2~", KEY_IC }, { "A", KEY_UP }, { "B", KEY_DOWN },
		{ "C", KEY_RIGHT }, { "D", KEY_LEFT }, { "5~", KEY_PPAGE },
		{ "6~", KEY_NPAGE }, { "Z", KEY_BTAB },
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(seq, known[i].seq) == 0) {
			*ch = (wint_t)known[i].key;
			return KEY_CODE_YES;
		}
	return read_key(ch); /* dropped: the next key, if any */
}

int app_get_key(struct app *app, wint_t *ch)
{
	int rc;

	for (;;) {
		if (app_stopping())
			return ERR;
		rc = read_key(ch);
		if (rc != ERR)
			return rc;
		wait_input(app, 200);
	}
}

static void loop(struct app *app)
{
	wint_t ch;
	int rc;

	while (!app->quit && app->depth > 0 && !app_stopping()) {
		struct screen *s;

		directory_arrived(app); /* before drawing: a dialog may have
					   waited while it finished */
		app_held_poll(app);
		app_follow_poll(app);
		s = app->stack[app->depth - 1];
		if (!ui_too_small(app)) {
			/* Screens with windows of their own refresh stdscr
			 * themselves, before those windows. */
			if (s->ops->modal && app->depth > 1)
				app->stack[app->depth - 2]->ops->draw(app, app->stack[app->depth - 2]);
			s->ops->draw(app, s);
			if (!s->ops->own_refresh)
				wnoutrefresh(stdscr);
			doupdate();
		}
		wait_input(app, 200);
		/* Every key waiting, without blocking: a dialog opened by a
		 * key leaves the terminal in blocking mode. */
		while (!app->quit && app->depth > 0) {
			rc = read_key(&ch);
			if (rc == ERR)
				break;
			handle_key(app, rc, ch);
		}
		if (app->depth > 0 && app->stack[app->depth - 1]->ops->tick)
			app->stack[app->depth - 1]->ops->tick(app, app->stack[app->depth - 1]);
		/* a screen the tick asked for (the review's S that waited) */
		if (app->open.pending) {
			open_requested(app);
			clear();
		}
		save_draft(app, false);
	}
}

static void app_free(struct app *app)
{
	/* The flow first: a cancel still reports into app->progress. */
	flow_free(&app->flow);
	send_progress_free(&app->progress);
	directory_loader_free(app->loader);
	directory_loader_free(app->held_loader);
	directory_loader_free(app->follow_loader);
	free(app->follow_changed);
	while (app->depth > 0)
		pop(app, false);
	request_drop(&app->open);
	draft_free(&app->draft);
	order_free(&app->order);
	order_free(&app->sent);
	problems_free(&app->problems);
	directory_free(&app->dir);
	api_free(&app->api);
	session_close(&app->session);
	free(app->draft_path);
	free(app->state_dir);
	free(app->saved_path);
	app_forget_deleted(app);
}

/* The app is the flow's sink for the whole run (flow.h). */
static void open_flow(struct app *app)
{
	struct flow_sink sink = { .event = send_progress_event, .user = app };
	struct status_error err = { 0 };

	app->flow_ready = flow_init(&app->flow, app->state_dir, &sink, &err) ==
			  STATUS_OK;
	if (!app->flow_ready)
		snprintf(app->dir_error, sizeof(app->dir_error), "%s", err.message);
}

static void harden(void)
{
	struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int tui_run(const struct tui_options *opts)
{
	static struct app app;
	int rc = 0;

	memset(&app, 0, sizeof(app));
	harden();
	draft_init(&app.draft);
	order_init(&app.order);
	order_init(&app.sent);
	problems_init(&app.problems);
	directory_init(&app.dir);
	app.state_dir = fs_xdg_dir(XDG_STATE);
	if (app.state_dir && fs_mkdirs(app.state_dir, NULL) == STATUS_OK)
		app.draft_path = fs_join(app.state_dir, "draft.json");
	open_flow(&app);
	if (!start_curses(&app, opts->no_color))
		return 2;
	connect_api(&app, opts);
	if (opts->order_file)
		app_import(&app, opts->order_file);
	if (!app.message[0] && app.dir_error[0])
		app_notify(&app, UI_WARNING, "%s", app.dir_error);
	app_order_changed(&app);
	app.draft_dirty = opts->order_file != NULL;
	app.edits_at_rest = app.edits; /* the file's cards are in the file */
	app_push(&app, order_screen_new());
	/* dialogs over the order screen: the unfinished orders first, then
	 * (once those are answered) the draft */
	app.order_file = opts->order_file;
	if (!app_offer_unfinished(&app) && app.draft_path)
		app_offer_draft(&app);
	open_requested(&app);
	loop(&app);
	save_draft(&app, true);
	app_free(&app);
	endwin();
	if (stop_requested)
		fputs(_("cardorder: stopped; the draft is saved\n"), stderr);
	return rc;
}
