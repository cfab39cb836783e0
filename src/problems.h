/* problems.h: what is wrong with an order, row by row and field by field. */
#ifndef CARDORDER_PROBLEMS_H
#define CARDORDER_PROBLEMS_H

#include <stddef.h>

enum severity { SEVERITY_ERROR, SEVERITY_WARNING };

#define PROBLEM_NO_CARD ((size_t)-1)

struct problem {
	enum severity severity;
	size_t card;     /* index in the order, or PROBLEM_NO_CARD */
	unsigned row;    /* row as PRODUCT.md defines it; 0 for the whole file */
	char field[64];  /* API field name ("address.zipcode"), or "" */
	char *message;   /* owned; a sentence a finance person can act on, in
			  * the person's language */
	char *message_en; /* owned; the same in English when it differs (JSON
			   * output), else NULL: see problem_message_en */
	size_t seq;      /* order of addition, keeps sorting stable */
};

struct problem_list {
	struct problem *items; /* owned */
	size_t n;
	size_t cap;
	size_t n_errors;
	size_t n_warnings;
};

void problems_init(struct problem_list *list);
void problems_free(struct problem_list *list);
void problems_clear(struct problem_list *list);
/* Adds a problem; returns 0, or -1 when memory runs out. FMT is the English
 * text (xgettext takes it as a message); the problem keeps it translated
 * and, when that differs, as written. */
int problems_add(struct problem_list *list, enum severity severity, size_t card,
		 unsigned row, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* The message in English, for machine-read output (JSON). */
const char *problem_message_en(const struct problem *problem);

/* Removes every problem of one card (index), keeping the others. */
void problems_remove_card(struct problem_list *list, size_t card);

/* Sorts by row, then by order of addition (stable). */
void problems_sort(struct problem_list *list);
/* Formats one problem as "PATH:ROW:FIELD: message" (warnings' messages
 * start with "warning: "), without a newline. Text from the file is
 * sanitised so that nothing reaches a terminal raw. Returns a string the
 * caller owns, or NULL when memory runs out. */
char *problem_format(const struct problem *problem, const char *path);

#endif
