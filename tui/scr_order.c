/* scr_order.c: the order as a table of cards, with their problems. */
#include "config.h"

#include "tui.h"
#include "screens.h"
#include "reader.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct order_view {
	struct list_view list;
	bool *marked;    /* one per card, resized with the draft */
	size_t n_marked_cap;
};

static const struct key_binding order_keys[] = {
	{ 'a', "a", "add a card", true },
	{ '\n', "Enter", "edit", true },
	{ 'c', "c", "copy", true },
	{ 'x', "x", "delete", true },
	{ ' ', "Space", "mark", false },
	{ 't', "t", "template to marked", true },
	{ 'i', "i", "import CSV", true },
	{ 'r', "r", "review & send", true },
	{ 'q', "q", "quit", true },
	{ 'e', "e", "edit the card", false },
	{ 'A', "A", "mark all / none", false },
	{ 0, NULL, NULL, false },
};

static struct order_view *view(struct screen *s)
{
	return s->data;
}

static bool ensure_marks(struct app *app, struct order_view *v)
{
	bool *grown;

	if (app->draft.n <= v->n_marked_cap)
		return true;
	grown = realloc(v->marked, app->draft.n * sizeof(*grown));
	if (!grown)
		return false;
	memset(grown + v->n_marked_cap, 0,
	       (app->draft.n - v->n_marked_cap) * sizeof(*grown));
	v->marked = grown;
	v->n_marked_cap = app->draft.n;
	return true;
}

/* The first problem of card i (errors first), and counts. */
static const struct problem *card_problem(const struct app *app, size_t i,
					  size_t *errors, size_t *warnings)
{
	const struct problem *first = NULL;

	*errors = *warnings = 0;
	for (size_t k = 0; k < app->problems.n; k++) {
		const struct problem *p = &app->problems.items[k];

		if (p->card != i)
			continue;
		if (p->severity == SEVERITY_ERROR) {
			if (!first || first->severity != SEVERITY_ERROR)
				first = p;
			(*errors)++;
		} else {
			if (!first)
				first = p;
			(*warnings)++;
		}
	}
	return first;
}

static const char *text_of(const struct app *app, size_t i, enum field_id id)
{
	const char *t = app->draft.cards[i].text[id];

	return t ? t : "";
}

static void draw_row(struct app *app, struct order_view *v, size_t i, int y)
{
	size_t errors, warnings;
	const struct problem *p = card_problem(app, i, &errors, &warnings);
	const char *holder = text_of(app, i, FIELD_HOLDER);
	const char *name = app_holder_name(app, text_of(app, i, FIELD_HOLDER_ID));
	char opts[8] = "----";
	const struct card *c = i < app->order.n_cards ? &app->order.cards[i] : NULL;

	if (c) {
		opts[0] = card_bool(c, FIELD_ATM_OPTION) ? 'A' : '-';
		opts[1] = card_bool(c, FIELD_NFC_OPTION) ? 'N' : '-';
		opts[2] = card_bool(c, FIELD_ONLINE_OPTION) ? 'O' : '-';
		opts[3] = card_bool(c, FIELD_FOREIGN_OPTION) ? 'F' : '-';
	}
	if (i == v->list.cursor)
		ui_attr(app, UI_SELECTED, true);
	move(y, 0);
	clrtoeol();
	if (i == v->list.cursor)
		for (int x = 0; x < COLS; x++)
			addch(' ');
	ui_textf(y, 0, 5, "%s%4zu", v->marked[i] ? "*" : " ", i + 1);
	ui_text(y, 6, 20, name ? name : *holder ? holder : text_of(app, i, FIELD_HOLDER_ID));
	ui_text(y, 27, 11, text_of(app, i, FIELD_CARD_LEVEL));
	ui_text(y, 39, 7, *text_of(app, i, FIELD_PAYMENT_MONTHLY_LIMIT)
				  ? text_of(app, i, FIELD_PAYMENT_MONTHLY_LIMIT)
				  : text_of(app, i, FIELD_PAYMENT_LIFESPAN_LIMIT));
	ui_text(y, 47, 4, opts);
	ui_text(y, 52, 10, text_of(app, i, FIELD_CITY));
	if (i == v->list.cursor)
		ui_attr(app, UI_SELECTED, false);
	if (p) {
		ui_attr(app, errors ? UI_ERROR : UI_WARNING, true);
		ui_textf(y, 63, COLS - 63, "%s%zu %s: %s", errors ? "✗" : "!",
			 errors ? errors : warnings, p->field, p->message);
		ui_attr(app, errors ? UI_ERROR : UI_WARNING, false);
	} else if (app->draft.cards[i].note) {
		ui_attr(app, UI_WARNING, true);
		ui_textf(y, 63, COLS - 63, "Qonto: %s%s%s", app->draft.cards[i].note_field,
			 app->draft.cards[i].note_field[0] ? ": " : "",
			 app->draft.cards[i].note);
		ui_attr(app, UI_WARNING, false);
	} else if (c) {
		ui_attr(app, UI_OK, true);
		ui_text(y, 63, COLS - 63, "ok");
		ui_attr(app, UI_OK, false);
	}
}

static void order_draw(struct app *app, struct screen *s)
{
	struct order_view *v = view(s);
	int rows = LINES - 6;
	char title[80];

	ensure_marks(app, v);
	snprintf(title, sizeof(title), "order: %zu card(s), %zu error(s), %zu warning(s)",
		 app->draft.n, app->problems.n_errors, app->problems.n_warnings);
	ui_frame(app, title, order_keys);
	ui_attr(app, UI_DIM, true);
	ui_text(2, 0, COLS, "    # holder               level       limit   opts city       problems");
	ui_attr(app, UI_DIM, false);
	if (app->draft.n == 0) {
		ui_text(4, 2, COLS - 4, "No cards yet. Press a to add one, or i to "
					"import a CSV order.");
		return;
	}
	list_fit(&v->list, app->draft.n, rows);
	for (size_t i = v->list.top; i < app->draft.n && (int)(i - v->list.top) < rows; i++)
		draw_row(app, v, i, 3 + (int)(i - v->list.top));
}

static size_t n_marked(const struct app *app, const struct order_view *v)
{
	size_t n = 0;

	for (size_t i = 0; i < app->draft.n && i < v->n_marked_cap; i++)
		n += v->marked[i];
	return n;
}

static enum key_result add_card(struct app *app, struct order_view *v)
{
	if (!draft_add(&app->draft, NULL))
		return KR_REDRAW;
	app_order_changed(app);
	v->list.cursor = app->draft.n - 1;
	ensure_marks(app, v);
	return app_open(app, SCREEN_EDITOR, v->list.cursor, NULL);
}

static void copy_card(struct app *app, struct order_view *v)
{
	struct draft_card copy;

	if (app->draft.n == 0)
		return;
	memset(&copy, 0, sizeof(copy));
	for (int id = 0; id < FIELD_COUNT; id++)
		draft_set(&copy, (enum field_id)id, app->draft.cards[v->list.cursor].text[id]);
	if (draft_add(&app->draft, &copy)) {
		v->list.cursor = app->draft.n - 1;
		app_notify(app, UI_OK, "card copied as card %zu", app->draft.n);
	}
	for (int id = 0; id < FIELD_COUNT; id++)
		free(copy.text[id]);
	ensure_marks(app, v);
	app_order_changed(app);
}

static void delete_answered(struct app *app, bool yes, void *ctx)
{
	struct order_view *v = ctx; /* the order screen, under the dialog */

	if (!yes || v->list.cursor >= app->draft.n)
		return;
	draft_remove(&app->draft, v->list.cursor);
	if (v->list.cursor < v->n_marked_cap)
		memmove(&v->marked[v->list.cursor], &v->marked[v->list.cursor + 1],
			(v->n_marked_cap - v->list.cursor - 1) * sizeof(bool));
	if (v->list.cursor > 0 && v->list.cursor >= app->draft.n)
		v->list.cursor--;
	app_order_changed(app);
	app_notify(app, UI_OK, "card deleted");
}

static enum key_result delete_card(struct app *app, struct order_view *v)
{
	char q[120];

	if (app->draft.n == 0)
		return KR_HANDLED;
	snprintf(q, sizeof(q), "Delete card %zu?", v->list.cursor + 1);
	return app_ask(app, q, delete_answered, v, NULL);
}

static void import_answered(struct app *app, const char *path, void *ctx)
{
	struct problem_list problems;
	struct status_error err = { 0 };
	struct order order;
	size_t before = app->draft.n;

	(void)ctx;
	if (!path || !*path)
		return;
	order_init(&order);
	problems_init(&problems);
	if (reader_read_file(path, &order, &problems, &err) != STATUS_OK)
		app_notify(app, UI_ERROR, "%s", err.message);
	else if (draft_from_order(&app->draft, &order, &err) == STATUS_OK)
		app_notify(app, UI_OK, "%zu card(s) imported from %s",
			   app->draft.n - before, path);
	problems_free(&problems);
	order_free(&order);
	app_order_changed(app);
}

/* Limits and restrictions of the template card (the fields marked
 * FF_TEMPLATE) go to every marked card. */

void app_apply_template(struct app *app, const struct draft_card *tpl,
			const bool *marked)
{
	size_t n = 0;

	for (size_t i = 0; i < app->draft.n; i++) {
		if (!marked[i])
			continue;
		for (int id = 0; id < FIELD_COUNT; id++)
			if ((field_get((enum field_id)id)->flags & FF_TEMPLATE) &&
			    tpl->text[id])
				draft_set(&app->draft.cards[i], (enum field_id)id,
					  tpl->text[id]);
		n++;
	}
	app_order_changed(app);
	app_notify(app, UI_OK, "template applied to %zu card(s)", n);
}

static enum key_result order_key(struct app *app, struct screen *s, wint_t ch,
				 bool is_key)
{
	struct order_view *v = view(s);
	enum key_result kr;

	ensure_marks(app, v);
	if (list_take_key(&v->list, app->draft.n, &ch, is_key, &kr))
		return kr;
	switch (ch) {
	case 'a': return add_card(app, v);
	case '\n': case '\r': case 'e': case 'l':
		if (app->draft.n)
			return app_open(app, SCREEN_EDITOR, v->list.cursor, NULL);
		return KR_REDRAW;
	case 'c': copy_card(app, v); return KR_REDRAW;
	case 'x': return delete_card(app, v);
	case ' ':
		if (app->draft.n) {
			v->marked[v->list.cursor] ^= true;
			if (v->list.cursor + 1 < app->draft.n)
				v->list.cursor++;
		}
		return KR_REDRAW;
	case 'A': {
		bool all = n_marked(app, v) < app->draft.n;

		for (size_t i = 0; i < app->draft.n; i++)
			v->marked[i] = all;
		return KR_REDRAW;
	}
	case 't':
		if (n_marked(app, v) == 0)
			app_notify(app, UI_WARNING, "mark cards with Space first");
		else
			return app_open(app, SCREEN_TEMPLATE, 0, v->marked);
		return KR_REDRAW;
	case 'i':
		return app_prompt(app, "Import which order file (.csv or .json)?", "",
				  import_answered, NULL, NULL);
	case 'r':
		if (app->draft.n == 0)
			app_notify(app, UI_WARNING, "the order has no cards yet");
		else
			return app_open(app, SCREEN_REVIEW, 0, NULL);
		return KR_REDRAW;
	case 'q': case 27:
		app->quit = true;
		return KR_HANDLED;
	default:
		return KR_IGNORED;
	}
}

static void order_free_view(void *data)
{
	struct order_view *v = data;

	if (v)
		free(v->marked);
	free(v);
}

static const struct screen_ops order_ops = {
	.title = "order",
	.keys = order_keys,
	.draw = order_draw,
	.key = order_key,
	.free = order_free_view,
};

struct screen *order_screen_new(void)
{
	return screen_new(&order_ops, calloc(1, sizeof(struct order_view)));
}
