#!/bin/sh
# Issue 15: the results screen follows the cards after the order: u reads
# them again from Qonto without blocking, marks with * the rows whose
# status, PIN or shipping moved since the last look, the details show the
# PIN and the shipping date, and m writes the holders to remind (their
# physical card waits for its PIN). Each reading is kept with the order:
# `cardorder status --offline` shows it.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup follow
sandbox_start --sca mock
start_sample
keys r
need "the review" wait_for "review: this is exactly what will be sent" 5
keys S
need "the confirmation" wait_for "Order 7 card(s)" 10
keys y
need "waiting for approval" wait_for "waiting for approval in the Qonto app" 10
keys a
need "sent" wait_for "sent: press Enter for the results" 15
keys Enter
need "the results" wait_for "results: 7 created, 0 failed" 5

# Qonto moves two cards along: Hélène's standard and Björn's plus get
# their PIN, ship and go live.
ids=$(sandbox_get /_sandbox/cards | grep -o '"id":"[^"]*"' | cut -d'"' -f4 | head -n 2 |
	sed 's/.*/"&"/' | paste -sd, -)
curl -sS -X POST "$SB_URL/_sandbox/cards/life" -H 'Content-Type: application/json' \
	-d "{\"ids\": [$ids], \"status\": \"live\", \"pin_set\": true, \"shipped\": true}" \
	>"$WORK/life.json"
check "the sandbox moved two cards" grep -q '"moved":2' "$WORK/life.json"
check "nothing moved yet on the screen" not screen_re '^ +[0-9]+\*'

keys u
check "u reads them again, and says what moved" \
	wait_for "7 card(s) read from Qonto: 2 changed since the last look (marked *)" 10
check "the results, the two moved rows marked, whole" golden follow-results
check "row 1 is live and marked" screen_re '^  1\* Hélène Dubois-Ferri.* live '
check "row 3 is not marked" screen_re '^ +3 Fatoumata Morel .* pending '

keys Enter
need "the details of row 1" wait_for "PIN set" 5
check "its PIN is set" screen_re 'PIN set +yes'
check "and it shipped" screen_re 'Shipped +[0-9]{4}-[0-9]{2}-[0-9]{2}T'
keys Escape
need "back" wait_for "results: 7 created" 5

keys m
need "the reminders prompt" wait_for "Holders to remind, to (.csv):" 5
keys C-u
type_text "$WORK/remind.csv"
keys Enter
check "one holder to remind: the metal card's" \
	wait_for "1 holder(s) to remind (no PIN set yet) written to" 5
check "the file names her, and no virtual or flash card" \
	sh -c "grep -c '' '$WORK/remind.csv' | grep -qx 2 && grep -q 'Fatoumata Morel' '$WORK/remind.csv'"

keys u
check "u again: nothing moved since" \
	wait_for "7 card(s) read from Qonto: 0 changed since the last look" 10
check "and no row is marked any more" not screen_re '^ +[0-9]+\*'

keys q
need "the order" wait_for "cardorder · order:" 5
check "q quits" quits
# the readings were kept with the order
tmux_run -- "$CARDORDER" status --offline
check "status --offline: the last reading, without Qonto" \
	wait_for "7 of 7 cards created: 2 live, 5 pending, 0 other; 2 shipped" 10
check "and who has not set a PIN" wait_for "1 card waits for its holder's PIN: Fatoumata Morel" 2
finish
