#!/bin/sh
# Issue 13, item 6: the import key (i) reads a file with the same reader
# and gives the same messages as `cardorder validate`. Before, a refused
# cell ("12.50", "=1+2") came in empty, and the card then said "is
# required" for it; now the value is kept as written, its problem is the
# reader's, and the person can correct it in the editor.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup import-cells
sandbox_start --sca mock
sed -n 1,2p "$top_srcdir/assets/sample-order.csv" >"$WORK/import.csv"
sed -n 2p "$top_srcdir/assets/sample-order.csv" |
	sed 's/,2000,true,500,true,300,500,/,12.50,true,500,true,300,=1+2,/' >>"$WORK/import.csv"
"$CARDORDER" validate "$WORK/import.csv" >"$WORK/validate.out" 2>&1
is "validate finds the two mistakes" "$(sed "s|$WORK/||" "$WORK/validate.out")" \
"import.csv:3:payment_monthly_limit: limits are whole euros, but \"12.50\" has cents
import.csv:3:atm_monthly_limit: \"=1+2\" is not a whole number of euros
import.csv:3:holder_id: warning: this holder has another standard card in this order, at row 2"

tui_start
need "an empty order" wait_for "No cards yet" 15
need "the organisation is read" wait_for "Atelier Lumière SAS" 15
keys i
need "i asks for a file" wait_for "Import which order file" 5
type_text "$WORK/import.csv"
keys Enter
need "imported" wait_for "2 card(s) read from" 5
check "the notice names the file's problems and the first as validate does" \
	wait_for "2 card(s) read from import.csv; 2 problem(s): import.csv:3:payment_monthly_limit: " 2
check "the order counts two errors" wait_for "order: 2 card(s), 2 error(s)" 2
check "card 2 shows the reader's message, not \"is required\"" \
	screen_re '^    2 .* 12.50 .*✗2 Monthly limit: limits are whole'
check "with the editor's label, not the API name" not screen_re '^    2 .*payment_monthly_limit'
check "the whole order screen, as expected" golden import-cells-order
check "nothing says required" not_on_screen "required"
keys j Enter
need "card 2 in the editor" wait_for "card 2 of 2"
check "the monthly limit is as written" wait_for_row "Monthly limit (EUR)" "12.50"
check "with its problem beside it" wait_for_row "Monthly limit (EUR)" "✗ limits are whole euros"
check "the cash limit is as written" wait_for_row "Cash monthly limit (EUR)" "=1+2"
to_field "Monthly limit (EUR)"
keys BSpace BSpace BSpace
check "corrected in place" eventually 3 screen_re '^  Monthly limit \(EUR\) +12$'
keys F2
need "back to the order" wait_for "order: 2 card(s)" 5
check "card 2: the cash limit first, and now the limits above 12 EUR" \
	screen_re '^    2 .* 12 .*✗3 Cash monthly limit: "=1\+2"'

keys q
need "q asks first: the imported cards are neither sent nor saved" wait_for "Quit?" 5
keys y
check "y quits" wait_exit 5
finish
