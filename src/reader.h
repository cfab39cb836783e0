/* reader.h: order files (PRODUCT.md, "Order files") into an order.
 *
 * A file that can be parsed gives STATUS_OK, even when some of its values
 * are wrong: those become problems with their row and field, so that every
 * mistake is reported at once. A file that cannot be parsed at all (not
 * found, not CSV or JSON, broken JSON syntax) gives another status with
 * err->message saying why. */
#ifndef CARDORDER_READER_H
#define CARDORDER_READER_H

#include <stddef.h>
#include <stdio.h>

#include "order.h"
#include "problems.h"
#include "status.h"
#include "values.h"

/* Order files larger than this are refused: 100 000 cards fit easily. */
#define READER_MAX_BYTES (256u * 1024u * 1024u)
/* The longest text accepted in one field. */
#define READER_MAX_TEXT 1024u

enum order_format { ORDER_FORMAT_CSV, ORDER_FORMAT_JSON };

/* Reads path into order (cards appended; order->path set). The format
 * comes from the extension (.csv, .json), else from the first byte. */
enum status reader_read_file(const char *path, struct order *order,
			     struct problem_list *problems,
			     struct status_error *err);

/* The same for data already in memory (need not be NUL-terminated). */
enum status reader_read_csv(const char *data, size_t len, struct order *order,
			    struct problem_list *problems,
			    struct status_error *err);
enum status reader_read_json(const char *data, size_t len, struct order *order,
			     struct problem_list *problems,
			     struct status_error *err);

/* Receives a batch of cards read from a stream; first is the index in the
 * whole file of batch->cards[0]. The cards are freed after the call.
 * Returns 0, or -1 to stop reading. */
typedef int (*reader_batch_fn)(struct order *batch, size_t first, void *user);

/* Reads a CSV order from in, batch cards at a time (0: 50), so that an
 * order of any length takes bounded memory. Problems carry the cards'
 * indices in the whole file. */
enum status reader_stream_csv(FILE *in, size_t batch, reader_batch_fn fn,
			      void *user, struct problem_list *problems,
			      struct status_error *err);

/* The same for a JSON order, read from in a card at a time (each card's
 * text at most 1 MB); problems and batches as reader_stream_csv's. */
enum status reader_stream_json(FILE *in, size_t batch, reader_batch_fn fn,
			       void *user, struct problem_list *problems,
			       struct status_error *err);
/* A JSON order from in, its cards appended to order, in the memory of
 * the cards alone (not of the file or of a JSON tree of it). */
enum status reader_read_json_file(FILE *in, struct order *order,
				  struct problem_list *problems,
				  struct status_error *err);
/* For the JSON readers: one item of the list of cards (a JSON object,
 * {"card": {...}} or flat) appended to order as card index of the whole
 * file, at 1-based position. Returns 0, or -1 when memory runs out. */
struct json_object;
int reader_json_item(struct order *order, struct json_object *item, size_t position,
		     size_t index, struct problem_list *problems);

/* Sets one field of a card from text as typed in a CSV cell or a form
 * field. Empty text unsets the field. A value that cannot be understood
 * leaves the field unset and adds a problem for card_index and the
 * card's row. Returns 0, or -1 when memory runs out. */
int reader_set_from_text(struct card *card, size_t card_index,
			 enum field_id id, const char *text,
			 struct problem_list *problems);

/* Records whether the value last given for a field was refused, so that
 * validation does not also call the field missing, and keeps the refused
 * text as given (may be NULL) for editors. Returns 0, or -1 when memory
 * runs out. */
int reader_mark(struct card *card, enum field_id id, bool refused,
		const char *text);

/* Sets a text-like field (UUID, text, date, country, design, print) after
 * checking its length and that it holds no control characters; a problem
 * is added otherwise. Returns 0, or -1 when memory runs out. */
int reader_set_checked_text(struct card *card, size_t card_index,
			    enum field_id id, const char *text,
			    struct problem_list *problems);

/* Adds problems for an out-of-range amount; shared by both readers. */
int reader_euros_problem(enum euros_result result, const struct card *card,
			 size_t card_index, enum field_id id, const char *text,
			 struct problem_list *problems);

#endif
