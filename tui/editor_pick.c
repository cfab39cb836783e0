/* editor_pick.c: the card editor's pickers: holder, bank account, level,
 * design, country (filter as you type), and the checklists of categories
 * and days. Each writes what was chosen through editor_set_text. */
#include "config.h"

#include "tui.h"
#include "editor.h"
#include "catalog.h"
#include "text.h"
#include "values.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void pick_holder(struct app *app, struct editor *e, const char *filter)
{
	const char **items = calloc(app->dir.n_members + 1, sizeof(*items));
	char **names = calloc(app->dir.n_members + 1, sizeof(*names));
	char *typed;
	int k = -1;

	if (app->dir.n_members == 0) {
		typed = ui_prompt(app, "Holder: a member's id (not connected to Qonto, "
				       "so there is no list)", editor_text(app, e, FIELD_HOLDER_ID));
		if (typed)
			editor_set_text(app, e, FIELD_HOLDER_ID, typed);
		free(typed);
		goto out;
	}
	for (size_t i = 0; items && names && i < app->dir.n_members; i++) {
		const struct member *m = &app->dir.members[i];

		if (asprintf(&names[i], "%s %s%s%s", m->first_name ? m->first_name : "",
			     m->last_name ? m->last_name : "", m->role ? "  · " : "",
			     m->role ? m->role : "") < 0)
			names[i] = NULL;
		items[i] = names[i] ? names[i] : "";
	}
	if (items && names)
		k = ui_pick(app, "Holder", items, app->dir.n_members, -1, false, NULL, filter);
	if (k >= 0) {
		draft_set(editor_card(app, e), FIELD_HOLDER, NULL);
		editor_set_text(app, e, FIELD_HOLDER_ID, app->dir.members[k].id);
	}
out:
	for (size_t i = 0; names && i < app->dir.n_members; i++)
		free(names[i]);
	free(names);
	free(items);
}

static void pick_account(struct app *app, struct editor *e)
{
	const char **items = calloc(app->dir.n_accounts + 1, sizeof(*items));
	char **names = calloc(app->dir.n_accounts + 1, sizeof(*names));
	char *typed;
	int k = -1;

	if (app->dir.n_accounts == 0) {
		typed = ui_prompt(app, "Bank account id", editor_text(app, e, FIELD_BANK_ACCOUNT_ID));
		if (typed)
			editor_set_text(app, e, FIELD_BANK_ACCOUNT_ID, typed);
		free(typed);
		goto out;
	}
	for (size_t i = 0; items && names && i < app->dir.n_accounts; i++) {
		const struct bank_account *a = &app->dir.accounts[i];

		if (asprintf(&names[i], "%s  %s%s", a->name ? a->name : "",
			     a->iban ? a->iban : "", a->main ? "  (main)" : "") < 0)
			names[i] = NULL;
		items[i] = names[i] ? names[i] : "";
	}
	if (items && names)
		k = ui_pick(app, "Bank account", items, app->dir.n_accounts, -1, false,
			    NULL, NULL);
	if (k >= 0) {
		draft_set(editor_card(app, e), FIELD_BANK_ACCOUNT, NULL);
		editor_set_text(app, e, FIELD_BANK_ACCOUNT_ID, app->dir.accounts[k].id);
	}
out:
	for (size_t i = 0; names && i < app->dir.n_accounts; i++)
		free(names[i]);
	free(names);
	free(items);
}

static void pick_from(struct app *app, struct editor *e, enum field_id id,
		      const char *title, const char *const *items, size_t n,
		      const char *filter)
{
	int k = ui_pick(app, title, items, n, -1, false, NULL, filter);

	if (k < 0)
		return;
	/* "(none)" is the last item of optional lists */
	editor_set_text(app, e, id, strcmp(items[k], "(none)") == 0 ? NULL : items[k]);
}

static void pick_level(struct app *app, struct editor *e)
{
	const char *items[LEVEL_COUNT];

	for (int i = 0; i < LEVEL_COUNT; i++)
		items[i] = level_name((enum card_level)i);
	pick_from(app, e, FIELD_CARD_LEVEL, "Card level", items, LEVEL_COUNT, NULL);
}

static void pick_design(struct app *app, struct editor *e)
{
	const char *items[64];
	enum card_level level, dl;
	bool known = level_parse(editor_text(app, e, FIELD_CARD_LEVEL), &level);
	size_t n = 0;

	/* Qonto's own list of the level's designs when it could be read,
	 * else the list known offline. */
	for (size_t i = 0; i < app->dir.n_designs && n < 62; i++)
		if (app->dir.designs[i].active &&
		    (!known || strcmp(app->dir.designs[i].level, level_name(level)) == 0))
			items[n++] = app->dir.designs[i].design;
	for (size_t i = 0, from_api = n; !from_api && i < catalog_design_count() && n < 62; i++)
		if (!known || (catalog_design_level(catalog_design(i), &dl) && dl == level) ||
		    (level == LEVEL_VIRTUAL_PARTNER && dl == LEVEL_VIRTUAL))
			items[n++] = catalog_design(i);
	items[n++] = "(none)";
	pick_from(app, e, FIELD_CARD_DESIGN, "Design", items, n, NULL);
}

static void pick_country(struct app *app, struct editor *e, const char *filter)
{
	size_t n = catalog_country_count();
	char **names = calloc(n + 1, sizeof(*names));
	const char **items = calloc(n + 1, sizeof(*items));
	int k = -1;

	for (size_t i = 0; names && items && i < n; i++) {
		if (asprintf(&names[i], "%s  %s", catalog_country_code(i),
			     catalog_country_name(i)) < 0)
			names[i] = NULL;
		items[i] = names[i] ? names[i] : "";
	}
	if (names && items)
		k = ui_pick(app, "Country", items, n, -1, false, NULL, filter);
	if (k >= 0)
		editor_set_text(app, e, FIELD_COUNTRY, catalog_country_code((size_t)k));
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
	free(items);
}

/* Categories and days: checklists; the text keeps the API's order. */
static void pick_list(struct app *app, struct editor *e, enum field_id id)
{
	bool days = id == FIELD_ACTIVE_DAYS;
	size_t n = days ? 7 : catalog_category_count(), used = 0;
	const char *items[32];
	bool marked[32] = { false };
	char *copy = strdup(editor_text(app, e, id)), *tok, *save = NULL, out[512] = "";
	int day, cat;

	for (size_t i = 0; i < n; i++)
		items[i] = days ? editor_day_names[i] : catalog_category(i);
	for (tok = copy ? strtok_r(copy, ";", &save) : NULL; tok;
	     tok = strtok_r(NULL, ";", &save)) {
		if (days && value_parse_day(tok, &day) && day >= 1 && day <= 7)
			marked[day - 1] = true;
		else if (!days && (cat = catalog_category_find(tok)) >= 0)
			marked[cat] = true;
	}
	free(copy);
	if (ui_pick(app, days ? "Active days (none marked: every day)"
			      : "Merchant categories (none marked: all)",
		    items, n, -1, true, marked, NULL) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!marked[i])
			continue;
		if (days)
			used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%zu",
						 used ? ";" : "", i + 1);
		else
			used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s",
						 used ? ";" : "", items[i]);
	}
	editor_set_text(app, e, id, out);
}

void editor_open_picker(struct app *app, struct editor *e, enum field_id id,
			const char *filter)
{
	static const char *const prints[] = { "print", "embossed", "(none)" };

	switch (id) {
	case FIELD_HOLDER_ID: pick_holder(app, e, filter); break;
	case FIELD_BANK_ACCOUNT_ID: pick_account(app, e); break;
	case FIELD_CARD_LEVEL: pick_level(app, e); break;
	case FIELD_CARD_DESIGN: pick_design(app, e); break;
	case FIELD_TYPE_OF_PRINT:
		pick_from(app, e, id, "Type of print", prints, 3, NULL);
		break;
	case FIELD_COUNTRY: pick_country(app, e, filter); break;
	case FIELD_CATEGORIES: case FIELD_ACTIVE_DAYS: pick_list(app, e, id); break;
	default: break;
	}
	clear();
}

