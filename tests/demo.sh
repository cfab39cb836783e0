#!/bin/sh
# make demo: the bundled sandbox on loopback, and the TUI against it with
# the sample order. Approve orders with the `a` key on the sending screen.
# The sandbox stops when the TUI exits, however it exits.
set -eu
builddir=${1:-.}
srcdir=${2:-.}
sandbox="$builddir/tests/sandbox/qonto-sandbox"
app="$builddir/cli/cardorder"
state="$builddir/demo-state"
mkdir -p "$state"
# Each demo starts a fresh sandbox, which knows none of the cards of an
# earlier demo: its orders are forgotten with it (the draft is kept).
rm -rf "$state/cardorder/orders"
portfile="$state/port"
rm -f "$portfile"

"$sandbox" --port 0 --port-file "$portfile" --access-token demo-token \
  --sca mock --seed-dir "$srcdir/assets/sandbox" >"$state/sandbox.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT INT TERM HUP

i=0
while [ ! -s "$portfile" ]; do
  i=$((i + 1))
  if [ "$i" -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
    echo "the sandbox did not start; see $state/sandbox.log" >&2
    exit 1
  fi
  sleep 0.05
done
port=$(cat "$portfile")
echo "sandbox on http://127.0.0.1:$port (log: $state/sandbox.log)"

CARDORDER_LOCALEDIR="$builddir/tests/locale" \
XDG_STATE_HOME="$state" XDG_CONFIG_HOME="$state/config" \
QONTO_ACCESS_TOKEN=demo-token \
  "$app" --base-url "http://127.0.0.1:$port" "$srcdir/assets/sample-order.csv"
