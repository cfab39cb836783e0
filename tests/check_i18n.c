/* check_i18n.c: issue 16. Amounts, dates and catalogue names in English
 * and in French, messages kept in both languages (the translated one shown,
 * the English one for files and JSON), and when the environment names a
 * language. The French catalogue is the build tree's (CARDORDER_LOCALEDIR,
 * set by make check). */
#include "config.h"

#include "catalog.h"
#include "check_util.h"
#include "i18n.h"
#include "problems.h"
#include "status.h"

#define NB "\xc2\xa0" /* the no-break space between thousands and before € */

static bool french;

static void setup(void)
{
	unsetenv("LANGUAGE");
	i18n_init();
	french = false;
}

/* Speaks French for this test; false (the test skips its French part)
 * when no catalogue was built. */
static bool to_french(void)
{
	const char *dir = getenv("CARDORDER_LOCALEDIR");

	if (!dir || !*dir)
		return false;
	french = i18n_use_language("fr");
	ck_assert_msg(french, "the French catalogue in %s is not used", dir);
	return true;
}

static void teardown(void)
{
	if (french)
		i18n_use_language("en");
	unsetenv("LANGUAGE");
}

START_TEST(english_forms)
{
	char buf[64];
	char *s;

	ck_assert_str_eq(i18n_language(), "en");
	ck_assert_str_eq(i18n_euros(1500, buf, sizeof(buf)), "1500 EUR");
	ck_assert_str_eq(i18n_cents(123456, buf, sizeof(buf)), "1234.56 EUR");
	ck_assert_str_eq(i18n_cents(-5, buf, sizeof(buf)), "-0.05 EUR");
	ck_assert_str_eq(i18n_number(22000, buf, sizeof(buf)), "22000");
	ck_assert_str_eq(i18n_date("2026-12-31", buf, sizeof(buf)), "2026-12-31");
	s = i18n_localize("created 2025-03-14, 25000 €");
	ck_assert_str_eq(s, "created 2025-03-14, 25000 €");
	free(s);
	ck_assert_str_eq(catalog_level_label(LEVEL_METAL), "metal");
	ck_assert_str_eq(catalog_category_label(1), "restaurant_and_bar");
	ck_assert_str_eq(catalog_design_label("metal.sand.gold.2024"), "metal.sand.gold.2024");
	ck_assert_str_eq(catalog_country_name((size_t)catalog_country_find("DE")), "Germany");
}
END_TEST

START_TEST(french_forms)
{
	char buf[64], small[8];
	char *s;

	if (!to_french())
		return;
	ck_assert_str_eq(i18n_language(), "fr");
	ck_assert_str_eq(i18n_euros(1500, buf, sizeof(buf)), "1" NB "500" NB "€");
	ck_assert_str_eq(i18n_euros(-1234567, buf, sizeof(buf)), "-1" NB "234" NB "567" NB "€");
	ck_assert_str_eq(i18n_euros(999, buf, sizeof(buf)), "999" NB "€");
	ck_assert_str_eq(i18n_cents(123456, buf, sizeof(buf)), "1" NB "234,56" NB "€");
	ck_assert_str_eq(i18n_number(22000, buf, sizeof(buf)), "22" NB "000");
	ck_assert_str_eq(i18n_number(0, buf, sizeof(buf)), "0");
	ck_assert_str_eq(i18n_date("2026-12-31", buf, sizeof(buf)), "31/12/2026");
	ck_assert_str_eq(i18n_date("2025-03-14T10:02:11.000Z", buf, sizeof(buf)),
			 "14/03/2025 10:02");
	ck_assert_str_eq(i18n_date("soon", buf, sizeof(buf)), "soon");
	ck_assert_str_eq(i18n_date("2026-1-31", buf, sizeof(buf)), "2026-1-31");
	/* cut at the buffer, never past it */
	ck_assert_uint_lt(strlen(i18n_euros(123456789, small, sizeof(small))), sizeof(small));
	/* dates alone and amounts in €: French; a quoted value and a date and
	 * time (a format) as they are */
	s = i18n_localize("créée le 2025-03-14 ; 25000 € ; \"2026-05-01\" et \"1500 €\" ; "
			  "telle que 2027-03-31T23:59:59Z ; 80 €");
	ck_assert_str_eq(s, "créée le 14/03/2025 ; 25" NB "000" NB "€ ; \"2026-05-01\" et "
			    "\"1500 €\" ; telle que 2027-03-31T23:59:59Z ; 80" NB "€");
	free(s);
	ck_assert_str_eq(catalog_level_label(LEVEL_METAL), "X (métal)");
	ck_assert_str_eq(catalog_category_label(1), "Restaurants et bars");
	ck_assert_str_eq(catalog_design_label("metal.sand.gold.2024"), "X, métal or sable (2024)");
	ck_assert_str_eq(catalog_design_label("plus.new.2031"), "plus.new.2031");
	ck_assert_str_eq(catalog_country_name((size_t)catalog_country_find("DE")), "Allemagne");
	ck_assert_str_eq(catalog_country_name((size_t)catalog_country_find("ES")), "Espagne");
}
END_TEST

/* The message shown is French, the one for files and JSON English. */
START_TEST(messages_in_both_languages)
{
	struct problem_list list;
	struct status_error err;

	problems_init(&list);
	if (!to_french())
		return;
	ck_assert_int_eq(problems_add(&list, SEVERITY_ERROR, 0, 2, "holder_id", "is required"), 0);
	ck_assert_str_eq(list.items[0].message, "est obligatoire");
	ck_assert_str_eq(problem_message_en(&list.items[0]), "is required");
	/* a message without a translation is English, never empty */
	ck_assert_int_eq(problems_add(&list, SEVERITY_ERROR, 0, 2, "x", "%s", "raw"), 0);
	ck_assert_str_eq(list.items[1].message, "raw");
	ck_assert_str_eq(problem_message_en(&list.items[1]), "raw");
	problems_free(&list);
	status_set(&err, STATUS_NETWORK, NULL);
	ck_assert_str_eq(err.message, "le réseau a échoué");
	ck_assert_str_eq(err.message_en, "the network failed");
	status_set(&err, STATUS_FORMAT, "%s: csv_format must be standard or excel-fr", "f:3");
	ck_assert_str_eq(err.message, "f:3 : csv_format doit valoir standard ou excel-fr");
	ck_assert_str_eq(err.message_en, "f:3: csv_format must be standard or excel-fr");
}
END_TEST

/* A language is named by LANGUAGE, LC_ALL, LC_MESSAGES or LANG, unless
 * it is C or POSIX (C.UTF-8 too): then Qonto's membership decides. */
START_TEST(language_named)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
	char *saved[4];

	for (int i = 0; i < 4; i++) {
		saved[i] = getenv(vars[i]) ? strdup(getenv(vars[i])) : NULL;
		unsetenv(vars[i]);
	}
	ck_assert(!i18n_locale_given());
	setenv("LANG", "C.UTF-8", 1);
	setenv("LC_ALL", "POSIX", 1);
	setenv("LANGUAGE", "", 1);
	ck_assert(!i18n_locale_given());
	setenv("LC_MESSAGES", "fr_FR.UTF-8", 1);
	ck_assert(i18n_locale_given());
	unsetenv("LC_MESSAGES");
	setenv("LANGUAGE", "en", 1);
	ck_assert(i18n_locale_given());
	for (int i = 0; i < 4; i++) {
		if (saved[i])
			setenv(vars[i], saved[i], 1);
		else
			unsetenv(vars[i]);
		free(saved[i]);
	}
	/* a language without a catalogue is refused: English stays */
	ck_assert(!i18n_use_language("xx"));
	ck_assert(!i18n_use_language(NULL));
	ck_assert_str_eq(i18n_language(), "en");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = tcase_create("i18n");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, english_forms);
	tcase_add_test(tc, french_forms);
	tcase_add_test(tc, messages_in_both_languages);
	tcase_add_test(tc, language_named);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(make_suite)
