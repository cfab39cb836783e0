/* strbuf.h: a growing string, for text built in pieces (exports, saved
 * orders, a JSON card being read). A failed allocation is remembered and
 * every later addition does nothing, so that callers check once. */
#ifndef CARDORDER_STRBUF_H
#define CARDORDER_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *data; /* owned; NUL-terminated once anything was added */
	size_t len, cap;
	bool failed;
};

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_str(struct strbuf *b, const char *s);
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The text (the caller frees it), b emptied; NULL when an addition
 * failed or nothing was added. */
char *strbuf_take(struct strbuf *b);
/* Frees the text and empties b. */
void strbuf_free(struct strbuf *b);

#endif
