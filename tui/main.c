/* main.c: command dispatch. */
#include "config.h"

#include "cli.h"
#include "http.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C"); /* json-c and strtod need '.' */
	if (argc < 2) {
		cli_usage(stderr);
		return EXIT_USAGE;
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
	if (strcmp(argv[1], "submit") == 0 || strcmp(argv[1], "resume") == 0) {
		int rc;

		if (http_global_init() != STATUS_OK)
			return EXIT_AUTH_NETWORK;
		rc = argv[1][0] == 's' ? cli_submit(argc - 1, argv + 1)
				       : cli_resume(argc - 1, argv + 1);
		http_global_cleanup();
		return rc;
	}
	fprintf(stderr, "cardorder: unknown %s; see cardorder --help\n",
		argv[1][0] == '-' ? "option" : "command");
	return EXIT_USAGE;
}
