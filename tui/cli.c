/* cli.c: `validate` and `payload`, the offline commands. */
#include "config.h"

#include "cli.h"
#include "payload.h"
#include "problems.h"
#include "reader.h"
#include "text.h"
#include "validate.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void cli_usage(FILE *out)
{
	fputs("Usage: cardorder [--sandbox] [--base-url URL] [--config FILE] [--no-color] [ORDER_FILE]\n"
	      "       cardorder validate ORDER_FILE\n"
	      "       cardorder payload [--pretty] ORDER_FILE\n"
	      "       cardorder submit [OPTIONS] ORDER_FILE\n"
	      "       cardorder resume [OPTIONS] [ORDER_ID]\n"
	      "       cardorder login [--sandbox] [--base-url URL] [--config FILE] [--manual] [--no-browser]\n"
	      "       cardorder logout\n"
	      "       cardorder --help | --version\n"
	      "\n"
	      "Order many Qonto payment cards at once. Without a command, the screens\n"
	      "open: the order, the card editor, the review, sending and the results.\n"
	      "\n"
	      "Commands:\n"
	      "  validate ORDER_FILE   check a .csv or .json order offline; one line per\n"
	      "                        problem as PATH:ROW:FIELD: message\n"
	      "  payload ORDER_FILE    print the request bodies that would be sent, one\n"
	      "                        compact JSON body (at most 50 cards) per line\n"
	      "  submit ORDER_FILE     send the order: progress on stderr, one line per\n"
	      "                        card on stdout\n"
	      "  resume [ORDER_ID]     finish an interrupted order (the latest by default)\n"
	      "  login                 log in to Qonto (OAuth 2.0 with PKCE) and save the tokens\n"
	      "  logout                remove the saved tokens\n"
	      "\n"
	      "Options:\n"
	      "  --sandbox             use Qonto's sandbox (and its staging token)\n"
	      "  --base-url URL        the API address (https, or http to this machine)\n"
	      "  --config FILE         read this config file instead of the default one\n"
	      "  --export FILE         (submit, resume) write the results to FILE, .csv or .json\n"
	      "  --yes                 (submit) do not ask for confirmation\n"
	      "  --pretty              (payload) indent the JSON bodies\n"
	      "  --manual              (login) paste the browser's address instead of\n"
	      "                        listening for it on 127.0.0.1\n"
	      "  --no-browser          (login) print the address, do not open a browser\n"
	      "  --no-color            no colours (also when NO_COLOR is set)\n"
	      "  -h, --help            show this help and exit\n"
	      "  -V, --version         show the version and exit\n"
	      "\n"
	      "Environment:\n"
	      "  QONTO_ACCESS_TOKEN    an OAuth access token (instead of cardorder login)\n"
	      "  QONTO_API_KEY         login:secret-key, enough for the lists of members\n"
	      "  QONTO_STAGING_TOKEN   the staging token of Qonto's sandbox\n"
	      "  QONTO_API_BASE        the API address\n"
	      "  QONTO_CLIENT_SECRET   the OAuth client's secret, when it has one\n"
	      "  NO_COLOR              no colours\n"
	      "  CARDORDER_DEBUG       (submit, resume) print the HTTP exchanges on stderr,\n"
	      "                        secrets redacted, bodies left out\n"
	      "  XDG_CONFIG_HOME, XDG_STATE_HOME   where the files below live\n"
	      "\n"
	      "Files:\n"
	      "  $XDG_CONFIG_HOME/cardorder/config        key = value: base_url, sandbox,\n"
	      "      organization_id, initiator_id, bank_account_id, client_id,\n"
	      "      redirect_port, 2fa_preference\n"
	      "  $XDG_CONFIG_HOME/cardorder/credentials   tokens saved by login (mode 0600)\n"
	      "  $XDG_STATE_HOME/cardorder/orders/        the journal of every order\n"
	      "  $XDG_STATE_HOME/cardorder/audit.log      who sent what, and when\n"
	      "  $XDG_STATE_HOME/cardorder/draft.json     the order being edited\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success: every card created (validate: no errors)\n"
	      "  1  some cards failed (each is reported)\n"
	      "  2  usage or validation error; nothing was sent\n"
	      "  3  authentication, network or server error before any card was created\n"
	      "  4  interrupted with the outcome unknown: run cardorder resume\n",
	      out);
}

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

/* Reads and validates path; problems are printed to out. Returns 0 when
 * the order can be sent, EXIT_USAGE otherwise. */
static int load(const char *path, bool ids_from_api, struct order *order,
		FILE *out)
{
	struct validate_options opts = { .now = time(NULL),
					 .ids_from_api = ids_from_api };
	struct problem_list problems;
	struct status_error err = { 0 };
	int rc = EXIT_USAGE;

	problems_init(&problems);
	if (reader_read_file(path, order, &problems, &err) != STATUS_OK) {
		print_problems(&problems, path, out);
		print_error(path, &err);
		goto out;
	}
	if (validate_order(order, &opts, &problems) < 0) {
		fprintf(stderr, "cardorder: out of memory\n");
		goto out;
	}
	print_problems(&problems, path, out);
	if (problems.n_errors == 0)
		rc = 0;
out:
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
			fprintf(stderr, "cardorder %s: unknown option\n", command);
			return NULL;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "cardorder %s: expected one ORDER_FILE (.csv or "
				".json)\n",
			command);
		return NULL;
	}
	return argv[optind];
}

int cli_validate(int argc, char **argv)
{
	struct order order;
	const char *path = one_file(argc, argv, "validate", NULL);
	int rc;

	if (!path)
		return EXIT_USAGE;
	order_init(&order);
	rc = load(path, true, &order, stdout);
	order_free(&order);
	return rc;
}

int cli_payload(int argc, char **argv)
{
	struct status_error err = { 0 };
	struct order order;
	bool pretty = false;
	const char *path = one_file(argc, argv, "payload", &pretty);
	char *body = NULL;
	size_t len, count;
	int rc;

	if (!path)
		return EXIT_USAGE;
	order_init(&order);
	rc = load(path, false, &order, stderr);
	for (size_t first = 0; rc == 0 && first < order.n_cards;
	     first += count) {
		count = order.n_cards - first;
		if (count > PAYLOAD_MAX_CARDS)
			count = PAYLOAD_MAX_CARDS;
		if (payload_build(&order.cards[first], count, pretty, &body,
				  &len, &err) != STATUS_OK) {
			print_error(path, &err);
			rc = EXIT_USAGE;
			break;
		}
		fwrite(body, 1, len, stdout);
		fputc('\n', stdout);
		free(body);
	}
	order_free(&order);
	if (fflush(stdout) != 0 && rc == 0) {
		fprintf(stderr, "cardorder payload: cannot write the output\n");
		rc = EXIT_USAGE;
	}
	return rc;
}
