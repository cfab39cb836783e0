/* preflight_json.c: `check --json`, the problems and the summary of
 * preflight.c as one JSON object for scripts. */
#include "config.h"

#include "preflight.h"
#include "preflight_internal.h"
#include "payload.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>


static json_object *tally_json(const struct tally *t)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "cards", json_object_new_int64((int64_t)t->cards));
	json_object_object_add(o, "payment_monthly_limit", json_object_new_int64(t->pay));
	json_object_object_add(o, "atm_monthly_limit", json_object_new_int64(t->atm));
	json_object_object_add(o, "payment_lifespan_limit", json_object_new_int64(t->flash));
	return o;
}

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *exposure_json(const struct preflight *p, const struct directory *dir)
{
	json_object *o = json_object_new_object(), *levels = json_object_new_object();
	json_object *teams = json_object_new_array();

	json_object_object_add(o, "period", json_object_new_string("rolling 30 days"));
	for (int l = 0; l < LEVEL_COUNT; l++)
		if (p->level[l].cards)
			json_object_object_add(levels, level_name((enum card_level)l),
					       tally_json(&p->level[l]));
	for (size_t i = 0; i < p->n_teams; i++) {
		json_object *t = tally_json(&p->teams[i].t);

		json_object_object_add(t, "team_id", str_or_null(p->teams[i].key));
		json_object_object_add(t, "name", str_or_null(dir ? directory_team_name(
								      dir, p->teams[i].key)
								: NULL));
		json_object_array_add(teams, t);
	}
	json_object_object_add(o, "by_level", levels);
	json_object_object_add(o, "by_team", teams);
	json_object_object_add(o, "in_all", tally_json(&p->all));
	return o;
}

static json_object *accounts_json(const struct preflight *p, const struct directory *dir)
{
	json_object *list = json_object_new_array();

	for (size_t i = 0; i < p->n_accounts; i++) {
		const struct bank_account *a = preflight_account(dir, p->accounts[i].key);
		json_object *o = tally_json(&p->accounts[i].t);

		json_object_object_add(o, "bank_account_id", str_or_null(p->accounts[i].key));
		json_object_object_add(o, "name", str_or_null(a ? a->name : NULL));
		json_object_object_add(o, "status", str_or_null(a ? a->status : NULL));
		json_object_object_add(o, "balance_cents",
				       a && a->has_balance ? json_object_new_int64(a->balance_cents)
							   : NULL);
		json_object_array_add(list, o);
	}
	return list;
}

static json_object *fees_json(const struct preflight *p, const struct fee_table *fees)
{
	json_object *o = json_object_new_object(), *levels = json_object_new_object();
	int64_t once = 0, monthly = 0;

	for (int l = 0; l < LEVEL_COUNT; l++) {
		const struct fee *f = &fees->levels[l];
		int64_t n = (int64_t)p->level[l].cards;
		json_object *e;

		if (!n)
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "cards", json_object_new_int64(n));
		json_object_object_add(e, "known", json_object_new_boolean(f->known));
		json_object_object_add(e, "once_cents", json_object_new_int64(f->once_cents * n));
		json_object_object_add(e, "monthly_cents",
				       json_object_new_int64(f->monthly_cents * n));
		json_object_object_add(e, "note", json_object_new_string(f->note));
		json_object_object_add(levels, level_name((enum card_level)l), e);
		once += f->once_cents * n;
		monthly += f->monthly_cents * n;
	}
	json_object_object_add(o, "by_level", levels);
	json_object_object_add(o, "once_cents", json_object_new_int64(once));
	json_object_object_add(o, "monthly_cents", json_object_new_int64(monthly));
	json_object_object_add(o, "source", json_object_new_string(fees->source));
	json_object_object_add(o, "date", json_object_new_string(fees->date));
	json_object_object_add(o, "from", json_object_new_string(fees->from));
	return o;
}

char *preflight_summary_json(const struct preflight *p, const struct directory *dir,
			     const struct fee_table *fees)
{
	json_object *o = json_object_new_object(), *addresses = json_object_new_array();
	size_t requests = payload_request_count(p->n);
	struct keyed_ref *sorted;
	char *text;

	if (!o || !addresses) {
		json_object_put(o);
		json_object_put(addresses);
		return NULL;
	}
	json_object_object_add(o, "cards", json_object_new_int64((int64_t)p->n));
	json_object_object_add(o, "organization", str_or_null(dir ? dir->organization_name : NULL));
	json_object_object_add(o, "caller", str_or_null(dir ? dir->initiator_name : NULL));
	json_object_object_add(o, "caller_role", str_or_null(dir ? dir->caller_role : NULL));
	json_object_object_add(o, "exposure", exposure_json(p, dir));
	json_object_object_add(o, "bank_accounts", accounts_json(p, dir));
	if (fees)
		json_object_object_add(o, "fees", fees_json(p, fees));
	json_object_object_add(o, "requests", json_object_new_int64((int64_t)requests));
	json_object_object_add(o, "approvals", json_object_new_int64((int64_t)requests));
	sorted = preflight_sorted_addresses(p);
	for (size_t i = 0; sorted && i < p->n_addresses; i++) {
		json_object *a = json_object_new_object();

		json_object_object_add(a, "address", json_object_new_string(sorted[i].k->key));
		json_object_object_add(a, "cards", json_object_new_int64((int64_t)sorted[i].k->t.cards));
		json_object_array_add(addresses, a);
	}
	free(sorted);
	json_object_object_add(o, "physical_cards_by_address", addresses);
	text = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return text;
}

char *preflight_report_json(struct problem_list *problems, const struct preflight *p,
			    const struct directory *dir, const struct fee_table *fees)
{
	json_object *root = json_object_new_object(), *list = json_object_new_array();
	json_object *summary = NULL;
	char *text = preflight_summary_json(p, dir, fees), *out = NULL;

	if (text)
		summary = json_tokener_parse(text);
	free(text);
	if (!root || !list || !summary) {
		json_object_put(root);
		json_object_put(list);
		json_object_put(summary);
		return NULL;
	}
	problems_sort(problems);
	for (size_t i = 0; i < problems->n; i++) {
		const struct problem *pr = &problems->items[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "row", json_object_new_int64(pr->row));
		json_object_object_add(o, "field", json_object_new_string(pr->field));
		json_object_object_add(o, "severity",
				       json_object_new_string(pr->severity == SEVERITY_ERROR
								      ? "error"
								      : "warning"));
		json_object_object_add(o, "message", json_object_new_string(problem_message_en(pr)));
		json_object_array_add(list, o);
	}
	json_object_object_add(root, "problems", list);
	json_object_object_add(root, "summary", summary);
	out = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return out;
}
