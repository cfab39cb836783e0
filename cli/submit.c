/* submit.c: `submit` and `resume`, the headless way to send an order.
 * Progress goes to stderr, one result line per card to stdout. */
#include "config.h"

#include "cli.h"
#include "flow.h"
#include "fsutil.h"
#include "i18n.h"
#include "payload.h"
#include "reader.h"
#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>


struct submit_cli {
	const char *file;       /* submit: the order file */
	const char *order_id;   /* resume: the order, or NULL for the latest */
	const char *export_path;
	const char *csv_format; /* --csv-format, or NULL for the config's */
	const char *base_url;
	const char *config;
	bool yes;
	bool sandbox;
	bool again;             /* submit: even when an unfinished order holds
				   the same cards */
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Progress and errors: sanitised, since they may quote the server. FMT
 * is translated by the caller. */
static void say(const char *fmt, ...)
{
	char buf[1024], *safe;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	safe = text_sanitize(buf);
	fprintf(stderr, "cardorder: %s\n", safe ? safe : buf);
	free(safe);
}

static void harden(void)
{
	struct rlimit none = { 0, 0 };

	/* No core file may hold a token. */
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* Base URL and credentials by precedence (session.h). */
static enum status open_api(struct api *api, struct session *session,
			    const struct submit_cli *o, const char *journal_base,
			    struct status_error *err)
{
	const char *debug = getenv("CARDORDER_DEBUG");
	struct session_options so = { .base_url = o->base_url ? o->base_url : journal_base,
				      .sandbox = o->sandbox, .config_path = o->config,
				      .debug = debug && *debug ? stderr : NULL };
	enum status st;

	/* resume goes back where the order was sent, where its keys live */
	harden();
	st = session_open(session, api, &so, err);
	if (session->note[0])
		say("%s", session->note);
	if (st != STATUS_OK)
		return st;
	if (!api_can_create_cards(api))
		return status_set(err, STATUS_AUTH,
				  "creating cards needs an OAuth login: run cardorder "
				  "login, or set QONTO_ACCESS_TOKEN (an API key only "
				  "reaches the read endpoints)");
	return STATUS_OK;
}

static int parse_options(int argc, char **argv, struct submit_cli *o,
			 bool resume)
{
	static const struct option longopts[] = {
		{ "export", required_argument, NULL, 'e' },
		{ "csv-format", required_argument, NULL, 'f' },
		{ "yes", no_argument, NULL, 'y' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "sandbox", no_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "again", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hy", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': o->export_path = optarg; break;
		case 'f': o->csv_format = optarg; break;
		case 'y': o->yes = true; break;
		case 'b': o->base_url = optarg; break;
		case 's': o->sandbox = true; break;
		case 'c': o->config = optarg; break;
		case 'a': o->again = true; break;
		case 'h': cli_usage(stdout); exit(EXIT_SUCCESS);
		default: return -1;
		}
	}
	if (o->csv_format && !csv_format_parse(o->csv_format, &(enum csv_format){ 0 })) {
		say(_("--csv-format takes standard or excel-fr (for French Excel: ';' "
		      "between cells, and a byte order mark)"));
		return -1;
	}
	if (resume && o->again) {
		say(_("--again is for submit: resume finishes an order, it never "
		      "orders its cards again"));
		return -1;
	}
	if (resume && argc - optind <= 1) {
		o->order_id = argc - optind == 1 ? argv[optind] : NULL;
		return 0;
	}
	if (!resume && argc - optind == 1) {
		o->file = argv[optind];
		return 0;
	}
	/* TRANSLATORS: ORDER_ID and ORDER_FILE as in cardorder --help */
	say("%s", resume ? _("resume takes at most one ORDER_ID")
			 : _("submit takes one ORDER_FILE (.csv or .json)"));
	return -1;
}

/* ---- progress ---- */

#define PROGRESS_TRACKED 4096

struct progress {
	/* seconds left when the approval of request n was last printed */
	long approval_note[PROGRESS_TRACKED];
};

static void on_event(void *user, const struct submit_event *ev)
{
	struct progress *p = user;
	const char *msg = ev->message ? ev->message : "";

	switch (ev->kind) {
	case SUBMIT_EV_QUEUED:
		/* said when it is news: what a reconciliation found */
		if (*msg)
			/* TRANSLATORS: request 2 of 3, then what happened */
			say(_("request %u/%u: %s"), ev->request, ev->n_requests, msg);
		break;
	case SUBMIT_EV_SENDING:
		say(P_("request %u/%u (%u card): sending",
		       "request %u/%u (%u cards): sending", ev->n_cards),
		    ev->request, ev->n_requests, ev->n_cards);
		break;
	case SUBMIT_EV_APPROVAL:
		/* When asked, then once a minute. */
		if (ev->http_status == 428 ||
		    (ev->request < PROGRESS_TRACKED &&
		     p->approval_note[ev->request] - ev->seconds >= 60)) {
			/* TRANSLATORS: the time left is minutes:seconds */
			say(_("request %u/%u: %s (%ld:%02ld left)"), ev->request,
			    ev->n_requests, msg, ev->seconds / 60, ev->seconds % 60);
			if (ev->request < PROGRESS_TRACKED)
				p->approval_note[ev->request] = ev->seconds;
		}
		break;
	case SUBMIT_EV_RETRYING:
		say(_("request %u/%u: %s; retrying in %ld s"), ev->request,
		    ev->n_requests, msg, ev->seconds);
		break;
	case SUBMIT_EV_RENEWING:
		say(_("request %u/%u: %s, then sending it again"), ev->request,
		    ev->n_requests, msg);
		break;
	case SUBMIT_EV_RECONCILING:
		if (ev->seconds > 0)
			say(_("request %u/%u: outcome unknown (%s); checking which cards "
			      "Qonto has in %ld s (time for a late attempt), before "
			      "sending anything again"),
			    ev->request, ev->n_requests, msg, ev->seconds);
		else
			say(_("request %u/%u: outcome unknown (%s); checking which cards "
			      "Qonto has before sending anything again"),
			    ev->request, ev->n_requests, msg);
		break;
	case SUBMIT_EV_DONE:
		if (*msg)
			say(_("request %u/%u: done: %s"), ev->request, ev->n_requests,
			    msg);
		else
			say(_("request %u/%u: done"), ev->request, ev->n_requests);
		break;
	case SUBMIT_EV_FAILED:
		say(_("request %u/%u: %s"), ev->request, ev->n_requests, msg);
		break;
	case SUBMIT_EV_UNKNOWN:
		if (*msg)
			say(_("request %u/%u: outcome unknown: %s"), ev->request,
			    ev->n_requests, msg);
		else
			say(_("request %u/%u: outcome unknown"), ev->request,
			    ev->n_requests);
		break;
	default:
		break;
	}
}

/* Prints the cells of one line, tab-separated, each sanitised (a name
 * from the server could hold a tab or an escape). */
static void print_line(const char *const *cells, size_t n)
{
	char *safe;

	for (size_t k = 0; k < n; k++) {
		safe = text_sanitize(cells[k] && *cells[k] ? cells[k] : "-");
		printf("%s%s", k ? "\t" : "", safe ? safe : "-");
		free(safe);
	}
	putchar('\n');
}

/* One line per card on stdout: row, status, then what a person needs. */
static void print_results(const struct results *res)
{
	char row[24];

	for (size_t i = 0; i < res->n; i++) {
		const struct card_result *r = &res->cards[i];

		snprintf(row, sizeof(row), "%zu", i + 1);
		if (r->state == RESULT_CREATED) {
			const char *cells[] = { row, results_status_text(r),
						r->card.mask_pan, r->card.id,
						r->card.card_level, r->holder_name };
			print_line(cells, 6);
		} else {
			const char *cells[] = { row, results_status_text(r),
						r->error_field, r->error_detail };
			print_line(cells, 4);
		}
	}
	fflush(stdout);
}

static int exit_for(enum submit_outcome outcome)
{
	switch (outcome) {
	case SUBMIT_ALL_CREATED: return EXIT_ALL_CREATED;
	case SUBMIT_SOME_FAILED: return EXIT_SOME_FAILED;
	case SUBMIT_NOTHING_SENT: return EXIT_AUTH_NETWORK;
	default: return EXIT_OUTCOME_UNKNOWN;
	}
}

/* ---- running a submission to its end ---- */

static struct submit_options options_for(const char *who)
{
	struct submit_options opts = { .who = who };

	return opts;
}

/* Sends what the flow has begun or resumed until it is over, then prints
 * and exports the results. */
/* CSV_FORMAT: the config's csv_format (NULL when it has none). */
static int run(struct flow *f, const struct submit_cli *o, const char *csv_format)
{
	const struct journal *j = &f->journal;
	struct status_error err = { 0 };
	int rc;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (flow_step(f, 250, NULL, 0)) {
		if (interrupted) {
			say(_("interrupted: requests already sent are reported as "
			      "outcome unknown; run `cardorder resume %s`"), j->order_id);
			flow_cancel(f);
			break;
		}
	}
	if (submit_error(f->sub)->code != STATUS_OK)
		say("%s", submit_error(f->sub)->message);
	print_results(&f->results);
	rc = exit_for(flow_outcome(f));
	if (o->export_path) {
		if (flow_export(f, o->export_path,
				csv_format_choose(o->csv_format, csv_format),
				&err) != STATUS_OK) {
			say(_("the export could not be written: %s"), err.message);
			if (rc == EXIT_ALL_CREATED)
				rc = EXIT_SOME_FAILED;
		} else {
			say(_("results written to %s"), o->export_path);
		}
	}
	if (rc == EXIT_OUTCOME_UNKNOWN || (!j->finished && rc != EXIT_ALL_CREATED))
		/* TRANSLATORS: both %s are the order's id */
		say(_("order %s is not finished: run `cardorder resume %s`"),
		    j->order_id, j->order_id);
	return rc;
}

static void print_problems(struct problem_list *problems, const char *path)
{
	char *line;

	problems_sort(problems);
	for (size_t i = 0; i < problems->n; i++) {
		line = problem_format(&problems->items[i], path);
		if (line)
			fprintf(stderr, "%s\n", line);
		free(line);
	}
}

/* Reads, resolves names through the directory, and checks. */
static int prepare_order(const struct submit_cli *o, struct api *api,
			 const struct session *session, struct directory *dir,
			 struct order *order)
{
	struct flow_context ctx = { .session = session, .dir = dir };
	struct problem_list problems;
	struct status_error err = { 0 };
	int rc = EXIT_USAGE;

	problems_init(&problems);
	if (reader_read_file(o->file, order, &problems, &err) != STATUS_OK) {
		print_problems(&problems, o->file);
		say("%s: %s", o->file, err.message);
		goto out;
	}
	if (problems.n_errors == 0 && directory_load(dir, api, &err) != STATUS_OK) {
		say(_("could not read your organisation from Qonto: %s"), err.message);
		rc = EXIT_AUTH_NETWORK;
		goto out;
	}
	if (flow_check_order(&ctx, order, FLOW_FINAL, &problems) < 0) {
		say(_("out of memory"));
		goto out;
	}
	print_problems(&problems, o->file);
	if (problems.n_errors == 0)
		rc = 0;
	else
		say(P_("%zu error: nothing was sent", "%zu errors: nothing was sent",
		       problems.n_errors),
		    problems.n_errors);
out:
	problems_free(&problems);
	return rc;
}

static bool confirm(const struct submit_cli *o, const struct order *order,
		    const struct directory *dir)
{
	size_t requests = payload_request_count(order->n_cards);
	char answer[16] = "", in[64];

	/* TRANSLATORS: how many requests the order is sent in: the last %s
	   of "%zu cards for %s in %s; each request needs..." */
	snprintf(in, sizeof(in), P_("%zu request", "%zu requests", requests), requests);
	/* TRANSLATORS: the number of cards, the organisation's name, then
	   "N requests" */
	say(P_("%zu card for %s in %s; each request needs an approval in the "
	       "Qonto app",
	       "%zu cards for %s in %s; each request needs an approval in the "
	       "Qonto app",
	       order->n_cards),
	    order->n_cards, dir->organization_name ? dir->organization_name : "?", in);
	if (o->yes)
		return true;
	if (!isatty(STDIN_FILENO)) {
		say(_("not a terminal: pass --yes to confirm the order"));
		return false;
	}
	/* TRANSLATORS: keep "yes": it is the word to type, in English */
	fprintf(stderr, P_("Type yes to order %zu card: ", "Type yes to order %zu cards: ",
			   order->n_cards),
		order->n_cards);
	if (!fgets(answer, sizeof(answer), stdin))
		return false;
	return strcmp(answer, "yes\n") == 0;
}

/* The flow of a command: the journal's place, and progress on stderr. */
static bool open_flow(struct flow *f, struct progress *progress)
{
	struct flow_sink sink = { .event = on_event, .user = progress };
	struct status_error err = { 0 };
	char *state = fs_xdg_dir(XDG_STATE);
	enum status st = flow_init(f, state, &sink, &err);

	free(state);
	if (st != STATUS_OK)
		say("%s", err.message);
	return st == STATUS_OK;
}

int cli_submit(int argc, char **argv)
{
	static struct progress progress;
	struct submit_cli o = { 0 };
	struct status_error err = { 0 };
	struct submit_options opts;
	struct directory dir;
	struct order order;
	struct flow flow = { 0 };
	struct api api = { 0 };
	struct session session = { 0 };
	char *names = NULL;
	int rc = EXIT_USAGE;

	directory_init(&dir);
	order_init(&order);
	if (parse_options(argc, argv, &o, false) < 0)
		goto out;
	if (open_api(&api, &session, &o, NULL, &err) != STATUS_OK) {
		say("%s", err.message);
		rc = err.code == STATUS_USAGE ? EXIT_USAGE : EXIT_AUTH_NETWORK;
		goto out;
	}
	rc = prepare_order(&o, &api, &session, &dir, &order);
	if (rc != 0)
		goto out;
	rc = EXIT_USAGE;
	if (!confirm(&o, &order, &dir) || !open_flow(&flow, &progress))
		goto out;
	rc = EXIT_AUTH_NETWORK;
	names = directory_holder_names(&dir, &order);
	opts = options_for(dir.initiator_name);
	flow.again = o.again;
	if (flow_begin(&flow, &api, &order, o.file, names, &opts, &err) != STATUS_OK) {
		if (err.code == STATUS_ALREADY_SENT) {
			say(_("nothing was sent: %s"), err.message);
			rc = EXIT_USAGE;
		} else {
			say(_("could not start the order: %s"), err.message);
		}
		goto out;
	}
	/* TRANSLATORS: %s is the order's id */
	say(_("order %s"), flow.journal.order_id);
	order_free(&order); /* the journal has every body now */
	rc = run(&flow, &o, session.cfg.csv_format);
out:
	free(names);
	flow_free(&flow);
	api_free(&api);
	session_close(&session);
	directory_free(&dir);
	order_free(&order);
	return rc;
}

/* Plain resume takes the most recent unfinished order: the others are
 * named, damaged ones too, so that none is forgotten. */
static void say_other_unfinished(const struct flow *f)
{
	struct journal_summary *list = NULL;
	char iso[32], when[48];
	struct tm tm;
	size_t n = 0;

	if (flow_unfinished(f, &list, &n, NULL) != STATUS_OK || n < 2) {
		free(list);
		return;
	}
	/* TRANSLATORS: ORDER_ID as in cardorder --help */
	say(P_("%zu order is unfinished; the most recent is resumed, then run "
	       "cardorder resume ORDER_ID for each of the others:",
	       "%zu orders are unfinished; the most recent is resumed, then run "
	       "cardorder resume ORDER_ID for each of the others:", n),
	    n);
	for (size_t i = 0; i < n; i++) {
		if (!localtime_r(&list[i].created, &tm) ||
		    !strftime(iso, sizeof(iso), "%Y-%m-%d %H:%M", &tm))
			snprintf(when, sizeof(when), "?");
		else
			i18n_date(iso, when, sizeof(when));
		/* TRANSLATORS: an unfinished order: its id, when it was begun
		   (a date and time), its number of cards, then how many are
		   sent, done, unknown and awaiting approval. The first
		   message is for a damaged order. */
		say(list[i].damaged
			    ? P_("  %s  begun %s, %zu card: %zu sent, %zu done, %zu unknown, "
				 "%zu awaiting approval, DAMAGED",
				 "  %s  begun %s, %zu cards: %zu sent, %zu done, %zu unknown, "
				 "%zu awaiting approval, DAMAGED",
				 list[i].n_cards)
			    : P_("  %s  begun %s, %zu card: %zu sent, %zu done, %zu unknown, "
				 "%zu awaiting approval",
				 "  %s  begun %s, %zu cards: %zu sent, %zu done, %zu unknown, "
				 "%zu awaiting approval",
				 list[i].n_cards),
		    list[i].order_id, when, list[i].n_cards, list[i].n_sent, list[i].n_settled,
		    list[i].n_unknown, list[i].n_approval);
	}
	free(list);
}

int cli_resume(int argc, char **argv)
{
	static struct progress progress;
	struct directory dir;
	struct submit_cli o = { 0 };
	struct status_error err = { 0 };
	struct submit_options opts;
	struct flow flow = { 0 };
	struct api api = { 0 };
	struct session session = { 0 };
	int rc = EXIT_USAGE;

	directory_init(&dir);
	if (parse_options(argc, argv, &o, true) < 0 || !open_flow(&flow, &progress))
		goto out;
	if (!o.order_id)
		say_other_unfinished(&flow);
	if (flow_open(&flow, o.order_id, &err) != STATUS_OK) {
		say("%s", err.message);
		/* An order that cannot be written to (read-only, disk full)
		 * may have sent cards: its outcome stays unknown, not "nothing
		 * sent". */
		if (err.code == STATUS_IO && flow.journal.n_requests)
			rc = EXIT_OUTCOME_UNKNOWN;
		goto out;
	}
	if (flow.journal.damaged)
		/* TRANSLATORS: the order's id, then what is wrong with its journal */
		say(_("order %s is damaged (%s): what Qonto has is checked before "
		      "anything is sent again"),
		    flow.journal.order_id, flow.journal.damage);
	if (flow.journal.finished)
		say(_("order %s is already finished; showing its results"),
		    flow.journal.order_id);
	/* resume goes back where the order was sent, where its keys live */
	if (open_api(&api, &session, &o, flow.journal.base_url, &err) != STATUS_OK) {
		say("%s", err.message);
		rc = EXIT_AUTH_NETWORK;
		goto out;
	}
	say(P_("resuming order %s (%zu card)", "resuming order %s (%zu cards)",
	       flow.journal.n_cards),
	    flow.journal.order_id, flow.journal.n_cards);
	/* the audit log names who sent, on resume too */
	directory_load_parts(&dir, &api, DIRECTORY_CALLER, NULL);
	opts = options_for(dir.initiator_name);
	if (flow_resume(&flow, &api, &opts, &err) != STATUS_OK) {
		say("%s", err.message[0] ? err.message : status_message(err.code));
		rc = EXIT_AUTH_NETWORK;
		goto out;
	}
	rc = run(&flow, &o, session.cfg.csv_format);
out:
	flow_free(&flow);
	directory_free(&dir);
	api_free(&api);
	session_close(&session);
	return rc;
}
