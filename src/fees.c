/* fees.c: the card fee table (see fees.h). */
#include "config.h"

#include "fees.h"
#include "fsutil.h"
#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FEES_MAX_FILE (64 * 1024)

extern const char fees_default_text[];

/* "5", "8.5" or "1.25" euros, at most 100 000, into cents. */
static bool parse_amount(const char *s, int64_t *cents)
{
	int64_t euros = 0, frac = 0;
	int digits = 0, decimals = 0;

	while (*s == ' ')
		s++;
	for (; isdigit((unsigned char)*s) && digits < 7; s++, digits++)
		euros = euros * 10 + (*s - '0');
	if (digits == 0)
		return false;
	if (*s == '.' || *s == ',') {
		for (s++; isdigit((unsigned char)*s) && decimals < 2; s++, decimals++)
			frac = frac * 10 + (*s - '0');
		if (decimals == 0)
			return false;
		if (decimals == 1)
			frac *= 10;
	}
	while (*s == ' ')
		s++;
	if (*s || euros > 100000)
		return false;
	*cents = euros * 100 + frac;
	return true;
}

/* "# key: value" into out, when the comment is that key. */
static void comment_key(const char *line, const char *key, char *out, size_t cap)
{
	size_t n = strlen(key);

	line++;
	while (*line == ' ')
		line++;
	if (strncmp(line, key, n) == 0 && line[n] == ':') {
		line += n + 1;
		while (*line == ' ')
			line++;
		snprintf(out, cap, "%s", line);
	}
}

/* One data line: level, once, monthly, note (tab-separated). */
static enum status data_line(struct fee_table *t, char *line, const char *where,
			     unsigned no, struct status_error *err)
{
	char *cols[4] = { NULL, NULL, NULL, NULL }, *c = line, *tab;
	enum card_level level;
	struct fee *f;
	int n = 0;

	/* tab-separated, an empty column kept as one; the note is the rest
	 * of the line, its tabs read as spaces */
	while (c && n < 4) {
		cols[n++] = c;
		tab = n < 4 ? strchr(c, '\t') : NULL;
		if (tab)
			*tab++ = '\0';
		c = tab;
	}
	for (char *k = cols[3]; k && *k; k++)
		if (*k == '\t')
			*k = ' ';
	if (n < 3)
		return status_set(err, STATUS_FORMAT, "%s:%u: expected level, fee once, "
						      "fee a month and a note, separated by tabs",
				  where, no);
	if (!level_parse(cols[0], &level))
		return status_set(err, STATUS_FORMAT, "%s:%u: \"%s\" is not a card level",
				  where, no, cols[0]);
	f = &t->levels[level];
	if (!parse_amount(cols[1], &f->once_cents) ||
	    !parse_amount(cols[2], &f->monthly_cents))
		return status_set(err, STATUS_FORMAT, "%s:%u: fees are amounts in euros "
						      "such as 5 or 1.50",
				  where, no);
	if (!cols[3])
		cols[3] = cols[2] + strlen(cols[2]); /* no note: "" */
	if (text_has_controls(cols[3]))
		return status_set(err, STATUS_FORMAT, "%s:%u: the note holds control "
						      "characters", where, no);
	snprintf(f->note, sizeof(f->note), "%s", cols[3]);
	f->known = true;
	return STATUS_OK;
}

enum status fees_parse(struct fee_table *t, const char *text, const char *where,
		       struct status_error *err)
{
	char *copy = strdup(text), *line, *next;
	enum status st = STATUS_OK;
	unsigned no = 0;

	memset(t, 0, sizeof(*t));
	snprintf(t->from, sizeof(t->from), "%s", where);
	if (!copy)
		return status_set(err, STATUS_NOMEM, NULL);
	for (line = copy; st == STATUS_OK && line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		no++;
		line[strcspn(line, "\r")] = '\0';
		if (line[0] == '#') {
			comment_key(line, "source", t->source, sizeof(t->source));
			comment_key(line, "date", t->date, sizeof(t->date));
			if (text_has_controls(t->source) || text_has_controls(t->date))
				st = status_set(err, STATUS_FORMAT, "%s:%u: the source or "
								    "date holds control "
								    "characters", where, no);
		} else if (line[strspn(line, " \t")] != '\0') {
			st = data_line(t, line, where, no, err);
		}
	}
	free(copy);
	return st;
}

enum status fees_default(struct fee_table *t, struct status_error *err)
{
	return fees_parse(t, fees_default_text, "built in", err);
}

enum status fees_load(struct fee_table *t, const char *path,
		      struct status_error *err)
{
	char *data = NULL;
	size_t len = 0;
	enum status st = fs_read_all(path, FEES_MAX_FILE, &data, &len, err);

	if (st == STATUS_OK && memchr(data, '\0', len))
		st = status_set(err, STATUS_FORMAT, "%s: not a text file", path);
	if (st == STATUS_OK)
		st = fees_parse(t, data, path, err);
	free(data);
	return st;
}
