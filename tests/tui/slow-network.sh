#!/bin/sh
# Issue 5, item 6: while a request waits on a slow server (5 s), keys are
# handled at once: moving the selection between requests and opening the
# cancel confirmation show within half a second. Then a cancel after the
# bytes left: "outcome unknown", never "cancelled". And a dialog left open
# does not hold the network up: an approval given meanwhile goes through.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup slow-network
sandbox_start --sca off --faults latency --fault-rate 1 --fault-scope bulk \
	--latency-ms 5000
# 63 cards: two requests (50 and 13).
order="$WORK/63-cards.csv"
head -n 1 "$top_srcdir/assets/sample-order.csv" >"$order"
for i in 1 2 3 4 5 6 7 8 9; do
	tail -n +2 "$top_srcdir/assets/sample-order.csv" >>"$order"
done
LIMIT_MS=500

# timed DESCRIPTION KEY COMMAND...: sends KEY, then polls COMMAND; ok when
# it holds within LIMIT_MS of the key.
timed() {
	desc=$1 key=$2
	shift 2
	t0=$(now_ms)
	keys "$key"
	if eventually 3 "$@"; then
		took=$(($(now_ms) - t0))
		if [ $took -le $LIMIT_MS ]; then
			ok "$desc (${took} ms)"
		else
			not_ok "$desc: took ${took} ms"
		fi
	else
		not_ok "$desc: never"
	fi
}

not_selected() {
	! selected "$1"
}

pending() {
	sandbox_get /_sandbox/stats | grep -q '"cards_created":0,'
}

tui_start -- "$order"
need "the order of 63 cards is open" wait_for "order: 63 card(s), 0 error(s)" 15
keys r
need "the review: two requests" review_shows "2 request(s) of at most 50 cards"
keys S
need "the confirmation" wait_for "Order 63 card(s) in 2 request(s)"
keys y
need "sending" wait_for "request 2 (13 cards): sending" 5
check "request 1 is selected" selected "request 1 (50 cards)"
check "the server has not answered yet" pending

timed "j moves the selection to request 2 at once" j selected "request 2 (13 cards)"
check "request 1 is no longer selected" not_selected "request 1 (50 cards)"
timed "k moves it back at once" k selected "request 1 (50 cards)"
timed "c opens the cancel confirmation at once" c wait_for "Cancel? Requests already sent" 3
check "the progress is still behind it" wait_for "0 of 63 card(s) settled" 1
timed "n closes it at once" n wait_gone "Cancel? Requests already sent" 3
check "the requests were still pending all along" pending
check "still sending" wait_for "request 1 (50 cards): sending" 1

need "then the answers arrive" wait_for "sent: press Enter for the results" 20
check "all 63 created" wait_for "63 of 63 card(s) settled: 63 created, 0 failed"
check "request 1 done" wait_for "request 1 (50 cards): done"
check "request 2 done" wait_for "request 2 (13 cards): done"
keys Enter
check "the results" wait_for "results: 63 created, 0 failed" 5
keys q
need "the order" wait_for "cardorder · order:"
check "q quits (y when it asks)" quits
is "exit status 0" "${EXIT_STATUS:-}" 0

# ---- cancelled while the request is on its way ----
curl -sS -X POST "$SB_URL/_sandbox/reset" >/dev/null
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "the sample order" wait_for "order: 7 card(s), 0 error(s)" 15
keys r
need "the review" wait_for "review: this is exactly what will be sent"
keys S
need "the confirmation" wait_for "Order 7 card(s)"
keys y
need "sending" wait_for "request 1 (7 cards): sending" 5
timed "c: the confirmation at once" c wait_for "Cancel? Requests already sent" 3
keys y
check "a request already sent: outcome unknown" \
	wait_for "request 1 (7 cards): outcome unknown" 3
check "the request is never said cancelled" not screen_re "request 1 .*cancelled"
keys Enter
check "the results say so" wait_for "some unknown: run cardorder resume" 3
check "each card: unknown" screen_re '^ +1 Hélène Dubois-Ferrière +standard +unknown +sent, but the outcome is unknown'
check "and the sandbox did create them" eventually 10 \
	sh -c "curl -sS '$SB_URL/_sandbox/stats' | grep -q '\"cards_created\":7,'"
keys q
need "the order" wait_for "cardorder · order:"
check "q quits (y when it asks)" quits

# ---- an approval while the cancel confirmation is open ----
# From a fresh state, as on another machine: the order cancelled above
# would be offered first, and sent again only after a warning
# (unfinished.sh is about that).
rm -rf "$WORK/state/cardorder/orders"
sandbox_stop
sandbox_start --sca mock
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "the sample order" wait_for "order: 7 card(s), 0 error(s)" 15
keys r
need "the review" wait_for "review: this is exactly what will be sent"
keys S
need "the confirmation" wait_for "Order 7 card(s)"
keys y
need "waiting for approval" wait_for "waiting for approval in the Qonto app" 10
keys c
need "the cancel confirmation" wait_for "Cancel? Requests already sent" 3
curl -sS -X POST "$SB_URL/_sandbox/sca/allow" >/dev/null
check "approved meanwhile: the cards are created with the dialog still open" \
	eventually 15 sh -c "curl -sS '$SB_URL/_sandbox/stats' | grep -q '\"cards_created\":7,'"
check "the dialog is still open" wait_for "Cancel? Requests already sent" 1
keys n
check "n: the order was sent" wait_for "sent: press Enter for the results" 5
check "7 created" wait_for "7 of 7 card(s) settled: 7 created, 0 failed"
keys Enter
check "the results" wait_for "results: 7 created, 0 failed" 5
keys q
need "the order" wait_for "cardorder · order:"
check "q quits (y when it asks)" quits
finish
