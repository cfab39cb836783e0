/* jsonutil.c: json-c with limits. */
#include "config.h"

#include "jsonutil.h"
#include "text.h"

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
