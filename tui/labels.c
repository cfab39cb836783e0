/* labels.c: the names the screens give the fields ("Monthly limit
 * (EUR)" for payment_monthly_limit), and problems said with them: the
 * person reads the labels of the editor, not API field names, which stay
 * in what machines read (validate's PATH:ROW:FIELD, the JSON). */
#include "config.h"

#include "tui.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

static const char *const labels[FIELD_COUNT] = {
	/* TRANSLATORS: these are the names of the card editor's fields, in
	   a column of 25 cells; a unit in parentheses at the end, after a
	   space, is left out when the name is inside a sentence ("Monthly
	   limit (EUR)" -> "Monthly limit"). */
	[FIELD_HOLDER_ID] = N_("Holder"),
	[FIELD_HOLDER] = N_("Holder"),
	[FIELD_BANK_ACCOUNT] = N_("Bank account"),
	[FIELD_ORGANIZATION_ID] = N_("Organisation"),
	[FIELD_INITIATOR_ID] = N_("Ordered by"),
	[FIELD_CARD_LEVEL] = N_("Card level"),
	[FIELD_BANK_ACCOUNT_ID] = N_("Bank account"),
	[FIELD_CARD_DESIGN] = N_("Design"),
	[FIELD_TYPE_OF_PRINT] = N_("Type of print"),
	[FIELD_ATM_OPTION] = N_("Cash withdrawals"),
	[FIELD_NFC_OPTION] = N_("Contactless"),
	[FIELD_ONLINE_OPTION] = N_("Online payments"),
	[FIELD_FOREIGN_OPTION] = N_("Payments abroad"),
	[FIELD_PAYMENT_MONTHLY_LIMIT] = N_("Monthly limit (EUR)"),
	[FIELD_PAYMENT_DAILY_LIMIT_OPTION] = N_("Daily limit on"),
	[FIELD_PAYMENT_DAILY_LIMIT] = N_("Daily limit (EUR)"),
	[FIELD_PAYMENT_TRANSACTION_LIMIT_OPTION] = N_("Per-payment limit on"),
	[FIELD_PAYMENT_TRANSACTION_LIMIT] = N_("Per-payment limit (EUR)"),
	[FIELD_ATM_MONTHLY_LIMIT] = N_("Cash monthly limit (EUR)"),
	[FIELD_ATM_DAILY_LIMIT_OPTION] = N_("Cash daily limit on"),
	[FIELD_ATM_DAILY_LIMIT] = N_("Cash daily limit (EUR)"),
	[FIELD_PAYMENT_LIFESPAN_LIMIT] = N_("Budget (EUR)"),
	[FIELD_PRE_EXPIRES_AT] = N_("Expires at (ISO 8601)"),
	[FIELD_CATEGORIES] = N_("Merchant categories"),
	[FIELD_ACTIVE_DAYS] = N_("Active days"),
	[FIELD_SHIP_TO_BUSINESS] = N_("Ship to the business"),
	[FIELD_CONTACT_NAME] = N_("Contact name"),
	[FIELD_FIRST_LINE] = N_("Address line 1"),
	[FIELD_SECOND_LINE] = N_("Address line 2"),
	[FIELD_THIRD_LINE] = N_("Address line 3"),
	[FIELD_ZIPCODE] = N_("Postcode"),
	[FIELD_CITY] = N_("City"),
	[FIELD_COUNTRY] = N_("Country"),
};

/* The label of field id, translated; NULL when it has none. */
static const char *label_of(int id)
{
	return id >= 0 && id < FIELD_COUNT && labels[id] ? _(labels[id]) : NULL;
}

const char *ui_label(enum field_id id)
{
	const char *label = label_of((int)id);

	return label ? label : "";
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
	/* room for labels longer than the names they replace (in French) */
	size_t cap = strlen(msg) * 3 + 128, used = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	/* the field first, as the editor names it */
	if (!with_field)
		; /* shown beside its field */
	else if (f && label_of((int)f->id))
		used += (size_t)snprintf(out, cap, "%.*s: ",
					 (int)short_len(label_of((int)f->id)),
					 label_of((int)f->id));
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
			const char *label = label_of(best_id);
			size_t len = short_len(label);

			if (len > 63)
				len = 63; /* the room the loop keeps */
			memcpy(out + used, label, len);
			used += len;
			msg += best;
		} else {
			out[used++] = *msg++;
		}
	}
	out[used] = '\0';
	return out;
}
