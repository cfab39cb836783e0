/* results.c: per-card outcomes and the results export. */
#include "config.h"

#include "results.h"
#include "i18n.h"
#include "strbuf.h"
#include "fsutil.h"
#include "jsonutil.h"
#include "text.h"

#include <csv.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum status results_init(struct results *res, size_t n_cards,
			 struct status_error *err)
{
	res->n = n_cards;
	res->cards = calloc(n_cards ? n_cards : 1, sizeof(*res->cards));
	if (!res->cards)
		return status_set(err, STATUS_NOMEM, NULL);
	return STATUS_OK;
}

void card_request_info_free(struct card_request_info *info)
{
	free(info->holder_id);
	free(info->card_level);
	free(info->pre_expires_at);
	memset(info, 0, sizeof(*info));
}

static void result_clear_outcome(struct card_result *r)
{
	card_object_free(&r->card);
	free(r->error_code);
	free(r->error_detail);
	r->error_code = r->error_detail = NULL;
	r->error_field[0] = '\0';
}

void results_free(struct results *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->n; i++) {
		result_clear_outcome(&res->cards[i]);
		card_request_info_free(&res->cards[i].asked);
		free(res->cards[i].holder_name);
	}
	free(res->cards);
	res->cards = NULL;
	res->n = 0;
}

const char *const result_state_names[RESULT_STATE_COUNT] = {
#define RESULT_NAME(e, name) name,
	RESULT_STATE_LIST(RESULT_NAME)
#undef RESULT_NAME
};

void results_count(const struct results *res, size_t counts[RESULT_STATE_COUNT])
{
	memset(counts, 0, RESULT_STATE_COUNT * sizeof(counts[0]));
	for (size_t i = 0; i < res->n; i++)
		counts[res->cards[i].state]++;
}

enum status results_fail(struct results *res, size_t i, unsigned request,
			 enum result_state state, const char *code,
			 const char *detail, const char *field)
{
	struct card_result *r = &res->cards[i];

	result_clear_outcome(r);
	r->state = state;
	r->request = request;
	r->error_code = code ? strdup(code) : NULL;
	r->error_detail = detail ? strdup(detail) : NULL;
	snprintf(r->error_field, sizeof(r->error_field), "%s", field ? field : "");
	if ((code && !r->error_code) || (detail && !r->error_detail))
		return STATUS_NOMEM;
	return STATUS_OK;
}

void results_created(struct results *res, size_t i, unsigned request,
		     struct card_object *card)
{
	struct card_result *r = &res->cards[i];

	result_clear_outcome(r);
	r->state = RESULT_CREATED;
	r->request = request;
	r->card = *card;
	memset(card, 0, sizeof(*card));
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A created row, for finding it by card id. */
struct row_ref {
	struct card_result *r;
};

/* By halves in the rows sorted by card id. */
static int by_card_id(const void *a, const void *b)
{
	return strcmp(((const struct row_ref *)a)->r->card.id,
		      ((const struct row_ref *)b)->r->card.id);
}

size_t results_refresh(struct results *res, struct card_object *fresh, size_t n,
		       bool *changed)
{
	struct row_ref *by_id = malloc((res->n ? res->n : 1) * sizeof(*by_id));
	size_t n_made = 0, n_changed = 0;

	if (!by_id)
		return (size_t)-1;
	for (size_t i = 0; i < res->n; i++)
		if (res->cards[i].state == RESULT_CREATED && res->cards[i].card.id)
			by_id[n_made++].r = &res->cards[i];
	qsort(by_id, n_made, sizeof(*by_id), by_card_id);
	for (size_t k = 0; k < n; k++) {
		size_t lo = 0, hi = n_made, mid;
		struct card_result *r = NULL;
		int cmp;

		while (!r && fresh[k].id && lo < hi) {
			mid = lo + (hi - lo) / 2;
			cmp = strcmp(by_id[mid].r->card.id, fresh[k].id);
			if (cmp == 0)
				r = by_id[mid].r;
			else if (cmp < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!r)
			continue; /* not this order's: ignored */
		if (!same_text(r->card.status, fresh[k].status) ||
		    r->card.pin_set != fresh[k].pin_set ||
		    !same_text(r->card.shipped_at, fresh[k].shipped_at)) {
			n_changed++;
			if (changed)
				changed[r - res->cards] = true;
		}
		card_object_free(&r->card);
		r->card = fresh[k];
		memset(&fresh[k], 0, sizeof(fresh[k]));
	}
	free(by_id);
	return n_changed;
}

static bool dup_or_null(const char *s, char **out)
{
	*out = s ? strdup(s) : NULL;
	return !s || *out;
}

enum status results_set_asked(struct results *res, size_t i,
			      const char *holder_id, const char *card_level,
			      const char *pre_expires_at, const int64_t limits[LIMIT_COUNT],
			      unsigned has_limits)
{
	struct card_request_info *dst = &res->cards[i].asked;

	card_request_info_free(dst);
	memcpy(dst->limits, limits, sizeof(dst->limits));
	dst->has_limits = has_limits;
	if (!dup_or_null(holder_id, &dst->holder_id) ||
	    !dup_or_null(card_level, &dst->card_level) ||
	    !dup_or_null(pre_expires_at, &dst->pre_expires_at))
		return STATUS_NOMEM;
	return STATUS_OK;
}

void results_set_holder_names(struct results *res, const char *names_json)
{
	json_object *map = NULL, *v;

	if (!names_json || json_parse_limited(names_json, strlen(names_json), 4, &map,
					      NULL) != JPARSE_OK)
		return;
	for (size_t i = 0; i < res->n; i++) {
		const char *id = res->cards[i].asked.holder_id;

		if (id && !res->cards[i].holder_name &&
		    json_object_object_get_ex(map, id, &v) &&
		    json_object_is_type(v, json_type_string))
			res->cards[i].holder_name = strdup(json_object_get_string(v));
	}
	json_object_put(map);
}

const char *results_status_text(const struct card_result *r)
{
	if (r->state == RESULT_CREATED && r->card.status)
		return r->card.status;
	return (unsigned)r->state < RESULT_STATE_COUNT ? result_state_names[r->state]
						       : "unknown";
}

const char *results_status_label(const struct card_result *r)
{
	/* TRANSLATORS: a card's status (Qonto's) or what became of it;
	   at most 9 columns (the results table). */
	static const char *const labels[] = {
		NC_("card status", "pending"), NC_("card status", "live"),
		NC_("card status", "paused"), NC_("card status", "stolen"),
		NC_("card status", "lost"), NC_("card status", "pin_blocked"),
		NC_("card status", "discarded"), NC_("card status", "expired"),
		NC_("card status", "abusive"), NC_("card status", "shipped_lost"),
		NC_("card status", "onhold"), NC_("card status", "order_canceled"),
		NC_("card status", "pre_expired"), NC_("card status", "not_sent"),
		NC_("card status", "created"), NC_("card status", "failed"),
		NC_("card status", "unknown"),
	};
	const char *text = results_status_text(r);

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(strchr(labels[i], '\004') + 1, text) == 0)
			return i18n_pgettext(labels[i], NULL);
	return text; /* one Qonto added since: as it says it */
}

const char *results_detail_label(const struct card_result *r)
{
	/* _("") would be the catalogue's header */
	return r->error_detail && *r->error_detail ? _(r->error_detail) : r->error_detail;
}

/* ---- rows: the columns of PRODUCT.md, in order ---- */

enum col_kind { COL_TEXT, COL_INT, COL_BOOL }; /* a bool: text "true"/"false" */

struct cell {
	enum col_kind kind;
	const char *text; /* COL_TEXT, may be NULL */
	int64_t value;    /* COL_INT */
	bool present;     /* COL_INT */
};

#define N_COLS 24
static const char *const columns[N_COLS] = {
	"row", "request", "holder_id", "holder_name", "card_level", "status",
	"card_id", "mask_pan", "last_digits", "exp_month", "exp_year",
	"embossed_name",
#define LIMIT_COLUMN(name, member) #member,
	LIMIT_LIST(LIMIT_COLUMN)
#undef LIMIT_COLUMN
	"pre_expires_at", "error_code",
	"error_detail", "error_field",
	/* issue 15: where the card stands after the order */
	"pin_set", "shipped_at",
};

/* A limit: the card's own when it came back with it, else what was asked. */
static struct cell limit_cell(const struct card_result *r, int k)
{
	struct cell c = { .kind = COL_INT };

	if (r->state == RESULT_CREATED && (r->card.has_limits & (1u << k))) {
		c.value = *card_object_limit_const(&r->card, (enum limit_index)k);
		c.present = true;
	} else if (r->asked.has_limits & (1u << k)) {
		c.value = r->asked.limits[k];
		c.present = true;
	}
	return c;
}

static struct cell text_cell(const char *s)
{
	struct cell c = { .kind = COL_TEXT, .text = s };
	return c;
}

static struct cell int_cell(int64_t v)
{
	struct cell c = { .kind = COL_INT, .value = v, .present = true };
	return c;
}

static void make_row(const struct card_result *r, size_t i, struct cell *cells)
{
	const struct card_object *c = &r->card;
	bool made = r->state == RESULT_CREATED;

	cells[0] = int_cell((int64_t)i + 1);
	cells[1] = r->request ? int_cell(r->request) : text_cell(NULL);
	cells[2] = text_cell(made && c->holder_id ? c->holder_id : r->asked.holder_id);
	cells[3] = text_cell(r->holder_name);
	cells[4] = text_cell(made && c->card_level ? c->card_level : r->asked.card_level);
	cells[5] = text_cell(results_status_text(r));
	cells[6] = text_cell(made ? c->id : NULL);
	cells[7] = text_cell(made ? c->mask_pan : NULL);
	cells[8] = text_cell(made ? c->last_digits : NULL);
	cells[9] = text_cell(made ? c->exp_month : NULL);
	cells[10] = text_cell(made ? c->exp_year : NULL);
	cells[11] = text_cell(made ? c->embossed_name : NULL);
	for (int k = 0; k < LIMIT_COUNT; k++)
		cells[12 + k] = limit_cell(r, k);
	cells[18] = text_cell(made && c->pre_expires_at ? c->pre_expires_at
							: r->asked.pre_expires_at);
	cells[19] = text_cell(r->error_code);
	cells[20] = text_cell(r->error_detail);
	cells[21] = text_cell(r->error_field[0] ? r->error_field : NULL);
	cells[22] = text_cell(made && c->pin_set >= 0 ? (c->pin_set ? "true" : "false")
						    : NULL);
	cells[22].kind = COL_BOOL;
	cells[23] = text_cell(made ? c->shipped_at : NULL);
}

/* ---- a growing buffer ---- */

/* A text cell: control characters made visible, a formula neutralised
 * with a leading ' (OWASP CSV injection), quoted by libcsv. */
void results_csv_text(struct strbuf *b, const char *s)
{
	char *safe, *cell = NULL, *quoted = NULL;
	size_t len, need;

	if (!s || !*s)
		return;
	safe = text_sanitize(s);
	if (!safe || asprintf(&cell, "%s%s", text_is_formula(s) ? "'" : "",
			      safe) < 0)
		cell = NULL;
	free(safe);
	len = cell ? strlen(cell) : 0;
	need = cell ? csv_write(NULL, 0, cell, len) : 0;
	quoted = cell ? malloc(need + 1) : NULL;
	if (!quoted) {
		b->failed = true;
	} else {
		strbuf_add(b, quoted, csv_write(quoted, need, cell, len));
	}
	free(quoted);
	free(cell);
}

bool csv_format_parse(const char *name, enum csv_format *out)
{
	if (name && strcmp(name, "standard") == 0)
		*out = CSV_STANDARD;
	else if (name && strcmp(name, "excel-fr") == 0)
		*out = CSV_EXCEL_FR;
	else
		return false;
	return true;
}

void results_csv_header(struct strbuf *b, const char *const *names, size_t n, char sep)
{
	for (size_t k = 0; k < n; k++) {
		if (k)
			strbuf_add(b, &sep, 1);
		strbuf_str(b, names[k]);
	}
	strbuf_add(b, "\r\n", 2);
}

enum csv_format csv_format_choose(const char *option, const char *configured)
{
	enum csv_format f = CSV_STANDARD;

	if (!csv_format_parse(option, &f))
		csv_format_parse(configured, &f);
	return f;
}

char csv_format_begin(enum csv_format format, struct strbuf *b)
{
	if (format != CSV_EXCEL_FR)
		return ',';
	strbuf_str(b, "\xEF\xBB\xBF");
	return ';';
}

static void csv_row(struct strbuf *b, const struct cell *cells, char sep)
{
	char num[32];

	for (int k = 0; k < N_COLS; k++) {
		if (k)
			strbuf_add(b, &sep, 1);
		if (cells[k].kind != COL_INT) {
			results_csv_text(b, cells[k].text);
		} else if (cells[k].present) {
			snprintf(num, sizeof(num), "%" PRId64, cells[k].value);
			strbuf_str(b, num);
		}
	}
	strbuf_add(b, "\r\n", 2);
}

static void export_csv(const struct results *res, enum csv_format format,
		       struct strbuf *b)
{
	struct cell cells[N_COLS];
	char sep = csv_format_begin(format, b);

	results_csv_header(b, columns, N_COLS, sep);
	for (size_t i = 0; i < res->n && !b->failed; i++) {
		make_row(&res->cards[i], i, cells);
		csv_row(b, cells, sep);
	}
}

static json_object *json_cell(const struct cell *c)
{
	if (c->kind == COL_INT)
		return c->present ? json_object_new_int64(c->value) : NULL;
	if (c->kind == COL_BOOL)
		return c->text ? json_object_new_boolean(c->text[0] == 't') : NULL;
	return c->text ? json_object_new_string(c->text) : NULL;
}

static int add_card_json(json_object *obj, const struct card_result *r)
{
	json_object *card = NULL;

	if (r->state == RESULT_CREATED && r->card.json &&
	    json_parse_limited(r->card.json, strlen(r->card.json),
			       RESPONSE_MAX_DEPTH, &card, NULL) != JPARSE_OK)
		card = NULL;
	return json_object_object_add(obj, "card", card);
}

static json_object *json_row(const struct card_result *r, size_t i)
{
	struct cell cells[N_COLS];
	json_object *obj = json_object_new_object(), *val;

	if (!obj)
		return NULL;
	make_row(r, i, cells);
	for (int k = 0; k < N_COLS; k++) {
		val = json_cell(&cells[k]);
		if ((!val && cells[k].kind == COL_TEXT && cells[k].text) ||
		    json_object_object_add(obj, columns[k], val) < 0) {
			json_object_put(val);
			json_object_put(obj);
			return NULL;
		}
	}
	if (add_card_json(obj, r) < 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static void export_json(const struct results *res, struct strbuf *b)
{
	const char *text;
	json_object *row;
	size_t len;

	strbuf_str(b, "[");
	for (size_t i = 0; i < res->n && !b->failed; i++) {
		row = json_row(&res->cards[i], i);
		text = row ? json_object_to_json_string_length(
				     row, JSON_C_TO_STRING_PLAIN |
						  JSON_C_TO_STRING_NOSLASHESCAPE,
				     &len)
			   : NULL;
		if (!text) {
			b->failed = true;
		} else {
			strbuf_str(b, i ? ",\n" : "\n");
			strbuf_add(b, text, len);
		}
		json_object_put(row);
	}
	strbuf_str(b, "\n]\n");
}

enum status results_export_buffer(const struct results *res, bool json,
				  enum csv_format format, char **out, size_t *len,
				  struct status_error *err)
{
	struct strbuf b = { 0 };

	if (json)
		export_json(res, &b);
	else
		export_csv(res, format, &b);
	if (b.failed) {
		free(b.data);
		return status_set(err, STATUS_NOMEM, NULL);
	}
	*out = b.data;
	*len = b.len;
	return STATUS_OK;
}

enum status results_export(const struct results *res, const char *path,
			   enum csv_format format, struct status_error *err)
{
	size_t n = strlen(path), len;
	bool json = n >= 5 && strcasecmp(path + n - 5, ".json") == 0;
	enum status st;
	char *data = NULL;
	struct stat sb;

	/* The new file is renamed over the old: over a device, a pipe or a
	 * link that would replace them (as root, /dev/null itself), so only
	 * a regular file, or no file, is replaced. */
	if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return status_set(err, STATUS_IO,
				  "%s is not a regular file (a device, a pipe, a link "
				  "or a directory): export to a file of its own",
				  path);
	len = 0;
	st = results_export_buffer(res, json, format, &data, &len, err);
	if (st != STATUS_OK)
		return st;
	st = fs_write_atomic(path, data, len, err);
	free(data);
	return st;
}
