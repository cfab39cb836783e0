#!/bin/sh
# Issue 5, item 3: below 80x24 the screen asks for a larger terminal, and
# back to 100x30 it is the same usable screen (order table and card
# editor); under NO_COLOR=1 the screen has attributes but no colour, and
# everything still works.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup resize-nocolor
sandbox_start --sca mock
order="$top_srcdir/assets/sample-order.csv"

# ---- colours, and the resize round trip ----
tui_start -- "$order"
need "the sample order is open" wait_for "order: 7 card(s), 0 error(s)" 15
check "with colours, the screen has colour codes (the check below can fail)" \
	test -n "$(colour_codes)"
keys j
wait_for "cardorder · order:"
screen >"$WORK/before"
resize 60 20
need "60x20: the screen asks for a larger terminal" \
	wait_for "The terminal is too small."
check "it says the sizes" wait_for "cardorder needs 80x24; this one is 60x20."
check "and how to go on" wait_for "Make it larger (nothing is lost), or q to quit."
check "the table is not drawn over it" not_on_screen "Fatoumata"
keys j
resize 100 30
need "back to 100x30: the order screen again" wait_for "a add  Enter edit" 5
sleep 0.3
screen >"$WORK/after"
check "the same screen as before the resize (the key typed while small ignored)" \
	cmp -s "$WORK/before" "$WORK/after"
diff "$WORK/before" "$WORK/after" | sed 's/^/# /'
keys j
check "it is usable: j moves down" wait_for "order: 7 card(s)"
keys Enter
need "Enter edits card 3 (the cursor was on card 2, then j)" wait_for "card 3 of 7"
keys NPage
need "the shipping page" wait_for "page 2 of 2"
screen >"$WORK/before"
resize 60 20
need "too small in the editor" wait_for "The terminal is too small."
resize 100 30
need "back to 100x30: the editor again" wait_for "page 2 of 2"
sleep 0.3
screen >"$WORK/after"
check "the editor page is drawn as before" cmp -s "$WORK/before" "$WORK/after"
diff "$WORK/before" "$WORK/after" | sed 's/^/# /'
check "the key bar is whole" wait_for "F2 done  Esc cancel  Tab next field  PgDn next page  Enter choose  Space switch  F1 help"
check "the card's address is shown" wait_for_row City Madrid
keys NPage
keys PPage
need "PgUp: the first page" wait_for "page 1 of 2"
check "the first page has the card's fields" wait_for_row Holder "Fatoumata Morel"
check "and no field of the other page" not_on_screen "Madrid"
keys F2
need "F2: back to the order" wait_for "a add  Enter edit"
resize 60 20
need "too small again" wait_for "The terminal is too small."
keys q
check "q quits even when too small" wait_exit 5
is "exit status 0" "${EXIT_STATUS:-}" 0
resize 100 30

# ---- NO_COLOR ----
tui_start NO_COLOR=1 -- "$order"
need "NO_COLOR=1: the order screen" wait_for "order: 7 card(s), 0 error(s)" 15
codes=$(colour_codes)
is "no colour codes on the order screen" "$codes" ""
check "attributes only: the banner is in reverse video" \
	screen_esc_re '^.\[[0-9;]*7m SANDBOX'
keys j j
check "j moves the selection (reverse video on card 3)" \
	eventually 3 screen_esc_re '\[[0-9;]*7m    3 Fatoumata'
keys Enter
need "the editor" wait_for "card 3 of 7"
is "no colour codes in the editor" "$(colour_codes)" ""
type_text zo
need "the holder picker" wait_for "Filter: zo"
check "it filters" wait_for "> Zoé Lambert"
is "no colour codes in the picker" "$(colour_codes)" ""
keys Escape
need "Esc closes it" wait_gone "Filter: zo"
check "the holder is unchanged" wait_for_row Holder "Fatoumata Morel"
need "the monthly limit" to_field "Monthly limit (EUR)"
keys C-u
type_text 12.50
need "a problem shows" wait_for_row "Monthly limit (EUR)" "✗ limits are whole euros"
is "no colour codes with a problem shown" "$(colour_codes)" ""
keys C-u
type_text 19000
need "corrected" wait_row_gone "Monthly limit (EUR)" "✗"
keys F2
need "the order shows the new limit" eventually 3 screen_re '^    3 Fatoumata Morel +metal +19000 '
keys r
need "the review" wait_for "review: this is exactly what will be sent"
check "the review counts the new limit" \
	review_shows "$(in_all 7 31300)"
is "no colour codes in the review" "$(colour_codes)" ""
keys q
need "back" wait_for "a add  Enter edit"
check "q quits (y when it asks)" quits
is "exit status 0" "${EXIT_STATUS:-}" 0
finish
