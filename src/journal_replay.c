/* journal_replay.c: reading an order's journal back, for `resume`. */
#include "config.h"

#include "journal.h"
#include "i18n.h"
#include "fsutil.h"
#include "jsonutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JOURNAL_MAX_BYTES (64u * 1024u * 1024u)

static const char *str_of(json_object *obj, const char *key)
{
	json_object *v = json_member(obj, key);

	return json_object_is_type(v, json_type_string) ? json_object_get_string(v)
							 : NULL;
}

static int64_t int_of(json_object *obj, const char *key)
{
	json_object *v = json_member(obj, key);

	return json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
}

static bool replay_planned(struct journal *j, json_object *ev);

/* Requests after the last one replayed whose planned lines are missing
 * (a journal cut or damaged), from plan-NNN.json. */
static void recover_plans(struct journal *j)
{
	json_object *plan;

	for (;;) {
		plan = journal_read_plan(j, (unsigned)j->n_requests + 1);
		if (!plan)
			return;
		if (!replay_planned(j, plan)) {
			json_object_put(plan);
			return;
		}
		json_object_put(plan);
		j->damaged = true;
		/* j->damage is shown to a person, never written: translated */
		if (!j->damage[0])
			snprintf(j->damage, sizeof(j->damage),
				 _("request %zu was missing from the journal"),
				 j->n_requests);
	}
}

static struct journal_request *request_of(struct journal *j, json_object *ev)
{
	int64_t n = int_of(ev, "req");

	if (n < 1 || (size_t)n > j->n_requests)
		return NULL;
	return &j->requests[n - 1];
}

static bool replay_order(struct journal *j, json_object *ev)
{
	const char *id = str_of(ev, "id"), *src = str_of(ev, "source");
	const char *base = str_of(ev, "base_url");
	int64_t cards = int_of(ev, "cards");

	if (!id || !base || cards < 0 || strlen(id) >= sizeof(j->order_id))
		return false;
	snprintf(j->order_id, sizeof(j->order_id), "%s", id);
	j->base_url = strdup(base);
	j->source = src ? strdup(src) : NULL;
	j->n_cards = (size_t)cards;
	j->created = (time_t)int_of(ev, "at");
	return j->base_url != NULL;
}

static bool replay_planned(struct journal *j, json_object *ev)
{
	struct journal_request *grown, *r;
	const char *key = str_of(ev, "key"), *sha = str_of(ev, "sha256");
	json_object *rows = json_member(ev, "rows");
	size_t n = json_object_is_type(rows, json_type_array)
			   ? json_object_array_length(rows)
			   : 0;

	uint32_t checked[JOURNAL_MAX_ROWS];

	if (!key || !sha || strlen(key) >= 40 || strlen(sha) != 64 || n == 0 ||
	    n > JOURNAL_MAX_ROWS || int_of(ev, "req") != (int64_t)j->n_requests + 1)
		return false;
	/* every row checked before the request exists: a bad line adds none */
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(rows, i);
		int64_t row = json_object_is_type(v, json_type_int) ? json_object_get_int64(v)
								    : -1;

		if (row < 0 || (size_t)row >= j->n_cards)
			return false;
		checked[i] = (uint32_t)row;
	}
	grown = realloc(j->requests, (j->n_requests + 1) * sizeof(*grown));
	if (!grown)
		return false;
	j->requests = grown;
	j->cap = j->n_requests + 1;
	r = &j->requests[j->n_requests++];
	memset(r, 0, sizeof(*r));
	r->number = (unsigned)j->n_requests;
	snprintf(r->key, sizeof(r->key), "%s", key);
	snprintf(r->sha256, sizeof(r->sha256), "%s", sha);
	memcpy(r->rows, checked, n * sizeof(checked[0]));
	r->n_rows = (unsigned)n;
	return true;
}

static bool replay_settled(struct journal_request *r, json_object *ev)
{
	const char *state = str_of(ev, "state"), *note = str_of(ev, "note");

	for (int i = 0; state && i < JREQ_STATE_COUNT; i++) {
		if (strcmp(state, journal_state_names[i]) == 0) {
			r->state = (enum journal_req_state)i;
			snprintf(r->note, sizeof(r->note), "%s", note ? note : "");
			return true;
		}
	}
	return false;
}

/* The event a line names, or JEV_COUNT. */
static enum journal_event event_of(json_object *ev)
{
	const char *name = str_of(ev, "ev");
	int k = 0;

	while (name && k < JEV_COUNT && strcmp(name, journal_event_names[k]) != 0)
		k++;
	return name ? (enum journal_event)k : JEV_COUNT;
}

static bool replay_event(struct journal *j, json_object *ev, bool first)
{
	enum journal_event kind = event_of(ev);
	struct journal_request *r;

	if (kind == JEV_COUNT)
		return false;
	if (first)
		return kind == JEV_ORDER && replay_order(j, ev);
	if (kind == JEV_PLANNED)
		return replay_planned(j, ev); /* out of sequence: damage */
	if (kind == JEV_END) {
		j->finished = true;
		return true;
	}
	if (kind == JEV_READY) {
		j->ready = true;
		return true;
	}
	r = request_of(j, ev);
	if (!r)
		return false;
	if (kind == JEV_APPROVAL) {
		/* the token from its file; gone (used, or removed), none */
		journal_forget_approval(r);
		r->sca_token = journal_approval_token(j, r->number);
		r->sca_at = (time_t)int_of(ev, "at");
		return true;
	}
	if (kind == JEV_SENDING) {
		time_t at = (time_t)int_of(ev, "at");

		journal_forget_approval(r);
		if (at <= 0)
			at = j->created; /* an attempt of unknown time: the earliest */
		if (r->first_sent <= 0) {
			r->first_sent = at;
			r->has_skew = json_object_is_type(json_member(ev, "skew"),
							  json_type_int);
			r->skew = r->has_skew ? (long)int_of(ev, "skew") : 0;
		}
		r->last_sent = at;
		r->attempts++;
		if (r->state == JREQ_PLANNED)
			r->state = JREQ_SENT;
		return true;
	}
	if (kind == JEV_SETTLED) {
		journal_forget_approval(r);
		return replay_settled(r, ev);
	}
	return kind == JEV_ANSWER;
}

/* The first line again, from order.json. */
static bool recover_order(struct journal *j)
{
	char *path = fs_join(j->dir, "order.json"), *text = NULL;
	json_object *ev = NULL;
	bool ok = false;
	size_t len;

	if (path && fs_read_all(path, 1u << 20, &text, &len, NULL) == STATUS_OK &&
	    json_parse_limited(text, len, 8, &ev, NULL) == JPARSE_OK)
		ok = event_of(ev) == JEV_ORDER && replay_order(j, ev);
	json_object_put(ev);
	free(text);
	free(path);
	return ok;
}

static void note_damage(struct journal *j, unsigned lineno)
{
	j->damaged = true;
	if (!j->damage[0])
		snprintf(j->damage, sizeof(j->damage),
			 /* TRANSLATORS: "its": the order's */
			 _("line %u of its journal is unreadable"), lineno);
}

/* Every request is planned when each card is in one. */
static bool rows_covered(const struct journal *j)
{
	bool *seen = calloc(j->n_cards ? j->n_cards : 1, sizeof(bool));
	size_t n = 0;

	if (!seen)
		return false;
	for (size_t i = 0; i < j->n_requests; i++)
		for (unsigned k = 0; k < j->requests[i].n_rows; k++)
			if (!seen[j->requests[i].rows[k]]) {
				seen[j->requests[i].rows[k]] = true;
				n++;
			}
	free(seen);
	return j->n_cards > 0 && n == j->n_cards;
}

/* After damage, what a lost line may have said is assumed: a request not
 * settled may have been sent (its "sending" line may be the one lost). */
static void assume_sent(struct journal *j, time_t last)
{
	for (size_t i = 0; i < j->n_requests; i++) {
		struct journal_request *r = &j->requests[i];

		if (r->first_sent <= 0)
			r->first_sent = j->created; /* its "sending" line may be lost */
		if (r->state == JREQ_PLANNED)
			r->state = JREQ_SENT;
		if (r->state != JREQ_SENT)
			continue;
		/* an approval line may be followed by a lost "sending": that
		 * attempt may have created the cards, so no waiting for an
		 * approval; Qonto's list decides */
		journal_forget_approval(r);
		if (!r->last_sent || r->last_sent < last)
			r->last_sent = last;
	}
}

/* Replays every complete line. A last line cut short by a crash is
 * ignored: appends are fsynced one at a time, so only the last can be.
 * Any other bad line is skipped and the journal marked damaged. */
static enum status replay(struct journal *j, char *text, size_t len,
			  struct status_error *err)
{
	char *line = text, *nl;
	unsigned lineno = 0;
	json_object *ev;
	bool have_order = false;
	time_t last = 0;

	while (line < text + len) {
		nl = memchr(line, '\n', (size_t)(text + len - line));
		if (!nl)
			break;
		*nl = '\0';
		lineno++;
		ev = NULL;
		if (json_parse_limited(line, (size_t)(nl - line), 8, &ev, NULL) == JPARSE_OK &&
		    int_of(ev, "at") > last)
			last = (time_t)int_of(ev, "at");
		if (!have_order) {
			bool own = ev && replay_event(j, ev, true);

			have_order = own || recover_order(j);
			if (!have_order) {
				json_object_put(ev);
				break;
			}
			if (!own) {
				note_damage(j, lineno);
				/* an event of its own, after a lost first line */
				if (ev && event_of(ev) != JEV_ORDER)
					replay_event(j, ev, false);
			}
		} else if (!ev || !replay_event(j, ev, false)) {
			note_damage(j, lineno);
		}
		json_object_put(ev);
		line = nl + 1;
	}
	if (!have_order && !recover_order(j))
		return status_set(err, STATUS_FORMAT,
				  "the journal of order %s is damaged beyond repair: "
				  "what the order was is lost (no order.json either)",
				  j->order_id);
	if (!lineno)
		note_damage(j, 1);
	recover_plans(j);
	if (!j->ready && rows_covered(j)) {
		/* every card is in a request: only the ready line can be lost */
		j->ready = true;
		j->damaged = true;
		if (!j->damage[0])
			snprintf(j->damage, sizeof(j->damage), "%s",
				 _("its journal stops before the order was marked ready"));
	}
	if (j->damaged)
		assume_sent(j, last ? last : time(NULL));
	return STATUS_OK;
}

static bool id_is_safe(const char *id)
{
	if (!*id || strlen(id) >= 40)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
		      *p == '-'))
			return false;
	return true;
}

enum status journal_open(struct journal *j, const char *state_dir,
			 const char *order_id, struct status_error *err)
{
	char *orders, *path = NULL, *text = NULL;
	size_t len;
	enum status st;

	memset(j, 0, sizeof(*j));
	if (!id_is_safe(order_id))
		return status_set(err, STATUS_USAGE, "\"%s\" is not an order id",
				  order_id);
	snprintf(j->order_id, sizeof(j->order_id), "%s", order_id);
	orders = fs_join(state_dir, "orders");
	j->dir = orders ? fs_join(orders, order_id) : NULL;
	j->audit_path = fs_join(state_dir, "audit.log");
	free(orders);
	path = j->dir ? fs_join(j->dir, "journal.jsonl") : NULL;
	if (!path || !j->audit_path) {
		st = status_set(err, STATUS_NOMEM, NULL);
		goto out;
	}
	st = fs_read_all(path, JOURNAL_MAX_BYTES, &text, &len, err);
	if (st != STATUS_OK && access(j->dir, F_OK) == 0) {
		/* the journal is gone, the order is not: rebuilt from its files */
		text = strdup("");
		len = 0;
		st = text ? STATUS_OK : status_set(err, STATUS_NOMEM, NULL);
		if (st == STATUS_OK)
			note_damage(j, 1);
	}
	if (st != STATUS_OK) {
		st = status_set(err, STATUS_NOT_FOUND, "no order %s was found", order_id);
		goto out;
	}
	/* Read only: a cut last line is skipped here, and removed by
	 * journal_lock before anything is appended. */
	st = replay(j, text, len, err);
out:
	free(path);
	free(text);
	return st;
}

/* True when the journal's last line is its "end": a finished order is
 * told without replaying it (a state directory keeps every order). */
static bool ends_finished(const char *state_dir, const char *id)
{
	char *orders = fs_join(state_dir, "orders"), *dir, *path, tail[160];
	bool finished = false;
	ssize_t n = 0;
	off_t size;
	int fd;

	dir = orders ? fs_join(orders, id) : NULL;
	path = dir ? fs_join(dir, "journal.jsonl") : NULL;
	fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0 && (size = lseek(fd, 0, SEEK_END)) > 0) {
		off_t from = size > (off_t)sizeof(tail) - 1 ? size - (off_t)sizeof(tail) + 1 : 0;

		n = pread(fd, tail, sizeof(tail) - 1, from);
	}
	if (n > 0) {
		char *last;

		tail[n] = '\0';
		if (tail[n - 1] == '\n')
			tail[n - 1] = '\0';
		last = strrchr(tail, '\n');
		finished = strstr(last ? last : tail, "\"ev\":\"end\"") != NULL;
	}
	if (fd >= 0)
		close(fd);
	free(path);
	free(dir);
	free(orders);
	return finished;
}

enum status journal_latest_unfinished(const char *state_dir, char *id,
				      struct status_error *err)
{
	char *orders = fs_join(state_dir, "orders");
	struct journal j;
	struct dirent *de;
	time_t best = 0;
	DIR *d;

	id[0] = '\0';
	d = orders ? opendir(orders) : NULL;
	while (d && (de = readdir(d))) {
		if (!id_is_safe(de->d_name) || ends_finished(state_dir, de->d_name))
			continue;
		/* journal_open clears j first, so j is always freed */
		if (journal_open(&j, state_dir, de->d_name, NULL) == STATUS_OK &&
		    !j.finished && (!id[0] || j.created >= best)) {
			best = j.created;
			snprintf(id, 40, "%s", j.order_id);
		}
		journal_free(&j);
	}
	if (d)
		closedir(d);
	free(orders);
	if (!id[0])
		return status_set(err, STATUS_NOT_FOUND,
				  "there is no interrupted order to resume");
	return STATUS_OK;
}

static void summarise(const struct journal *j, struct journal_summary *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->order_id, sizeof(out->order_id), "%s", j->order_id);
	out->created = j->created;
	out->n_cards = j->n_cards;
	out->finished = j->finished;
	out->damaged = j->damaged;
	for (size_t i = 0; i < j->n_requests; i++) {
		const struct journal_request *r = &j->requests[i];

		if (r->state == JREQ_REPLANNED)
			continue; /* its cards are counted in later requests */
		if (r->state != JREQ_PLANNED)
			out->n_sent += r->n_rows;
		if (r->state == JREQ_SENT && r->sca_token)
			out->n_approval += r->n_rows;
		else if (r->state == JREQ_SENT)
			out->n_unknown += r->n_rows;
		else if (r->state != JREQ_PLANNED)
			out->n_settled += r->n_rows;
	}
}

/* The cards of an order from order.json, without replaying its journal;
 * 0 when unknown. */
static int64_t cards_of(const char *state_dir, const char *id)
{
	char *orders = fs_join(state_dir, "orders"), *dir, *path, *text = NULL;
	json_object *ev = NULL;
	int64_t n = 0;
	size_t len;

	dir = orders ? fs_join(orders, id) : NULL;
	path = dir ? fs_join(dir, "order.json") : NULL;
	if (path && fs_read_all(path, 1u << 20, &text, &len, NULL) == STATUS_OK &&
	    json_parse_limited(text, len, 8, &ev, NULL) == JPARSE_OK)
		n = int_of(ev, "cards");
	json_object_put(ev);
	free(text);
	free(path);
	free(dir);
	free(orders);
	return n;
}

enum status journal_find_same(const char *state_dir, const char *digest,
			      size_t n_cards, bool unfinished_only,
			      const char *except, struct journal_summary *out)
{
	char *orders = fs_join(state_dir, "orders"), theirs[65];
	struct journal j;
	struct dirent *de;
	bool found = false;
	DIR *d;

	memset(out, 0, sizeof(*out));
	d = orders && digest[0] ? opendir(orders) : NULL;
	while (d && (de = readdir(d))) {
		int64_t theirs_n;

		if (!id_is_safe(de->d_name) || (except && strcmp(de->d_name, except) == 0))
			continue;
		/* only orders of as many cards are replayed */
		theirs_n = cards_of(state_dir, de->d_name);
		if ((theirs_n > 0 && (size_t)theirs_n != n_cards) ||
		    (unfinished_only && ends_finished(state_dir, de->d_name)))
			continue;
		/* journal_open clears j first, so j is always freed */
		if (journal_open(&j, state_dir, de->d_name, NULL) == STATUS_OK &&
		    (!unfinished_only || !j.finished) &&
		    (!found || j.created >= out->created) && journal_digest(&j, theirs) &&
		    strcmp(theirs, digest) == 0) {
			summarise(&j, out);
			found = true;
		}
		journal_free(&j);
	}
	if (d)
		closedir(d);
	free(orders);
	return found ? STATUS_OK : STATUS_NOT_FOUND;
}

enum status journal_latest(const char *state_dir, char *id,
			   struct status_error *err)
{
	char *orders = fs_join(state_dir, "orders");
	struct journal j;
	struct dirent *de;
	time_t newest = 0;
	DIR *d;

	id[0] = '\0';
	d = orders ? opendir(orders) : NULL;
	while (d && (de = readdir(d))) {
		if (!id_is_safe(de->d_name))
			continue;
		if (journal_open(&j, state_dir, de->d_name, NULL) == STATUS_OK &&
		    (!id[0] || j.created >= newest)) {
			newest = j.created;
			snprintf(id, 40, "%s", j.order_id);
		}
		journal_free(&j);
	}
	if (d)
		closedir(d);
	free(orders);
	if (!id[0])
		return status_set(err, STATUS_NOT_FOUND, "no order was sent from this "
							 "machine yet");
	return STATUS_OK;
}

static int newest_first(const void *a, const void *b)
{
	const struct journal_summary *x = a, *y = b;

	return (x->created < y->created) - (x->created > y->created);
}

enum status journal_list_unfinished(const char *state_dir,
				    struct journal_summary **out, size_t *n,
				    struct status_error *err)
{
	char *orders = fs_join(state_dir, "orders");
	struct journal_summary *list = NULL, *grown;
	struct journal j;
	struct dirent *de;
	size_t count = 0;
	DIR *d;

	d = orders ? opendir(orders) : NULL;
	while (d && (de = readdir(d))) {
		if (!id_is_safe(de->d_name) || ends_finished(state_dir, de->d_name))
			continue;
		if (journal_open(&j, state_dir, de->d_name, NULL) == STATUS_OK &&
		    !j.finished) {
			grown = realloc(list, (count + 1) * sizeof(*list));
			if (!grown) {
				journal_free(&j);
				closedir(d);
				free(orders);
				free(list);
				return status_set(err, STATUS_NOMEM, NULL);
			}
			list = grown;
			summarise(&j, &list[count++]);
		}
		journal_free(&j);
	}
	if (d)
		closedir(d);
	free(orders);
	if (count > 1)
		qsort(list, count, sizeof(*list), newest_first);
	*out = list;
	*n = count;
	return STATUS_OK;
}
