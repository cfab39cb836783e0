/* session.c: base URL and credentials, by precedence. */
#include "config.h"

#include "session.h"
#include "i18n.h"
#include "oauth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RENEW_BEFORE_S 60

static char *take_env(const char *name)
{
	const char *v = getenv(name);
	char *copy = v && *v ? strdup(v) : NULL;

	if (v)
		unsetenv(name); /* no child process inherits a secret */
	return copy;
}

enum status session_base(struct session *s, const struct session_options *o,
			 char **base, struct status_error *err)
{
	const char *env = getenv("QONTO_API_BASE");
	enum status st;

	memset(s, 0, sizeof(*s));
	st = config_load(&s->cfg, o->config_path, err);
	if (st != STATUS_OK)
		return err ? (err->code = STATUS_USAGE) : STATUS_USAGE;
	s->client_id = s->cfg.client_id ? s->cfg.client_id : CONFIG_DEFAULT_CLIENT_ID;
	s->sandbox = o->sandbox || (s->cfg.sandbox_set && s->cfg.sandbox);
	*base = strdup(o->base_url     ? o->base_url
		       : env && *env   ? env
		       : s->cfg.base_url ? s->cfg.base_url
		       : s->sandbox    ? SESSION_SANDBOX
				       : SESSION_PRODUCTION);
	if (!*base)
		return status_set(err, STATUS_NOMEM, NULL);
	/* The bundled sandbox is plain http on this machine. */
	if (strncmp(*base, "http://", 7) == 0)
		s->sandbox = true;
	s->oauth_base = oauth_base_for(*base);
	return s->oauth_base ? STATUS_OK : status_set(err, STATUS_NOMEM, NULL);
}

static enum status renewal_form(void *user, char **url, char **form,
				struct status_error *err)
{
	const struct session *s = user;

	return oauth_refresh_form(s->oauth_base, s->client_id, &s->cred, url,
				  form, err);
}

/* The new tokens replace the saved ones before the new access token is
 * used: Qonto rotates the refresh token, and the old one is dead now. */
static enum status renewal_take(struct api *api, void *user,
				const struct http_request *answer,
				struct status_error *err)
{
	struct session *s = user;
	enum status st;

	st = oauth_token_answer(answer, s->oauth_base, &s->cred, err);
	if (st == STATUS_OK)
		st = credentials_save(&s->cred, err);
	if (st == STATUS_OK && api_set_token(api, s->cred.access_token) != STATUS_OK)
		st = status_set(err, STATUS_NOMEM, NULL);
	return st;
}

static const struct api_refresher session_refresher = {
	.form = renewal_form,
	.take = renewal_take,
};

/* The login's tokens, when no token is in the environment. */
static enum status use_login(struct session *s, struct api_credentials *cred,
			     const char *base, struct status_error *err)
{
	enum status st = credentials_load(&s->cred, err);

	if (st == STATUS_NOT_FOUND) {
		credentials_free(&s->cred);
		return STATUS_OK;
	}
	if (st != STATUS_OK)
		return err ? (err->code = STATUS_AUTH) : STATUS_AUTH;
	if (s->cred.api_base && *s->cred.api_base && strcmp(s->cred.api_base, base) != 0) {
		snprintf(s->note, sizeof(s->note),
			 /* TRANSLATORS: both %s are API addresses. */
			 _("the saved login is for %s, not %s: log in again"),
			 s->cred.api_base, base);
		credentials_free(&s->cred);
		return STATUS_OK;
	}
	cred->access_token = s->cred.access_token ? strdup(s->cred.access_token) : NULL;
	s->from_login = cred->access_token != NULL;
	return STATUS_OK;
}

enum status session_open(struct session *s, struct api *api,
			 const struct session_options *o, struct status_error *err)
{
	struct api_credentials cred = { 0 };
	char *base = NULL;
	enum status st;

	st = session_base(s, o, &base, err);
	cred.access_token = take_env("QONTO_ACCESS_TOKEN");
	cred.api_key = take_env("QONTO_API_KEY");
	cred.staging_token = take_env("QONTO_STAGING_TOKEN");
	if (st == STATUS_OK && !cred.access_token)
		st = use_login(s, &cred, base, err);
	if (st == STATUS_OK)
		st = api_init(api, base, &cred, NULL, err);
	api_credentials_free(&cred);
	free(base);
	if (st != STATUS_OK)
		return st;
	if (o->debug)
		http_set_debug(api->http, o->debug);
	snprintf(api->twofa, sizeof(api->twofa), "%s",
		 s->cfg.twofa ? s->cfg.twofa : s->sandbox ? "mock" : "paired-device");
	if (!s->from_login)
		return STATUS_OK;
	api->refresher = &session_refresher;
	api->refresh_user = s;
	if (!o->renew_on_loop && s->cred.expires_at &&
	    s->cred.expires_at - time(NULL) < RENEW_BEFORE_S)
		return api_renew_blocking(api, err);
	return STATUS_OK;
}

static bool fill(struct card *card, enum field_id id, const char *value)
{
	return !value || card_has(card, id) || card_set_text(card, id, value);
}

bool session_fill_card(const struct session *s, struct card *card)
{
	return fill(card, FIELD_ORGANIZATION_ID, s->cfg.organization_id) &&
	       fill(card, FIELD_INITIATOR_ID, s->cfg.initiator_id) &&
	       (card_has(card, FIELD_BANK_ACCOUNT) ||
		fill(card, FIELD_BANK_ACCOUNT_ID, s->cfg.bank_account_id));
}

void session_close(struct session *s)
{
	config_free(&s->cfg);
	credentials_free(&s->cred);
	free(s->oauth_base);
	memset(s, 0, sizeof(*s));
}
