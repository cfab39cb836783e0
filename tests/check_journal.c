/* check_journal.c: the on-disk record of a submission (PRODUCT.md,
 * "Submitting safely"): what is written, what journal_open replays from
 * it, and what it does with a journal that a crash or a person damaged. */
#include "config.h"

#include <json-c/json.h>
#include <stdint.h>
#include <sys/stat.h>

#include "check_util.h"
#include "fsutil.h"
#include "journal.h"

#define N_ITEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define BASE_URL "http://127.0.0.1:8080"
#define SOURCE "/home/compta/orders/march.csv"

static char *tmp;   /* the test's directory, removed afterwards */
static char *state; /* $XDG_STATE_HOME/cardorder inside it, not created */
static struct journal jr;
static struct status_error err;
static mode_t old_umask;

static void setup(void)
{
	old_umask = umask(022);
	tmp = tmpdir_new();
	ck_assert_int_ge(asprintf(&state, "%s/state/cardorder", tmp), 0);
	memset(&jr, 0, sizeof(jr));
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	journal_free(&jr);
	tmpdir_remove(tmp);
	free(state);
	umask(old_umask);
}

/* "DIR/NAME" of the order's directory, owned. */
static char *in_order(const struct journal *j, const char *name)
{
	char *path = NULL;

	ck_assert_int_ge(asprintf(&path, "%s/%s", j->dir, name), 0);
	return path;
}

static char *read_text(const char *path)
{
	char *text = slurp(path, NULL);

	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

static void write_text(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

static unsigned count_lines(const char *text)
{
	unsigned n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

static bool is_uuid_v4(const char *s)
{
	if (strlen(s) != 36 || s[14] != '4' || !strchr("89ab", s[19]))
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
			return false;
	}
	return true;
}

static void create(size_t n_cards)
{
	ck_assert_int_eq(
	    journal_create(&jr, state, SOURCE, BASE_URL, n_cards, &err),
	    STATUS_OK);
}

/* Plans a request of the rows first..first+n-1 with a body naming them. */
static struct journal_request *plan(struct journal *j, uint32_t first,
				    unsigned n)
{
	uint32_t rows[JOURNAL_MAX_ROWS];
	struct journal_request *r = NULL;
	char body[128];

	for (unsigned i = 0; i < n; i++)
		rows[i] = first + i;
	snprintf(body, sizeof(body), "{\"cards\":[\"rows %u to %u\"]}", first,
		 first + n - 1);
	ck_assert_int_eq(journal_plan(j, body, strlen(body), rows, n, &r, &err),
			 STATUS_OK);
	ck_assert_ptr_nonnull(r);
	return r;
}

static void same_request(const struct journal_request *a,
			 const struct journal_request *b)
{
	ck_assert_uint_eq(a->number, b->number);
	ck_assert_str_eq(a->key, b->key);
	ck_assert_str_eq(a->sha256, b->sha256);
	ck_assert_uint_eq(a->n_rows, b->n_rows);
	ck_assert(memcmp(a->rows, b->rows, a->n_rows * sizeof(a->rows[0])) ==
		  0);
	ck_assert_int_eq(a->state, b->state);
	ck_assert_int_eq((long long)a->first_sent, (long long)b->first_sent);
	ck_assert_uint_eq(a->attempts, b->attempts);
	ck_assert_str_eq(a->note, b->note);
}

/* ---- writing ---- */

START_TEST(test_create)
{
	char *path, *text, *orders = NULL;

	create(3);
	ck_assert(is_uuid_v4(jr.order_id));
	ck_assert_str_eq(jr.source, SOURCE);
	ck_assert_str_eq(jr.base_url, BASE_URL);
	ck_assert_uint_eq(jr.n_cards, 3);
	ck_assert_uint_eq(jr.n_requests, 0);
	ck_assert(!jr.finished);
	ck_assert_int_ne(jr.created, 0);
	ck_assert_int_ge(asprintf(&orders, "%s/orders", state), 0);
	ck_assert_ptr_nonnull(strstr(jr.dir, orders));
	ck_assert_ptr_nonnull(strstr(jr.dir, jr.order_id));
	path = in_order(&jr, "journal.jsonl");
	text = read_text(path);
	ck_assert_uint_eq(count_lines(text), 1);
	ck_assert_ptr_nonnull(strstr(text, "\"ev\":\"order\""));
	ck_assert_ptr_nonnull(strstr(text, jr.order_id));
	free(text);
	free(path);
	free(orders);
}
END_TEST

/* Every directory the journal makes is 0700 and every file 0600, even
 * with a umask that would let others read them. */
START_TEST(test_modes)
{
	static const char *const files[] = {"journal.jsonl", "order.json",
					    "request-001.json", "plan-001.json",
					    "answer-001.json", "names.json"};
	struct journal_request *r;
	char *path = NULL;

	umask(0);
	create(2);
	r = plan(&jr, 0, 2);
	ck_assert_int_eq(journal_sending(&jr, r, &err), STATUS_OK);
	ck_assert_int_eq(
	    journal_settle(&jr, r, JREQ_DONE, "{\"cards\":[]}", 12, NULL, &err),
	    STATUS_OK);
	ck_assert_int_eq(journal_save_names(&jr, "{}", &err), STATUS_OK);
	ck_assert_int_eq(
	    journal_audit(&jr, r, "Hélène", 200, 2, 0, "a,b", &err), STATUS_OK);
	for (int i = 0; i < N_ITEMS(files); i++) {
		path = in_order(&jr, files[i]);
		ck_assert_msg(file_mode(path) == 0600, "%s is %o", files[i],
			      file_mode(path));
		free(path);
	}
	ck_assert_uint_eq(file_mode(jr.audit_path), 0600);
	ck_assert_uint_eq(file_mode(jr.dir), 0700);
	ck_assert_int_ge(asprintf(&path, "%s/orders", state), 0);
	ck_assert_uint_eq(file_mode(path), 0700);
	ck_assert_uint_eq(file_mode(state), 0700);
	free(path);
	/* Nothing but what the layout of journal.h names. */
	ck_assert_uint_eq(dir_count(jr.dir), N_ITEMS(files));
}
END_TEST

START_TEST(test_plan_writes_body_first)
{
	struct journal_request *r;
	char *path, *body, *text;

	create(60);
	r = plan(&jr, 10, 50);
	ck_assert_uint_eq(r->number, 1);
	ck_assert_uint_eq(r->n_rows, 50);
	ck_assert_uint_eq(r->rows[0], 10);
	ck_assert_uint_eq(r->rows[49], 59);
	ck_assert_int_eq(r->state, JREQ_PLANNED);
	ck_assert_uint_eq(r->attempts, 0);
	ck_assert_int_eq(r->first_sent, 0);
	ck_assert(is_uuid_v4(r->key));
	ck_assert_uint_eq(strlen(r->sha256), 64);
	/* sha256 of "{"cards":["rows 10 to 59"]}", lower-case hex. */
	path = in_order(&jr, "request-001.json");
	body = read_text(path);
	ck_assert_str_eq(body, "{\"cards\":[\"rows 10 to 59\"]}");
	text = in_order(&jr, "journal.jsonl");
	free(path);
	path = text;
	text = read_text(path);
	ck_assert_uint_eq(count_lines(text), 2);
	ck_assert_ptr_nonnull(strstr(text, r->key));
	ck_assert_ptr_nonnull(strstr(text, r->sha256));
	free(text);
	free(path);
	free(body);
}
END_TEST

START_TEST(test_sha256_known_value)
{
	struct journal_request *r = NULL;
	const uint32_t row = 0;

	create(1);
	ck_assert_int_eq(journal_plan(&jr, "abc", 3, &row, 1, &r, &err),
			 STATUS_OK);
	ck_assert_str_eq(r->sha256, "ba7816bf8f01cfea414140de5dae2223"
				    "b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(test_plan_refuses_bad_row_counts)
{
	uint32_t rows[JOURNAL_MAX_ROWS + 1] = {0};
	struct journal_request *r = NULL;

	create(100);
	ck_assert_int_eq(journal_plan(&jr, "{}", 2, rows, 0, &r, &err),
			 STATUS_USAGE);
	ck_assert_int_eq(
	    journal_plan(&jr, "{}", 2, rows, JOURNAL_MAX_ROWS + 1, &r, &err),
	    STATUS_USAGE);
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(jr.n_requests, 0);
	ck_assert_uint_eq(dir_count(jr.dir), 2); /* the journal, order.json */
}
END_TEST

/* A key is never reused: not across the requests of an order, not across
 * orders. */
START_TEST(test_keys_unique)
{
	struct journal other;
	char **keys = calloc(150, sizeof(*keys));
	size_t n = 0;

	ck_assert_ptr_nonnull(keys);
	create(100);
	ck_assert_int_eq(
	    journal_create(&other, state, NULL, BASE_URL, 100, &err),
	    STATUS_OK);
	ck_assert_str_ne(jr.order_id, other.order_id);
	for (int i = 0; i < 100; i++)
		keys[n++] = strdup(plan(&jr, (uint32_t)i, 1)->key);
	for (int i = 0; i < 50; i++)
		keys[n++] = strdup(plan(&other, (uint32_t)i, 2)->key);
	for (size_t i = 0; i < n; i++) {
		ck_assert(is_uuid_v4(keys[i]));
		for (size_t k = 0; k < i; k++)
			ck_assert_str_ne(keys[i], keys[k]);
	}
	/* Planned requests keep their keys as more are planned (the array
	 * grows under them). */
	for (size_t i = 0; i < 100; i++)
		ck_assert_str_eq(jr.requests[i].key, keys[i]);
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	journal_free(&other);
}
END_TEST

/* ---- replay ---- */

/* Five requests in every state, then journal_open sees the same. */
static void build_history(void)
{
	struct journal_request *r;

	create(120);
	ck_assert_int_eq(journal_ready(&jr, &err), STATUS_OK);
	r = plan(&jr, 0, 50);
	ck_assert_int_eq(journal_sending(&jr, r, &err), STATUS_OK);
	ck_assert_int_eq(r->state, JREQ_SENT);
	ck_assert_int_ne(r->first_sent, 0);
	ck_assert_int_eq(journal_answer(&jr, r, 503, "server_error", &err),
			 STATUS_OK);
	ck_assert_int_eq(journal_sending(&jr, r, &err), STATUS_OK);
	ck_assert_int_eq(journal_answer(&jr, r, 200, "cards", &err), STATUS_OK);
	ck_assert_int_eq(journal_settle(&jr, r, JREQ_DONE, "{\"cards\":[1]}",
					13, NULL, &err),
			 STATUS_OK);
	ck_assert_uint_eq(r->attempts, 2);

	r = plan(&jr, 50, 50); /* sent, outcome unknown */
	ck_assert_int_eq(journal_sending(&jr, r, &err), STATUS_OK);

	r = plan(&jr, 100, 10); /* refused as a whole */
	ck_assert_int_eq(journal_sending(&jr, r, &err), STATUS_OK);
	ck_assert_int_eq(journal_answer(&jr, r, 422, "rejected", &err),
			 STATUS_OK);
	ck_assert_int_eq(
	    journal_settle(&jr, r, JREQ_FAILED, "{\"errors\":[]}", 13,
			   "refused: \"holder_id\" is unknown\nline 2", &err),
	    STATUS_OK);

	r = plan(&jr, 110, 5); /* replanned without being sent */
	ck_assert_int_eq(journal_settle(&jr, r, JREQ_REPLANNED, NULL, 0,
					"went into request 5", &err),
			 STATUS_OK);
	ck_assert_int_eq(r->first_sent, 0);

	plan(&jr, 110, 10); /* planned, never sent */
}

START_TEST(test_open_replays_everything)
{
	struct journal back;

	build_history();
	ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err),
			 STATUS_OK);
	ck_assert_str_eq(back.order_id, jr.order_id);
	ck_assert_str_eq(back.source, SOURCE);
	ck_assert_str_eq(back.base_url, BASE_URL);
	ck_assert_str_eq(back.dir, jr.dir);
	ck_assert_str_eq(back.audit_path, jr.audit_path);
	ck_assert_uint_eq(back.n_cards, 120);
	ck_assert_int_eq((long long)back.created, (long long)jr.created);
	ck_assert(!back.finished);
	ck_assert_uint_eq(back.n_requests, 5);
	for (size_t i = 0; i < 5; i++)
		same_request(&back.requests[i], &jr.requests[i]);
	ck_assert_int_eq(back.requests[0].state, JREQ_DONE);
	ck_assert_int_eq(back.requests[1].state, JREQ_SENT);
	ck_assert_int_eq(back.requests[2].state, JREQ_FAILED);
	ck_assert_int_eq(back.requests[3].state, JREQ_REPLANNED);
	ck_assert_int_eq(back.requests[4].state, JREQ_PLANNED);
	ck_assert_str_eq(back.requests[2].note,
			 "refused: \"holder_id\" is unknown\nline 2");
	ck_assert_uint_eq(back.requests[0].attempts, 2);
	journal_free(&back);

	ck_assert_int_eq(journal_finish(&jr, &err), STATUS_OK);
	ck_assert(jr.finished);
	ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err),
			 STATUS_OK);
	ck_assert(back.finished);
	ck_assert_uint_eq(back.n_requests, 5);
	journal_free(&back);
}
END_TEST

/* The order line's source may be absent (an order typed in the TUI). */
START_TEST(test_open_without_source)
{
	struct journal back;

	ck_assert_int_eq(journal_create(&jr, state, NULL, BASE_URL, 1, &err),
			 STATUS_OK);
	ck_assert_ptr_null(jr.source);
	ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err),
			 STATUS_OK);
	ck_assert_ptr_null(back.source);
	ck_assert_uint_eq(back.n_requests, 0);
	journal_free(&back);
}
END_TEST

/* A reopened journal carries on: new requests are numbered after the old
 * ones, and events go to the same file. */
START_TEST(test_reopened_journal_carries_on)
{
	struct journal back, again;
	struct journal_request *r;

	build_history();
	ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err),
			 STATUS_OK);
	ck_assert_int_eq(journal_sending(&back, &back.requests[4], &err),
			 STATUS_OK);
	r = plan(&back, 0, 3);
	ck_assert_uint_eq(r->number, 6);
	ck_assert_int_eq(journal_open(&again, state, jr.order_id, &err),
			 STATUS_OK);
	ck_assert_uint_eq(again.n_requests, 6);
	ck_assert_int_eq(again.requests[4].state, JREQ_SENT);
	ck_assert_uint_eq(again.requests[4].attempts, 1);
	same_request(&again.requests[5], r);
	journal_free(&again);
	journal_free(&back);
}
END_TEST

START_TEST(test_body_and_answer_read_back)
{
	struct journal back;
	char *body = NULL;
	size_t len = 0;

	build_history();
	ck_assert_int_eq(journal_body(&jr, &jr.requests[1], &body, &len, &err),
			 STATUS_OK);
	ck_assert_str_eq(body, "{\"cards\":[\"rows 50 to 99\"]}");
	ck_assert_uint_eq(len, strlen(body));
	free(body);
	ck_assert_int_eq(
	    journal_answer_body(&jr, &jr.requests[2], &body, &len, &err),
	    STATUS_OK);
	ck_assert_str_eq(body, "{\"errors\":[]}");
	free(body);
	/* And after a restart, with the replayed hash. */
	ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err),
			 STATUS_OK);
	ck_assert_int_eq(
	    journal_body(&back, &back.requests[0], &body, &len, &err),
	    STATUS_OK);
	ck_assert_str_eq(body, "{\"cards\":[\"rows 0 to 49\"]}");
	free(body);
	/* No answer was saved for a request still in flight. */
	body = NULL;
	ck_assert_int_ne(
	    journal_answer_body(&back, &back.requests[1], &body, &len, &err),
	    STATUS_OK);
	ck_assert_ptr_null(body);
	journal_free(&back);
}
END_TEST

/* A body changed on disk is never sent: its hash no longer matches. */
START_TEST(test_tampered_body_refused)
{
	struct journal_request *r;
	char *path, *plan_path, *body = NULL;
	size_t len = 0;

	create(10);
	r = plan(&jr, 0, 10);
	path = in_order(&jr, "request-001.json");
	plan_path = in_order(&jr, "plan-001.json");
	/* Same length, one limit changed: the copy planned with it is used */
	write_text(path, "w", "{\"cards\":[\"rows 0 to 99\"]}");
	ck_assert_int_eq(journal_body(&jr, r, &body, &len, &err), STATUS_OK);
	ck_assert_str_eq(body, "{\"cards\":[\"rows 0 to 9\"]}");
	free(body);
	body = NULL;
	/* Gone: the same */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(journal_body(&jr, r, &body, &len, &err), STATUS_OK);
	ck_assert_str_eq(body, "{\"cards\":[\"rows 0 to 9\"]}");
	free(body);
	body = NULL;
	/* Both changed: refused, never a body that was not planned */
	write_text(path, "w", "{\"cards\":[\"rows 0 to 99\"]}");
	write_text(plan_path, "w", "{\"body\":\"{\\\"cards\\\":[]}\"}");
	ck_assert_int_eq(journal_body(&jr, r, &body, &len, &err), STATUS_IO);
	ck_assert_ptr_null(body);
	ck_assert_ptr_nonnull(strstr(err.message, "changed"));
	ck_assert_ptr_nonnull(strstr(err.message, "request 1"));
	/* Put back, it is accepted again. */
	write_text(path, "w", "{\"cards\":[\"rows 0 to 9\"]}");
	ck_assert_int_eq(journal_body(&jr, r, &body, &len, &err), STATUS_OK);
	free(body);
	body = NULL;
	/* Both gone. */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(unlink(plan_path), 0);
	ck_assert_int_ne(journal_body(&jr, r, &body, &len, &err), STATUS_OK);
	ck_assert_ptr_null(body);
	free(plan_path);
	free(path);
}
END_TEST

/* ---- damage ---- */

/* A crash in the middle of an append leaves a last line without its
 * newline: the journal opens without it, and stays usable afterwards. */
START_TEST(test_cut_last_line)
{
	struct journal back, again;
	char *path, *text, *before;

	build_history();
	path = in_order(&jr, "journal.jsonl");
	before = read_text(path);
	write_text(path, "a", "{\"ev\":\"settled\",\"req\":2,\"sta");
	ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err),
			 STATUS_OK);
	ck_assert_uint_eq(back.n_requests, 5);
	ck_assert_int_eq(back.requests[1].state, JREQ_SENT);
	/* Taking the order for this process removes the cut line; the
	 * rest is as it was. */
	ck_assert_int_eq(journal_lock(&back, &err), STATUS_OK);
	text = read_text(path);
	ck_assert_str_eq(text, before);
	free(text);
	free(before);
	/* resume carries on, then stops again: the journal must still open
	 * and hold both the old and the new events. */
	ck_assert_int_eq(journal_sending(&back, &back.requests[1], &err),
			 STATUS_OK);
	ck_assert_int_eq(journal_settle(&back, &back.requests[1], JREQ_DONE,
					"{}", 2, NULL, &err),
			 STATUS_OK);
	ck_assert_int_eq(journal_open(&again, state, jr.order_id, &err),
			 STATUS_OK);
	ck_assert_uint_eq(again.n_requests, 5);
	ck_assert_int_eq(again.requests[1].state, JREQ_DONE);
	ck_assert_uint_eq(again.requests[1].attempts, 2);
	journal_free(&again);
	journal_free(&back);
	free(path);
}
END_TEST

/* Cut right after the order line: nothing else to replay. */
START_TEST(test_cut_second_line)
{
	struct journal back;
	char *path;

	create(4);
	path = in_order(&jr, "journal.jsonl");
	write_text(path, "a", "{\"ev\":\"pla");
	ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err),
			 STATUS_OK);
	ck_assert_uint_eq(back.n_requests, 0);
	ck_assert_uint_eq(back.n_cards, 4);
	journal_free(&back);
	free(path);
}
END_TEST

/* Lines that damage the middle of a journal, inserted after line 2. */
static const char *const damaged_lines[] = {
    "garbage",
    "{\"ev\":\"sending\",\"req\":1,\"at\":1",	  /* cut short, then more */
    "{\"ev\":\"sending\",\"req\":7,\"at\":1}",	  /* a request never planned */
    "{\"ev\":\"sending\",\"at\":1}",		  /* no request */
    "{\"ev\":\"teleported\",\"req\":1,\"at\":1}", /* unknown event */
    "{\"req\":1,\"at\":1}",			  /* no event name */
    "{\"ev\":\"settled\",\"req\":1,\"state\":\"lost\",\"at\":1}",
    "{\"ev\":\"planned\",\"req\":5,\"key\":\"k\",\"sha256\":"
    "\"0000000000000000000000000000000000000000000000000000000000000000\","
    "\"rows\":[0],\"at\":1}", /* out of sequence */
    "{\"ev\":\"planned\",\"req\":2,\"key\":\"k\",\"sha256\":"
    "\"0000000000000000000000000000000000000000000000000000000000000000\","
    "\"rows\":[99],\"at\":1}", /* row past the order */
    "{\"ev\":\"planned\",\"req\":2,\"key\":\"k\",\"sha256\":\"00\","
    "\"rows\":[0],\"at\":1}", /* short hash */
    "{\"ev\":\"planned\",\"req\":2,\"key\":\"k\",\"sha256\":"
    "\"0000000000000000000000000000000000000000000000000000000000000000\","
    "\"rows\":[],\"at\":1}", /* no rows */
    "{\"ev\":\"order\",\"id\":\"x\",\"base_url\":\"u\",\"cards\":1}",
    "", /* an empty line */
    "[1,2,3]",
};

/* A damaged line is skipped, never a reason to give up the order: the
 * journal opens, says it is damaged and where, and a request that is not
 * settled counts as sent (its "sending" line may be the one lost). */
START_TEST(test_damaged_middle_line_tolerated)
{
	struct journal back;
	char *path, *text, *second, *damaged = NULL;

	create(8);
	ck_assert_int_eq(journal_ready(&jr, &err), STATUS_OK);
	plan(&jr, 0, 4);
	plan(&jr, 4, 4);
	ck_assert_int_eq(journal_sending(&jr, &jr.requests[0], &err),
			 STATUS_OK);
	path = in_order(&jr, "journal.jsonl");
	text = read_text(path);
	second = strchr(strchr(text, '\n') + 1, '\n') + 1; /* line 3 */
	ck_assert_int_ge(asprintf(&damaged, "%.*s%s\n%s", (int)(second - text),
				  text, damaged_lines[_i], second),
			 0);
	write_text(path, "w", damaged);
	ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err),
			 STATUS_OK);
	ck_assert(back.damaged);
	ck_assert_msg(strstr(back.damage, "line 3"), "damage: %s", back.damage);
	ck_assert_uint_eq(back.n_requests, 2);
	ck_assert(back.ready);
	ck_assert_int_eq(back.requests[0].state, JREQ_SENT);
	ck_assert_int_eq(back.requests[1].state, JREQ_SENT); /* may have been */
	ck_assert_int_ne(back.requests[1].first_sent, 0);
	journal_free(&back);
	free(damaged);
	free(text);
	free(path);
}
END_TEST

/* The first line is repaired from order.json; without it the order
 * cannot be known. */
START_TEST(test_bad_first_line)
{
	static const char *const firsts[] = {
	    "{\"ev\":\"planned\",\"req\":1}\n",
	    "{\"ev\":\"order\",\"cards\":1,\"base_url\":\"u\"}\n", /* no id */
	    "{\"ev\":\"order\",\"id\":\"x\",\"cards\":1}\n",	   /* no base */
	    "{\"ev\":\"order\",\"id\":\"x\",\"base_url\":\"u\",\"cards\":-3}\n",
	    "not json\n",
	    "",
	};
	struct journal back;
	char *path, *copy;

	create(1);
	path = in_order(&jr, "journal.jsonl");
	copy = in_order(&jr, "order.json");
	for (int i = 0; i < N_ITEMS(firsts); i++) {
		write_text(path, "w", firsts[i]);
		ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err),
				 STATUS_OK);
		ck_assert(back.damaged);
		ck_assert_str_eq(back.base_url, BASE_URL);
		ck_assert_uint_eq(back.n_cards, 1);
		journal_free(&back);
	}
	ck_assert_int_eq(unlink(copy), 0);
	for (int i = 0; i < N_ITEMS(firsts); i++) {
		write_text(path, "w", firsts[i]);
		ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err),
				 STATUS_FORMAT);
		ck_assert_ptr_nonnull(strstr(err.message, "beyond repair"));
		journal_free(&back);
	}
	free(copy);
	free(path);
}
END_TEST

/* A journal that lost its end (cut in half): the requests come back from
 * their plan files, and every one counts as sent. */
START_TEST(test_cut_in_half)
{
	struct journal back;
	char *path, *text;

	create(150);
	plan(&jr, 0, 50);
	plan(&jr, 50, 50);
	plan(&jr, 100, 50);
	ck_assert_int_eq(journal_ready(&jr, &err), STATUS_OK);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(journal_sending(&jr, &jr.requests[i], &err),
				 STATUS_OK);
	path = in_order(&jr, "journal.jsonl");
	text = read_text(path);
	/* the order line, the first planned line and half the second */
	*(strchr(strchr(text, '\n') + 1, '\n') + 40) = '\0';
	write_text(path, "w", text);
	ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err), STATUS_OK);
	ck_assert(back.damaged);
	ck_assert(back.ready);
	ck_assert_uint_eq(back.n_requests, 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(back.requests[i].state, JREQ_SENT);
		ck_assert_str_eq(back.requests[i].key, jr.requests[i].key);
		ck_assert_str_eq(back.requests[i].sha256, jr.requests[i].sha256);
		ck_assert_uint_eq(back.requests[i].n_rows, 50);
		ck_assert_uint_eq(back.requests[i].rows[0], 50u * (unsigned)i);
		ck_assert_int_ne(back.requests[i].first_sent, 0);
	}
	journal_free(&back);
	/* and with the journal gone altogether */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(journal_open(&back, state, jr.order_id, &err), STATUS_OK);
	ck_assert(back.damaged && back.ready);
	ck_assert_uint_eq(back.n_requests, 3);
	journal_free(&back);
	free(text);
	free(path);
}
END_TEST

START_TEST(test_open_bad_ids)
{
	static const char *const ids[] = {
	    "",	   "..",     "../../etc",
	    "a/b", "ABCDEF", "0123456789abcdef0123456789abcdef012345678"};
	struct journal back;

	for (int i = 0; i < N_ITEMS(ids); i++) {
		ck_assert_int_eq(journal_open(&back, state, ids[i], &err),
				 STATUS_USAGE);
		journal_free(&back);
	}
	ck_assert_int_eq(journal_open(&back, state,
				      "00000000-0000-4000-8000-000000000000",
				      &err),
			 STATUS_NOT_FOUND);
	ck_assert_ptr_nonnull(
	    strstr(err.message, "00000000-0000-4000-8000-000000000000"));
	journal_free(&back);
}
END_TEST

/* ---- the latest unfinished order ---- */

/* A journal written by hand, so that its creation time is known. */
static void fake_order(const char *id, long at, bool finished, bool damaged)
{
	char *dir = NULL, *path = NULL, *text = NULL;

	ck_assert_int_ge(asprintf(&dir, "%s/orders/%s", state, id), 0);
	ck_assert_int_ge(asprintf(&path, "%s/journal.jsonl", dir), 0);
	ck_assert_int_ge(
	    asprintf(&text,
		     "{\"ev\":\"order\",\"id\":\"%s\",\"source\":null,"
		     "\"base_url\":\"" BASE_URL "\",\"cards\":3,"
		     "\"at\":%ld}\n%s%s",
		     id, at, damaged ? "}{\n" : "",
		     finished ? "{\"ev\":\"end\",\"at\":1}\n" : ""),
	    0);
	ck_assert_int_eq(fs_mkdirs(dir, NULL), STATUS_OK);
	write_text(path, "w", text);
	free(text);
	free(path);
	free(dir);
}

#define ID_OLD "00000000-0000-4000-8000-000000000001"
#define ID_NEW "00000000-0000-4000-8000-000000000002"
#define ID_DONE "00000000-0000-4000-8000-000000000003"
#define ID_BROKEN "00000000-0000-4000-8000-000000000004"

START_TEST(test_latest_unfinished)
{
	char id[40], *path = NULL;

	ck_assert_int_eq(journal_latest_unfinished(state, id, &err),
			 STATUS_NOT_FOUND);
	ck_assert_str_eq(id, "");
	fake_order(ID_OLD, 1000, false, false);
	fake_order(ID_NEW, 3000, false, false);
	fake_order(ID_DONE, 5000, true, false);	  /* newer, but finished */
	fake_order(ID_BROKEN, 9000, false, true); /* newest, damaged */
	/* Neither a directory that is not an order id, nor a stray file. */
	fake_order("Notes", 9999, false, false);
	ck_assert_int_ge(asprintf(&path, "%s/orders/README", state), 0);
	write_text(path, "w", "hello\n");
	free(path);

	/* A damaged order is listed too: it is never a reason to forget */
	ck_assert_int_eq(journal_latest_unfinished(state, id, &err), STATUS_OK);
	ck_assert_str_eq(id, ID_BROKEN);
	ck_assert_int_ge(
	    asprintf(&path, "%s/orders/" ID_BROKEN "/journal.jsonl", state), 0);
	write_text(path, "a", "{\"ev\":\"end\",\"at\":9001}\n");
	free(path);
	ck_assert_int_eq(journal_latest_unfinished(state, id, &err), STATUS_OK);
	ck_assert_str_eq(id, ID_NEW);

	/* Once it is finished, the older one is next. */
	ck_assert_int_ge(
	    asprintf(&path, "%s/orders/" ID_NEW "/journal.jsonl", state), 0);
	write_text(path, "a", "{\"ev\":\"end\",\"at\":4000}\n");
	free(path);
	ck_assert_int_eq(journal_latest_unfinished(state, id, &err), STATUS_OK);
	ck_assert_str_eq(id, ID_OLD);

	ck_assert_int_ge(
	    asprintf(&path, "%s/orders/" ID_OLD "/journal.jsonl", state), 0);
	write_text(path, "a", "{\"ev\":\"end\",\"at\":4000}\n");
	free(path);
	ck_assert_int_eq(journal_latest_unfinished(state, id, &err),
			 STATUS_NOT_FOUND);
	ck_assert_str_eq(id, "");
	ck_assert_int_eq(err.code, STATUS_NOT_FOUND);
}
END_TEST

/* The same with orders made by journal_create. */
START_TEST(test_latest_unfinished_real_orders)
{
	struct journal done;
	char id[40];

	ck_assert_int_eq(journal_create(&done, state, NULL, BASE_URL, 1, &err),
			 STATUS_OK);
	ck_assert_int_eq(journal_finish(&done, &err), STATUS_OK);
	ck_assert_int_eq(journal_latest_unfinished(state, id, &err),
			 STATUS_NOT_FOUND);
	create(2);
	plan(&jr, 0, 2);
	ck_assert_int_eq(journal_latest_unfinished(state, id, &err), STATUS_OK);
	ck_assert_str_eq(id, jr.order_id);
	ck_assert_int_eq(journal_finish(&jr, &err), STATUS_OK);
	ck_assert_int_eq(journal_latest_unfinished(state, id, &err),
			 STATUS_NOT_FOUND);
	journal_free(&done);
}
END_TEST

/* Every unfinished order, newest first, with what is known of it; a
 * finished one is told by its last line and left out. */
START_TEST(test_list_unfinished)
{
	struct journal_summary *list = NULL;
	struct journal_request *r;
	size_t n = 9;

	fake_order(ID_OLD, 1000, false, false);
	fake_order(ID_DONE, 5000, true, false);
	fake_order(ID_BROKEN, 9000, false, true);
	create(120);
	ck_assert_int_eq(journal_ready(&jr, &err), STATUS_OK);
	r = plan(&jr, 0, 50);
	ck_assert_int_eq(journal_sending(&jr, r, &err), STATUS_OK);
	ck_assert_int_eq(journal_settle(&jr, r, JREQ_DONE, "{\"cards\":[]}", 12, NULL, &err),
			 STATUS_OK);
	r = plan(&jr, 50, 50);
	ck_assert_int_eq(journal_sending(&jr, r, &err), STATUS_OK);
	plan(&jr, 100, 20);
	ck_assert_int_eq(journal_list_unfinished(state, &list, &n, &err), STATUS_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(list[0].order_id, jr.order_id); /* now: the newest */
	ck_assert_uint_eq(list[0].n_cards, 120);
	ck_assert_uint_eq(list[0].n_sent, 100);
	ck_assert_uint_eq(list[0].n_settled, 50);
	ck_assert_uint_eq(list[0].n_unknown, 50);
	ck_assert(!list[0].damaged);
	ck_assert_str_eq(list[1].order_id, ID_BROKEN);
	ck_assert(list[1].damaged);
	ck_assert_str_eq(list[2].order_id, ID_OLD);
	free(list);
}
END_TEST

/* ---- audit log and names ---- */

START_TEST(test_audit_line)
{
	struct journal_request *r;
	struct json_object *line, *v;
	char *text;

	create(3);
	r = plan(&jr, 0, 3);
	ck_assert_int_eq(
	    journal_audit(&jr, r, "Hélène Dubois", 200, 2, 1, "c-1,c-2", &err),
	    STATUS_OK);
	ck_assert_int_eq(journal_audit(&jr, r, NULL, 503, 0, 0, NULL, &err),
			 STATUS_OK);
	text = read_text(jr.audit_path);
	ck_assert_uint_eq(count_lines(text), 2);
	*strchr(text, '\n') = '\0';
	line = json_tokener_parse(text);
	ck_assert_ptr_nonnull(line);
	ck_assert(json_object_object_get_ex(line, "order", &v));
	ck_assert_str_eq(json_object_get_string(v), jr.order_id);
	ck_assert(json_object_object_get_ex(line, "key", &v));
	ck_assert_str_eq(json_object_get_string(v), r->key);
	ck_assert(json_object_object_get_ex(line, "request", &v));
	ck_assert_int_eq(json_object_get_int(v), 1);
	ck_assert(json_object_object_get_ex(line, "http", &v));
	ck_assert_int_eq(json_object_get_int(v), 200);
	ck_assert(json_object_object_get_ex(line, "created", &v));
	ck_assert_int_eq(json_object_get_int(v), 2);
	ck_assert(json_object_object_get_ex(line, "failed", &v));
	ck_assert_int_eq(json_object_get_int(v), 1);
	ck_assert(json_object_object_get_ex(line, "card_ids", &v));
	ck_assert_str_eq(json_object_get_string(v), "c-1,c-2");
	ck_assert(json_object_object_get_ex(line, "who", &v));
	ck_assert_str_eq(json_object_get_string(v), "Hélène Dubois");
	ck_assert(json_object_object_get_ex(line, "at", &v));
	ck_assert_int_gt(json_object_get_int64(v), 0);
	json_object_put(line);
	free(text);
}
END_TEST

START_TEST(test_names_round_trip)
{
	const char *names = "{\"54ef7c9d\":\"Hélène\",\"x\":\"Zoé 🚀\"}";
	char *back = NULL;

	create(1);
	ck_assert_int_ne(journal_load_names(&jr, &back, &err), STATUS_OK);
	ck_assert_int_eq(journal_save_names(&jr, names, &err), STATUS_OK);
	ck_assert_int_eq(journal_load_names(&jr, &back, &err), STATUS_OK);
	ck_assert_str_eq(back, names);
	free(back);
	ck_assert_int_eq(journal_save_names(&jr, "{}", &err), STATUS_OK);
	ck_assert_int_eq(journal_load_names(&jr, &back, &err), STATUS_OK);
	ck_assert_str_eq(back, "{}");
	free(back);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *write = tcase_create("write");
	TCase *replay = tcase_create("replay");
	TCase *damage = tcase_create("damage");
	TCase *latest = tcase_create("latest");
	TCase *all[] = {write, replay, damage, latest};

	for (int i = 0; i < N_ITEMS(all); i++) {
		tcase_add_unchecked_fixture(all[i], tmpdir_root_setup,
					    tmpdir_root_teardown);
		tcase_add_checked_fixture(all[i], setup, teardown);
	}
	tcase_add_test(write, test_create);
	tcase_add_test(write, test_modes);
	tcase_add_test(write, test_plan_writes_body_first);
	tcase_add_test(write, test_sha256_known_value);
	tcase_add_test(write, test_plan_refuses_bad_row_counts);
	tcase_add_test(write, test_keys_unique);
	tcase_add_test(write, test_audit_line);
	tcase_add_test(write, test_names_round_trip);
	tcase_add_test(replay, test_open_replays_everything);
	tcase_add_test(replay, test_open_without_source);
	tcase_add_test(replay, test_reopened_journal_carries_on);
	tcase_add_test(replay, test_body_and_answer_read_back);
	tcase_add_test(replay, test_tampered_body_refused);
	tcase_add_test(damage, test_cut_last_line);
	tcase_add_test(damage, test_cut_second_line);
	tcase_add_loop_test(damage, test_damaged_middle_line_tolerated, 0,
			    N_ITEMS(damaged_lines));
	tcase_add_test(damage, test_bad_first_line);
	tcase_add_test(damage, test_cut_in_half);
	tcase_add_test(damage, test_open_bad_ids);
	tcase_add_test(latest, test_latest_unfinished);
	tcase_add_test(latest, test_latest_unfinished_real_orders);
	tcase_add_test(latest, test_list_unfinished);
	for (int i = 0; i < N_ITEMS(all); i++)
		suite_add_tcase(s, all[i]);
	return s;
}

CHECK_MAIN(make_suite)
