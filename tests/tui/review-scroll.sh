#!/bin/sh
# Issue 11: the review lays out only what is on screen; each request's
# JSON is built when it scrolls into view. An order of 105 cards (requests
# of 50, 50 and 5): the screens at the end, and paging back up across the
# boundary between requests 3 and 2, are exactly the lines of
# `cardorder payload --pretty` under each request's title.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup review-scroll
sandbox_start --sca off
ORDER="$WORK/order-105.csv"
# With the initiator given (the sandbox's owner), the offline payload is
# the body that is sent.
{
	head -n 1 "$top_srcdir/assets/sample-order.csv" | sed 's/^/initiator_id,/'
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		tail -n +2 "$top_srcdir/assets/sample-order.csv" |
			sed 's/^/54ef7c9d-8a34-400a-9e74-0135f14560b9,/'
	done
} >"$ORDER"
# The bodies part of the review, as it must read: for each request a
# blank line, its title, its pretty JSON.
"$CARDORDER" payload --pretty "$ORDER" | awk '
	BEGIN { k = 1; first = 1; start = 1 }
	start { n = (k < 3) ? 50 : 5
		print ""; printf "Request %d: POST /v2/cards/bulk, cards %d to %d\n", k, first, first + n - 1
		first += n; start = 0 }
	{ print }
	/^}$/ { k++; start = 1 }' >"$WORK/bodies"
ROWS=$((LINES_ - 5))
# The review's text area: screen rows 3 .. ROWS+2, without the margin.
text_area() {
	screen | sed -n "3,$((ROWS + 2))p" | sed 's/^ //; s/  ← .*$//; s/ *$//'
}
# expect_slice DESC FROM: the text area holds lines FROM.. of the bodies.
expect_slice() {
	sed -n "$2,$(($2 + ROWS - 1))p" "$WORK/bodies" | sed 's/ *$//' >"$WORK/want"
	text_area >"$WORK/got"
	if cmp -s "$WORK/want" "$WORK/got"; then ok "$1"
	else not_ok "$1"; diff "$WORK/want" "$WORK/got" | head -20 | sed 's/^/# /'; fi
}

total=$(wc -l <"$WORK/bodies")
tui_start -- "$ORDER"
need "the order opens" wait_for "order: 105 card(s), 0 error(s)" 15
# The review's figures name the organisation read from Qonto.
need "the organisation is read" wait_for "Atelier Lumière SAS" 30
keys r
need "the review opens" wait_for "review: this is exactly what will be sent" 10
check "it counts three requests" review_shows "3 request(s) of at most 50 cards" 3
keys G
need "G goes to the end" wait_gone "Problems:" 3
sleep 0.2
expect_slice "G: the last screenful is the end of request 3" $((total - ROWS + 1))
from=$((total - ROWS + 1))
for page in 1 2 3 4 5; do
	keys b
	from=$((from - (ROWS - 1)))
	sleep 0.2
	expect_slice "b $page: a page up, exactly" "$from"
done
check "paging up crossed into request 2" \
	test "$from" -lt "$(grep -n '^Request 3:' "$WORK/bodies" | cut -d: -f1)"
keys g
check "g goes back to the top" wait_for "Problems: 0 error(s)" 3
check "with the order's size" review_shows "105 card(s) for Atelier Lumière SAS" 3
keys G
sleep 0.2
expect_slice "G again: the same last screenful" $((total - ROWS + 1))
keys j
sleep 0.2
expect_slice "j at the end stays at the end" $((total - ROWS + 1))
keys q
need "q goes back to the order" wait_for "cardorder · order:" 5
check "q quits (y when it asks)" quits
asan_check
finish
