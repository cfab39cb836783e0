/* i18n.c: the message catalogue, and amounts and dates in the language
 * messages are in (see i18n.h). */
#include "config.h"

#include "i18n.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBSP "\xc2\xa0" /* between thousands, and before € */

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

#ifndef ENABLE_NLS
const char *i18n_same(const char *s)
{
	return s;
}
#endif

const char *i18n_pgettext(const char *full, const char *msgid)
{
	const char *t = full;

	if (!msgid)
		msgid = strchr(full, '\004') ? strchr(full, '\004') + 1 : full;
#ifdef ENABLE_NLS
	t = dcgettext(NULL, full, LC_MESSAGES);
#endif
	return t == full ? msgid : t;
}

void i18n_init(void)
{
	const char *dir = getenv("CARDORDER_LOCALEDIR");

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C"); /* json-c and strtod need '.' */
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
#else
	(void)dir;
#endif
}

static bool names_language(const char *v)
{
	return v && *v && strcmp(v, "C") != 0 && strcmp(v, "POSIX") != 0 &&
	       strncmp(v, "C.", 2) != 0;
}

bool i18n_locale_given(void)
{
	static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (names_language(getenv(vars[i])))
			return true;
	return false;
}

const char *i18n_language(void)
{
	/* TRANSLATORS: the code of your language (ISO 639-1), such as "fr".
	   It chooses how amounts and dates are written and which names the
	   catalogues (countries, categories) show. */
	return C_("language code", "en");
}

#ifdef ENABLE_NLS
/* Sets LC_MESSAGES again to what it is: gettext drops the translations it
 * had looked up (LANGUAGE changed). A copy: setlocale may reuse its own. */
static void messages_again(void)
{
	const char *now = setlocale(LC_MESSAGES, NULL);
	char name[128];

	snprintf(name, sizeof(name), "%s", now ? now : "C");
	setlocale(LC_MESSAGES, name);
}
#endif

bool i18n_use_language(const char *lang)
{
#ifdef ENABLE_NLS
	char code[3];
	const char *msgs = setlocale(LC_MESSAGES, NULL);
	const char *env = getenv("LANGUAGE");
	char *was = env ? strdup(env) : NULL;

	if (!lang || !((lang[0] | 32) >= 'a' && (lang[0] | 32) <= 'z') ||
	    !((lang[1] | 32) >= 'a' && (lang[1] | 32) <= 'z'))
		return free(was), false;
	code[0] = (char)(lang[0] | 32);
	code[1] = (char)(lang[1] | 32);
	code[2] = '\0';
	if (strcmp(code, i18n_language()) == 0)
		return free(was), true;
	/* gettext ignores LANGUAGE while messages are in the C locale. */
	if (!msgs || strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
	setenv("LANGUAGE", code, 1);
	messages_again();
	if (strcmp(i18n_language(), code) == 0)
		return free(was), true;
	if (was)
		setenv("LANGUAGE", was, 1);
	else
		unsetenv("LANGUAGE");
	free(was);
	messages_again();
	return false;
#else
	(void)lang;
	return false;
#endif
}

bool i18n_french(void)
{
	return strcmp(i18n_language(), "fr") == 0;
}

/* Digits of V grouped by threes with SEP (none when SEP is empty). */
static void group(unsigned long long v, const char *sep, char *buf, size_t cap)
{
	char digits[32];
	size_t n = (size_t)snprintf(digits, sizeof digits, "%llu", v), at = 0;

	if (cap == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0 && *sep) {
			size_t l = strlen(sep);

			if (at + l >= cap)
				break;
			memcpy(buf + at, sep, l);
			at += l;
		}
		if (at + 1 >= cap)
			break;
		buf[at++] = digits[i];
	}
	buf[at] = '\0';
}

char *i18n_euros(long long euros, char *buf, size_t cap)
{
	char g[48];
	unsigned long long mag = euros < 0 ? 0ULL - (unsigned long long)euros
					   : (unsigned long long)euros;

	if (!i18n_french()) {
		snprintf(buf, cap, "%lld EUR", euros);
		return buf;
	}
	group(mag, NBSP, g, sizeof g);
	snprintf(buf, cap, "%s%s" NBSP "€", euros < 0 ? "-" : "", g);
	return buf;
}

char *i18n_number(long long n, char *buf, size_t cap)
{
	char g[48];
	unsigned long long mag = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;

	group(mag, i18n_french() ? NBSP : "", g, sizeof g);
	snprintf(buf, cap, "%s%s", n < 0 ? "-" : "", g);
	return buf;
}

char *i18n_cents(long long cents, char *buf, size_t cap)
{
	char g[48];
	unsigned long long mag = cents < 0 ? 0ULL - (unsigned long long)cents
					   : (unsigned long long)cents;

	if (!i18n_french()) {
		snprintf(buf, cap, "%s%llu.%02llu EUR", cents < 0 ? "-" : "", mag / 100, mag % 100);
		return buf;
	}
	group(mag / 100, NBSP, g, sizeof g);
	snprintf(buf, cap, "%s%s,%02llu" NBSP "€", cents < 0 ? "-" : "", g, mag % 100);
	return buf;
}

static bool digits(const char *s, size_t n);

static bool word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '.' || c == '/' || c == ':';
}

char *i18n_localize(const char *msg)
{
	size_t n = msg ? strlen(msg) : 0, cap = n * 2 + 1, at = 0;
	char *out;

	if (!msg || !i18n_french())
		return msg ? strdup(msg) : NULL;
	out = malloc(cap);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		bool starts = i == 0 || !word_char(msg[i - 1]);
		size_t run = 0;

		/* a value quoted from a file or a server is said as it is */
		if (msg[i] == '"') {
			const char *end = strchr(msg + i + 1, '"');
			size_t len = end ? (size_t)(end - msg) - i + 1 : n - i;

			memcpy(out + at, msg + i, len);
			at += len;
			i += len;
			continue;
		}

		while (i + run < n && msg[i + run] >= '0' && msg[i + run] <= '9')
			run++;
		/* an ISO date alone (a date and time is a format: kept) */
		if (starts && run == 4 && i + 10 <= n && msg[i + 4] == '-' &&
		    digits(msg + i + 5, 2) && msg[i + 7] == '-' && digits(msg + i + 8, 2) &&
		    (i + 10 == n || !(word_char(msg[i + 10]) && msg[i + 10] != '.' &&
				      msg[i + 10] != ':'))) {
			at += (size_t)snprintf(out + at, cap - at, "%.2s/%.2s/%.4s", msg + i + 8,
					       msg + i + 5, msg + i);
			i += 10;
			continue;
		}
		/* an amount in euros: its thousands apart, the € held to it */
		if (starts && run >= 1 && i + run + 1 < n && msg[i + run] == ' ' &&
		    strncmp(msg + i + run + 1, "€", strlen("€")) == 0) {
			for (size_t k = 0; k < run; k++) {
				if (k > 0 && (run - k) % 3 == 0)
					at += (size_t)snprintf(out + at, cap - at, NBSP);
				out[at++] = msg[i + k];
			}
			at += (size_t)snprintf(out + at, cap - at, NBSP);
			i += run + 1;
			continue;
		}
		if (run) {
			memcpy(out + at, msg + i, run);
			at += run;
			i += run;
			continue;
		}
		out[at++] = msg[i++];
	}
	out[at] = '\0';
	return out;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

char *i18n_date(const char *iso, char *buf, size_t cap)
{
	if (!iso)
		iso = "";
	if (!i18n_french() || strlen(iso) < 10 || !digits(iso, 4) || iso[4] != '-' ||
	    !digits(iso + 5, 2) || iso[7] != '-' || !digits(iso + 8, 2)) {
		snprintf(buf, cap, "%s", iso);
		return buf;
	}
	/* a date and time (Qonto's are UTC): the day, then hours and minutes */
	if (iso[10] == 'T' && strlen(iso) >= 16 && digits(iso + 11, 2) && iso[13] == ':' &&
	    digits(iso + 14, 2))
		snprintf(buf, cap, "%.2s/%.2s/%.4s %.5s", iso + 8, iso + 5, iso, iso + 11);
	else
		snprintf(buf, cap, "%.2s/%.2s/%.4s%s", iso + 8, iso + 5, iso, iso + 10);
	return buf;
}
