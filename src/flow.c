/* flow.c: the order workflow shared by the commands and the screens (see
 * flow.h). */
#include "config.h"

#include "flow.h"
#include "fsutil.h"
#include "i18n.h"
#include "preflight.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

/* ---- checking ---- */

/* Fills what the config gives and resolves names (ids from the
 * directory); the card is then ready to be validated. */
static int prepare_card(const struct flow_context *ctx, struct card *card,
			size_t index, struct problem_list *problems)
{
	if (ctx && ctx->session && !session_fill_card(ctx->session, card))
		return -1;
	if (ctx && ctx->dir &&
	    (directory_resolve_card(ctx->dir, card, index, problems) < 0 ||
	     preflight_rules_card(ctx->dir, card, index, problems) < 0))
		return -1;
	return 0;
}

static struct validate_options options_for(const struct flow_context *ctx,
					   enum flow_strictness strictness)
{
	struct validate_options vo = { .now = time(NULL),
				       .ids_from_api = strictness == FLOW_DRAFT };

	/* Qonto's designs for this organisation, once read, judge them */
	if (ctx && ctx->dir && ctx->dir->designs_read && ctx->dir->n_designs) {
		vo.design_state = directory_design_state;
		vo.design_ctx = ctx->dir;
	}
	return vo;
}

int flow_check_card(const struct flow_context *ctx, struct card *card,
		    size_t index, enum flow_strictness strictness,
		    struct problem_list *problems)
{
	struct validate_options vo = options_for(ctx, strictness);

	if (prepare_card(ctx, card, index, problems) < 0)
		return -1;
	return validate_card(card, index, &vo, problems);
}

int flow_check_order(const struct flow_context *ctx, struct order *order,
		     enum flow_strictness strictness,
		     struct problem_list *problems)
{
	struct validate_options vo = options_for(ctx, strictness);

	if (preflight_rules_caller(ctx ? ctx->dir : NULL, problems) < 0)
		return -1;
	for (size_t i = 0; i < order->n_cards; i++)
		if (prepare_card(ctx, &order->cards[i], i, problems) < 0)
			return -1;
	if (validate_order(order, &vo, problems) < 0)
		return -1;
	problems_sort(problems);
	return 0;
}

/* ---- sending ---- */

enum status flow_init(struct flow *f, const char *state_dir,
		      const struct flow_sink *sink, struct status_error *err)
{
	memset(f, 0, sizeof(*f));
	if (sink)
		f->sink = *sink;
	if (!state_dir)
		return status_set(err, STATUS_IO, "no place for the journal: set HOME "
						  "or XDG_STATE_HOME");
	f->state_dir = strdup(state_dir);
	if (!f->state_dir)
		return status_set(err, STATUS_NOMEM, NULL);
	if (fs_mkdirs(f->state_dir, NULL) != STATUS_OK)
		return status_set(err, STATUS_IO, "cannot create %s", f->state_dir);
	return STATUS_OK;
}

/* Closes the current order, if any: the submission first, since it
 * reports into the journal and the results. */
static void close_order(struct flow *f)
{
	if (f->sub && !f->over)
		submit_cancel(f->sub);
	submit_free(f->sub);
	f->sub = NULL;
	if (f->journal_open)
		journal_free(&f->journal);
	f->journal_open = false;
	results_free(&f->results);
	f->over = false;
}

void flow_free(struct flow *f)
{
	if (!f)
		return;
	close_order(f);
	free(f->state_dir);
	f->state_dir = NULL;
}

/* The holder names kept with the order, for the export and the lines. */
static void apply_names(struct flow *f)
{
	char *text = NULL;

	if (journal_load_names(&f->journal, &text, NULL) == STATUS_OK)
		results_set_holder_names(&f->results, text);
	free(text);
}

static enum status start(struct flow *f, struct api *api,
			 const struct submit_options *opts,
			 struct status_error *err)
{
	enum status st = results_init(&f->results, f->journal.n_cards, err);

	if (st == STATUS_OK)
		st = submit_new(&f->sub, api, &f->journal, &f->results, opts,
				f->sink.event, f->sink.user, err);
	if (st == STATUS_OK)
		apply_names(f);
	return st;
}

/* One process at a time between "is this order already there?" and its
 * "ready" line: two `submit` of one file at once make one order. */
static int lock_state(const struct flow *f)
{
	char *orders = fs_join(f->state_dir, "orders");
	char *path = orders ? fs_join(orders, ".begin.lock") : NULL;
	int fd = -1;

	if (path && fs_mkdirs(orders, NULL) == STATUS_OK)
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		close(fd);
		fd = -1;
	}
	free(path);
	free(orders);
	return fd;
}

/* When an order began, in English ("2026-12-31 14:05") into en and as a
 * person reads it in their language into shown. */
static void when_text(time_t t, char *en, char *shown, size_t cap)
{
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(en, cap, "%Y-%m-%d %H:%M", &tm)) {
		snprintf(en, cap, "earlier");
		/* TRANSLATORS: when an order began, if its date is unknown:
		 * "these cards are order ID, begun earlier, ..." */
		snprintf(shown, cap, "%s", _("earlier"));
		return;
	}
	i18n_date(en, shown, cap);
}

enum status flow_earlier(const struct flow *f, const struct order *order,
			 bool unfinished_only, struct journal_summary *out,
			 struct status_error *err)
{
	char digest[65];
	enum status st = submit_digest(order, digest, err);

	if (st != STATUS_OK)
		return st;
	return journal_find_same(f->state_dir, digest, order->n_cards, unfinished_only,
				 NULL, out);
}

/* At most 255 characters: the id twice, so that it can be copied.
 * TRANSLATORS: at most 255 bytes with the two order ids (36 characters
 * each): keep it short. The second %s is when the order began (a date
 * and time, or "earlier"); %zu of %zu: cards sent, cards of the order. */
#define ALREADY_SENT                                                           \
	N_("these cards are order %s, begun %s, not finished "                  \
	   "(%zu of %zu sent, %zu unknown or awaiting approval): "              \
	   "run `cardorder resume %s`, or --again to order them "               \
	   "again as a new order")

enum status flow_begin(struct flow *f, struct api *api, const struct order *order,
		       const char *source, const char *names_json,
		       const struct submit_options *opts, struct status_error *err)
{
	struct journal_summary same;
	enum status st;
	char when[32], when_shown[32];
	int lock;

	close_order(f);
	lock = lock_state(f);
	if (lock < 0)
		return status_set(err, STATUS_IO, "cannot lock the order directory %s",
				  f->state_dir);
	if (!f->again && flow_earlier(f, order, true, &same, NULL) == STATUS_OK) {
		close(lock);
		when_text(same.created, when, when_shown, sizeof(when));
		status_set(err, STATUS_ALREADY_SENT, ALREADY_SENT, same.order_id, when,
			   same.n_sent, same.n_cards, same.n_unknown + same.n_approval,
			   same.order_id);
		/* the same, with the date as a person reads it */
		if (err)
			snprintf(err->message, sizeof(err->message), _(ALREADY_SENT),
				 same.order_id, when_shown, same.n_sent, same.n_cards,
				 same.n_unknown + same.n_approval, same.order_id);
		return STATUS_ALREADY_SENT;
	}
	st = journal_create(&f->journal, f->state_dir, source, api->base_url,
			    order->n_cards, err);
	f->journal_open = st == STATUS_OK;
	/* The lock comes first: nothing is written into an order that
	 * another process could be sending. */
	if (st == STATUS_OK)
		st = journal_lock(&f->journal, err);
	if (st == STATUS_OK && names_json)
		st = journal_save_names(&f->journal, names_json, err);
	if (st == STATUS_OK)
		st = submit_plan(&f->journal, order, err);
	if (st == STATUS_OK)
		st = journal_ready(&f->journal, err);
	close(lock);
	if (st == STATUS_OK)
		st = start(f, api, opts, err);
	return st;
}

enum status flow_open(struct flow *f, const char *order_id,
		      struct status_error *err)
{
	char id[40];
	enum status st = STATUS_OK;

	close_order(f);
	if (order_id)
		snprintf(id, sizeof(id), "%s", order_id);
	else
		st = journal_latest_unfinished(f->state_dir, id, err);
	if (st != STATUS_OK)
		return st;
	st = journal_open(&f->journal, f->state_dir, id, err);
	f->journal_open = true; /* freed whatever the outcome (journal.h) */
	if (st == STATUS_OK)
		st = journal_lock(&f->journal, err);
	return st;
}

enum status flow_unfinished(const struct flow *f, struct journal_summary **list,
			    size_t *n, struct status_error *err)
{
	return journal_list_unfinished(f->state_dir, list, n, err);
}

enum status flow_resume(struct flow *f, struct api *api,
			const struct submit_options *opts,
			struct status_error *err)
{
	if (!f->journal_open)
		return status_set(err, STATUS_USAGE, "no order is open");
	return start(f, api, opts, err);
}

bool flow_step(struct flow *f, int timeout_ms, const int *fds, unsigned n_fds)
{
	if (!f->sub || f->over)
		return false;
	if (!submit_step(f->sub, timeout_ms, fds, n_fds))
		f->over = true;
	return !f->over;
}

void flow_cancel(struct flow *f)
{
	if (!f->sub || f->over)
		return;
	submit_cancel(f->sub);
	f->over = true;
}

bool flow_sending(const struct flow *f)
{
	return f->sub && !f->over;
}

enum status flow_export(const struct flow *f, const char *path,
			enum csv_format format, struct status_error *err)
{
	return results_export(&f->results, path, format, err);
}

enum submit_outcome flow_outcome(const struct flow *f)
{
	return f->sub ? submit_outcome(f->sub) : SUBMIT_NOTHING_SENT;
}
