#!/bin/sh
# Issue 5, item 4: the program killed with SIGKILL in the middle of
# editing; started again, it offers the draft, and everything typed is
# there (order table and editor).
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup draft-crash
sandbox_start --sca mock
draft="$WORK/state/cardorder/draft.json"

tui_start
need "the order screen" wait_for "No cards yet" 15
check "no draft is offered on a first start" not_on_screen "A draft of"

# card 1, finished
keys a
need "card 1" wait_for "card 1 of 1"
pick bjorn
need "holder Björn" wait_for_row Holder "Björn Nguyễn"
choose "Card level" plus
need "level plus" wait_for_row "Card level" plus
choose "Bank account" "Dépenses"
need "bank account Dépenses marketing" wait_for_row "Bank account" "Dépenses marketing"
need "monthly limit 5000" set_text "Monthly limit (EUR)" 5000
to_field "Daily limit on" && keys Space
need "daily limit switched on" wait_for_row "Daily limit on" yes
need "daily limit 1500" set_text "Daily limit (EUR)" 1500
keys F2
need "back to the order" wait_for "order: 1 card(s)"

# card 2, in the middle of editing
keys a
need "card 2" wait_for "card 2 of 2"
pick fatou
need "holder Fatoumata" wait_for_row Holder "Fatoumata Morel"
choose "Card level" metal
need "level metal" wait_for_row "Card level" metal
need "monthly limit 20000" set_text "Monthly limit (EUR)" 20000
keys NPage
need "the shipping page" wait_for "page 2 of 2"
to_field "Ship to the business" && keys n
need "not to the business" wait_for_row "Ship to the business" no
need "address typed" set_text "Address line 1" "Calle Mayor 4, 2º"
need "postcode typed" set_text Postcode 28013
to_field City && type_text "Madrid"
need "the city is being typed" wait_for_row City Madrid

# The draft follows the typing (about 300 ms after a change).
check "the draft is saved while the editor is open" \
	eventually 3 grep -qs Madrid "$draft"
pid=$(tui_pid)
need "cardorder's process id" test -n "$pid"
kill -KILL "$pid"
check "the program is killed" wait_exit 5
is "by SIGKILL" "${EXIT_STATUS:-}" 137

tui_start
need "started again, it offers the draft" \
	wait_for "A draft of 2 card(s) from $(date +%Y-%m-%d)" 15
check "and asks" wait_for "was found. Open it?"
keys y
need "the draft is open" wait_for "order: 2 card(s)"
check "it says so" wait_for "draft of 2 card(s) opened"
check "card 1 as typed" \
	screen_re '^    1 Björn Nguyễn +plus +5000 '
check "card 2 as typed, with the city typed last" \
	screen_re '^    2 Fatoumata Morel +metal +20000 +---- +Madrid '
keys Enter
need "card 1 in the editor" wait_for "card 1 of 2"
check "holder" wait_for_row Holder "Björn Nguyễn"
check "level" wait_for_row "Card level" plus
check "bank account" wait_for_row "Bank account" "Dépenses marketing"
check "monthly limit" wait_for_row "Monthly limit (EUR)" 5000
check "daily limit switch" wait_for_row "Daily limit on" yes
check "daily limit" wait_for_row "Daily limit (EUR)" 1500
keys F2
need "the order" wait_for "order: 2 card(s)"
keys j Enter
need "card 2 in the editor" wait_for "card 2 of 2"
check "holder" wait_for_row Holder "Fatoumata Morel"
check "level" wait_for_row "Card level" metal
check "monthly limit" wait_for_row "Monthly limit (EUR)" 20000
keys NPage
need "its shipping page" wait_for "page 2 of 2"
check "ship to the business: no" wait_for_row "Ship to the business" no
check "address line 1, accents and all" wait_for_row "Address line 1" "Calle Mayor 4, 2º"
check "postcode" wait_for_row Postcode 28013
check "city" wait_for_row City Madrid
keys F2
need "the order" wait_for "order: 2 card(s)"
check "q quits (y when it asks)" quits
is "exit status 0" "${EXIT_STATUS:-}" 0
check "the draft is kept for next time" grep -q Madrid "$draft"
finish
