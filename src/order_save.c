/* order_save.c: "save the order as": a draft written as an order file
 * that the readers take back unchanged (PRODUCT.md, "Order files").
 *
 * Every value goes as it was typed, a wrong one too: a saved order is
 * where the person stopped, not a corrected copy. In CSV, a cell that a
 * spreadsheet would run as a formula gets a leading ' (the CSV reader
 * takes it off again). In JSON, a value that the reader understands goes
 * with its JSON type (true, 1500, ["mon","wed"] as 1 and 3...), another as
 * the string typed, which the reader reports as the file's mistake. */
#include "config.h"

#include "order_save.h"
#include "fsutil.h"
#include "catalog.h"
#include "reader.h"
#include "strbuf.h"
#include "text.h"

#include <csv.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *text_of(const struct draft_card *c, int id)
{
	return c->text[id] && c->text[id][0] ? c->text[id] : NULL;
}

static void csv_cell(struct strbuf *o, const char *s, char sep)
{
	const char special[] = { sep, '"', '\r', '\n', '\0' };

	char *cell = NULL, *quoted;
	size_t len, need;

	if (!s)
		return;
	/* a leading ' is taken off by the reader before a formula: one
	 * more keeps a typed "'+33" as it is */
	if (text_formula_after_quotes(s)) {
		len = strlen(s) + 1;
		cell = malloc(len + 1);
		if (!cell) {
			o->failed = true;
			return;
		}
		cell[0] = '\'';
		memcpy(cell + 1, s, len);
		s = cell;
	}
	len = strlen(s);
	if (!strpbrk(s, special) && s[0] != ' ' && (len == 0 || s[len - 1] != ' ')) {
		strbuf_add(o, s, len); /* as it is: nothing to quote */
		free(cell);
		return;
	}
	need = csv_write(NULL, 0, s, len);
	quoted = malloc(need + 1);
	if (quoted)
		strbuf_add(o, quoted, csv_write(quoted, need, s, len));
	else
		o->failed = true;
	free(quoted);
	free(cell);
}

/* One line of the used columns: a card's cells, or (card NULL) the
 * header of field names. */
static void csv_line(struct strbuf *o, const bool *used, const struct draft_card *card,
		     char sep)
{
	bool first = true;

	for (int id = 0; id < FIELD_COUNT; id++) {
		if (!used[id])
			continue;
		if (!first)
			strbuf_add(o, &sep, 1);
		first = false;
		if (card)
			csv_cell(o, text_of(card, id), sep);
		else
			strbuf_str(o, field_get((enum field_id)id)->name);
	}
	strbuf_add(o, "\n", 1);
}

static void write_csv(const struct draft *d, enum csv_format format, struct strbuf *o)
{
	bool used[FIELD_COUNT] = { false };
	char sep = csv_format_begin(format, o);

	/* the columns any card fills, in the order of the fields */
	for (size_t i = 0; i < d->n; i++)
		for (int id = 0; id < FIELD_COUNT; id++)
			used[id] |= text_of(&d->cards[i], id) != NULL;
	used[FIELD_CARD_LEVEL] = true; /* never an empty header */
	csv_line(o, used, NULL, sep);
	for (size_t i = 0; i < d->n; i++)
		csv_line(o, used, &d->cards[i], sep);
}

/* The value of one field as JSON: typed when the reader understands the
 * text, else the text itself. */
static struct json_object *json_value(const char *text, enum field_id id)
{
	const struct field_info *f = field_get(id);
	struct problem_list problems;
	struct json_object *v = NULL, *arr;
	struct card card;
	bool ok;

	card_init(&card);
	problems_init(&problems);
	ok = reader_set_from_text(&card, 0, id, text, &problems) == 0 && problems.n == 0 &&
	     card_has(&card, id);
	if (ok) {
		switch (f->kind) {
		case KIND_BOOL:
			v = json_object_new_boolean(card_bool(&card, id));
			break;
		case KIND_EUROS:
			v = json_object_new_int64(card_euros(&card, id));
			break;
		case KIND_LEVEL:
			v = json_object_new_string(level_name((enum card_level)card.level));
			break;
		case KIND_DAYS:
		case KIND_CATEGORIES:
			arr = json_object_new_array();
			for (size_t k = 0; arr && k < (f->kind == KIND_DAYS ? card.n_days
									  : card.n_categories); k++)
				json_object_array_add(arr, f->kind == KIND_DAYS
						? json_object_new_int(card.days[k])
						: json_object_new_string(
							  catalog_category(card.categories[k])));
			v = arr;
			break;
		default:
			v = NULL; /* text: as typed */
			break;
		}
	}
	card_free(&card);
	problems_free(&problems);
	return v ? v : json_object_new_string(text);
}

static bool write_json(const struct draft *d, struct strbuf *o)
{
	struct json_object *root = json_object_new_object();
	struct json_object *cards = json_object_new_array();
	const char *s;

	if (!root || !cards) {
		json_object_put(root);
		json_object_put(cards);
		return false;
	}
	json_object_object_add(root, "cards", cards);
	for (size_t i = 0; i < d->n; i++) {
		struct json_object *item = json_object_new_object();
		struct json_object *card = json_object_new_object();
		struct json_object *addr = NULL;

		if (!item || !card) {
			json_object_put(item);
			json_object_put(card);
			json_object_put(root);
			return false;
		}
		json_object_object_add(item, "card", card);
		json_object_array_add(cards, item);
		for (int id = 0; id < FIELD_COUNT; id++) {
			const struct field_info *f = field_get((enum field_id)id);
			const char *t = text_of(&d->cards[i], id);

			if (!t)
				continue;
			if (f->flags & FF_ADDRESS) {
				if (!addr) {
					addr = json_object_new_object();
					json_object_object_add(card, "address", addr);
				}
				json_object_object_add(addr, f->json_key,
						       json_value(t, (enum field_id)id));
			} else {
				json_object_object_add(card, f->name,
						       json_value(t, (enum field_id)id));
			}
		}
	}
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							 JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s) {
		strbuf_add(o, s, strlen(s));
		strbuf_add(o, "\n", 1);
	}
	json_object_put(root);
	return s != NULL;
}

bool order_save_is_json(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;

	return dot && (strcmp(dot, ".json") == 0 || strcmp(dot, ".JSON") == 0);
}

enum status order_save(const struct draft *d, const char *path,
		       enum csv_format format, struct status_error *err)
{
	struct strbuf o = { 0 };
	enum status st;

	if (order_save_is_json(path)) {
		if (!write_json(d, &o))
			o.failed = true;
	} else {
		write_csv(d, format, &o);
	}
	if (o.failed) {
		strbuf_free(&o);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	st = fs_write_atomic(path, o.data ? o.data : "", o.len, err);
	strbuf_free(&o);
	return st;
}
