#!/bin/sh
# Issue 13, item 4: starting with an order file (as make demo does) used to
# replace the saved draft without a word. The draft is now offered: y opens
# it instead of the file, n keeps it aside and opens the file. A draft that
# holds just what the file gives is not asked about.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup draft-file
sandbox_start --sca mock
draft="$WORK/state/cardorder/draft.json"
one="$WORK/one.csv"
head -n 2 "$top_srcdir/assets/sample-order.csv" >"$one"

# a draft of one card: the file's, saved when the program ends
tui_start -- "$one"
need "the one-card order" wait_for "order: 1 card(s)" 15
check "no draft to offer on a first start" not_on_screen "A draft of"
check "q quits (y when it asks)" quits
need "the draft is saved" test -s "$draft"

# started again with the same file: nothing to choose
tui_start -- "$one"
need "the one-card order again" wait_for "order: 1 card(s)" 15
sleep 0.5
check "the same cards: no question" not_on_screen "A draft of"
check "q quits (y when it asks)" quits

# with another file: the draft is offered, not replaced
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "the question" wait_for "A draft of 1 card(s) from" 15
screen | sed 's/from [0-9-]* [0-9:]* was/from YYYY-MM-DD HH:MM was/' |
	LC_ALL=C.UTF-8 sed -n '/lq/,/mq/p' >"$WORK/asked"
cat >"$WORK/asked.want" <<'EOF'
 lqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqk
 x A draft of 1 card(s) from YYYY-MM-DD HH:MM was found. Open it instead of sample-order.csv? (n: x
 x sample-order.csv, and the draft is kept aside)                                                 x
 x                                                                                                x
 x y yes    n no                                                                                  x
 mqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqj
EOF
check "the whole question" cmp -s "$WORK/asked" "$WORK/asked.want"
if ! cmp -s "$WORK/asked" "$WORK/asked.want"; then
	diff "$WORK/asked.want" "$WORK/asked" | sed 's/^/# /'
fi
keys n
need "n: the file's order" wait_for "order: 7 card(s)" 5
check "it says where the draft went" wait_for "the earlier draft was kept as"
check "and it is there" sh -c "ls '$draft'.* >/dev/null 2>&1"
check "q quits (y when it asks)" quits

# and y opens the draft instead of the file
tui_start -- "$one"
need "asked again" wait_for "A draft of 7 card(s) from" 15
keys y
need "y: the draft's 7 cards, not the file's one" wait_for "order: 7 card(s)" 5
check "it says so" wait_for "draft of 7 card(s) opened"
check "q quits (y when it asks)" quits
finish
