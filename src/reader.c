/* reader.c: what both order readers share: reading the file, choosing the
 * format and turning text into field values. */
#include "config.h"

#include "reader.h"
#include "catalog.h"
#include "fsutil.h"
#include "text.h"
#include "values.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool has_suffix(const char *path, const char *suffix)
{
	size_t lp = strlen(path), ls = strlen(suffix);

	return lp >= ls && strcasecmp(path + lp - ls, suffix) == 0;
}

static enum order_format guess_format(const char *path, const char *data,
				      size_t len)
{
	size_t i = 0;

	if (has_suffix(path, ".csv"))
		return ORDER_FORMAT_CSV;
	if (has_suffix(path, ".json"))
		return ORDER_FORMAT_JSON;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && strchr(" \t\r\n", data[i]))
		i++;
	return i < len && (data[i] == '{' || data[i] == '[') ? ORDER_FORMAT_JSON
							     : ORDER_FORMAT_CSV;
}

enum status reader_read_file(const char *path, struct order *order,
			     struct problem_list *problems,
			     struct status_error *err)
{
	enum status st;
	char *data = NULL, head[4096];
	size_t len = 0;
	struct stat sb;
	FILE *f;

	/* JSON is read a card at a time: neither the file nor a JSON tree of
	 * it is held (a CSV is read whole, and costs little more than it) */
	f = fopen(path, "rb");
	if (f && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size <= (off_t)READER_MAX_BYTES &&
	    guess_format(path, head, fread(head, 1, sizeof(head), f)) == ORDER_FORMAT_JSON) {
		rewind(f);
		free(order->path);
		order->path = strdup(path);
		st = order->path ? reader_read_json_file(f, order, problems, err)
				 : status_set(err, STATUS_NOMEM, NULL);
		fclose(f);
		return st;
	}
	if (f)
		fclose(f);
	st = fs_read_all(path, READER_MAX_BYTES, &data, &len, err);
	if (st != STATUS_OK)
		return st;
	free(order->path);
	order->path = strdup(path);
	if (!order->path) {
		st = status_set(err, STATUS_NOMEM, NULL);
		goto out;
	}
	if (guess_format(path, data, len) == ORDER_FORMAT_JSON)
		st = reader_read_json(data, len, order, problems, err);
	else
		st = reader_read_csv(data, len, order, problems, err);
	/* (JSON here only when the file changed since it was looked at) */
out:
	free(data);
	return st;
}

int reader_set_checked_text(struct card *card, size_t card_index,
			    enum field_id id, const char *text,
			    struct problem_list *problems)
{
	const struct field_info *f = field_get(id);

	if (strlen(text) > READER_MAX_TEXT)
		return problems_add(problems, SEVERITY_ERROR, card_index,
				    card->row, f->name,
				    "the text is longer than %u bytes",
				    READER_MAX_TEXT);
	if (text_has_controls(text))
		return problems_add(problems, SEVERITY_ERROR, card_index,
				    card->row, f->name,
				    "the text holds a control character "
				    "(a line break, tab or escape); remove it");
	return card_set_text(card, id, text) ? 0 : -1;
}

int reader_euros_problem(enum euros_result result, const struct card *card,
			 size_t card_index, enum field_id id, const char *text,
			 struct problem_list *problems)
{
	const char *name = field_get(id)->name;
	char *safe = text_sanitize(text);
	int rc;

	if (!safe)
		return -1;
	if (result == EUROS_CENTS)
		rc = problems_add(problems, SEVERITY_ERROR, card_index,
				  card->row, name,
				  "limits are whole euros, but \"%s\" has cents",
				  safe);
	else if (result == EUROS_RANGE)
		rc = problems_add(problems, SEVERITY_ERROR, card_index,
				  card->row, name,
				  "is out of range: limits are at most %lld "
				  "euros",
				  (long long)VALUE_MAX_EUROS);
	else
		rc = problems_add(problems, SEVERITY_ERROR, card_index,
				  card->row, name,
				  "\"%s\" is not a whole number of euros", safe);
	free(safe);
	return rc;
}

/* What a refused value should have been: one sentence each, so that
 * each is translated whole. */
enum expected { WANT_DAY, WANT_CATEGORY, WANT_BOOL, WANT_LEVEL };

static int bad_value(const struct card *card, size_t card_index,
		     enum field_id id, const char *text, enum expected want,
		     struct problem_list *problems)
{
	const char *field = field_get(id)->name;
	char *safe = text_sanitize(text);
	int rc;

	if (!safe)
		return -1;
	switch (want) {
	case WANT_DAY:
		rc = problems_add(problems, SEVERITY_ERROR, card_index, card->row, field,
				  "\"%s\" is not a day (1 to 7, or mon to sun)", safe);
		break;
	case WANT_CATEGORY:
		rc = problems_add(problems, SEVERITY_ERROR, card_index, card->row, field,
				  "\"%s\" is not a known merchant category (see "
				  "assets/categories.txt)",
				  safe);
		break;
	case WANT_BOOL:
		rc = problems_add(problems, SEVERITY_ERROR, card_index, card->row, field,
				  "\"%s\" is not true or false (or yes/no, 1/0)", safe);
		break;
	default:
		rc = problems_add(problems, SEVERITY_ERROR, card_index, card->row, field,
				  "\"%s\" is not a card level (standard, plus, metal, "
				  "virtual, virtual_partner, flash, advertising)",
				  safe);
		break;
	}
	free(safe);
	return rc;
}

/* Splits a ";"-separated list and feeds each trimmed item to add_one. */
static int each_item(const char *text,
		     int (*add_one)(struct card *, size_t, const char *,
				    struct problem_list *),
		     struct card *card, size_t card_index,
		     struct problem_list *problems)
{
	const char *p = text, *semi;
	char *item;
	int rc = 0;

	while (rc == 0) {
		semi = strchr(p, ';');
		item = text_trim_dup(p, semi ? (size_t)(semi - p) : strlen(p));
		if (!item)
			return -1;
		if (*item || semi)
			rc = add_one(card, card_index, item, problems);
		free(item);
		if (!semi)
			break;
		p = semi + 1;
	}
	return rc;
}

static int add_day(struct card *card, size_t card_index, const char *item,
		   struct problem_list *problems)
{
	int day;

	if (!value_parse_day(item, &day))
		return bad_value(card, card_index, FIELD_ACTIVE_DAYS, item, WANT_DAY,
				 problems);
	if (!card_add_day(card, day))
		return problems_add(problems, SEVERITY_ERROR, card_index,
				    card->row, "active_days",
				    "more than 7 days are listed");
	return 0;
}

static int add_category(struct card *card, size_t card_index, const char *item,
			struct problem_list *problems)
{
	int cat = catalog_category_find(item);

	if (cat < 0)
		return bad_value(card, card_index, FIELD_CATEGORIES, item,
				 WANT_CATEGORY, problems);
	if (!card_add_category(card, cat))
		return problems_add(problems, SEVERITY_ERROR, card_index,
				    card->row, "categories",
				    "more than %d categories are listed",
				    CARD_MAX_CATEGORIES);
	return 0;
}

static int set_list(struct card *card, size_t card_index, enum field_id id,
		    const char *text, struct problem_list *problems)
{
	return each_item(text, id == FIELD_ACTIVE_DAYS ? add_day : add_category,
			 card, card_index, problems);
}

static int set_from_text(struct card *card, size_t card_index,
			 enum field_id id, const char *text,
			 struct problem_list *problems)
{
	const struct field_info *f = field_get(id);
	size_t before = problems->n;
	enum card_level level;
	enum euros_result er;
	int64_t euros;
	bool b;
	int rc = 0;

	card_unset(card, id);
	if (*text == '\0')
		return 0;
	switch (f->kind) {
	case KIND_BOOL:
		if (!value_parse_bool(text, &b))
			return bad_value(card, card_index, id, text, WANT_BOOL,
					 problems);
		card_set_bool(card, id, b);
		return 0;
	case KIND_EUROS:
		er = value_parse_euros(text, &euros);
		if (er != EUROS_OK)
			return reader_euros_problem(er, card, card_index, id,
						    text, problems);
		card_set_euros(card, id, euros);
		return 0;
	case KIND_LEVEL:
		if (!level_parse(text, &level))
			return bad_value(card, card_index, id, text, WANT_LEVEL,
					 problems);
		card_set_level(card, level);
		return 0;
	case KIND_DAYS:
	case KIND_CATEGORIES:
		rc = set_list(card, card_index, id, text, problems);
		/* A list with a bad item is left out whole, never half-sent. */
		if (rc == 0 && problems->n > before)
			card_unset(card, id);
		return rc;
	default:
		return reader_set_checked_text(card, card_index, id, text,
					       problems);
	}
}

int reader_set_from_text(struct card *card, size_t card_index,
			 enum field_id id, const char *text,
			 struct problem_list *problems)
{
	size_t before = problems->n;
	int rc = set_from_text(card, card_index, id, text, problems);

	if (reader_mark(card, id, problems->n > before, text) < 0)
		return -1;
	return rc;
}

int reader_mark(struct card *card, enum field_id id, bool refused,
		const char *text)
{
	if (refused)
		card->invalid |= FIELD_BIT(id);
	else
		card->invalid &= ~FIELD_BIT(id);
	if (!refused && !card_refused(card, id))
		return 0;
	return card_keep_refused(card, id, refused ? text : NULL) ? 0 : -1;
}
