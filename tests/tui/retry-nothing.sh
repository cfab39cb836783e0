#!/bin/sh
# Issue 13, item 10 (part): r ("retry failed") on results where every card
# was created used to empty the results and leave without a word. It now
# says that nothing failed and the results stay.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup retry-nothing
sandbox_start --sca auto --sca-polls 1
start_sample
keys r
need "the review" wait_for "review: this is exactly what will be sent"
keys S
need "the confirmation" wait_for "Order 7 card(s) in 1 request(s)"
keys y
need "sent" wait_for "sent: press Enter for the results" 20
keys Enter
need "the results" wait_for "results: 7 created, 0 failed" 5
screen >"$WORK/before"
keys r
check "r says that nothing failed" wait_for "nothing failed: all 7 card(s) were created" 3
check "and the results stay" wait_for "results: 7 created, 0 failed" 1
# the same screen but the notice line (the last two: notice, key bar)
screen | sed '$d' | sed '$d' >"$WORK/after"
sed '$d' "$WORK/before" | sed '$d' >"$WORK/before.rows"
check "every row as it was" cmp -s "$WORK/before.rows" "$WORK/after"
keys q
need "the order screen" wait_for "cardorder · order:" 5
keys q
check "q quits" wait_exit 5
finish
