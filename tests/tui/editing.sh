#!/bin/sh
# Issue 13, item 2: text fields edit as a readline line does. Before,
# Backspace at the start of a field went to the previous field (and the
# next key changed that one), and the first key typed at the start of a
# field replaced its whole value (the form library's O_BS_OVERLOAD and
# O_BLANK). Now the cursor enters at the end of the value; Home/End and
# Ctrl-A/Ctrl-E move, Ctrl-U clears, Ctrl-W deletes the word before the
# cursor, Ctrl-K the rest, and Backspace never leaves the field.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup editing
sandbox_start --sca mock
# value LABEL: the text of the editor's field LABEL (its 30 cells).
value() {
	field_row "$1" | LC_ALL=C.UTF-8 cut -c29-58 | sed 's/ *$//'
}
# value_is LABEL TEXT: until the field holds exactly TEXT.
value_is() {
	eventually 3 test_value "$1" "$2"
}
test_value() {
	[ "$(value "$1")" = "$2" ]
}
# on LABEL: the editor's current field is LABEL.
on() {
	eventually 3 on_now "$1"
}
on_now() {
	case "$(status_line)" in " $1:"*) return 0 ;; esac
	return 1
}

start_sample
keys j Enter
need "card 2 in the editor" wait_for "card 2 of 7"
need "its city" to_field City
check "the city is Paris" wait_for_row City "Paris"

# typing adds at the end of the value, not over it
type_text "-Est"
check "typing adds after the value" value_is City "Paris-Est"
# Home, then a key: added at the start, nothing replaced
keys Home
type_text "X"
check "Home then a key inserts at the start" value_is City "XParis-Est"
# Backspace at the start stays in the field and changes nothing
keys C-a BSpace BSpace
sleep 0.3
check "Backspace at the start changes nothing" value_is City "XParis-Est"
check "and stays in the field" on City
keys Delete
check "Delete takes the character under the cursor" value_is City "Paris-Est"
keys End BSpace BSpace BSpace BSpace
check "End then Backspace takes the last characters" value_is City "Paris"
type_text " la Défense"
keys C-w
check "Ctrl-W takes the word before the cursor" value_is City "Paris la"
keys C-w C-w
check "and again, back to the start" value_is City ""
type_text "Paris"
keys Home Right Right C-k
check "Ctrl-K takes the rest" value_is City "Pa"
keys C-u
type_text "Lyon"
check "Ctrl-U clears, typing starts afresh" value_is City "Lyon"

# Ctrl-W in a field scrolled by a long text takes the last word only
need "address line 1" to_field "Address line 1"
keys C-u
type_text "Résidence des Grands Chênes bâtiment C escalier"
keys C-w
keys F2
need "back to the order to read it whole" wait_for "order: 7 card(s)" 5
keys Enter
need "card 2 again" wait_for "card 2 of 7" 5
check "Ctrl-W took only \"escalier\" (the text is whole in the draft)" \
	eventually 3 sh -c "grep -q 'Résidence des Grands Chênes bâtiment C \"' '$WORK/state/cardorder/draft.json' ||
		grep -q 'Résidence des Grands Chênes bâtiment C\"' '$WORK/state/cardorder/draft.json'"
need "the city" to_field City

# Backspace in the next field never reaches this one
keys Tab
need "the country" on Country
keys Up
need "back on the city" on City
keys BSpace
check "Backspace after Up takes the city's last letter" value_is City "Lyo"
golden_ok=0
golden editing-city && golden_ok=1
check "the whole editor, as expected" [ $golden_ok = 1 ]
keys F2
need "back to the order" wait_for "order: 7 card(s)"
check "the order shows the city as typed" screen_re '^    2 .* Lyo +'
check "q quits (y when it asks)" quits
finish
