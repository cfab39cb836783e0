#!/bin/sh
# Issue 12: the TUI remembers an order that a crash interrupted. The
# program is killed while it waits for approval; started again (with or
# without the file), it lists the unfinished order first; resuming it
# waits for that approval (given meanwhile) and creates the 7 cards once;
# sending the same cards again as a new order first warns and names the
# earlier order.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup unfinished
sandbox_start --sca mock --idempotency off
sample="$top_srcdir/assets/sample-order.csv"

created() {
	sandbox_get /_sandbox/stats | sed -n 's/.*"cards_created": *\([0-9]*\).*/\1/p'
}
challenges() {
	sandbox_get /_sandbox/stats | sed -n 's/.*"sca_challenges": *\([0-9]*\).*/\1/p'
}

tui_start -- "$sample"
need "the sample order" wait_for "order: 7 card(s), 0 error(s)" 15
need "the organisation is read" wait_for "Atelier Lumière SAS" 15
check "nothing unfinished on a first start" not_on_screen "Unfinished orders"
keys r
need "the review" wait_for "review: this is exactly what will be sent"
keys S
need "the confirmation" wait_for "Order 7 card(s) in 1 request(s)"
keys y
need "waiting for approval" wait_for "waiting for approval in the Qonto app" 10
pid=$(tui_pid)
need "cardorder's process id" test -n "$pid"
kill -KILL "$pid"
check "killed" wait_exit 5

# approved in the app while cardorder is not running
is "the approval is given meanwhile" \
	"$(curl -sS -X POST "$SB_URL/_sandbox/sca/allow")" '{"decided":1}'

# ---- started again, with the file: the unfinished order comes first ----
tui_start -- "$sample"
need "the unfinished order is listed first" wait_for "Unfinished orders" 15
# the whole dialog, with the time and the order id masked
screen | sed -e "s/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]  [0-9a-f]\{8\}/YYYY-MM-DD HH:MM  ORDER-ID/" \
	>"$WORK/listed"
# the dialog's rows, whole, over the order screen
LC_ALL=C.UTF-8 sed -n '3,7{s/^.\{12\}//;s/^\(.\{76\}\).*/\1/;p}' "$WORK/listed" \
	>"$WORK/dialog"
cat >"$WORK/dialog.want" <<'EOF'
lq Unfinished orders: resume one before anything is sent again qqqqqqqqqqqqk
x Filter:                                                                  x
x                                                                          x
x   Not now: go to the order                                               x
x > YYYY-MM-DD HH:MM  ORDER-ID  7 card(s): 7 awaiting approval             x
EOF
check "it says when, how many cards and what is known" \
	cmp -s "$WORK/dialog" "$WORK/dialog.want"
if ! cmp -s "$WORK/dialog" "$WORK/dialog.want"; then
	diff "$WORK/dialog.want" "$WORK/dialog" | sed 's/^/# /'
fi
check "the newest order is selected" selected "7 card(s): 7 awaiting approval"
check "not now is offered" grep -q "Not now: go to the order" "$WORK/listed"
keys Escape
need "Esc closes the list" wait_gone "Unfinished orders:" 5
need "Esc: the order screen with the file" wait_for "order: 7 card(s), 0 error(s)" 5
check "q quits (y when it asks)" quits

# ---- without the file: listed again, and resumed ----
tui_start
need "listed again" wait_for "Unfinished orders" 15
keys Enter
# the approval given meanwhile is used at once: no question, no wait
need "the order is resumed and sent" wait_for "sent: press Enter for the results" 15
check "7 created" wait_for "7 of 7 card(s) settled: 7 created, 0 failed"
is "the sandbox created 7 cards" "$(created)" 7
is "no second approval was asked" "$(challenges)" 1
keys Enter
need "the results" wait_for "results: 7 created, 0 failed" 5
keys x
need "the export prompt" wait_for "Export to (.csv or .json):" 3
keys C-u
type_text "resumed.json"
keys Enter
check "the resumed order is exported" wait_for "7 row(s) written to resumed.json" 5
check "with each card id once" sh -c \
	"grep -o '\"card_id\": *\"[^\"]*\"' '$WORK/resumed.json' | sort -u | wc -l | grep -qx 7"
keys q
need "the order screen" wait_for "cardorder · order:"
check "q quits (y when it asks)" quits

# ---- the draft of those cards, sent again as new: a warning first ----
tui_start
need "no unfinished order now: the draft is offered" wait_for "A draft of 7 card(s)" 15
check "nothing unfinished is listed" not_on_screen "Unfinished orders"
keys y
need "the draft" wait_for "order: 7 card(s), 0 error(s)"
need "the organisation is read" wait_for "Atelier Lumière SAS" 15
keys r
need "the review" wait_for "review: this is exactly what will be sent"
keys S
need "the warning names the earlier order" wait_for "THESE CARDS WERE ALREADY SENT as order" 5
check "and that it is finished" wait_for "(finished)"
keys n
check "n: nothing is sent" wait_gone "THESE CARDS WERE ALREADY SENT" 3
sleep 1
is "the sandbox still has 7 cards" "$(created)" 7
keys q
need "back to the order" wait_for "order: 7 card(s)"
check "q quits (y when it asks)" quits
finish
