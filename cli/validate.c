/* validate.c: `validate` and `payload`, the offline commands, and
 * `check`, the same read of the order against Qonto's state. */
#include "config.h"

#include "cli.h"
#include "flow.h"
#include "i18n.h"
#include "payload.h"
#include "preflight.h"
#include "session.h"
#include "problems.h"
#include "reader.h"
#include "text.h"
#include "validate.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Prints the problems to out, sorted by row. */
static void print_problems(struct problem_list *problems, const char *path,
			   FILE *out)
{
	char *line;

	problems_sort(problems);
	for (size_t i = 0; i < problems->n; i++) {
		line = problem_format(&problems->items[i], path);
		if (line)
			fprintf(out, "%s\n", line);
		free(line);
	}
}

static void print_error(const char *path, const struct status_error *err)
{
	char *safe_path = text_sanitize(path);
	char *safe_msg = text_sanitize(err->message[0] ? err->message
						       : status_message(err->code));

	fprintf(stderr, "cardorder: %s: %s\n", safe_path ? safe_path : "",
		safe_msg ? safe_msg : "");
	free(safe_path);
	free(safe_msg);
}

/* What one pass over an order does with each batch of cards. */
struct pass {
	enum flow_strictness strictness;
	struct problem_list *problems;
	size_t n_cards;
	bool pretty;
	bool print;           /* print the bodies (the second pass of payload) */
	struct validate_seen *seen; /* holders and levels so far (checks) */
	const struct flow_context *ctx; /* check: the config and the directory */
	struct preflight *pre;          /* check: the summary so far */
	struct status_error err;
};

static int on_batch(struct order *batch, size_t first, void *user)
{
	struct pass *p = user;
	char *body;
	size_t len;

	p->n_cards += batch->n_cards;
	if (!p->print) {
		for (size_t i = 0; i < batch->n_cards; i++)
			if (flow_check_card(p->ctx, &batch->cards[i], first + i,
					    p->strictness, p->problems) < 0 ||
			    validate_seen_card(p->seen, &batch->cards[i], first + i,
					       p->problems) < 0 ||
			    (p->pre && preflight_add(p->pre, p->ctx->dir, &batch->cards[i],
						     first + i) < 0))
				return -1;
		return 0;
	}
	if (payload_build(batch->cards, batch->n_cards, p->pretty, &body, &len,
			  &p->err) != STATUS_OK)
		return -1;
	fwrite(body, 1, len, stdout);
	fputc('\n', stdout);
	free(body);
	return 0;
}

static bool is_csv(const char *path)
{
	size_t n = strlen(path);

	return n >= 4 && strcasecmp(path + n - 4, ".csv") == 0;
}

static bool has_json_suffix(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && strcasecmp(path + n - 5, ".json") == 0;
}

/* Runs a pass over the order, PAYLOAD_MAX_CARDS cards at a time: a CSV
 * file is streamed, so an order of any length takes bounded memory; a
 * JSON file too, a card at a time. */
static enum status run_pass(const char *path, struct pass *p,
			    struct status_error *err)
{
	struct order order, view;
	enum status st;
	FILE *f;

	if (is_csv(path) || has_json_suffix(path)) {
		f = fopen(path, "rb");
		if (!f)
			return status_set(err, STATUS_IO, "cannot open %s: %s", path,
					  strerror(errno));
		st = is_csv(path)
			     ? reader_stream_csv(f, PAYLOAD_MAX_CARDS, on_batch, p, p->problems, err)
			     : reader_stream_json(f, PAYLOAD_MAX_CARDS, on_batch, p, p->problems,
						  err);
		fclose(f);
		return st;
	}
	order_init(&order);
	st = reader_read_file(path, &order, p->problems, err);
	for (size_t first = 0; st == STATUS_OK && first < order.n_cards;
	     first += view.n_cards) {
		view = order;
		view.cards = &order.cards[first];
		view.n_cards = order.n_cards - first < PAYLOAD_MAX_CARDS
				       ? order.n_cards - first
				       : PAYLOAD_MAX_CARDS;
		if (on_batch(&view, first, p) < 0) {
			/* the batch's error as it is, in both languages */
			if (p->err.code && err)
				*err = p->err;
			st = p->err.code ? p->err.code
					 : status_set(err, STATUS_NOMEM, NULL);
		}
	}
	order_free(&order);
	return st;
}

/* Reads and validates path; problems are printed to out. Returns 0 when
 * the order can be sent, EXIT_USAGE otherwise. */
static int check_order(const char *path, enum flow_strictness strictness,
		       FILE *out)
{
	struct problem_list problems;
	struct status_error err = { 0 };
	struct pass p = { .strictness = strictness, .problems = &problems,
			  .seen = validate_seen_new() };
	int rc = EXIT_USAGE;

	problems_init(&problems);
	if (!p.seen)
		goto out;
	if (run_pass(path, &p, &err) != STATUS_OK) {
		print_problems(&problems, path, out);
		print_error(path, &err);
		goto out;
	}
	if (p.n_cards == 0 &&
	    problems_add(&problems, SEVERITY_ERROR, PROBLEM_NO_CARD, 0, "",
			 "the order has no cards") < 0)
		goto out;
	print_problems(&problems, path, out);
	if (problems.n_errors == 0)
		rc = 0;
out:
	validate_seen_free(p.seen);
	problems_free(&problems);
	return rc;
}

/* Accepts exactly one operand, and the flags named in longopts. */
static const char *one_file(int argc, char **argv, const char *command,
			    bool *pretty)
{
	static const struct option longopts[] = {
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'p' && pretty) {
			*pretty = true;
		} else if (c == 'h') {
			cli_usage(stdout);
			exit(EXIT_SUCCESS);
		} else {
			/* TRANSLATORS: %s is a command name (validate, payload) */
			fprintf(stderr, _("cardorder %s: unknown option\n"), command);
			return NULL;
		}
	}
	if (argc - optind != 1) {
		/* TRANSLATORS: %s is a command name (validate, payload);
		   ORDER_FILE as in cardorder --help */
		fprintf(stderr, _("cardorder %s: expected one ORDER_FILE (.csv or "
				  ".json)\n"),
			command);
		return NULL;
	}
	return argv[optind];
}

int cli_validate(int argc, char **argv)
{
	const char *path = one_file(argc, argv, "validate", NULL);

	if (!path)
		return EXIT_USAGE;
	return check_order(path, FLOW_DRAFT, stdout);
}

int cli_payload(int argc, char **argv)
{
	struct status_error err = { 0 };
	struct problem_list none;
	bool pretty = false;
	const char *path = one_file(argc, argv, "payload", &pretty);
	struct pass p = { .pretty = false, .print = true, .problems = &none };
	int rc;

	if (!path)
		return EXIT_USAGE;
	/* Nothing is printed unless the whole order is right: a first pass
	 * checks, a second one prints. */
	rc = check_order(path, FLOW_FINAL, stderr);
	if (rc != 0)
		return rc;
	p.pretty = pretty;
	problems_init(&none);
	if (run_pass(path, &p, &err) != STATUS_OK) {
		print_error(path, &err);
		rc = EXIT_USAGE;
	}
	problems_free(&none);
	if (fflush(stdout) != 0 && rc == 0) {
		fprintf(stderr, _("cardorder payload: cannot write the output\n"));
		rc = EXIT_USAGE;
	}
	return rc;
}

/* ---- check: the same, against Qonto's state ---- */

struct check_cli {
	const char *file;
	const char *base_url;
	const char *config;
	bool sandbox;
	bool json;
};

static int check_options(int argc, char **argv, struct check_cli *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "sandbox", no_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'b': o->base_url = optarg; break;
		case 's': o->sandbox = true; break;
		case 'c': o->config = optarg; break;
		case 'h': cli_usage(stdout); exit(EXIT_SUCCESS);
		default:
			fprintf(stderr, _("cardorder check: unknown option\n"));
			return -1;
		}
	}
	if (argc - optind != 1) {
		/* TRANSLATORS: ORDER_FILE as in cardorder --help */
		fprintf(stderr, _("cardorder check: expected one ORDER_FILE (.csv or "
				  ".json)\n"));
		return -1;
	}
	o->file = argv[optind];
	return 0;
}

static void print_line(void *user, enum preflight_style style, const char *line)
{
	(void)style;
	fprintf(user, "%s\n", line);
}

/* The fee table: the config's file, else the built-in one. */
static enum status load_fees(const struct session *s, struct fee_table *fees,
			     struct status_error *err)
{
	if (s->cfg.fees_file)
		return fees_load(fees, s->cfg.fees_file, err);
	return fees_default(fees, err);
}

int cli_check(int argc, char **argv)
{
	const char *debug = getenv("CARDORDER_DEBUG");
	struct check_cli o = { 0 };
	struct status_error err = { 0 };
	struct session session = { 0 };
	struct api api = { 0 };
	struct directory dir;
	struct problem_list problems;
	struct fee_table fees;
	struct flow_context ctx = { .session = &session, .dir = &dir };
	struct pass p = { .strictness = FLOW_FINAL, .problems = &problems, .ctx = &ctx };
	struct session_options so = { 0 };
	size_t n_holders;
	char *const *holders;
	int rc = EXIT_AUTH_NETWORK;

	directory_init(&dir);
	problems_init(&problems);
	if (check_options(argc, argv, &o) < 0)
		return EXIT_USAGE;
	so = (struct session_options){ .base_url = o.base_url, .sandbox = o.sandbox,
				       .config_path = o.config,
				       .debug = debug && *debug ? stderr : NULL };
	p.seen = validate_seen_new();
	p.pre = preflight_new();
	if (!p.seen || !p.pre) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (session_open(&session, &api, &so, &err) != STATUS_OK) {
		print_error(o.file, &err);
		rc = err.code == STATUS_USAGE ? EXIT_USAGE : EXIT_AUTH_NETWORK;
		goto out;
	}
	if (load_fees(&session, &fees, &err) != STATUS_OK) {
		/* the message names the file and line */
		/* TRANSLATORS: in place of a file's name, before an error */
		print_error(_("the card fee table"), &err);
		rc = EXIT_USAGE;
		goto out;
	}
	/* Qonto first: the names in the file are resolved against it. */
	if (directory_load(&dir, &api, &err) != STATUS_OK) {
		fprintf(stderr, _("cardorder: could not read your organisation from "
				  "Qonto: %s\n"), err.message);
		goto out;
	}
	rc = EXIT_USAGE;
	if (preflight_rules_caller(&dir, &problems) < 0)
		goto out;
	if (run_pass(o.file, &p, &err) != STATUS_OK) {
		print_problems(&problems, o.file, stdout);
		print_error(o.file, &err);
		goto out;
	}
	if (p.n_cards == 0 &&
	    problems_add(&problems, SEVERITY_ERROR, PROBLEM_NO_CARD, 0, "",
			 "the order has no cards") < 0)
		goto out;
	holders = preflight_holders(p.pre, &n_holders);
	if (n_holders && directory_load_held(&dir, &api, holders, n_holders, NULL,
					     &err) != STATUS_OK) {
		/* what was found is said all the same; the check is not whole */
		print_problems(&problems, o.file, stdout);
		/* TRANSLATORS: %s is the reason */
		fprintf(stderr, _("cardorder: could not read the cards the holders "
				  "already have from Qonto (%s): the check is "
				  "incomplete\n"),
			err.message);
		rc = EXIT_AUTH_NETWORK;
		goto out;
	}
	if (preflight_held(p.pre, &dir, &problems) < 0) {
		fprintf(stderr, _("cardorder: out of memory\n"));
		goto out;
	}
	if (o.json) {
		char *report = preflight_report_json(&problems, p.pre, &dir, &fees);

		if (!report)
			goto out;
		printf("%s\n", report);
		free(report);
	} else {
		print_problems(&problems, o.file, stdout);
		if (problems.n)
			printf("\n");
		preflight_summary(p.pre, &dir, &fees, print_line, stdout);
	}
	rc = problems.n_errors ? EXIT_USAGE : 0;
out:
	validate_seen_free(p.seen);
	preflight_free(p.pre);
	problems_free(&problems);
	directory_free(&dir);
	api_free(&api);
	session_close(&session);
	return rc;
}
