/* editor_pick.c: the card editor's pickers: holder, bank account, level,
 * design, country (filter as you type), and the checklists of categories
 * and days. Each writes what was chosen through editor_set_text. */
#include "config.h"

#include "tui.h"
#include "editor.h"
#include "catalog.h"
#include "i18n.h"
#include "text.h"
#include "values.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a picker or a prompt of the editor writes into: the editor stays
 * under the dialog until it answers. Owned by the dialog (free). */
struct target {
	struct editor *e;
	enum field_id id;
};

static struct target *target_new(struct editor *e, enum field_id id)
{
	struct target *t = malloc(sizeof(*t));

	if (t) {
		t->e = e;
		t->id = id;
	}
	return t;
}

/* The value of "(none)", the last item of optional lists: whatever its
 * label says in the person's language, it empties the field. */
#define NONE_VALUE ""

/* A value chosen for the field: an id chosen replaces the name it was
 * given by; "(none)" (NONE_VALUE) empties it. */
static void chosen(struct app *app, const char *value, const bool *marked,
		   void *ctx)
{
	struct target *t = ctx;

	(void)marked;
	if (value) {
		if (t->id == FIELD_HOLDER_ID)
			draft_set(editor_card(app, t->e), FIELD_HOLDER, NULL);
		else if (t->id == FIELD_BANK_ACCOUNT_ID)
			draft_set(editor_card(app, t->e), FIELD_BANK_ACCOUNT, NULL);
		editor_set_text(app, t->e, t->id, strcmp(value, NONE_VALUE) == 0 ? NULL : value);
	}
	free(t);
}

static void typed(struct app *app, const char *text, void *ctx)
{
	struct target *t = ctx;

	if (text)
		editor_set_text(app, t->e, t->id, text);
	free(t);
}

/* A picker opens on the field's current value: Enter then keeps it, never
 * the first entry in its place. */
static void pick(struct app *app, struct editor *e, enum field_id id,
		 const char *title, const char *const *labels,
		 const char *const *values, size_t n, const char *filter)
{
	struct target *t = target_new(e, id);
	const char *now = editor_text(app, e, id);
	int selected = -1;

	for (size_t i = 0; now && *now && selected < 0 && i < n; i++) {
		const char *v = values ? values[i] : labels[i];

		if (v && strcmp(v, now) == 0)
			selected = (int)i;
	}
	if (t)
		app_pick(app, title, labels, values, n, selected, false, NULL, filter,
			 chosen, t, free);
}

/* Offline there is no list: the id is typed. */
static void prompt_id(struct app *app, struct editor *e, enum field_id id,
		      const char *question)
{
	struct target *t = target_new(e, id);

	if (t)
		app_prompt(app, question, editor_text(app, e, id), typed, t, free);
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void pick_holder(struct app *app, struct editor *e, const char *filter)
{
	size_t n = app->dir.n_members;
	char **names = calloc(n + 1, sizeof(*names));
	const char **ids = calloc(n + 1, sizeof(*ids));

	if (n == 0) {
		prompt_id(app, e, FIELD_HOLDER_ID, _("Holder: a member's id (not connected "
						     "to Qonto, so there is no list)"));
		goto out;
	}
	for (size_t i = 0; names && ids && i < n; i++) {
		const struct member *m = &app->dir.members[i];
		bool twin = false;

		/* two members of one name: their ids tell them apart */
		for (size_t k = 0; k < n && !twin; k++)
			twin = k != i && m->folded && app->dir.members[k].folded &&
			       strcmp(m->folded, app->dir.members[k].folded) == 0;
		if (asprintf(&names[i], "%s %s%s%s%s%.8s", m->first_name ? m->first_name : "",
			     m->last_name ? m->last_name : "", m->role ? "  · " : "",
			     m->role ? m->role : "", twin ? "  · id " : "",
			     twin ? m->id : "") < 0)
			names[i] = NULL;
		ids[i] = m->id;
	}
	if (names && ids)
		pick(app, e, FIELD_HOLDER_ID, _("Holder"), (const char *const *)names, ids, n,
		     filter);
out:
	free_strings(names, n);
	free(ids);
}

static void pick_account(struct app *app, struct editor *e)
{
	size_t n = app->dir.n_accounts;
	char **names = calloc(n + 1, sizeof(*names));
	const char **ids = calloc(n + 1, sizeof(*ids));

	if (n == 0) {
		prompt_id(app, e, FIELD_BANK_ACCOUNT_ID, _("Bank account id"));
		goto out;
	}
	for (size_t i = 0; names && ids && i < n; i++) {
		const struct bank_account *a = &app->dir.accounts[i];

		if (asprintf(&names[i],
			     /* TRANSLATORS: an account's name and IBAN, the
				main account of the organisation marked. */
			     a->main ? _("%s  %s  (main)") : "%s  %s", a->name ? a->name : "",
			     a->iban ? a->iban : "") < 0)
			names[i] = NULL;
		ids[i] = a->id;
	}
	if (names && ids)
		pick(app, e, FIELD_BANK_ACCOUNT_ID, _("Bank account"),
		     (const char *const *)names, ids, n, NULL);
out:
	free_strings(names, n);
	free(ids);
}

static void pick_level(struct app *app, struct editor *e)
{
	const char *items[LEVEL_COUNT], *values[LEVEL_COUNT];

	for (int i = 0; i < LEVEL_COUNT; i++) {
		values[i] = level_name((enum card_level)i);
		items[i] = catalog_level_label((enum card_level)i);
	}
	pick(app, e, FIELD_CARD_LEVEL, _("Card level"), items, values, LEVEL_COUNT, NULL);
}

static void pick_design(struct app *app, struct editor *e)
{
	const char *items[64], *values[64];
	enum card_level level, dl;
	bool known = level_parse(editor_text(app, e, FIELD_CARD_LEVEL), &level);
	size_t n = 0;

	/* Qonto's own list of the level's designs when it could be read,
	 * else the list known offline. */
	for (size_t i = 0; i < app->dir.n_designs && n < 62; i++)
		if (app->dir.designs[i].active &&
		    (!known || strcmp(app->dir.designs[i].level, level_name(level)) == 0)) {
			values[n] = app->dir.designs[i].design;
			items[n++] = catalog_design_label(app->dir.designs[i].design);
		}
	for (size_t i = 0, from_api = n; !from_api && i < catalog_design_count() && n < 62; i++)
		if (!known || (catalog_design_level(catalog_design(i), &dl) && dl == level) ||
		    (level == LEVEL_VIRTUAL_PARTNER && dl == LEVEL_VIRTUAL)) {
			values[n] = catalog_design(i);
			items[n++] = catalog_design_label(catalog_design(i));
		}
	values[n] = NONE_VALUE;
	items[n++] = _("(none)");
	pick(app, e, FIELD_CARD_DESIGN, _("Design"), items, values, n, NULL);
}

static void pick_country(struct app *app, struct editor *e, const char *filter)
{
	size_t n = catalog_country_count();
	char **names = calloc(n + 1, sizeof(*names));
	const char **codes = calloc(n + 1, sizeof(*codes));

	for (size_t i = 0; names && codes && i < n; i++) {
		if (asprintf(&names[i], "%s  %s", catalog_country_code(i),
			     catalog_country_name(i)) < 0)
			names[i] = NULL;
		codes[i] = catalog_country_code(i);
	}
	if (names && codes)
		pick(app, e, FIELD_COUNTRY, _("Country"), (const char *const *)names, codes,
		     n, filter);
	free_strings(names, n);
	free(codes);
}

/* The checklist is done: the text keeps the API's order. */
static void listed(struct app *app, const char *value, const bool *marked,
		   void *ctx)
{
	struct target *t = ctx;
	bool days = t->id == FIELD_ACTIVE_DAYS;
	size_t n = days ? 7 : catalog_category_count(), used = 0;
	char out[512] = "";

	for (size_t i = 0; value && marked && i < n; i++) {
		if (!marked[i])
			continue;
		if (days)
			used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%zu",
						 used ? ";" : "", i + 1);
		else
			used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s",
						 used ? ";" : "", catalog_category(i));
	}
	if (value)
		editor_set_text(app, t->e, t->id, out);
	free(t);
}

/* Categories and days: checklists. */
static void pick_list(struct app *app, struct editor *e, enum field_id id)
{
	bool days = id == FIELD_ACTIVE_DAYS;
	size_t n = days ? 7 : catalog_category_count();
	const char *items[32];
	bool marked[32] = { false };
	char *copy = strdup(editor_text(app, e, id)), *tok, *save = NULL;
	struct target *t = target_new(e, id);
	int day, cat;

	for (size_t i = 0; i < n; i++)
		/* translated here: their table (scr_editor.c) is to mark them N_ */
		items[i] = days ? _(editor_day_names[i]) : catalog_category_label(i);
	for (tok = copy ? strtok_r(copy, ";", &save) : NULL; tok;
	     tok = strtok_r(NULL, ";", &save)) {
		if (days && value_parse_day(tok, &day) && day >= 1 && day <= 7)
			marked[day - 1] = true;
		else if (!days && (cat = catalog_category_find(tok)) >= 0)
			marked[cat] = true;
	}
	free(copy);
	if (t)
		app_pick(app, days ? _("Active days (none marked: every day)")
				   : _("Merchant categories (none marked: all)"),
			 items, NULL, n, -1, true, marked, NULL, listed, t, free);
}

void editor_open_picker(struct app *app, struct editor *e, enum field_id id,
			const char *filter)
{
	/* the API's values; the last one's label is translated */
	static const char *const prints[] = { "print", "embossed", NONE_VALUE };
	const char *print_labels[] = { prints[0], prints[1], _("(none)") };

	switch (id) {
	case FIELD_HOLDER_ID: pick_holder(app, e, filter); break;
	case FIELD_BANK_ACCOUNT_ID: pick_account(app, e); break;
	case FIELD_CARD_LEVEL: pick_level(app, e); break;
	case FIELD_CARD_DESIGN: pick_design(app, e); break;
	case FIELD_TYPE_OF_PRINT:
		pick(app, e, id, _("Type of print"), print_labels, prints, 3, NULL);
		break;
	case FIELD_COUNTRY: pick_country(app, e, filter); break;
	case FIELD_CATEGORIES: case FIELD_ACTIVE_DAYS: pick_list(app, e, id); break;
	default: break;
	}
	clear();
}

