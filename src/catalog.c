/* catalog.c: lookups over the lists generated from assets/. */
#include "config.h"

#include "catalog.h"

#include <string.h>

extern const char *const catalog_categories_data[];
extern const char *const catalog_countries_data[][2];
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

const char *catalog_country_name(size_t i)
{
	return i < catalog_country_count() ? catalog_countries_data[i][1] : NULL;
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
