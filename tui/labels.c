/* labels.c: the names the screens give the fields ("Monthly limit
 * (EUR)" for payment_monthly_limit), and problems said with them: the
 * person reads the labels of the editor, not API field names, which stay
 * in what machines read (validate's PATH:ROW:FIELD, the JSON). */
#include "config.h"

#include "tui.h"

#include <stdlib.h>
#include <string.h>

static const char *const labels[FIELD_COUNT] = {
	[FIELD_HOLDER_ID] = "Holder",
	[FIELD_HOLDER] = "Holder",
	[FIELD_BANK_ACCOUNT] = "Bank account",
	[FIELD_ORGANIZATION_ID] = "Organisation",
	[FIELD_INITIATOR_ID] = "Ordered by",
	[FIELD_CARD_LEVEL] = "Card level",
	[FIELD_BANK_ACCOUNT_ID] = "Bank account",
	[FIELD_CARD_DESIGN] = "Design",
	[FIELD_TYPE_OF_PRINT] = "Type of print",
	[FIELD_ATM_OPTION] = "Cash withdrawals",
	[FIELD_NFC_OPTION] = "Contactless",
	[FIELD_ONLINE_OPTION] = "Online payments",
	[FIELD_FOREIGN_OPTION] = "Payments abroad",
	[FIELD_PAYMENT_MONTHLY_LIMIT] = "Monthly limit (EUR)",
	[FIELD_PAYMENT_DAILY_LIMIT_OPTION] = "Daily limit on",
	[FIELD_PAYMENT_DAILY_LIMIT] = "Daily limit (EUR)",
	[FIELD_PAYMENT_TRANSACTION_LIMIT_OPTION] = "Per-payment limit on",
	[FIELD_PAYMENT_TRANSACTION_LIMIT] = "Per-payment limit (EUR)",
	[FIELD_ATM_MONTHLY_LIMIT] = "Cash monthly limit (EUR)",
	[FIELD_ATM_DAILY_LIMIT_OPTION] = "Cash daily limit on",
	[FIELD_ATM_DAILY_LIMIT] = "Cash daily limit (EUR)",
	[FIELD_PAYMENT_LIFESPAN_LIMIT] = "Budget (EUR)",
	[FIELD_PRE_EXPIRES_AT] = "Expires at (ISO 8601)",
	[FIELD_CATEGORIES] = "Merchant categories",
	[FIELD_ACTIVE_DAYS] = "Active days",
	[FIELD_SHIP_TO_BUSINESS] = "Ship to the business",
	[FIELD_CONTACT_NAME] = "Contact name",
	[FIELD_FIRST_LINE] = "Address line 1",
	[FIELD_SECOND_LINE] = "Address line 2",
	[FIELD_THIRD_LINE] = "Address line 3",
	[FIELD_ZIPCODE] = "Postcode",
	[FIELD_CITY] = "City",
	[FIELD_COUNTRY] = "Country",
};

const char *ui_label(enum field_id id)
{
	return (int)id >= 0 && id < FIELD_COUNT && labels[id] ? labels[id] : "";
}

/* A label inside a sentence: without its unit ("Monthly limit"). */
static size_t short_len(const char *label)
{
	const char *paren = strstr(label, " (");

	return paren ? (size_t)(paren - label) : strlen(label);
}

char *ui_problem_text(const struct problem *p, bool with_field)
{
	const struct field_info *f = p->field[0] ? field_by_name(p->field) : NULL;
	const char *msg = p->message;
	size_t cap = strlen(msg) * 2 + 128, used = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	/* the field first, as the editor names it */
	if (!with_field)
		; /* shown beside its field */
	else if (f && labels[f->id])
		used += (size_t)snprintf(out, cap, "%.*s: ", (int)short_len(labels[f->id]),
					 labels[f->id]);
	else if (p->field[0])
		used += (size_t)snprintf(out, cap, "%s: ", p->field);
	/* then every API name in the message, longest first where one is
	 * the start of another (payment_daily_limit_option) */
	while (*msg && used + 64 < cap) {
		size_t best = 0;
		int best_id = -1;

		for (int id = 0; id < FIELD_COUNT; id++) {
			const char *name = field_get((enum field_id)id)->name;
			size_t n = strlen(name);

			/* only names that read as identifiers: "holder" is
			 * also a word of the sentence */
			if (labels[id] && n > best && strpbrk(name, "_.") &&
			    strncmp(msg, name, n) == 0 &&
			    (msg == p->message || !(msg[-1] == '_' || (msg[-1] >= 'a' && msg[-1] <= 'z'))) &&
			    !(msg[n] == '_' || (msg[n] >= 'a' && msg[n] <= 'z'))) {
				best = n;
				best_id = id;
			}
		}
		if (best_id >= 0) {
			size_t len = short_len(labels[best_id]);

			memcpy(out + used, labels[best_id], len);
			used += len;
			msg += best;
		} else {
			out[used++] = *msg++;
		}
	}
	out[used] = '\0';
	return out;
}
