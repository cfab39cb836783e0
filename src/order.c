/* order.c: the order model. */
#include "config.h"

#include "order.h"

#include <stdlib.h>
#include <string.h>

void card_init(struct card *card)
{
	memset(card, 0, sizeof(*card));
}

void card_free(struct card *card)
{
	if (!card)
		return;
	for (int i = 0; i < STR_SLOTS; i++)
		free(card->str[i]);
	if (card->refused)
		for (int i = 0; i < FIELD_COUNT; i++)
			free(card->refused[i]);
	free(card->refused);
	card_init(card);
}

bool card_copy(struct card *dst, const struct card *src)
{
	*dst = *src;
	dst->refused = NULL;
	for (int i = 0; i < STR_SLOTS; i++)
		dst->str[i] = NULL;
	for (int i = 0; i < STR_SLOTS; i++) {
		if (src->str[i] && !(dst->str[i] = strdup(src->str[i]))) {
			card_free(dst);
			return false;
		}
	}
	for (int i = 0; src->refused && i < FIELD_COUNT; i++) {
		if (src->refused[i] &&
		    !card_keep_refused(dst, (enum field_id)i, src->refused[i])) {
			card_free(dst);
			return false;
		}
	}
	return true;
}

bool card_keep_refused(struct card *card, enum field_id id, const char *text)
{
	char *copy = NULL;

	if ((int)id < 0 || id >= FIELD_COUNT)
		return false;
	if (!card->refused) {
		if (!text)
			return true;
		card->refused = calloc(FIELD_COUNT, sizeof(*card->refused));
		if (!card->refused)
			return false;
	}
	if (text && !(copy = strdup(text)))
		return false;
	free(card->refused[id]);
	card->refused[id] = copy;
	return true;
}

const char *card_refused(const struct card *card, enum field_id id)
{
	return card->refused && (int)id >= 0 && id < FIELD_COUNT ? card->refused[id] : NULL;
}

void order_init(struct order *order)
{
	memset(order, 0, sizeof(*order));
}

void order_free(struct order *order)
{
	if (!order)
		return;
	for (size_t i = 0; i < order->n_cards; i++)
		card_free(&order->cards[i]);
	free(order->cards);
	free(order->path);
	order_init(order);
}

struct card *order_add_card(struct order *order)
{
	struct card *grown;
	size_t cap;

	if (order->n_cards == order->cap) {
		cap = order->cap ? order->cap * 2 : 16;
		grown = realloc(order->cards, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		order->cards = grown;
		order->cap = cap;
	}
	card_init(&order->cards[order->n_cards]);
	return &order->cards[order->n_cards++];
}

void order_remove_card(struct order *order, size_t i)
{
	if (i >= order->n_cards)
		return;
	card_free(&order->cards[i]);
	memmove(&order->cards[i], &order->cards[i + 1],
		(order->n_cards - i - 1) * sizeof(order->cards[0]));
	order->n_cards--;
}

struct card *order_append_copy(struct order *order, const struct card *src)
{
	struct card copy;
	struct card *dst;

	if (!card_copy(&copy, src))
		return NULL;
	dst = order_add_card(order);
	if (!dst) {
		card_free(&copy);
		return NULL;
	}
	*dst = copy;
	return dst;
}

bool card_has(const struct card *card, enum field_id id)
{
	return (unsigned)id < FIELD_COUNT && (card->set & FIELD_BIT(id));
}

void card_unset(struct card *card, enum field_id id)
{
	const struct field_info *f = field_get(id);

	if (!f)
		return;
	card->set &= ~FIELD_BIT(id);
	card->nulls &= ~FIELD_BIT(id);
	card->bools &= ~FIELD_BIT(id);
	if (f->kind == KIND_DAYS)
		card->n_days = 0;
	else if (f->kind == KIND_CATEGORIES)
		card->n_categories = 0;
	else if (f->kind == KIND_EUROS)
		card->euros[f->slot] = 0;
	else if (f->slot != NO_SLOT) {
		free(card->str[f->slot]);
		card->str[f->slot] = NULL;
	}
}

bool card_set_text(struct card *card, enum field_id id, const char *value)
{
	const struct field_info *f = field_get(id);
	char *copy;

	if (!f || f->slot == NO_SLOT || f->kind == KIND_EUROS)
		return false;
	copy = strdup(value);
	if (!copy)
		return false;
	card_unset(card, id);
	card->str[f->slot] = copy;
	card->set |= FIELD_BIT(id);
	return true;
}

void card_set_null(struct card *card, enum field_id id)
{
	card_unset(card, id);
	card->set |= FIELD_BIT(id);
	card->nulls |= FIELD_BIT(id);
}

void card_set_bool(struct card *card, enum field_id id, bool value)
{
	card->set |= FIELD_BIT(id);
	if (value)
		card->bools |= FIELD_BIT(id);
	else
		card->bools &= ~FIELD_BIT(id);
}

void card_set_euros(struct card *card, enum field_id id, int64_t value)
{
	const struct field_info *f = field_get(id);

	if (!f || f->kind != KIND_EUROS)
		return;
	card->euros[f->slot] = value;
	card->set |= FIELD_BIT(id);
}

void card_set_level(struct card *card, enum card_level level)
{
	card->level = (uint8_t)level;
	card->set |= FIELD_BIT(FIELD_CARD_LEVEL);
}

bool card_add_day(struct card *card, int day)
{
	if (card->n_days >= CARD_MAX_DAYS || day < 0 || day > 255)
		return false;
	card->days[card->n_days++] = (uint8_t)day;
	card->set |= FIELD_BIT(FIELD_ACTIVE_DAYS);
	return true;
}

bool card_add_category(struct card *card, int category)
{
	if (card->n_categories >= CARD_MAX_CATEGORIES || category < 0 ||
	    category > 255)
		return false;
	card->categories[card->n_categories++] = (uint8_t)category;
	card->set |= FIELD_BIT(FIELD_CATEGORIES);
	return true;
}

const char *card_text(const struct card *card, enum field_id id)
{
	const struct field_info *f = field_get(id);

	if (!f || f->slot == NO_SLOT || f->kind == KIND_EUROS)
		return NULL;
	return card->str[f->slot];
}

bool card_bool(const struct card *card, enum field_id id)
{
	return (unsigned)id < FIELD_COUNT && (card->bools & FIELD_BIT(id));
}

int64_t card_euros(const struct card *card, enum field_id id)
{
	const struct field_info *f = field_get(id);

	if (!f || f->kind != KIND_EUROS)
		return 0;
	return card->euros[f->slot];
}

bool card_is_null(const struct card *card, enum field_id id)
{
	return (unsigned)id < FIELD_COUNT && (card->nulls & FIELD_BIT(id));
}

bool card_value_switched_off(const struct card *card, enum field_id id)
{
	const struct field_info *f = field_get(id);

	return f && f->option != FIELD_NONE && card_has(card, id) &&
	       card_has(card, f->option) && !card_bool(card, f->option);
}
