/* preflight.h: what only Qonto knows, and what an order commits the
 * company to, told before any approval is asked (`cardorder check` and
 * the review screen, from the same code):
 *
 *   rules    -> errors that Qonto would answer with a refusal: the
 *               caller's role, a holder who is not an active member, a
 *               manager's holder from another team, a closed account
 *               (flow.c applies them wherever a directory is read, so
 *               that sending is blocked by them everywhere)
 *   add      -> each checked card, into the summary (streams: an order
 *               of any length takes a few numbers a card)
 *   held     -> once the holders' cards are read (directory.h), a
 *               warning at each card whose holder already has a card of
 *               its level that is live, pending or paused
 *   summary  -> exposure by level, by team and in all; the bank
 *               accounts' balances beside what the cards may spend; the
 *               fees; the requests, approvals and shipping addresses
 */
#ifndef CARDORDER_PREFLIGHT_H
#define CARDORDER_PREFLIGHT_H

#include <stddef.h>

#include "directory.h"
#include "fees.h"
#include "order.h"
#include "problems.h"

/* The caller's role, once for the whole order (row 0): an employee or an
 * accountant (reporting) cannot order cards for others. Nothing when the
 * role is not known (an API key). Returns 0, or -1 (memory). */
int preflight_rules_caller(const struct directory *dir,
			   struct problem_list *problems);

/* One card's holder and bank account against the directory: an active
 * membership, in the manager's team when the caller is a manager, an
 * active account. Returns 0, or -1 (memory). */
int preflight_rules_card(const struct directory *dir, const struct card *card,
			 size_t index, struct problem_list *problems);

struct preflight;

struct preflight *preflight_new(void);
void preflight_free(struct preflight *p);

/* Counts one card (after its check) into the summary, and notes its
 * holder and level for preflight_held. dir may be NULL (no teams).
 * Returns 0, or -1 (memory). */
int preflight_add(struct preflight *p, const struct directory *dir,
		  const struct card *card, size_t index);

/* The distinct holder ids seen (sorted; owned by p, valid until the next
 * preflight_add), for directory_loader_new_held. */
char *const *preflight_holders(struct preflight *p, size_t *n);

/* With dir->held read: a warning at each card whose holder already has
 * a card of the same level that still counts, naming it (last digits,
 * status, created date). Returns 0, or -1 (memory). */
int preflight_held(const struct preflight *p, const struct directory *dir,
		   struct problem_list *problems);

enum preflight_style { PREFLIGHT_TITLE, PREFLIGHT_TEXT, PREFLIGHT_DIM };

typedef void (*preflight_line_fn)(void *user, enum preflight_style style,
				  const char *line);

/* The summary, a line at a time (no newline), as the terminal and the
 * review show it. fees may be NULL (no estimate). */
void preflight_summary(const struct preflight *p, const struct directory *dir,
		       const struct fee_table *fees, preflight_line_fn emit,
		       void *user);

/* The same for scripts: a JSON object (owned), or NULL (memory). */
char *preflight_summary_json(const struct preflight *p,
			     const struct directory *dir,
			     const struct fee_table *fees);

/* {"problems": [{row, field, severity, message}], "summary": {...}}
 * (owned; problems are sorted), or NULL (memory). */
char *preflight_report_json(struct problem_list *problems, const struct preflight *p,
			    const struct directory *dir, const struct fee_table *fees);

/* Cards counted so far. */
size_t preflight_cards(const struct preflight *p);

#endif
