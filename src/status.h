/* status.h: the one list of outcomes shared by every module.
 *
 * Functions return an enum status and, when the caller passes one, fill a
 * caller-owned struct status_error with the details a person needs. */
#ifndef CARDORDER_STATUS_H
#define CARDORDER_STATUS_H

#include <stddef.h>

#include "i18n.h"

/* X(name, message): the message is written for a finance person, not a
 * programmer; details (row, field, server text) go in status_error. */
#define STATUS_LIST(X)                                                         \
	X(OK, N_("done"))                                                          \
	X(NOMEM, N_("out of memory"))                                              \
	X(IO, N_("the file could not be read or written"))                         \
	X(USAGE, N_("the command line is not valid"))                              \
	X(INVALID, N_("the order has problems that must be fixed first"))          \
	X(FORMAT, N_("the file is not in a format cardorder understands"))         \
	X(ENCODING, N_("the text is not valid UTF-8"))                             \
	X(TOO_LARGE, N_("the data is larger than cardorder accepts"))              \
	X(NOT_JSON, N_("the server answered with something that is not JSON"))    \
	X(BAD_RESPONSE, N_("the server's answer does not have the expected shape")) \
	X(AUTH, N_("the server refused the credentials (401)"))                    \
	X(FORBIDDEN, N_("the credentials lack a permission (403)"))                \
	X(NOT_FOUND, N_("the server does not offer this (404)"))                   \
	X(REJECTED, N_("the server refused the whole request"))                    \
	X(SCA_REQUIRED, N_("the order must be approved in the Qonto app"))         \
	X(SCA_NOT_ENROLLED, N_("no device is paired for approvals in Qonto"))      \
	X(RATE_LIMITED, N_("the server asks to slow down (429)"))                  \
	X(SERVER, N_("the server had an error (5xx)"))                             \
	X(HTTP, N_("the server answered with an unexpected status"))               \
	X(NETWORK, N_("the network failed"))                                       \
	X(ALREADY_SENT, N_("these cards are already an order that is not finished"))

#define STATUS_ENUM(name, msg) STATUS_##name,
enum status { STATUS_LIST(STATUS_ENUM) STATUS_COUNT };
#undef STATUS_ENUM

/* Details of a failure. All strings are owned by the struct (fixed arrays). */
struct status_error {
	enum status code;
	char message[256];    /* human text, already sanitised, in the person's language */
	char message_en[256]; /* the same in English, for files and JSON */
	long http_status;  /* 0 when no HTTP exchange was involved */
	char api_code[64]; /* Qonto's error code, e.g. "sca_required" */
	char pointer[128]; /* JSON pointer of the offending value */
};

/* The fixed message of a status, translated; never NULL. */
const char *status_message(enum status code);

/* The symbolic name ("NOMEM"); never NULL. */
const char *status_name(enum status code);

/* Fills err (when not NULL) with code and a printf-style message; returns
 * code so that callers can write `return status_set(err, ...)`. FMT is the
 * English text (xgettext takes it as a message): message gets it
 * translated, message_en as written. */
enum status status_set(struct status_error *err, enum status code,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
