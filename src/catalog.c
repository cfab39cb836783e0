/* catalog.c: lookups over the lists generated from assets/. */
#include "config.h"

#include "catalog.h"
#include "i18n.h"

#include <string.h>

extern const char *const catalog_categories_data[];
extern const char *const catalog_countries_data[][2];
extern const char *const catalog_countries_fr[];
extern const char *const catalog_categories_fr[];
extern const char *const catalog_designs_fr[];
extern const char *const catalog_designs_data[];

static size_t count_list(const char *const *list)
{
	size_t n = 0;

	while (list[n])
		n++;
	return n;
}

static int find_in(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], name) == 0)
			return (int)i;
	return -1;
}

size_t catalog_category_count(void)
{
	return count_list(catalog_categories_data);
}

const char *catalog_category(size_t i)
{
	return i < catalog_category_count() ? catalog_categories_data[i] : NULL;
}

int catalog_category_find(const char *name)
{
	return find_in(catalog_categories_data, name);
}

const char *catalog_category_label(size_t i)
{
	if (i >= catalog_category_count())
		return NULL;
	return i18n_french() ? catalog_categories_fr[i] : catalog_categories_data[i];
}

const char *catalog_design_label(const char *design)
{
	int i = design ? catalog_design_find(design) : -1;

	return i >= 0 && i18n_french() ? catalog_designs_fr[i] : design;
}

const char *catalog_level_label(enum card_level level)
{
	/* TRANSLATORS: card levels as a person reads them in the level
	   picker; Qonto's own names (One, Plus, X) beside the API's. */
	static const char *const labels[LEVEL_COUNT] = {
		[LEVEL_STANDARD] = NC_("card level", "standard"),
		[LEVEL_PLUS] = NC_("card level", "plus"),
		[LEVEL_METAL] = NC_("card level", "metal"),
		[LEVEL_VIRTUAL] = NC_("card level", "virtual"),
		[LEVEL_VIRTUAL_PARTNER] = NC_("card level", "virtual_partner"),
		[LEVEL_FLASH] = NC_("card level", "flash"),
		[LEVEL_ADVERTISING] = NC_("card level", "advertising"),
	};

	if ((unsigned)level >= LEVEL_COUNT)
		return "";
	return i18n_pgettext(labels[level], NULL);
}

size_t catalog_country_count(void)
{
	size_t n = 0;

	while (catalog_countries_data[n][0])
		n++;
	return n;
}

const char *catalog_country_code(size_t i)
{
	return i < catalog_country_count() ? catalog_countries_data[i][0] : NULL;
}

/* The name in the language messages are in (assets/countries.tsv has
 * English and French names). */
const char *catalog_country_name(size_t i)
{
	if (i >= catalog_country_count())
		return NULL;
	return i18n_french() ? catalog_countries_fr[i] : catalog_countries_data[i][1];
}

int catalog_country_find(const char *code)
{
	for (size_t i = 0; catalog_countries_data[i][0]; i++)
		if (strcmp(catalog_countries_data[i][0], code) == 0)
			return (int)i;
	return -1;
}

size_t catalog_design_count(void)
{
	return count_list(catalog_designs_data);
}

const char *catalog_design(size_t i)
{
	return i < catalog_design_count() ? catalog_designs_data[i] : NULL;
}

int catalog_design_find(const char *name)
{
	return find_in(catalog_designs_data, name);
}

bool catalog_design_level(const char *name, enum card_level *out)
{
	char prefix[32];
	const char *dot = strchr(name, '.');
	size_t len = dot ? (size_t)(dot - name) : strlen(name);

	if (len >= sizeof(prefix))
		return false;
	memcpy(prefix, name, len);
	prefix[len] = '\0';
	return level_parse(prefix, out);
}
