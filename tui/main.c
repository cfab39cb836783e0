/* main.c: command dispatch. */
#include "config.h"

#include "cli.h"
#include "http.h"
#include "tui.h"

#include <getopt.h>
#include <stdbool.h>
#include <unistd.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_command(const char *word)
{
	static const char *const commands[] = { "validate", "payload", "submit",
						 "resume", "login", "logout", NULL };

	for (size_t i = 0; commands[i]; i++)
		if (strcmp(word, commands[i]) == 0)
			return true;
	return false;
}

/* cardorder [--sandbox] [--base-url URL] [--no-color] [ORDER_FILE] */
static int run_tui(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sandbox", no_argument, NULL, 's' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "no-color", no_argument, NULL, 'n' },
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct tui_options o = { 0 };
	int c, rc;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 's')
			o.sandbox = true;
		else if (c == 'b')
			o.base_url = optarg;
		else if (c == 'n')
			o.no_color = true;
		else if (c == 'c')
			o.config = optarg;
		else
			return EXIT_USAGE;
	}
	if (argc - optind > 1) {
		fprintf(stderr, "cardorder: at most one ORDER_FILE\n");
		return EXIT_USAGE;
	}
	o.order_file = argc - optind == 1 ? argv[optind] : NULL;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "cardorder: the interactive screens need a terminal; "
				"see cardorder --help for the commands\n");
		return EXIT_USAGE;
	}
	if (http_global_init() != STATUS_OK)
		return EXIT_AUTH_NETWORK;
	rc = tui_run(&o);
	http_global_cleanup();
	return rc;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C"); /* json-c and strtod need '.' */
	if (argc < 2 || argv[1][0] != '-' || strcmp(argv[1], "--sandbox") == 0 ||
	    strcmp(argv[1], "--no-color") == 0 || strcmp(argv[1], "--base-url") == 0 ||
	    strcmp(argv[1], "--config") == 0) {
		if (argc < 2 || !is_command(argv[1]))
			return run_tui(argc, argv);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_usage(stdout);
		return EXIT_SUCCESS;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("cardorder %s\n", PACKAGE_VERSION);
		return EXIT_SUCCESS;
	}
	if (strcmp(argv[1], "validate") == 0)
		return cli_validate(argc - 1, argv + 1);
	if (strcmp(argv[1], "payload") == 0)
		return cli_payload(argc - 1, argv + 1);
	if (strcmp(argv[1], "logout") == 0)
		return cli_logout(argc - 1, argv + 1);
	if (strcmp(argv[1], "submit") == 0 || strcmp(argv[1], "resume") == 0 ||
	    strcmp(argv[1], "login") == 0) {
		int (*command)(int, char **) = argv[1][0] == 's' ? cli_submit
					       : argv[1][0] == 'r' ? cli_resume
								   : cli_login;
		int rc;

		if (http_global_init() != STATUS_OK)
			return EXIT_AUTH_NETWORK;
		rc = command(argc - 1, argv + 1);
		http_global_cleanup();
		return rc;
	}
	fprintf(stderr, "cardorder: unknown %s; see cardorder --help\n",
		argv[1][0] == '-' ? "option" : "command");
	return EXIT_USAGE;
}
