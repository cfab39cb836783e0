/* check_resume.c: what `resume` makes of a journal left in an awkward
 * state: cards that no request would send any more, an order interrupted
 * while it was being planned, and two processes on one order. No network
 * is reached: submit_new only reads the journal. */
#include "config.h"

#include "check_util.h"
#include "submit.h"

#include <ftw.h>
#include <unistd.h>

#define A "54ef7c9d-8a34-400a-9e74-0135f14560b9"
#define B "a25cf7d8-aa53-4dae-bf42-0546580182a3"
#define BODY "{\"cards\":[{\"card\":{\"holder_id\":\"" A "\",\"card_level\":\"virtual\"," \
	     "\"payment_monthly_limit\":100}},{\"card\":{\"holder_id\":\"" B "\"," \
	     "\"card_level\":\"virtual\",\"payment_monthly_limit\":200}}]}"
#define REFUSED "{\"errors\":[{\"code\":\"invalid\",\"detail\":\"unknown holder\"," \
		"\"source\":{\"pointer\":\"/cards/0/card/holder_id\"}}]}"

static char state[64];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

static void setup(void)
{
	snprintf(state, sizeof(state), "/tmp/coresumeXXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(state));
}

static void teardown(void)
{
	nftw(state, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void open_api(struct api *api)
{
	ck_assert_int_eq(api_init(api, "http://127.0.0.1:9", NULL, NULL, NULL), STATUS_OK);
}

/* A 422 settled, then cardorder stopped before planning the card it did
 * not refuse: resume plans it, with a key of its own. */
START_TEST(uncovered_rows_are_planned)
{
	uint32_t rows[2] = { 0, 1 };
	struct journal j, back;
	struct journal_request *r;
	struct submission *sub = NULL;
	struct results res;
	struct api api;
	char *body, id[40];
	size_t len;

	ck_assert_int_eq(journal_create(&j, state, NULL, "http://127.0.0.1:9", 2, NULL),
			 STATUS_OK);
	ck_assert_int_eq(journal_plan(&j, BODY, strlen(BODY), rows, 2, &r, NULL), STATUS_OK);
	ck_assert_int_eq(journal_ready(&j, NULL), STATUS_OK);
	ck_assert_int_eq(journal_sending(&j, r, NULL), STATUS_OK);
	ck_assert_int_eq(journal_settle(&j, r, JREQ_REPLANNED, REFUSED, strlen(REFUSED),
					"refused", NULL),
			 STATUS_OK);
	snprintf(id, sizeof(id), "%s", j.order_id);
	journal_free(&j);

	ck_assert_int_eq(journal_open(&back, state, id, NULL), STATUS_OK);
	open_api(&api);
	ck_assert_int_eq(results_init(&res, 2, NULL), STATUS_OK);
	ck_assert_int_eq(submit_new(&sub, &api, &back, &res, NULL, NULL, NULL, NULL),
			 STATUS_OK);
	ck_assert_uint_eq(back.n_requests, 2);
	ck_assert_uint_eq(back.requests[1].n_rows, 1);
	ck_assert_uint_eq(back.requests[1].rows[0], 1);
	ck_assert_int_eq(back.requests[1].state, JREQ_PLANNED);
	ck_assert_str_ne(back.requests[1].key, back.requests[0].key);
	ck_assert_int_eq(journal_body(&back, &back.requests[1], &body, &len, NULL), STATUS_OK);
	ck_assert_ptr_nonnull(strstr(body, B));
	ck_assert_ptr_null(strstr(body, A));
	free(body);
	ck_assert_int_eq(res.cards[0].state, RESULT_FAILED);
	ck_assert_str_eq(res.cards[0].error_field, "holder_id");
	ck_assert_int_eq(res.cards[1].state, RESULT_NOT_SENT);
	submit_free(sub);
	results_free(&res);
	api_free(&api);
	journal_free(&back);
}
END_TEST

static void keep_message(void *user, const struct submit_event *ev)
{
	if (ev->message && ev->kind == SUBMIT_EV_RECONCILING)
		snprintf(user, 200, "%s", ev->message);
}

/* Sending starts only after every request is planned: an order without
 * its "ready" line, whose cards are not all in a request, was stopped
 * while it was prepared. Its requests are checked in Qonto, never sent,
 * and it is never said "nothing was sent" without that check. */
START_TEST(interrupted_while_planning)
{
	uint32_t rows[2] = { 0, 1 };
	struct journal j, back;
	struct journal_request *r;
	struct submission *sub = NULL;
	struct status_error err = { 0 };
	struct results res;
	struct api api;
	char id[40], heard[200] = "";

	ck_assert_int_eq(journal_create(&j, state, NULL, "http://127.0.0.1:9", 3, NULL),
			 STATUS_OK);
	ck_assert_int_eq(journal_plan(&j, BODY, strlen(BODY), rows, 2, &r, NULL), STATUS_OK);
	snprintf(id, sizeof(id), "%s", j.order_id);
	journal_free(&j);
	ck_assert_int_eq(journal_open(&back, state, id, NULL), STATUS_OK);
	ck_assert(!back.ready);
	open_api(&api);
	ck_assert_int_eq(results_init(&res, 3, NULL), STATUS_OK);
	ck_assert_int_eq(submit_new(&sub, &api, &back, &res, NULL, keep_message, heard,
				    &err),
			 STATUS_OK);
	ck_assert_str_eq(heard, "the order was interrupted while it was being "
				"prepared; nothing more will be sent");
	ck_assert(!back.finished); /* not before Qonto was asked */
	submit_free(sub);
	results_free(&res);
	api_free(&api);
	journal_free(&back);
}
END_TEST

/* Two processes on one order: the second is refused. */
START_TEST(one_process_per_order)
{
	struct journal j, other;
	struct status_error err = { 0 };
	char id[40];

	ck_assert_int_eq(journal_create(&j, state, NULL, "http://127.0.0.1:9", 2, NULL),
			 STATUS_OK);
	snprintf(id, sizeof(id), "%s", j.order_id);
	ck_assert_int_eq(journal_lock(&j, NULL), STATUS_OK);
	ck_assert_int_eq(journal_open(&other, state, id, NULL), STATUS_OK);
	ck_assert_int_eq(journal_lock(&other, &err), STATUS_USAGE);
	ck_assert_ptr_nonnull(strstr(err.message, "another cardorder"));
	journal_free(&other);
	journal_free(&j);
	/* released with the first */
	ck_assert_int_eq(journal_open(&other, state, id, NULL), STATUS_OK);
	ck_assert_int_eq(journal_lock(&other, NULL), STATUS_OK);
	journal_free(&other);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("resume");
	TCase *tc = tcase_create("resume");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, uncovered_rows_are_planned);
	tcase_add_test(tc, interrupted_while_planning);
	tcase_add_test(tc, one_process_per_order);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(make_suite)
