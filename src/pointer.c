/* pointer.c: splitting the JSON pointers of error objects into a card
 * index and a field name. */
#include "config.h"

#include "pointer.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads the reference token at *p (just after a '/') into tok, undoing ~0
 * and ~1; false when it is empty, badly escaped or longer than cap - 1. */
static bool pointer_token(const char **p, char *tok, size_t cap)
{
	const char *s = *p;
	size_t n = 0;
	char c;

	for (; *s && *s != '/'; s++) {
		c = *s;
		if (c == '~') {
			s++;
			if (*s != '0' && *s != '1')
				return false;
			c = *s == '0' ? '~' : '/';
		}
		if (n + 1 >= cap)
			return false;
		tok[n++] = c;
	}
	tok[n] = '\0';
	*p = s;
	return n > 0;
}

/* An array index as RFC 6901 writes it: "0" or digits without a leading 0. */
static bool pointer_index(const char *tok, long *index)
{
	long v = 0;

	if (!is_digit(tok[0]) || (tok[0] == '0' && tok[1]))
		return false;
	for (; *tok; tok++) {
		if (!is_digit(*tok) || v > (LONG_MAX - (*tok - '0')) / 10)
			return false;
		v = v * 10 + (*tok - '0');
	}
	*index = v;
	return true;
}

/* Writes the tokens of p ("/address/zipcode") as "address.zipcode". */
static bool pointer_field(const char *p, char *field, size_t cap)
{
	char tok[256];
	size_t used = 0;
	int n;

	field[0] = '\0';
	while (*p == '/') {
		p++;
		if (!pointer_token(&p, tok, sizeof(tok)))
			return false;
		n = snprintf(field + used, cap - used, "%s%s", used ? "." : "",
			     tok);
		if (n < 0 || (size_t)n >= cap - used)
			return false;
		used += (size_t)n;
	}
	return *p == '\0';
}

bool response_pointer_parse(const char *pointer, long *card, char *field,
			    size_t field_cap)
{
	char tok[32], spare[256];
	char *out = field && field_cap > 0 ? field : spare;
	size_t cap = field && field_cap > 0 ? field_cap : sizeof(spare);
	const char *p = pointer;
	long index = -1;
	bool ok = false;

	out[0] = '\0';
	if (!p || *p++ != '/' || !pointer_token(&p, tok, sizeof(tok)))
		goto out;
	if (strcmp(tok, "cards") == 0) {
		if (*p++ != '/' || !pointer_token(&p, tok, sizeof(tok)) ||
		    !pointer_index(tok, &index))
			goto out;
		if (strncmp(p, "/card", 5) == 0 && (p[5] == '/' || !p[5]))
			p += 5;
	} else if (strcmp(tok, "card") != 0) {
		goto out;
	}
	ok = pointer_field(p, out, cap);
out:
	if (!ok) {
		index = -1;
		out[0] = '\0';
	}
	if (card)
		*card = index;
	return ok;
}
