#!/bin/sh
# Issue 13, items 5 and 8: nothing is lost or kept by surprise.
# - Esc in the editor cancels: with changes it asks to discard them (n
#   stays in the editor); a new card that is discarded, or left empty,
#   goes. F2 keeps the changes.
# - x names the card's holder, and u puts the deleted card back where it
#   was, until the order is sent.
# - w saves the order as CSV or JSON; q asks before quitting with changes
#   that are neither sent nor saved, and not after a save.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup cancel-undo
sandbox_start --sca mock
cp "$top_srcdir/assets/sample-order.csv" "$WORK/order.csv"
tui_start -- "$WORK/order.csv"
need "the sample order" wait_for "order: 7 card(s), 0 error(s)" 15
need "the organisation is read" wait_for "Atelier Lumière SAS" 15
keys j j Enter
need "card 3 in the editor" wait_for "card 3 of 7"
need "its city" set_text City "Lyon"
keys Escape
need "Esc asks to discard" wait_for "Discard the changes to card 3 (Fatoumata Morel)?" 5
check "the whole question, as expected" golden cancel-discard
keys y
need "y: back to the order" wait_for "order: 7 card(s)" 5
check "the notice says so" wait_for "card 3: the changes are discarded" 2
check "card 3 is in Madrid again" screen_re '^    3 Fatoumata Morel +metal .* Madrid '

keys Enter
need "card 3 again" wait_for "card 3 of 7"
need "its city" set_text City "Lyon"
keys Escape
need "Esc asks again" wait_for "Discard the changes to card 3" 5
keys n
check "n stays in the editor with the change" wait_for_row City "Lyon" 5
keys F2
need "F2 keeps it" wait_for "order: 7 card(s)" 5
check "card 3 is in Lyon" screen_re '^    3 Fatoumata Morel +metal .* Lyon '

# a new card: Esc with nothing typed, then with a level chosen
keys a
need "a new card" wait_for "card 8 of 8" 5
keys Escape
check "Esc on an untouched new card: not kept" wait_for "the empty card is not kept" 5
check "7 cards" wait_for "order: 7 card(s)" 2
keys a
need "a new card again" wait_for "card 8 of 8" 5
need "a level" choose "Card level" virtual
keys Escape
need "Esc asks" wait_for "Discard the changes to card 8 (no holder yet)? The new card goes." 5
keys y
check "y: the new card goes" wait_for "the new card is discarded" 5
check "7 cards still" wait_for "order: 7 card(s)" 2

# delete and undo
keys G k
need "card 6 is the current row" selected "Zoé Lambert"
keys x
need "x names the holder" wait_for "Delete card 6 (Zoé Lambert)?" 5
keys y
check "deleted, and u is offered" wait_for "card 6 (Zoé Lambert) deleted; u puts it back" 5
check "6 cards" wait_for "order: 6 card(s)" 2
check "Zoé is gone" not screen_re "^    [0-9] Zoé Lambert"
keys u
check "u: back" wait_for "card 6 (Zoé Lambert) is back" 5
check "7 cards, Zoé sixth" screen_re '^    6 Zoé Lambert +flash '
check "and selected" selected "Zoé Lambert"
keys u
check "u again: nothing more to put back" wait_for "no deleted card to put back" 5

# marks follow their cards through a delete, a copy and an undo
keys G Space
need "card 7 marked" eventually 3 screen_re '^\* +7 François Martínez'
keys g x
need "delete card 1" wait_for "Delete card 1 (Hélène Dubois-Ferrière)?" 5
keys y
need "deleted" wait_for "order: 6 card(s)" 5
check "the mark moved with François" eventually 3 screen_re '^\* +6 François Martínez'
keys c
need "a copy of card 1" wait_for "card copied as card 7" 5
check "the copy is not marked" screen_re '^ +7 Björn Nguyễn'
keys u
need "Hélène back" wait_for "card 1 (Hélène Dubois-Ferrière) is back" 5
check "François still marked, now 7th" screen_re '^\* +7 François Martínez'
check "the copy, 8th, not marked" screen_re '^ +8 Björn Nguyễn'
check "Hélène first, not marked" screen_re '^ +1 Hélène Dubois'
keys G x
need "delete the copy" wait_for "Delete card 8 (Björn Nguyễn)?" 5
keys y
need "7 cards again" wait_for "order: 7 card(s)" 5
keys G Space
need "unmarked" eventually 3 screen_re '^ +7 François Martínez'

# quitting asks; save as; then it does not
keys q
need "q asks" wait_for "Quit? The draft is kept for the next start." 5
check "the whole question, as expected" golden cancel-quit
keys n
need "n: still here" wait_gone "Quit?" 5
keys w
need "w asks where" wait_for "Save the order as (.csv or .json):" 5
check "the order file is the default" wait_for "$WORK/order.csv" 2
keys C-u
type_text "$WORK/saved.json"
keys Enter
check "saved" wait_for "7 card(s) saved to $WORK/saved.json" 5
keys w
need "w again: the last path" wait_for "$WORK/saved.json" 5
keys C-u
type_text "$WORK/order.csv"
keys Enter
need "the file exists: asked" wait_for "The file exists. Replace it?" 5
keys y
check "replaced" wait_for "7 card(s) saved to $WORK/order.csv" 5
keys q
check "q quits at once after a save" wait_exit 5
is "exit status 0" "$EXIT_STATUS" 0

"$CARDORDER" validate "$WORK/saved.json" >"$WORK/validate.out" 2>&1
is "the JSON saved is a valid order" "$?" 0
check "with card 3 in Lyon" grep -q '"city": "Lyon"' "$WORK/saved.json"
"$CARDORDER" validate "$WORK/order.csv" >"$WORK/validate.out" 2>&1
is "the CSV saved is a valid order" "$?" 0
# (the sample quotes a cell that needs no quotes)
sed -n 4p "$top_srcdir/assets/sample-order.csv" | sed 's/,Madrid,/,Lyon,/; s/"//g' | tr -d '\r' >"$WORK/row3.want"
check "the CSV has the sample's columns and card 3 in Lyon" \
	sh -c "grep -qxF -f '$WORK/row3.want' '$WORK/order.csv'"

# again, from the saved file: the same cards, no offer of the draft
tui_start -- "$WORK/order.csv"
need "started again" wait_for "order: 7 card(s), 0 error(s)" 15
check "no draft offered: it holds the file's cards" not_on_screen "Open it instead"
check "card 3 in Lyon" screen_re '^    3 Fatoumata Morel +metal .* Lyon '
keys q
check "q quits without a question" wait_exit 5
finish
