# End-to-end TUI tests (tmux), issue 5: the real binary in a real terminal
# (a detached tmux session of 100x30 on a private socket), against the
# loopback sandbox; each script speaks TAP. lib.sh is what they share.
TUI_TESTS = tests/tui/french.sh tests/tui/order-send.sh tests/tui/field-errors.sh tests/tui/preflight.sh tests/tui/follow.sh \
	tests/tui/resize-nocolor.sh tests/tui/draft-crash.sh \
	tests/tui/hostile.sh tests/tui/slow-network.sh tests/tui/make-demo.sh \
	tests/tui/hostile-input.sh tests/tui/signal-on-wire.sh \
	tests/tui/slow-start.sh tests/tui/renew-keys.sh \
	tests/tui/review-scroll.sh tests/tui/template.sh \
	tests/tui/send-scroll.sh tests/tui/unfinished.sh tests/tui/pickers.sh \
	tests/tui/draft-file.sh tests/tui/checklist.sh tests/tui/retry-nothing.sh \
	tests/tui/resume-with-file.sh tests/tui/editing.sh \
	tests/tui/import-cells.sh tests/tui/cancel-undo.sh \
	tests/tui/level-clear.sh tests/tui/help.sh tests/tui/send-outcomes.sh \
	tests/tui/names.sh tests/tui/resize-picker.sh \
	tests/tui/screens.sh tests/tui/walk.sh
TESTS += $(TUI_TESTS)
EXTRA_DIST += $(TUI_TESTS) tests/tui/lib.sh tests/tui/golden
