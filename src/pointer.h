/* pointer.h: the JSON pointers (RFC 6901) of the API's error objects, as
 * the response parser reads them. Pure; part of the response module's
 * interface (response.h includes it). */
#ifndef CARDORDER_POINTER_H
#define CARDORDER_POINTER_H

#include <stdbool.h>
#include <stddef.h>

/* Splits a JSON pointer into a card index and field name:
 * "/cards/3/card/address/zipcode" gives 3 and "address.zipcode";
 * "/cards/3/payment_monthly_limit" gives 3 and "payment_monthly_limit";
 * "/card/holder_id" (inside a per-card error entry) gives -1 and
 * "holder_id". Handles the ~0 and ~1 escapes. Returns false when the
 * pointer is not of these shapes (card = -1, field = ""). pointer
 * may be NULL; card and field (caller-owned, field_cap bytes) may be
 * NULL. */
bool response_pointer_parse(const char *pointer, long *card, char *field,
			    size_t field_cap);

#endif
