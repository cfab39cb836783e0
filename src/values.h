/* values.h: parsing of single values as people write them in files and
 * forms (booleans, whole euros, days, dates, UUIDs). Pure functions. */
#ifndef CARDORDER_VALUES_H
#define CARDORDER_VALUES_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* The largest amount cardorder accepts in any limit; anything above is a
 * typing mistake long before it is a card limit. */
#define VALUE_MAX_EUROS INT64_C(1000000000)

enum euros_result {
	EUROS_OK,
	EUROS_CENTS,     /* "12.50": limits are whole euros */
	EUROS_MALFORMED, /* not a number */
	EUROS_RANGE      /* beyond +-VALUE_MAX_EUROS */
};

/* true/false/yes/no/1/0, any case. */
bool value_parse_bool(const char *text, bool *out);

/* An integer number of euros; "1000", "-5" and "1000.00" are accepted
 * (zero cents), "1,000" and "12.5" are not. */
enum euros_result value_parse_euros(const char *text, int64_t *out);

/* A day of the week: "1".."7" (any integer is returned as is, so that
 * validation can say it is out of range), or mon..sun / monday..sunday in
 * any case. Returns false for anything else. */
bool value_parse_day(const char *text, int *out);

/* A UUID in its 8-4-4-4-12 hexadecimal form (any version). */
bool value_uuid_valid(const char *text);

/* An ISO 8601 date-time: YYYY-MM-DDTHH:MM[:SS[.fff]] followed by Z or
 * +HH:MM / -HH:MM. *out gets the UTC instant. */
bool value_parse_datetime(const char *text, time_t *out);

#endif
