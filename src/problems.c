/* problems.c: the list of problems found in an order. */
#include "config.h"

#include "problems.h"
#include "i18n.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void problems_init(struct problem_list *list)
{
	memset(list, 0, sizeof(*list));
}

void problems_clear(struct problem_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->items[i].message), free(list->items[i].message_en);
	list->n = 0;
	list->n_errors = 0;
	list->n_warnings = 0;
}

void problems_free(struct problem_list *list)
{
	if (!list)
		return;
	problems_clear(list);
	free(list->items);
	problems_init(list);
}

static int grow(struct problem_list *list)
{
	struct problem *items;
	size_t cap;

	if (list->n < list->cap)
		return 0;
	cap = list->cap ? list->cap * 2 : 16;
	items = realloc(list->items, cap * sizeof(*items));
	if (!items)
		return -1;
	list->items = items;
	list->cap = cap;
	return 0;
}

int problems_add(struct problem_list *list, enum severity severity, size_t card,
		 unsigned row, const char *field, const char *fmt, ...)
{
	const char *shown = _(fmt); /* fmt itself when not translated */
	struct problem *p;
	va_list ap;
	int len;

	if (grow(list) < 0)
		return -1;
	p = &list->items[list->n];
	memset(p, 0, sizeof(*p));
	va_start(ap, fmt);
	len = vasprintf(&p->message, shown, ap);
	va_end(ap);
	if (len < 0)
		return -1;
	if (shown != fmt) {
		char *local = i18n_localize(p->message); /* dates, amounts */

		free(p->message);
		p->message = local;
		va_start(ap, fmt);
		len = vasprintf(&p->message_en, fmt, ap);
		va_end(ap);
		if (len < 0 || !local) {
			free(p->message), free(p->message_en);
			return -1;
		}
	}
	p->severity = severity;
	p->card = card;
	p->row = row;
	p->seq = list->n;
	snprintf(p->field, sizeof(p->field), "%s", field ? field : "");
	list->n++;
	if (severity == SEVERITY_ERROR)
		list->n_errors++;
	else
		list->n_warnings++;
	return 0;
}

void problems_remove_card(struct problem_list *list, size_t card)
{
	size_t w = 0;

	for (size_t r = 0; r < list->n; r++) {
		struct problem *p = &list->items[r];

		if (p->card == card) {
			if (p->severity == SEVERITY_ERROR)
				list->n_errors--;
			else
				list->n_warnings--;
			free(p->message), free(p->message_en);
			continue;
		}
		list->items[w++] = *p;
	}
	list->n = w;
}

static int by_row(const void *a, const void *b)
{
	const struct problem *pa = a, *pb = b;

	if (pa->row != pb->row)
		return pa->row < pb->row ? -1 : 1;
	return pa->seq < pb->seq ? -1 : pa->seq > pb->seq;
}

void problems_sort(struct problem_list *list)
{
	if (list->n > 1)
		qsort(list->items, list->n, sizeof(list->items[0]), by_row);
}

const char *problem_message_en(const struct problem *problem)
{
	return problem->message_en ? problem->message_en : problem->message;
}

char *problem_format(const struct problem *problem, const char *path)
{
	char *safe_path = text_sanitize(path ? path : "-");
	char *safe_field = text_sanitize(problem->field);
	char *safe_msg = text_sanitize(problem->message);
	char *out = NULL;

	if (safe_path && safe_field && safe_msg &&
	    asprintf(&out, "%s:%u:%s: %s%s", safe_path, problem->row,
		     safe_field,
		     problem->severity == SEVERITY_WARNING ? "warning: " : "",
		     safe_msg) < 0)
		out = NULL;
	free(safe_path);
	free(safe_field);
	free(safe_msg);
	return out;
}
