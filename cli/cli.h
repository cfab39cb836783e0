/* cli.h: the headless commands. Each returns the process exit status of
 * PRODUCT.md ("Exit status"). */
#ifndef CARDORDER_CLI_H
#define CARDORDER_CLI_H

#include <stdio.h>

enum exit_status {
	EXIT_ALL_CREATED = 0,
	EXIT_SOME_FAILED = 1,
	EXIT_USAGE = 2, /* usage or validation error, nothing sent */
	EXIT_AUTH_NETWORK = 3,
	EXIT_OUTCOME_UNKNOWN = 4
};

int cli_validate(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_status(int argc, char **argv);
int cli_payload(int argc, char **argv);
int cli_submit(int argc, char **argv);
int cli_resume(int argc, char **argv);
int cli_login(int argc, char **argv);
int cli_logout(int argc, char **argv);
void cli_usage(FILE *out);

#endif
