/* text.c: UTF-8 checks and the one sanitiser for untrusted text. */
#include "config.h"

#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Decodes one code point at s (len bytes left). Returns its byte length,
 * or 0 when the sequence is malformed; *cp gets the code point. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;

	n = utf8proc_iterate(s, (utf8proc_ssize_t)len, &c);
	if (n <= 0)
		return 0;
	*cp = (uint32_t)c;
	return (size_t)n;
}

bool text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	while (len > 0) {
		if (*p < 0x80) {
			p++;
			len--;
			continue;
		}
		n = utf8_decode(p, len, &cp);
		if (n == 0)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

static bool is_bidi_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       is_bidi_control(cp) || cp == 0x2028 || cp == 0x2029;
}

bool text_has_controls(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n;
	uint32_t cp;

	while (len > 0) {
		n = utf8_decode(p, len, &cp);
		if (n == 0)
			return true; /* malformed counts as unsafe */
		if (is_control(cp))
			return true;
		p += n;
		len -= n;
	}
	return false;
}

char *text_sanitize(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n, used = 0;
	/* Worst case: every byte becomes a 10-byte escape. */
	char *out = malloc(len * 10 + 1);
	uint32_t cp;

	if (!out)
		return NULL;
	while (len > 0) {
		n = utf8_decode(p, len, &cp);
		if (n == 0) {
			memcpy(out + used, "\xEF\xBF\xBD", 3); /* U+FFFD */
			used += 3;
			p++;
			len--;
			continue;
		}
		if (cp < 0x80 && is_control(cp))
			used += (size_t)sprintf(out + used, "\\x%02X", (unsigned)cp);
		else if (is_control(cp))
			used += (size_t)sprintf(out + used, "\\u{%04X}", (unsigned)cp);
		else {
			memcpy(out + used, p, n);
			used += n;
		}
		p += n;
		len -= n;
	}
	out[used] = '\0';
	return out;
}

char *text_trim_dup(const char *s, size_t len)
{
	char *out;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	out = malloc(len + 1);
	if (!out)
		return NULL;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

char *text_fold(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n;

	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT |
				 UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
				 UTF8PROC_CASEFOLD);
	if (n < 0)
		return NULL;
	return (char *)out;
}

bool text_ieq(const char *a, const char *b)
{
	while (*a && *b) {
		char ca = *a, cb = *b;

		if (ca >= 'A' && ca <= 'Z')
			ca = (char)(ca - 'A' + 'a');
		if (cb >= 'A' && cb <= 'Z')
			cb = (char)(cb - 'A' + 'a');
		if (ca != cb)
			return false;
		a++;
		b++;
	}
	return *a == *b;
}

bool text_is_formula(const char *s)
{
	return s && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

bool text_formula_after_quotes(const char *s)
{
	while (s && *s == '\'')
		s++;
	return text_is_formula(s);
}

const char *text_pad(const char *s, size_t width, char *buf, size_t cap)
{
	size_t used = 0, chars = 0;

	for (const char *c = s; *c && used + 8 < cap; c++) {
		if (((unsigned char)*c & 0xC0) != 0x80) {
			if (chars == width)
				break;
			chars++;
		}
		buf[used++] = *c;
	}
	while (chars < width && used + 1 < cap) {
		buf[used++] = ' ';
		chars++;
	}
	buf[used] = '\0';
	return buf;
}
