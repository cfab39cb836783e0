/* check_text.c: UTF-8 checks, folding and the sanitiser. */
#include "config.h"

#include "check_util.h"
#include "problems.h"
#include "text.h"

static void sanitized(const char *in, const char *want)
{
	char *out = text_sanitize(in);

	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, want);
	free(out);
}

START_TEST(utf8_validity)
{
	ck_assert(text_utf8_valid("Zoé 漢 💳", strlen("Zoé 漢 💳")));
	ck_assert(!text_utf8_valid("\xC3", 1));             /* truncated */
	ck_assert(!text_utf8_valid("\xC0\xAF", 2));         /* overlong */
	ck_assert(!text_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
	ck_assert(!text_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
	ck_assert(!text_utf8_valid("\xFF", 1));
}
END_TEST

START_TEST(sanitizer)
{
	sanitized("plain Zoé 漢", "plain Zoé 漢");
	sanitized("\x1b[2J\x1b]0;pwned\x07", "\\x1B[2J\\x1B]0;pwned\\x07");
	sanitized("a\nb\tc\rd\x7f", "a\\x0Ab\\x09c\\x0Dd\\x7F");
	sanitized("\xC2\x9B" "31m", "\\u{009B}31m");          /* C1 CSI */
	sanitized("abc\xE2\x80\xAE" "def", "abc\\u{202E}def"); /* bidi override */
	sanitized("bad\xFFutf8", "bad\xEF\xBF\xBDutf8");
	sanitized("", "");
}
END_TEST

START_TEST(controls)
{
	ck_assert(!text_has_controls("Zoé Lambert"));
	ck_assert(text_has_controls("a\tb"));
	ck_assert(text_has_controls("\xE2\x81\xA6x")); /* U+2066 */
	ck_assert(text_has_controls("\xFF"));
}
END_TEST

START_TEST(folding)
{
	char *a = text_fold("Hélène DUBOIS-Ferrière");
	char *b = text_fold("Ngọc Ánh");

	ck_assert_str_eq(a, "helene dubois-ferriere");
	ck_assert_str_eq(b, "ngoc anh");
	ck_assert_ptr_null(text_fold("\xFF"));
	free(a);
	free(b);
}
END_TEST

START_TEST(trim_and_ieq)
{
	char *t = text_trim_dup("  a b \t", 7);

	ck_assert_str_eq(t, "a b");
	free(t);
	ck_assert(text_ieq("TRUE", "true"));
	ck_assert(!text_ieq("tru", "true"));
}
END_TEST

START_TEST(problem_lines)
{
	struct problem_list list;
	char *line;

	problems_init(&list);
	problems_add(&list, SEVERITY_ERROR, 0, 3, "address.city", "bad \x1b[31m");
	problems_add(&list, SEVERITY_WARNING, 0, 2, "card_design", "odd");
	problems_add(&list, SEVERITY_ERROR, 1, 2, "holder_id", "missing");
	problems_sort(&list);
	line = problem_format(&list.items[0], "o.csv");
	ck_assert_str_eq(line, "o.csv:2:card_design: warning: odd");
	free(line);
	line = problem_format(&list.items[1], "o.csv");
	ck_assert_str_eq(line, "o.csv:2:holder_id: missing");
	free(line);
	line = problem_format(&list.items[2], "o\n.csv");
	ck_assert_str_eq(line, "o\\x0A.csv:3:address.city: bad \\x1B[31m");
	free(line);
	ck_assert_uint_eq(list.n_errors, 2);
	ck_assert_uint_eq(list.n_warnings, 1);
	problems_free(&list);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, utf8_validity);
	tcase_add_test(tc, sanitizer);
	tcase_add_test(tc, controls);
	tcase_add_test(tc, folding);
	tcase_add_test(tc, trim_and_ieq);
	tcase_add_test(tc, problem_lines);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(make_suite)
