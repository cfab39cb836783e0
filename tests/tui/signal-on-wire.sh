#!/bin/sh
# Issue 11: SIGTERM, SIGHUP and the terminal closing while a request is on
# the wire (the sandbox holds its answer 4 s). Each time: no sanitizer
# report (under the sanitizer build the flow used to report into a freed
# screen), the terminal back to normal, and `cardorder resume` then
# finishes the order with every card created once.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup signal-on-wire
sandbox_start --sca off --faults latency --fault-rate 1 --fault-scope bulk \
	--latency-ms 4000

created() {
	sandbox_get /_sandbox/stats | sed -n 's/.*"cards_created":\([0-9]*\).*/\1/p'
}

# send_and_stop HOW: starts sending the sample order, stops it HOW while
# the request waits for its answer, then resumes headless.
send_and_stop() {
	how=$1
	curl -sS -X POST "$SB_URL/_sandbox/reset" >/dev/null
	rm -rf "$WORK/state/cardorder/orders" "$WORK/state/cardorder/draft.json"
	tui_start -- "$top_srcdir/assets/sample-order.csv"
	need "$how: the sample order" wait_for "order: 7 card(s), 0 error(s)" 15
	keys r
	need "$how: the review" wait_for "review: this is exactly what will be sent"
	keys S
	need "$how: the confirmation" wait_for "Order 7 card(s)"
	keys y
	need "$how: on the wire" wait_for "request 1 (7 cards): sending" 5
	pid=$(tui_pid)
	case $how in
	SIGTERM) kill -TERM "$pid" ;;
	SIGHUP) kill -HUP "$pid" ;;
	closed) tmux -L "$SOCK" kill-server; TMUX_UP= ;;
	esac
	gone=no
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || { gone=yes; break; }
		sleep 0.05
	done
	is "$how: the program ends within 5 s" "$gone" yes
	check "$how: the draft is saved" test -s "$WORK/state/cardorder/draft.json"
	# A closed terminal shows nothing more; the others must be back to
	# normal.
	[ "$how" = closed ] || is "$how: the terminal left the alternate screen" \
		"$(pane '#{alternate_on}')" 0
	(cd "$WORK" && env XDG_STATE_HOME="$WORK/state" XDG_CONFIG_HOME="$WORK/config" \
		HOME="$WORK" QONTO_ACCESS_TOKEN="$TOKEN" CARDORDER_RECONCILE_GRACE=1 \
		"$CARDORDER" resume --base-url="$SB_URL" >"$WORK/resume.out" 2>"$WORK/resume.err")
	is "$how: resume exits 0" "$?" 0
	is "$how: every card created once" "$(created)" 7
	is "$how: one result line per card" "$(grep -c . "$WORK/resume.out")" 7
}

send_and_stop SIGTERM
send_and_stop SIGHUP
send_and_stop closed
asan_check
finish
