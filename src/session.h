/* session.h: where requests go and with which credentials, from the
 * command line, then the environment, then the config file, then the
 * defaults; tokens from `cardorder login` renewed before they expire and
 * once after a 401. */
#ifndef CARDORDER_SESSION_H
#define CARDORDER_SESSION_H

#include <stdbool.h>
#include <stdio.h>

#include "api.h"
#include "order.h"
#include "settings.h"
#include "status.h"

#define SESSION_PRODUCTION "https://thirdparty.qonto.com"
#define SESSION_SANDBOX "https://thirdparty-sandbox.staging.qonto.co"

struct session_options {
	const char *base_url;    /* --base-url */
	bool sandbox;            /* --sandbox */
	const char *config_path; /* --config */
	FILE *debug;             /* HTTP exchanges (secrets redacted), or NULL */
	/* An event loop renews an expired login on its first 401 (api_renew);
	 * without one, session_open renews it at once, waiting. */
	bool renew_on_loop;
};

struct session {
	struct config cfg;
	struct credentials cred; /* the login's tokens, when they are used */
	bool from_login;         /* the access token came from `login` */
	bool sandbox;            /* a sandbox (Qonto's or the bundled one) */
	char *oauth_base;        /* owned */
	const char *client_id;   /* borrowed from cfg, or the default */
	char note[256];          /* something to tell the person, or "" */
};

/* Reads the config, chooses the base URL and the credentials, and opens
 * api. Environment secrets are removed from the environment once read.
 * An expiring login is renewed here. STATUS_USAGE for a bad config or
 * base URL; STATUS_AUTH when a credentials file is unsafe or a renewal
 * fails. */
enum status session_open(struct session *s, struct api *api,
			 const struct session_options *o, struct status_error *err);
void session_close(struct session *s);

/* Fills what a card leaves out from the config file: organization_id,
 * initiator_id, and bank_account_id when no bank account is named.
 * Returns false when memory runs out. */
bool session_fill_card(const struct session *s, struct card *card);

/* The config and base URL only (for `login`, which needs no token). */
enum status session_base(struct session *s, const struct session_options *o,
			 char **base, struct status_error *err);

#endif
