# lib.sh: what the end-to-end TUI tests share (sourced, POSIX sh).
#
# The real binary runs in a detached tmux session of a fixed size, on a
# private tmux socket, against the loopback sandbox; a test types with
# send-keys and reads the screen with capture-pane. Nothing waits a fixed
# time: every expectation is polled until a deadline.
#
#   tui_setup NAME          temporary directory, trap, TAP counters; skips
#                           (the "1..0 # SKIP" plan) when tmux is missing
#   sandbox_start ARGS...   the sandbox on a free port: $SB_URL, $SB_PORT
#   tui_start [VAR=VALUE...] [-- ARGS...]
#                           cardorder in tmux, connected to the sandbox
#   wait_for TEXT [SECONDS] until the screen shows TEXT (fixed string)
#   wait_gone TEXT [SECONDS]
#   keys KEY...             tmux key names (Enter, Tab, NPage, C-u...)
#   type_text TEXT          literal text
#   screen                  the screen as text; screen_esc with attributes
#   ok/not_ok/check/is      TAP; finish prints the plan and exits
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
: "${CARDORDER:=$top_builddir/cli/cardorder}"
SANDBOX_BIN=${SANDBOX_BIN:-$top_builddir/tests/sandbox/qonto-sandbox}
TOKEN=tui-test-token
COLS_=100
LINES_=30

tap_n=0
tap_failed=0
SB_PID=
TMUX_UP=
WATCHDOG=

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	# what the screen showed, to see why
	if [ -n "$TMUX_UP" ]; then
		screen 2>/dev/null | sed 's/^/#   |/'
	fi
}

# check DESCRIPTION COMMAND...: ok when COMMAND succeeds.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# is DESCRIPTION GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   got:  '$2'"
		echo "#   want: '$3'"
	fi
}

diag() {
	echo "# $*"
}

finish() {
	asan_check
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# An abandoned test must not leave processes behind.
cleanup() {
	if [ -n "$TMUX_UP" ]; then
		tmux -L "$SOCK" kill-server 2>/dev/null
		TMUX_UP=
	fi
	if [ -n "$SB_PID" ]; then
		kill "$SB_PID" 2>/dev/null
		wait "$SB_PID" 2>/dev/null
		SB_PID=
	fi
	if [ -n "$WATCHDOG" ]; then
		kill "$WATCHDOG" 2>/dev/null
		WATCHDOG=
	fi
	# After a failure, the screens' files and the sandbox's log stay.
	if [ -n "${WORK:-}" ] && [ "$tap_failed" -eq 0 ] && [ -z "${TUI_KEEP:-}" ]; then
		rm -rf "$WORK"
	elif [ -n "${WORK:-}" ]; then
		echo "# kept $WORK"
	fi
	WORK=
}

# A test that hangs anyway is stopped (its cleanup still runs).
start_watchdog() {
	main=$$
	(
		trap 'kill "$sp" 2>/dev/null; exit 0' TERM
		sleep "$1" &
		sp=$!
		wait "$sp" && echo "# watchdog: the test took more than $1 s" &&
			kill -TERM "$main"
	) &
	WATCHDOG=$!
}

tui_setup() {
	# Under automake's TAP driver, exit 77 would count as an error: a
	# skip is the "1..0 # SKIP" plan.
	if ! command -v tmux >/dev/null 2>&1; then
		echo "1..0 # SKIP tmux is not installed"
		exit 0
	fi
	if ! command -v curl >/dev/null 2>&1; then
		echo "1..0 # SKIP curl is not installed"
		exit 0
	fi
	SOCK="cardorder-$1-$$"
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/cardorder-$1.XXXXXX") || exit 99
	mkdir -p "$WORK/state" "$WORK/config" "$WORK/asan"
	trap cleanup EXIT
	trap 'tap_failed=$((tap_failed + 1)); cleanup; exit 99' INT TERM HUP
	start_watchdog "${TUI_TEST_TIMEOUT:-120}"
}

# sandbox_start ARGS...: extra options for qonto-sandbox.
sandbox_start() {
	"$SANDBOX_BIN" --port 0 --port-file "$WORK/port" --access-token "$TOKEN" \
		"$@" >"$WORK/sandbox.log" 2>&1 &
	SB_PID=$!
	i=0
	while [ ! -s "$WORK/port" ]; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$SB_PID" 2>/dev/null; then
			echo "Bail out! the sandbox did not start"
			sed 's/^/# /' "$WORK/sandbox.log"
			exit 99
		fi
		sleep 0.05
	done
	SB_PORT=$(cat "$WORK/port")
	SB_URL="http://127.0.0.1:$SB_PORT"
}

# sandbox_stop: stops the sandbox (to start another).
sandbox_stop() {
	if [ -n "$SB_PID" ]; then
		kill "$SB_PID" 2>/dev/null
		wait "$SB_PID" 2>/dev/null
		SB_PID=
	fi
	rm -f "$WORK/port"
}

# sandbox_get PATH: a control endpoint of the sandbox, on stdout.
sandbox_get() {
	curl -sS --max-time 5 "$SB_URL$1"
}

# The command tmux runs: the environment is written out in full, so the
# program sees only what the test means it to (no TMUX, no stray locale);
# the exit status goes to $WORK/exit (tmux 3.3 does not always know it).
# A sanitizer report goes to a file, never to the screen.
write_runner() {
	{
		echo '#!/bin/sh'
		echo "export TERM=xterm-256color LC_ALL=C.UTF-8"
		# English unless a test asks for another language (LANGUAGE=fr,
		# or LANGUAGE= for Qonto's membership locale); the catalogue is
		# the build tree's.
		echo "export LANGUAGE=en CARDORDER_LOCALEDIR='${CARDORDER_LOCALEDIR:-}'"
		echo "unset LC_MESSAGES LANG"
		echo "export XDG_STATE_HOME='$WORK/state' XDG_CONFIG_HOME='$WORK/config'"
		echo "export HOME='$WORK'"
		echo "export ASAN_OPTIONS='log_path=$WORK/asan/report:abort_on_error=1:detect_leaks=1'"
		echo "export UBSAN_OPTIONS='log_path=$WORK/asan/report:print_stacktrace=1:halt_on_error=1'"
		echo "unset TMUX TMUX_PANE NO_COLOR QONTO_API_KEY QONTO_STAGING_TOKEN QONTO_API_BASE"
		echo "unset MAKEFLAGS MFLAGS MAKELEVEL" # not the outer make's jobserver
		for v in "$@"; do
			printf "export '%s'\n" "$v"
		done
		printf 'cd "%s" || exit 1\n' "$WORK"
		printf '"$@"\n'
		printf 'echo $? > "%s/exit"\n' "$WORK"
	} >"$WORK/run.sh"
}

# tui_start [VAR=VALUE...] [-- ARGS...]: cardorder in a tmux session "ui"
# of 100x30, with the token and the sandbox's URL.
tui_start() {
	envs=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs $1"
		shift
	done
	[ $# -gt 0 ] && shift
	# shellcheck disable=SC2086
	tmux_run QONTO_ACCESS_TOKEN="$TOKEN" $envs -- \
		"$CARDORDER" --base-url "$SB_URL" "$@"
}

# tmux_run [VAR=VALUE...] -- COMMAND ARGS...: COMMAND in the session "ui",
# through the runner. The pane stays after the program ends
# (remain-on-exit), so that its last screen can be read; a second call
# starts a program again in the same pane.
tmux_run() {
	rm -f "$WORK/exit"
	envs=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs $1"
		shift
	done
	[ $# -gt 0 ] && shift
	# shellcheck disable=SC2086
	write_runner $envs
	if [ -z "$TMUX_UP" ]; then
		printf 'set -g remain-on-exit on\nset -g status off\n' >"$WORK/tmux.conf"
		tmux -L "$SOCK" -f "$WORK/tmux.conf" new-session -d -s ui \
			-x "$COLS_" -y "$LINES_" sh "$WORK/run.sh" "$@" || {
			echo "Bail out! tmux did not start"
			exit 99
		}
		TMUX_UP=1
	else
		tmux -L "$SOCK" respawn-pane -k -t ui sh "$WORK/run.sh" "$@"
	fi
}

# pane FORMAT: a tmux format of the pane (#{pane_pid}, #{pane_title}...).
pane() {
	tmux -L "$SOCK" display-message -p -t ui "$1"
}

screen() {
	tmux -L "$SOCK" capture-pane -p -t ui
}

# The screen with its attributes and colours as escape sequences.
screen_esc() {
	tmux -L "$SOCK" capture-pane -p -e -t ui
}

keys() {
	tmux -L "$SOCK" send-keys -t ui "$@"
}

type_text() {
	tmux -L "$SOCK" send-keys -t ui -l -- "$1"
}

# now_ms: a clock for deadlines.
now_ms() {
	date +%s%3N
}

# wait_for TEXT [SECONDS]: true as soon as the screen shows TEXT.
wait_for() {
	deadline=$(($(now_ms) + ${2:-10} * 1000))
	while :; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# wait_gone TEXT [SECONDS]: true as soon as the screen no longer shows it.
wait_gone() {
	deadline=$(($(now_ms) + ${2:-10} * 1000))
	while :; do
		if ! screen | grep -qF -- "$1"; then
			return 0
		fi
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# wait_exit [SECONDS]: true when the program has ended; its exit
# status is then in $EXIT_STATUS.
wait_exit() {
	deadline=$(($(now_ms) + ${1:-10} * 1000))
	while [ ! -s "$WORK/exit" ]; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
	# shellcheck disable=SC2034 # for the tests
	EXIT_STATUS=$(cat "$WORK/exit")
}

# row TEXT: the screen's line holding TEXT (the first one).
row() {
	screen | grep -F -m 1 -- "$1"
}

# A sanitizer report is a failure, whatever the screen showed.
asan_check() {
	if ls "$WORK/asan"/report* >/dev/null 2>&1; then
		not_ok "no sanitizer report"
		cat "$WORK/asan"/report* | head -60 | sed 's/^/# /'
	else
		ok "no sanitizer report"
	fi
}

# need DESCRIPTION COMMAND...: like check, and stops the test at the first failure
# of a step that the next ones need.
need() {
	desc=$1
	shift
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "the steps after this one need it: stopping here"
		finish
	fi
}

# ---- the card editor ----

# status_line: the line above the key bar (the field's hint or problem).
status_line() {
	screen | sed -n "$((LINES_ - 1))p"
}

# to_field LABEL: Tab (or Shift-Tab) until the editor's current field is
# LABEL, as its status line says ("Monthly limit (EUR): ...").
to_field() {
	dir=Tab
	turns=0
	while [ $turns -lt 60 ]; do
		cur=$(status_line)
		case $cur in
		" $1: "* | " $1 : "*) return 0 ;; # English, French
		esac
		keys "$dir"
		# wait for the focus to move; at the last field it does not
		deadline=$(($(now_ms) + 1500))
		while [ "$(status_line)" = "$cur" ]; do
			if [ "$(now_ms)" -ge "$deadline" ]; then
				[ "$dir" = BTab ] && return 1
				dir=BTab
				break
			fi
			sleep 0.03
		done
		turns=$((turns + 1))
	done
	return 1
}

# pick FILTER: in an open picker, types FILTER and chooses the first
# item that matches.
pick() {
	type_text "$1"
	wait_for "Filter: $1" 5 || return 1
	keys Enter
	wait_gone "Filter: " 5
}

# choose LABEL VALUE: opens the picker of the editor's field LABEL and picks
# the first entry that VALUE filters to.
choose() {
	to_field "$1" && keys Enter && wait_for "Filter:" && pick "$2"
}

# field_row LABEL: the editor's line of the field LABEL.
field_row() {
	screen | grep -m 1 "^  $1 "
}

# set_text LABEL TEXT: types TEXT into the empty text field LABEL.
set_text() {
	to_field "$1" || return 1
	keys C-u
	type_text "$2"
	wait_for_row "$1" "$2"
}

# scroll_to TEXT [SECONDS]: on the review, TEXT shows within SECONDS, or
# on one of the next 40 pages (PgDn until it does).
scroll_to() {
	wait_for "$1" "${2:-5}" && return 0
	for _ in $(seq 40); do
		keys NPage
		sleep 0.15
		screen | grep -qF -- "$1" && return 0
	done
	return 1
}

# review_shows TEXT [SECONDS]: scroll_to TEXT, then back at the top.
review_shows() {
	scroll_to "$@"
	found=$?
	keys g
	return $found
}

# in_all CARDS PAYMENTS: the summary's "in all" line, as far as its
# monthly payment limits.
in_all() {
	printf 'in all%22s %5d %13d' "" "$1" "$2"
}

# wait_for_row LABEL TEXT [SECONDS]: the field's line shows TEXT.
wait_for_row() {
	deadline=$(($(now_ms) + ${3:-5} * 1000))
	while :; do
		field_row "$1" | grep -qF -- "$2" && return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# screen_re REGEX: the screen has a line matching the extended REGEX.
screen_re() {
	screen | grep -Eq -- "$1"
}

# not_on_screen TEXT: the screen does not show TEXT.
not_on_screen() {
	! screen | grep -qF -- "$1"
}

# tui_pid: the process id of cardorder (the child of the pane's shell).
tui_pid() {
	ps -o pid= --ppid "$(pane '#{pane_pid}')" | tr -d ' '
}

# wait_row_gone LABEL TEXT [SECONDS]: the field's line no longer shows TEXT.
wait_row_gone() {
	deadline=$(($(now_ms) + ${3:-5} * 1000))
	while :; do
		field_row "$1" | grep -qF -- "$2" || return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# colour_codes: the SGR sequences on the screen that set a colour (30-38,
# 40-48, 90-97, 100-107; 39 and 49, "default colour", are not colours),
# one a line.
colour_codes() {
	screen_esc | awk '{
		s = $0
		while (match(s, /\033\[[0-9;]*m/)) {
			seq = substr(s, RSTART + 2, RLENGTH - 3)
			s = substr(s, RSTART + RLENGTH)
			n = split(seq, p, ";")
			for (i = 1; i <= n; i++) {
				v = p[i] + 0
				if ((v >= 30 && v <= 38) || (v >= 40 && v <= 48) ||
				    (v >= 90 && v <= 97) || (v >= 100 && v <= 107)) {
					print seq
					break
				}
			}
		}
	}'
}

# resize COLS LINES: the tmux window (and so the terminal) to that size.
resize() {
	tmux -L "$SOCK" resize-window -t ui -x "$1" -y "$2"
}

# screen_esc_re REGEX: like screen_re, on the screen with its attributes.
screen_esc_re() {
	screen_esc | grep -Eq -- "$1"
}

# eventually SECONDS COMMAND...: polls COMMAND until it succeeds.
eventually() {
	deadline=$(($(now_ms) + $1 * 1000))
	shift
	while ! "$@"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# selected TEXT: the first line showing TEXT shows it in reverse video
# (the attributes in force where TEXT starts).
selected() {
	screen_esc | awk -v t="$1" '
	index($0, t) {
		pre = substr($0, 1, index($0, t) - 1)
		n = split(pre, part, "\033\\[")
		rev = 0
		for (i = 2; i <= n; i++) {
			seq = part[i]
			sub(/m.*/, "", seq)
			k = split(seq, p, ";")
			for (j = 1; j <= k; j++) {
				v = p[j] + 0
				if (v == 38 || v == 48) { j += (p[j + 1] == 5) ? 2 : 4; continue }
				if (v == 0) rev = 0
				else if (v == 7) rev = 1
				else if (v == 27) rev = 0
			}
		}
		found = 1
		exit
	}
	END { exit !(found && rev) }'
}

# descendants PID: the processes under PID, "pid command" a line.
descendants() {
	ps -e -o pid= -o ppid= -o comm= | awk -v root="$1" '
	{ pid[NR] = $1; ppid[NR] = $2; comm[NR] = $3 }
	END {
		want[root] = 1
		for (changed = 1; changed;) {
			changed = 0
			for (i = 1; i <= NR; i++)
				if ((ppid[i] in want) && !(pid[i] in want)) {
					want[pid[i]] = 1
					changed = 1
				}
		}
		for (i = 1; i <= NR; i++)
			if ((pid[i] in want) && pid[i] != root)
				print pid[i], comm[i]
	}'
}

# ---- golden screens ----

# normalise: a screen dump without what changes from run to run (order
# ids, clock times, dates, durations).
normalise() {
	LC_ALL=C.UTF-8 sed -E \
		-e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g' \
		-e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?Z?/<time>/g' \
		-e 's/[0-9]{2}:[0-9]{2}:[0-9]{2}/<time>/g' \
		-e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}/<date>/g' \
		-e 's/[0-9]{8}-[0-9]{4}/<stamp>/g' \
		-e 's/[0-9]+:[0-9]{2} left/<m:ss> left/g' \
		-e 's/order [0-9a-f]{8}/order <id>/g' \
		-e 's/Qonto at [0-9]{2}:[0-9]{2}/Qonto at <hh:mm>/g' \
		-e 's#[0-9]{2}/[0-9]{2}/[0-9]{4}( [0-9]{2}:[0-9]{2})?#<date>#g' \
		-e 's/reste [0-9]+:[0-9]{2}/reste <m:ss>/g' \
		-e 's/commande [0-9a-f]{8}/commande <id>/g' \
		-e 's/Qonto à [0-9]{2}:[0-9]{2}/Qonto à <hh:mm>/g'
}

# golden NAME: the whole screen, normalised, equals the file
# tests/tui/golden/NAME.txt; the difference is printed as diagnostics.
# GOLDEN_UPDATE=1 writes the file from the screen instead.
golden() {
	want="$top_srcdir/tests/tui/golden/$1.txt"
	screen | normalise >"$WORK/$1.txt"
	if [ -n "${GOLDEN_UPDATE:-}" ]; then
		cp "$WORK/$1.txt" "$want"
	fi
	cmp -s "$want" "$WORK/$1.txt" && return 0
	diff "$want" "$WORK/$1.txt" | sed 's/^/# /'
	return 1
}

# quits [SECONDS]: q on the order screen, and y when it asks first (the
# order has changes neither sent nor saved); true once the program ended.
quits() {
	keys q
	deadline=$(($(now_ms) + ${1:-5} * 1000))
	asked=
	while [ ! -s "$WORK/exit" ]; do
		if [ -z "$asked" ] && screen | grep -qF -e "Quit? The draft is kept" \
			-e "Quitter ? Le brouillon est conservé"; then
			keys y
			asked=1
		fi
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
	# shellcheck disable=SC2034 # for the tests
	EXIT_STATUS=$(cat "$WORK/exit")
}

# not COMMAND...: true when COMMAND fails.
not() {
	! "$@"
}

# start_sample: cardorder on the sample order, once its 7 cards show and
# the organisation is read (the start most tests share).
start_sample() {
	tui_start -- "$top_srcdir/assets/sample-order.csv"
	need "the sample order" wait_for "order: 7 card(s), 0 error(s)" 15
	need "the organisation is read" wait_for "Atelier Lumière SAS" 15
}
