/* check_flow.c: the order workflow of src/flow.h, once, in process, for
 * every path both front ends take: check (offline, with the directory,
 * draft and final), begin and step to the end, export, cancel while a
 * request is on the wire and resume from the journal, the sink that
 * outlives the flow, and one process per order. Against the sandbox over
 * real HTTP. */
#include "config.h"

#include "check_util.h"
#include "sandbox/check_sandbox.h"
#include "flow.h"
#include "reader.h"

#include <time.h>

static char *state;

static void setup(void)
{
	state = tmpdir_new();
}

static void teardown(void)
{
	sbt_teardown();
	tmpdir_remove(state);
	state = NULL;
}

/* What the sink heard; it lives on the test's stack, beyond the flow. */
struct heard {
	unsigned kinds[SUBMIT_EV_UNKNOWN + 1];
	unsigned last_request;
};

static void on_event(void *user, const struct submit_event *ev)
{
	struct heard *h = user;

	ck_assert_int_le(ev->kind, SUBMIT_EV_UNKNOWN);
	h->kinds[ev->kind]++;
	h->last_request = ev->request;
}

/* An order of n virtual cards for the seeded members, read from CSV as a
 * file would be; holder by name when by_name (the first member's). */
static void make_order(struct order *order, size_t n, bool by_name)
{
	struct problem_list problems;
	const char *row;
	char *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);

	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s,organization_id,bank_account_id,card_level,"
		   "payment_monthly_limit\n",
		by_name ? "holder" : "holder_id");
	for (size_t i = 0; i < n; i++) {
		row = by_name ? "Hélène Dubois-Ferrière" : sbt_member_id(i % 129);
		fprintf(f, "%s,%s,%s,virtual,%zu\n", row, sbt_org_id(),
			sbt_account_id(0), 100 + i);
	}
	fclose(f);
	order_init(order);
	problems_init(&problems);
	ck_assert_int_eq(reader_read_csv(csv, len, order, &problems, NULL), STATUS_OK);
	ck_assert_uint_eq(problems.n_errors, 0);
	problems_free(&problems);
	free(csv);
}

static void open_api(struct api *api)
{
	struct api_credentials cred = { .access_token = strdup(SBT_TOKEN) };

	ck_assert_int_eq(api_init(api, sbt_base(), &cred, NULL, NULL), STATUS_OK);
	snprintf(api->twofa, sizeof(api->twofa), "mock");
}

/* The seeded organisation read from the sandbox, as the TUI and submit
 * read it. */
static void load_directory(struct api *api, struct directory *dir)
{
	open_api(api);
	directory_init(dir);
	ck_assert_int_eq(directory_load(dir, api, NULL), STATUS_OK);
}

static bool has_problem(const struct problem_list *p, const char *field,
			const char *text)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->items[i].field, field) == 0 &&
		    strstr(p->items[i].message, text))
			return true;
	return false;
}

/* Offline: an empty order is an error; a holder given by name is a note
 * while ids may still come from Qonto (draft), an error for the exact
 * body (final). */
START_TEST(check_offline)
{
	struct problem_list p;
	struct order order;

	order_init(&order);
	problems_init(&p);
	ck_assert_int_eq(flow_check_order(NULL, &order, FLOW_DRAFT, &p), 0);
	ck_assert_uint_eq(p.n_errors, 1);
	ck_assert(has_problem(&p, "", "the order has no cards"));
	problems_free(&p);
	order_free(&order);

	sbt_start("--sca", "off", NULL); /* for the seed's ids only */
	make_order(&order, 2, true);
	problems_init(&p);
	ck_assert_int_eq(flow_check_order(NULL, &order, FLOW_DRAFT, &p), 0);
	ck_assert_uint_eq(p.n_errors, 0);
	problems_free(&p);
	problems_init(&p);
	ck_assert_int_eq(flow_check_order(NULL, &order, FLOW_FINAL, &p), 0);
	ck_assert_uint_ge(p.n_errors, 2); /* one per card */
	problems_free(&p);
	order_free(&order);
	sbt_finish();
}
END_TEST

/* With the directory read from Qonto, names become ids and the final
 * check passes: what the review and submit do. */
START_TEST(check_with_directory)
{
	struct flow_context ctx = { 0 };
	struct directory dir;
	struct problem_list p;
	struct order order;
	struct api api;

	sbt_start("--sca", "off", NULL);
	load_directory(&api, &dir);
	ctx.dir = &dir;
	make_order(&order, 3, true);
	problems_init(&p);
	ck_assert_int_eq(flow_check_order(&ctx, &order, FLOW_FINAL, &p), 0);
	ck_assert_msg(p.n_errors == 0, "%s", p.n ? p.items[0].message : "");
	ck_assert_str_eq(card_text(&order.cards[2], FIELD_HOLDER_ID), sbt_member_id(0));
	problems_free(&p);
	order_free(&order);
	directory_free(&dir);
	api_free(&api);
	sbt_finish();
}
END_TEST

/* Issue 13, item 9: names looked up are not "both given"; an unknown name
 * is one error, not two; an id the organisation does not have is said. */
START_TEST(names_and_ids_said_once)
{
	static const char csv[] =
		"holder,bank_account,card_level,payment_monthly_limit\n"
		"Hélène Dubois-Ferrière,Compte principal,virtual,100\n"
		"Nobody Atall,Compte principal,virtual,100\n"
		"Hélène Dubois-Ferrière,No Such Account,virtual,100\n";
	struct flow_context ctx = { 0 };
	struct problem_list p;
	struct directory dir;
	struct order order;
	struct card *c;
	struct api api;

	sbt_start("--sca", "off", NULL);
	load_directory(&api, &dir);
	ctx.dir = &dir;
	order_init(&order);
	problems_init(&p);
	ck_assert_int_eq(reader_read_csv(csv, strlen(csv), &order, &p, NULL), STATUS_OK);
	ck_assert_uint_eq(p.n, 0);
	c = order_add_card(&order); /* a fourth: ids the organisation lacks */
	c->row = 5;
	card_set_level(c, LEVEL_VIRTUAL);
	card_set_euros(c, FIELD_PAYMENT_MONTHLY_LIMIT, 100);
	card_set_text(c, FIELD_HOLDER_ID, "3c90c3cc-0d44-4b50-8888-8dd25736052a");
	card_set_text(c, FIELD_BANK_ACCOUNT_ID, "3c90c3cc-0d44-4b50-8888-8dd25736052b");
	ck_assert_int_eq(flow_check_order(&ctx, &order, FLOW_FINAL, &p), 0);
	for (size_t i = 0; i < p.n; i++)
		ck_assert_msg(!strstr(p.items[i].message, "both") &&
			      !strstr(p.items[i].message, "needs the network") &&
			      !strstr(p.items[i].message, "is required"),
			      "row %u: %s: %s", p.items[i].row, p.items[i].field,
			      p.items[i].message);
	ck_assert_uint_eq(p.n_errors, 2);
	ck_assert_uint_eq(p.n_warnings, 3); /* and Hélène twice as virtual */
	ck_assert(has_problem(&p, "holder", "no member is called \"Nobody Atall\""));
	ck_assert(has_problem(&p, "bank_account", "no bank account is named \"No Such"));
	ck_assert(has_problem(&p, "holder_id", "no member of "));
	ck_assert(has_problem(&p, "bank_account_id", "no bank account of "));
	problems_free(&p);
	order_free(&order);
	directory_free(&dir);
	api_free(&api);
	sbt_finish();
}
END_TEST

static enum submit_outcome run_to_end(struct flow *f)
{
	time_t until = time(NULL) + 60;

	while (flow_step(f, 100, NULL, 0))
		ck_assert_msg(time(NULL) < until, "the flow did not end in 60 s");
	ck_assert(!flow_sending(f));
	return flow_outcome(f);
}

/* begin, step, export: 120 cards in 3 requests, with approvals. */
START_TEST(begin_step_export)
{
	struct heard heard = { 0 };
	struct flow_sink sink = { on_event, &heard };
	struct order order;
	struct flow flow;
	struct api api;
	char path[300], *text;
	size_t len;

	sbt_start("--sca", "auto", "--sca-polls", "1", NULL);
	open_api(&api);
	make_order(&order, 120, false);
	ck_assert_int_eq(flow_init(&flow, state, &sink, NULL), STATUS_OK);
	ck_assert_int_eq(flow_begin(&flow, &api, &order, "test", NULL, NULL, NULL),
			 STATUS_OK);
	ck_assert(flow_sending(&flow));
	ck_assert_int_eq(run_to_end(&flow), SUBMIT_ALL_CREATED);
	ck_assert_uint_eq(heard.kinds[SUBMIT_EV_QUEUED], 3);
	ck_assert_uint_eq(heard.kinds[SUBMIT_EV_DONE], 3);
	ck_assert_uint_ge(heard.kinds[SUBMIT_EV_APPROVAL], 3);
	ck_assert_uint_eq(heard.kinds[SUBMIT_EV_FAILED] + heard.kinds[SUBMIT_EV_UNKNOWN], 0);
	ck_assert_int_eq(sbt_created(), 120);
	snprintf(path, sizeof(path), "%s/out.csv", state);
	ck_assert_int_eq(flow_export(&flow, path, CSV_STANDARD, NULL), STATUS_OK);
	text = slurp(path, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(file_mode(path), 0600);
	ck_assert_ptr_nonnull(strstr(text, "\n120,3,"));
	free(text);
	flow_free(&flow);
	order_free(&order);
	api_free(&api);
	sbt_finish();
}
END_TEST

/* A sandbox that holds every bulk answer 1.5 s (and then creates the
 * cards), an order of n cards begun in flow, stepped until `sending`
 * requests are on the wire and their bodies have left. */
static void begin_on_the_wire(struct flow *flow, struct api *api,
			      struct order *order, size_t n, unsigned sending,
			      const struct submit_options *opts,
			      struct heard *heard)
{
	time_t until = time(NULL) + 10;

	sbt_start("--sca", "off", "--fault-rate", "1", "--faults", "latency",
		  "--fault-scope", "bulk", "--latency-ms", "1500", NULL);
	open_api(api);
	make_order(order, n, false);
	ck_assert_int_eq(flow_begin(flow, api, order, "test", NULL, opts, NULL),
			 STATUS_OK);
	while (heard->kinds[SUBMIT_EV_SENDING] < sending && time(NULL) < until)
		flow_step(flow, 50, NULL, 0);
	ck_assert_uint_eq(heard->kinds[SUBMIT_EV_SENDING], sending);
	flow_step(flow, 300, NULL, 0); /* the bodies have left */
}

/* Cancel while the request is on the wire (the sandbox holds the answer
 * 1.5 s, and creates the cards): the sink hears "outcome unknown", the
 * journal keeps the order open; a new flow opens the latest unfinished
 * order and resume finds the cards instead of ordering them again. */
START_TEST(cancel_then_resume)
{
	struct heard heard = { 0 };
	struct flow_sink sink = { on_event, &heard };
	struct submit_options opts = { .reconcile_grace_s = 1 };
	struct order order;
	struct flow flow, again;
	struct api api;

	ck_assert_int_eq(flow_init(&flow, state, &sink, NULL), STATUS_OK);
	begin_on_the_wire(&flow, &api, &order, 7, 1, &opts, &heard);
	flow_cancel(&flow);
	ck_assert_uint_eq(heard.kinds[SUBMIT_EV_UNKNOWN], 1);
	ck_assert_int_eq(flow_outcome(&flow), SUBMIT_UNKNOWN);
	flow_free(&flow);
	sleep(2); /* the sandbox finishes what it received */
	ck_assert_int_eq(sbt_created(), 7);

	ck_assert_int_eq(flow_init(&again, state, &sink, NULL), STATUS_OK);
	ck_assert_int_eq(flow_open(&again, NULL, NULL), STATUS_OK);
	ck_assert_uint_eq(again.journal.n_cards, 7);
	ck_assert_int_eq(flow_resume(&again, &api, &opts, NULL), STATUS_OK);
	ck_assert_int_eq(run_to_end(&again), SUBMIT_ALL_CREATED);
	ck_assert_int_eq(sbt_created(), 7);
	ck_assert_uint_ge(heard.kinds[SUBMIT_EV_RECONCILING], 1);
	flow_free(&again);
	order_free(&order);
	api_free(&api);
	sbt_finish();
}
END_TEST

/* Freed while sending: the submission is cancelled first and reports into
 * the sink, which the caller still owns (the TUI's use-after-free came
 * from a sink freed before the flow). */
START_TEST(free_while_sending)
{
	struct heard heard = { 0 };
	struct flow_sink sink = { on_event, &heard };
	struct order order;
	struct flow flow;
	struct api api;

	ck_assert_int_eq(flow_init(&flow, state, &sink, NULL), STATUS_OK);
	begin_on_the_wire(&flow, &api, &order, 60, 2, NULL, &heard);
	flow_free(&flow);
	ck_assert_uint_eq(heard.kinds[SUBMIT_EV_UNKNOWN], 2);
	order_free(&order);
	api_free(&api);
	sbt_finish();
}
END_TEST

/* One process per order: a second flow cannot open an order that a first
 * one holds, and says so; once the first lets go, it can. */
START_TEST(one_flow_per_order)
{
	struct order order;
	struct flow first, second;
	struct status_error err = { 0 };
	struct api api;
	char id[40];

	sbt_start("--sca", "mock", NULL); /* the approval never comes */
	open_api(&api);
	make_order(&order, 2, false);
	ck_assert_int_eq(flow_init(&first, state, NULL, NULL), STATUS_OK);
	ck_assert_int_eq(flow_begin(&first, &api, &order, NULL, NULL, NULL, NULL),
			 STATUS_OK);
	snprintf(id, sizeof(id), "%s", first.journal.order_id);
	ck_assert_int_eq(flow_init(&second, state, NULL, NULL), STATUS_OK);
	ck_assert_int_ne(flow_open(&second, id, &err), STATUS_OK);
	ck_assert_msg(strstr(err.message, id), "%s", err.message);
	flow_free(&second);
	flow_free(&first); /* cancelled: the order stays unfinished */
	ck_assert_int_eq(flow_init(&second, state, NULL, NULL), STATUS_OK);
	ck_assert_int_eq(flow_open(&second, NULL, NULL), STATUS_OK);
	ck_assert_str_eq(second.journal.order_id, id);
	flow_free(&second);
	order_free(&order);
	api_free(&api);
	sbt_finish();
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("flow");
	TCase *tc = sbt_tcase("flow", 90);

	tcase_add_unchecked_fixture(tc, tmpdir_root_setup, tmpdir_root_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, check_offline);
	tcase_add_test(tc, check_with_directory);
	tcase_add_test(tc, names_and_ids_said_once);
	tcase_add_test(tc, begin_step_export);
	tcase_add_test(tc, cancel_then_resume);
	tcase_add_test(tc, free_while_sending);
	tcase_add_test(tc, one_flow_per_order);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(make_suite());
	int failed;

	http_global_init();
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	http_global_cleanup();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
