/* tui.h: what the screens of the terminal front end share. Each screen is
 * a small ops table (draw, key, free); key handlers say what happened;
 * key bindings live in tables from which the key bar and the help screen
 * are generated. */
#ifndef CARDORDER_TUI_H
#define CARDORDER_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <wchar.h>

#include "i18n.h"
#include "api.h"
#include "directory.h"
#include "draft.h"
#include "fees.h"
#include "flow.h"
#include "order.h"
#include "problems.h"
#include "results.h"
#include "session.h"
#include "submit.h"

#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24

enum key_result {
	KR_IGNORED, /* not for this screen */
	KR_HANDLED,
	KR_REDRAW,  /* handled; the screen must be drawn again */
	KR_CLOSE,   /* the screen is done: pop it */
	KR_PUSH     /* open the screen asked for with app_open */
};

/* A key of a screen: what the key bar and the help show. */
struct key_binding {
	int key;            /* wint_t key or KEY_* code; 0 ends a table */
	const char *label;  /* shown: "a", "Enter", "S" */
	const char *action; /* "add a card" */
	bool in_bar;        /* also in the key bar at the bottom */
};

struct app;

/* One line per request of the order being sent, from the flow's events. */
struct request_line {
	char state[160];
	long long deadline_ms; /* approval: when it runs out */
	bool waiting;          /* for approval */
	unsigned n_cards;
};

struct send_progress {
	struct request_line *lines; /* index = request number - 1; owned */
	size_t n;
};

struct screen;

/* What a screen is: one static const table per screen. */
struct screen_ops {
	const char *title;
	const struct key_binding *keys;
	/* the keys of the screen's state, when they change with it (the
	 * sending screen once done); NULL: keys */
	const struct key_binding *(*keys_now)(struct screen *s);
	/* lines the help shows after the keys: what the columns mean */
	const char *const *notes;
	void (*draw)(struct app *app, struct screen *s);
	/* ch: the character or KEY_* code; is_key: get_wch said KEY_CODE_YES */
	enum key_result (*key)(struct app *app, struct screen *s, wint_t ch,
			       bool is_key);
	void (*tick)(struct app *app, struct screen *s); /* each loop turn; may be NULL */
	void (*free)(void *data); /* the screen's data; NULL is fine */
	bool own_refresh; /* draw() calls wnoutrefresh itself */
	bool modal;       /* a dialog: the screen below is drawn first */
};

struct screen {
	const struct screen_ops *ops;
	void *data; /* owned, freed by ops->free */
};

/* The screens a key can open (tui.c makes them; screens never call each
 * other's constructors). */
enum screen_id {
	SCREEN_EDITOR,   /* the card at the request's card */
	SCREEN_TEMPLATE, /* a template for the request's marked cards */
	SCREEN_REVIEW,
	SCREEN_SEND,
	SCREEN_RESULTS,  /* over the order: the screens between are closed */
	SCREEN_HELP,     /* the keys of the screen it opens over */
	SCREEN_READY     /* a screen already made (a picker, a prompt) */
};

/* The answer to app_ask; ctx is the asker's. */
typedef void (*ask_fn)(struct app *app, bool yes, void *ctx);

struct screen_request {
	enum screen_id id;
	size_t card;
	const bool *marked; /* borrowed until the key handler returns */
	struct screen *ready; /* SCREEN_READY: owned until pushed */
	bool pending;
};

/* The answer of a picker: value is the chosen entry's value (NULL when
 * the person cancelled; "" when a checklist is done, with marked, one per
 * entry). Strings are the picker's: copy what is kept. */
typedef void (*pick_fn)(struct app *app, const char *value, const bool *marked,
			void *ctx);
/* The answer of a prompt: the text typed (NULL: cancelled). */
typedef void (*prompt_fn)(struct app *app, const char *text, void *ctx);

/* Colour pairs, or attributes only under NO_COLOR. */
enum ui_role { UI_NORMAL, UI_TITLE, UI_BAR, UI_ERROR, UI_WARNING, UI_OK,
	       UI_SELECTED, UI_DIM, UI_BANNER_SANDBOX, UI_BANNER_PROD, UI_ROLES };

struct app {
	/* the order as typed, and what it means */
	struct draft draft;
	struct order order;
	struct problem_list problems;
	char *draft_path;
	const char *order_file;   /* the file given at start (borrowed), or NULL */
	bool draft_dirty;
	/* changes to the order; at_rest: their count when it was last read
	 * from a file, saved as one, or sent (quitting asks when they
	 * differ) */
	unsigned long edits, edits_at_rest;
	char *saved_path;          /* where "save as" wrote last (owned) */
	/* deleted cards, the last one last, for undo until the order is sent */
	struct deleted_card { struct draft_card card; size_t at; } *undo;
	size_t n_undo;
	bool draft_offered;        /* an earlier draft is being offered */
	long long draft_changed_ms;
	/* Qonto */
	struct api api;
	struct session session;   /* config and saved login behind api */
	bool api_ready;           /* credentials to create cards */
	bool sandbox;
	struct directory dir;
	struct directory_loader *loader; /* while the directory is read */
	bool dir_loaded;
	char dir_error[320];
	/* the cards the order's holders already have (dir.held), read for
	 * the review: held_key names the holders they were read for */
	struct directory_loader *held_loader;
	uint64_t held_key, held_loading_key, held_failed_key;
	bool held_read;
	unsigned held_gen;        /* bumped each time a reading ends */
	char held_error[320];
	/* the order's cards read again (the results screen's u) */
	struct directory_loader *follow_loader;
	bool *follow_changed;     /* per row of flow.results: moved at the
				     last reading */
	size_t n_follow_changed;
	char follow_order[40];    /* the order they are for */
	time_t follow_at;         /* that reading's time; 0: none */
	unsigned follow_gen;      /* bumped each time a reading ends */
	struct fee_table fees;    /* the cost estimate's table */
	bool fees_ok;
	char fees_error[320];
	/* a submission in progress or done, and what its events said: the
	 * app is the flow's sink, so that it outlives every screen */
	struct flow flow;
	bool flow_ready;          /* flow_init succeeded */
	char resume_id[40];       /* the sending screen resumes this order
				     instead of sending the draft */
	bool resumed;             /* the flow's order is a resumed one, not
				     the draft's */
	struct send_progress progress;
	struct order sent;        /* a copy of the order sent (the draft
				     goes once every card is created) */
	char *state_dir;
	/* screens */
	struct screen *stack[8];
	int depth;
	struct screen_request open; /* asked for by the last key (KR_PUSH) */
	unsigned resizes;         /* KEY_RESIZEs so far: windows made for an
				     earlier size are made again (resizeterm
				     shrinks them, and never grows them back) */
	bool close_below;          /* set by a dialog's answer: the screen
				      under the dialog closes with it */
	bool quit;
	bool color;
	char message[256];        /* one-line notice in the key bar row */
	enum ui_role message_role;
	unsigned message_count;   /* notices given so far */
};

/* ---- tui.c ---- */
/* A screen of ops around data, which it owns from here (freed also when
 * this fails). NULL when memory runs out. */
struct screen *screen_new(const struct screen_ops *ops, void *data);
void screen_free(struct screen *s);
void app_push(struct app *app, struct screen *s);
/* For a key handler: asks for screen id to be opened over this one (card:
 * the editor's; marked: the template's). Returns KR_PUSH. */
enum key_result app_open(struct app *app, enum screen_id id, size_t card,
			 const bool *marked);
/* For a key handler: asks a yes/no question in a dialog over this screen,
 * itself a screen on the stack, so that the event loop goes on while it is
 * open. done gets the answer (Esc and n: no); ctx_free (may be NULL) frees
 * ctx when the dialog goes without one (the program stops). Returns
 * KR_PUSH. */
enum key_result app_ask(struct app *app, const char *question, ask_fn done,
			void *ctx, void (*ctx_free)(void *ctx));
/* Closes every screen above the order screen. */
void app_back_to_order(struct app *app);
void app_notify(struct app *app, enum ui_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Re-derives the order and the problems from the draft; marks it dirty. */
void app_order_changed(struct app *app);
/* Re-derives one card (as it is typed) without saving. */
void app_card_changed(struct app *app, size_t i);
long long app_now_ms(void);
/* A key, as long as it takes, with the network going on meanwhile (the
 * card details wait with it; dialogs are screens, see app_ask). */
int app_get_key(struct app *app, wint_t *ch);
/* True once the program must stop: a signal, or the terminal went away.
 * Every key loop checks it (app_get_key returns ERR then). */
bool app_stopping(void);
const char *app_holder_name(const struct app *app, const char *id);
/* How the order is checked: with the directory once it is read, and as
 * strictly as sending except while it is being read. */
struct flow_context app_check_context(const struct app *app);
enum flow_strictness app_strictness(const struct app *app);
/* True while the organisation, accounts and members are being read. */
bool app_loading(const struct app *app);
/* The holders' cards for these holders (sorted ids): true when dir.held
 * is for them; else their reading is started (once) and false. A reading
 * of them that failed is started again only when retry is set (the
 * review opened anew), never in a loop. */
bool app_held_for(struct app *app, char *const *ids, size_t n, bool retry);
bool app_held_loading(const struct app *app);
/* At a turn of the main loop: a reading that ended goes into dir.held
 * (the review picks it up at its next tick). */
void app_held_poll(struct app *app);
/* The order's created cards read again from Qonto, on the loop; false
 * (with a notice) when there is nothing to read or it cannot start. */
bool app_follow_start(struct app *app);
/* The last reading kept with the order, onto the results (on opening). */
void app_follow_last(struct app *app);
/* Forgets the reading, its marks and its time (another order). */
void app_follow_reset(struct app *app);
/* At a turn of the main loop: a reading that ended goes onto the
 * results, is kept with the order, and the rows that moved are marked. */
void app_follow_poll(struct app *app);
/* What is being read ("members, page 2"); borrowed. */
const char *app_loading_what(struct app *app);

/* ---- list.c: a list's cursor and the first row shown ---- */
/* The keys list_key handles, for the tables of list screens. */
#define LIST_KEY_BINDINGS                                                   \
	{ 'j', "j/k ↓/↑", N_("next / previous row"), false },             \
	{ KEY_NPAGE, "PgDn/PgUp", N_("a page down / up"), false },        \
	{ 'g', "g/G Home/End", N_("first / last row"), false }
struct list_view {
	size_t cursor, top;
};
/* Moves the cursor for a navigation key (j/k and the arrows, g/G, Home,
 * End, PgUp, PgDn) in a list of n rows; false when ch is not one. */
bool list_key(struct list_view *v, size_t n, wint_t ch, bool is_key);
/* A list screen's keys, first: true when the key is done with (moved:
 * KR_REDRAW; another function key: KR_IGNORED, in *kr); false when *ch
 * (Enter given as '\n') is for the screen itself. */
bool list_take_key(struct list_view *v, size_t n, wint_t *ch, bool is_key,
		   enum key_result *kr);
/* Keeps the cursor in the list, and on screen in rows rows. */
void list_fit(struct list_view *v, size_t n, int rows);

/* ---- draw.c ---- */
void ui_attr(struct app *app, enum ui_role role, bool on);
/* Draws untrusted text at y,x in at most width cells: control characters
 * shown escaped, wide characters counted as two cells, cut with "…".
 * Returns the cells used. */
int ui_text(int y, int x, int width, const char *s);
int ui_textf(int y, int x, int width, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Display width of a UTF-8 string (after sanitising). */
int ui_width(const char *s);
/* s cut to width cells with "…" when it is wider; owned, NULL when memory
 * runs out (s is text already sanitised). */
char *ui_fit(const char *s, int width);
void ui_frame(struct app *app, const char *title, const struct key_binding *keys);

bool ui_too_small(struct app *app);
/* A blank rectangle with a border, on stdscr (a dialog's frame). */
void ui_box(int y, int x, int h, int w);
/* Dialogs are screens on the stack (dialog.c), opened from a key handler
 * (each returns KR_PUSH); the event loop goes on while one is open, and
 * the answer comes through a callback with the asker's ctx, which
 * ctx_free (may be NULL) frees when no answer comes (the program stops).
 *
 * app_prompt: a line of text; initial is the default.
 * app_pick: a filterable list of n labels (copied), each with its value
 * (copied; NULL: the label); selected is the entry to start on (-1: the
 * first); with multi, a checklist whose marks start as marked (copied). */
enum key_result app_prompt(struct app *app, const char *question,
			   const char *initial, prompt_fn done, void *ctx,
			   void (*ctx_free)(void *ctx));
enum key_result app_pick(struct app *app, const char *title,
			 const char *const *labels, const char *const *values,
			 size_t n, int selected, bool multi, const bool *marked,
			 const char *filter, pick_fn done, void *ctx,
			 void (*ctx_free)(void *ctx));

/* ---- labels.c ---- */
/* The editor's label of a field ("Monthly limit (EUR)"); static. */
const char *ui_label(enum field_id id);
/* A problem as the screens say it: "Daily limit: 500 EUR is above the
 * Monthly limit of 300 EUR" (the field first when with_field; owned; NULL
 * when memory runs out). */
char *ui_problem_text(const struct problem *p, bool with_field);

/* ---- help.c ---- */
/* The keys a screen has now: its table, or its state's. */
const struct key_binding *screen_keys(struct screen *s);

/* ---- files.c ---- */
/* Writes the file at path, with a notice of how it went. */
typedef void (*file_write_fn)(struct app *app, const char *path);
/* For a key handler: a path prompt (initial: the default), then write; an
 * existing file is replaced only after a yes (no: the notice not_done, a
 * static string). Returns KR_PUSH. */
enum key_result app_prompt_file(struct app *app, const char *question,
				const char *initial, const char *not_done,
				file_write_fn write);
/* A default file name of now: "cardorder-KIND-20261206-0915.csv" in buf. */
const char *app_dated_name(const char *kind, char *buf, size_t cap);
/* How the files the person writes are written as CSV (config csv_format). */
enum csv_format app_csv_format(const struct app *app);

/* ---- scr_send.c ---- */
/* The flow's sink: user is the app. */
void send_progress_event(void *user, const struct submit_event *ev);
void send_progress_free(struct send_progress *p);


/* ---- tui.c ---- */
struct tui_options {
	const char *order_file;
	const char *config;
	const char *base_url;
	bool sandbox;
	bool no_color;
};
int tui_run(const struct tui_options *opts);

/* ---- offers.c: at start ---- */
/* The draft saved earlier, in a yes/no dialog (not when it holds what the
 * order file gives); with an order file, n keeps it aside. */
void app_offer_draft(struct app *app);
/* The unfinished orders, in a picker: Enter resumes one. True when it is
 * open (the draft is offered once it is answered). */
bool app_offer_unfinished(struct app *app);

/* "Retry failed", from the results screen: the cards that were not
 * created go back into the order (true); false,
 * with a notice, when there is nothing to retry or it would send cards
 * twice (an unfinished or resumed order). */
bool app_retry_failed(struct app *app);
/* The deleted cards are gone for good (the order was sent). */
void app_forget_deleted(struct app *app);
/* Who a card is for, as the order screen shows it: the member's name, else
 * the name typed, else the id ("" when none); borrowed. */
const char *app_card_holder(const struct app *app, const struct draft_card *c);
/* "card 3 (Zoé Lambert)", the holder as app_card_holder says. */
void app_card_who(const struct app *app, const struct draft_card *c, size_t i,
		  char *buf, size_t cap);
/* Appends the cards of an order file to the draft, each value as written
 * (a refused one too, so that its problem shows where it is); a notice
 * says how many and names the first problem. False (with a notice) when
 * the file cannot be read. */
bool app_import(struct app *app, const char *path);
/* The question before a template is applied: how many marked cards it
 * changes, and the first ones it makes invalid (with why). */
void app_template_preview(struct app *app, const struct draft_card *tpl,
			  const bool *marked, char *buf, size_t cap);
/* Copies what the template card sets into every marked card. */
void app_apply_template(struct app *app, const struct draft_card *tpl,
			const bool *marked);


#endif
