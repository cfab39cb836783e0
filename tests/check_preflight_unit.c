/* check_preflight_unit.c: the pieces of `check` without a server (issue
 * 14): the teams and held-card parsers, each rule, the fee table, and the
 * summary of the sample order against a golden file. */
#include "config.h"

#include "check_util.h"
#include "directory.h"
#include "fees.h"
#include "preflight.h"
#include "reader.h"

#include <string.h>

#define SEED FIXTURES "/../../assets/sandbox"
#define GOLDEN FIXTURES "/preflight/sample-summary.expected"
#define N_ITEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static struct directory dir;
static struct problem_list problems;
static struct status_error err;

static void setup(void)
{
	directory_init(&dir);
	problems_init(&problems);
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	directory_free(&dir);
	problems_free(&problems);
}

static void parse_seed(const char *name,
		       enum status (*parser)(struct directory *, const char *, size_t,
					     unsigned *, struct status_error *))
{
	char path[512];
	unsigned next = 99;
	size_t len = 0;
	char *text;

	snprintf(path, sizeof(path), "%s/%s", SEED, name);
	text = slurp(path, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(parser(&dir, text, len, &next, &err), STATUS_OK);
	ck_assert_uint_eq(next, 0);
	free(text);
}

static void load_seed(void)
{
	char path[512];
	size_t len = 0;
	char *text;

	parse_seed("bank_accounts.json", directory_parse_accounts);
	parse_seed("memberships.json", directory_parse_members);
	parse_seed("teams.json", directory_parse_teams);
	parse_seed("cards.json", directory_parse_held);
	snprintf(path, sizeof(path), "%s/membership.json", SEED);
	text = slurp(path, &len);
	ck_assert_int_eq(directory_parse_caller(&dir, text, len, &err), STATUS_OK);
	free(text);
	snprintf(path, sizeof(path), "%s/organization.json", SEED);
	text = slurp(path, &len);
	ck_assert_int_eq(directory_parse_organization(&dir, text, len, &err), STATUS_OK);
	free(text);
}

START_TEST(teams_and_caller)
{
	load_seed();
	ck_assert_uint_eq(dir.n_teams, 5);
	ck_assert_str_eq(directory_team_name(&dir, "3994693e-a3ae-4e68-9323-451b4a95902a"),
			 "Marketing");
	ck_assert_ptr_null(directory_team_name(&dir, "no-such-team"));
	ck_assert_ptr_null(directory_team_name(&dir, NULL));
	ck_assert_str_eq(dir.caller_role, "owner");
	ck_assert_str_eq(dir.caller_team_id, "db149e47-14be-49ab-b93f-e42eabd2d9f2");
	ck_assert(dir.accounts[0].has_balance);
	ck_assert_int_eq(dir.accounts[0].balance_cents, 4821937);
	ck_assert_str_eq(dir.members[0].team_id, "db149e47-14be-49ab-b93f-e42eabd2d9f2");
}
END_TEST

/* Only live, pending and paused cards are kept; an entry without an id
 * or holder is dropped; a page without a list is an error. */
START_TEST(held_filter)
{
	static const char page[] =
		"{\"cards\": [{\"id\": \"a\", \"holder_id\": \"h\", \"status\": \"live\"},"
		" {\"id\": \"b\", \"holder_id\": \"h\", \"status\": \"discarded\"},"
		" {\"id\": \"c\", \"holder_id\": \"h\", \"status\": \"paused\","
		"  \"last_digits\": 1234},"
		" {\"holder_id\": \"h\", \"status\": \"live\"},"
		" {\"id\": \"d\", \"status\": \"pending\"}, 7, null],"
		" \"meta\": {\"next_page\": 2}}";
	unsigned next = 0;

	ck_assert_int_eq(directory_parse_held(&dir, page, strlen(page), &next, &err),
			 STATUS_OK);
	ck_assert_uint_eq(next, 2);
	ck_assert_uint_eq(dir.n_held, 2);
	ck_assert_str_eq(dir.held[0].id, "a");
	ck_assert_str_eq(dir.held[1].id, "c");
	ck_assert_ptr_null(dir.held[1].last_digits); /* a number: not a string */
	ck_assert_int_eq(directory_parse_held(&dir, "{\"data\": []}", 12, &next, &err),
			 STATUS_BAD_RESPONSE);
	ck_assert_int_eq(directory_parse_teams(&dir, "[]", 2, &next, &err), STATUS_NOT_JSON);
}
END_TEST

static struct card *card_for(struct order *o, const char *holder, const char *account,
			     enum card_level level, unsigned row)
{
	struct card *c = order_add_card(o);

	ck_assert_ptr_nonnull(c);
	card_set_text(c, FIELD_HOLDER_ID, holder);
	card_set_text(c, FIELD_BANK_ACCOUNT_ID, account);
	card_set_level(c, level);
	c->row = row;
	return c;
}

static void set_caller(const char *role, const char *team)
{
	free(dir.caller_role);
	free(dir.caller_team_id);
	dir.caller_role = role ? strdup(role) : NULL;
	dir.caller_team_id = team ? strdup(team) : NULL;
}

/* Each rule at its row and field; nothing for what is allowed. */
START_TEST(rules)
{
	struct order o;
	const char *atelier = "8b3a1535-3f13-4b70-9856-c32a687b253b";

	load_seed();
	order_init(&o);
	/* Gaëlle (Atelier), Raphaël (Ventes), the revoked member */
	card_for(&o, "8b38d109-fe18-4380-8082-0cc31b301e4f", dir.accounts[0].id,
		 LEVEL_VIRTUAL, 2);
	card_for(&o, "270bedc7-d298-44cb-98ef-252c9d198b3d", dir.accounts[1].id,
		 LEVEL_VIRTUAL, 3);
	card_for(&o, "5b0e7a43-2f1c-4d8e-9a61-3c7d2e9f1a05", dir.accounts[0].id,
		 LEVEL_VIRTUAL, 4);
	free(dir.accounts[1].status);
	dir.accounts[1].status = strdup("closed");
	for (size_t i = 0; i < o.n_cards; i++)
		ck_assert_int_eq(preflight_rules_card(&dir, &o.cards[i], i, &problems), 0);
	ck_assert_int_eq(preflight_rules_caller(&dir, &problems), 0);
	ck_assert_uint_eq(problems.n, 2);
	ck_assert_uint_eq(problems.items[0].row, 3);
	ck_assert_str_eq(problems.items[0].field, "bank_account_id");
	ck_assert_str_eq(problems.items[0].message,
			 "the bank account \"Dépenses marketing\" is closed: cards draw "
			 "on an active account");
	ck_assert_uint_eq(problems.items[1].row, 4);
	ck_assert_str_eq(problems.items[1].field, "holder_id");
	/* a manager of Atelier: Raphaël of Ventes is refused */
	problems_clear(&problems);
	set_caller("manager", atelier);
	ck_assert_int_eq(preflight_rules_card(&dir, &o.cards[0], 0, &problems), 0);
	ck_assert_int_eq(preflight_rules_card(&dir, &o.cards[1], 1, &problems), 0);
	ck_assert_uint_eq(problems.n, 2); /* the team, then the closed account */
	ck_assert_str_eq(problems.items[0].message,
			 "Raphaël Garcia is in team Ventes, and you manage team Atelier: a "
			 "manager orders cards only for the members of their own team");
	/* without the teams, the ids */
	problems_clear(&problems);
	for (size_t i = 0; i < dir.n_teams; i++) {
		free(dir.teams[i].id);
		free(dir.teams[i].name);
	}
	dir.n_teams = 0;
	ck_assert_int_eq(preflight_rules_card(&dir, &o.cards[1], 1, &problems), 0);
	ck_assert_ptr_nonnull(strstr(problems.items[0].message,
				     "is in team 1aa615a9-4b6a-4551-a061-ae14a1dbf721, "
				     "and you manage team 8b3a1535"));
	/* a manager without a team */
	problems_clear(&problems);
	set_caller("manager", NULL);
	ck_assert_int_eq(preflight_rules_card(&dir, &o.cards[0], 0, &problems), 0);
	ck_assert_ptr_nonnull(strstr(problems.items[0].message, "you manage no team"));
	/* the role: once, at row 0; an unknown role says nothing */
	problems_clear(&problems);
	set_caller("employee", atelier);
	ck_assert_int_eq(preflight_rules_caller(&dir, &problems), 0);
	ck_assert_uint_eq(problems.n, 1);
	ck_assert_uint_eq(problems.items[0].row, 0);
	problems_clear(&problems);
	set_caller(NULL, NULL);
	ck_assert_int_eq(preflight_rules_caller(&dir, &problems), 0);
	ck_assert_int_eq(preflight_rules_caller(NULL, &problems), 0);
	ck_assert_uint_eq(problems.n, 0);
	order_free(&o);
}
END_TEST

static const struct {
	const char *text;
	const char *error; /* NULL: parsed */
} fee_cases[] = {
	{ "# source: s\n# date: d\nplus\t6.5\t1,25\tnote\n", NULL },
	{ "plus\t6\t0\n", NULL }, /* no note */
	{ "\n\n# only comments\n", NULL },
	{ "gold\t1\t0\tx\n", "t:1: \"gold\" is not a card level" },
	{ "plus\t-1\t0\tx\n", "t:1: fees are amounts in euros such as 5 or 1.50" },
	{ "plus\t1.234\t0\tx\n", "t:1: fees are amounts in euros such as 5 or 1.50" },
	{ "plus 5 0\n", "t:1: expected level, fee once, fee a month and a note, "
			"separated by tabs" },
	{ "# c\nplus\t5\t0\ta\x1b[2Jb\n", "t:2: the note holds control characters" },
	{ "plus\t\t0\tx\n", "t:1: fees are amounts in euros such as 5 or 1.50" },
	{ "plus\t5\t0\ta note\twith a tab\n", NULL },
	{ "# source: a\x07" "b\n", "t:1: the source or date holds control characters" },
};

START_TEST(fee_table)
{
	struct fee_table t;
	enum status st = fees_parse(&t, fee_cases[_i].text, "t", &err);

	if (!fee_cases[_i].error) {
		ck_assert_msg(st == STATUS_OK, "%s", err.message);
		return;
	}
	ck_assert_int_eq(st, STATUS_FORMAT);
	ck_assert_str_eq(err.message, fee_cases[_i].error);
}
END_TEST

START_TEST(fee_values)
{
	struct fee_table t;

	ck_assert_int_eq(fees_parse(&t, fee_cases[0].text, "t", &err), STATUS_OK);
	ck_assert(t.levels[LEVEL_PLUS].known);
	ck_assert(!t.levels[LEVEL_STANDARD].known);
	ck_assert_int_eq(t.levels[LEVEL_PLUS].once_cents, 650);
	ck_assert_int_eq(t.levels[LEVEL_PLUS].monthly_cents, 125);
	ck_assert_str_eq(t.source, "s");
	ck_assert_str_eq(t.date, "d");
	ck_assert_int_eq(fees_default(&t, &err), STATUS_OK);
	for (int l = 0; l < LEVEL_COUNT; l++)
		ck_assert_msg(t.levels[l].known, "level %d not in assets/fees.tsv", l);
	ck_assert_int_eq(t.levels[LEVEL_METAL].once_cents, 2000);
	ck_assert_str_ne(t.source, "");
	ck_assert_str_ne(t.date, "");
}
END_TEST

static void collect(void *user, enum preflight_style style, const char *line)
{
	static const char mark[] = { '#', ' ', '.' };
	struct strbuf_like {
		char *text;
		size_t len;
	} *b = user;
	size_t n = strlen(line);

	b->text = realloc(b->text, b->len + n + 3);
	ck_assert_ptr_nonnull(b->text);
	b->text[b->len++] = mark[style];
	memcpy(b->text + b->len, line, n);
	b->len += n;
	b->text[b->len++] = '\n';
	b->text[b->len] = '\0';
}

/* The sample order's summary, line by line and style by style (# a
 * title, . dimmed), and its warning. */
START_TEST(sample_summary)
{
	struct {
		char *text;
		size_t len;
	} out = { NULL, 0 };
	struct preflight *p = preflight_new();
	struct fee_table fees;
	struct order o;
	char *expected;

	load_seed();
	order_init(&o);
	ck_assert_int_eq(reader_read_file(FIXTURES "/../../assets/sample-order.csv", &o,
					  &problems, &err),
			 STATUS_OK);
	ck_assert_int_eq(fees_default(&fees, &err), STATUS_OK);
	for (size_t i = 0; i < o.n_cards; i++)
		ck_assert_int_eq(preflight_add(p, &dir, &o.cards[i], i), 0);
	ck_assert_int_eq(preflight_held(p, &dir, &problems), 0);
	ck_assert_uint_eq(problems.n, 1);
	ck_assert_str_eq(problems.items[0].message,
			 "Hélène Dubois-Ferrière already has a standard card: ••4821, "
			 "live, created 2025-03-14; is another one meant?");
	preflight_summary(p, &dir, &fees, collect, &out);
	expected = slurp(GOLDEN, NULL);
	ck_assert_msg(expected, "no %s", GOLDEN);
	if (strcmp(expected, out.text) != 0 && getenv("GOLDEN_UPDATE")) {
		FILE *f = fopen(GOLDEN, "w");

		fputs(out.text, f);
		fclose(f);
	}
	ck_assert_str_eq(out.text, expected);
	free(expected);
	free(out.text);
	preflight_free(p);
	order_free(&o);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("preflight_unit");
	TCase *tc = tcase_create("unit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, teams_and_caller);
	tcase_add_test(tc, held_filter);
	tcase_add_test(tc, rules);
	tcase_add_loop_test(tc, fee_table, 0, N_ITEMS(fee_cases));
	tcase_add_test(tc, fee_values);
	tcase_add_test(tc, sample_summary);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(make_suite)
