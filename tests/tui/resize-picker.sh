#!/bin/sh
# Issue 13, item 12: a picker open during a resize. Below 80x24 the "too
# small" screen shows (not the picker over it); back at the size it was
# opened at, the picker is whole again, as it was. Before, its window kept
# the size the small terminal had given it.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup resize-picker
sandbox_start --sca mock
start_sample
keys Enter
need "card 1 in the editor" wait_for "card 1 of 7"
keys Enter
need "the holder picker" wait_for "Filter:" 5
screen >"$WORK/before"
resize 60 20
need "too small" wait_for "The terminal is too small." 5
check "the whole too-small screen" golden resize-too-small
check "no picker over it" not_on_screen "Filter:"
resize 100 30
need "back to 100x30" wait_for "Filter:" 5
sleep 0.3
screen >"$WORK/after"
check "the picker is whole again, as before" cmp -s "$WORK/before" "$WORK/after"
diff "$WORK/before" "$WORK/after" | sed 's/^/# /'
type_text "zoe lam"
check "two words filter: Zoé Lambert" wait_for "> Zoé Lambert" 3
check "and nobody else" not_on_screen "Raphaël Lambert"
keys Enter
need "chosen" wait_gone "Filter:" 5
check "Zoé is the holder" wait_for_row Holder "Zoé Lambert"
keys Escape
need "Esc asks" wait_for "Discard the changes to card 1 (Zoé Lambert)?" 5
keys y
need "back" wait_for "order: 7 card(s), 0 error(s)" 5
check "q quits" quits
finish
