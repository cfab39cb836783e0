/* status.c: messages of the status list. */
#include "config.h"

#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_MSG(name, msg) msg,
static const char *const messages[] = { STATUS_LIST(STATUS_MSG) };
#undef STATUS_MSG
#define STATUS_STR(name, msg) #name,
static const char *const names[] = { STATUS_LIST(STATUS_STR) };
#undef STATUS_STR

const char *status_message(enum status code)
{
	if ((unsigned)code >= STATUS_COUNT)
		return _("unknown error");
	return _(messages[code]);
}

const char *status_name(enum status code)
{
	if ((unsigned)code >= STATUS_COUNT)
		return "UNKNOWN";
	return names[code];
}

enum status status_set(struct status_error *err, enum status code,
		       const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	memset(err, 0, sizeof(*err));
	err->code = code;
	if (fmt) {
		const char *shown = _(fmt); /* fmt itself when not translated */

		va_start(ap, fmt);
		vsnprintf(err->message_en, sizeof(err->message_en), fmt, ap);
		va_end(ap);
		if (shown == fmt) {
			snprintf(err->message, sizeof(err->message), "%s", err->message_en);
		} else {
			char *local;

			va_start(ap, fmt);
			vsnprintf(err->message, sizeof(err->message), shown, ap);
			va_end(ap);
			local = i18n_localize(err->message); /* dates, amounts */
			if (local)
				snprintf(err->message, sizeof(err->message), "%s", local);
			free(local);
		}
	} else {
		snprintf(err->message_en, sizeof(err->message_en), "%s",
			 messages[(unsigned)code < STATUS_COUNT ? code : 0]);
		snprintf(err->message, sizeof(err->message), "%s",
			 status_message(code));
	}
	return code;
}
