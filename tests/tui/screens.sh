#!/bin/sh
# Issue 13: every screen, whole, at 80x24 (the smallest that cardorder
# takes) and at 120x40, compared with golden dumps after normalising what
# changes between runs (ids, times, the approval countdown): the order,
# its help, the editor's pages, a picker, a checklist, a prompt, the
# review (top and end), the confirmation, sending, sent, the results, a
# card's details and the export prompt. GOLDEN_UPDATE=1 rewrites them.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup screens
sandbox_start --sca mock

# shot NAME: the screen, whole, against tests/tui/golden/screens-SIZE-NAME.txt
shot() {
	check "$size: $1" golden "screens-$size-$1"
}

# tour: the sample order through every screen, in a terminal of $size
tour() {
	tui_start -- "$top_srcdir/assets/sample-order.csv"
	need "$size: the sample order" wait_for "order: 7 card(s), 0 error(s)" 15
	need "$size: the organisation is read" wait_for "Atelier Lumière SAS" 15
	shot order
	keys ?
	need "$size: help" wait_for "Keys of the order screen" 5
	shot help
	keys Escape
	need "$size: back" wait_for "cardorder · order:" 5
	keys Enter
	need "$size: the editor" wait_for "card 1 of 7" 5
	shot editor-1
	if wait_for "page 1 of 1" 1; then
		ok "$size: one page holds the card"
	else
		keys NPage
		need "$size: its next page" wait_for "page 2 of" 5
		shot editor-2
		keys PPage
		need "$size: the first page again" wait_for "page 1 of" 5
	fi
	to_field "Card level" && keys Enter
	need "$size: the level picker" wait_for "Filter:" 5
	shot picker
	keys Escape
	need "$size: closed" wait_gone "Filter:" 5
	to_field "Merchant categories" && keys Enter
	need "$size: the categories" wait_for "Merchant categories (none marked" 5
	shot checklist
	keys Escape
	need "$size: closed" wait_gone "Merchant categories (none marked" 5
	keys Escape
	need "$size: Esc, nothing changed: the order" wait_for "cardorder · order:" 5
	keys i
	need "$size: the import prompt" wait_for "Import which order file" 5
	shot prompt
	keys Escape
	need "$size: closed" wait_gone "Import which order file" 5
	keys r
	need "$size: the review" wait_for "review: this is exactly what will be sent" 10
	need "$size: the holders' cards are read" wait_for "already has a standard" 10
	shot review
	keys G
	need "$size: its end" wait_for "]" 5
	sleep 0.2
	shot review-end
	keys S
	need "$size: the confirmation" eventually 5 screen_re "Order 7 card|WERE ALREADY SENT"
	shot confirm
	keys y
	need "$size: waiting for approval" wait_for "waiting for approval in the Qonto app" 10
	shot sending
	keys a
	need "$size: sent" wait_for "sent: press Enter for the results" 15
	shot sent
	keys Enter
	need "$size: the results" wait_for "results: 7 created, 0 failed" 5
	shot results
	keys Enter
	need "$size: the details" wait_for "card 1 of the order" 5
	shot details
	keys q
	need "$size: back to the results" wait_for "results: 7 created" 5
	keys x
	need "$size: the export prompt" wait_for "Export to (.csv or .json):" 5
	shot export
	keys Escape
	need "$size: closed" wait_gone "Export to" 5
	keys q
	need "$size: the order" wait_for "cardorder · order:" 5
	check "$size: q quits" quits
}

COLS_=80 LINES_=24 size=80x24
tour
resize 120 40
COLS_=120 LINES_=40 size=120x40
tour
finish
