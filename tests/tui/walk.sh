#!/bin/sh
# Issue 13: a whole order walked as a finance person would, from nothing:
# a card of every level added from scratch through the pickers, a copy,
# a delete and its undo, a template, an import with a bad row fixed in
# the editor, the review, sending, the approval, the results (filter,
# details, export as CSV and JSON), retry failed, the order saved as a
# file, quit, and start again with the draft.
. "${top_srcdir:-.}/tests/tui/lib.sh"

TUI_TEST_TIMEOUT=${TUI_TEST_TIMEOUT:-300} # a long walk
tui_setup walk
sandbox_start --sca mock

# on LABEL: the editor's current field is LABEL
on_field() {
	case "$(status_line)" in " $1:"*) return 0 ;; esac
	return 1
}
# switch LABEL y|n: sets a yes/no field
switch() {
	to_field "$1" && keys "$2" && wait_for_row "$1" "$( [ "$2" = y ] && echo yes || echo no)"
}
# new_card LEVEL HOLDER: a, then the holder, level and bank account
new_card() {
	keys a
	wait_for "of $(($1 + 1))" 5 || return 1
	to_field Holder && keys Enter && wait_for "Filter:" 5 && pick "$3" &&
		choose "Card level" "$2" && choose "Bank account" "principal"
}

tui_start
need "an empty order" wait_for "No cards yet" 15
need "the organisation is read" wait_for "Atelier Lumière SAS" 15

need "standard: holder, level, account" new_card 0 standard "hélène"
need "a design from the picker" choose Design "recycled"
need "cash withdrawals on" switch "Cash withdrawals" y
need "a monthly limit" set_text "Monthly limit (EUR)" 1000
need "ships to the business" switch "Ship to the business" y
check "card 1 has no problem" eventually 3 sh -c "! tmux -L '$SOCK' capture-pane -p -t ui | grep -q '✗'"
keys F2
need "card 1 kept" wait_for "order: 1 card(s), 0 error(s)" 5

need "plus" new_card 1 plus "björn"
need "embossed" choose "Type of print" embossed
need "a monthly limit" set_text "Monthly limit (EUR)" 2000
need "not to the business" switch "Ship to the business" n
need "line 1" set_text "Address line 1" "12 rue des Écoles"
need "postcode" set_text "Postcode" 75005
need "city" set_text "City" Paris
need "country from its picker" choose Country "fran"
keys F2
need "card 2 kept" wait_for "order: 2 card(s), 0 error(s)" 5

need "metal" new_card 2 metal "fatou"
need "a monthly limit" set_text "Monthly limit (EUR)" 5000
need "to the business" switch "Ship to the business" y
keys F2
need "card 3 kept" wait_for "order: 3 card(s), 0 error(s)" 5

need "virtual" new_card 3 virtual "ngozi"
need "a monthly limit" set_text "Monthly limit (EUR)" 500
to_field "Merchant categories" && keys Enter
need "the categories checklist" wait_for "Merchant categories (none marked" 5
keys Space Down Space Enter
need "two categories" wait_for_row "Merchant categories" "transport, restaurant_and_bar"
to_field "Active days" && keys Enter
need "the days checklist" wait_for "Active days (none marked" 5
keys Space Down Space Down Space Enter
need "three days" wait_for_row "Active days" "Mon Tue Wed"
keys F2
need "card 4 kept" wait_for "order: 4 card(s), 0 error(s)" 5

need "virtual_partner" new_card 4 virtual_partner "cécile"
need "a monthly limit" set_text "Monthly limit (EUR)" 300
keys F2
need "card 5 kept" wait_for "order: 5 card(s), 0 error(s)" 5

need "flash" new_card 5 flash "zoé lam"
need "a budget" set_text "Budget (EUR)" 250
need "an expiry" set_text "Expires at (ISO 8601)" "2027-06-30T23:59:59Z"
keys F2
need "card 6 kept" wait_for "order: 6 card(s), 0 error(s)" 5

need "advertising" new_card 6 advertising "françois"
need "a monthly limit" set_text "Monthly limit (EUR)" 800
keys F2
need "card 7 kept" wait_for "order: 7 card(s), 0 error(s)" 5
check "the order of every level, whole" golden walk-seven

# copy, delete, undo
keys c
need "c copies the card" wait_for "card copied as card 8" 5
keys x
need "x names it" wait_for "Delete card 8 (François Martínez)?" 5
keys y
need "deleted" wait_for "order: 7 card(s)" 5
keys u
check "u puts it back" wait_for "card 8 (François Martínez) is back" 5
keys x y
need "deleted again" wait_for "order: 7 card(s)" 5

# a template on the two virtual cards
keys g j j j Space Space
keys t
need "the template" wait_for "template for the marked cards" 5
need "its monthly limit" set_text "Monthly limit (EUR)" 600
keys F2
need "it says what it does" wait_for "Apply the template? It changes 2 of the 2 marked card(s); none gets an error." 5
keys y
need "applied" wait_for "template applied to 2 card(s)" 5
check "cards 4 and 5 at 600 a month" screen_re '^\* +4 Ngozi Dubois +virtual +600 '

# an import: a good card, a bad limit, a holder Qonto will refuse
{
	echo "holder,bank_account,card_level,payment_monthly_limit"
	echo "Théo Björk,Compte principal,virtual,100"
	echo "Gaëlle Michel,Compte principal,virtual,12.50"
} >"$WORK/more.csv"
printf 'holder_id,bank_account,card_level,payment_monthly_limit\n3c90c3cc-0d44-4b50-8888-8dd25736052a,Compte principal,virtual,100\n' \
	>"$WORK/stranger.csv"
keys i
need "import" wait_for "Import which order file" 5
type_text "$WORK/more.csv"
keys Enter
need "two more cards" wait_for "2 card(s) read from more.csv; 1 problem(s)" 5
keys i
need "import again" wait_for "Import which order file" 5
type_text "$WORK/stranger.csv"
keys Enter
need "and one more" wait_for "1 card(s) read from stranger.csv" 5
check "one error, one warning" wait_for "order: 10 card(s), 1 error(s), 1 warning(s)" 5
keys G k Enter
need "card 9 in the editor" wait_for "card 9 of 10" 5
need "its limit" to_field "Monthly limit (EUR)"
keys BSpace BSpace BSpace
need "fixed" eventually 3 screen_re '^  Monthly limit \(EUR\) +12$'
keys F2
need "no error left" wait_for "order: 10 card(s), 0 error(s), 1 warning(s)" 5

# review, send, approve
keys r
need "the review" wait_for "review: this is exactly what will be sent" 10
check "the review counts 10 cards" wait_for "10 card(s) for Atelier Lumière SAS" 2
keys S
need "the confirmation" wait_for "Order 10 card(s) in 1 request(s)" 5
keys y
need "waiting for approval" wait_for "waiting for approval in the Qonto app" 10
keys a
need "sent" wait_for "sent: press Enter for the results" 20
check "9 created, the stranger refused" wait_for "10 of 10 card(s) settled: 9 created, 1 failed" 3
keys Enter
need "the results" wait_for "results: 9 created, 1 failed (showing all)" 5
keys f
check "f: the created ones" wait_for "(showing created)" 3
keys f
check "f: the failed one" wait_for "(showing failed)" 3
check "the refused card and why" screen_re '^ +10 3c90c3cc.* failed '
keys f
need "all again" wait_for "(showing all)" 3
keys Enter
need "details" wait_for "card 1 of the order" 5
check "with its limits" wait_for "Monthly limit          1000 EUR" 2
keys q
need "back" wait_for "results: 9 created" 5
keys x
need "export" wait_for "Export to (.csv or .json):" 5
keys C-u
type_text "$WORK/results.csv"
keys Enter
check "exported as CSV" wait_for "10 row(s) written to $WORK/results.csv" 5
keys x
need "export again" wait_for "Export to (.csv or .json):" 5
keys C-u
type_text "$WORK/results.json"
keys Enter
check "exported as JSON" wait_for "10 row(s) written to $WORK/results.json" 5
is "the CSV has a header and 10 rows" "$(wc -l <"$WORK/results.csv" | tr -d ' ')" 11
check "the JSON has the 9 cards' ids" \
	sh -c "grep -o '\"card_id\": *\"[0-9a-f-]\{36\}\"' '$WORK/results.json' | wc -l | grep -qx 9"

# retry failed, save, quit, again
keys r
need "r: the failed card back in the order" wait_for "order: 1 card(s)" 5
check "it says so" wait_for "1 card(s) back in the order; fix them and send again" 3
keys w
need "save as" wait_for "Save the order as (.csv or .json):" 5
keys C-u
type_text "$WORK/left.csv"
keys Enter
check "saved" wait_for "1 card(s) saved to $WORK/left.csv" 5
keys q
check "q quits at once: saved" wait_exit 5
"$CARDORDER" validate "$WORK/left.csv" >"$WORK/left.out" 2>&1
is "the saved order reads back" "$?" 0
tui_start
need "started again" wait_for "cardorder · order:" 15
check "the draft is offered" wait_for "Open it?" 5
keys y
check "the failed card is there" wait_for "order: 1 card(s)" 5
check "q quits (y when it asks)" quits
finish
