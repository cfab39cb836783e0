/* directory_resolve.c: a card's holder and bank account named in an
 * order (by name, IBAN or id) looked up in the organisation read from
 * Qonto (directory.c reads it), each mistake said once. */
#include "config.h"

#include "directory.h"
#include "text.h"
#include "values.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DIR_MAX_CANDIDATES 5

const struct member *directory_member(const struct directory *dir,
				      const char *id)
{
	for (size_t i = 0; i < dir->n_members; i++)
		if (strcmp(dir->members[i].id, id) == 0)
			return &dir->members[i];
	return NULL;
}

/* Folded, with runs of blanks collapsed: "  Zoé   LAMBERT " is "zoe lambert". */
static char *normalize(const char *s)
{
	char *f = text_fold(s), *w, *r;

	if (!f)
		return NULL;
	for (r = w = f; *r; r++) {
		if (isspace((unsigned char)*r)) {
			if (w > f && w[-1] != ' ')
				*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	if (w > f && w[-1] == ' ')
		w--;
	*w = '\0';
	return f;
}

/* "Camille Martin (3c90…), Camille Martin (8a2b…)": the first
 * DIR_MAX_CANDIDATES (the messages say how many more there are). */
static void list_candidates(const struct directory *dir, const size_t *idx,
			    size_t n, char *buf, size_t cap)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && i < DIR_MAX_CANDIDATES && used < cap; i++) {
		const struct member *m = &dir->members[idx[i]];
		int w = snprintf(buf + used, cap - used, "%s%s %s (%s)",
				 i ? ", " : "", m->first_name ? m->first_name : "",
				 m->last_name ? m->last_name : "", m->id);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static int resolve_holder(const struct directory *dir, struct card *card,
			  size_t index, struct problem_list *problems)
{
	const char *name = card_text(card, FIELD_HOLDER);
	size_t exact[DIR_MAX_CANDIDATES + 1], n_exact = 0, near[DIR_MAX_CANDIDATES + 1];
	char *want = normalize(name), *have, list[768];
	size_t n_near;
	int rc = 0;

	if (!want)
		return -1;
	for (size_t i = 0; i < dir->n_members; i++) {
		have = normalize(dir->members[i].folded);
		if (have && strcmp(have, want) == 0) {
			if (n_exact <= DIR_MAX_CANDIDATES)
				exact[n_exact] = i;
			n_exact++;
		}
		free(have);
	}
	if (n_exact == 1) {
		rc = card_set_text(card, FIELD_HOLDER_ID,
				   dir->members[exact[0]].id) ? 0 : -1;
		card->resolved |= FIELD_BIT(FIELD_HOLDER_ID);
	} else if (n_exact > DIR_MAX_CANDIDATES) {
		list_candidates(dir, exact, n_exact, list, sizeof(list));
		rc = problems_add(problems, SEVERITY_ERROR, index, card->row, "holder",
				  /* TRANSLATORS: the first %s is a name, the
				   * second a list of members "First Last (id),
				   * ..."; holder_id stays. */
				  "\"%s\" matches %zu members: %s and %zu "
				  "more; give holder_id instead",
				  name, n_exact, list, n_exact - DIR_MAX_CANDIDATES);
	} else if (n_exact > 1) {
		list_candidates(dir, exact, n_exact, list, sizeof(list));
		rc = problems_add(problems, SEVERITY_ERROR, index, card->row, "holder",
				  /* TRANSLATORS: the first %s is a name, the
				   * second a list of members "First Last (id),
				   * ..."; holder_id stays. */
				  "\"%s\" matches %zu members: %s; "
				  "give holder_id instead",
				  name, n_exact, list);
	} else {
		n_near = directory_find_members(dir, want, near, DIR_MAX_CANDIDATES + 1);
		list_candidates(dir, near, n_near, list, sizeof(list));
		if (n_near > DIR_MAX_CANDIDATES)
			rc = problems_add(problems, SEVERITY_ERROR, index, card->row,
					  "holder",
					  /* TRANSLATORS: the first %s is a name,
					   * the second a list of members "First
					   * Last (id), ...". */
					  "no member is called \"%s\"; did "
					  "you mean %s and %zu more",
					  name, list, n_near - DIR_MAX_CANDIDATES);
		else if (n_near > 0)
			rc = problems_add(problems, SEVERITY_ERROR, index, card->row,
					  "holder",
					  /* TRANSLATORS: the first %s is a name,
					   * the second a list of members "First
					   * Last (id), ...". */
					  "no member is called \"%s\"; did "
					  "you mean %s",
					  name, list);
		else
			rc = problems_add(problems, SEVERITY_ERROR, index, card->row,
					  "holder", "no member is called \"%s\"", name);
	}
	free(want);
	return rc;
}

/* IBANs compare without spaces and case. */
static bool same_iban(const char *a, const char *b)
{
	while (*a || *b) {
		if (*a == ' ') {
			a++;
			continue;
		}
		if (*b == ' ') {
			b++;
			continue;
		}
		if (toupper((unsigned char)*a) != toupper((unsigned char)*b))
			return false;
		a++;
		b++;
	}
	return true;
}

static int resolve_account(const struct directory *dir, struct card *card,
			   size_t index, struct problem_list *problems)
{
	const char *name = card_text(card, FIELD_BANK_ACCOUNT);
	char *want = normalize(name), *have;
	const struct bank_account *found = NULL;
	size_t matches = 0;

	if (!want)
		return -1;
	for (size_t i = 0; i < dir->n_accounts; i++) {
		const struct bank_account *a = &dir->accounts[i];

		have = a->name ? normalize(a->name) : NULL;
		if ((have && strcmp(have, want) == 0) ||
		    (a->iban && same_iban(a->iban, name))) {
			found = a;
			matches++;
		}
		free(have);
	}
	free(want);
	if (matches == 1) {
		card->resolved |= FIELD_BIT(FIELD_BANK_ACCOUNT_ID);
		return card_set_text(card, FIELD_BANK_ACCOUNT_ID, found->id) ? 0 : -1;
	}
	if (matches > 1)
		return problems_add(problems, SEVERITY_ERROR, index, card->row,
				    "bank_account",
				    "\"%s\" matches %zu bank accounts; give "
				    "bank_account_id or the IBAN instead",
				    name, matches);
	return problems_add(problems, SEVERITY_ERROR, index, card->row,
			    "bank_account",
			    "no bank account is named \"%s\"; give its name "
			    "as in Qonto, or its IBAN",
			    name);
}

/* An id given that is none of those read from Qonto: said at once rather
 * than by Qonto when the order is sent. A warning: what a caller may list
 * is Qonto's to say, and Qonto judges the card. */
static int check_known(const struct directory *dir, struct card *c, size_t index,
		       enum field_id id, struct problem_list *problems)
{
	const char *want = card_text(c, id), *field;
	size_t n = id == FIELD_HOLDER_ID ? dir->n_members : dir->n_accounts;

	if (!want || !value_uuid_valid(want) || n == 0 || (c->resolved & FIELD_BIT(id)))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(id == FIELD_HOLDER_ID ? dir->members[i].id : dir->accounts[i].id,
			       want) == 0)
			return 0;
	field = field_get(id)->name;
	if (id == FIELD_HOLDER_ID && dir->organization_name)
		return problems_add(problems, SEVERITY_WARNING, index, c->row, field,
				    /* TRANSLATORS: %s is the organisation's name. */
				    "no member of %s read from Qonto has this id "
				    "(%zu members): Qonto will probably refuse the card",
				    dir->organization_name, n);
	if (id == FIELD_HOLDER_ID)
		return problems_add(problems, SEVERITY_WARNING, index, c->row, field,
				    "no member of your organisation read from Qonto "
				    "has this id (%zu members): Qonto will probably "
				    "refuse the card",
				    n);
	if (dir->organization_name)
		return problems_add(problems, SEVERITY_WARNING, index, c->row, field,
				    /* TRANSLATORS: %s is the organisation's name. */
				    "no bank account of %s read from Qonto has this "
				    "id (%zu accounts): Qonto will probably refuse the card",
				    dir->organization_name, n);
	return problems_add(problems, SEVERITY_WARNING, index, c->row, field,
			    "no bank account of your organisation read from Qonto "
			    "has this id (%zu accounts): Qonto will probably refuse "
			    "the card",
			    n);
}

int directory_resolve_card(const struct directory *dir, struct card *c,
			   size_t index, struct problem_list *problems)
{
	size_t before = problems->n;

	if (!card_has(c, FIELD_HOLDER_ID) && card_has(c, FIELD_HOLDER)) {
		if (resolve_holder(dir, c, index, problems) < 0)
			return -1;
		/* not found: said once, not again as a missing holder_id */
		if (problems->n > before)
			c->invalid |= FIELD_BIT(FIELD_HOLDER_ID);
	}
	before = problems->n;
	if (!card_has(c, FIELD_BANK_ACCOUNT_ID) && card_has(c, FIELD_BANK_ACCOUNT)) {
		if (resolve_account(dir, c, index, problems) < 0)
			return -1;
		if (problems->n > before)
			c->invalid |= FIELD_BIT(FIELD_BANK_ACCOUNT_ID);
	}
	if (check_known(dir, c, index, FIELD_HOLDER_ID, problems) < 0 ||
	    check_known(dir, c, index, FIELD_BANK_ACCOUNT_ID, problems) < 0)
		return -1;
	if (!card_has(c, FIELD_ORGANIZATION_ID) && dir->organization_id &&
	    !card_set_text(c, FIELD_ORGANIZATION_ID, dir->organization_id))
		return -1;
	if (!card_has(c, FIELD_INITIATOR_ID) && dir->initiator_id &&
	    !card_set_text(c, FIELD_INITIATOR_ID, dir->initiator_id))
		return -1;
	return 0;
}

int directory_resolve(const struct directory *dir, struct order *order,
		      struct problem_list *problems)
{
	for (size_t i = 0; i < order->n_cards; i++)
		if (directory_resolve_card(dir, &order->cards[i], i, problems) < 0)
			return -1;
	return 0;
}
