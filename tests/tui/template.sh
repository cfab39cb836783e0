#!/bin/sh
# The order screen's template (t): the editor shows only the fields a
# template sets (limits, options, restrictions; FF_TEMPLATE in fields.h),
# and applying it changes those fields of the marked cards and nothing
# else.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup template
sandbox_start --sca off
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "the sample order" wait_for "order: 7 card(s), 0 error(s)" 15
need "the names are read" wait_for "Hélène Dubois-Ferri" 15
keys A
keys t
need "t opens the template editor" wait_for "template for the marked cards" 5
check "no holder in a template" not_on_screen "Holder"
check "no level in a template" not_on_screen "Card level"
check "the monthly limit is there" wait_for "Monthly limit (EUR)" 3
need "a monthly limit typed" set_text "Monthly limit (EUR)" 777
keys F2
# Issue 13, item 14: before it is applied, the template says how many
# cards it changes and which it makes invalid (the flash card: a monthly
# limit does not apply to it).
need "F2 asks first, with a preview" wait_for "Apply the template? It changes 7 of the 7 marked card(s)." 5
check "naming the cards it makes invalid, and why" \
	wait_for "It makes invalid: card 2 (Björn" 2
check "the flash card among them" wait_for "card 6 (Zoé Lambert) payment_monthly_limit: does not apply to flash" 1
check "the whole question, as expected" golden template-preview
keys n
need "n: back to the template" wait_gone "Apply the template?" 5
check "still in the template" wait_for "template for the marked cards" 2
keys F2
need "asked again" wait_for "Apply the template?" 5
keys y
need "y applies it" wait_for "template applied to 7 card(s)" 5
# Every marked card has the template's limit, its holder and level
# unchanged (the flash card gets it too, and is then flagged).
for who in "Hélène Dubois-Ferri… standard" "Björn Nguyễn  *plus" \
	"Ngozi Dubois  *virtual " "Zoé Lambert  *flash"; do
	check "$who: 777 a month" screen_re "^\\* +[0-9] $who +777 "
done
keys r
need "the review" wait_for "review:" 10
check "the review sums the new limits" review_shows "$(in_all 7 5439)" 3
keys q
need "back to the order" wait_for "cardorder · order:" 5
check "q quits (y when it asks)" quits
asan_check
finish
