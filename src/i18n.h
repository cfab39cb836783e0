/* i18n.h: messages a person reads go through GNU gettext (po/, the
 * "cardorder" domain). _() translates, N_() marks a string kept in a table
 * and translated where it is shown, C_() translates with a context that
 * tells two uses of one English word apart, P_() chooses a plural.
 * Machine-read text (JSON, field names, export columns, the journal) is
 * never marked. Without NLS, every macro gives the English text. */
#ifndef CARDORDER_I18N_H
#define CARDORDER_I18N_H

#include <stdbool.h>
#include <stddef.h>

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define P_(one, many, n) ngettext(one, many, (unsigned long)(n))
#define C_(ctx, s) i18n_pgettext(ctx "\004" s, s)
#else
/* Without NLS every text is its English: through a function all the same,
 * so that the compiler sees the format as it does gettext's. */
const char *i18n_same(const char *s) __attribute__((format_arg(1)));
#define _(s) i18n_same(s)
#define P_(one, many, n) i18n_same((n) == 1 ? (one) : (many))
#define C_(ctx, s) i18n_same(s)
#endif
#define N_(s) s
/* A message with a context kept in a table: give it to i18n_pgettext. */
#define NC_(ctx, s) ctx "\004" s

/* The translation of "CONTEXT\004MSGID", or msgid when there is none
 * (msgid NULL: the part of FULL after its context). */
const char *i18n_pgettext(const char *full, const char *msgid);

/* Sets the locale from the environment (numbers stay the C ones: json-c
 * and strtod need '.') and binds the message catalogue: the directory in
 * CARDORDER_LOCALEDIR when set (the build tree's, for tests and make demo),
 * else the installed one. */
void i18n_init(void);

/* True when the environment names a language (LANGUAGE, LC_ALL,
 * LC_MESSAGES or LANG set to something else than C or POSIX). */
bool i18n_locale_given(void);

/* Speaks LANG (a Qonto membership's locale such as "fr" or "fr_FR") from
 * now on, when a catalogue exists for it; false otherwise. */
bool i18n_use_language(const char *lang);

/* The language messages are in now, as its translators wrote it: "en"
 * (no catalogue) or "fr". */
const char *i18n_language(void);
/* i18n_language() is "fr". */
bool i18n_french(void);

/* Amounts and dates as a person reads them in that language. BUF gets at
 * most CAP bytes; each returns BUF. */
char *i18n_euros(long long euros, char *buf, size_t cap);      /* "1500 EUR", "1 500 €" */
char *i18n_number(long long n, char *buf, size_t cap);         /* "1500", "1 500" */
char *i18n_cents(long long cents, char *buf, size_t cap);      /* "12.50 EUR", "12,50 €" */
/* ISO "2026-12-31" → "31/12/2026" in French, and a date and time
 * "2026-12-31T10:02:11Z" → "31/12/2026 10:02" (what follows a date alone
 * is kept); text that is not such a date is copied. */
char *i18n_date(const char *iso, char *buf, size_t cap);

/* A translated message as a person reads it in that language: in French,
 * ISO dates (alone, not a date and time) as 31/12/2026 and amounts before
 * "€" grouped (1 500 €); a value in double quotes (a cell, a server's
 * text) is left as it is. Owned; NULL when memory runs out. */
char *i18n_localize(const char *msg);

#endif
