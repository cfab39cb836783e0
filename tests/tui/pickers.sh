#!/bin/sh
# Issue 13, item 1: a picker opens on the field's current value, so that
# Enter keeps it. On card 5 of the sample order, Enter then Enter on
# Holder used to make the first member (the owner) the holder; the same
# for the level and the bank account.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup pickers
sandbox_start --sca mock
start_sample
keys j j j j Enter
need "card 5 in the editor" wait_for "card 5 of 7"
need "its holder" wait_for_row Holder "Cécile"
need "its level" wait_for_row "Card level" "virtual_partner"
account=$(field_row "Bank account" | sed 's/^  Bank account *//; s/ *$//')
need "its bank account" test -n "$account"

# holder: the picker's selected row is the card's holder
to_field Holder && keys Enter
need "the holder picker" wait_for "Filter:" 5
check "it opens on the card's holder" selected "Cécile"
check "the whole picker, as expected" golden pickers-holder
keys Enter
need "closed" wait_gone "Filter:" 5
check "Enter keeps the holder" wait_for_row Holder "Cécile"

# level
to_field "Card level" && keys Enter
need "the level picker" wait_for "Filter:" 5
check "it opens on the card's level" selected "virtual_partner"
keys Enter
need "closed" wait_gone "Filter:" 5
check "Enter keeps the level" wait_for_row "Card level" "virtual_partner"

# bank account
to_field "Bank account" && keys Enter
need "the bank account picker" wait_for "Filter:" 5
check "it opens on the card's bank account" selected "$account"
keys Enter
need "closed" wait_gone "Filter:" 5
check "Enter keeps the bank account" wait_for_row "Bank account" "$account"

keys F2
need "back to the order" wait_for "order: 7 card(s), 0 error(s)"
check "card 5 is still Cécile's, virtual_partner" \
	screen_re '^    5 Cécile Núñez +virtual_pa'
check "q quits (y when it asks)" quits
finish
