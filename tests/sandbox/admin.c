/* admin.c: /_sandbox/..., the test-only control endpoints (no
 * authentication, no faults, no rate limit): what was created, counters,
 * reset, SCA decisions and token expiry. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

static json_object *stats_object(const struct sandbox *sb)
{
	const struct counters *c = &sb->stats;
	json_object *o = json_object_new_object();
	json_object *faults = json_object_new_object();
	json_object *status = json_object_new_object();
	char key[8];

	for (int k = 0; faults && k < FAULT_COUNT; k++)
		util_add(faults, fault_name((enum fault_kind)k),
			 json_object_new_int64((int64_t)c->faults[k]));
	for (int s = 1; status && s <= 5; s++) {
		snprintf(key, sizeof(key), "%dxx", s);
		util_add(status, key,
			 json_object_new_int64((int64_t)c->status[s]));
	}
	if (!o) {
		json_object_put(faults);
		json_object_put(status);
		return NULL;
	}
	util_add(o, "requests", json_object_new_int64((int64_t)c->requests));
	util_add(o, "bulk_requests",
		 json_object_new_int64((int64_t)c->bulk_requests));
	util_add(o, "cards_created",
		 json_object_new_int64((int64_t)c->cards_created));
	util_add(o, "idempotent_replays",
		 json_object_new_int64((int64_t)c->idem_replays));
	util_add(o, "sca_challenges",
		 json_object_new_int64((int64_t)c->sca_challenges));
	util_add(o, "rate_limited",
		 json_object_new_int64((int64_t)c->rate_limited));
	util_add(o, "faults", faults);
	util_add(o, "by_status", status);
	return o;
}

static json_object *card_summary(const struct stored_card *c)
{
	json_object *o = json_object_new_object();
	char when[32];

	if (!o)
		return NULL;
	util_iso_time(c->created_ms, when);
	util_add(o, "id", json_object_new_string(c->id));
	util_add(o, "holder_id", json_object_new_string(c->holder_id));
	util_add(o, "card_level", json_object_new_string(c->card_level));
	util_add(o, "idempotency_key", json_object_new_string(c->idem_key));
	util_add(o, "created_at", json_object_new_string(when));
	util_add(o, "seq", json_object_new_int64((int64_t)c->seq));
	return o;
}

static void bump_holder(json_object *by_holder, const char *holder)
{
	json_object *n;

	if (json_object_object_get_ex(by_holder, holder, &n))
		json_object_int_inc(n, 1);
	else
		util_add(by_holder, holder, json_object_new_int(1));
}

/* GET /_sandbox/cards (caller holds the lock). */
static json_object *cards_object(const struct sandbox *sb)
{
	json_object *o = json_object_new_object();
	json_object *list = json_object_new_array();
	json_object *by_holder = json_object_new_object();

	int64_t n = 0;

	/* the cards created here: the seeded ones are the organisation's */
	for (size_t i = 0; list && by_holder && i < sb->n_cards; i++) {
		if (sb->cards[i].existing)
			continue;
		util_push(list, card_summary(&sb->cards[i]));
		bump_holder(by_holder, sb->cards[i].holder_id);
		n++;
	}
	if (!o) {
		json_object_put(list);
		json_object_put(by_holder);
		return NULL;
	}
	util_add(o, "count", json_object_new_int64(n));
	util_add(o, "cards", list);
	util_add(o, "by_holder", by_holder);
	util_add(o, "stats", stats_object(sb));
	return o;
}

static json_object *sessions_object(struct sandbox *sb)
{
	json_object *o = json_object_new_object();
	json_object *list = json_object_new_array();

	for (size_t i = 0; list && i < sb->n_sca; i++) {
		struct sca_session *s = &sb->sca[i];
		json_object *e = json_object_new_object();

		if (!e)
			continue;
		util_add(e, "token", json_object_new_string(s->token));
		util_add(e, "result",
			 json_object_new_string(
			     sca_result_name(sca_current(sb, s))));
		util_add(e, "polls", json_object_new_int64(s->polls));
		util_add(e, "idempotency_key",
			 json_object_new_string(s->idem_key));
		util_add(e, "used", json_object_new_boolean(s->used));
		util_push(list, e);
	}
	if (o)
		util_add(o, "sca_sessions", list);
	else
		json_object_put(list);
	return o;
}

static void free_cards(struct sandbox *sb)
{
	for (size_t i = 0; i < sb->n_cards; i++)
		json_object_put(sb->cards[i].obj);
	free(sb->cards);
	sb->cards = NULL;
	sb->n_cards = sb->cap_cards = 0;
}

static void clear_locked(struct sandbox *sb);

/* Forgets everything created since start (takes the lock). */
void admin_reset(struct sandbox *sb)
{
	pthread_mutex_lock(&sb->lock);
	clear_locked(sb);
	/* under the same lock: no request sees the organisation without
	 * its cards */
	if (bulk_seed_existing(sb) < 0)
		fprintf(stderr, "qonto-sandbox: out of memory for the existing cards\n");
	pthread_mutex_unlock(&sb->lock);
}

void admin_clear(struct sandbox *sb)
{
	pthread_mutex_lock(&sb->lock);
	clear_locked(sb);
	pthread_mutex_unlock(&sb->lock);
}

/* Everything created since start is forgotten (lock held). */
static void clear_locked(struct sandbox *sb)
{
	free_cards(sb);
	idem_clear(sb);
	sca_clear(sb);
	oauth_clear(sb);
	oauth_preregister(sb);
	memset(&sb->stats, 0, sizeof(sb->stats));
	memset(sb->window_start_ms, 0, sizeof(sb->window_start_ms));
	memset(sb->window_count, 0, sizeof(sb->window_count));
	sb->fault_draws = 0;
	sb->faults_injected = 0;
	sb->card_seq = 0;
}

/* Decides every waiting session; returns how many (lock held). */
static size_t decide_all(struct sandbox *sb, enum sca_result res)
{
	size_t n = 0;

	for (size_t i = 0; i < sb->n_sca; i++) {
		if (sca_current(sb, &sb->sca[i]) == SCA_WAITING) {
			sb->sca[i].result = res;
			n++;
		}
	}
	return n;
}

static size_t expire_tokens(struct sandbox *sb)
{
	int64_t now = util_now_ms();
	size_t n = 0;

	for (size_t i = 0; i < sb->n_tokens; i++) {
		if (sb->tokens[i].kind == TOKEN_ACCESS) {
			sb->tokens[i].expires_ms = now;
			n++;
		}
	}
	return n;
}

static json_object *count_object(const char *key, size_t n)
{
	json_object *o = json_object_new_object();

	if (o)
		util_add(o, key, json_object_new_int64((int64_t)n));
	return o;
}

/* The locked GET/POST actions; NULL path match leaves r untouched. */
static bool locked_action(struct sandbox *sb, const char *method,
			  const char *path, struct reply *r)
{
	bool get = strcmp(method, "GET") == 0;
	bool post = strcmp(method, "POST") == 0;
	json_object *o;

	if (get && strcmp(path, "cards") == 0)
		o = cards_object(sb);
	else if (get && strcmp(path, "stats") == 0)
		o = stats_object(sb);
	else if (get && strcmp(path, "sca_sessions") == 0)
		o = sessions_object(sb);
	else if (post && strcmp(path, "sca/allow") == 0)
		o = count_object("decided", decide_all(sb, SCA_ALLOW));
	else if (post && strcmp(path, "sca/deny") == 0)
		o = count_object("decided", decide_all(sb, SCA_DENY));
	else if (post && strcmp(path, "expire_tokens") == 0)
		o = count_object("expired", expire_tokens(sb));
	else
		return false;
	reply_take_json(r, 200, o);
	return true;
}

/* POST /_sandbox/sca_sessions/{token}/allow|deny */
static bool session_action(struct exchange *ex, const char *path,
			   struct reply *r)
{
	static const char prefix[] = "sca_sessions/";
	char token[sizeof(((struct token *)0)->value)];
	const char *slash;

	if (strcmp(ex->method, "POST") != 0 ||
	    strncmp(path, prefix, sizeof(prefix) - 1) != 0)
		return false;
	path += sizeof(prefix) - 1;
	slash = strchr(path, '/');
	if (!slash || (size_t)(slash - path) >= sizeof(token) ||
	    (strcmp(slash, "/allow") != 0 && strcmp(slash, "/deny") != 0))
		return false;
	memcpy(token, path, (size_t)(slash - path));
	token[slash - path] = '\0';
	sca_decide(ex, token, slash + 1, r);
	return true;
}

/* POST /_sandbox/faults {"rate": R, "faults": "a,b", "count": N,
 * "bulk": true}: new fault settings from now on (a test that needs faults
 * for its second order only). */
static void set_faults(struct exchange *ex, struct reply *r)
{
	struct sandbox *sb = ex->sb;
	json_object *body = util_parse_json(ex->body ? ex->body : "", ex->body_len);
	json_object *rate = NULL, *kinds = NULL, *count = NULL, *bulk = NULL;
	unsigned int mask = sb->cfg.fault_mask;

	json_object_object_get_ex(body, "rate", &rate);
	json_object_object_get_ex(body, "faults", &kinds);
	json_object_object_get_ex(body, "count", &count);
	json_object_object_get_ex(body, "bulk", &bulk);
	if (!body || !rate || json_object_get_double(rate) < 0 ||
	    json_object_get_double(rate) > 1 ||
	    (kinds && fault_parse_list(json_object_get_string(kinds), &mask) < 0)) {
		json_object_put(body);
		reply_error(r, 400, "invalid", "rate 0..1, faults: a list", NULL);
		return;
	}
	pthread_mutex_lock(&sb->lock);
	sb->cfg.fault_rate = json_object_get_double(rate);
	sb->cfg.fault_mask = mask;
	sb->cfg.fault_count = count ? (unsigned long)json_object_get_int64(count) : 0;
	sb->cfg.fault_bulk_only = bulk && json_object_get_boolean(bulk);
	sb->faults_injected = 0;
	pthread_mutex_unlock(&sb->lock);
	json_object_put(body);
	reply_take_json(r, 200, count_object("faults", 1));
}

/* The statuses a card may be moved to (qonto-api.md). */
static bool known_status(const char *s)
{
	static const char *const statuses[] = {
		"pending", "live", "paused", "stolen", "lost", "pin_blocked",
		"discarded", "expired", "shipped_lost", "onhold", "order_canceled",
		"pre_expired", "abusive" };

	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(s, statuses[i]) == 0)
			return true;
	return false;
}

/* Moves one stored card along its life (caller holds the lock). */
static void live_a_little(struct stored_card *c, json_object *status,
			  json_object *pin_set, json_object *shipped)
{
	json_object *was = NULL;
	char when[32];

	if (status)
		util_add(c->obj, "status", json_object_new_string(json_object_get_string(status)));
	if (pin_set)
		util_add(c->obj, "pin_set", json_object_new_boolean(json_object_get_boolean(pin_set)));
	/* shipped once: a second "shipped" keeps the first date */
	if (shipped && json_object_get_boolean(shipped) &&
	    (!json_object_object_get_ex(c->obj, "shipped_at", &was) || !was)) {
		util_iso_time(util_wall_ms(), when);
		util_add(c->obj, "shipped_at", json_object_new_string(when));
	} else if (shipped && !json_object_get_boolean(shipped)) {
		util_add(c->obj, "shipped_at", NULL);
	}
	util_iso_time(util_wall_ms(), when);
	util_add(c->obj, "updated_at", json_object_new_string(when));
}

/* POST /_sandbox/cards/life {"ids": [...], "status", "pin_set", "shipped"}:
 * what the holder and Qonto do after an order (set a PIN, the card is
 * shipped and goes live), for the tests. Unknown ids are counted, not
 * fatal. */
static void card_life(struct exchange *ex, struct reply *r)
{
	struct sandbox *sb = ex->sb;
	json_object *body = util_parse_json(ex->body ? ex->body : "", ex->body_len);
	json_object *ids = NULL, *status = NULL, *pin = NULL, *shipped = NULL, *out;
	size_t moved = 0, missing = 0;

	json_object_object_get_ex(body, "ids", &ids);
	json_object_object_get_ex(body, "status", &status);
	json_object_object_get_ex(body, "pin_set", &pin);
	json_object_object_get_ex(body, "shipped", &shipped);
	if (!body || !json_object_is_type(ids, json_type_array) ||
	    (status && (!json_object_is_type(status, json_type_string) ||
			!known_status(json_object_get_string(status)))) ||
	    (pin && !json_object_is_type(pin, json_type_boolean)) ||
	    (shipped && !json_object_is_type(shipped, json_type_boolean))) {
		json_object_put(body);
		reply_error(r, 400, "invalid", "ids: a list of card ids; status: a card "
					       "status; pin_set, shipped: booleans", NULL);
		return;
	}
	pthread_mutex_lock(&sb->lock);
	for (size_t i = 0; i < json_object_array_length(ids); i++) {
		const char *id = json_object_get_string(json_object_array_get_idx(ids, i));
		bool found = false;

		for (size_t k = 0; id && k < sb->n_cards && !found; k++)
			if (strcmp(sb->cards[k].id, id) == 0) {
				live_a_little(&sb->cards[k], status, pin, shipped);
				found = true;
			}
		if (found)
			moved++;
		else
			missing++;
	}
	pthread_mutex_unlock(&sb->lock);
	json_object_put(body);
	out = count_object("moved", moved);
	if (out)
		util_add(out, "unknown", json_object_new_int64((int64_t)missing));
	reply_take_json(r, 200, out);
}

void admin_dispatch(struct exchange *ex, struct reply *r)
{
	struct sandbox *sb = ex->sb;
	const char *path = ex->url + strlen("/_sandbox/");
	bool done;

	if (strcmp(ex->method, "POST") == 0 && strcmp(path, "reset") == 0) {
		admin_reset(sb);
		reply_take_json(r, 200, count_object("reset", 1));
		return;
	}
	if (strcmp(ex->method, "POST") == 0 && strcmp(path, "faults") == 0) {
		set_faults(ex, r);
		return;
	}
	if (strcmp(ex->method, "POST") == 0 && strcmp(path, "cards/life") == 0) {
		card_life(ex, r);
		return;
	}
	if (session_action(ex, path, r))
		return;
	pthread_mutex_lock(&sb->lock);
	done = locked_action(sb, ex->method, path, r);
	pthread_mutex_unlock(&sb->lock);
	if (!done)
		reply_error(r, 404, "not_found", "No such sandbox endpoint",
			    NULL);
}
