#!/bin/sh
# Issue 7, hostile input at the terminal: a multi-megabyte paste into a
# form field, and a 1x1 terminal. Nothing crashes, the screen comes back,
# the field keeps at most what a field may hold, and the draft is saved.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup hostile-input
sandbox_start --sca off
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "the sample order is open" wait_for "order: 7 card(s), 0 error(s)" 15

keys j Enter
need "card 2 opens" wait_for "card 2 of 7"
need "the city field" to_field "City"
keys C-u
# 2 MiB in one paste, as a terminal delivers it
head -c 2097152 /dev/zero | tr '\0' 'x' > "$WORK/big"
tmux -L "$SOCK" load-buffer -b big "$WORK/big"
started=$(now_ms)
tmux -L "$SOCK" paste-buffer -b big -t ui
keys F2
check "the order screen comes back after the paste" \
	wait_for "order: 7 card(s)" 60
diag "2 MiB pasted and handled in $(( $(now_ms) - started )) ms"
check "the program is still running" test -n "$(tui_pid)"
check "the row shows the city cut short" screen_re '^    2 .*xxxxxxx'
draft="$WORK/state/cardorder/draft.json"
# The draft is saved 300 ms after the last change: wait for the one that
# holds the paste (the file itself exists from the start).
check "the draft is saved, with the paste" \
	eventually 10 grep -q '"address.city":"xxxx' "$draft"
city_len=$(grep -o '"address.city":"x*"' "$draft" | wc -c)
diag "city in the draft: $city_len bytes"
check "the field kept at most 1024 characters" test "$city_len" -le 1100
check "and something of the paste" test "$city_len" -gt 100

resize 1 1
sleep 0.5
check "a 1x1 terminal does not stop the program" test -n "$(tui_pid)"
resize 100 30
check "back at 100x30 the order is drawn again" wait_for "order: 7 card(s)" 5
keys j
check "and it answers keys" wait_for "order: 7 card(s)" 2
check "q quits (y when it asks)" quits

# The terminal goes away while a dialog waits for a key: the program must
# end, not spin on a dead terminal.
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "the draft of the paste above is offered instead of the file" \
	wait_for "Open it instead of sample-order.csv?" 15
keys n
need "the order opens again" wait_for "order: 7 card(s)" 15
keys r
need "the review" wait_for "review: this is exactly what will be sent" 10
keys S
need "the confirmation waits" wait_for "y yes    n no" 5
pid=$(tui_pid)
tmux -L "$SOCK" kill-server
TMUX_UP=
gone() { ! kill -0 "$pid" 2>/dev/null; }
check "without its terminal the program ends" eventually 5 gone
finish
