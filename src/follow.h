/* follow.h: an order's cards after it was sent (`status`, the results
 * screen): which card ids to read back, each reading kept in the order's
 * directory (refreshes.jsonl, one line per reading: its time and the
 * card objects as Qonto gave them), so that the last known state and its
 * time are there without the network. The history is kept as
 * refreshes.jsonl, the last reading as last-reading.json. */
#ifndef CARDORDER_FOLLOW_H
#define CARDORDER_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "journal.h"
#include "response.h"
#include "results.h"
#include "status.h"

/* The ids of the order's created cards (owned array of borrowed
 * strings; *n may be 0). NULL when memory runs out. */
char **follow_card_ids(const struct results *res, size_t *n);

/* Keeps a reading of cards made at time at: what each card's status, PIN
 * and shipping were, appended to the order's history (refreshes.jsonl)
 * and written whole as the last reading (last-reading.json). */
enum status follow_record(const struct journal *j, const struct card_object *cards,
			  size_t n, time_t at, struct status_error *err);

/* The last reading kept, onto the order's created rows (status, PIN,
 * shipping), and its time in *at. STATUS_NOT_FOUND when there is none
 * (or it cannot be read: *at is then left alone). */
enum status follow_last(const struct journal *j, struct results *res, time_t *at,
			struct status_error *err);

/* Where the order's cards stand. */
struct follow_summary {
	size_t created, live, pending, shipped, pin_not_set, other;
};
void follow_summarise(const struct results *res, struct follow_summary *out);

/* True when the holder of a created physical card that still counts
 * (pending, live or paused) has not set its PIN. */
bool follow_needs_pin(const struct card_result *r);

/* "Holders to remind": a CSV (row, holder_id, holder_name, card_level,
 * card_id, status) of the cards waiting for their holder's PIN, written
 * atomically with mode 0600, formulas neutralised, in FORMAT; *n_out gets
 * the rows. */
enum status follow_export_reminders(const struct results *res, const char *path,
				    enum csv_format format, size_t *n_out,
				    struct status_error *err);

/* Where the cards stand, for scripts: {"order_id", "as_of" (seconds
 * since 1970, null when never read), "read_now", "summary",
 * "holders_to_remind", "cards": [{row, holder_id, holder_name,
 * card_level, status, card_id, pin_set, shipped_at, last_digits}]}
 * (owned), or NULL (memory). */
char *follow_json(const struct results *res, const char *order_id, time_t at,
		  bool read_now);

#endif
