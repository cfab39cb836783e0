/* fields.h: the card fields of POST /v2/cards/bulk and which levels they
 * apply to. One table, read by the readers, validation, payload building
 * and the card editor, so that a rule is written once. */
#ifndef CARDORDER_FIELDS_H
#define CARDORDER_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum card_level {
	LEVEL_STANDARD,
	LEVEL_PLUS,
	LEVEL_METAL,
	LEVEL_VIRTUAL,
	LEVEL_VIRTUAL_PARTNER,
	LEVEL_FLASH,
	LEVEL_ADVERTISING,
	LEVEL_COUNT
};

#define LV(l) (1u << LEVEL_##l)
#define LEVELS_PHYSICAL (LV(STANDARD) | LV(PLUS) | LV(METAL))
#define LEVELS_ALL ((1u << LEVEL_COUNT) - 1)
#define LEVELS_NOT_FLASH (LEVELS_ALL & ~LV(FLASH))
#define LEVELS_NONE 0u

enum field_kind {
	KIND_UUID,     /* string holding a UUID */
	KIND_TEXT,     /* free text (address lines, names) */
	KIND_LEVEL,    /* card_level enum */
	KIND_BOOL,     /* true / false */
	KIND_EUROS,    /* whole euros, int64 */
	KIND_DATETIME, /* ISO 8601 date-time string */
	KIND_DAYS,     /* array of 1..7 */
	KIND_CATEGORIES, /* array of category names */
	KIND_COUNTRY,  /* ISO 3166-1 alpha-2 */
	KIND_DESIGN,   /* card design name */
	KIND_PRINT     /* type_of_print: print / embossed */
};

/* Field flags. */
#define FF_LOCAL 0x1u      /* read from files, never sent (names to resolve) */
#define FF_NULLABLE 0x2u   /* JSON null is a value of its own (contact_name) */
#define FF_SOFT_LEVEL 0x4u /* on a level it does not apply to: a warning */
#define FF_ADDRESS 0x8u    /* lives inside the "address" object */
#define FF_TEMPLATE 0x10u  /* a template (the order screen's t) sets it */

/* Storage slots inside struct card (see order.h). */
enum str_slot {
	STR_HOLDER_ID, STR_INITIATOR_ID, STR_ORGANIZATION_ID, STR_BANK_ACCOUNT_ID,
	STR_HOLDER, STR_BANK_ACCOUNT,
	STR_CONTACT_NAME, STR_FIRST_LINE, STR_SECOND_LINE, STR_THIRD_LINE,
	STR_ZIPCODE, STR_CITY, STR_COUNTRY,
	STR_PRE_EXPIRES_AT, STR_CARD_DESIGN, STR_TYPE_OF_PRINT,
	STR_SLOTS
};
enum euro_slot {
	EUR_ATM_MONTHLY, EUR_ATM_DAILY, EUR_PAY_MONTHLY, EUR_PAY_DAILY,
	EUR_PAY_TRANSACTION, EUR_LIFESPAN, EUR_SLOTS
};
#define NO_SLOT (-1)

/* X(ID, api name, kind, slot, applies to, required for, option field, flags)
 * The order is the order of the payload and of the card editor. Required
 * here means "required whatever the other fields say"; conditional rules
 * (the address when not shipping to the business) live in validate.c. */
#define FIELD_LIST(X)                                                                        \
	X(HOLDER_ID, "holder_id", KIND_UUID, STR_HOLDER_ID, LEVELS_ALL, LEVELS_ALL, NONE, 0)   \
	X(HOLDER, "holder", KIND_TEXT, STR_HOLDER, LEVELS_ALL, LEVELS_NONE, NONE, FF_LOCAL)      \
	X(INITIATOR_ID, "initiator_id", KIND_UUID, STR_INITIATOR_ID, LEVELS_ALL, LEVELS_NONE, NONE, 0) \
	X(ORGANIZATION_ID, "organization_id", KIND_UUID, STR_ORGANIZATION_ID, LEVELS_ALL, LEVELS_ALL, NONE, 0) \
	X(BANK_ACCOUNT_ID, "bank_account_id", KIND_UUID, STR_BANK_ACCOUNT_ID, LEVELS_ALL, LEVELS_ALL, NONE, 0) \
	X(BANK_ACCOUNT, "bank_account", KIND_TEXT, STR_BANK_ACCOUNT, LEVELS_ALL, LEVELS_NONE, NONE, FF_LOCAL) \
	X(CARD_LEVEL, "card_level", KIND_LEVEL, NO_SLOT, LEVELS_ALL, LEVELS_ALL, NONE, 0)       \
	X(CARD_DESIGN, "card_design", KIND_DESIGN, STR_CARD_DESIGN, LEVELS_ALL, LEVELS_NONE, NONE, FF_SOFT_LEVEL) \
	X(TYPE_OF_PRINT, "type_of_print", KIND_PRINT, STR_TYPE_OF_PRINT, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_SOFT_LEVEL) \
	X(ATM_OPTION, "atm_option", KIND_BOOL, NO_SLOT, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_TEMPLATE)   \
	X(NFC_OPTION, "nfc_option", KIND_BOOL, NO_SLOT, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_TEMPLATE)   \
	X(ONLINE_OPTION, "online_option", KIND_BOOL, NO_SLOT, LEVELS_NOT_FLASH, LEVELS_NONE, NONE, FF_TEMPLATE) \
	X(FOREIGN_OPTION, "foreign_option", KIND_BOOL, NO_SLOT, LEVELS_NOT_FLASH, LEVELS_NONE, NONE, FF_TEMPLATE) \
	X(PAYMENT_MONTHLY_LIMIT, "payment_monthly_limit", KIND_EUROS, EUR_PAY_MONTHLY, LEVELS_NOT_FLASH, LEVELS_NOT_FLASH, NONE, FF_TEMPLATE) \
	X(PAYMENT_DAILY_LIMIT_OPTION, "payment_daily_limit_option", KIND_BOOL, NO_SLOT, LEVELS_NOT_FLASH, LEVELS_NONE, NONE, FF_TEMPLATE) \
	X(PAYMENT_DAILY_LIMIT, "payment_daily_limit", KIND_EUROS, EUR_PAY_DAILY, LEVELS_NOT_FLASH, LEVELS_NONE, PAYMENT_DAILY_LIMIT_OPTION, FF_TEMPLATE) \
	X(PAYMENT_TRANSACTION_LIMIT_OPTION, "payment_transaction_limit_option", KIND_BOOL, NO_SLOT, LEVELS_NOT_FLASH, LEVELS_NONE, NONE, FF_TEMPLATE) \
	X(PAYMENT_TRANSACTION_LIMIT, "payment_transaction_limit", KIND_EUROS, EUR_PAY_TRANSACTION, LEVELS_NOT_FLASH, LEVELS_NONE, PAYMENT_TRANSACTION_LIMIT_OPTION, FF_TEMPLATE) \
	X(ATM_MONTHLY_LIMIT, "atm_monthly_limit", KIND_EUROS, EUR_ATM_MONTHLY, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_TEMPLATE) \
	X(ATM_DAILY_LIMIT_OPTION, "atm_daily_limit_option", KIND_BOOL, NO_SLOT, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_TEMPLATE) \
	X(ATM_DAILY_LIMIT, "atm_daily_limit", KIND_EUROS, EUR_ATM_DAILY, LEVELS_PHYSICAL, LEVELS_NONE, ATM_DAILY_LIMIT_OPTION, FF_TEMPLATE) \
	X(PAYMENT_LIFESPAN_LIMIT, "payment_lifespan_limit", KIND_EUROS, EUR_LIFESPAN, LV(FLASH), LV(FLASH), NONE, 0) \
	X(PRE_EXPIRES_AT, "pre_expires_at", KIND_DATETIME, STR_PRE_EXPIRES_AT, LV(FLASH), LV(FLASH), NONE, 0) \
	X(CATEGORIES, "categories", KIND_CATEGORIES, NO_SLOT, LEVELS_ALL, LEVELS_NONE, NONE, FF_TEMPLATE) \
	X(ACTIVE_DAYS, "active_days", KIND_DAYS, NO_SLOT, LEVELS_ALL, LEVELS_NONE, NONE, FF_TEMPLATE)     \
	X(SHIP_TO_BUSINESS, "ship_to_business", KIND_BOOL, NO_SLOT, LEVELS_PHYSICAL, LEVELS_PHYSICAL, NONE, 0) \
	X(CONTACT_NAME, "address.contact_name", KIND_TEXT, STR_CONTACT_NAME, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_ADDRESS | FF_NULLABLE) \
	X(FIRST_LINE, "address.first_line", KIND_TEXT, STR_FIRST_LINE, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_ADDRESS) \
	X(SECOND_LINE, "address.second_line", KIND_TEXT, STR_SECOND_LINE, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_ADDRESS) \
	X(THIRD_LINE, "address.third_line", KIND_TEXT, STR_THIRD_LINE, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_ADDRESS) \
	X(ZIPCODE, "address.zipcode", KIND_TEXT, STR_ZIPCODE, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_ADDRESS) \
	X(CITY, "address.city", KIND_TEXT, STR_CITY, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_ADDRESS) \
	X(COUNTRY, "address.country", KIND_COUNTRY, STR_COUNTRY, LEVELS_PHYSICAL, LEVELS_NONE, NONE, FF_ADDRESS)

#define FIELD_ENUM(id, name, kind, slot, applies, required, option, flags) FIELD_##id,
enum field_id { FIELD_LIST(FIELD_ENUM) FIELD_COUNT, FIELD_NONE = FIELD_COUNT };
#undef FIELD_ENUM

struct field_info {
	enum field_id id;
	const char *name;     /* API name; nested ones as "address.city" */
	const char *json_key; /* key inside its object: "city" */
	enum field_kind kind;
	int slot;             /* index into the card's storage of that kind */
	unsigned applies;     /* bit per card_level */
	unsigned required;    /* bit per card_level */
	enum field_id option; /* the *_option switch of a value, or FIELD_NONE */
	unsigned flags;
};

#define FIELD_BIT(id) (UINT64_C(1) << (id))

/* The table entry of a field; id must be < FIELD_COUNT. Borrowed, static. */
const struct field_info *field_get(enum field_id id);

/* Looks a field up by its API name ("address.zipcode"); NULL if unknown. */
const struct field_info *field_by_name(const char *name);

/* Card levels: API names and lookups. */
const char *level_name(enum card_level level);
bool level_parse(const char *text, enum card_level *out);
bool level_is_physical(enum card_level level);
bool field_applies(enum field_id id, enum card_level level);
bool field_required(enum field_id id, enum card_level level);

#endif
