#!/bin/sh
# Issue 5, item 5: card names from the server carrying escape sequences
# (clear screen, window title, colours, hyperlinks, bidi overrides, 4 KB
# of text) are drawn escaped on the results' details, and the terminal is
# unharmed: not cleared, title unchanged, the program still answers.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup hostile
sandbox_start --sca off --faults hostile --fault-rate 1 --fault-scope bulk
esc=$(printf '\033')

tui_start -- "$top_srcdir/assets/sample-order.csv"
need "the sample order is open" wait_for "order: 7 card(s), 0 error(s)" 15
title=$(pane '#{pane_title}')
keys r
need "the review" wait_for "review: this is exactly what will be sent"
keys S
need "the confirmation" wait_for "y yes"
keys y
need "sent (no SCA in this sandbox)" wait_for "sent: press Enter for the results" 15
keys Enter
need "the results" wait_for "results: 7 created, 0 failed" 5

# Every card's details, one after the other.
: >"$WORK/details"
: >"$WORK/details-esc"
n=1
while [ $n -le 7 ]; do
	keys Enter
	if ! wait_for "card $n of the order" 5; then
		not_ok "the details of card $n"
		break
	fi
	sleep 0.1 # anything a raw sequence would do to the screen happens now
	screen >"$WORK/card-$n"
	screen_esc >"$WORK/card-$n-esc"
	cat "$WORK/card-$n" >>"$WORK/details"
	cat "$WORK/card-$n-esc" >>"$WORK/details-esc"
	keys q
	wait_for "results: 7 created" 5 || break
	keys j
	n=$((n + 1))
done
is "the details of the 7 cards were read" "$n" 8

has() { grep -qF -- "$1" "$WORK/details"; }
check "clear screen and title: shown escaped" has '\x1B[2J\x1B[H\x1B]0;pwned\x07 card'
check "colours, CR LF, tab, backspace, DEL: shown escaped" \
	has '\x1B[31mRED\x1B[0m\x0D\x0Aline two\x09TAB\x08\x7F'
check "bidi overrides: shown as code points" has '\u{202E}dracer\u{202C} evil \u{200F}'
check "a hyperlink: shown escaped" has '\x1B]8;;https://evil.example/'
check "4 KB of text: cut with an ellipsis" grep -qE 'WIDE-WIDE-.*…$' "$WORK/details"
check "no line wider than the screen" \
	test "$(wc -L <"$WORK/details")" -le 100
check "no raw escape reached the screen (no red anywhere)" \
	sh -c "! grep -q '${esc}\\[31m' '$WORK/details-esc'"

# The card whose name clears the screen and sets the title.
pwned=$(grep -lF 'pwned' "$WORK"/card-[0-9] | head -n 1)
need "a card with the clear-screen name" test -n "$pwned"
check "its details screen was not cleared: the banner" grep -q '^ SANDBOX ' "$pwned"
check "the title line" grep -q 'cardorder · card details' "$pwned"
check "the lines drawn before the name" grep -q '^  Masked PAN  *511768' "$pwned"
check "the lines drawn after it" grep -q '^  Created at ' "$pwned"
check "the last line" grep -q '^q back' "$pwned"
is "the terminal's title is unchanged" "$(pane '#{pane_title}')" "$title"
is "still on the alternate screen" "$(pane '#{alternate_on}')" 1

# The program still answers.
keys g
check "g: the first row" eventually 3 screen_esc_re "${esc}\\[[0-9;]*7m   1 Hélène"
keys f
check "f filters" wait_for "(showing created)" 3
keys Enter
check "Enter: details again" wait_for "card 1 of the order" 3
keys q
check "back to the results" wait_for "results: 7 created" 3
keys q
check "q: back to the order" wait_for "cardorder · order:" 3
keys q
check "q quits" wait_exit 5
is "exit status 0" "${EXIT_STATUS:-}" 0
is "the title is still unchanged" "$(pane '#{pane_title}')" "$title"
finish
