/* order_save.h: the order as typed (a draft) saved as an order file, CSV
 * or JSON by the extension, which the readers read back to the same
 * draft. */
#ifndef CARDORDER_ORDER_SAVE_H
#define CARDORDER_ORDER_SAVE_H

#include <stdbool.h>

#include "draft.h"
#include "results.h"
#include "status.h"

/* Writes d to path atomically (mode 0600): JSON when path ends in .json,
 * else CSV in FORMAT. */
enum status order_save(const struct draft *d, const char *path,
		       enum csv_format format, struct status_error *err);
bool order_save_is_json(const char *path);

#endif
