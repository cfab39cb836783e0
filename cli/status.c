/* status.c: `status`, where an order's cards stand after it was sent. The
 * order's journal says what was created; GET /v2/cards says where each
 * card is now; each reading is kept with the order, so that without the
 * network the last known state is shown, with its time. */
#include "config.h"

#include "cli.h"
#include "directory.h"
#include "follow.h"
#include "fsutil.h"
#include "i18n.h"
#include "journal.h"
#include "results.h"
#include "session.h"
#include "settings.h"
#include "submit.h"
#include "text.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct status_cli {
	const char *order_id; /* NULL: the most recent order */
	const char *export_path;
	const char *csv_format; /* --csv-format, or NULL for the config's */
	const char *base_url;
	const char *config;
	bool sandbox;
	bool json;
	bool offline;
};

/* --csv-format, else the config file's csv_format, else the standard. */
static enum csv_format export_format(const struct status_cli *o)
{
	struct config cfg = { 0 };
	struct status_error err;
	enum csv_format f;

	if (o->csv_format)
		return csv_format_choose(o->csv_format, NULL);
	f = config_load(&cfg, o->config, &err) == STATUS_OK
		    ? csv_format_choose(NULL, cfg.csv_format)
		    : CSV_STANDARD;
	config_free(&cfg);
	return f;
}

static int parse_options(int argc, char **argv, struct status_cli *o)
{
	static const struct option longopts[] = {
		{ "export", required_argument, NULL, 'e' },
		{ "csv-format", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "offline", no_argument, NULL, 'o' },
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
		case 'e': o->export_path = optarg; break;
		case 'f': o->csv_format = optarg; break;
		case 'j': o->json = true; break;
		case 'o': o->offline = true; break;
		case 'b': o->base_url = optarg; break;
		case 's': o->sandbox = true; break;
		case 'c': o->config = optarg; break;
		case 'h': cli_usage(stdout); exit(EXIT_SUCCESS);
		default:
			fprintf(stderr, _("cardorder status: unknown option\n"));
			return -1;
		}
	}
	if (argc - optind > 1) {
		/* TRANSLATORS: ORDER_ID as in cardorder --help */
		fprintf(stderr, _("cardorder status: at most one ORDER_ID\n"));
		return -1;
	}
	if (o->csv_format && !csv_format_parse(o->csv_format, &(enum csv_format){ 0 })) {
		fprintf(stderr, _("cardorder status: --csv-format takes standard or excel-fr\n"));
		return -1;
	}
	o->order_id = argc - optind == 1 ? argv[optind] : NULL;
	return 0;
}

/* WHAT (translated by the caller), then DETAIL (NULL: none). */
static void say(const char *what, const char *detail)
{
	char *safe;

	if (!detail) {
		fprintf(stderr, "cardorder: %s\n", what);
		return;
	}
	safe = text_sanitize(detail);
	/* TRANSLATORS: what could not be done, then the reason */
	fprintf(stderr, _("cardorder: %s: %s\n"), what, safe ? safe : "");
	free(safe);
}

/* The order as its journal says, with the last reading kept (*at: its
 * time, 0 when none). */
static enum status read_order(const char *state, struct status_cli *o,
			      struct journal *j, struct results *res, time_t *at,
			      struct status_error *err)
{
	char id[40], *names = NULL;
	enum status st;

	if (!o->order_id) {
		st = journal_latest(state, id, err);
		if (st != STATUS_OK)
			return st;
	} else {
		snprintf(id, sizeof(id), "%s", o->order_id);
	}
	st = journal_open(j, state, id, err);
	if (st == STATUS_OK)
		st = results_init(res, j->n_cards, err);
	if (st == STATUS_OK)
		st = submit_read_results(j, res, err);
	/* the names after the cards: a row's card brings its holder id */
	if (st == STATUS_OK && journal_load_names(j, &names, NULL) == STATUS_OK)
		results_set_holder_names(res, names);
	free(names);
	*at = 0;
	if (st == STATUS_OK)
		follow_last(j, res, at, NULL); /* none yet: the journal's states */
	return st;
}

/* GET /v2/cards?ids[]=... for every card created, kept with the order. */
static enum status read_now(const struct status_cli *o, struct journal *j,
			    struct results *res, unsigned *requests,
			    struct status_error *err)
{
	const char *debug = getenv("CARDORDER_DEBUG");
	struct session_options so = { .base_url = o->base_url ? o->base_url : j->base_url,
				      .sandbox = o->sandbox, .config_path = o->config,
				      .debug = debug && *debug ? stderr : NULL };
	struct session session = { 0 };
	struct api api = { 0 };
	struct card_object *cards = NULL;
	size_t n_ids = 0, n_cards = 0;
	char **ids = follow_card_ids(res, &n_ids);
	enum status st = ids ? STATUS_OK : status_set(err, STATUS_NOMEM, NULL);

	if (st == STATUS_OK && n_ids == 0) {
		free(ids);
		/* nothing was created: nothing to follow, nothing read */
		return status_set(err, STATUS_NOT_FOUND, "no card of this order was "
							 "created: nothing to read");
	}
	if (st == STATUS_OK)
		st = session_open(&session, &api, &so, err);
	if (st == STATUS_OK)
		st = directory_load_listed(&api, ids, n_ids, &cards, &n_cards, requests, err);
	if (st == STATUS_OK && n_cards == 0) {
		/* status_set has no plural: the English and the translation
		 * are written here, each with its own plural */
		st = status_set(err, STATUS_NOT_FOUND, NULL);
		snprintf(err->message_en, sizeof(err->message_en),
			 n_ids == 1 ? "Qonto listed none of the order's %zu card: is "
				      "this the Qonto it was sent to?"
				    : "Qonto listed none of the order's %zu cards: is "
				      "this the Qonto they were sent to?",
			 n_ids);
		snprintf(err->message, sizeof(err->message),
			 P_("Qonto listed none of the order's %zu card: is this the "
			    "Qonto it was sent to?",
			    "Qonto listed none of the order's %zu cards: is this the "
			    "Qonto they were sent to?",
			    n_ids),
			 n_ids);
	}
	/* kept first: the refresh moves the cards into the results */
	if (st == STATUS_OK && follow_record(j, cards, n_cards, time(NULL), err) != STATUS_OK)
		say(_("the reading could not be kept with the order"), err->message);
	if (st == STATUS_OK && results_refresh(res, cards, n_cards, NULL) == (size_t)-1)
		st = status_set(err, STATUS_NOMEM, NULL);
	for (size_t i = 0; i < n_cards; i++)
		card_object_free(&cards[i]);
	free(cards);
	free(ids);
	api_free(&api);
	session_close(&session);
	return st;
}

/* True when the order created any card. */
static bool created_any(const struct results *res)
{
	for (size_t i = 0; i < res->n; i++)
		if (res->cards[i].state == RESULT_CREATED)
			return true;
	return false;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* s right-aligned in width columns (code points), into buf. */
static const char *pad_left(const char *s, size_t width, char *buf, size_t cap)
{
	size_t chars = 0, used = 0;

	for (const char *c = s; *c; c++)
		if (((unsigned char)*c & 0xC0) != 0x80)
			chars++;
	while (chars < width && used + 1 < cap) {
		buf[used++] = ' ';
		chars++;
	}
	snprintf(buf + used, cap - used, "%s", s);
	return buf;
}

static void print_header(void)
{
	char row[40], holder[120], level[80], status[80], pin[40], shipped[80];

	/* TRANSLATORS: the column headers of `cardorder status`; each at
	   most as wide as its column: row 4, holder 26, level 15, status 14,
	   PIN 4, shipped 10. */
	printf("%s  %s %s %s %s %s %s\n",
	       pad_left(C_("column", "row"), 4, row, sizeof(row)),
	       text_pad(C_("column", "holder"), 26, holder, sizeof(holder)),
	       text_pad(C_("column", "level"), 15, level, sizeof(level)),
	       text_pad(C_("column", "status"), 14, status, sizeof(status)),
	       text_pad(C_("column", "PIN"), 4, pin, sizeof(pin)),
	       text_pad(C_("column", "shipped"), 10, shipped, sizeof(shipped)),
	       C_("column", "card"));
}

static void print_cards(const struct results *res)
{
	char holder[200], cell[240], *safe;
	char status_cell[120], pin_cell[40], shipped_cell[80], date[64];

	print_header();
	for (size_t i = 0; i < res->n; i++) {
		const struct card_result *r = &res->cards[i];
		bool made = r->state == RESULT_CREATED;
		const char *who = r->holder_name ? r->holder_name
				  : made && r->card.holder_id ? r->card.holder_id
							      : r->asked.holder_id;

		safe = text_sanitize(or_dash(who));
		snprintf(holder, sizeof(holder), "%s", safe ? safe : "?");
		free(safe);
		{
			/* every string from Qonto or the journal, sanitised */
			char *status = text_sanitize(results_status_label(r));
			char *level = text_sanitize(or_dash(made ? r->card.card_level
								: r->asked.card_level));
			char *shipped = text_sanitize(made ? or_dash(r->card.shipped_at) : "-");
			char *digits = text_sanitize(made ? or_dash(r->card.last_digits) : "-");

			/* widths in characters: the status and the words may be
			   translated, and have accents */
			printf("%4zu  %s %-15s %s %s %s %s%s\n", i + 1,
			       text_pad(holder, 26, cell, sizeof(cell)), level ? level : "?",
			       text_pad(status ? status : "?", 14, status_cell,
					sizeof(status_cell)),
			       text_pad(!made || r->card.pin_set < 0 ? "-"
					: r->card.pin_set	      ? C_("PIN set", "yes")
								      : C_("PIN set", "no"),
					4, pin_cell, sizeof(pin_cell)),
			       text_pad(shipped ? i18n_date(shipped, date, sizeof(date)) : "?",
					10, shipped_cell, sizeof(shipped_cell)),
			       made && r->card.last_digits ? "••" : "",
			       digits ? digits : "?");
			free(status);
			free(level);
			free(shipped);
			free(digits);
		}
	}
}

static void print_summary(const struct results *res, const char *order_id, time_t at,
			  bool fresh)
{
	struct follow_summary s;
	char iso[40], when[64];
	struct tm tm;
	bool first = true;

	follow_summarise(res, &s);
	if (at) {
		localtime_r(&at, &tm);
		strftime(iso, sizeof(iso), "%Y-%m-%d %H:%M", &tm);
		i18n_date(iso, when, sizeof(when));
	} else {
		/* TRANSLATORS: when Qonto was read: never (as Qonto said never) */
		snprintf(when, sizeof(when), "%s", _("never"));
	}
	printf("\n");
	printf(_("order %s\n"), order_id);
	printf(P_("%zu of %zu card created: %zu live, %zu pending, %zu other; "
		  "%zu shipped\n",
		  "%zu of %zu cards created: %zu live, %zu pending, %zu other; "
		  "%zu shipped\n",
		  res->n),
	       s.created, res->n, s.live, s.pending, s.other, s.shipped);
	/* TRANSLATORS: %s is a date and time, or "never" */
	printf(fresh ? _("as Qonto said %s (now)\n")
		     : _("as Qonto said %s (the last reading kept)\n"),
	       when);
	if (!s.pin_not_set) {
		printf(_("every holder has set their PIN\n"));
		return;
	}
	/* TRANSLATORS: the names of the holders follow, separated by commas */
	printf(P_("%zu card waits for its holder's PIN:",
		  "%zu cards wait for their holder's PIN:", s.pin_not_set),
	       s.pin_not_set);
	for (size_t i = 0; i < res->n; i++) {
		const struct card_result *r = &res->cards[i];
		char *safe;

		if (!follow_needs_pin(r))
			continue;
		safe = text_sanitize(or_dash(r->holder_name ? r->holder_name : r->card.holder_id));
		printf("%s %s", first ? "" : ",", safe ? safe : "?");
		free(safe);
		first = false;
	}
	printf("\n");
}

int cli_status(int argc, char **argv)
{
	struct status_cli o = { 0 };
	struct status_error err = { 0 };
	struct journal j;
	struct results res = { 0 };
	char *state = NULL, *json;
	unsigned requests = 0;
	time_t at = 0;
	bool fresh = false;
	int rc = EXIT_USAGE;

	memset(&j, 0, sizeof(j));
	if (parse_options(argc, argv, &o) < 0)
		return EXIT_USAGE;
	state = fs_xdg_dir(XDG_STATE);
	if (!state) {
		say(_("no place for the orders: set HOME or XDG_STATE_HOME"), NULL);
		return EXIT_USAGE;
	}
	if (read_order(state, &o, &j, &res, &at, &err) != STATUS_OK) {
		say(_("cannot read the order"), err.message);
		goto out;
	}
	rc = 0;
	if (j.damaged)
		/* TRANSLATORS: both %s are the order's id */
		fprintf(stderr, _("cardorder: order %s is damaged: cards not settled are "
				  "shown as unknown; run cardorder resume %s\n"),
			j.order_id, j.order_id);
	else if (!j.finished)
		/* TRANSLATORS: both %s are the order's id */
		fprintf(stderr, _("cardorder: order %s is not finished: cards not settled "
				  "are shown as unknown; run cardorder resume %s\n"),
			j.order_id, j.order_id);
	if (!o.offline) {
		enum status st = read_now(&o, &j, &res, &requests, &err);

		if (st == STATUS_OK) {
			fresh = true;
			at = time(NULL);
		} else if (st == STATUS_NOT_FOUND && !created_any(&res)) {
			say(err.message, NULL); /* nothing created: not a failure */
		} else {
			say(_("could not read the cards from Qonto"), err.message);
			rc = st == STATUS_USAGE ? EXIT_USAGE : EXIT_AUTH_NETWORK;
		}
	}
	if (o.json) {
		json = follow_json(&res, j.order_id, at, fresh);
		if (json)
			printf("%s\n", json);
		free(json);
	} else {
		print_cards(&res);
		print_summary(&res, j.order_id, at, fresh);
	}
	if (o.export_path && results_export(&res, o.export_path, export_format(&o),
					    &err) != STATUS_OK) {
		say(_("the export could not be written"), err.message);
		rc = rc ? rc : EXIT_SOME_FAILED; /* as submit says it */
	} else if (o.export_path) {
		fprintf(stderr, P_("cardorder: %zu row written to %s\n",
				   "cardorder: %zu rows written to %s\n", res.n),
			res.n, o.export_path);
	}
out:
	results_free(&res);
	journal_free(&j);
	free(state);
	return rc;
}
