#!/bin/sh
# Issue 13, item 11: ? opens the help of the screen (in the editor too,
# outside text fields, where ? is typed text and F1 is the help); the help
# lists the keys of the screen's own table, the same one its key bar and
# key handling come from, and typing filters it.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup help
sandbox_start --sca mock
start_sample
keys ?
need "? opens the help" wait_for "Keys of the order screen" 5
check "the whole help of the order screen" golden help-order
type_text "dele"
check "typing filters: delete" wait_for "delete" 3
check "and undo delete" wait_for "undo delete" 1
check "not the others" not_on_screen "review & send"
check "the whole filtered help" golden help-order-filtered
type_text "zz"
check "nothing matches: said" wait_for 'Nothing matches "delezz".' 3
keys BSpace BSpace BSpace BSpace BSpace BSpace
check "Backspace takes the filter back" wait_for "review & send" 3
keys Escape
need "Esc goes back" wait_for "order: 7 card(s)" 5

keys Enter
need "card 1 in the editor" wait_for "card 1 of 7"
need "the holder field" to_field Holder
keys ?
check "? on a picker field opens the editor's help" wait_for "Keys of the card editor screen" 5
check "which names Ctrl-W" wait_for "delete the word before the cursor" 1
keys Escape
need "back to the editor" wait_for "card 1 of 7" 5
check "the holder is unchanged" wait_for_row Holder "Hélène Dubois-Ferrière"
need "a text field" to_field "Address line 1"
type_text "?"
check "? in a text field is text" wait_for_row "Address line 1" "?"
keys F1
check "F1 is the help there" wait_for "Keys of the card editor screen" 5
keys Escape
need "back" wait_gone "Keys of the card editor" 5
keys Escape
need "Esc asks to discard" wait_for "Discard the changes to card 1" 5
keys y
need "back to the order" wait_for "order: 7 card(s), 0 error(s)" 5
check "q quits" quits
finish
