/* journal.c: the on-disk record of every submission. */
#include "config.h"

#include "journal.h"
#include "fsutil.h"
#include "jsonutil.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#define BODY_MAX_BYTES (16u * 1024u * 1024u)

static void new_uuid(char out[40])
{
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
}

void journal_sha256_hex(const char *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL))
		n = 0;
	for (unsigned i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[2 * (n < 32 ? n : 32)] = '\0';
}

void journal_digest_of(const char (*shas)[65], size_t n, char out[65])
{
	char *all = malloc(n * 64 + 1);

	out[0] = '\0';
	if (!all)
		return;
	for (size_t i = 0; i < n; i++)
		memcpy(all + i * 64, shas[i], 64);
	journal_sha256_hex(all, n * 64, out);
	free(all);
}

bool journal_digest(const struct journal *j, char out[65])
{
	size_t k = (j->n_cards + JOURNAL_MAX_ROWS - 1) / JOURNAL_MAX_ROWS;
	char (*shas)[65];

	out[0] = '\0';
	if (!k || j->n_requests < k || !(shas = calloc(k, sizeof(*shas))))
		return false;
	for (size_t i = 0; i < k; i++)
		memcpy(shas[i], j->requests[i].sha256, 65);
	journal_digest_of((const char (*)[65])shas, k, out);
	free(shas);
	return out[0] != '\0';
}

/* "request-007.json", "answer-007.json" */
static char *path_in(const struct journal *j, const char *prefix, unsigned n)
{
	char name[64];

	snprintf(name, sizeof(name), "%s-%03u.json", prefix, n);
	return fs_join(j->dir, name);
}

static void drop_approval(const struct journal *j, struct journal_request *r);

/* Appends obj (consumed) as one line of journal.jsonl, stamped with the
 * time unless it already holds an "at". */
static enum status append(struct journal *j, json_object *obj,
			  struct status_error *err)
{
	enum status st;
	char *path;

	if (!obj)
		return status_set(err, STATUS_NOMEM, NULL);
	if (!json_member(obj, "at"))
		json_object_object_add(obj, "at",
				       json_object_new_int64((int64_t)time(NULL)));
	path = fs_join(j->dir, "journal.jsonl");
	st = path ? fs_append_line(path, json_object_to_json_string_ext(
						 obj, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE),
				   err)
		  : status_set(err, STATUS_NOMEM, NULL);
	free(path);
	json_object_put(obj);
	return st;
}

const char *const journal_state_names[JREQ_STATE_COUNT] = {
#define JREQ_NAME(e, name) name,
	JREQ_STATE_LIST(JREQ_NAME)
#undef JREQ_NAME
};

const char *const journal_event_names[JEV_COUNT] = {
#define JEV_NAME(e, name) name,
	JEV_LIST(JEV_NAME)
#undef JEV_NAME
};

static json_object *event(enum journal_event kind, const struct journal_request *r)
{
	json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	json_object_object_add(obj, "ev",
			       json_object_new_string(journal_event_names[kind]));
	if (r)
		json_object_object_add(obj, "req", json_object_new_int((int)r->number));
	return obj;
}

static enum status set_paths(struct journal *j, const char *state_dir,
			     struct status_error *err)
{
	char *orders = fs_join(state_dir, "orders");
	enum status st = STATUS_OK;

	j->dir = orders ? fs_join(orders, j->order_id) : NULL;
	j->audit_path = fs_join(state_dir, "audit.log");
	if (!j->dir || !j->audit_path)
		st = status_set(err, STATUS_NOMEM, NULL);
	free(orders);
	return st;
}

enum status journal_create(struct journal *j, const char *state_dir,
			   const char *source, const char *base_url,
			   size_t n_cards, struct status_error *err)
{
	json_object *ev;
	enum status st;

	memset(j, 0, sizeof(*j));
	new_uuid(j->order_id);
	j->created = time(NULL);
	j->n_cards = n_cards;
	j->source = source ? strdup(source) : NULL;
	j->base_url = strdup(base_url);
	st = set_paths(j, state_dir, err);
	if (st == STATUS_OK && (!j->base_url || (source && !j->source)))
		st = status_set(err, STATUS_NOMEM, NULL);
	if (st == STATUS_OK)
		st = fs_mkdirs(j->dir, err);
	if (st != STATUS_OK) {
		journal_free(j);
		return st;
	}
	ev = event(JEV_ORDER, NULL);
	if (ev) {
		json_object_object_add(ev, "id", json_object_new_string(j->order_id));
		json_object_object_add(ev, "source", source ? json_object_new_string(source)
							    : NULL);
		json_object_object_add(ev, "base_url", json_object_new_string(base_url));
		json_object_object_add(ev, "cards", json_object_new_int64((int64_t)n_cards));
		/* The time replay will read back as created. */
		json_object_object_add(ev, "at", json_object_new_int64((int64_t)j->created));
	}
	/* A copy of the first line beside it: a journal cut or damaged at its
	 * start still says what the order is. */
	if (ev) {
		const char *text = json_object_to_json_string_ext(
			ev, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		char *path = fs_join(j->dir, "order.json");

		st = path && text ? fs_write_atomic(path, text, strlen(text), err)
				  : status_set(err, STATUS_NOMEM, NULL);
		free(path);
		if (st != STATUS_OK) {
			json_object_put(ev);
			journal_free(j);
			return st;
		}
	}
	st = append(j, ev, err);
	if (st != STATUS_OK)
		journal_free(j);
	return st;
}

enum status journal_lock(struct journal *j, struct status_error *err)
{
	char *path = fs_join(j->dir, "journal.jsonl");
	enum status st = STATUS_OK;
	char *text = NULL, *last;
	size_t len = 0;
	int fd;

	if (!path)
		return status_set(err, STATUS_NOMEM, NULL);
	/* created when a damaged order lost it (journal_open rebuilt it) */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		st = status_set(err, STATUS_IO, "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		st = status_set(err, STATUS_USAGE,
				"order %s is being sent by another cardorder right "
				"now; wait for it to finish",
				j->order_id);
		goto out;
	}
	j->lock_fd = fd + 1; /* 0 stays "not locked" in a zeroed struct */
	/* Every complete line ends with a newline: cut what follows the last. */
	st = fs_read_all(path, 64u * 1024u * 1024u, &text, &len, err);
	last = st == STATUS_OK ? memrchr(text, '\n', len) : NULL;
	if (st == STATUS_OK && len && (size_t)(last ? last - text + 1 : 0) < len &&
	    ftruncate(fd, last ? last - text + 1 : 0) < 0)
		st = status_set(err, STATUS_IO, "cannot repair %s: %s", path,
				strerror(errno));
out:
	free(text);
	free(path);
	return st;
}

enum status journal_ready(struct journal *j, struct status_error *err)
{
	enum status st = append(j, event(JEV_READY, NULL), err);

	if (st == STATUS_OK)
		j->ready = true;
	return st;
}

void journal_free(struct journal *j)
{
	if (!j)
		return;
	if (j->lock_fd > 0)
		close(j->lock_fd - 1); /* releases the lock */
	free(j->dir);
	free(j->audit_path);
	free(j->source);
	free(j->base_url);
	for (size_t i = 0; j->requests && i < j->n_requests; i++)
		journal_forget_approval(&j->requests[i]);
	free(j->requests);
	memset(j, 0, sizeof(*j));
}

static struct journal_request *add_request(struct journal *j)
{
	struct journal_request *grown;
	size_t cap;

	if (j->n_requests == j->cap) {
		cap = j->cap ? j->cap * 2 : 8;
		grown = realloc(j->requests, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		j->requests = grown;
		j->cap = cap;
	}
	memset(&j->requests[j->n_requests], 0, sizeof(j->requests[0]));
	j->requests[j->n_requests].number = (unsigned)j->n_requests + 1;
	return &j->requests[j->n_requests++];
}

/* plan-NNN.json: the planned event and the body, written before the
 * event is appended. A journal that lost lines (cut, damaged) gets its
 * requests back from these, and a request file that is gone or changed
 * gets its body back. */
static enum status save_plan(struct journal *j, const struct journal_request *r,
			     json_object *planned, const char *body, size_t len,
			     struct status_error *err)
{
	json_object *copy = NULL;
	enum status st;
	const char *text;
	char *path;

	if (json_object_deep_copy(planned, &copy, NULL) != 0)
		return status_set(err, STATUS_NOMEM, NULL);
	json_object_object_add(copy, "body", json_object_new_string_len(body, (int)len));
	text = json_object_to_json_string_ext(copy, JSON_C_TO_STRING_PLAIN |
							    JSON_C_TO_STRING_NOSLASHESCAPE);
	path = path_in(j, "plan", r->number);
	st = path && text ? fs_write_atomic(path, text, strlen(text), err)
			  : status_set(err, STATUS_NOMEM, NULL);
	free(path);
	json_object_put(copy);
	return st;
}

enum status journal_plan(struct journal *j, const char *body, size_t len,
			 const uint32_t *rows, unsigned n_rows,
			 struct journal_request **out, struct status_error *err)
{
	struct journal_request *r;
	json_object *ev, *list;
	enum status st;
	char *path;

	if (n_rows == 0 || n_rows > JOURNAL_MAX_ROWS)
		return status_set(err, STATUS_USAGE, "a request carries 1 to %d cards",
				  JOURNAL_MAX_ROWS);
	r = add_request(j);
	if (!r)
		return status_set(err, STATUS_NOMEM, NULL);
	new_uuid(r->key);
	journal_sha256_hex(body, len, r->sha256);
	memcpy(r->rows, rows, n_rows * sizeof(rows[0]));
	r->n_rows = n_rows;
	path = path_in(j, "request", r->number);
	st = path ? fs_write_atomic(path, body, len, err)
		  : status_set(err, STATUS_NOMEM, NULL);
	free(path);
	if (st != STATUS_OK) {
		j->n_requests--;
		return st;
	}
	ev = event(JEV_PLANNED, r);
	list = json_object_new_array();
	for (unsigned i = 0; list && i < n_rows; i++)
		json_object_array_add(list, json_object_new_int64(rows[i]));
	if (ev) {
		json_object_object_add(ev, "key", json_object_new_string(r->key));
		json_object_object_add(ev, "sha256", json_object_new_string(r->sha256));
		json_object_object_add(ev, "rows", list);
	} else {
		json_object_put(list);
	}
	st = ev ? save_plan(j, r, ev, body, len, err) : status_set(err, STATUS_NOMEM, NULL);
	if (st != STATUS_OK) {
		json_object_put(ev);
		j->n_requests--;
		return st;
	}
	st = append(j, ev, err);
	if (st != STATUS_OK)
		j->n_requests--;
	else
		*out = r;
	return st;
}

json_object *journal_read_plan(const struct journal *j, unsigned number)
{
	char *path = path_in(j, "plan", number), *text = NULL;
	json_object *plan = NULL;
	size_t len;

	if (path && fs_read_all(path, 2 * BODY_MAX_BYTES, &text, &len, NULL) == STATUS_OK &&
	    json_parse_limited(text, len, 8, &plan, NULL) == JPARSE_OK &&
	    !json_object_is_type(plan, json_type_object)) {
		json_object_put(plan);
		plan = NULL;
	}
	free(text);
	free(path);
	return plan;
}

/* The body kept in plan-NNN.json, when it is the one planned. */
static bool body_from_plan(const struct journal *j, const struct journal_request *r,
			   char **body, size_t *len)
{
	json_object *plan = journal_read_plan(j, r->number);
	json_object *b = json_member(plan, "body");
	char check[65];

	*body = NULL;
	if (json_object_is_type(b, json_type_string)) {
		*len = (size_t)json_object_get_string_len(b);
		journal_sha256_hex(json_object_get_string(b), *len, check);
		if (strcmp(check, r->sha256) == 0)
			*body = strndup(json_object_get_string(b), *len);
	}
	json_object_put(plan);
	return *body != NULL;
}

enum status journal_body(const struct journal *j, const struct journal_request *r,
			 char **body, size_t *len, struct status_error *err)
{
	char *path = path_in(j, "request", r->number);
	enum status st = path ? fs_read_all(path, BODY_MAX_BYTES, body, len, NULL)
			      : STATUS_NOMEM;
	char check[65];

	free(path);
	if (st == STATUS_OK) {
		journal_sha256_hex(*body, *len, check);
		if (strcmp(check, r->sha256) == 0)
			return STATUS_OK;
		free(*body);
		*body = NULL;
	}
	/* gone or changed: the copy planned with it */
	if (body_from_plan(j, r, body, len))
		return STATUS_OK;
	return status_set(err, STATUS_IO,
			  "the saved body of request %u of order %s is missing or "
			  "was changed on disk (request-%03u.json); it will not be "
			  "sent, and its cards cannot be checked in Qonto",
			  r->number, j->order_id, r->number);
}

enum status journal_sending(struct journal *j, struct journal_request *r,
			    struct status_error *err)
{
	json_object *ev = event(JEV_SENDING, r);
	time_t now = time(NULL);

	/* One clock reading for the journal and for memory: replay takes
	 * first_sent from the line's "at". */
	if (ev) {
		json_object_object_add(ev, "attempt",
				       json_object_new_int((int)r->attempts + 1));
		json_object_object_add(ev, "at", json_object_new_int64((int64_t)now));
		if (j->has_skew)
			json_object_object_add(ev, "skew", json_object_new_int64(j->skew));
	}
	if (append(j, ev, err) != STATUS_OK)
		return err ? err->code : STATUS_IO;
	drop_approval(j, r);
	if (!r->first_sent) {
		r->first_sent = now;
		r->skew = j->skew;
		r->has_skew = j->has_skew;
	}
	r->last_sent = now;
	r->attempts++;
	if (r->state == JREQ_PLANNED)
		r->state = JREQ_SENT;
	return STATUS_OK;
}

enum status journal_approval(struct journal *j, struct journal_request *r,
			     const char *token, struct status_error *err)
{
	json_object *ev, *kept = json_object_new_object();
	time_t now = time(NULL);
	char *path = path_in(j, "approval", r->number);
	const char *text;
	enum status st;

	/* The token in a file of its own (0600), never in the journal, and
	 * removed as soon as the next attempt leaves or the request ends. */
	if (kept)
		json_object_object_add(kept, "sca_session_token",
				       json_object_new_string(token));
	text = kept ? json_object_to_json_string_ext(kept, JSON_C_TO_STRING_PLAIN) : NULL;
	st = path && text ? fs_write_atomic(path, text, strlen(text), err)
			  : status_set(err, STATUS_NOMEM, NULL);
	json_object_put(kept);
	free(path);
	if (st != STATUS_OK)
		return st;
	ev = event(JEV_APPROVAL, r);
	if (ev)
		json_object_object_add(ev, "at", json_object_new_int64((int64_t)now));
	st = append(j, ev, err);
	if (st != STATUS_OK)
		return st;
	journal_forget_approval(r);
	r->sca_token = strdup(token);
	r->sca_at = now;
	return STATUS_OK;
}

char *journal_approval_token(const struct journal *j, unsigned number)
{
	char *path = path_in(j, "approval", number), *text = NULL, *token = NULL;
	json_object *kept = NULL;
	size_t len;

	if (path && fs_read_all(path, 8192, &text, &len, NULL) == STATUS_OK &&
	    json_parse_limited(text, len, 2, &kept, NULL) == JPARSE_OK)
		json_copy_member(kept, "sca_session_token", 4096, false, &token);
	if (text) {
		explicit_bzero(text, len);
		free(text);
	}
	json_object_put(kept);
	free(path);
	return token;
}

/* The token's file goes once the approval is used or moot. */
static void drop_approval(const struct journal *j, struct journal_request *r)
{
	char *path = path_in(j, "approval", r->number);

	journal_forget_approval(r);
	if (path)
		unlink(path);
	free(path);
}

void journal_forget_approval(struct journal_request *r)
{
	if (r->sca_token) {
		explicit_bzero(r->sca_token, strlen(r->sca_token));
		free(r->sca_token);
	}
	r->sca_token = NULL;
	r->sca_at = 0;
}

enum status journal_answer(struct journal *j, struct journal_request *r,
			   long http_status, const char *kind,
			   struct status_error *err)
{
	json_object *ev = event(JEV_ANSWER, r);

	if (ev) {
		json_object_object_add(ev, "http", json_object_new_int64(http_status));
		json_object_object_add(ev, "kind", json_object_new_string(kind));
	}
	return append(j, ev, err);
}

enum status journal_settle(struct journal *j, struct journal_request *r,
			   enum journal_req_state state, const char *answer,
			   size_t len, const char *note,
			   struct status_error *err)
{
	json_object *ev;
	enum status st = STATUS_OK;
	char *path;

	if (answer) {
		path = path_in(j, "answer", r->number);
		st = path ? fs_write_atomic(path, answer, len, err)
			  : status_set(err, STATUS_NOMEM, NULL);
		free(path);
		if (st != STATUS_OK)
			return st;
	}
	ev = event(JEV_SETTLED, r);
	if (ev) {
		json_object_object_add(ev, "state",
				       json_object_new_string(journal_state_names[state]));
		if (note)
			json_object_object_add(ev, "note", json_object_new_string(note));
	}
	st = append(j, ev, err);
	if (st == STATUS_OK) {
		r->state = state;
		drop_approval(j, r);
		snprintf(r->note, sizeof(r->note), "%s", note ? note : "");
	}
	return st;
}

enum status journal_answer_body(const struct journal *j,
				const struct journal_request *r, char **body,
				size_t *len, struct status_error *err)
{
	char *path = path_in(j, "answer", r->number);
	enum status st = path ? fs_read_all(path, BODY_MAX_BYTES, body, len, err)
			      : status_set(err, STATUS_NOMEM, NULL);

	free(path);
	return st;
}

enum status journal_finish(struct journal *j, struct status_error *err)
{
	enum status st = append(j, event(JEV_END, NULL), err);

	if (st == STATUS_OK)
		j->finished = true;
	return st;
}

enum status journal_audit(struct journal *j, const struct journal_request *r,
			  const char *who, long http_status, size_t created,
			  size_t failed, const char *card_ids,
			  struct status_error *err)
{
	json_object *ev = json_object_new_object();
	enum status st;

	if (!ev)
		return status_set(err, STATUS_NOMEM, NULL);
	json_object_object_add(ev, "at", json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(ev, "who", who ? json_object_new_string(who) : NULL);
	json_object_object_add(ev, "order", json_object_new_string(j->order_id));
	json_object_object_add(ev, "request", json_object_new_int((int)r->number));
	json_object_object_add(ev, "key", json_object_new_string(r->key));
	json_object_object_add(ev, "http", json_object_new_int64(http_status));
	json_object_object_add(ev, "created", json_object_new_int64((int64_t)created));
	json_object_object_add(ev, "failed", json_object_new_int64((int64_t)failed));
	json_object_object_add(ev, "card_ids",
			       json_object_new_string(card_ids ? card_ids : ""));
	st = fs_append_line(j->audit_path,
			    json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN |
								       JSON_C_TO_STRING_NOSLASHESCAPE),
			    err);
	json_object_put(ev);
	return st;
}

enum status journal_save_names(struct journal *j, const char *names_json,
			       struct status_error *err)
{
	char *path = fs_join(j->dir, "names.json");
	enum status st = path ? fs_write_atomic(path, names_json, strlen(names_json), err)
			      : status_set(err, STATUS_NOMEM, NULL);

	free(path);
	return st;
}

enum status journal_load_names(const struct journal *j, char **names_json,
			       struct status_error *err)
{
	char *path = fs_join(j->dir, "names.json");
	size_t len;
	enum status st = path ? fs_read_all(path, BODY_MAX_BYTES, names_json, &len, err)
			      : status_set(err, STATUS_NOMEM, NULL);

	free(path);
	return st;
}
