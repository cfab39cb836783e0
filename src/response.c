/* response.c: parsing every answer of POST /v2/cards/bulk.
 *
 * The body is classified by HTTP status first, then by content: an answer
 * that is not JSON still gets the kind of its status, except where the kind
 * depends on the content (200 and 428). */
#include "config.h"

#include "response.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "jsonutil.h"
#include "text.h"

#define LIMIT_MAX INT64_C(1000000000000) /* 10^12 euros */
#define LIMIT_MAX_DIGITS 13
#define EXP_MAX 9999        /* exp_month and exp_year given as integers */
#define HTML_SCAN 1024      /* bytes searched for HTML tags */
#define SNIPPET_MAX 60      /* bytes of a non-JSON body quoted in a message */

enum copy_mode {
	COPY_CUT,  /* long strings are cut at a character */
	COPY_WHOLE /* long strings are refused: ids, tokens, pointers */
};

/* A string member of struct card_object. */
struct str_field {
	const char *name;
	size_t offset;
	bool int_ok; /* an integer is accepted and written in decimal */
};

#define STR_FIELD(f, int_ok) { #f, offsetof(struct card_object, f), int_ok }
static const struct str_field card_strings[] = {
	STR_FIELD(nickname, false),        STR_FIELD(embossed_name, false),
	STR_FIELD(status, false),          STR_FIELD(mask_pan, false),
	STR_FIELD(last_digits, false),     STR_FIELD(exp_month, true),
	STR_FIELD(exp_year, true),         STR_FIELD(card_type, false),
	STR_FIELD(card_level, false),      STR_FIELD(holder_id, false),
	STR_FIELD(initiator_id, false),    STR_FIELD(bank_account_id, false),
	STR_FIELD(organization_id, false), STR_FIELD(card_design, false),
	STR_FIELD(type_of_print, false),   STR_FIELD(pre_expires_at, false),
	STR_FIELD(created_at, false),      STR_FIELD(updated_at, false),
	STR_FIELD(shipped_at, false),
};
#undef STR_FIELD

const char *const limit_names[LIMIT_COUNT] = {
#define LIMIT_NAME(name, member) #member,
	LIMIT_LIST(LIMIT_NAME)
#undef LIMIT_NAME
};

static const size_t limit_offsets[LIMIT_COUNT] = {
#define LIMIT_OFFSET(name, member) offsetof(struct card_object, member),
	LIMIT_LIST(LIMIT_OFFSET)
#undef LIMIT_OFFSET
};

int64_t *card_object_limit(struct card_object *c, enum limit_index k)
{
	return (int64_t *)((char *)c + limit_offsets[k]);
}

const int64_t *card_object_limit_const(const struct card_object *c,
				       enum limit_index k)
{
	return (const int64_t *)((const char *)c + limit_offsets[k]);
}

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

static char **card_str(struct card_object *card, size_t offset)
{
	return (char **)((char *)card + offset);
}


static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ---- freeing ---- */

static void secret_free(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

static void errors_free(struct api_error *errors, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(errors[i].code);
		free(errors[i].detail);
		free(errors[i].pointer);
	}
	free(errors);
}

void card_object_free(struct card_object *card)
{
	if (!card)
		return;
	for (size_t i = 0; i < N_ITEMS(card_strings); i++)
		free(*card_str(card, card_strings[i].offset));
	free(card->id);
	free(card->json);
	memset(card, 0, sizeof(*card));
}

static void entry_free(struct response_entry *entry)
{
	card_object_free(&entry->card);
	errors_free(entry->errors, entry->n_errors);
	free(entry->problem);
	memset(entry, 0, sizeof(*entry));
}

void response_init(struct bulk_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	resp->kind = RESPONSE_OTHER;
}

void response_free(struct bulk_response *resp)
{
	if (!resp)
		return;
	for (size_t i = 0; i < resp->n_entries; i++)
		entry_free(&resp->entries[i]);
	free(resp->entries);
	errors_free(resp->errors, resp->n_errors);
	free(resp->code);
	free(resp->message);
	free(resp->trace_id);
	secret_free(resp->sca_session_token);
	response_init(resp);
}

/* ---- strings ---- */

/* Copies a string member; false only when memory runs out (see
 * json_copy_string). */
static bool copy_member(json_object *obj, const char *key, enum copy_mode mode,
			char **out)
{
	return json_copy_member(obj, key, RESPONSE_MAX_STRING, mode == COPY_CUT,
				out);
}

/* Like copy_member, but also takes an integer from 0 to EXP_MAX. */
static bool copy_member_int(json_object *obj, const char *key, char **out)
{
	json_object *val = json_member(obj, key);
	char buf[8];
	int64_t v;

	*out = NULL;
	if (!json_object_is_type(val, json_type_int))
		return copy_member(obj, key, COPY_CUT, out);
	v = json_object_get_int64(val); /* INT64_MAX on overflow */
	if (v < 0 || v > EXP_MAX)
		return true;
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	*out = strdup(buf);
	return *out != NULL;
}

/* Replaces resp->message; false when memory runs out.
 *
 * resp->message and entry->problem stay in English: they go to the
 * journal and to the results file (and resp->message may be the server's
 * own text, which is never translated). Their sentences are marked with
 * N_() so that the catalogue has them: a place that only shows one of
 * the fixed ones (no %) can give it through _(). */
static bool set_message(struct bulk_response *resp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool set_message(struct bulk_response *resp, const char *fmt, ...)
{
	va_list ap;
	int n;

	free(resp->message);
	va_start(ap, fmt);
	n = vasprintf(&resp->message, fmt, ap);
	va_end(ap);
	if (n < 0)
		resp->message = NULL; /* vasprintf leaves it undefined */
	return n >= 0;
}

static bool malformed(struct bulk_response *resp, const char *why)
{
	resp->kind = RESPONSE_MALFORMED;
	return set_message(resp, "%s", why);
}

/* ---- whole euros ---- */

/* Reads "[eE][+-]?D+" at *s, if there, into *exp (clamped). */
static bool decimal_exponent(const char **s, long long *exp)
{
	const char *p = *s;
	long long sign = 1;

	*exp = 0;
	if (*p != 'e' && *p != 'E')
		return true;
	p++;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!is_digit(*p))
		return false;
	for (; is_digit(*p); p++)
		if (*exp < 100000000)
			*exp = *exp * 10 + (*p - '0');
	*exp *= sign;
	*s = p;
	return true;
}

/* Gives the value of a JSON number's text when it is a whole number from 0
 * to LIMIT_MAX ("1000", "1000.00", "1.5e3"; not "1000.5", "-3", "1e13"),
 * read exactly: no floating point for money. */
static bool decimal_whole(const char *s, int64_t *out)
{
	long long scale = 0, zeros = 0, exp;
	bool negative = *s == '-', point = false;
	int64_t v = 0;
	int sig = 0; /* significant digits in v */

	if (negative)
		s++;
	if (!is_digit(*s))
		return false;
	for (; is_digit(*s) || (*s == '.' && !point && is_digit(s[1])); s++) {
		if (*s == '.') {
			point = true;
			continue;
		}
		if (point)
			scale--;
		if (*s == '0') {
			zeros += v > 0; /* trailing zeros wait here */
			continue;
		}
		if (sig + zeros >= LIMIT_MAX_DIGITS)
			return false;
		for (sig += (int)zeros + 1; zeros > 0; zeros--)
			v *= 10;
		v = v * 10 + (*s - '0');
	}
	if (!decimal_exponent(&s, &exp) || *s != '\0')
		return false;
	scale += zeros + exp;
	if (v != 0 && (negative || scale < 0 || sig + scale > LIMIT_MAX_DIGITS))
		return false;
	for (; v != 0 && scale > 0; scale--)
		v *= 10;
	if (v > LIMIT_MAX)
		return false;
	*out = v;
	return true;
}

/* A limit in whole euros: an integer, or a double or string holding a
 * whole number, from 0 to LIMIT_MAX. */
static bool read_euros(json_object *val, int64_t *out)
{
	int64_t v;

	switch (json_object_get_type(val)) {
	case json_type_int:
		v = json_object_get_int64(val); /* INT64_MAX on overflow */
		break;
	case json_type_string:
		if (strlen(json_object_get_string(val)) !=
			    (size_t)json_object_get_string_len(val) ||
		    !decimal_whole(json_object_get_string(val), &v))
			return false;
		break;
	case json_type_double: /* its text is the one received */
		if (!decimal_whole(json_object_get_string(val), &v))
			return false;
		break;
	default:
		return false;
	}
	if (v < 0 || v > LIMIT_MAX)
		return false;
	*out = v;
	return true;
}

/* ---- JSON:API errors ---- */

/* Fills e from one error object; false only when memory runs out. */
static bool error_parse(json_object *obj, struct api_error *e)
{
	json_object *source = json_member(obj, "source");
	char *parameter = NULL;

	e->card = -1;
	if (!copy_member(obj, "code", COPY_CUT, &e->code) ||
	    !copy_member(obj, "detail", COPY_CUT, &e->detail))
		return false;
	if (!e->detail && !copy_member(obj, "title", COPY_CUT, &e->detail))
		return false;
	if (!e->detail && !copy_member(obj, "message", COPY_CUT, &e->detail))
		return false;
	if (!copy_member(source, "pointer", COPY_WHOLE, &e->pointer))
		return false;
	if (e->pointer) {
		response_pointer_parse(e->pointer, &e->card, e->field,
				       sizeof(e->field));
		return true;
	}
	if (!copy_member(source, "parameter", COPY_CUT, &parameter))
		return false;
	if (parameter && strlen(parameter) < sizeof(e->field))
		snprintf(e->field, sizeof(e->field), "%s", parameter);
	free(parameter);
	return true;
}

/* Reads the error objects of a JSON array into an owned array (items that
 * are not objects are skipped); false only when memory runs out. */
static bool errors_parse(json_object *list, struct api_error **out,
			 size_t *n_out)
{
	size_t len = json_object_array_length(list), n = 0;
	struct api_error *errors;
	json_object *item;
	bool ok = true;

	*out = NULL;
	*n_out = 0;
	if (len == 0)
		return true;
	errors = calloc(len, sizeof(*errors));
	if (!errors)
		return false;
	for (size_t i = 0; i < len && ok; i++) {
		item = json_object_array_get_idx(list, i);
		if (!json_object_is_type(item, json_type_object))
			continue;
		ok = error_parse(item, &errors[n++]);
	}
	*out = errors;
	*n_out = n;
	return ok;
}

/* ---- cards ---- */

static bool entry_malformed(struct response_entry *entry, const char *why)
{
	entry_free(entry);
	entry->kind = ENTRY_MALFORMED;
	entry->problem = strdup(why);
	return entry->problem != NULL;
}

static bool card_fields(json_object *obj, struct card_object *card)
{
	const struct str_field *f;
	const char *json;

	for (size_t i = 0; i < N_ITEMS(card_strings); i++) {
		f = &card_strings[i];
		if (f->int_ok ? !copy_member_int(obj, f->name,
						 card_str(card, f->offset))
			      : !copy_member(obj, f->name, COPY_CUT,
					     card_str(card, f->offset)))
			return false;
	}
	for (int k = 0; k < LIMIT_COUNT; k++)
		if (read_euros(json_member(obj, limit_names[k]),
			       card_object_limit(card, (enum limit_index)k)))
			card->has_limits |= 1u << k;
	card->pin_set = json_object_is_type(json_member(obj, "pin_set"), json_type_boolean)
				? json_object_get_boolean(json_member(obj, "pin_set"))
				: -1;
	json = json_object_to_json_string_ext(
		obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	card->json = json ? strdup(json) : NULL;
	return card->json != NULL;
}

/* Fills entry from a card object (wrapped or flat); false only when memory
 * runs out. A card without a usable id is malformed: nothing could refer
 * to it later. */
static bool entry_card(json_object *obj, struct response_entry *entry)
{
	struct card_object *card = &entry->card;
	if (!json_member(obj, "id"))
		return entry_malformed(entry, N_("the card has no \"id\""));
	if (!copy_member(obj, "id", COPY_WHOLE, &card->id))
		return false;
	if (!card->id || !card->id[0])
		return entry_malformed(entry, N_("the card's \"id\" is not a "
					      "usable string"));
	entry->kind = ENTRY_CARD;
	return card_fields(obj, card);
}

static bool entry_errors(json_object *list, size_t index,
			 struct response_entry *entry)
{
	if (!json_object_is_type(list, json_type_array))
		return entry_malformed(entry, N_("\"errors\" is not a list"));
	if (!errors_parse(list, &entry->errors, &entry->n_errors))
		return false;
	/* An error entry without any error says nothing sure: the card's
	 * outcome stays unknown rather than "refused". */
	if (entry->n_errors == 0)
		return entry_malformed(entry, N_("the card's error list is empty"));
	for (size_t i = 0; i < entry->n_errors; i++)
		entry->errors[i].card = (long)index;
	entry->kind = ENTRY_ERROR;
	return true;
}

static bool entry_parse(json_object *val, size_t index,
			struct response_entry *entry)
{
	json_object *sub;

	if (!json_object_is_type(val, json_type_object))
		return entry_malformed(entry, N_("the entry is not a JSON object"));
	if (json_object_object_get_ex(val, "card", &sub)) {
		if (!json_object_is_type(sub, json_type_object))
			return entry_malformed(entry,
					       N_("\"card\" is not a JSON object"));
		return entry_card(sub, entry);
	}
	if (json_object_object_get_ex(val, "errors", &sub))
		return entry_errors(sub, index, entry);
	if (json_object_object_get_ex(val, "id", NULL))
		return entry_card(val, entry); /* a flat entry */
	return entry_malformed(entry, N_("the entry has no \"card\", "
				      "\"errors\" or \"id\""));
}

static bool cards_parse(json_object *root, struct bulk_response *resp)
{
	json_object *list = json_member(root, "cards");
	size_t n;

	if (!json_object_is_type(root, json_type_object))
		return malformed(resp, N_("the answer is not a JSON object"));
	if (!list)
		return malformed(resp, N_("the answer has no \"cards\" list"));
	if (!json_object_is_type(list, json_type_array))
		return malformed(resp, N_("the answer's \"cards\" is not a list"));
	n = json_object_array_length(list);
	if (n == 0)
		return true;
	resp->entries = calloc(n, sizeof(*resp->entries));
	if (!resp->entries)
		return false;
	resp->n_entries = n;
	for (size_t i = 0; i < n; i++)
		if (!entry_parse(json_object_array_get_idx(list, i), i,
				 &resp->entries[i]))
			return false;
	return true;
}

/* ---- the other answers ---- */

static bool sca_parse(json_object *root, struct bulk_response *resp)
{
	const char *code = resp->code;
	char *token = NULL;

	/* Liberal: a JSON:API body may carry the code in errors[0]. */
	if (!code && resp->n_errors > 0)
		code = resp->errors[0].code;
	if (code && strcmp(code, "sca_not_enrolled") == 0) {
		resp->kind = RESPONSE_SCA_NOT_ENROLLED;
		return true;
	}
	if (!code || strcmp(code, "sca_required") != 0)
		return malformed(resp, N_("the server asked for an approval (428) "
				       "with an unknown \"code\""));
	if (!copy_member(root, "sca_session_token", COPY_WHOLE, &token))
		return false;
	if (!token || !token[0]) {
		secret_free(token);
		return malformed(resp, N_("the server asked for an approval (428) "
				       "without a session token"));
	}
	resp->sca_session_token = token;
	resp->kind = RESPONSE_SCA_REQUIRED;
	return true;
}

/* Fields that any JSON object answer may carry. */
static bool top_parse(json_object *root, struct bulk_response *resp)
{
	json_object *errors = json_member(root, "errors");

	if (!copy_member(root, "message", COPY_CUT, &resp->message) ||
	    !copy_member(root, "code", COPY_CUT, &resp->code) ||
	    !copy_member(root, "trace_id", COPY_CUT, &resp->trace_id))
		return false;
	if (!json_object_is_type(errors, json_type_array))
		return true;
	return errors_parse(errors, &resp->errors, &resp->n_errors);
}

static bool answer_parse(json_object *root, struct bulk_response *resp)
{
	if (!top_parse(root, resp))
		return false;
	switch (resp->kind) {
	case RESPONSE_CARDS:
		return cards_parse(root, resp);
	case RESPONSE_SCA_REQUIRED:
		return sca_parse(root, resp);
	default:
		return true;
	}
}

/* The kind an answer gets from its status alone; 428 is refined later. */
static enum response_kind status_kind(long status)
{
	static const struct {
		long status;
		enum response_kind kind;
	} kinds[] = {
		{ 200, RESPONSE_CARDS },        { 400, RESPONSE_REJECTED },
		{ 401, RESPONSE_UNAUTHORIZED }, { 403, RESPONSE_FORBIDDEN },
		{ 404, RESPONSE_NOT_FOUND },    { 422, RESPONSE_REJECTED },
		{ 428, RESPONSE_SCA_REQUIRED }, { 429, RESPONSE_RATE_LIMITED },
	};

	for (size_t i = 0; i < N_ITEMS(kinds); i++)
		if (kinds[i].status == status)
			return kinds[i].kind;
	if (status >= 500 && status <= 599)
		return RESPONSE_SERVER_ERROR;
	return RESPONSE_OTHER;
}

/* ---- bodies that are not JSON ---- */

/* s starts after blanks and holds no NUL. */
static bool looks_like_html(const char *s, size_t len)
{
	static const char *const tags[] = { "<!doctype html", "<html", "<head",
					    "<body", "<title" };
	size_t scan = len < HTML_SCAN ? len : HTML_SCAN, n;

	if (len == 0 || s[0] != '<')
		return false;
	for (size_t t = 0; t < N_ITEMS(tags); t++) {
		n = strlen(tags[t]);
		for (size_t i = 0; i + n <= scan; i++)
			if (strncasecmp(s + i, tags[t], n) == 0)
				return true;
	}
	return false;
}

/* The first line of s, at most SNIPPET_MAX bytes cut at a character, or 0
 * when it is not valid UTF-8. */
static size_t snippet_len(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && s[n] != '\n' && s[n] != '\r')
		n++;
	if (n > SNIPPET_MAX) {
		n = SNIPPET_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* back to the start of a character */
	}
	return text_utf8_valid(s, n) ? n : 0;
}

/* Sets resp->message for a body that is not JSON (JPARSE_SYNTAX). */
static bool describe_bad_body(const char *s, size_t len,
			      const struct jparse_info *info,
			      struct bulk_response *resp)
{
	long status = resp->http_status;
	size_t n, skip;

	/* What json_parse_limited skipped: a BOM and blanks (s has no NUL). */
	skip = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	skip += strspn(s + skip, " \t\r\n");
	s += skip;
	len -= skip;
	if (looks_like_html(s, len) && status >= 200 && status <= 299)
		return set_message(resp, N_("the server answered with an HTML "
					 "page instead of JSON; is the "
					 "staging token set?"));
	if (looks_like_html(s, len))
		return set_message(resp, N_("the server answered with an HTML "
					 "page instead of JSON (HTTP %ld)"),
				   status);
	n = s[0] == '{' || s[0] == '[' ? 0 : snippet_len(s, len);
	if (n > 0)
		return set_message(resp, N_("the server's answer is not JSON: "
					 "\"%.*s\""), (int)n, s);
	return set_message(resp, N_("the server's answer is not JSON (%s at "
				 "byte %zu)"),
			   json_parse_describe(JPARSE_SYNTAX, info), info->at);
}

/* Parses s (len bytes, NUL-terminated). On JPARSE_OK, *root is owned (NULL
 * for a JSON null); otherwise resp->message says what the body is, and
 * JPARSE_NOMEM is also returned when that message could not be written. */
static enum jparse body_parse(const char *s, size_t len, json_object **root,
			      struct bulk_response *resp)
{
	struct jparse_info info;
	enum jparse r;
	bool ok;

	r = json_parse_limited(s, len, RESPONSE_MAX_DEPTH, root, &info);
	switch (r) {
	case JPARSE_OK:
	case JPARSE_NOMEM:
		return r;
	case JPARSE_EMPTY:
		ok = set_message(resp, N_("the server's answer is empty (HTTP "
					 "%ld)"), resp->http_status);
		break;
	case JPARSE_NUL:
		ok = set_message(resp, N_("the server's answer holds a NUL byte"));
		break;
	case JPARSE_DEPTH:
		ok = set_message(resp, N_("the server's answer is nested deeper "
					 "than %d levels"), RESPONSE_MAX_DEPTH);
		break;
	case JPARSE_NON_FINITE:
		ok = set_message(resp, N_("the server's answer is not JSON: it "
					 "holds NaN or Infinity"));
		break;
	default: /* JPARSE_SYNTAX */
		ok = describe_bad_body(s, len, &info, resp);
		break;
	}
	return ok ? r : JPARSE_NOMEM;
}

/* Classifies a body that is in buf (NUL-terminated); false only when
 * memory runs out. */
static bool classify(const char *buf, size_t len, struct bulk_response *resp)
{
	/* Without a usable body, 200 and 428 cannot be told apart. */
	bool by_body = resp->http_status == 200 || resp->http_status == 428;
	json_object *root = NULL;
	bool ok = true;

	switch (body_parse(buf, len, &root, resp)) {
	case JPARSE_OK:
		ok = answer_parse(root, resp);
		break;
	case JPARSE_NOMEM:
		ok = false;
		break;
	case JPARSE_DEPTH:
		if (by_body)
			resp->kind = RESPONSE_MALFORMED;
		break;
	default: /* not JSON */
		if (by_body)
			resp->kind = RESPONSE_NOT_JSON;
		break;
	}
	json_object_put(root);
	return ok;
}

enum status response_parse(long http_status, const char *body, size_t len,
			   size_t n_sent, struct bulk_response *resp,
			   struct status_error *err)
{
	enum status st = STATUS_NOMEM;
	char *buf = NULL;

	(void)n_sent; /* a count that differs is the caller's to judge */
	response_init(resp);
	resp->http_status = http_status;
	resp->kind = status_kind(http_status);
	if (len > RESPONSE_MAX_BYTES) {
		st = status_set(err, STATUS_TOO_LARGE,
				"the server's answer is %zu bytes, more than "
				"the %u that cardorder accepts",
				len, RESPONSE_MAX_BYTES);
		goto out;
	}
	if (!body)
		len = 0;
	/* A copy: body need not end with the NUL that json-c wants. */
	buf = malloc(len + 1);
	if (!buf)
		goto out;
	if (len > 0)
		memcpy(buf, body, len);
	buf[len] = '\0';
	if (classify(buf, len, resp))
		st = STATUS_OK;
out:
	if (st == STATUS_NOMEM)
		status_set(err, STATUS_NOMEM, "out of memory while reading the "
					      "server's answer (%zu bytes)",
			   len);
	if (st != STATUS_OK) {
		response_free(resp);
		resp->http_status = http_status;
		if (err)
			err->http_status = http_status;
	}
	if (buf) {
		explicit_bzero(buf, len); /* may hold the SCA token */
		free(buf);
	}
	return st;
}
