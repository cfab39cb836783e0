#!/bin/sh
# Issue 5, item 7: `make demo` starts the sandbox and the TUI on the
# sample order (an order goes through, approved with the `a` key), and
# the sandbox process is gone once the TUI is quitted with q.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup make-demo
: "${MAKE:=make}"
# The demo's own state directory, in the build tree.
portfile="$top_builddir/demo-state/port"

tmux_run -- "$MAKE" -s -C "$top_builddir" demo
need "the demo's TUI shows the sample order" wait_for "order: 7 card(s), 0 error(s)" 60
check "against the sandbox" wait_for "SANDBOX"
check "connected: the organisation's name" wait_for "Atelier Lumière SAS"

descendants "$(pane '#{pane_pid}')" >"$WORK/processes"
sandbox=$(awk '$2 == "qonto-sandbox" { print $1 }' "$WORK/processes")
need "the sandbox runs (one process)" test "$(echo "$sandbox" | wc -w)" -eq 1
need "and answers on the demo's port" \
	sh -c "curl -sS --max-time 5 http://127.0.0.1:\$(cat '$portfile')/_sandbox/stats | grep -q requests"

keys r
need "the review" wait_for "review: this is exactly what will be sent"
keys S
need "the confirmation" wait_for "Order 7 card(s) in 1 request(s) from Atelier Lumière SAS (SANDBOX)?"
keys y
need "waiting for approval" wait_for "waiting for approval in the Qonto app" 10
keys a
need "approved with a: sent" wait_for "sent: press Enter for the results" 15
check "7 created" wait_for "7 of 7 card(s) settled: 7 created, 0 failed"
keys Enter
check "the results" wait_for "results: 7 created, 0 failed" 5
keys q
need "the order" wait_for "cardorder · order:"
keys q
check "q ends the demo" wait_exit 15
is "make demo exits 0" "${EXIT_STATUS:-}" 0
check "the sandbox process is gone" eventually 5 sh -c "! kill -0 $sandbox 2>/dev/null"
check "nothing answers on the demo's port any more" \
	sh -c "! curl -sS --max-time 2 http://127.0.0.1:\$(cat '$portfile')/_sandbox/stats >/dev/null 2>&1"
gone() {
	for p in $(awk '{ print $1 }' "$WORK/processes"); do
		kill -0 "$p" 2>/dev/null && return 1
	done
	return 0
}
check "no process of the demo is left ($(awk '{ print $2 }' "$WORK/processes" | sort | tr '\n' ' '))" \
	eventually 5 gone
finish
