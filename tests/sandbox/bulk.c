/* bulk.c: POST /v2/cards/bulk. The order of checks: idempotency key and
 * body, the idempotency cache, the envelope (and, in whole mode, every
 * card), SCA, then creation with per-card error entries. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox.h"

/* Fields of a request card echoed in the created card, in the order of the
 * documented example. */
static const char *const echoed[] = {
    "ship_to_business",
    "atm_option",
    "nfc_option",
    "online_option",
    "foreign_option",
    "atm_monthly_limit",
    "atm_daily_limit_option",
    "atm_daily_limit",
    "payment_monthly_limit",
    "payment_daily_limit_option",
    "payment_daily_limit",
    "payment_transaction_limit_option",
    "payment_transaction_limit",
    "holder_id",
    "initiator_id",
    "bank_account_id",
    "organization_id",
    "card_level",
    "payment_lifespan_limit",
    "pre_expires_at",
    "active_days",
    "categories",
    "card_design",
    "type_of_print",
    "address",
};

static const char *header(struct exchange *ex, const char *name)
{
	return MHD_lookup_connection_value(ex->conn, MHD_HEADER_KIND, name);
}

static const char *req_string(json_object *req, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(req, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static json_object *default_for(const char *field)
{
	if (strstr(field, "_option") || strcmp(field, "ship_to_business") == 0)
		return json_object_new_boolean(0);
	if (strcmp(field, "active_days") == 0) {
		json_object *days = json_object_new_array();

		for (int d = 1; days && d <= 7; d++)
			util_push(days, json_object_new_int(d));
		return days;
	}
	if (strcmp(field, "categories") == 0)
		return json_object_new_array();
	return NULL; /* JSON null */
}

/* Sent values come back as sent; the others get Qonto-like defaults. */
static void echo_fields(struct sandbox *sb, json_object *card, json_object *req)
{
	const char *level = req_string(req, "card_level");
	const char *design =
	    level ? seed_default_design(&sb->seed, level) : NULL;

	for (size_t i = 0; i < sizeof(echoed) / sizeof(echoed[0]); i++) {
		json_object *v;

		if (json_object_object_get_ex(req, echoed[i], &v))
			util_add(card, echoed[i], json_object_get(v));
		else if (design && strcmp(echoed[i], "card_design") == 0)
			util_add(card, echoed[i],
				 json_object_new_string(design));
		else
			util_add(card, echoed[i], default_for(echoed[i]));
	}
}

static void add_str(json_object *o, const char *key, const char *value)
{
	util_add(o, key, value ? json_object_new_string(value) : NULL);
}

static void add_int(json_object *o, const char *key, int64_t value)
{
	util_add(o, key, json_object_new_int64(value));
}

static void add_bool(json_object *o, const char *key, bool value)
{
	util_add(o, key, json_object_new_boolean(value));
}

/* "FIRST LAST" of the holder in upper case (malloc'd). */
static char *embossed_name(struct sandbox *sb, const char *holder_id)
{
	json_object *m = seed_find_membership(&sb->seed, holder_id);
	char name[512];

	if (!m)
		return strdup("CARD HOLDER");
	snprintf(name, sizeof(name), "%s %s", req_string(m, "first_name"),
		 req_string(m, "last_name"));
	return util_upper_utf8(name);
}

static void add_names(struct sandbox *sb, json_object *card, json_object *req,
		      const char *last4, bool hostile)
{
	char *nick, *emb;
	char plain[64];
	const char *level = req_string(req, "card_level");

	if (!level)
		level = "card";
	snprintf(plain, sizeof(plain), "%c%s card %s", level[0] - 'a' + 'A',
		 level + 1, last4);
	nick = hostile ? fault_hostile_string(sb->card_seq) : strdup(plain);
	emb = hostile ? fault_hostile_string(sb->card_seq + 2)
		      : embossed_name(sb, req_string(req, "holder_id"));
	add_str(card, "nickname", nick ? nick : "card");
	add_str(card, "embossed_name", emb ? emb : "");
	free(nick);
	free(emb);
}

static void add_identity(struct sandbox *sb, json_object *card,
			 json_object *req, int64_t now_ms, bool hostile)
{
	char id[SANDBOX_UUID_LEN + 1], last4[8], pan[32], num[16];
	time_t t = (time_t)(now_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	util_new_uuid(id);
	snprintf(last4, sizeof(last4), "%04u",
		 (unsigned int)(util_mix64(sb->cfg.seed * 31 + sb->card_seq) %
				10000));
	snprintf(pan, sizeof(pan), "511768******%s", last4);
	add_str(card, "id", id);
	add_names(sb, card, req, last4, hostile);
	add_str(card, "status", "pending");
	add_bool(card, "pin_set", false);
	add_str(card, "mask_pan", pan);
	snprintf(num, sizeof(num), "%d", tm.tm_mon + 1);
	add_str(card, "exp_month", num);
	snprintf(num, sizeof(num), "%d", tm.tm_year + 1900 + 3);
	add_str(card, "exp_year", num);
	util_add(card, "last_activity_at", NULL);
	add_str(card, "last_digits", last4);
}

static void add_spent_and_dates(json_object *card, json_object *req,
				int64_t now_ms)
{
	const char *level = req_string(req, "card_level");
	bool prepaid = level && (strcmp(level, "flash") == 0 ||
				 strcmp(level, "advertising") == 0);
	char when[32];

	util_iso_time(now_ms, when);
	add_int(card, "atm_monthly_spent", 0);
	add_int(card, "atm_daily_spent", 0);
	add_int(card, "payment_monthly_spent", 0);
	add_int(card, "payment_daily_spent", 0);
	add_int(card, "payment_lifespan_spent", 0);
	add_str(card, "updated_at", when);
	add_str(card, "created_at", when);
	util_add(card, "shipped_at", NULL);
	add_str(card, "card_type", prepaid ? "prepaid" : "debit");
	add_bool(card, "renewed", false);
	add_bool(card, "renewal", false);
	util_add(card, "parent_card_summary", NULL);
	add_bool(card, "had_operation", false);
	add_bool(card, "had_pin_operation", false);
	add_bool(card, "upsold", false);
	add_bool(card, "upsell", false);
	util_add(card, "discard_on", NULL);
	add_bool(card, "reordered", false);
}

/* A new card object for a valid request card (caller holds the lock). */
json_object *bulk_card_object(struct sandbox *sb, json_object *req,
			      int64_t now_ms, bool hostile)
{
	json_object *card = json_object_new_object();

	if (!card)
		return NULL;
	sb->card_seq++;
	add_identity(sb, card, req, now_ms, hostile);
	echo_fields(sb, card, req);
	add_spent_and_dates(card, req, now_ms);
	return card;
}

/* Keeps card (a reference is taken) under the lock. */
static int keep_card(struct sandbox *sb, json_object *card,
		     const char *idem_key, int64_t now_ms)
{
	struct stored_card *grown, *s;

	grown = util_grow(sb->cards, &sb->cap_cards, sb->n_cards + 1,
			  sizeof(*sb->cards));
	if (!grown)
		return -1;
	sb->cards = grown;
	s = &sb->cards[sb->n_cards++];
	memset(s, 0, sizeof(*s));
	snprintf(s->id, sizeof(s->id), "%s", req_string(card, "id"));
	snprintf(s->holder_id, sizeof(s->holder_id), "%s",
		 req_string(card, "holder_id"));
	snprintf(s->card_level, sizeof(s->card_level), "%s",
		 req_string(card, "card_level"));
	snprintf(s->idem_key, sizeof(s->idem_key), "%s", idem_key);
	s->seq = sb->card_seq;
	s->created_ms = now_ms;
	s->obj = json_object_get(card);
	return 0;
}

/* Stores card (a reference is taken) under the lock. */
static int store_card(struct sandbox *sb, json_object *card,
		      const char *idem_key, int64_t now_ms)
{
	if (keep_card(sb, card, idem_key, now_ms) < 0)
		return -1;
	sb->stats.cards_created++;
	return 0;
}

static int by_created_at(const void *a, const void *b)
{
	const char *x = req_string(*(json_object *const *)a, "created_at");
	const char *y = req_string(*(json_object *const *)b, "created_at");

	return strcmp(x ? x : "", y ? y : "");
}

/* The seed's cards, as the organisation had them before any order: in
 * the order Qonto made them (the list's sorting reads storage order),
 * each a copy, so that moving one (/_sandbox/cards/life) leaves the seed
 * as it was for the next reset. */
int bulk_seed_existing(struct sandbox *sb)
{
	json_object *list = sb->seed.existing_cards;
	size_t n = json_object_array_length(list);
	json_object **sorted = calloc(n ? n : 1, sizeof(*sorted));
	int rc = sorted ? 0 : -1;

	for (size_t i = 0; sorted && i < n; i++)
		sorted[i] = json_object_array_get_idx(list, i);
	if (sorted)
		qsort(sorted, n, sizeof(*sorted), by_created_at);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		json_object *copy = NULL;

		if (json_object_deep_copy(sorted[i], &copy, NULL) != 0 ||
		    keep_card(sb, copy, "", 0) < 0)
			rc = -1;
		else
			sb->cards[sb->n_cards - 1].existing = true;
		json_object_put(copy); /* keep_card holds its own reference */
	}
	free(sorted);
	return rc;
}

/* One entry of the answer: {"card": {...}} or {"errors": [...]}. */
static json_object *create_one(struct exchange *ex, json_object *item,
			       size_t index, const char *idem_key,
			       int64_t now_ms)
{
	struct sandbox *sb = ex->sb;
	json_object *entry = json_object_new_object();
	json_object *errors = json_object_new_array();
	json_object *req, *card;

	if (!entry || !errors)
		goto fail;
	cardcheck_card(&sb->seed, item, index, now_ms, errors);
	if (json_object_array_length(errors) > 0) {
		util_add(entry, "errors", errors);
		return entry;
	}
	json_object_put(errors);
	json_object_object_get_ex(item, "card", &req);
	card = bulk_card_object(sb, req, now_ms, ex->fault == FAULT_HOSTILE);
	if (!card || store_card(sb, card, idem_key, now_ms) < 0) {
		json_object_put(card);
		json_object_put(entry);
		return NULL;
	}
	util_add(entry, "card", card);
	return entry;
fail:
	json_object_put(entry);
	json_object_put(errors);
	return NULL;
}

/* Creates the cards and caches the answer; caller holds the lock. */
static void create_all(struct exchange *ex, json_object *cards, const char *key,
		       const unsigned char hash[32], struct reply *r)
{
	struct sandbox *sb = ex->sb;
	json_object *root = json_object_new_object();
	json_object *out = json_object_new_array();
	int64_t now = util_wall_ms();

	if (!root || !out) {
		json_object_put(root);
		json_object_put(out);
		reply_error(r, 500, "internal_error", "out of memory", NULL);
		return;
	}
	for (size_t i = 0; i < json_object_array_length(cards); i++)
		util_push(out,
			  create_one(ex, json_object_array_get_idx(cards, i), i,
				     key, now));
	util_add(root, "cards", out);
	reply_take_json(r, 200, root);
	if (r->status == 200)
		idem_store(sb, key, hash, r->body, r->len);
}

static json_object *sca_body(const char *code, const char *message,
			     const char *token)
{
	json_object *o = json_object_new_object();
	char trace[SANDBOX_UUID_LEN + 1];

	if (!o)
		return NULL;
	util_new_uuid(trace);
	if (token)
		add_str(o, "action_type", "card.bulk_create");
	add_str(o, "code", code);
	add_str(o, "message", message);
	if (token)
		add_str(o, "sca_session_token", token);
	add_str(o, "trace_id", trace);
	return o;
}

static const char *replay_problem(struct sandbox *sb, struct sca_session *s,
				  const char *key, const unsigned char hash[32])
{
	if (!s)
		return "sca_session_not_found";
	if (strcmp(s->idem_key, key) != 0 || memcmp(s->body_hash, hash, 32))
		return "sca_session_mismatch";
	if (s->used)
		return "sca_session_used";
	switch (sca_current(sb, s)) {
	case SCA_WAITING:
		return "sca_session_waiting";
	case SCA_DENY:
		return "sca_session_denied";
	default:
		return NULL;
	}
}

/* The replay after approval: the token must belong to this very request. */
static bool sca_replay_ok(struct exchange *ex, const char *token,
			  const char *key, const unsigned char hash[32],
			  struct reply *r)
{
	struct sandbox *sb = ex->sb;
	const char *problem;

	pthread_mutex_lock(&sb->lock);
	problem = replay_problem(sb, sca_find(sb, token), key, hash);
	if (!problem)
		sca_find(sb, token)->used = true;
	pthread_mutex_unlock(&sb->lock);
	if (problem)
		reply_error_param(r, 412, problem,
				  "The SCA session does not approve this "
				  "request",
				  "X-Qonto-Sca-Session-Token");
	return problem == NULL;
}

/* True when the request may go on to creation. */
static bool sca_gate(struct exchange *ex, const char *key,
		     const unsigned char hash[32], struct reply *r)
{
	struct sandbox *sb = ex->sb;
	const char *pref = header(ex, "X-Qonto-2fa-Preference");
	const char *token = header(ex, "X-Qonto-Sca-Session-Token");
	struct sca_session *s;
	char value[SANDBOX_TOKEN_LEN + 1] = "";

	if (sb->cfg.sca == SCA_OFF)
		return true;
	if (sb->cfg.sca == SCA_NOT_ENROLLED || !pref ||
	    strcmp(pref, "mock") != 0) {
		reply_take_json(r, 428,
				sca_body("sca_not_enrolled",
					 "You must enable SCA to perform this "
					 "action",
					 NULL));
		return false;
	}
	if (token)
		return sca_replay_ok(ex, token, key, hash, r);
	pthread_mutex_lock(&sb->lock);
	s = sca_new(sb, key, hash);
	if (s)
		snprintf(value, sizeof(value), "%s", s->token);
	sb->stats.sca_challenges++;
	pthread_mutex_unlock(&sb->lock);
	reply_take_json(r, 428,
			sca_body("sca_required", "SCA required", value));
	return false;
}

/* 1: the cached answer was replayed into r, -1: refused (r filled), 0: the
 * key is new. Caller holds the lock. */
static int idem_lookup(struct sandbox *sb, const char *key,
		       const unsigned char hash[32], struct reply *r)
{
	struct idem_entry *e = idem_find(sb, key);

	if (!e)
		return 0;
	if (memcmp(e->body_hash, hash, 32) != 0) {
		reply_error_param(r, 422, "idempotency_key_reused",
				  "This idempotency key was used with another "
				  "body",
				  "X-Qonto-Idempotency-Key");
		return -1;
	}
	reply_text(r, 200, "application/json; charset=utf-8", e->response);
	sb->stats.idem_replays++;
	return 1;
}

static bool check_key(struct exchange *ex, const char **key, struct reply *r)
{
	*key = header(ex, "X-Qonto-Idempotency-Key");
	if (!*key || !**key) {
		reply_error_param(r, 400, "required",
				  "X-Qonto-Idempotency-Key is required",
				  "X-Qonto-Idempotency-Key");
		return false;
	}
	if (!util_is_uuid(*key)) {
		reply_error_param(r, 400, "invalid_format",
				  "X-Qonto-Idempotency-Key must be a UUID",
				  "X-Qonto-Idempotency-Key");
		return false;
	}
	return true;
}

/* Envelope, and every card in whole mode. True when creation may go on. */
static bool precheck(struct exchange *ex, json_object *body, struct reply *r)
{
	json_object *errors = json_object_new_array();
	json_object *cards;
	int n;

	if (!errors) {
		reply_error(r, 500, "internal_error", "out of memory", NULL);
		return false;
	}
	n = cardcheck_body(body, errors);
	if (n > 0 && ex->sb->cfg.validation == VALIDATION_WHOLE) {
		int64_t now = util_wall_ms();

		json_object_object_get_ex(body, "cards", &cards);
		for (int i = 0; i < n; i++)
			cardcheck_card(
			    &ex->sb->seed,
			    json_object_array_get_idx(cards, (size_t)i),
			    (size_t)i, now, errors);
	}
	if (json_object_array_length(errors) == 0) {
		json_object_put(errors);
		return true;
	}
	reply_take_json(r, 422, reply_errors_body(errors));
	return false;
}

/* An employee or an accountant (reporting) cannot order cards for
 * others: 403, as for a missing scope. */
static bool may_order(struct sandbox *sb, struct reply *r)
{
	const char *role = seed_caller_string(&sb->seed, "role");

	if (role && (strcmp(role, "employee") == 0 ||
		     strcmp(role, "reporting") == 0)) {
		reply_error(r, 403, "forbidden",
			    "your role cannot order cards for others", NULL);
		return false;
	}
	return true;
}

static int cached(struct sandbox *sb, const char *key,
		  const unsigned char hash[32], struct reply *r)
{
	int rc;

	pthread_mutex_lock(&sb->lock);
	rc = idem_lookup(sb, key, hash, r);
	pthread_mutex_unlock(&sb->lock);
	return rc;
}

void bulk_create(struct exchange *ex, struct reply *r)
{
	struct sandbox *sb = ex->sb;
	json_object *body = NULL, *cards;
	unsigned char hash[32];
	const char *key;

	if (!check_key(ex, &key, r))
		goto out;
	if (ex->body_too_large) {
		reply_error(r, 413, "payload_too_large", "body too large",
			    NULL);
		goto out;
	}
	body = util_parse_json(ex->body ? ex->body : "", ex->body_len);
	if (!body) {
		reply_error(r, 400, "invalid_json",
			    "The body is not valid JSON", NULL);
		goto out;
	}
	util_sha256(ex->body ? ex->body : "", ex->body_len, hash);
	if (!may_order(sb, r) || cached(sb, key, hash, r) != 0 ||
	    !precheck(ex, body, r) ||
	    !sca_gate(ex, key, hash, r))
		goto out;
	json_object_object_get_ex(body, "cards", &cards);
	pthread_mutex_lock(&sb->lock);
	/* A twin request may have finished while this one waited. */
	if (idem_lookup(sb, key, hash, r) == 0)
		create_all(ex, cards, key, hash, r);
	pthread_mutex_unlock(&sb->lock);
out:
	json_object_put(body);
}
