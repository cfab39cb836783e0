/* main.c: the command table and dispatch. Without a command, the screens
 * open (tui/); each command lives in a file of its own and stands, like
 * the screens, on the workflow of src/flow.h. */
#include "config.h"

#include "cli.h"
#include "i18n.h"
#include "http.h"
#include "tui.h"

#include <getopt.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command's name */
	bool needs_network;                /* libcurl is set up around it */
};

static const struct command commands[] = {
	{ "validate", cli_validate, false },
	{ "check", cli_check, true },
	{ "status", cli_status, true },
	{ "payload", cli_payload, false },
	{ "submit", cli_submit, true },
	{ "resume", cli_resume, true },
	{ "login", cli_login, true },
	{ "logout", cli_logout, false },
	{ NULL, NULL, false },
};

/* Options of any command that take their value as the next word when it
 * is not given as --opt=value. */
static bool takes_value(const char *arg)
{
	static const char *const with_value[] = { "--base-url", "--config",
						  "--export", NULL };

	for (size_t i = 0; with_value[i]; i++)
		if (strcmp(arg, with_value[i]) == 0)
			return true;
	return false;
}

/* The position of the first word that is not an option (0: none). */
static int first_operand(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc ? i + 1 : 0;
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			return i;
		if (takes_value(argv[i]))
			i++;
	}
	return 0;
}

static const struct command *find_command(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
	unsigned m = a < b ? a : b;

	return m < c ? m : c;
}

/* Edits (insert, delete, replace) between a and b; 9 for long words. */
static unsigned distance(const char *a, const char *b)
{
	unsigned row[16], prev, cur;
	size_t n = strlen(b);

	if (n >= 15 || strlen(a) >= 15)
		return 9;
	for (size_t j = 0; j <= n; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; a[i - 1]; i++) {
		prev = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= n; j++) {
			cur = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev
						      : 1 + min3(prev, row[j - 1], row[j]);
			prev = cur;
		}
	}
	return row[n];
}

/* A word that is neither a command nor a file of an order: say so, and
 * name the command that was probably meant. */
static bool unknown_command(const char *word)
{
	const char *dot = strrchr(word, '.');
	const struct command *best = NULL;
	unsigned d, best_d = 3;

	if (access(word, F_OK) == 0 || (dot && (strcmp(dot, ".csv") == 0 ||
						strcmp(dot, ".json") == 0)))
		return false;
	for (const struct command *c = commands; c->name; c++)
		if ((d = distance(word, c->name)) < best_d) {
			best_d = d;
			best = c;
		}
	if (best)
		/* TRANSLATORS: the first %s is the word typed, the second the
		   command it probably meant (a command name, never translated). */
		fprintf(stderr, _("cardorder: unknown command \"%s\"; did you mean "
				  "\"%s\"? (see cardorder --help)\n"), word, best->name);
	else
		fprintf(stderr, _("cardorder: unknown command \"%s\"; see cardorder "
				  "--help\n"), word);
	return true;
}

/* cardorder [--sandbox] [--base-url URL] [--config FILE] [--no-color] [ORDER_FILE] */
static int run_tui(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sandbox", no_argument, NULL, 's' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "no-color", no_argument, NULL, 'n' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct tui_options o = { 0 };
	int c, rc;

	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o.sandbox = true; break;
		case 'b': o.base_url = optarg; break;
		case 'n': o.no_color = true; break;
		case 'c': o.config = optarg; break;
		case 'h': cli_usage(stdout); return EXIT_SUCCESS;
		case 'V': printf("cardorder %s\n", PACKAGE_VERSION); return EXIT_SUCCESS;
		default:
			fprintf(stderr, _("cardorder: see cardorder --help\n"));
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		/* TRANSLATORS: ORDER_FILE as in cardorder --help */
		fprintf(stderr, _("cardorder: at most one ORDER_FILE\n"));
		return EXIT_USAGE;
	}
	o.order_file = argc - optind == 1 ? argv[optind] : NULL;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, _("cardorder: the interactive screens need a terminal; "
				  "see cardorder --help for the commands\n"));
		return EXIT_USAGE;
	}
	if (http_global_init() != STATUS_OK)
		return EXIT_AUTH_NETWORK;
	rc = tui_run(&o);
	http_global_cleanup();
	return rc;
}

/* Runs cmd with argv minus the command word at position at: options given
 * before the command (cardorder --sandbox submit ...) are its own too. */
static int run_command(const struct command *cmd, int argc, char **argv, int at)
{
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	int n = 0, rc;

	if (!args) {
		fprintf(stderr, _("cardorder: out of memory\n"));
		return EXIT_USAGE;
	}
	args[n++] = argv[at];
	for (int i = 1; i < argc; i++)
		if (i != at)
			args[n++] = argv[i];
	if (cmd->needs_network && http_global_init() != STATUS_OK) {
		free(args);
		return EXIT_AUTH_NETWORK;
	}
	optind = 1;
	rc = cmd->run(n, args);
	if (cmd->needs_network)
		http_global_cleanup();
	free(args);
	return rc;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	int at;

	i18n_init();
	at = first_operand(argc, argv);
	cmd = at ? find_command(argv[at]) : NULL;
	if (cmd)
		return run_command(cmd, argc, argv, at);
	if (at && unknown_command(argv[at]))
		return EXIT_USAGE;
	return run_tui(argc, argv);
}
