/* sca.c: strong customer authentication sessions. A bulk POST without an
 * approved session gets 428 sca_required and a session bound to its
 * idempotency key and body hash; the person (here: the mocked endpoints,
 * /_sandbox, or the auto modes) allows or denies it; a waiting session turns
 * to deny after --sca-lifetime. Callers of the sca_new/find/current helpers
 * hold sb->lock. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

const char *sca_result_name(enum sca_result res)
{
	switch (res) {
	case SCA_ALLOW:
		return "allow";
	case SCA_DENY:
		return "deny";
	default:
		return "waiting";
	}
}

struct sca_session *sca_new(struct sandbox *sb, const char *idem_key,
			    const unsigned char hash[32])
{
	struct sca_session *grown, *s;

	grown =
	    util_grow(sb->sca, &sb->cap_sca, sb->n_sca + 1, sizeof(*sb->sca));
	if (!grown)
		return NULL;
	sb->sca = grown;
	s = &sb->sca[sb->n_sca];
	memset(s, 0, sizeof(*s));
	if (!util_random_token(s->token))
		return NULL;
	snprintf(s->idem_key, sizeof(s->idem_key), "%s", idem_key);
	memcpy(s->body_hash, hash, 32);
	s->result = SCA_WAITING;
	s->expires_ms = util_now_ms() + sb->cfg.sca_lifetime_ms;
	sb->n_sca++;
	return s;
}

struct sca_session *sca_find(struct sandbox *sb, const char *token)
{
	for (size_t i = 0; i < sb->n_sca; i++)
		if (strcmp(sb->sca[i].token, token) == 0)
			return &sb->sca[i];
	return NULL;
}

/* The result now: a waiting session past its lifetime is denied. */
enum sca_result sca_current(struct sandbox *sb, struct sca_session *s)
{
	(void)sb;
	if (s->result == SCA_WAITING && util_now_ms() >= s->expires_ms)
		s->result = SCA_DENY;
	return s->result;
}

static void auto_decide(struct sandbox *sb, struct sca_session *s)
{
	if (s->result != SCA_WAITING || s->polls <= sb->cfg.sca_polls)
		return;
	if (sb->cfg.sca == SCA_AUTO)
		s->result = SCA_ALLOW;
	else if (sb->cfg.sca == SCA_AUTO_DENY)
		s->result = SCA_DENY;
}

static json_object *result_body(enum sca_result res)
{
	json_object *o = json_object_new_object();

	if (o)
		util_add(o, "result",
			 json_object_new_string(sca_result_name(res)));
	return o;
}

/* GET /v2/sca_sessions/{token}; mocked (GET /v2/mocked_sca_sessions/..)
 * reads without counting a poll. */
void sca_get(struct exchange *ex, const char *token, bool mocked,
	     struct reply *r)
{
	struct sandbox *sb = ex->sb;
	struct sca_session *s;
	enum sca_result res = SCA_WAITING;

	pthread_mutex_lock(&sb->lock);
	s = sca_find(sb, token);
	if (s) {
		if (!mocked && sca_current(sb, s) == SCA_WAITING) {
			s->polls++;
			auto_decide(sb, s);
		}
		res = sca_current(sb, s);
	}
	pthread_mutex_unlock(&sb->lock);
	if (!s)
		reply_error(r, 404, "not_found", "Unknown SCA session", NULL);
	else
		reply_take_json(r, 200, result_body(res));
}

/* Mocked user decision: decision is "allow" or "deny". */
void sca_decide(struct exchange *ex, const char *token, const char *decision,
		struct reply *r)
{
	struct sandbox *sb = ex->sb;
	enum sca_result want =
	    strcmp(decision, "allow") == 0 ? SCA_ALLOW : SCA_DENY;
	struct sca_session *s;
	enum sca_result res = SCA_WAITING;

	pthread_mutex_lock(&sb->lock);
	s = sca_find(sb, token);
	if (s) {
		res = sca_current(sb, s);
		if (res == SCA_WAITING)
			res = s->result = want;
	}
	pthread_mutex_unlock(&sb->lock);
	if (!s)
		reply_error(r, 404, "not_found", "Unknown SCA session", NULL);
	else if (res != want)
		reply_error(r, 422, "sca_session_closed",
			    "The SCA session was already decided or expired",
			    NULL);
	else
		reply_take_json(r, 200, result_body(res));
}

void sca_clear(struct sandbox *sb)
{
	free(sb->sca);
	sb->sca = NULL;
	sb->n_sca = sb->cap_sca = 0;
}
