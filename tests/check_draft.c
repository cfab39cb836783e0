/* check_draft.c: the order as typed, saved and read back. */
#include "config.h"

#include "check_util.h"
#include "draft.h"
#include "fsutil.h"
#include "order_save.h"
#include "reader.h"

#include <sys/stat.h>
#include <unistd.h>

static char path[64];

static void setup(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/codraftXXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void teardown(void)
{
	unlink(path);
}

START_TEST(text_of_every_kind)
{
	struct problem_list problems;
	struct draft_card dc = { 0 };
	struct card card;
	char *t;

	problems_init(&problems);
	card_init(&card);
	draft_set(&dc, FIELD_CARD_LEVEL, "plus");
	draft_set(&dc, FIELD_ATM_OPTION, "yes");
	draft_set(&dc, FIELD_PAYMENT_MONTHLY_LIMIT, "1500.00");
	draft_set(&dc, FIELD_ACTIVE_DAYS, "mon;3;SUN");
	draft_set(&dc, FIELD_CATEGORIES, "tax;atm");
	draft_set(&dc, FIELD_CITY, "Zoé 漢");
	ck_assert_int_eq(draft_card_to(&dc, 4, &card, &problems), STATUS_OK);
	ck_assert_uint_eq(problems.n, 0);
	ck_assert_uint_eq(card.row, 5);
	t = card_field_text(&card, FIELD_ATM_OPTION);
	ck_assert_str_eq(t, "true");
	free(t);
	t = card_field_text(&card, FIELD_PAYMENT_MONTHLY_LIMIT);
	ck_assert_str_eq(t, "1500");
	free(t);
	t = card_field_text(&card, FIELD_ACTIVE_DAYS);
	ck_assert_str_eq(t, "1;3;7");
	free(t);
	t = card_field_text(&card, FIELD_CATEGORIES);
	ck_assert_str_eq(t, "tax;atm");
	free(t);
	t = card_field_text(&card, FIELD_CARD_LEVEL);
	ck_assert_str_eq(t, "plus");
	free(t);
	ck_assert_ptr_null(card_field_text(&card, FIELD_ZIPCODE));
	card_free(&card);
	for (int i = 0; i < FIELD_COUNT; i++)
		free(dc.text[i]);
	problems_free(&problems);
}
END_TEST

/* What cannot be read yet is kept as typed, with its problem. */
START_TEST(typed_text_is_kept)
{
	struct problem_list problems;
	struct draft d, back;
	struct order order;
	struct draft_card *c;

	draft_init(&d);
	draft_init(&back);
	order_init(&order);
	problems_init(&problems);
	c = draft_add(&d, NULL);
	draft_set(c, FIELD_PAYMENT_MONTHLY_LIMIT, "12.50");
	draft_set(c, FIELD_FIRST_LINE, "12 rue des \"Écoles\"");
	draft_note(c, "holder_id", "unknown holder");
	{
		struct draft_card copy = { 0 };

		for (int i = 0; i < FIELD_COUNT; i++)
			draft_set(&copy, (enum field_id)i, c->text[i]);
		ck_assert_ptr_nonnull(draft_add(&d, &copy)); /* a copy */
		for (int i = 0; i < FIELD_COUNT; i++)
			free(copy.text[i]);
		c = &d.cards[0]; /* the array may have moved */
	}
	ck_assert_ptr_null(d.cards[1].note);
	ck_assert_int_eq(draft_save(&d, path, NULL), STATUS_OK);
	ck_assert_int_eq(draft_load(&back, path, NULL), STATUS_OK);
	ck_assert_uint_eq(back.n, 2);
	ck_assert_str_eq(back.cards[1].text[FIELD_PAYMENT_MONTHLY_LIMIT], "12.50");
	ck_assert_str_eq(back.cards[0].text[FIELD_FIRST_LINE], "12 rue des \"Écoles\"");
	ck_assert_int_ne(back.saved_at, 0);
	ck_assert_int_eq(draft_to_order(&back, &order, &problems, NULL), STATUS_OK);
	ck_assert_uint_eq(order.n_cards, 2);
	ck_assert_uint_eq(problems.n_errors, 2);
	ck_assert_str_eq(problems.items[0].field, "payment_monthly_limit");
	/* a changed value forgets what Qonto said of the old one */
	draft_set(c, FIELD_PAYMENT_MONTHLY_LIMIT, "12");
	ck_assert_ptr_null(c->note);
	draft_remove(&back, 0);
	ck_assert_uint_eq(back.n, 1);
	draft_free(&d);
	draft_free(&back);
	order_free(&order);
	problems_free(&problems);
}
END_TEST

START_TEST(damaged_drafts)
{
	struct draft d;
	struct stat sb;
	FILE *f;

	draft_init(&d);
	f = fopen(path, "w");
	fputs("{\"cards\":[7,null,{\"card_level\":\"plus\",\"colour\":\"red\",\"address.city\":3}]}", f);
	fclose(f);
	ck_assert_int_eq(draft_load(&d, path, NULL), STATUS_OK);
	ck_assert_uint_eq(d.n, 3);
	ck_assert_str_eq(d.cards[2].text[FIELD_CARD_LEVEL], "plus");
	ck_assert_ptr_null(d.cards[2].text[FIELD_CITY]);
	draft_free(&d);
	f = fopen(path, "w");
	fputs("not json", f);
	fclose(f);
	ck_assert_int_eq(draft_load(&d, path, NULL), STATUS_FORMAT);
	draft_free(&d);
	/* saved drafts are private */
	draft_add(&d, NULL);
	ck_assert_int_eq(draft_save(&d, path, NULL), STATUS_OK);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	draft_free(&d);
}
END_TEST

START_TEST(from_an_order)
{
	struct problem_list problems;
	struct order order;
	struct draft d;
	struct card *c;

	order_init(&order);
	draft_init(&d);
	problems_init(&problems);
	c = order_add_card(&order);
	card_set_level(c, LEVEL_FLASH);
	card_set_euros(c, FIELD_PAYMENT_LIFESPAN_LIMIT, 250);
	card_set_null(c, FIELD_CONTACT_NAME);
	ck_assert_int_eq(draft_from_order(&d, &order, NULL), STATUS_OK);
	ck_assert_str_eq(d.cards[0].text[FIELD_CARD_LEVEL], "flash");
	ck_assert_str_eq(d.cards[0].text[FIELD_PAYMENT_LIFESPAN_LIMIT], "250");
	ck_assert_ptr_null(d.cards[0].text[FIELD_CONTACT_NAME]);
	draft_free(&d);
	order_free(&order);
	problems_free(&problems);
}
END_TEST

/* A file's refused values come into the draft as written (issue 13, item
 * 6): "12.50" and "=1+2" are not emptied, and the order derived from the
 * draft reports what the reader reported, not "is required". */
static void refused_kept(const char *data, enum status (*read)(const char *, size_t,
							       struct order *,
							       struct problem_list *,
							       struct status_error *))
{
	struct problem_list from_file, from_draft;
	struct order order, again;
	struct draft d;

	order_init(&order);
	order_init(&again);
	draft_init(&d);
	problems_init(&from_file);
	problems_init(&from_draft);
	ck_assert_int_eq(read(data, strlen(data), &order, &from_file, NULL), STATUS_OK);
	ck_assert_int_eq(draft_from_order(&d, &order, NULL), STATUS_OK);
	ck_assert_str_eq(d.cards[0].text[FIELD_PAYMENT_MONTHLY_LIMIT], "12.50");
	ck_assert_str_eq(d.cards[0].text[FIELD_ATM_MONTHLY_LIMIT], "=1+2");
	ck_assert_str_eq(d.cards[0].text[FIELD_ACTIVE_DAYS], "mon;someday");
	ck_assert_str_eq(d.cards[0].text[FIELD_CARD_LEVEL], "standard");
	ck_assert_int_eq(draft_to_order(&d, &again, &from_draft, NULL), STATUS_OK);
	ck_assert_uint_eq(from_draft.n, 3);
	ck_assert_str_eq(from_draft.items[0].field, "payment_monthly_limit");
	ck_assert_str_eq(from_draft.items[1].field, "atm_monthly_limit");
	ck_assert_str_eq(from_draft.items[2].field, "active_days");
	if (read == reader_read_csv)
		for (size_t i = 0; i < 3; i++)
			ck_assert_str_eq(from_draft.items[i].message, from_file.items[i].message);
	for (size_t i = 0; i < from_draft.n; i++)
		ck_assert(strstr(from_draft.items[i].message, "required") == NULL);
	/* a value set right forgets the refused one */
	ck_assert_int_eq(reader_set_from_text(&order.cards[0], 0, FIELD_ATM_MONTHLY_LIMIT,
					      "300", &from_file), 0);
	ck_assert_ptr_null(card_refused(&order.cards[0], FIELD_ATM_MONTHLY_LIMIT));
	ck_assert_str_eq(card_refused(&order.cards[0], FIELD_PAYMENT_MONTHLY_LIMIT), "12.50");
	draft_free(&d);
	order_free(&order);
	order_free(&again);
	problems_free(&from_file);
	problems_free(&from_draft);
}

START_TEST(refused_values_kept)
{
	refused_kept("card_level,payment_monthly_limit,atm_monthly_limit,active_days\n"
		     "standard,12.50,=1+2,mon;someday\n", reader_read_csv);
	refused_kept("{\"cards\":[{\"card\":{\"card_level\":\"standard\","
		     "\"payment_monthly_limit\":\"12.50\",\"atm_monthly_limit\":\"=1+2\","
		     "\"active_days\":[\"mon\",\"someday\"]}}]}", reader_read_json);
}
END_TEST

/* Save as (issue 13, item 5): CSV and JSON, read back to the same draft,
 * a wrong value and a formula-like text included. */
static void round_trip(const char *ext, enum csv_format format)
{
	static const struct { enum field_id id; const char *text; } cells[] = {
		{ FIELD_HOLDER_ID, "54ef7c9d-8a34-400a-9e74-0135f14560b9" },
		{ FIELD_HOLDER, "Zoé \"Zaza\" Lefèvre, jr" },
		{ FIELD_CARD_LEVEL, "plus" },
		{ FIELD_ATM_OPTION, "true" },
		{ FIELD_NFC_OPTION, "false" },
		{ FIELD_PAYMENT_MONTHLY_LIMIT, "12.50" },
		{ FIELD_ATM_MONTHLY_LIMIT, "=1+2" },
		{ FIELD_PAYMENT_DAILY_LIMIT, "300" },
		{ FIELD_CATEGORIES, "transport;tax" },
		{ FIELD_ACTIVE_DAYS, "1;3" },
		{ FIELD_FIRST_LINE, "-12 rue des Écoles" },
		{ FIELD_CONTACT_NAME, "'+33 standard" },
		{ FIELD_CITY, "Paris" },
		{ FIELD_COUNTRY, "FR" },
	};
	char file[96];
	struct draft d, back;
	struct order order;
	struct problem_list problems;
	struct draft_card *c;

	snprintf(file, sizeof(file), "%s.%s", path, ext);
	draft_init(&d);
	draft_init(&back);
	order_init(&order);
	problems_init(&problems);
	c = draft_add(&d, NULL);
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		draft_set(c, cells[i].id, cells[i].text);
	c = draft_add(&d, NULL);
	draft_set(c, FIELD_CARD_LEVEL, "virtual");
	ck_assert_int_eq(order_save(&d, file, format, NULL), STATUS_OK);
	if (format == CSV_EXCEL_FR) { /* as French Excel writes it: mark, ';' */
		char *data = NULL;
		size_t len;

		ck_assert_int_eq(fs_read_all(file, 1 << 16, &data, &len, NULL), STATUS_OK);
		ck_assert_msg(strncmp(data, "\xEF\xBB\xBFholder_id;holder;card_level;", 31) == 0,
			      "%.80s", data);
		ck_assert_ptr_null(strstr(data, "\"holder_id\",")); /* no ',' between cells */
		free(data);
	}
	ck_assert_int_eq(reader_read_file(file, &order, &problems, NULL), STATUS_OK);
	ck_assert_int_eq(draft_from_order(&back, &order, NULL), STATUS_OK);
	ck_assert_uint_eq(back.n, 2);
	for (int id = 0; id < FIELD_COUNT; id++)
		for (size_t i = 0; i < 2; i++) {
			const char *want = d.cards[i].text[id], *got = back.cards[i].text[id];

			if (!want || !got)
				ck_assert_msg(want == got, "%s, card %zu: %s / %s", field_get(id)->name,
					      i + 1, want ? want : "(none)", got ? got : "(none)");
			else
				ck_assert_str_eq(got, want);
		}
	unlink(file);
	draft_free(&d);
	draft_free(&back);
	order_free(&order);
	problems_free(&problems);
}

START_TEST(saved_as_csv_and_json)
{
	round_trip("csv", CSV_STANDARD);
	round_trip("json", CSV_STANDARD);
}
END_TEST

/* Issue 16: saved for French Excel (';', a byte order mark), read back to
 * the same draft, every cell as typed. */
START_TEST(saved_for_french_excel)
{
	round_trip("csv", CSV_EXCEL_FR);
}
END_TEST

START_TEST(saved_csv_neutralises_formulas)
{
	char file[96], *data = NULL;
	size_t len;
	struct draft d;

	snprintf(file, sizeof(file), "%s.csv", path);
	draft_init(&d);
	draft_set(draft_add(&d, NULL), FIELD_CITY, "=HYPERLINK(\"x\")");
	ck_assert_int_eq(order_save(&d, file, CSV_STANDARD, NULL), STATUS_OK);
	ck_assert_int_eq(fs_read_all(file, 4096, &data, &len, NULL), STATUS_OK);
	ck_assert_str_eq(data, "card_level,address.city\n,\"'=HYPERLINK(\"\"x\"\")\"\n");
	free(data);
	unlink(file);
	draft_free(&d);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("draft");
	TCase *tc = tcase_create("draft");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_of_every_kind);
	tcase_add_test(tc, typed_text_is_kept);
	tcase_add_test(tc, damaged_drafts);
	tcase_add_test(tc, from_an_order);
	tcase_add_test(tc, refused_values_kept);
	tcase_add_test(tc, saved_as_csv_and_json);
	tcase_add_test(tc, saved_for_french_excel);
	tcase_add_test(tc, saved_csv_neutralises_formulas);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(make_suite)
