/* values.c: single-value parsing shared by the readers and the editor. */
#include "config.h"

#include "values.h"
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool value_parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "true", "yes", "1" };
	static const char *const no[] = { "false", "no", "0" };

	for (size_t i = 0; i < 3; i++) {
		if (text_ieq(text, yes[i])) {
			*out = true;
			return true;
		}
		if (text_ieq(text, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* Only zeros may follow a decimal point: whole euros written "1000.00". */
static bool only_zero_cents(const char *p)
{
	if (*p != '.')
		return *p == '\0';
	p++;
	if (*p == '\0')
		return false;
	while (*p == '0')
		p++;
	return *p == '\0';
}

static bool digits_then_fraction(const char *p)
{
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '\0')
		return true;
	if (*p != '.')
		return false;
	p++;
	if (*p == '\0')
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == '\0';
}

enum euros_result value_parse_euros(const char *text, int64_t *out)
{
	const char *p = text;
	char *end;
	long long v;

	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p) || !digits_then_fraction(p))
		return EUROS_MALFORMED;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno == ERANGE || v > VALUE_MAX_EUROS || v < -VALUE_MAX_EUROS)
		return EUROS_RANGE;
	if (!only_zero_cents(end))
		return EUROS_CENTS;
	*out = (int64_t)v;
	return EUROS_OK;
}

bool value_parse_day(const char *text, int *out)
{
	static const char *const names[] = { "monday", "tuesday", "wednesday",
					     "thursday", "friday", "saturday",
					     "sunday" };
	char *end;
	long v;

	if (isdigit((unsigned char)text[0])) {
		errno = 0;
		v = strtol(text, &end, 10);
		if (*end != '\0' || errno == ERANGE || v > 1000)
			return false;
		*out = (int)v;
		return true;
	}
	for (int i = 0; i < 7; i++) {
		if (text_ieq(text, names[i]) ||
		    (strlen(text) == 3 && strncasecmp(text, names[i], 3) == 0)) {
			*out = i + 1;
			return true;
		}
	}
	return false;
}

bool value_uuid_valid(const char *text)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	const char *p = text;

	for (int g = 0; g < 5; g++) {
		for (int i = 0; i < groups[g]; i++, p++)
			if (!isxdigit((unsigned char)*p))
				return false;
		if (g < 4 && *p++ != '-')
			return false;
	}
	return *p == '\0';
}

/* Reads exactly n digits. */
static bool read_num(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* The zone designator: Z, +HH:MM or -HH:MM; *offset in seconds east. */
static bool read_zone(const char *p, long *offset)
{
	int hh, mm, sign;

	if (p[0] == 'Z' && p[1] == '\0') {
		*offset = 0;
		return true;
	}
	if (*p != '+' && *p != '-')
		return false;
	sign = *p == '-' ? -1 : 1;
	p++;
	if (!read_num(&p, 2, &hh) || !expect(&p, ':') || !read_num(&p, 2, &mm) ||
	    *p != '\0' || hh > 23 || mm > 59)
		return false;
	*offset = sign * (hh * 3600L + mm * 60L);
	return true;
}

bool value_parse_datetime(const char *text, time_t *out)
{
	const char *p = text;
	struct tm tm = { 0 };
	int y, mo, d, h, mi, s = 0;
	long offset;

	if (!read_num(&p, 4, &y) || !expect(&p, '-') || !read_num(&p, 2, &mo) ||
	    !expect(&p, '-') || !read_num(&p, 2, &d) || !expect(&p, 'T') ||
	    !read_num(&p, 2, &h) || !expect(&p, ':') || !read_num(&p, 2, &mi))
		return false;
	if (*p == ':' && (p++, !read_num(&p, 2, &s)))
		return false;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || s > 59 || !read_zone(p, &offset))
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	*out = timegm(&tm) - offset;
	return true;
}
