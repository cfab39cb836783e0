/* results.h: the outcome of every card of a submitted order, and its
 * export (PRODUCT.md, "Results export"). */
#ifndef CARDORDER_RESULTS_H
#define CARDORDER_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "response.h"
#include "status.h"

/* What became of a card, and the export's status when no card came back
 * (a created card shows its own status):
 *   not_sent  never left this machine
 *   created   Qonto created it: card holds the card object
 *   failed    refused: error_* say why
 *   unknown   sent, outcome not known: run resume */
#define RESULT_STATE_LIST(X)                                                   \
	X(RESULT_NOT_SENT, "not_sent")                                         \
	X(RESULT_CREATED, "created")                                           \
	X(RESULT_FAILED, "failed")                                             \
	X(RESULT_UNKNOWN, "unknown")

enum result_state {
#define RESULT_ENUM(e, name) e,
	RESULT_STATE_LIST(RESULT_ENUM)
#undef RESULT_ENUM
	RESULT_STATE_COUNT
};

extern const char *const result_state_names[RESULT_STATE_COUNT];

/* What was asked for a card, as the export shows it when no card came
 * back. Strings owned. */
struct card_request_info {
	char *holder_id, *card_level;
	int64_t limits[LIMIT_COUNT]; /* in the order of LIMIT_LIST */
	unsigned has_limits; /* LIMIT_* bits of response.h */
	char *pre_expires_at;
};

struct card_result {
	enum result_state state;
	unsigned request;             /* 1-based request that carried it last */
	struct card_object card;      /* RESULT_CREATED; owned */
	char *error_code, *error_detail; /* RESULT_FAILED/UNKNOWN; owned */
	char error_field[64];
	struct card_request_info asked;
	char *holder_name;            /* owned, may be NULL */
};

struct results {
	struct card_result *cards; /* owned, one per card of the order */
	size_t n;
};

enum status results_init(struct results *res, size_t n_cards,
			 struct status_error *err);
void results_free(struct results *res);

/* Counts of each state. */
void results_count(const struct results *res, size_t counts[RESULT_STATE_COUNT]);

/* Marks card i; detail is copied. */
enum status results_fail(struct results *res, size_t i, unsigned request,
			 enum result_state state, const char *code,
			 const char *detail, const char *field);

/* Takes the card object of entry (moved: the entry's card is cleared). */
void results_created(struct results *res, size_t i, unsigned request,
		     struct card_object *card);

/* Records what was asked for card i (strings copied; any may be NULL;
 * limits has a value for each LIMIT_* bit in has_limits, in the order of
 * card_request_info.limits). */
enum status results_set_asked(struct results *res, size_t i,
			      const char *holder_id, const char *card_level,
			      const char *pre_expires_at, const int64_t limits[LIMIT_COUNT],
			      unsigned has_limits);
void card_request_info_free(struct card_request_info *info);

/* Sets each card's holder_name from a JSON object {"holder id": "name"}
 * (directory_holder_names, saved in the journal); bad JSON is ignored. */
void results_set_holder_names(struct results *res, const char *names_json);

/* The cards read again from Qonto (GET /v2/cards) replace those of the
 * order's rows with the same card id (moved: fresh[k] is emptied; cards
 * of no row are left). changed (may be NULL) gets true at each row whose
 * status, PIN or shipping date moved. Returns how many did, or
 * (size_t)-1 when memory runs out. */
size_t results_refresh(struct results *res, struct card_object *fresh, size_t n,
		       bool *changed);

struct strbuf;
/* One CSV text cell into b: control characters made visible, a formula
 * neutralised with a leading ', quoted. */
void results_csv_text(struct strbuf *b, const char *s);

/* The name shown for a state ("failed", "not_sent", "unknown") or the
 * card's own status when created. Borrowed. */
const char *results_status_text(const struct card_result *r);
/* The same as a person reads it in the current language. Borrowed. */
const char *results_status_label(const struct card_result *r);
/* Why a card failed, as a person reads it: cardorder's own sentences
 * (kept in English for the export) translated, Qonto's text as it came;
 * NULL when there is none. Borrowed. */
const char *results_detail_label(const struct card_result *r);

/* How a CSV file is written: the standard form (',' between cells), or
 * the one French Excel opens without its import wizard (';' between cells,
 * a UTF-8 byte order mark first). The readers take both back. */
enum csv_format { CSV_STANDARD, CSV_EXCEL_FR };
/* "standard" or "excel-fr"; false for anything else. */
bool csv_format_parse(const char *name, enum csv_format *out);
/* A header line of column names, SEP between them, CRLF after. */
void results_csv_header(struct strbuf *b, const char *const *names, size_t n, char sep);
/* The format an option names, else the configured one (csv_format), else
 * the standard one; both are checked where they are read. */
enum csv_format csv_format_choose(const char *option, const char *configured);
/* Starts a CSV file of that format (the mark) and gives its separator. */
char csv_format_begin(enum csv_format format, struct strbuf *b);

/* Writes the export to path, atomically with mode 0600: CSV (in FORMAT)
 * unless path ends in .json. CSV cells that a spreadsheet would run as a
 * formula are neutralised. */
enum status results_export(const struct results *res, const char *path,
			   enum csv_format format, struct status_error *err);

/* The same, into an owned buffer (for tests and for the TUI's preview). */
enum status results_export_buffer(const struct results *res, bool json,
				  enum csv_format format, char **out, size_t *len,
				  struct status_error *err);

#endif
