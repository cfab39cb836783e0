/* screens.h: the constructors of the screens, for tui.c alone: a screen
 * asks for another with app_open (tui.h) and never makes it itself. Each
 * returns NULL when it cannot open (a notice says why). */
#ifndef CARDORDER_SCREENS_H
#define CARDORDER_SCREENS_H

#include "tui.h"

struct screen *order_screen_new(void);
struct screen *editor_screen_new(struct app *app, size_t card);
/* The editor on a template card, applied to the marked cards. */
struct screen *template_screen_new(struct app *app, const bool *marked);
struct screen *review_screen_new(struct app *app);
struct screen *send_screen_new(struct app *app);
struct screen *results_screen_new(struct app *app);
/* The help (help.c): the keys of the screen below. */
struct screen *help_screen_new(struct screen *below);
/* The details of card i of the results, over them (KR_PUSH). */
enum key_result app_open_details(struct app *app, size_t i);
/* For dialog.c: asks for s (made already) to be opened; KR_PUSH. */
enum key_result app_open_ready(struct app *app, struct screen *s);

#endif
