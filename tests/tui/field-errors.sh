#!/bin/sh
# Issue 5, item 2: a wrong value typed in a field shows its message at
# once beside the field, blocks sending (the review says so, S refuses),
# and correcting it clears it.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup field-errors
sandbox_start --sca mock
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "the sample order is open" wait_for "order: 7 card(s), 0 error(s)" 15

keys Enter
need "Enter edits card 1" wait_for "card 1 of 7"
need "the monthly limit field" to_field "Monthly limit (EUR)"
keys C-u
type_text 12.50
check "12.50: the message shows beside the field at once" \
	wait_for_row "Monthly limit (EUR)" "12.50 " 1
check "it says why" \
	wait_for_row "Monthly limit (EUR)" '✗ limits are whole euros, but "12.50" h' 1
check "and in full on the status line" \
	wait_for ' Monthly limit (EUR): limits are whole euros, but "12.50" has cents' 1
need "the cash limit field" to_field "Cash monthly limit (EUR)"
keys C-u
type_text abc
check "abc: a message beside the field at once" \
	wait_for_row "Cash monthly limit (EUR)" "abc   " 1
check "it says why" \
	wait_for_row "Cash monthly limit (EUR)" '✗ "abc" is not a whole number of euros' 1
check "the first message is still there" \
	wait_for_row "Monthly limit (EUR)" "✗ limits are whole euros" 1

keys F2
need "the order counts the errors" wait_for "order: 7 card(s), 2 error(s)"
check "card 1's row shows them" screen_re '^    1 .*✗2 '

keys r
need "the review says errors block sending" \
	wait_for "review: fix the errors before sending"
check "the review lists 2 errors" \
	wait_for "Problems: 2 error(s) (sending is blocked until they are fixed)"
check "the monthly limit's error" \
	wait_for "card 1, payment_monthly_limit: limits are whole euros"
check "the cash limit's error" wait_for "card 1, atm_monthly_limit: "
keys S
check "S refuses" wait_for "2 error(s) block sending: fix them in the order first"
check "no confirmation is asked" not_on_screen "y yes"
sleep 0.3
check "nothing reached the sandbox" \
	sh -c "curl -sS '$SB_URL/_sandbox/stats' | grep -q '\"bulk_requests\":0'"

keys q
need "back to the order" wait_for "cardorder · order:"
keys Enter
need "card 1 again" wait_for "card 1 of 7"
check "the wrong values were kept" wait_for_row "Monthly limit (EUR)" "12.50"
to_field "Monthly limit (EUR)" && keys C-u && type_text 2000
check "correcting the monthly limit clears its message" \
	wait_row_gone "Monthly limit (EUR)" "✗" 1
check "the monthly limit row is clean" \
	test "$(field_row 'Monthly limit (EUR)' | sed 's/ *$//')" = "  Monthly limit (EUR)       2000"
to_field "Cash monthly limit (EUR)" && keys C-u && type_text 500
wait_for_row "Cash monthly limit (EUR)" "500"
check "correcting the cash limit clears its message" \
	test "$(field_row 'Cash monthly limit (EUR)' | sed 's/ *$//')" = "  Cash monthly limit (EUR)  500"
check "no error left in the editor" wait_gone "✗" 2
keys F2
check "the order has no error" wait_for "order: 7 card(s), 0 error(s)"
keys r
check "the review no longer blocks" wait_for "review: this is exactly what will be sent"
check "0 errors" wait_for "Problems: 0 error(s)"
keys S
check "S now asks for confirmation" wait_for "Order 7 card(s) in 1 request(s)"
keys n
check "n: not sent" wait_gone "y yes"
check "still on the review" wait_for "review: this is exactly what will be sent"
check "nothing reached the sandbox" \
	sh -c "curl -sS '$SB_URL/_sandbox/stats' | grep -q '\"bulk_requests\":0'"
keys q
wait_for "cardorder · order:"
check "q quits (y when it asks)" quits
is "exit status 0" "${EXIT_STATUS:-}" 0
finish
