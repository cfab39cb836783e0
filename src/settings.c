/* settings.c: the config and credentials files. */
#include "config.h"

#include "settings.h"
#include "fsutil.h"
#include "text.h"
#include "values.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SETTINGS_MAX_BYTES (64u * 1024u)

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	free(cfg->path);
	free(cfg->base_url);
	free(cfg->organization_id);
	free(cfg->initiator_id);
	free(cfg->bank_account_id);
	free(cfg->client_id);
	free(cfg->twofa);
	free(cfg->fees_file);
	free(cfg->csv_format);
	memset(cfg, 0, sizeof(*cfg));
}

void credentials_free(struct credentials *cred)
{
	if (!cred)
		return;
	free(cred->path);
	wipe_free(cred->access_token);
	wipe_free(cred->refresh_token);
	free(cred->api_base);
	memset(cred, 0, sizeof(*cred));
}

static char *file_in_config(const char *name)
{
	char *dir = fs_xdg_dir(XDG_CONFIG), *path;

	if (!dir)
		return NULL;
	path = fs_join(dir, name);
	free(dir);
	return path;
}

char *config_default_path(void)
{
	return file_in_config("config");
}

char *credentials_default_path(void)
{
	return file_in_config("credentials");
}

/* Opens without following links and checks who may read it. secret: no
 * access at all for group and others; otherwise no write access. */
static enum status open_checked(const char *path, bool secret, char **text,
				struct status_error *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	enum status st = STATUS_OK;
	struct stat sb;
	ssize_t n;
	size_t used = 0;

	if (fd < 0)
		return errno == ENOENT ? status_set(err, STATUS_NOT_FOUND, "%s does not exist", path)
				       : status_set(err, STATUS_IO, "cannot open %s: %s", path,
						    strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > SETTINGS_MAX_BYTES) {
		st = status_set(err, STATUS_IO, "%s is not a regular file of at most "
						"64 KiB", path);
		goto out;
	}
	if (sb.st_uid != geteuid() || (sb.st_mode & (secret ? 077u : 022u))) {
		if (secret)
			st = status_set(err, STATUS_IO,
					"%s may be read by other users, so it is not used; "
					"fix it with: chmod 600 '%s'",
					path, path);
		else
			st = status_set(err, STATUS_IO,
					"%s may be changed by other users, so it is not "
					"used; fix it with: chmod go-w '%s'",
					path, path);
		goto out;
	}
	*text = calloc(1, (size_t)sb.st_size + 1);
	if (!*text) {
		st = status_set(err, STATUS_NOMEM, NULL);
		goto out;
	}
	while (used < (size_t)sb.st_size && (n = read(fd, *text + used,
						      (size_t)sb.st_size - used)) > 0)
		used += (size_t)n;
out:
	close(fd);
	return st;
}

/* One "key = value" line; comments (#) and blank lines give no key.
 * Returns false for a line that is neither. */
static bool split_line(char *line, char **key, char **value)
{
	char *eq, *end;

	*key = *value = NULL;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '#' || *line == '\0' || *line == '\r')
		return true;
	eq = strchr(line, '=');
	if (!eq)
		return false;
	*eq = '\0';
	for (end = eq; end > line && (end[-1] == ' ' || end[-1] == '\t'); end--)
		end[-1] = '\0';
	*key = line;
	for (line = eq + 1; *line == ' ' || *line == '\t'; line++)
		;
	end = line + strlen(line);
	while (end > line && strchr(" \t\r", end[-1]))
		*--end = '\0';
	if (end - line >= 2 && line[0] == '"' && end[-1] == '"') {
		end[-1] = '\0';
		line++;
	}
	*value = line;
	return **key != '\0';
}

typedef enum status (*kv_handler)(void *target, const char *key,
				  const char *value, const char *where,
				  struct status_error *err);

static enum status parse_kv(char *text, const char *path, kv_handler handle,
			    void *target, struct status_error *err)
{
	enum status st = STATUS_OK;
	char *line = text, *nl, *key, *value, where[600];
	unsigned lineno = 0;

	while (st == STATUS_OK && line && *line) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		snprintf(where, sizeof(where), "%s:%u", path, lineno);
		if (!text_utf8_valid(line, strlen(line)))
			st = status_set(err, STATUS_FORMAT, "%s: not UTF-8 text", where);
		else if (!split_line(line, &key, &value))
			st = status_set(err, STATUS_FORMAT, "%s: expected key = value", where);
		else if (key)
			st = handle(target, key, value, where, err);
		line = nl ? nl + 1 : NULL;
	}
	return st;
}

static enum status set_string(char **dst, const char *value,
			      struct status_error *err)
{
	free(*dst);
	*dst = strdup(value);
	return *dst ? STATUS_OK : status_set(err, STATUS_NOMEM, NULL);
}

static enum status config_key(void *target, const char *key, const char *value,
			      const char *where, struct status_error *err)
{
	static const char *const twofa[] = { "paired-device", "passkey", "sms-otp",
					     "mock", NULL };
	struct config *cfg = target;
	char *end;
	long port;

	if (strcmp(key, "base_url") == 0) {
		if (strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0)
			return status_set(err, STATUS_FORMAT, "%s: base_url must be an "
							      "https:// address", where);
		return set_string(&cfg->base_url, value, err);
	}
	if (strcmp(key, "sandbox") == 0) {
		if (!value_parse_bool(value, &cfg->sandbox))
			return status_set(err, STATUS_FORMAT, "%s: sandbox must be true "
							      "or false", where);
		cfg->sandbox_set = true;
		return STATUS_OK;
	}
	if (strcmp(key, "organization_id") == 0 || strcmp(key, "initiator_id") == 0 ||
	    strcmp(key, "bank_account_id") == 0) {
		if (!value_uuid_valid(value))
			return status_set(err, STATUS_FORMAT, "%s: %s must be a Qonto id "
							      "(a UUID)", where, key);
		return set_string(key[0] == 'o' ? &cfg->organization_id
				  : key[0] == 'i' ? &cfg->initiator_id
						  : &cfg->bank_account_id, value, err);
	}
	if (strcmp(key, "client_id") == 0) {
		if (!*value || text_has_controls(value))
			return status_set(err, STATUS_FORMAT, "%s: client_id is empty or "
							      "holds control characters", where);
		return set_string(&cfg->client_id, value, err);
	}
	if (strcmp(key, "redirect_port") == 0) {
		port = strtol(value, &end, 10);
		if (*end || !*value || (port != 0 && port < 1024) || port > 65535)
			return status_set(err, STATUS_FORMAT, "%s: redirect_port must be "
							      "a port from 1024 to 65535, "
							      "or 0 for any free one", where);
		cfg->redirect_port_set = true;
		cfg->redirect_port = (int)port;
		return STATUS_OK;
	}
	if (strcmp(key, "2fa_preference") == 0) {
		for (size_t i = 0; twofa[i]; i++)
			if (strcmp(value, twofa[i]) == 0)
				return set_string(&cfg->twofa, value, err);
		return status_set(err, STATUS_FORMAT, "%s: 2fa_preference must be "
						      "paired-device, passkey, sms-otp or mock",
				  where);
	}
	if (strcmp(key, "fees_file") == 0) {
		if (!*value || text_has_controls(value))
			return status_set(err, STATUS_FORMAT, "%s: fees_file is empty or "
							      "holds control characters", where);
		return set_string(&cfg->fees_file, value, err);
	}
	if (strcmp(key, "csv_format") == 0) {
		if (strcmp(value, "standard") != 0 && strcmp(value, "excel-fr") != 0)
			return status_set(err, STATUS_FORMAT, "%s: csv_format must be "
							      "standard or excel-fr", where);
		return set_string(&cfg->csv_format, value, err);
	}
	return status_set(err, STATUS_FORMAT,
			  "%s: unknown key \"%s\"; the keys are base_url, sandbox, "
			  "organization_id, initiator_id, bank_account_id, client_id, "
			  "redirect_port, 2fa_preference, fees_file and csv_format",
			  where, key);
}

enum status config_load(struct config *cfg, const char *path,
			struct status_error *err)
{
	char *own = path ? strdup(path) : config_default_path(), *text = NULL;
	enum status st;

	memset(cfg, 0, sizeof(*cfg));
	if (!own)
		return path ? status_set(err, STATUS_NOMEM, NULL) : STATUS_OK;
	st = open_checked(own, false, &text, err);
	if (st == STATUS_NOT_FOUND && !path) {
		free(own);
		return STATUS_OK; /* no config file: defaults */
	}
	if (st == STATUS_OK)
		st = parse_kv(text, own, config_key, cfg, err);
	free(text);
	if (st == STATUS_OK)
		cfg->path = own;
	else
		free(own);
	return st;
}

static enum status credentials_key(void *target, const char *key,
				   const char *value, const char *where,
				   struct status_error *err)
{
	struct credentials *cred = target;
	char *end;
	long long when;

	if (strcmp(key, "access_token") == 0)
		return set_string(&cred->access_token, value, err);
	if (strcmp(key, "refresh_token") == 0)
		return set_string(&cred->refresh_token, value, err);
	if (strcmp(key, "api_base") == 0)
		return set_string(&cred->api_base, value, err);
	if (strcmp(key, "expires_at") == 0) {
		when = strtoll(value, &end, 10);
		if (*end || when < 0)
			return status_set(err, STATUS_FORMAT, "%s: expires_at must be a "
							      "number of seconds", where);
		cred->expires_at = (time_t)when;
		return STATUS_OK;
	}
	return status_set(err, STATUS_FORMAT, "%s: unknown key \"%s\"", where, key);
}

enum status credentials_load(struct credentials *cred, struct status_error *err)
{
	char *text = NULL;
	enum status st;

	memset(cred, 0, sizeof(*cred));
	cred->path = credentials_default_path();
	if (!cred->path)
		return status_set(err, STATUS_NOT_FOUND, "no home directory is known");
	st = open_checked(cred->path, true, &text, err);
	if (st == STATUS_OK)
		st = parse_kv(text, cred->path, credentials_key, cred, err);
	wipe_free(text);
	return st;
}

enum status credentials_save(const struct credentials *cred,
			     struct status_error *err)
{
	char *path = credentials_default_path(), *dir = fs_xdg_dir(XDG_CONFIG);
	char *text = NULL;
	enum status st;
	int n;

	if (!path || !dir) {
		st = status_set(err, STATUS_IO, "no home directory is known");
		goto out;
	}
	st = fs_mkdirs(dir, err);
	if (st != STATUS_OK)
		goto out;
	n = asprintf(&text, "# cardorder login: OAuth tokens. Keep this file private.\n"
			    "api_base = %s\naccess_token = %s\nrefresh_token = %s\n"
			    "expires_at = %" PRId64 "\n",
		     cred->api_base ? cred->api_base : "",
		     cred->access_token ? cred->access_token : "",
		     cred->refresh_token ? cred->refresh_token : "",
		     (int64_t)cred->expires_at);
	if (n < 0) {
		text = NULL;
		st = status_set(err, STATUS_NOMEM, NULL);
		goto out;
	}
	st = fs_write_atomic(path, text, (size_t)n, err);
out:
	wipe_free(text);
	free(path);
	free(dir);
	return st;
}

enum status credentials_remove(struct status_error *err)
{
	char *path = credentials_default_path();
	enum status st = STATUS_OK;

	if (!path)
		return status_set(err, STATUS_NOT_FOUND, "no home directory is known");
	if (unlink(path) < 0)
		st = errno == ENOENT ? status_set(err, STATUS_NOT_FOUND,
						  "you were not logged in")
				     : status_set(err, STATUS_IO, "cannot remove %s: %s",
						  path, strerror(errno));
	free(path);
	return st;
}

enum status config_parse_text(struct config *cfg, char *text, const char *name)
{
	memset(cfg, 0, sizeof(*cfg));
	return parse_kv(text, name, config_key, cfg, NULL);
}

enum status credentials_parse_text(struct credentials *cred, char *text,
				   const char *name)
{
	memset(cred, 0, sizeof(*cred));
	return parse_kv(text, name, credentials_key, cred, NULL);
}
