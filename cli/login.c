/* login.c: `login` (OAuth 2.0 with PKCE and a loopback listener, or
 * --manual for remote machines) and `logout`. */
#include "config.h"

#include "cli.h"
#include "api.h"
#include "directory.h"
#include "http.h"
#include "i18n.h"
#include "oauth.h"
#include "session.h"
#include "text.h"

#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOGIN_TIMEOUT_S 300

extern char **environ;

struct login_cli {
	const char *base_url;
	const char *config;
	bool sandbox;
	bool manual;
	bool no_browser;
};

/* xdg-open, when there is a display to open a browser on. The URL holds
 * no secret (only the PKCE challenge and the state). */
static void open_browser(const char *url)
{
	char *argv[] = { (char *)(uintptr_t)"xdg-open", (char *)(uintptr_t)url, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;

	if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "xdg-open", &fa, NULL, argv, environ) == 0)
		waitpid(pid, NULL, WNOHANG);
	posix_spawn_file_actions_destroy(&fa);
}

static char *read_pasted(void)
{
	char line[8192];

	/* TRANSLATORS: "> " is the prompt; keep it at the end. */
	fprintf(stderr, _("After logging in, the browser goes to an address starting "
			  "with http://127.0.0.1; paste that whole address here:\n> "));
	if (!fgets(line, sizeof(line), stdin))
		return NULL;
	line[strcspn(line, "\r\n")] = '\0';
	return strdup(line);
}

static char *wait_redirect(struct oauth_listener *l)
{
	time_t end = time(NULL) + LOGIN_TIMEOUT_S;
	char *got = NULL;

	fprintf(stderr, P_("Waiting for the browser (at most %d minute)…\n",
			   "Waiting for the browser (at most %d minutes)…\n",
			   LOGIN_TIMEOUT_S / 60),
		LOGIN_TIMEOUT_S / 60);
	while (!got && time(NULL) < end) {
		got = oauth_listener_take(l);
		if (!got)
			usleep(100000);
	}
	return got;
}

static int parse(int argc, char **argv, struct login_cli *o)
{
	static const struct option longopts[] = {
		{ "sandbox", no_argument, NULL, 's' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "config", required_argument, NULL, 'c' },
		{ "manual", no_argument, NULL, 'm' },
		{ "no-browser", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->sandbox = true; break;
		case 'b': o->base_url = optarg; break;
		case 'c': o->config = optarg; break;
		case 'm': o->manual = true; break;
		case 'n': o->no_browser = true; break;
		case 'h': cli_usage(stdout); exit(EXIT_SUCCESS);
		default: return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

static void welcome(struct api *api)
{
	struct status_error err = { 0 };
	struct directory dir;
	struct api_call call = { 0 };

	directory_init(&dir);
	if (api_get_blocking(api, &call, "/v2/organization", &err) == STATUS_OK &&
	    call.http.status == 200)
		directory_parse_organization(&dir, call.http.response,
					     call.http.response_len, NULL);
	api_call_free(&call);
	if (api_get_blocking(api, &call, "/v2/membership", &err) == STATUS_OK &&
	    call.http.status == 200)
		directory_parse_caller(&dir, call.http.response, call.http.response_len,
				       NULL);
	api_call_free(&call);
	if (dir.organization_name) {
		char *org = text_sanitize(dir.organization_name);
		char *who = text_sanitize(dir.initiator_name ? dir.initiator_name : "?");

		/* TRANSLATORS: the organisation's name, then the person's */
		fprintf(stderr, _("Logged in to %s as %s.\n"), org ? org : "",
			who ? who : "");
		free(org);
		free(who);
	} else {
		fprintf(stderr, _("Logged in.\n"));
	}
	directory_free(&dir);
}

int cli_login(int argc, char **argv)
{
	struct login_cli o = { 0 };
	struct session_options so = { 0 };
	struct status_error err = { 0 };
	struct oauth_listener *listener = NULL;
	struct session s;
	struct oauth_login login = { 0 };
	struct credentials cred = { 0 };
	struct api api = { 0 };
	char *base = NULL, *redirect = NULL, *code = NULL;
	int port, rc = EXIT_USAGE;

	if (parse(argc, argv, &o) < 0) {
		fprintf(stderr, _("cardorder login: see cardorder --help\n"));
		return EXIT_USAGE;
	}
	so.base_url = o.base_url;
	so.sandbox = o.sandbox;
	so.config_path = o.config;
	if (session_base(&s, &so, &base, &err) != STATUS_OK)
		goto fail;
	rc = EXIT_AUTH_NETWORK;
	if (api_init(&api, base, NULL, NULL, &err) != STATUS_OK)
		goto fail;
	port = s.cfg.redirect_port_set ? s.cfg.redirect_port : CONFIG_DEFAULT_REDIRECT_PORT;
	if (!o.manual) {
		if (oauth_listen(&listener, port, &err) != STATUS_OK)
			goto fail;
		port = oauth_listener_port(listener);
	}
	if (oauth_login_start(&login, s.oauth_base, s.client_id, port, &err) != STATUS_OK)
		goto fail;
	printf(_("Open this address in a browser and log in to Qonto:\n\n  %s\n\n"),
	       login.auth_url);
	fflush(stdout);
	if (!o.manual && !o.no_browser)
		open_browser(login.auth_url);
	redirect = o.manual ? read_pasted() : wait_redirect(listener);
	oauth_listener_stop(listener);
	listener = NULL;
	if (!redirect) {
		status_set(&err, STATUS_AUTH, "no answer from the browser; run cardorder "
					      "login again (or --manual)");
		goto fail;
	}
	if (oauth_parse_redirect(&login, redirect, &code, &err) != STATUS_OK ||
	    oauth_exchange(&api, s.oauth_base, &login, s.client_id, code, &cred, &err) !=
		    STATUS_OK)
		goto fail;
	cred.api_base = strdup(api.base_url);
	if (credentials_save(&cred, &err) != STATUS_OK)
		goto fail;
	api_set_token(&api, cred.access_token);
	welcome(&api);
	rc = 0;
	goto out;
fail:
	{
		char *safe = text_sanitize(err.message[0] ? err.message
							  : status_message(err.code));

		fprintf(stderr, "cardorder login: %s\n", safe ? safe : "");
		free(safe);
	}
out:
	oauth_listener_stop(listener);
	if (code)
		explicit_bzero(code, strlen(code));
	free(code);
	free(redirect);
	free(base);
	oauth_login_free(&login);
	credentials_free(&cred);
	api_free(&api);
	session_close(&s);
	return rc;
}

int cli_logout(int argc, char **argv)
{
	struct status_error err = { 0 };
	enum status st;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, _("cardorder logout takes no argument\n"));
		return EXIT_USAGE;
	}
	st = credentials_remove(&err);
	if (st == STATUS_OK)
		fprintf(stderr, _("Logged out: the saved tokens are removed.\n"));
	else
		fprintf(stderr, "cardorder logout: %s\n", err.message);
	return st == STATUS_OK || st == STATUS_NOT_FOUND ? 0 : EXIT_AUTH_NETWORK;
}
