/* reader_json_stream.c: a JSON order read in bounded memory, as a CSV one
 * is. json-c builds the whole tree of what it parses (522 MB for 100 000
 * cards), so the file is scanned here byte by byte for the list of cards
 * ("cards" of the top-level object, or a top-level list), and each card,
 * whole, is parsed on its own by the reader of reader_json.c: the same
 * checks and messages, one card in memory at a time. What is around the
 * list is checked as it goes by (its syntax, a key given twice). */
#include "config.h"

#include "reader.h"
#include "i18n.h"
#include "jsonutil.h"
#include "strbuf.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

/* The text of one card (or of one top-level value beside the cards): far
 * more than a card can hold, and a bound on the memory a file can take. */
#define STREAM_ITEM_MAX (1024u * 1024u)
#define STREAM_DEPTH 16

enum where {
	AT_START,     /* before the top-level value */
	IN_OBJECT,    /* the top-level object: a key, or the end */
	IN_KEY,       /* a top-level key's string */
	AFTER_KEY,    /* its ':' */
	BEFORE_VALUE, /* its value */
	IN_LIST,      /* the list of cards: an item, ',' or ']' */
	IN_ITEM,      /* an item (a card), captured whole */
	IN_OTHER,     /* a top-level value that is not the cards, captured */
	AFTER_VALUE,  /* after a top-level value: ',' or '}' */
	AT_END        /* after the whole value: only blanks */
};

struct jstream {
	enum where where;
	bool top_is_list;      /* a bare list rather than {"cards": [...]} */
	bool list_is_cards;    /* the value being read is the cards */
	bool seen_cards, seen_other_key;
	bool after_item, after_comma; /* in the list of cards */
	char key[128];
	size_t key_len;
	char top_keys[32][128]; /* the top-level keys so far (the first 32) */
	size_t n_top;
	/* the text being captured, between '[' and ']' so that the reader
	 * sees a list of one */
	struct strbuf text;
	int depth;             /* inside the captured value */
	bool in_string, escape;
	size_t offset;         /* bytes of the file so far */
	size_t item_start;     /* where the captured value began */
	size_t position;       /* cards so far */
	struct order *order;
	struct problem_list *problems;
	struct status_error *err;
	enum status status;
	/* batches */
	size_t batch, base;
	reader_batch_fn fn;
	void *user;
};

/* The reading stops for want of memory. */
static bool nomem(struct jstream *s)
{
	if (s->status == STATUS_OK)
		s->status = status_set(s->err, STATUS_NOMEM, NULL);
	return false;
}

/* The reading stops: why, and where in the file (false). The format is
 * English, marked with N_() (status_set translates it), and ends with
 * "(near byte %zu)", s->offset being the last argument. */
#define STOP(s, code, ...)                                                     \
	((s)->status == STATUS_OK                                              \
		 ? ((s)->status = status_set((s)->err, code, __VA_ARGS__), false) \
		 : false)

static bool capture(struct jstream *s, char c)
{
	if (s->text.len + 3 > STREAM_ITEM_MAX)
		return s->where == IN_ITEM
			       ? STOP(s, STATUS_TOO_LARGE,
				      N_("a card of the order is larger than 1 MB (near "
					 "byte %zu)"),
				      s->offset)
			       : STOP(s, STATUS_TOO_LARGE,
				      N_("a value beside the cards is larger than 1 MB "
					 "(near byte %zu)"),
				      s->offset);
	strbuf_add(&s->text, &c, 1);
	return s->text.failed ? nomem(s) : true;
}

static void flush(struct jstream *s)
{
	size_t n = s->order->n_cards;

	if (!s->fn || n == 0 || s->status != STATUS_OK)
		return;
	if (s->fn(s->order, s->base, s->user) < 0)
		s->status = status_set(s->err, STATUS_NOMEM, NULL);
	for (size_t i = 0; i < n; i++)
		card_free(&s->order->cards[i]);
	s->order->n_cards = 0;
	s->base += n;
}

/* The captured value is whole: a card goes to the reader, another value
 * is only checked. */
static bool finish_value(struct jstream *s, bool is_card)
{
	struct json_object *root = NULL;
	struct jparse_info info;
	struct json_dup dup;
	enum jparse r;

	if (!capture(s, ']'))
		return false;
	r = json_parse_limited(s->text.data, s->text.len, STREAM_DEPTH - 1, &root, &info);
	if (r != JPARSE_OK) {
		json_object_put(root);
		if (r == JPARSE_NOMEM)
			return nomem(s);
		s->offset = s->item_start + (info.at > 0 ? info.at - 1 : 0);
		switch (r) {
		case JPARSE_DEPTH:
			return STOP(s, STATUS_TOO_LARGE,
				    N_("the JSON is nested too deep (near byte %zu)"),
				    s->offset);
		case JPARSE_EMPTY:
			return STOP(s, STATUS_FORMAT,
				    N_("the JSON is not valid: empty (near byte %zu)"),
				    s->offset);
		case JPARSE_NUL:
			return STOP(s, STATUS_FORMAT,
				    N_("the JSON is not valid: it holds a NUL byte (near "
				       "byte %zu)"),
				    s->offset);
		case JPARSE_NON_FINITE:
			return STOP(s, STATUS_FORMAT,
				    N_("the JSON is not valid: it holds NaN or Infinity "
				       "(near byte %zu)"),
				    s->offset);
		default:
			return STOP(s, STATUS_FORMAT,
				    /* TRANSLATORS: %s is the JSON library's reason,
				       in English. */
				    N_("the JSON is not valid: %s (near byte %zu)"),
				    json_parse_describe(r, &info), s->offset);
		}
	}
	if (!is_card) {
		/* beside the cards: only checked, as the whole reader does */
		if (json_duplicate_key(s->text.data, s->text.len, &dup)) {
			json_object_put(root);
			return STOP(s, STATUS_FORMAT,
				    N_("the key \"%s\" is given twice in the order; give "
				       "it once (near byte %zu)"),
				    dup.key, s->offset);
		}
	} else {
		size_t before = s->order->n_cards;

		s->position++;
		int rc = reader_json_item(s->order, json_object_array_get_idx(root, 0),
					  s->position, s->base + s->order->n_cards, s->problems);

		if (rc == 0 && json_duplicate_key(s->text.data, s->text.len, &dup))
			rc = problems_add(s->problems, SEVERITY_ERROR,
					  s->order->n_cards > before
						  ? s->base + s->order->n_cards - 1
						  : PROBLEM_NO_CARD,
					  (unsigned)s->position, dup.key,
					  "\"%s\" is given twice in this card: which value is "
					  "meant is not known; give it once", dup.key);
		if (rc < 0)
			s->status = status_set(s->err, STATUS_NOMEM, NULL);
		if (s->batch && s->order->n_cards >= s->batch)
			flush(s);
	}
	json_object_put(root);
	s->text.len = 0;
	return s->status == STATUS_OK;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* One byte of a captured value: strings and nesting followed, so that its
 * end is found. True while it goes on; *done once it has ended (the byte
 * that ends a scalar is not part of it and is given back). */
static bool value_byte(struct jstream *s, char c, bool *done, bool *give_back)
{
	*done = *give_back = false;
	if (s->in_string) {
		if (s->escape)
			s->escape = false;
		else if (c == '\\')
			s->escape = true;
		else if (c == '"')
			s->in_string = false;
		return capture(s, c);
	}
	if (s->depth == 0 && s->text.len > 1 && (c == ',' || c == ']' || c == '}' || blank(c))) {
		*done = *give_back = true; /* the end of a scalar */
		return true;
	}
	if (c == '"')
		s->in_string = true;
	else if (c == '{' || c == '[') {
		if (++s->depth > STREAM_DEPTH)
			return STOP(s, STATUS_TOO_LARGE,
				    N_("the JSON is nested too deep (near byte %zu)"),
				    s->offset);
	} else if (c == '}' || c == ']') {
		if (s->depth == 0)
			return STOP(s, STATUS_FORMAT,
				    N_("the JSON is not valid: a bracket closes what was "
				       "not opened (near byte %zu)"),
				    s->offset);
		s->depth--;
	}
	if (!capture(s, c))
		return false;
	if (s->depth == 0 && (c == '}' || c == ']' || (c == '"' && s->text.len > 2)))
		*done = true; /* an object, a list or a string is whole */
	return true;
}

static void start_value(struct jstream *s)
{
	s->text.len = 0;
	s->depth = 0;
	s->in_string = s->escape = false;
	s->item_start = s->offset;
	(void)capture(s, '[');
}

static bool step(struct jstream *s, char c)
{
	bool done, give_back;

	switch (s->where) {
	case AT_START:
		if (blank(c))
			return true;
		if (c == '[') {
			s->top_is_list = true;
			s->list_is_cards = true;
			s->where = IN_LIST;
			return true;
		}
		if (c == '{') {
			s->where = IN_OBJECT;
			return true;
		}
		return STOP(s, STATUS_FORMAT,
			    N_("a JSON order is {\"cards\": [{\"card\": {...}}, ...]}, and "
			       "this file is not one (near byte %zu)"),
			    s->offset);
	case IN_OBJECT:
		if (blank(c))
			return true;
		if (c == '"') {
			s->key_len = 0;
			s->escape = false;
			s->where = IN_KEY;
			return true;
		}
		if (c == '}' && !s->seen_other_key && !s->seen_cards) {
			s->where = AT_END;
			return true;
		}
		return STOP(s, STATUS_FORMAT,
			    N_("the JSON is not valid: a key in quotes is expected (near "
			       "byte %zu)"),
			    s->offset);
	case IN_KEY:
		if (s->escape || c != '"') {
			s->escape = !s->escape && c == '\\';
			if (s->key_len + 1 < sizeof(s->key))
				s->key[s->key_len++] = c;
			return true;
		}
		s->key[s->key_len] = '\0';
		for (size_t i = 0; i < s->n_top; i++)
			if (strcmp(s->top_keys[i], s->key) == 0)
				return STOP(s, STATUS_FORMAT,
					    N_("the key \"%s\" is given twice in the order; "
					       "give it once (near byte %zu)"),
					    s->key, s->offset);
		if (s->n_top < sizeof(s->top_keys) / sizeof(s->top_keys[0]))
			memcpy(s->top_keys[s->n_top++], s->key, s->key_len + 1);
		s->where = AFTER_KEY;
		return true;
	case AFTER_KEY:
		if (blank(c))
			return true;
		if (c != ':')
			return STOP(s, STATUS_FORMAT,
				    N_("the JSON is not valid: ':' is expected after a key "
				       "(near byte %zu)"),
				    s->offset);
		s->where = BEFORE_VALUE;
		return true;
	case BEFORE_VALUE:
		if (blank(c))
			return true;
		if (strcmp(s->key, "cards") == 0) {
			s->seen_cards = true;
			if (c != '[')
				return STOP(s, STATUS_FORMAT,
					    N_("a JSON order is {\"cards\": [{\"card\": {...}}, "
					       "...]}, and its \"cards\" is not a list (near "
					       "byte %zu)"),
					    s->offset);
			s->where = IN_LIST;
			return true;
		}
		s->seen_other_key = true;
		start_value(s);
		s->where = IN_OTHER;
		return step(s, c);
	case IN_LIST:
		if (blank(c))
			return true;
		if (c == ',') {
			if (!s->after_item)
				return STOP(s, STATUS_FORMAT,
					    N_("the JSON is not valid: a ',' where a card is "
					       "expected (near byte %zu)"),
					    s->offset);
			s->after_item = false;
			s->after_comma = true;
			return true;
		}
		if (c == ']') {
			if (s->after_comma)
				return STOP(s, STATUS_FORMAT,
					    N_("the JSON is not valid: a ',' before the end of "
					       "the list (near byte %zu)"),
					    s->offset);
			s->where = s->top_is_list ? AT_END : AFTER_VALUE;
			return true;
		}
		if (s->after_item)
			return STOP(s, STATUS_FORMAT,
				    N_("the JSON is not valid: ',' is expected between "
				       "cards (near byte %zu)"),
				    s->offset);
		s->after_comma = false;
		start_value(s);
		s->where = IN_ITEM;
		return step(s, c);
	case IN_ITEM:
	case IN_OTHER:
		if (!value_byte(s, c, &done, &give_back))
			return false;
		if (!done)
			return true;
		if (!finish_value(s, s->where == IN_ITEM))
			return false;
		s->after_item = s->where == IN_ITEM;
		s->where = s->where == IN_ITEM ? IN_LIST : AFTER_VALUE;
		return give_back ? step(s, c) : true;
	case AFTER_VALUE:
		if (blank(c))
			return true;
		if (c == ',') {
			s->where = IN_OBJECT;
			return true;
		}
		if (c == '}') {
			s->where = AT_END;
			return true;
		}
		return STOP(s, STATUS_FORMAT,
			    N_("the JSON is not valid: ',' or '}' is expected after a "
			       "value (near byte %zu)"),
			    s->offset);
	case AT_END:
		if (blank(c))
			return true;
		return STOP(s, STATUS_FORMAT,
			    N_("the JSON is not valid: more text after the order (near "
			       "byte %zu)"),
			    s->offset);
	}
	return true;
}

static enum status run(struct jstream *s, FILE *in)
{
	char buf[65536];
	size_t n, i;
	bool first = true;

	while (s->status == STATUS_OK && (n = fread(buf, 1, sizeof(buf), in)) > 0) {
		i = 0;
		if (first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
			i = 3;
		first = false;
		for (; i < n && s->status == STATUS_OK; i++, s->offset++) {
			if (buf[i] == '\0')
				return status_set(s->err, STATUS_FORMAT, "the JSON is not valid: a "
								      "NUL byte near byte %zu",
						  s->offset);
			step(s, buf[i]);
		}
	}
	if (s->status != STATUS_OK)
		return s->status;
	if (ferror(in))
		return status_set(s->err, STATUS_IO, "the order could not be read");
	if (s->where == AT_START)
		return status_set(s->err, STATUS_FORMAT, "the file is empty: a JSON order is "
							 "{\"cards\": [{\"card\": {...}}, ...]}");
	if (s->where == IN_ITEM && s->depth == 0 && !s->in_string && s->text.len > 1)
		return STOP(s, STATUS_FORMAT,
			    N_("the JSON is not valid: the list of cards is not closed "
			       "(near byte %zu)"),
			    s->offset),
		       s->status;
	if (s->where != AT_END)
		return STOP(s, STATUS_FORMAT,
			    N_("the JSON is not valid: the file ends before the order "
			       "does (near byte %zu)"),
			    s->offset),
		       s->status;
	if (!s->top_is_list && !s->seen_cards)
		return status_set(s->err, STATUS_FORMAT,
				  "a JSON order is {\"cards\": [{\"card\": {...}}, ...]}, and "
				  "this file has no \"cards\" list");
	flush(s);
	return s->status;
}

enum status reader_stream_json(FILE *in, size_t batch, reader_batch_fn fn, void *user,
			       struct problem_list *problems, struct status_error *err)
{
	struct order order;
	struct jstream s = { .order = &order, .problems = problems, .err = err,
			     .batch = batch ? batch : 50, .fn = fn, .user = user };
	enum status st;

	order_init(&order);
	st = run(&s, in);
	strbuf_free(&s.text);
	order_free(&order);
	return st;
}

enum status reader_read_json_file(FILE *in, struct order *order,
				  struct problem_list *problems, struct status_error *err)
{
	struct jstream s = { .order = order, .problems = problems, .err = err };
	enum status st = run(&s, in);

	strbuf_free(&s.text);
	return st;
}
