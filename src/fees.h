/* fees.h: what Qonto charges for a card, by level, for the cost estimate
 * of `check` and the review. The table is data (assets/fees.tsv, compiled
 * in), with its source and date; the config key fees_file replaces it
 * with a file of the same form, since prices change by plan and over
 * time. */
#ifndef CARDORDER_FEES_H
#define CARDORDER_FEES_H

#include <stdbool.h>
#include <stdint.h>

#include "fields.h"
#include "status.h"

struct fee {
	bool known;
	int64_t once_cents;    /* on ordering */
	int64_t monthly_cents; /* each month the card lives */
	char note[160];
};

struct fee_table {
	struct fee levels[LEVEL_COUNT];
	char source[300]; /* "# source: ..." of the file, or "" */
	char date[40];    /* "# date: ..." */
	char from[200];   /* "built in", or the file's path */
};

/* The built-in table (assets/fees.tsv). */
enum status fees_default(struct fee_table *t, struct status_error *err);
/* A table from a file of the same form (fees_file); errors name the
 * line. */
enum status fees_load(struct fee_table *t, const char *path,
		      struct status_error *err);
/* The same from text (exposed for tests); where names it in errors. */
enum status fees_parse(struct fee_table *t, const char *text, const char *where,
		       struct status_error *err);

#endif
