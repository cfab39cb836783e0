/* util.c: time, identifiers, hashing and json-c helpers for the sandbox. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <uuid/uuid.h>

#include "sandbox.h"

int64_t util_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t util_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void util_iso_time(int64_t wall_ms, char out[32])
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool parse_digits(const char **p, int n, int *out)
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

/* The zone designator: Z, +HH:MM or -HH:MM; offset in seconds. */
static bool parse_zone(const char *p, long *offset)
{
	int hh, mm;
	int sign;

	if (strcmp(p, "Z") == 0) {
		*offset = 0;
		return true;
	}
	if (*p != '+' && *p != '-')
		return false;
	sign = *p == '-' ? -1 : 1;
	p++;
	if (!parse_digits(&p, 2, &hh) || !expect(&p, ':') ||
	    !parse_digits(&p, 2, &mm) || *p != '\0' || hh > 23 || mm > 59)
		return false;
	*offset = sign * (hh * 3600L + mm * 60L);
	return true;
}

/* Strict ISO 8601 date-time: YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM). */
bool util_parse_iso_time(const char *s, int64_t *wall_ms)
{
	struct tm tm = {0};
	int y, mo, d, h, mi, se;
	long offset;
	time_t t;

	if (!parse_digits(&s, 4, &y) || !expect(&s, '-') ||
	    !parse_digits(&s, 2, &mo) || !expect(&s, '-') ||
	    !parse_digits(&s, 2, &d) || !expect(&s, 'T') ||
	    !parse_digits(&s, 2, &h) || !expect(&s, ':') ||
	    !parse_digits(&s, 2, &mi) || !expect(&s, ':') ||
	    !parse_digits(&s, 2, &se))
		return false;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (!parse_zone(s, &offset))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	/* timegm normalises 31 February into March: refuse such dates. */
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return false;
	*wall_ms = ((int64_t)t - offset) * 1000;
	return true;
}

bool util_is_uuid(const char *s)
{
	static const int dash[] = {8, 13, 18, 23};

	if (strlen(s) != SANDBOX_UUID_LEN)
		return false;
	for (int i = 0; i < SANDBOX_UUID_LEN; i++) {
		bool want_dash = i == dash[0] || i == dash[1] || i == dash[2] ||
				 i == dash[3];

		if (want_dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

void util_new_uuid(char out[SANDBOX_UUID_LEN + 1])
{
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
}

bool util_random_token(char out[SANDBOX_TOKEN_LEN + 1])
{
	unsigned char raw[48]; /* 48 bytes = 64 base64url characters */

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return false;
	util_base64url(raw, sizeof(raw), out, SANDBOX_TOKEN_LEN + 1);
	return true;
}

bool util_sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int n = 0;

	return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 &&
	       n == 32;
}

/* base64url without padding (RFC 7636 appendix A). */
void util_base64url(const unsigned char *in, size_t len, char *out,
		    size_t out_size)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;

	for (size_t i = 0; i < len && o + 1 < out_size; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 6 && o + 1 < out_size) {
			bits -= 6;
			out[o++] = alphabet[(acc >> bits) & 0x3f];
		}
	}
	if (bits > 0 && o + 1 < out_size)
		out[o++] = alphabet[(acc << (6 - bits)) & 0x3f];
	out[o] = '\0';
}

/* splitmix64's finaliser: a good, deterministic hash of a counter. */
uint64_t util_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

bool util_parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end != '\0' || v > max)
		return false;
	*out = v;
	return true;
}

/* "90" or "90s" seconds, "250ms", "30m", "1h". */
bool util_parse_duration(const char *s, int64_t *ms)
{
	static const struct {
		const char *suffix;
		int64_t factor;
	} units[] = {
	    {"", 1000}, {"s", 1000}, {"ms", 1}, {"m", 60000}, {"h", 3600000}};
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || v > 100000000UL)
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) == 0) {
			*ms = (int64_t)v * units[i].factor;
			return true;
		}
	}
	return false;
}

/* json_object_object_add that releases val when it fails. */
int util_add(json_object *obj, const char *key, json_object *val)
{
	if (json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int util_push(json_object *arr, json_object *val)
{
	if (json_object_array_add(arr, val) < 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

/* A malloc'd compact serialisation of obj (caller frees). */
char *util_to_string(json_object *obj, size_t *len)
{
	size_t n = 0;
	const char *s = json_object_to_json_string_length(
	    obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	char *copy;

	if (!s)
		return NULL;
	copy = malloc(n + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, n + 1);
	if (len)
		*len = n;
	return copy;
}

/* Strict parse of untrusted text; NULL when it is not one JSON value. */
json_object *util_parse_json(const char *text, size_t len)
{
	json_tokener *tok;
	json_object *root = NULL;
	char *copy = NULL;

	if (len > SANDBOX_MAX_BODY)
		return NULL;
	tok = json_tokener_new_ex(16);
	copy = malloc(len + 1);
	if (!tok || !copy)
		goto out;
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (strlen(copy) != len)
		goto out; /* a NUL byte inside the body */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, copy, (int)len + 1);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(root);
		root = NULL;
	}
out:
	if (tok)
		json_tokener_free(tok);
	free(copy);
	return root;
}

/* Upper case in the C.UTF-8 locale (main sets LC_CTYPE): "Zoé" → "ZOÉ".
 * Bytes that do not decode are copied unchanged. */
char *util_upper_utf8(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len * 2 + MB_LEN_MAX + 1);
	mbstate_t in_st = {0}, out_st = {0};
	size_t o = 0;

	if (!out)
		return NULL;
	while (*s) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, MB_LEN_MAX, &in_st);
		size_t w;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			out[o++] = *s++;
			memset(&in_st, 0, sizeof(in_st));
			continue;
		}
		w = wcrtomb(out + o, (wchar_t)towupper((wint_t)wc), &out_st);
		if (w == (size_t)-1) { /* upper case fits: at most 1.5x */
			memcpy(out + o, s, n);
			w = n;
		}
		o += w;
		s += n;
	}
	out[o] = '\0';
	return out;
}

/* Grows an array so that it holds need elements; NULL on failure (the old
 * block stays valid). */
void *util_grow(void *ptr, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 8;
	void *p;

	if (need <= *cap)
		return ptr;
	while (n < need)
		n *= 2;
	p = realloc(ptr, n * size);
	if (!p)
		return NULL;
	*cap = n;
	return p;
}
