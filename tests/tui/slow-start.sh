#!/bin/sh
# Issue 11: the organisation, accounts and members are read on the event
# loop. With every answer 3 s late, the first screen comes at once and
# ticks while it reads, `?` shows the help, and q or Ctrl-C end the
# program within a second (they used to wait about a minute).
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup slow-start
sandbox_start --faults latency --fault-rate 1 --fault-scope all --latency-ms 3000
LIMIT_MS=1000

# within_limit DESCRIPTION COMMAND...: COMMAND holds within LIMIT_MS of T0.
within_limit() {
	desc=$1
	shift
	if eventually 3 "$@"; then
		took=$(($(now_ms) - T0))
		if [ $took -le $LIMIT_MS ]; then ok "$desc (${took} ms)"
		else not_ok "$desc: took ${took} ms"; fi
	else
		not_ok "$desc: never"
	fi
}

banner() {
	screen | sed -n 1p
}

T0=$(now_ms)
tui_start -- "$top_srcdir/assets/sample-order.csv"
within_limit "the order screen comes at once" wait_for "order: 7 card(s)" 3
check "it says what it is reading" wait_for "reading from Qonto: the organisation" 1
# The spinner turns every 200 ms; every answer takes 3 s. A change within
# 2 s means the loop is not waiting on the network (a loaded machine
# may skip a frame, so one sample is not enough).
first=$(banner)
ticks() {
	test "$(banner)" != "$first"
}
check "the banner ticks while it reads" eventually 2 ticks
T0=$(now_ms)
keys '?'
within_limit "? shows the help while reading" wait_for "Keys of the order screen" 3
keys Escape
need "back to the order" wait_gone "Keys of the order screen" 3
T0=$(now_ms)
keys q
within_limit "q ends the program while reading" wait_exit 3

T0=$(now_ms)
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "started again" wait_for "reading from Qonto" 3
pid=$(tui_pid)
ended() {
	! kill -0 "$pid" 2>/dev/null
}
T0=$(now_ms)
# The terminal sends SIGINT to the whole group: the runner's shell dies
# with it, so the end is seen on the process, not on an exit status.
keys C-c
within_limit "Ctrl-C ends it while reading" ended

# A picker open while the directory is read: the reading goes on behind
# it (the pickers and the text prompt used to block on the terminal, and
# the network stopped until they closed).
tui_start
need "the draft of the runs above is offered" wait_for "Open it?" 5
# The question is a screen of its own: the reading goes on behind it, and
# nothing is written over the draft while it waits for an answer.
sleep 8
check "the organisation was read behind the question" wait_for "Atelier Lumière SAS" 1
keys n
need "an empty order" wait_for "No cards yet" 3
aside=$(ls "$WORK"/state/cardorder/draft.json.* 2>/dev/null | head -n 1)
check "the declined draft is kept aside, whole" \
	sh -c "grep -o '\"card_level\"' '$aside' | wc -l | grep -qx 7"
keys a
need "a adds a card" wait_for "card 1 of 1" 5
keys Tab
keys Enter
need "the level picker opens" wait_for "Filter:" 3
sleep 9 # longer than the whole reading, with every answer 3 s late
keys Escape
need "the picker closes" wait_gone "Filter:" 3
# Read behind the picker: shown at once (a stalled reading would need at
# least one more answer, 3 s).
check "the reading went on behind the picker" wait_for "Atelier Lumière SAS" 1
keys Escape
if wait_for "Discard the changes" 2; then keys y; fi
need "back to the order" wait_for "cardorder · order:" 5
check "it quits" quits

# Left to finish, the reading resolves the names. The card added above
# was left empty, so it was not kept: no draft is offered.
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "started a third time" wait_for "reading from Qonto" 3
check "no draft offered: the empty card was not kept" not_on_screen "Open it instead"
check "then the organisation is read" wait_for "Atelier Lumière SAS" 25
check "and the holders are named" wait_for "Hélène Dubois-Ferri" 3
keys q
check "q quits" wait_exit 5

# S on the review while the organisation is read: the order is checked
# and the question asked once it is read, not "try again" (a person, or
# a test, pressing S early used to get nothing).
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "started a fourth time" wait_for "reading from Qonto" 3
keys r
need "the review while reading" wait_for "review: this is exactly what will be sent" 3
keys S
check "S says it waits for the organisation" \
	wait_for "the order is checked and the question asked once your organisation is read" 2
check "no question yet" not_on_screen "Order 7 card(s)"
check "the question comes once it is read" wait_for "Order 7 card(s) in 1 request(s) from Atelier Lumière SAS (SANDBOX)?" 25
keys n
need "n: back on the review" wait_gone "Order 7 card(s)" 3
# Another key after S drops it: what the person wants has changed.
keys q
need "the order" wait_for "cardorder · order:" 3
check "q quits" quits

tui_start -- "$top_srcdir/assets/sample-order.csv"
need "started a fifth time" wait_for "reading from Qonto" 3
keys r
need "the review" wait_for "review: this is exactly what will be sent" 3
keys S
need "S waits" wait_for "asked once your organisation is read" 2
keys j
check "the organisation is read" wait_for "Atelier Lumière SAS" 25
sleep 1
check "j after S: no question" not_on_screen "Order 7 card(s)"
keys q
need "the order" wait_for "cardorder · order:" 3
check "q quits" quits
finish
