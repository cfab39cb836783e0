/* jsonutil.h: json-c with the limits untrusted input needs (c-ecosystem.md
 * §3): a depth limit, strict mode, UTF-8 checks, no NaN or Infinity, no
 * embedded NUL; and copies of string members that check their type. */
#ifndef CARDORDER_JSONUTIL_H
#define CARDORDER_JSONUTIL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

enum jparse {
	JPARSE_OK,
	JPARSE_EMPTY,      /* nothing but blanks */
	JPARSE_NUL,        /* a NUL byte in the text */
	JPARSE_SYNTAX,     /* not JSON */
	JPARSE_DEPTH,      /* nested deeper than allowed */
	JPARSE_NON_FINITE, /* NaN or Infinity, which json-c 0.16 lets through */
	JPARSE_NOMEM
};

struct jparse_info {
	size_t at;                    /* byte where parsing stopped */
	enum json_tokener_error error;/* json-c's reason for JPARSE_SYNTAX */
};

/* Parses s[0..len), which must be followed by a NUL at s[len] (json-c
 * needs it to know the input ended). A UTF-8 BOM and leading blanks are
 * skipped. On JPARSE_OK, *root is owned by the caller (NULL for a JSON
 * null). info may be NULL. */
enum jparse json_parse_limited(const char *s, size_t len, int depth,
			       json_object **root, struct jparse_info *info);

/* A short English description of a result, for messages. */
const char *json_parse_describe(enum jparse result,
				const struct jparse_info *info);

/* Borrowed member of obj, or NULL (also when obj is not an object). */
json_object *json_member(json_object *obj, const char *key);

/* Copies a JSON string into *out (owned). A value of another type, with an
 * embedded NUL or invalid UTF-8 (json-c lets overlongs and surrogates
 * through), or longer than max when !cut, leaves *out NULL. When cut, a
 * longer string is cut at a character boundary. Returns false only when
 * memory runs out. */
bool json_copy_string(json_object *val, size_t max, bool cut, char **out);

/* json_copy_string of member key. */
bool json_copy_member(json_object *obj, const char *key, size_t max, bool cut,
		      char **out);

/* A key given twice in one object (json-c keeps the last one silently).
 * item: the position in the order's list of cards ("cards", or a root
 * list) of the card it is in, when in_item. */
struct json_dup {
	char key[128];
	size_t item;
	bool in_item;
};

/* True when text (valid JSON, as json_parse_limited accepted it) has an
 * object with a key twice; *out says which and where. */
bool json_duplicate_key(const char *text, size_t len, struct json_dup *out);

#endif
