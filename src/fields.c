/* fields.c: the field table and the card levels. */
#include "config.h"

#include "fields.h"

#include <string.h>

#define FIELD_ROW(id, name, kind, slot, applies, required, option, flags)    \
	{ FIELD_##id, name, NULL, kind, slot, applies, required,              \
	  FIELD_##option, flags },
static struct field_info table[FIELD_COUNT] = { FIELD_LIST(FIELD_ROW) };
#undef FIELD_ROW

static const char *const level_names[LEVEL_COUNT] = {
	"standard", "plus", "metal", "virtual", "virtual_partner", "flash",
	"advertising",
};

/* json_key is the part after "address."; filled once, the table is
 * otherwise constant. */
static void table_init(void)
{
	static int done;
	const char *dot;

	if (done)
		return;
	for (size_t i = 0; i < FIELD_COUNT; i++) {
		dot = strchr(table[i].name, '.');
		table[i].json_key = dot ? dot + 1 : table[i].name;
	}
	done = 1;
}

const struct field_info *field_get(enum field_id id)
{
	table_init();
	if ((unsigned)id >= FIELD_COUNT)
		return NULL;
	return &table[id];
}

const struct field_info *field_by_name(const char *name)
{
	table_init();
	for (size_t i = 0; i < FIELD_COUNT; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const char *level_name(enum card_level level)
{
	if ((unsigned)level >= LEVEL_COUNT)
		return "unknown";
	return level_names[level];
}

bool level_parse(const char *text, enum card_level *out)
{
	for (int i = 0; i < LEVEL_COUNT; i++) {
		if (strcmp(text, level_names[i]) == 0) {
			*out = (enum card_level)i;
			return true;
		}
	}
	return false;
}

bool level_is_physical(enum card_level level)
{
	return (LEVELS_PHYSICAL >> level) & 1u;
}

bool field_applies(enum field_id id, enum card_level level)
{
	const struct field_info *f = field_get(id);

	return f && ((f->applies >> level) & 1u);
}

bool field_required(enum field_id id, enum card_level level)
{
	const struct field_info *f = field_get(id);

	return f && ((f->required >> level) & 1u);
}
