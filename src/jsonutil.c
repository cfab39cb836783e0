/* jsonutil.c: json-c with limits. */
#include "config.h"

#include "jsonutil.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* json-c 0.16 takes NaN and Infinity even in strict mode, and would write
 * them back out; JSON has neither. The depth limit bounds the recursion. */
static bool has_non_finite(json_object *val)
{
	struct json_object_iterator it, end;
	const char *text;
	bool found = false;

	switch (json_object_get_type(val)) {
	case json_type_double:
		text = json_object_get_string(val);
		text += text[0] == '-';
		return !(text[0] >= '0' && text[0] <= '9');
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(val) && !found; i++)
			found = has_non_finite(json_object_array_get_idx(val, i));
		return found;
	case json_type_object:
		end = json_object_iter_end(val);
		for (it = json_object_iter_begin(val);
		     !found && !json_object_iter_equal(&it, &end);
		     json_object_iter_next(&it))
			found = has_non_finite(json_object_iter_peek_value(&it));
		return found;
	default:
		return false;
	}
}

enum jparse json_parse_limited(const char *s, size_t len, int depth,
			       json_object **root, struct jparse_info *info)
{
	struct jparse_info local;
	enum json_tokener_error e;
	json_tokener *tok;
	size_t skip;

	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	*root = NULL;
	skip = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (skip < len && strchr(" \t\r\n", s[skip]) && s[skip])
		skip++;
	if (skip == len)
		return JPARSE_EMPTY;
	if (memchr(s, '\0', len))
		return JPARSE_NUL;
	if (len - skip > (size_t)INT32_MAX - 1)
		return JPARSE_SYNTAX;
	tok = json_tokener_new_ex(depth);
	if (!tok) /* json_tokener_free(NULL) would crash in 0.16 */
		return JPARSE_NOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	*root = json_tokener_parse_ex(tok, s + skip, (int)(len - skip + 1));
	e = json_tokener_get_error(tok);
	info->at = skip + json_tokener_get_parse_end(tok);
	info->error = e;
	json_tokener_free(tok);
	if (e == json_tokener_success && !has_non_finite(*root))
		return JPARSE_OK;
	json_object_put(*root);
	*root = NULL;
	if (e == json_tokener_success)
		return JPARSE_NON_FINITE;
	return e == json_tokener_error_depth ? JPARSE_DEPTH : JPARSE_SYNTAX;
}

const char *json_parse_describe(enum jparse result,
				const struct jparse_info *info)
{
	switch (result) {
	case JPARSE_OK:
		return "valid JSON";
	case JPARSE_EMPTY:
		return "empty";
	case JPARSE_NUL:
		return "it holds a NUL byte";
	case JPARSE_DEPTH:
		return "it is nested too deeply";
	case JPARSE_NON_FINITE:
		return "it holds NaN or Infinity";
	case JPARSE_NOMEM:
		return "out of memory";
	default:
		return info ? json_tokener_error_desc(info->error) : "not JSON";
	}
}

json_object *json_member(json_object *obj, const char *key)
{
	json_object *val = NULL;

	if (!json_object_object_get_ex(obj, key, &val))
		return NULL;
	return val;
}

bool json_copy_string(json_object *val, size_t max, bool cut, char **out)
{
	const char *s;
	size_t len;

	*out = NULL;
	if (!json_object_is_type(val, json_type_string))
		return true;
	s = json_object_get_string(val);
	len = (size_t)json_object_get_string_len(val);
	if (strlen(s) != len || !text_utf8_valid(s, len))
		return true;
	if (len > max) {
		if (!cut)
			return true;
		len = max;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	*out = strndup(s, len);
	return *out != NULL;
}

bool json_copy_member(json_object *obj, const char *key, size_t max, bool cut,
		      char **out)
{
	return json_copy_string(json_member(obj, key), max, cut, out);
}

/* ---- duplicate keys ---- */

struct dup_scan {
	const char *p, *end;
	size_t item;          /* position in the top list being scanned */
	bool in_item;
	struct json_dup *out;
};

static void skip_blanks(struct dup_scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' ||
				 *s->p == '\r'))
		s->p++;
}

static int hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v = v * 16 + (c >= '0' && c <= '9'   ? c - '0'
			      : c >= 'a' && c <= 'f' ? c - 'a' + 10
			      : c >= 'A' && c <= 'F' ? c - 'A' + 10
						     : 0);
	}
	return v;
}

/* A string at s->p (its opening quote), decoded into out (cut at cap). */
static void scan_string(struct dup_scan *s, char *out, size_t cap)
{
	size_t n = 0;
	unsigned cp;

	s->p++;
	while (s->p < s->end && *s->p != '"') {
		char c = *s->p++;

		if (c == '\\' && s->p < s->end) {
			c = *s->p++;
			if (c == 'u' && s->end - s->p >= 4) {
				cp = (unsigned)hex4(s->p);
				s->p += 4;
				if (cp >= 0xd800 && cp < 0xdc00 && s->end - s->p >= 6 &&
				    s->p[0] == '\\' && s->p[1] == 'u') {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     ((unsigned)hex4(s->p + 2) - 0xdc00);
					s->p += 6;
				}
				/* UTF-8, as json-c would have decoded it */
				if (cp < 0x80 && n + 1 < cap) {
					out[n++] = (char)cp;
				} else if (cp < 0x800 && n + 2 < cap) {
					out[n++] = (char)(0xc0 | (cp >> 6));
					out[n++] = (char)(0x80 | (cp & 0x3f));
				} else if (cp < 0x10000 && n + 3 < cap) {
					out[n++] = (char)(0xe0 | (cp >> 12));
					out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
					out[n++] = (char)(0x80 | (cp & 0x3f));
				} else if (n + 4 < cap) {
					out[n++] = (char)(0xf0 | (cp >> 18));
					out[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
					out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
					out[n++] = (char)(0x80 | (cp & 0x3f));
				}
				continue;
			}
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r'
			  : c == 'b' ? '\b' : c == 'f' ? '\f' : c;
		}
		if (n + 1 < cap)
			out[n++] = c;
	}
	out[n] = '\0';
	if (s->p < s->end)
		s->p++; /* the closing quote */
}

static int by_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool scan_value(struct dup_scan *s, int depth, bool top_list);

/* An object: its keys, then each value (root: the order's object, whose
 * "cards" is the list of cards). False once a duplicate is found (or
 * memory runs out: then out->key is empty). */
static bool scan_object(struct dup_scan *s, int depth, bool root)
{
	char **keys = NULL, **grown, key[1024];
	size_t n = 0, cap = 0;
	bool ok = true;

	s->p++;
	for (skip_blanks(s); ok && s->p < s->end && *s->p != '}'; skip_blanks(s)) {
		if (*s->p == ',') {
			s->p++;
			continue;
		}
		scan_string(s, key, sizeof(key));
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			/* an array of strings: sizeof(char *) is meant */
			grown = reallocarray(keys, cap, sizeof(*grown)); /* NOLINT(bugprone-sizeof-expression) */
			if (!grown) {
				ok = false;
				break;
			}
			keys = grown;
		}
		if (!(keys[n] = strdup(key))) {
			ok = false;
			break;
		}
		n++;
		skip_blanks(s);
		if (s->p < s->end && *s->p == ':')
			s->p++;
		ok = scan_value(s, depth + 1, root && strcmp(key, "cards") == 0);
	}
	if (s->p < s->end && *s->p == '}')
		s->p++;
	if (ok && n > 1) {
		qsort(keys, n, sizeof(*keys), by_key);
		for (size_t i = 1; ok && i < n; i++)
			if (strcmp(keys[i - 1], keys[i]) == 0) {
				snprintf(s->out->key, sizeof(s->out->key), "%s", keys[i]);
				s->out->item = s->item;
				s->out->in_item = s->in_item;
				ok = false;
			}
	}
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return ok;
}

static bool scan_value(struct dup_scan *s, int depth, bool top_list)
{
	skip_blanks(s);
	if (s->p >= s->end || depth > 64)
		return true;
	if (*s->p == '{')
		return scan_object(s, depth, false);
	if (*s->p == '"') {
		char skip[2];

		scan_string(s, skip, sizeof(skip));
		return true;
	}
	if (*s->p == '[') {
		size_t index = 0;
		bool ok = true;

		s->p++;
		for (skip_blanks(s); ok && s->p < s->end && *s->p != ']'; skip_blanks(s)) {
			if (*s->p == ',') {
				s->p++;
				continue;
			}
			if (top_list) {
				s->item = index;
				s->in_item = true;
			}
			ok = scan_value(s, depth + 1, false);
			if (top_list)
				s->in_item = false;
			index++;
		}
		if (s->p < s->end && *s->p == ']')
			s->p++;
		return ok;
	}
	while (s->p < s->end && !strchr(",]} \t\r\n", *s->p))
		s->p++; /* a number, true, false, null */
	return true;
}

bool json_duplicate_key(const char *text, size_t len, struct json_dup *out)
{
	struct dup_scan s = { .p = text, .end = text + len, .out = out };

	memset(out, 0, sizeof(*out));
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		s.p += 3;
	skip_blanks(&s);
	if (s.p < s.end && *s.p == '[')
		return !scan_value(&s, 0, true) && out->key[0];
	if (s.p < s.end && *s.p == '{')
		return !scan_object(&s, 0, true) && out->key[0];
	return false;
}
