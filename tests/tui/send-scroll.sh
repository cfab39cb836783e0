#!/bin/sh
# The sending screen scrolls (its list of requests is the one list of
# tui/list.c): an order of 1 260 cards is 26 requests, more than the
# screen has rows. G shows the last request, g the first again, and the
# cursor stays on screen; q then cancels nothing by itself.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup send-scroll
sandbox_start --sca mock --rate-limit off
ORDER="$WORK/order-1260.csv"
{
	head -n 1 "$top_srcdir/assets/sample-order.csv"
	i=0
	while [ $i -lt 180 ]; do
		tail -n +2 "$top_srcdir/assets/sample-order.csv"
		i=$((i + 1))
	done
} >"$ORDER"
tui_start -- "$ORDER"
need "the order" wait_for "order: 1260 card(s), 0 error(s)" 20
need "the names are read" wait_for "Atelier Lumière SAS" 15
keys r
need "the review" wait_for "S send the order" 10
keys S
need "the confirmation" wait_for "Order 1260 card(s) in 26 request(s)" 5
keys y
need "sending" wait_for "waiting for approval in the Qonto app" 15
check "the first request is on screen" wait_for "request 1 (50 cards)" 3
check "the last is not, yet" not_on_screen "request 26 (10 cards)"
keys G
check "G shows the last request" wait_for "request 26 (10 cards)" 3
check "its line is the selected one" sh -c "tmux -L '$SOCK' capture-pane -p -e -t ui | grep 'request 26 (10 cards)' | grep -q '\\[7m\\|\\[4m\\|\\[1m'"
keys g
check "g goes back to the first" wait_for "request 1 (50 cards)" 3
check "and the last is off screen again" not_on_screen "request 26 (10 cards)"
keys c
need "c asks before cancelling" wait_for "Cancel?" 5
keys y
check "cancelled: nothing more is sent" wait_for "cancelled: press Enter for the results" 10
asan_check
finish
