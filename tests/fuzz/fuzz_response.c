/* fuzz_response.c: the answer parser on anything a server could send. The
 * first byte chooses the HTTP status, the second the cards sent. */
#include "config.h"

#include "response.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 200, 200, 422, 400, 428, 429, 401,
					  403, 404, 500, 503, 201, 302 };
	struct bulk_response resp;
	char field[64];
	long card;

	if (size < 2)
		return 0;
	response_init(&resp);
	if (response_parse(statuses[data[0] % (sizeof(statuses) / sizeof(statuses[0]))],
			   (const char *)data + 2, size - 2, data[1] % 51, &resp,
			   NULL) == STATUS_OK) {
		for (size_t i = 0; i < resp.n_entries; i++)
			if (resp.entries[i].kind == ENTRY_CARD &&
			    !resp.entries[i].card.id)
				abort(); /* a card entry always has its id */
	}
	response_free(&resp);
	{
		char *p = malloc(size - 1);

		if (p) {
			memcpy(p, data + 2, size - 2);
			p[size - 2] = '\0';
			response_pointer_parse(p, &card, field, sizeof(field));
			free(p);
		}
	}
	return 0;
}
