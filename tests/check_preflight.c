/* check_preflight.c: `cardorder check` (issue 14), the real binary against
 * the sandbox over HTTP: each finding at its row and field, with the exit
 * status; the summary; the requests it makes. */
#include "config.h"

#include "check_submit_util.h"
#include "sandbox/check_sandbox.h"

#include <check.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Members of the seed (assets/sandbox/memberships.json) */
#define HELENE 0   /* owner, Direction; a live standard card ••4821 */
#define BJORN 1    /* admin, Atelier; a discarded plus, a live virtual ••9034 */
#define FATOUMATA 2 /* admin, Direction; no card */
#define RAPHAEL 8  /* employee, Ventes; a pending plus ••6610 */
#define ANAIS 9    /* reporting, Atelier */
#define THEO 10    /* employee, Finance; an expired standard, a lost metal */
#define GAELLE 11  /* employee, Atelier; a paused virtual ••2290 */
#define MANON 18   /* manager, Atelier */
#define REVOKED 129
#define INVITED 130

static void teardown(void)
{
	sbt_teardown();
	stu_cleanup();
}

struct line {
	size_t member;
	const char *level;
};

/* An order of these cards (CSV, one per line, in order: rows 2, 3...). */
static const char *order_of(const struct line *lines, size_t n)
{
	static char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/order.csv", stu_dir());
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "holder_id,organization_id,bank_account_id,card_level,"
		   "payment_monthly_limit,payment_lifespan_limit,pre_expires_at,"
		   "ship_to_business\n");
	for (size_t i = 0; i < n; i++) {
		bool flash = strcmp(lines[i].level, "flash") == 0;
		bool physical = strcmp(lines[i].level, "standard") == 0 ||
				strcmp(lines[i].level, "plus") == 0 ||
				strcmp(lines[i].level, "metal") == 0;

		fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s\n", sbt_member_id(lines[i].member),
			sbt_org_id(), sbt_account_id(0), lines[i].level,
			flash ? "" : "1000", flash ? "200" : "",
			flash ? "2099-01-01T00:00:00Z" : "", physical ? "true" : "");
	}
	fclose(f);
	return path;
}

/* The problem lines of the output (those before the summary). */
static size_t problem_lines(const char *out)
{
	const char *end = strstr(out, "The order\n");
	size_t n = 0;

	ck_assert_ptr_nonnull(end);
	for (const char *c = out; c < end; c++)
		n += *c == '\n';
	return n ? n - 1 : 0; /* the blank line before the summary */
}

/* Fails unless out has the line "PATH:ROW:FIELD: message". */
static void has_problem(const char *out, const char *path, unsigned row,
			const char *field, const char *message)
{
	char want[1024];

	snprintf(want, sizeof(want), "%s:%u:%s: %s\n", path, row, field, message);
	ck_assert_msg(strstr(out, want), "no line \"%s\" in:\n%s", want, out);
}

/* The sample order: one holder already has a card of its level; the
 * summary says what the order may spend, costs and asks. */
START_TEST(sample_order)
{
	const char *path = FIXTURES "/../../assets/sample-order.csv";
	struct run r;

	sbt_start(NULL);
	stu_run(&r, 60, "check", "--base-url", sbt_base(), path, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
	ck_assert_uint_eq(problem_lines(r.out), 1);
	has_problem(r.out, path, 2, "card_level",
		    "warning: Hélène Dubois-Ferrière already has a standard card: "
		    "••4821, live, created 2025-03-14; is another one meant?");
	ck_assert_ptr_nonnull(strstr(r.out, "  7 card(s) for Atelier Lumière SAS\n"
					    "  ordered by Hélène Dubois-Ferrière (owner)\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "    team Direction                 3"
					    "         22000       2500           250\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  in all                           7"
					    "         32300       3500           250\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  Compte principal: active, balance "
					    "48219.37 EUR\n    its 5 card(s): 30000 EUR of "
					    "payments, 3500 EUR of cash per 30 days\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  in all: 33.00 EUR once, then up to "
					    "3.00 EUR a month\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  1 request(s) of at most 50 cards; 1 "
					    "approval(s) in the Qonto app\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "    1 to Calle Mayor 4, 28013 Madrid, ES\n"));
	/* organisation, accounts, members (2 pages), designs, caller, teams,
	 * and one request of the holders' cards; nothing created */
	ck_assert_int_eq(sbt_requests(), 8);
	ck_assert_int_eq(sbt_created(), 0);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* No finding: only the summary, exit 0. */
START_TEST(no_finding)
{
	const struct line lines[] = { { FATOUMATA, "plus" }, { BJORN, "standard" },
				      { THEO, "standard" }, { THEO, "flash" } };
	struct run r;

	sbt_start(NULL);
	stu_run(&r, 60, "check", "--base-url", sbt_base(), order_of(lines, 4), NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
	ck_assert_msg(strncmp(r.out, "The order\n", 10) == 0, "%s", r.out);
	ck_assert_str_eq(r.err, "");
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* Cards that still count (live, pending, paused) are named; discarded,
 * expired and lost ones are not. Two of one level in the order too. */
START_TEST(existing_cards)
{
	const struct line lines[] = {
		{ RAPHAEL, "plus" },   /* pending */
		{ GAELLE, "virtual" }, /* paused */
		{ BJORN, "virtual" },  /* live */
		{ BJORN, "plus" },     /* discarded: nothing */
		{ THEO, "metal" },     /* lost: nothing */
		{ FATOUMATA, "flash" },
		{ FATOUMATA, "flash" }, /* the same twice in the order */
	};
	const char *path = order_of(lines, 7);
	struct run r;

	sbt_start(NULL);
	stu_run(&r, 60, "check", "--base-url", sbt_base(), path, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
	has_problem(r.out, path, 2, "card_level",
		    "warning: Raphaël Garcia already has a plus card: ••6610, pending, "
		    "created 2026-11-28; is another one meant?");
	has_problem(r.out, path, 3, "card_level",
		    "warning: Gaëlle Michel already has a virtual card: ••2290, paused, "
		    "created 2026-02-09; is another one meant?");
	has_problem(r.out, path, 4, "card_level",
		    "warning: Björn Nguyễn already has a virtual card: ••9034, live, "
		    "created 2025-11-20; is another one meant?");
	ck_assert_uint_eq(problem_lines(r.out), 4);
	has_problem(r.out, path, 8, "holder_id",
		    "warning: this holder has another flash card in this order, at row 7");
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* A member who is not active: an error at the card, exit 2. */
START_TEST(memberships)
{
	const struct line lines[] = { { FATOUMATA, "virtual" }, { REVOKED, "virtual" },
				      { INVITED, "standard" } };
	const char *path = order_of(lines, 3);
	struct run r;

	sbt_start(NULL);
	stu_run(&r, 60, "check", "--base-url", sbt_base(), path, NULL);
	ck_assert_msg(r.status == 2, "exit %d: %s%s", r.status, r.out, r.err);
	has_problem(r.out, path, 3, "holder_id",
		    "Margaux Leclerc's membership is revoked: Qonto creates cards only "
		    "for active members");
	has_problem(r.out, path, 4, "holder_id",
		    "Yanis Benali's membership is invited (the invitation is not accepted "
		    "yet): Qonto creates cards only for active members");
	ck_assert_uint_eq(problem_lines(r.out), 2);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* An employee or an accountant cannot order cards: one error for the
 * whole order (row 0), exit 2; the sandbox refuses them too (403). */
static const struct {
	size_t caller;
	const char *role;
} no_order_roles[] = { { RAPHAEL, "employee" }, { ANAIS, "reporting (accountant)" } };

START_TEST(caller_role)
{
	const struct line lines[] = { { FATOUMATA, "virtual" } };
	const char *path = order_of(lines, 1);
	char message[300];
	struct run r;

	sbt_start("--caller", sbt_member_id(no_order_roles[_i].caller), NULL);
	stu_run(&r, 60, "check", "--base-url", sbt_base(), path, NULL);
	ck_assert_msg(r.status == 2, "exit %d: %s%s", r.status, r.out, r.err);
	snprintf(message, sizeof(message),
		 "your Qonto role is %s: only an owner, an admin or a manager (for "
		 "their own team) can order cards for others; ask one of them to "
		 "send this order", no_order_roles[_i].role);
	has_problem(r.out, path, 0, "", message);
	ck_assert_uint_eq(problem_lines(r.out), 1);
	stu_run_free(&r);
	/* submit stops on it too, before anything is sent */
	stu_run(&r, 60, "submit", "--yes", "--base-url", sbt_base(), path, NULL);
	ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.err);
	ck_assert_int_eq(sbt_created(), 0);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* A manager orders for their own team only: the error names both. */
START_TEST(manager_team)
{
	const struct line lines[] = { { GAELLE, "standard" }, { RAPHAEL, "virtual" } };
	const char *path = order_of(lines, 2);
	struct run r;

	sbt_start("--caller", sbt_member_id(MANON), NULL);
	stu_run(&r, 60, "check", "--base-url", sbt_base(), path, NULL);
	ck_assert_msg(r.status == 2, "exit %d: %s%s", r.status, r.out, r.err);
	has_problem(r.out, path, 3, "holder_id",
		    "Raphaël Garcia is in team Ventes, and you manage team Atelier: a "
		    "manager orders cards only for the members of their own team");
	ck_assert_uint_eq(problem_lines(r.out), 1);
	ck_assert_ptr_nonnull(strstr(r.out, "ordered by Manon Petit (manager)\n"));
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* Designs are judged by Qonto's list for the organisation once read: a
 * new one is accepted (validate, offline, does not know it), an inactive
 * one is a warning, one not listed an error. */
START_TEST(designs)
{
	char path[300];
	FILE *f;
	struct run r;

	snprintf(path, sizeof(path), "%s/designs.csv", stu_dir());
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "holder_id,organization_id,bank_account_id,card_level,"
		   "payment_monthly_limit,ship_to_business,card_design\n");
	fprintf(f, "%s,%s,%s,plus,1000,true,plus.recycled.plastic.mint.2026\n",
		sbt_member_id(FATOUMATA), sbt_org_id(), sbt_account_id(0));
	fprintf(f, "%s,%s,%s,metal,1000,true,metal.graphite.black.2019\n",
		sbt_member_id(FATOUMATA), sbt_org_id(), sbt_account_id(0));
	fprintf(f, "%s,%s,%s,standard,1000,true,standard.gold.1999\n",
		sbt_member_id(THEO), sbt_org_id(), sbt_account_id(0));
	/* listed for virtual and virtual_partner alike: no warning */
	fprintf(f, "%s,%s,%s,virtual_partner,1000,,virtual.default.2017\n",
		sbt_member_id(THEO), sbt_org_id(), sbt_account_id(0));
	/* a holder id that is no UUID: its own error, and the other holders'
	 * cards are still read (it never reaches a URL) */
	fprintf(f, "zz#zz&x,%s,%s,virtual,1000,,\n", sbt_org_id(), sbt_account_id(0));
	fclose(f);
	stu_run(&r, 60, "validate", path, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.out, ":2:card_design: \"plus.recycled.plastic.mint.2026\" "
					    "is not a known card design"));
	stu_run_free(&r);
	sbt_start(NULL);
	stu_run(&r, 60, "check", "--base-url", sbt_base(), path, NULL);
	ck_assert_msg(r.status == 2, "exit %d: %s%s", r.status, r.out, r.err);
	has_problem(r.out, path, 3, "card_design",
		    "warning: \"metal.graphite.black.2019\" is no longer offered (Qonto "
		    "lists it as inactive)");
	has_problem(r.out, path, 4, "card_design",
		    "\"standard.gold.1999\" is not among the designs Qonto offers your "
		    "organisation");
	ck_assert_ptr_nonnull(strstr(r.out, ":6:holder_id: "));
	ck_assert_ptr_null(strstr(r.out, ":5:"));
	ck_assert_uint_eq(problem_lines(r.out), 3);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* A closed account: an error at each card on it. */
START_TEST(closed_account)
{
	const struct line lines[] = { { FATOUMATA, "virtual" }, { THEO, "virtual" } };
	const char *path = order_of(lines, 2);
	struct run r;

	sbt_start("--closed-account", sbt_account_id(0), NULL);
	stu_run(&r, 60, "check", "--base-url", sbt_base(), path, NULL);
	ck_assert_msg(r.status == 2, "exit %d: %s%s", r.status, r.out, r.err);
	has_problem(r.out, path, 2, "bank_account_id",
		    "the bank account \"Compte principal\" is closed: cards draw on an "
		    "active account");
	has_problem(r.out, path, 3, "bank_account_id",
		    "the bank account \"Compte principal\" is closed: cards draw on an "
		    "active account");
	ck_assert_uint_eq(problem_lines(r.out), 2);
	ck_assert_ptr_nonnull(strstr(r.out, "  Compte principal: closed, balance 48219.37 EUR\n"));
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* --json: the same findings and summary for scripts. */
START_TEST(json_output)
{
	const struct line lines[] = { { RAPHAEL, "plus" }, { REVOKED, "flash" } };
	json_object *root, *problems;
	struct run r;

	sbt_start(NULL);
	stu_run(&r, 60, "check", "--json", "--base-url", sbt_base(), order_of(lines, 2),
		NULL);
	ck_assert_msg(r.status == 2, "exit %d: %s%s", r.status, r.out, r.err);
	root = json_tokener_parse(r.out);
	ck_assert_msg(root != NULL, "not JSON: %s", r.out);
	problems = sbt_at(root, "problems");
	ck_assert_uint_eq(json_object_array_length(problems), 2);
	ck_assert_int_eq(sbt_int(root, "problems/0/row"), 2);
	ck_assert_str_eq(sbt_str(root, "problems/0/severity"), "warning");
	ck_assert_str_eq(sbt_str(root, "problems/0/field"), "card_level");
	ck_assert_int_eq(sbt_int(root, "problems/1/row"), 3);
	ck_assert_str_eq(sbt_str(root, "problems/1/severity"), "error");
	ck_assert_int_eq(sbt_int(root, "summary/cards"), 2);
	ck_assert_int_eq(sbt_int(root, "summary/exposure/in_all/payment_monthly_limit"), 1000);
	ck_assert_int_eq(sbt_int(root, "summary/exposure/in_all/payment_lifespan_limit"), 200);
	ck_assert_int_eq(sbt_int(root, "summary/fees/once_cents"), 800);
	ck_assert_int_eq(sbt_int(root, "summary/bank_accounts/0/balance_cents"), 4821937);
	ck_assert_int_eq(sbt_int(root, "summary/requests"), 1);
	json_object_put(root);
	{ /* issue 16: the same JSON in French, where the text is French */
		struct run fr, text;

		setenv("LANGUAGE", "fr", 1);
		stu_run(&fr, 60, "check", "--json", "--base-url", sbt_base(),
			order_of(lines, 2), NULL);
		stu_run(&text, 60, "check", "--base-url", sbt_base(), order_of(lines, 2), NULL);
		unsetenv("LANGUAGE");
		ck_assert_int_eq(fr.status, r.status);
		ck_assert_str_eq(fr.out, r.out);
		if (getenv("CARDORDER_LOCALEDIR") && *getenv("CARDORDER_LOCALEDIR"))
			ck_assert_msg(strstr(text.out, "équipe") || strstr(text.out, "carte"),
				      "not French: %s", text.out);
		stu_run_free(&fr);
		stu_run_free(&text);
	}
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* The config's fees_file replaces the built-in table; a bad one is said
 * with its line. */
START_TEST(fees_file)
{
	const struct line lines[] = { { FATOUMATA, "plus" }, { THEO, "plus" } };
	char config[400], fees[400];
	FILE *f;
	struct run r;

	snprintf(fees, sizeof(fees), "%s/fees.tsv", stu_dir());
	f = fopen(fees, "w");
	ck_assert_ptr_nonnull(f);
	fputs("# source: our contract\n# date: 2027-01\nplus\t6.5\t0\tnegotiated\n", f);
	fclose(f);
	snprintf(config, sizeof(config), "%s/config", stu_dir());
	ck_assert_int_eq(mkdir(config, 0700) == 0 || errno == EEXIST, 1);
	snprintf(config, sizeof(config), "%s/config/cardorder", stu_dir());
	ck_assert_int_eq(mkdir(config, 0700) == 0 || errno == EEXIST, 1);
	snprintf(config, sizeof(config), "%s/config/cardorder/config", stu_dir());
	f = fopen(config, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "fees_file = %s\n", fees);
	fclose(f);
	sbt_start(NULL);
	stu_run(&r, 60, "check", "--base-url", sbt_base(), order_of(lines, 2), NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "  in all: 13.00 EUR once, then up to 0.00 EUR "
					    "a month\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  source: our contract ("));
	ck_assert_ptr_nonnull(strstr(r.out, "Qonto's published prices, 2027-01)"));
	stu_run_free(&r);
	f = fopen(fees, "w");
	ck_assert_ptr_nonnull(f);
	fputs("plus\tfive\t0\tbad\n", f);
	fclose(f);
	stu_run(&r, 60, "check", "--base-url", sbt_base(), order_of(lines, 2), NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "fees.tsv:1: fees are amounts in euros"), "%s", r.err);
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

/* Qonto out of reach: exit 3, and a sentence. */
START_TEST(unreachable)
{
	const struct line lines[] = { { FATOUMATA, "plus" } };
	struct run r;

	stu_run(&r, 60, "check", "--base-url", "http://127.0.0.1:9", order_of(lines, 1),
		NULL);
	ck_assert_int_eq(r.status, 3);
	ck_assert_msg(strstr(r.err, "could not read your organisation from Qonto"), "%s",
		      r.err);
	stu_run_free(&r);
}
END_TEST

/* 10 000 cards: at most ceil(holders / 50) + 10 requests, in under a
 * minute. */
START_TEST(ten_thousand)
{
	const char *path = stu_order(10000, "virtual", 1, NULL, 0);
	struct timespec t0, t1;
	struct run r;
	double s;

	sbt_start(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	stu_run(&r, 120, "check", "--base-url", sbt_base(), path, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(r.status == 0, "exit %d: %.400s", r.status, r.err);
	/* 129 holders: three requests of their cards */
	ck_assert_int_le(sbt_requests(), (129 + 49) / 50 + 10);
	ck_assert_msg(s < 60, "took %.1f s", s);
	ck_assert_ptr_nonnull(strstr(r.out, "  in all                       10000"));
	ck_assert_ptr_nonnull(strstr(r.out, "  200 request(s) of at most 50 cards"));
	stu_run_free(&r);
	sbt_finish();
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("preflight");
	TCase *tc = sbt_tcase("check", 180);

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, sample_order);
	tcase_add_test(tc, no_finding);
	tcase_add_test(tc, existing_cards);
	tcase_add_test(tc, memberships);
	tcase_add_loop_test(tc, caller_role, 0, 2);
	tcase_add_test(tc, manager_team);
	tcase_add_test(tc, designs);
	tcase_add_test(tc, closed_account);
	tcase_add_test(tc, json_output);
	tcase_add_test(tc, fees_file);
	tcase_add_test(tc, unreachable);
	tcase_add_test(tc, ten_thousand);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_CURL(make_suite)
