#!/bin/sh
# Issue 13, item 7: a card whose level changes keeps values that the new
# level does not take (11 of them from the sample's standard card to a
# virtual one), each flagged "does not apply". Now the editor names them
# and offers to clear them at once; n keeps them, flagged, as before.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup level-clear
sandbox_start --sca mock
start_sample
keys Enter
need "card 1 in the editor" wait_for "card 1 of 7"
need "virtual" choose "Card level" virtual
need "the editor names what a virtual card does not take" \
	wait_for "A virtual card does not take" 5
check "the whole question, as expected" golden level-clear-ask
keys n
need "n: the values stay" wait_gone "A virtual card does not take" 5
check "flagged" wait_for_row "Cash withdrawals" "does not apply to virtual cards" 3
keys Escape
need "Esc asks to discard" wait_for "Discard the changes to card 1" 5
keys y
need "back, as it was" wait_for "order: 7 card(s), 0 error(s)" 5
keys Enter
need "card 1 again" wait_for "card 1 of 7"
need "virtual again" choose "Card level" virtual
need "asked again" wait_for "A virtual card does not take" 5
keys y
check "y clears them" wait_for "value(s) that virtual cards do not take are cleared" 5
check "nothing says it does not apply" not_on_screen "does not apply"
check "the whole editor, as expected" golden level-clear-done
keys F2
need "back to the order" wait_for "order: 7 card(s)" 5
check "card 1 is a virtual card, without an error" \
	screen_re '^    1 Hélène Dubois-Ferri… virtual .* !1 Design: '
check "the order has no error" wait_for "order: 7 card(s), 0 error(s), 1 warning(s)" 1
check "q quits (y when it asks)" quits
finish
