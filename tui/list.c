/* list.c: the cursor and scrolling of the screens' lists (the order, the
 * results, the requests being sent), once. */
#include "config.h"

#include "tui.h"

#include <curses.h>

bool list_key(struct list_view *v, size_t n, wint_t ch, bool is_key)
{
	size_t page = (size_t)(LINES > 8 ? LINES - 6 : 1), last = n ? n - 1 : 0;

	if (is_key) {
		switch (ch) {
		case KEY_DOWN: ch = 'j'; break;
		case KEY_UP: ch = 'k'; break;
		case KEY_NPAGE: v->cursor = v->cursor + page < last ? v->cursor + page : last; return true;
		case KEY_PPAGE: v->cursor = v->cursor > page ? v->cursor - page : 0; return true;
		case KEY_HOME: ch = 'g'; break;
		case KEY_END: ch = 'G'; break;
		default: return false;
		}
	}
	switch (ch) {
	case 'j': v->cursor = v->cursor < last ? v->cursor + 1 : last; return true;
	case 'k': v->cursor = v->cursor ? v->cursor - 1 : 0; return true;
	case 'g': v->cursor = 0; return true;
	case 'G': v->cursor = last; return true;
	default: return false;
	}
}

bool list_take_key(struct list_view *v, size_t n, wint_t *ch, bool is_key,
		   enum key_result *kr)
{
	if (list_key(v, n, *ch, is_key)) {
		*kr = KR_REDRAW;
		return true;
	}
	if (!is_key)
		return false;
	if (*ch != KEY_ENTER) {
		*kr = KR_IGNORED;
		return true;
	}
	*ch = '\n';
	return false;
}

void list_fit(struct list_view *v, size_t n, int rows)
{
	if (rows < 1)
		rows = 1;
	if (v->cursor >= n)
		v->cursor = n ? n - 1 : 0;
	if (v->cursor < v->top)
		v->top = v->cursor;
	if (v->cursor >= v->top + (size_t)rows)
		v->top = v->cursor - (size_t)rows + 1;
}
