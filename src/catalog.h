/* catalog.h: the fixed lists shipped in assets/ (merchant categories,
 * ISO 3166-1 alpha-2 countries, card designs known offline), compiled in
 * from those files at build time. */
#ifndef CARDORDER_CATALOG_H
#define CARDORDER_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "fields.h"

size_t catalog_category_count(void);
const char *catalog_category(size_t i); /* static; NULL when out of range */
int catalog_category_find(const char *name); /* index, or -1 */

/* The names a person reads in the current language (i18n_language()):
 * the French ones from assets/ in French, else the API's own value. */
const char *catalog_category_label(size_t i);
const char *catalog_design_label(const char *design); /* any design id */
const char *catalog_level_label(enum card_level level);

size_t catalog_country_count(void);
const char *catalog_country_code(size_t i);
const char *catalog_country_name(size_t i);
int catalog_country_find(const char *code); /* exact upper-case code, or -1 */

size_t catalog_design_count(void);
const char *catalog_design(size_t i);
int catalog_design_find(const char *name);
/* The level a design belongs to, from its prefix ("plus.black.2023" is
 * plus); false when the prefix names no level. */
bool catalog_design_level(const char *name, enum card_level *out);

#endif
