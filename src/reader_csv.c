/* reader_csv.c: CSV order files (RFC 4180 through libcsv). */
#include "config.h"

#include "reader.h"
#include "text.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX_COLUMNS 64

/* A column of the header: a field, or -1 for a column to ignore. */
struct csv_state {
	struct order *order;
	struct problem_list *problems;
	int columns[CSV_MAX_COLUMNS];
	size_t n_columns;
	bool header_done;
	unsigned row;       /* spreadsheet row of the record being read */
	size_t cell;        /* index of the next cell in the record */
	struct card *card;  /* the card of the current record, or NULL */
	size_t card_index;
	bool record_empty;  /* no non-empty cell seen yet in this record */
	bool counted_cells; /* the record had more cells than the header */
	int last_term;      /* character that ended the previous record */
	bool failed;        /* out of memory, or the batch consumer said stop */
	bool stopped;       /* a syntax error: nothing more is read */
	/* streaming: every `batch` cards go to fn and leave the order */
	size_t batch;
	reader_batch_fn fn;
	void *user;
	size_t base;        /* index in the whole file of the order's first card */
};

static void note(struct csv_state *st, int rc)
{
	if (rc < 0)
		st->failed = true;
}

static void header_cell(struct csv_state *st, const char *text)
{
	const struct field_info *f;
	char *safe;

	if (st->n_columns >= CSV_MAX_COLUMNS) {
		if (st->n_columns++ == CSV_MAX_COLUMNS)
			note(st, problems_add(st->problems, SEVERITY_ERROR,
					      PROBLEM_NO_CARD, 1, "",
					      "the header has more than %d "
					      "columns",
					      CSV_MAX_COLUMNS));
		return;
	}
	f = field_by_name(text);
	st->columns[st->n_columns] = f ? (int)f->id : -1;
	for (size_t i = 0; f && i < st->n_columns; i++) {
		if (st->columns[i] == (int)f->id) {
			note(st, problems_add(st->problems, SEVERITY_ERROR,
					      PROBLEM_NO_CARD, 1, text,
					      "the column appears twice in "
					      "the header"));
			st->columns[st->n_columns] = -1;
		}
	}
	if (!f && *text) {
		safe = text_sanitize(text);
		note(st, safe ? problems_add(st->problems, SEVERITY_ERROR,
					     PROBLEM_NO_CARD, 1, safe,
					     "unknown column \"%s\"; columns are "
					     "API field names such as "
					     "holder_id or address.city",
					     safe)
			      : -1);
		free(safe);
	}
	st->n_columns++;
}

static struct card *current_card(struct csv_state *st)
{
	if (!st->card) {
		st->card = order_add_card(st->order);
		if (!st->card) {
			st->failed = true;
			return NULL;
		}
		st->card->row = st->row;
		st->card_index = st->base + st->order->n_cards - 1;
	}
	return st->card;
}

static void data_cell(struct csv_state *st, const char *text)
{
	struct card *card;
	size_t col = st->cell;

	if (col >= st->n_columns) {
		if (!st->counted_cells && *text) {
			st->counted_cells = true;
			note(st, problems_add(st->problems, SEVERITY_ERROR,
					      PROBLEM_NO_CARD, st->row, "",
					      "the row has more cells than "
					      "the header has columns"));
		}
		return;
	}
	if (col >= CSV_MAX_COLUMNS || st->columns[col] < 0 || !*text)
		return;
	/* A leading ' marks text that would otherwise run as a formula
	 * (how a saved order or a spreadsheet protects it): it goes. */
	if (text[0] == '\'' && text_formula_after_quotes(text + 1))
		text++;
	card = current_card(st);
	if (card)
		note(st, reader_set_from_text(card, st->card_index,
					      (enum field_id)st->columns[col],
					      text, st->problems));
}

static const char *column_name(const struct csv_state *st)
{
	if (!st->header_done || st->cell >= st->n_columns ||
	    st->cell >= CSV_MAX_COLUMNS || st->columns[st->cell] < 0)
		return "";
	return field_get((enum field_id)st->columns[st->cell])->name;
}

/* Bytes that are not text are reported and the cell is skipped. */
static bool cell_is_text(struct csv_state *st, const char *data, size_t len)
{
	if (memchr(data, '\0', len))
		note(st, problems_add(st->problems, SEVERITY_ERROR, PROBLEM_NO_CARD,
				      st->row, column_name(st),
				      "the cell holds a NUL byte"));
	else if (!text_utf8_valid(data, len))
		note(st, problems_add(st->problems, SEVERITY_ERROR, PROBLEM_NO_CARD,
				      st->row, column_name(st),
				      "the cell is not UTF-8 text (the file is probably "
				      "Windows-1252, as Excel's \"CSV\" saves it): in "
				      "Excel, save it as \"CSV UTF-8\""));
	else
		return true;
	st->record_empty = false;
	return false;
}

static void on_cell(void *data, size_t len, void *user)
{
	struct csv_state *st = user;
	char *text;

	if (st->failed)
		return;
	if (!data)
		len = 0;
	if (len && !cell_is_text(st, data, len)) {
		st->cell++;
		return;
	}
	text = text_trim_dup(len ? data : "", len);
	if (!text) {
		st->failed = true;
		return;
	}
	if (*text)
		st->record_empty = false;
	if (st->header_done)
		data_cell(st, text);
	else
		header_cell(st, text);
	free(text);
	st->cell++;
}

/* Hands the cards read so far to the consumer and forgets them. */
static void flush(struct csv_state *st)
{
	size_t n = st->order->n_cards;

	if (!n || st->failed)
		return;
	if (st->fn(st->order, st->base, st->user) < 0)
		st->failed = true;
	for (size_t i = 0; i < n; i++)
		card_free(&st->order->cards[i]);
	st->order->n_cards = 0;
	st->base += n;
}

static void on_record(int term, void *user)
{
	struct csv_state *st = user;

	/* The LF of a CRLF pair is reported as an empty record of its own. */
	if (st->cell == 0 && term == '\n' && st->last_term == '\r') {
		st->last_term = term;
		return;
	}
	st->last_term = term;
	/* Blank lines before the header are skipped; after it, a blank row
	 * is still a spreadsheet row and keeps its number. */
	if (!st->header_done && !st->record_empty)
		st->header_done = true;
	st->row++;
	st->cell = 0;
	st->card = NULL;
	st->record_empty = true;
	st->counted_cells = false;
	if (st->batch && st->order->n_cards >= st->batch)
		flush(st);
}

/* Feeds one piece of the file; last ends it. A syntax error is a problem
 * at its row and column, and the reading stops there (libcsv cannot go
 * on): the cards before it are read, and the order is refused. */
static enum status feed(struct csv_state *st, struct csv_parser *parser,
			const char *data, size_t len, bool last,
			struct status_error *err)
{
	if (st->stopped)
		return STATUS_OK;
	if (csv_parse(parser, data, len, on_cell, on_record, st) != len ||
	    (last && csv_fini(parser, on_cell, on_record, st) != 0)) {
		st->stopped = true;
		/* the broken row's card is half read: it goes */
		if (st->card && st->order->n_cards > 0 &&
		    st->card == &st->order->cards[st->order->n_cards - 1]) {
			order_remove_card(st->order, st->order->n_cards - 1);
			st->card = NULL;
		}
		note(st, problems_add(st->problems, SEVERITY_ERROR, PROBLEM_NO_CARD,
				      st->row, column_name(st),
				      "a quote is not closed, or is in the middle of the "
				      "cell (a cell with a quote must be all in quotes, "
				      "its quotes doubled: \"a \"\"b\"\" c\"); the rows "
				      "from here on are not read"));
	}
	if (st->failed)
		return status_set(err, STATUS_NOMEM, NULL);
	return STATUS_OK;
}

/* What the start of a file says: not UTF-16 (Excel's "Unicode text"),
 * and which separator the header uses: a comma, or the semicolon of
 * French Excel, or a tab, whichever it has most of outside quotes. */
static enum status sniff(const char *data, size_t len, unsigned char *delim,
			 struct status_error *err)
{
	size_t n[3] = { 0, 0, 0 }, scan = len < 4096 ? len : 4096;
	bool quoted = false;

	if ((len >= 2 && ((unsigned char)data[0] == 0xFF || (unsigned char)data[0] == 0xFE) &&
	     ((unsigned char)data[1] == 0xFE || (unsigned char)data[1] == 0xFF)) ||
	    memchr(data, '\0', scan))
		return status_set(err, STATUS_FORMAT,
				  "the file is UTF-16 text (Excel's \"Unicode Text\"), "
				  "not UTF-8: in Excel, save it as \"CSV UTF-8 (Comma "
				  "delimited)\", or convert it with iconv -f UTF-16 -t "
				  "UTF-8");
	for (size_t i = 0; i < scan; i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (!quoted && (data[i] == '\n' || data[i] == '\r') && n[0] + n[1] + n[2])
			break;
		else if (!quoted)
			n[0] += data[i] == ',', n[1] += data[i] == ';', n[2] += data[i] == '\t';
	}
	*delim = n[1] > n[0] && n[1] >= n[2] ? ';' : n[2] > n[0] && n[2] > n[1] ? '\t' : ',';
	return STATUS_OK;
}

static enum status finish(struct csv_state *st, struct status_error *err)
{
	if (st->batch)
		flush(st);
	if (st->failed)
		return status_set(err, STATUS_NOMEM, NULL);
	if (!st->header_done)
		return status_set(err, STATUS_FORMAT,
				  "the file is empty: a CSV order starts with "
				  "a header row of field names");
	return STATUS_OK;
}

enum status reader_read_csv(const char *data, size_t len, struct order *order,
			    struct problem_list *problems,
			    struct status_error *err)
{
	struct csv_state st = { .order = order, .problems = problems,
				.row = 1, .record_empty = true };
	struct csv_parser parser;
	unsigned char delim = ',';
	enum status rc;

	if (csv_init(&parser, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0)
		return status_set(err, STATUS_NOMEM, NULL);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	rc = sniff(data, len, &delim, err);
	csv_set_delim(&parser, delim);
	if (rc == STATUS_OK)
		rc = feed(&st, &parser, data, len, true, err);
	if (rc == STATUS_OK)
		rc = finish(&st, err);
	csv_free(&parser);
	return rc;
}

enum status reader_stream_csv(FILE *in, size_t batch, reader_batch_fn fn,
			      void *user, struct problem_list *problems,
			      struct status_error *err)
{
	struct order order;
	struct csv_state st = { .order = &order, .problems = problems, .row = 1,
				.record_empty = true, .batch = batch ? batch : 50,
				.fn = fn, .user = user };
	struct csv_parser parser;
	enum status rc = STATUS_OK;
	char buf[65536];
	size_t n, skip;
	bool first = true;
	unsigned char delim = ',';

	order_init(&order);
	if (csv_init(&parser, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0)
		return status_set(err, STATUS_NOMEM, NULL);
	while (rc == STATUS_OK && (n = fread(buf, 1, sizeof(buf), in)) > 0) {
		skip = first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		if (first) {
			rc = sniff(buf + skip, n - skip, &delim, err);
			csv_set_delim(&parser, delim);
		}
		first = false;
		if (rc == STATUS_OK)
			rc = feed(&st, &parser, buf + skip, n - skip, false, err);
	}
	if (rc == STATUS_OK && ferror(in))
		rc = status_set(err, STATUS_IO, "the order could not be read");
	if (rc == STATUS_OK)
		rc = feed(&st, &parser, "", 0, true, err);
	if (rc == STATUS_OK)
		rc = finish(&st, err);
	csv_free(&parser);
	order_free(&order);
	return rc;
}
