/* settings.h: the configuration file and the credentials file
 * (PRODUCT.md, "Credentials and configuration"). Both are `key = value`
 * lines under $XDG_CONFIG_HOME/cardorder/. Precedence, applied by the
 * callers: command line, then environment, then the config file, then
 * defaults. */
#ifndef CARDORDER_SETTINGS_H
#define CARDORDER_SETTINGS_H

#include <stdbool.h>
#include <time.h>

#include "status.h"

#define CONFIG_DEFAULT_CLIENT_ID "cardorder"
#define CONFIG_DEFAULT_REDIRECT_PORT 8739

/* Strings owned; NULL when not set. */
struct config {
	char *path;            /* the file read, or NULL when there was none */
	char *base_url;
	bool sandbox;
	bool sandbox_set;
	char *organization_id;
	char *initiator_id;
	char *bank_account_id;
	char *client_id;
	int redirect_port;     /* 0: any free port (when redirect_port_set) */
	bool redirect_port_set;
	char *twofa;           /* 2fa_preference */
	char *fees_file;       /* replaces the built-in fee table (fees.h) */
	char *csv_format;      /* "standard" or "excel-fr" (results.h) */
};

/* Secrets: wiped when freed. */
struct credentials {
	char *path;
	char *access_token;
	char *refresh_token;
	time_t expires_at;     /* 0 when unknown */
	char *api_base;        /* the API these tokens are for */
};

void config_free(struct config *cfg);
void credentials_free(struct credentials *cred);

/* Reads path (NULL: $XDG_CONFIG_HOME/cardorder/config). A missing file is
 * not an error. Unknown keys, bad values and a file others may write are
 * errors whose message names the file, the line and the fix. */
enum status config_load(struct config *cfg, const char *path,
			struct status_error *err);

/* Reads the credentials file. A missing file gives STATUS_NOT_FOUND; a
 * file readable or writable by anyone but its owner is refused (with the
 * chmod that fixes it). */
enum status credentials_load(struct credentials *cred, struct status_error *err);

/* Writes the credentials atomically with mode 0600 (directory 0700). */
enum status credentials_save(const struct credentials *cred,
			     struct status_error *err);

/* Removes the credentials file; STATUS_NOT_FOUND when there was none. */
enum status credentials_remove(struct status_error *err);

/* Parsers of a file's text (modified in place), for tests and fuzzing;
 * name appears in messages. */
enum status config_parse_text(struct config *cfg, char *text, const char *name);
enum status credentials_parse_text(struct credentials *cred, char *text,
				   const char *name);

/* The default paths (owned), or NULL when no home is known. */
char *config_default_path(void);
char *credentials_default_path(void);

#endif
