#!/bin/sh
# Started with an order file while an order is unfinished, the person
# resumes the order: the draft is not offered then, and the file's cards
# are saved as the draft; an earlier draft of other cards goes aside whole
# (draft.json.DATE) instead of being overwritten.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup resume-with-file
sandbox_start --sca mock
draft="$WORK/state/cardorder/draft.json"
one="$WORK/one.csv"
head -n 2 "$top_srcdir/assets/sample-order.csv" >"$one"

# an order of the sample, killed while it waits for approval; the draft is
# then the sample's 7 cards
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "the organisation is read" wait_for "Atelier Lumière SAS" 15
keys r
need "the review" wait_for "review: this is exactly what will be sent"
keys S
need "the confirmation" wait_for "Order 7 card(s)"
keys y
need "waiting for approval" wait_for "waiting for approval in the Qonto app" 10
need "the draft holds the 7 cards" eventually 3 sh -c "grep -o card_level '$draft' | wc -l | grep -qx 7"
kill -KILL "$(tui_pid)"
check "killed" wait_exit 5

# started with another file: the unfinished order first; resumed
tui_start -- "$one"
need "the unfinished order is listed" wait_for "Unfinished orders" 15
keys Enter
need "the order is resumed, waiting for its approval" wait_for "waiting for approval in the Qonto app" 10
check "the 7-card draft is kept aside, whole" \
	sh -c "grep -o card_level '$draft'.* | wc -l | grep -qx 7"
keys a
need "approved in the sandbox, the cards are made" \
	wait_for "7 of 7 card(s) settled: 7 created" 15
keys Enter
need "the results" wait_for "results:" 5
keys q
need "the file's order" wait_for "order: 1 card(s)" 5
keys q
check "q quits" wait_exit 5
check "the file's card is the draft now" sh -c "grep -o card_level '$draft' | wc -l | grep -qx 1"
finish
