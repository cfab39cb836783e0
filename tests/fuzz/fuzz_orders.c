/* fuzz_orders.c: the CSV or JSON order reader (FUZZ_JSON chooses), then
 * validation and payload building on whatever it accepted. */
#include "config.h"

#include "payload.h"
#include "reader.h"
#include "validate.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct validate_options vo = { .now = 1800000000, .ids_from_api = true };
	struct problem_list problems;
	struct order order;
	char *body;
	size_t len, count;

	order_init(&order);
	problems_init(&problems);
#ifdef FUZZ_JSON
	if (reader_read_json((const char *)data, size, &order, &problems, NULL) == STATUS_OK) {
#else
	if (reader_read_csv((const char *)data, size, &order, &problems, NULL) == STATUS_OK) {
#endif
		validate_order(&order, &vo, &problems);
		for (size_t i = 0; i < problems.n; i++)
			free(problem_format(&problems.items[i], "fuzz"));
		for (size_t first = 0; first < order.n_cards; first += count) {
			count = order.n_cards - first > 50 ? 50 : order.n_cards - first;
			if (payload_build(&order.cards[first], count, first % 2, &body, &len,
					  NULL) == STATUS_OK)
				free(body);
		}
	}
	problems_free(&problems);
	order_free(&order);
	return 0;
}
