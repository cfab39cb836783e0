/* check_reconcile.c: matching the cards Qonto lists to the cards of a
 * request whose outcome is unknown, so that only what Qonto does not have
 * is sent again (PRODUCT.md, "Submitting safely"). */
#include "config.h"

#include <json-c/json.h>
#include <stdint.h>

#include "check_util.h"
#include "reconcile.h"
#include "response.h"

#define N_ITEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define H1 "54ef7c9d-8a34-400a-9e74-0135f14560b9"
#define H2 "a25cf7d8-aa53-4dae-bf42-0546580182a3"
#define H3 "862da0dc-b1bf-45a4-94da-0a341996d572"

/* First sent at 2026-11-20T10:00:00Z. */
#define SENT_AT ((time_t)1795168800)

/* Four cards: two identical ones for H1, a flash card for H2, a physical
 * card for H1. */
static const char body4[] =
    "{\"cards\":["
    "{\"card\":{\"holder_id\":\"" H1 "\",\"card_level\":\"virtual\","
    "\"payment_monthly_limit\":1000}},"
    "{\"card\":{\"holder_id\":\"" H1 "\",\"card_level\":\"virtual\","
    "\"payment_monthly_limit\":1000}},"
    "{\"card\":{\"holder_id\":\"" H2 "\",\"card_level\":\"flash\","
    "\"payment_lifespan_limit\":500,\"pre_expires_at\":\"2027-01-01T00:00:"
    "00Z\"}},"
    "{\"card\":{\"holder_id\":\"" H1 "\",\"card_level\":\"standard\","
    "\"payment_monthly_limit\":2000,\"atm_monthly_limit\":300,"
    "\"payment_daily_limit_option\":true,\"payment_daily_limit\":100}}"
    "]}";

static struct reconcile *rc;
static struct results known;
static struct status_error err;

static void setup(void)
{
	rc = NULL;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(results_init(&known, 0, &err), STATUS_OK);
}

static void teardown(void)
{
	reconcile_free(rc);
	results_free(&known);
}

static const struct reconcile_setup sent_at = { .since = SENT_AT };

static void start(const char *body)
{
	ck_assert_int_eq(reconcile_new(&rc, body, strlen(body), &sent_at, &err),
			 STATUS_OK);
	ck_assert_ptr_nonnull(rc);
}

/* A listed card: id, holder, level, monthly limit (-1: none), created_at,
 * and any extra members. */
static char *listed(const char *id, const char *holder, const char *level,
		    long monthly, const char *created, const char *extra)
{
	char *out = NULL, limit[48] = "";

	if (monthly >= 0)
		snprintf(limit, sizeof(limit), ",\"payment_monthly_limit\":%ld",
			 monthly);
	ck_assert_int_ge(
	    asprintf(&out,
		     "{\"id\":\"%s\",\"holder_id\":\"%s\",\"card_level\":"
		     "\"%s\"%s,\"status\":\"pending\",\"created_at\":"
		     "\"%s\"%s%s}",
		     id, holder, level, limit, created,
		     extra && *extra ? "," : "", extra ? extra : ""),
	    0);
	return out;
}

/* A page of GET /v2/cards from the listed cards (consumed). */
static char *page_of(char **cards, int n, const char *next)
{
	size_t cap = 256;
	char *out;

	for (int i = 0; i < n; i++)
		cap += strlen(cards[i]) + 1;
	out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	strcpy(out, "{\"cards\":[");
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, cards[i]);
		free(cards[i]);
	}
	strcat(out, "],\"meta\":{\"current_page\":1,\"next_page\":");
	strcat(out, next);
	strcat(out, ",\"per_page\":100}}");
	return out;
}

static unsigned feed(char *page)
{
	unsigned next = 12345;

	ck_assert_int_eq(
	    reconcile_page(rc, page, strlen(page), 0, 0, &known, &next, &err),
	    STATUS_OK);
	free(page);
	return next;
}

/* The answer, parsed as the bulk endpoint's 200 would be. */
static void answer(struct bulk_response *resp, unsigned *pos, unsigned *n_pos,
		   size_t n_sent)
{
	struct json_object *root, *flag;
	char *text = NULL;
	size_t len = 0;

	ck_assert_int_eq(reconcile_answer(rc, &text, &len, pos, n_pos, &err),
			 STATUS_OK);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(len, strlen(text));
	root = json_tokener_parse(text);
	ck_assert(json_object_object_get_ex(root, "reconciled", &flag));
	ck_assert(json_object_get_boolean(flag));
	json_object_put(root);
	ck_assert_int_eq(response_parse(200, text, len, n_sent, resp, &err),
			 STATUS_OK);
	ck_assert_int_eq(resp->kind, RESPONSE_CARDS);
	ck_assert_uint_eq(resp->n_entries, n_sent);
	free(text);
}

static void expect_card(const struct bulk_response *resp, size_t i,
			const char *id)
{
	ck_assert_msg(resp->entries[i].kind == ENTRY_CARD,
		      "entry %zu is not a card", i);
	ck_assert_str_eq(resp->entries[i].card.id, id);
}

static void expect_resent(const struct bulk_response *resp, size_t i)
{
	ck_assert_msg(resp->entries[i].kind == ENTRY_ERROR,
		      "entry %zu is not an error", i);
	ck_assert_uint_ge(resp->entries[i].n_errors, 1);
	ck_assert_str_eq(resp->entries[i].errors[0].code, "cardorder_resent");
}

/* ---- the listing's path ---- */

START_TEST(test_path)
{
	char *path;

	start(body4);
	path = reconcile_path(rc, 1);
	ck_assert_str_eq(path,
			 "/v2/cards?sort_by=created_at:desc&per_page=100&page=1"
			 "&holder_ids[]=" H1 "&holder_ids[]=" H2);
	free(path);
	path = reconcile_path(rc, 7);
	ck_assert_ptr_nonnull(strstr(path, "&page=7&"));
	free(path);
}
END_TEST

/* Flat items, an item without a holder, and many holders. */
START_TEST(test_path_holders)
{
	const char *body =
	    "{\"cards\":[{\"holder_id\":\"" H3 "\",\"card_level\":"
	    "\"virtual\"},{\"card_level\":\"virtual\"},"
	    "{\"card\":{\"holder_id\":\"" H2 "\"}},"
	    "{\"holder_id\":\"" H3 "\"},{\"holder_id\":42}]}";
	char *path;

	start(body);
	path = reconcile_path(rc, 1);
	ck_assert_str_eq(path,
			 "/v2/cards?sort_by=created_at:desc&per_page=100&page=1"
			 "&holder_ids[]=" H3 "&holder_ids[]=" H2);
	free(path);
}
END_TEST

START_TEST(test_path_fifty_holders)
{
	char *body = malloc(50 * 80 + 32), *path, id[40];
	size_t used;

	ck_assert_ptr_nonnull(body);
	used = (size_t)sprintf(body, "{\"cards\":[");
	for (int i = 0; i < 50; i++)
		used += (size_t)sprintf(
		    body + used,
		    "%s{\"holder_id\":\"%08d-0000-4000-8000-000000000000\"}",
		    i ? "," : "", i);
	strcpy(body + used, "]}");
	start(body);
	path = reconcile_path(rc, 1);
	for (int i = 0; i < 50; i++) {
		snprintf(id, sizeof(id), "%08d-0000-4000-8000-000000000000", i);
		ck_assert_msg(strstr(path, id), "holder %d missing", i);
	}
	ck_assert_ptr_nonnull(
	    strstr(path, "&holder_ids[]=00000049-0000-4000-8000-000000000000"));
	free(path);
	free(body);
}
END_TEST

START_TEST(test_unreadable_body)
{
	static const char *const bodies[] = {"", "not json", "{}",
					     "{\"cards\":{}}", "[1,2]"};

	for (int i = 0; i < N_ITEMS(bodies); i++) {
		rc = NULL;
		ck_assert_int_eq(reconcile_new(&rc, bodies[i],
					       strlen(bodies[i]), &sent_at, &err),
				 STATUS_FORMAT);
		ck_assert_ptr_null(rc);
	}
}
END_TEST

/* ---- matching ---- */

START_TEST(test_match_page)
{
	char *cards[] = {
	    listed("x1", H1, "virtual", 1000, "2026-11-20T10:05:00.000Z", NULL),
	    /* the expiry as Qonto may write it: the same instant */
	    listed("x2", H2, "flash", -1, "2026-11-20T10:04:00Z",
		   "\"payment_lifespan_limit\":500,\"pre_expires_at\":"
		   "\"2027-01-01T01:00:00+01:00\""),
	    /* Another monthly limit: not the asked card, but one for its
	     * holder and level: it could be it, changed by Qonto */
	    listed("x3", H1, "virtual", 999, "2026-11-20T10:03:00Z", NULL),
	    /* Another daily limit: not the asked card. */
	    listed("x4", H1, "standard", 2000, "2026-11-20T09:57:00Z",
		   "\"atm_monthly_limit\":300,\"payment_daily_limit_option\":"
		   "true,\"payment_daily_limit\":5"),
	    /* Within the clock slack (no Date header), every asked value
	     * there; what was not asked (nfc) is whatever Qonto chose. */
	    listed("x5", H1, "standard", 2000, "2026-11-20T09:56:00Z",
		   "\"atm_monthly_limit\":300,\"payment_daily_limit_option\":"
		   "true,\"payment_daily_limit\":100,\"nfc_option\":false"),
	    /* Before the first send minus the slack: not ours. */
	    listed("x6", H1, "virtual", 1000, "2026-11-20T09:54:59Z", NULL),
	};
	struct bulk_response resp;
	unsigned pos[4] = {99, 99, 99, 99}, n_pos = 99;

	start(body4);
	ck_assert_uint_eq(feed(page_of(cards, N_ITEMS(cards), "2")), 0);
	answer(&resp, pos, &n_pos, 4);
	expect_card(&resp, 0, "x1");
	/* the second virtual card: x3 may be it, so it is neither taken nor
	 * sent again */
	ck_assert(resp.entries[1].kind == ENTRY_ERROR);
	ck_assert_str_eq(resp.entries[1].errors[0].code, RECONCILE_AMBIGUOUS_CODE);
	ck_assert_ptr_nonnull(strstr(resp.entries[1].errors[0].detail, "card x3"));
	expect_card(&resp, 2, "x2");
	expect_card(&resp, 3, "x5");
	ck_assert_uint_eq(n_pos, 0);
	/* The card object as listed. */
	ck_assert_int_eq(resp.entries[3].card.payment_daily_limit, 100);
	ck_assert_str_eq(resp.entries[3].card.status, "pending");
	response_free(&resp);
}
END_TEST

/* Two identical cards asked for the same holder: two different listed
 * cards, never the same one twice. */
START_TEST(test_identical_cards_two_matches)
{
	char *cards[] = {
	    listed("y1", H1, "virtual", 1000, "2026-11-20T10:01:00Z", NULL),
	    listed("y2", H1, "virtual", 1000, "2026-11-20T10:00:30Z", NULL),
	    listed("y3", H1, "virtual", 1000, "2026-11-20T10:00:10Z", NULL),
	};
	struct bulk_response resp;
	unsigned pos[4], n_pos;

	start(body4);
	ck_assert_uint_eq(feed(page_of(cards, N_ITEMS(cards), "null")), 0);
	answer(&resp, pos, &n_pos, 4);
	expect_card(&resp, 0, "y1");
	expect_card(&resp, 1, "y2");
	ck_assert_uint_eq(n_pos, 2);
	ck_assert_uint_eq(pos[0], 2);
	ck_assert_uint_eq(pos[1], 3);
	response_free(&resp);
}
END_TEST

/* A card already created by another request of the order is not this
 * request's. */
START_TEST(test_known_cards_not_matched)
{
	struct card_object c = {0};
	char *cards[] = {
	    listed("k1", H1, "virtual", 1000, "2026-11-20T10:06:00Z", NULL),
	    listed("k2", H1, "virtual", 1000, "2026-11-20T10:05:00Z", NULL),
	};
	struct bulk_response resp;
	unsigned pos[4], n_pos;

	results_free(&known);
	ck_assert_int_eq(results_init(&known, 3, &err), STATUS_OK);
	c.id = strdup("k1");
	results_created(&known, 2, 1, &c);
	/* Only created cards count: a failed one with that id is no card. */
	ck_assert_int_eq(
	    results_fail(&known, 0, 1, RESULT_FAILED, "k2", "k2", NULL),
	    STATUS_OK);
	start(body4);
	feed(page_of(cards, N_ITEMS(cards), "null"));
	answer(&resp, pos, &n_pos, 4);
	expect_card(&resp, 0, "k2");
	expect_resent(&resp, 1);
	response_free(&resp);
}
END_TEST

/* As cards are created while the listing is read, a card can show on two
 * pages: it still counts once. */
START_TEST(test_same_card_on_two_pages)
{
	char *page1[] = {
	    listed("z1", H1, "virtual", 1000, "2026-11-20T10:02:00Z", NULL)};
	char *page2[] = {
	    listed("z1", H1, "virtual", 1000, "2026-11-20T10:02:00Z", NULL)};
	struct bulk_response resp;
	unsigned pos[4], n_pos;

	start(body4);
	ck_assert_uint_eq(feed(page_of(page1, 1, "2")), 2);
	ck_assert_uint_eq(feed(page_of(page2, 1, "null")), 0);
	answer(&resp, pos, &n_pos, 4);
	expect_card(&resp, 0, "z1");
	expect_resent(&resp, 1);
	ck_assert_uint_eq(n_pos, 3);
	response_free(&resp);
}
END_TEST

/* What the asked card says must agree; what it leaves out is whatever
 * Qonto chose. */
START_TEST(test_fields_that_must_agree)
{
	const char *body =
	    "{\"cards\":[{\"card\":{\"holder_id\":\"" H1 "\","
	    "\"card_level\":\"plus\",\"payment_monthly_limit\":700}}]}";
	char *cards[] = {
	    listed("w1", H2, "plus", 700, "2026-11-20T10:09:00Z", NULL),
	    listed("w2", H1, "standard", 700, "2026-11-20T10:08:00Z", NULL),
	    listed("w3", H1, "plus", -1, "2026-11-20T10:07:00Z", NULL),
	    listed("w4", H1, "plus", 700, "2026-11-20T10:06:00Z",
		   "\"atm_monthly_limit\":0,\"payment_lifespan_limit\":9"),
	};
	struct bulk_response resp;
	unsigned pos[1], n_pos;

	start(body);
	feed(page_of(cards, N_ITEMS(cards), "null"));
	answer(&resp, pos, &n_pos, 1);
	expect_card(&resp, 0, "w4");
	ck_assert_uint_eq(n_pos, 0);
	response_free(&resp);
}
END_TEST

/* Listed cards without what matching needs are skipped, not matched, and
 * do not end the listing. */
START_TEST(test_unusable_listed_cards)
{
	const char *page =
	    "{\"cards\":[{\"holder_id\":\"" H1 "\",\"card_level\":\"virtual\","
	    "\"payment_monthly_limit\":1000,\"created_at\":\"2026-11-20T10:01:"
	    "00Z\"},"
	    "{\"id\":\"u2\",\"holder_id\":\"" H1
	    "\",\"card_level\":\"virtual\","
	    "\"payment_monthly_limit\":1000},"
	    "{\"id\":\"u3\",\"holder_id\":\"" H1
	    "\",\"card_level\":\"virtual\","
	    "\"payment_monthly_limit\":1000,\"created_at\":\"yesterday\"},"
	    "{\"id\":7,\"holder_id\":\"" H1 "\",\"card_level\":\"virtual\","
	    "\"payment_monthly_limit\":1000,\"created_at\":\"2026-11-20T10:01:"
	    "00Z\"},"
	    "{\"id\":\"u5\",\"holder_id\":\"" H1
	    "\",\"card_level\":\"virtual\","
	    "\"payment_monthly_limit\":\"1000.5\",\"created_at\":\"2026-11-20T10:"
	    "01:00Z\"},"
	    "\"u6\", null, 12],"
	    "\"meta\":{\"next_page\":2}}";
	unsigned next = 0, pos[4], n_pos;
	struct bulk_response resp;

	start(body4);
	ck_assert_int_eq(
	    reconcile_page(rc, page, strlen(page), 0, 0, &known, &next, &err),
	    STATUS_OK);
	ck_assert_uint_eq(next, 2);
	answer(&resp, pos, &n_pos, 4);
	/* u5's limit is no whole number: not the asked card, but one for
	 * the first card's holder and level, so that one is ambiguous */
	ck_assert_str_eq(resp.entries[0].errors[0].code, RECONCILE_AMBIGUOUS_CODE);
	ck_assert_uint_eq(n_pos, 3);
	for (unsigned i = 1; i < 4; i++) {
		ck_assert_uint_eq(pos[i - 1], i);
		expect_resent(&resp, i);
	}
	response_free(&resp);
}
END_TEST

/* A limit is compared by value, however Qonto writes it. */
START_TEST(test_limits_by_value)
{
	const char *page =
	    "{\"cards\":[{\"id\":\"v1\",\"holder_id\":\"" H1 "\",\"card_level\":"
	    "\"virtual\",\"payment_monthly_limit\":1000.0,\"created_at\":"
	    "\"2026-11-20T10:01:00Z\"},{\"id\":\"v2\",\"holder_id\":\"" H1 "\","
	    "\"card_level\":\"virtual\",\"payment_monthly_limit\":\"1000\","
	    "\"created_at\":\"2026-11-20T10:01:00Z\"}]}";
	unsigned next = 9, pos[4], n_pos;
	struct bulk_response resp;

	start(body4);
	ck_assert_int_eq(reconcile_page(rc, page, strlen(page), 0, 0, &known, &next, &err),
			 STATUS_OK);
	answer(&resp, pos, &n_pos, 4);
	ck_assert_uint_eq(n_pos, 2); /* both H1 cards found */
	ck_assert_uint_eq(pos[0], 2);
	response_free(&resp);
}
END_TEST

/* Time zones are honoured: 11:00+01:00 is 10:00Z. */
START_TEST(test_created_at_offsets)
{
	char *cards[] = {
	    listed("t1", H1, "virtual", 1000, "2026-11-20T11:00:00+01:00",
		   NULL),
	    listed("t2", H1, "virtual", 1000, "2026-11-20T10:54:00+01:00",
		   NULL),
	};
	struct bulk_response resp;
	unsigned pos[4], n_pos;

	start(body4);
	ck_assert_uint_eq(feed(page_of(cards, N_ITEMS(cards), "3")), 0);
	answer(&resp, pos, &n_pos, 4);
	expect_card(&resp, 0, "t1");
	expect_resent(&resp, 1); /* t2 is 09:54Z: too old */
	response_free(&resp);
}
END_TEST

/* ---- paging ---- */

static const struct {
	const char *next;
	unsigned want;
} paging_cases[] = {
    {"2", 2},	 {"50", RECONCILE_MAX_PAGES},
    {"51", 0},	 {"1", 0},
    {"0", 0},	 {"-4", 0},
    {"null", 0}, {"\"2\"", 0},
    {"2.0", 0},
};

START_TEST(test_paging)
{
	char *cards[] = {
	    listed("p1", H3, "virtual", 1, "2026-11-20T10:30:00Z", NULL)};

	start(body4);
	ck_assert_uint_eq(feed(page_of(cards, 1, paging_cases[_i].next)),
			  paging_cases[_i].want);
}
END_TEST

START_TEST(test_paging_stops_at_older_card)
{
	char *recent[] = {
	    listed("r1", H3, "virtual", 1, "2026-11-20T10:30:00Z", NULL)};
	char *old[] = {
	    listed("r2", H3, "virtual", 1, "2026-11-20T10:30:00Z", NULL),
	    listed("r3", H3, "virtual", 1, "2026-11-19T10:30:00Z", NULL)};

	start(body4);
	ck_assert_uint_eq(feed(page_of(recent, 1, "2")), 2);
	ck_assert_uint_eq(feed(page_of(old, 2, "3")), 0);
}
END_TEST

/* An empty listing: nothing matched, every card resent. */
START_TEST(test_empty_listing)
{
	struct bulk_response resp;
	unsigned pos[4], n_pos;

	start(body4);
	ck_assert_uint_eq(feed(page_of(NULL, 0, "null")), 0);
	answer(&resp, pos, &n_pos, 4);
	ck_assert_uint_eq(n_pos, 4);
	for (unsigned i = 0; i < 4; i++) {
		ck_assert_uint_eq(pos[i], i);
		expect_resent(&resp, i);
	}
	response_free(&resp);
}
END_TEST

START_TEST(test_bad_pages)
{
	static const char *const pages[] = {
	    "",
	    "<html>",
	    "{}",
	    "{\"cards\":{}}",
	    "{\"cards\":null}",
	    "[]",
	    "{\"cards\":[],\"x\":NaN}",
	};
	unsigned next;

	start(body4);
	for (int i = 0; i < N_ITEMS(pages); i++) {
		next = 77;
		ck_assert_int_eq(reconcile_page(rc, pages[i], strlen(pages[i]),
						0, 0, &known, &next, &err),
				 STATUS_BAD_RESPONSE);
		ck_assert_uint_eq(next, 0);
	}
}
END_TEST

START_TEST(test_answer_of_empty_request)
{
	char *text = NULL;
	size_t len = 0;
	unsigned pos[1], n_pos = 9;

	start("{\"cards\":[]}");
	ck_assert_int_eq(reconcile_answer(rc, &text, &len, pos, &n_pos, &err),
			 STATUS_OK);
	ck_assert_str_eq(text, "{\"cards\":[],\"reconciled\":true}");
	ck_assert_uint_eq(n_pos, 0);
	free(text);
}
END_TEST


/* ---- Qonto's clock, exact values, other orders ---- */

static unsigned feed_dated(char *page, time_t server, time_t local)
{
	unsigned next = 12345;

	ck_assert_int_eq(reconcile_page(rc, page, strlen(page), server, local,
					&known, &next, &err),
			 STATUS_OK);
	free(page);
	return next;
}

/* With a Date header, the window starts when Qonto's clock said the
 * request was first sent, to the second: Qonto an hour ahead here. */
START_TEST(test_window_from_date_header)
{
	char *cards[] = {
	    listed("d1", H1, "virtual", 1000, "2026-11-20T11:00:00Z", NULL),
	    listed("d2", H1, "virtual", 1000, "2026-11-20T10:59:57Z", NULL),
	    listed("d3", H1, "virtual", 1000, "2026-11-20T10:30:00Z", NULL),
	};
	struct bulk_response resp;
	unsigned pos[4], n_pos;

	start(body4);
	/* Qonto's Date: 11:10:00 when this machine said 10:10:00 */
	ck_assert_uint_eq(feed_dated(page_of(cards, N_ITEMS(cards), "2"),
				     SENT_AT + 4200, SENT_AT + 600),
			  0);
	answer(&resp, pos, &n_pos, 4);
	expect_card(&resp, 0, "d1");
	/* 10:59:57 is three seconds before the first send: another order's,
	 * although the old five minutes of slack would have taken it */
	expect_resent(&resp, 1);
	ck_assert_uint_eq(n_pos, 3);
	response_free(&resp);
}
END_TEST

/* Every asked value must be on the card: options, days and categories in
 * any order, the design. */
START_TEST(test_every_asked_field)
{
	const char *body =
	    "{\"cards\":[{\"card\":{\"holder_id\":\"" H1 "\","
	    "\"card_level\":\"virtual\",\"payment_monthly_limit\":100,"
	    "\"online_option\":false,\"active_days\":[1,2,3],"
	    "\"categories\":[\"transport\",\"tax\"],"
	    "\"card_design\":\"virtual.default.2017\"}}]}";
	const char *same = "\"online_option\":false,\"active_days\":[3,1,2],"
			   "\"categories\":[\"tax\",\"transport\"],"
			   "\"card_design\":\"virtual.default.2017\"";
	char *cards[] = {
	    listed("e1", H1, "virtual", 100, "2026-11-20T10:05:00Z",
		   "\"online_option\":true,\"active_days\":[1,2,3],"
		   "\"categories\":[\"transport\",\"tax\"],"
		   "\"card_design\":\"virtual.default.2017\""),
	    listed("e2", H1, "virtual", 100, "2026-11-20T10:04:00Z",
		   "\"online_option\":false,\"active_days\":[1,2,3,4],"
		   "\"categories\":[\"transport\",\"tax\"],"
		   "\"card_design\":\"virtual.default.2017\""),
	    listed("e3", H1, "virtual", 100, "2026-11-20T10:03:00Z",
		   "\"online_option\":false,\"active_days\":[1,2,3],"
		   "\"categories\":[\"transport\"],"
		   "\"card_design\":\"virtual.default.2017\""),
	    listed("e4", H1, "virtual", 100, "2026-11-20T10:02:00Z",
		   "\"online_option\":false,\"active_days\":[1,2,3],"
		   "\"categories\":[\"transport\",\"tax\"]"),
	    listed("e5", H1, "virtual", 100, "2026-11-20T10:01:00Z", same),
	};
	struct bulk_response resp;
	unsigned pos[1], n_pos;

	start(body);
	feed(page_of(cards, N_ITEMS(cards), "null"));
	answer(&resp, pos, &n_pos, 1);
	expect_card(&resp, 0, "e5");
	response_free(&resp);
}
END_TEST

/* A card another order holds is never taken; one that could also be
 * another order's unknown request is reported with both, not taken. */
START_TEST(test_other_orders)
{
	static char taken_id[] = "o1";
	char *taken[] = { taken_id };
	const char *rival_body =
	    "{\"cards\":[{\"card\":{\"holder_id\":\"" H1 "\","
	    "\"card_level\":\"virtual\",\"payment_monthly_limit\":1000}}]}";
	struct claims claims = { .taken = taken, .n_taken = 1 };
	struct claims_rival rival = { .order_id = "0b5e1c1a-0000-4000-8000-00000000000b",
				      .request = 3,
				      .first_sent = SENT_AT + 240 };
	char *cards[] = {
	    listed("o1", H1, "virtual", 1000, "2026-11-20T10:06:00Z", NULL),
	    listed("o2", H1, "virtual", 1000, "2026-11-20T10:05:00Z", NULL),
	    listed("o3", H1, "virtual", 1000, "2026-11-20T10:03:00Z", NULL),
	};
	struct reconcile_setup setup = { .since = SENT_AT };
	struct bulk_response resp;
	unsigned pos[4], n_pos;

	rival.root = json_tokener_parse(rival_body);
	ck_assert(json_object_object_get_ex(rival.root, "cards", &rival.items));
	claims.rivals = &rival;
	claims.n_rivals = 1;
	setup.claims = &claims;
	ck_assert_int_eq(reconcile_new(&rc, body4, strlen(body4), &setup, &err),
			 STATUS_OK);
	feed_dated(page_of(cards, N_ITEMS(cards), "null"), SENT_AT + 900,
		   SENT_AT + 900);
	ck_assert_uint_eq(reconcile_ambiguous(rc), 1);
	answer(&resp, pos, &n_pos, 4);
	/* o1 is held elsewhere; o3 came before the rival was sent (10:04):
	 * this order's, and taken first although listed after o2; o2 came
	 * after: either order's, so the second identical card is ambiguous */
	expect_card(&resp, 0, "o3");
	ck_assert(resp.entries[1].kind == ENTRY_ERROR);
	ck_assert_str_eq(resp.entries[1].errors[0].code, RECONCILE_AMBIGUOUS_CODE);
	ck_assert_ptr_nonnull(strstr(resp.entries[1].errors[0].detail, "o2"));
	ck_assert_ptr_nonnull(strstr(resp.entries[1].errors[0].detail,
				     "request 3 of order 0b5e1c1a"));
	ck_assert_uint_eq(n_pos, 2);
	response_free(&resp);
	reconcile_free(rc);
	rc = NULL;
	json_object_put(rival.root);
}
END_TEST

/* A card goes to the card of the request that asked the most of it: a
 * card with categories is never taken for a plainer one of its holder. */
START_TEST(test_most_specific_first)
{
	const char *body =
	    "{\"cards\":[{\"card\":{\"holder_id\":\"" H1 "\",\"card_level\":"
	    "\"virtual\",\"payment_monthly_limit\":1000}},{\"card\":{\"holder_id\":"
	    "\"" H1 "\",\"card_level\":\"virtual\",\"payment_monthly_limit\":1000,"
	    "\"categories\":[\"transport\"]}}]}";
	char *cards[] = {
	    listed("m2", H1, "virtual", 1000, "2026-11-20T10:05:00Z",
		   "\"categories\":[\"transport\"]"),
	    listed("m1", H1, "virtual", 1000, "2026-11-20T10:04:00Z", NULL),
	};
	struct bulk_response resp;
	unsigned pos[2], n_pos;

	start(body);
	feed(page_of(cards, N_ITEMS(cards), "null"));
	answer(&resp, pos, &n_pos, 2);
	expect_card(&resp, 0, "m1");
	expect_card(&resp, 1, "m2");
	ck_assert_uint_eq(n_pos, 0);
	response_free(&resp);
}
END_TEST

/* Cards that a later request carries are decided there; a card that
 * fits another request of the order is not a doubt about this one; the
 * window starts from Qonto's clock as journalled at the first send. */
START_TEST(test_setup)
{
	const char *sibling =
	    "{\"cards\":[{\"card\":{\"holder_id\":\"" H1 "\",\"card_level\":"
	    "\"virtual\",\"payment_monthly_limit\":777}}]}";
	json_object *own = json_tokener_parse(sibling), *own_items = NULL;
	bool elsewhere[4] = { false, true, false, false };
	struct claims claims = { .own = &own, .n_own = 1 };
	struct reconcile_setup setup = { .since = SENT_AT, .has_skew = true,
					 .skew = 3600, .claims = &claims,
					 .elsewhere = elsewhere };
	char *cards[] = {
	    listed("s1", H1, "virtual", 1000, "2026-11-20T11:00:30Z", NULL),
	    listed("s2", H1, "virtual", 777, "2026-11-20T11:00:20Z", NULL),
	    listed("s3", H1, "virtual", 1000, "2026-11-20T10:59:00Z", NULL),
	};
	struct bulk_response resp;
	unsigned pos[4], n_pos;

	ck_assert(json_object_object_get_ex(own, "cards", &own_items));
	claims.own_items = &own_items;
	ck_assert_int_eq(reconcile_new(&rc, body4, strlen(body4), &setup, &err),
			 STATUS_OK);
	/* the page's own Date header (no skew) is not used: the journalled
	 * one is */
	feed_dated(page_of(cards, N_ITEMS(cards), "null"), SENT_AT + 60, SENT_AT + 60);
	answer(&resp, pos, &n_pos, 4);
	expect_card(&resp, 0, "s1");
	/* a later request carries the second: not matched, not sent again */
	ck_assert_str_eq(resp.entries[1].errors[0].code, "cardorder_resent");
	ck_assert_str_eq(resp.entries[2].errors[0].code, "cardorder_resent");
	/* s2 is the other request's, s3 came before the send (10:59 < 11:00) */
	ck_assert_uint_eq(reconcile_ambiguous(rc), 0);
	ck_assert_uint_eq(n_pos, 2);
	ck_assert_uint_eq(pos[0], 2);
	ck_assert_uint_eq(pos[1], 3);
	response_free(&resp);
	reconcile_free(rc);
	rc = NULL;
	json_object_put(own);
}
END_TEST

/* A list that cannot be read to its end (too many pages, a next page
 * that goes back, a full page that says nothing of the next): what was
 * not found is ambiguous, never sent again. */
START_TEST(test_incomplete_listing)
{
	static const char *const nexts[] = { "51", "1", "MISSING" };
	char *cards[1];
	struct bulk_response resp;
	unsigned pos[4], n_pos;
	char *page;
	size_t cap;

	for (int k = 0; k < N_ITEMS(nexts); k++) {
		start(body4);
		if (strcmp(nexts[k], "MISSING") == 0) {
			/* a full page of other holders' cards, no meta */
			cap = 100 * 200 + 64;
			page = malloc(cap);
			ck_assert_ptr_nonnull(page);
			strcpy(page, "{\"cards\":[");
			for (int i = 0; i < 100; i++) {
				char *c = listed("z", H3, "virtual", 1, "2026-11-20T10:30:00Z",
						 NULL);
				if (i)
					strcat(page, ",");
				strcat(page, c);
				free(c);
			}
			strcat(page, "]}");
			ck_assert_uint_eq(feed(page), 0);
		} else {
			cards[0] = listed("i1", H3, "virtual", 1, "2026-11-20T10:30:00Z", NULL);
			ck_assert_uint_eq(feed(page_of(cards, 1, nexts[k])), 0);
		}
		answer(&resp, pos, &n_pos, 4);
		ck_assert_msg(n_pos == 0, "next %s: %u sent again", nexts[k], n_pos);
		ck_assert_str_eq(resp.entries[0].errors[0].code, RECONCILE_AMBIGUOUS_CODE);
		ck_assert_ptr_nonnull(strstr(resp.entries[0].errors[0].detail, "to its end"));
		response_free(&resp);
		reconcile_free(rc);
		rc = NULL;
	}
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("reconcile");
	TCase *path = tcase_create("path");
	TCase *match = tcase_create("match");
	TCase *paging = tcase_create("paging");
	TCase *all[] = {path, match, paging};

	for (int i = 0; i < N_ITEMS(all); i++)
		tcase_add_checked_fixture(all[i], setup, teardown);
	tcase_add_test(path, test_path);
	tcase_add_test(path, test_path_holders);
	tcase_add_test(path, test_path_fifty_holders);
	tcase_add_test(path, test_unreadable_body);
	tcase_add_test(match, test_match_page);
	tcase_add_test(match, test_identical_cards_two_matches);
	tcase_add_test(match, test_known_cards_not_matched);
	tcase_add_test(match, test_same_card_on_two_pages);
	tcase_add_test(match, test_fields_that_must_agree);
	tcase_add_test(match, test_unusable_listed_cards);
	tcase_add_test(match, test_limits_by_value);
	tcase_add_test(match, test_created_at_offsets);
	tcase_add_test(match, test_answer_of_empty_request);
	tcase_add_test(match, test_window_from_date_header);
	tcase_add_test(match, test_every_asked_field);
	tcase_add_test(match, test_other_orders);
	tcase_add_test(match, test_most_specific_first);
	tcase_add_test(match, test_setup);
	tcase_add_test(match, test_incomplete_listing);
	tcase_add_loop_test(paging, test_paging, 0, N_ITEMS(paging_cases));
	tcase_add_test(paging, test_paging_stops_at_older_card);
	tcase_add_test(paging, test_empty_listing);
	tcase_add_test(paging, test_bad_pages);
	for (int i = 0; i < N_ITEMS(all); i++)
		suite_add_tcase(s, all[i]);
	return s;
}

CHECK_MAIN(make_suite)
