#!/bin/sh
# Issue 13, item 9: an order naming its holders and bank accounts by name
# (no ids) is checked once the organisation is read, each mistake said
# once: no "both holder_id and holder are given" for names looked up, no
# second error for an unknown name, an id the organisation does not have
# said at once (a warning: Qonto judges it); while the members are read, no card says "ok"; the error
# counts of the order screen and the review agree.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup names
sandbox_start --sca mock --faults latency --fault-rate 1 --fault-scope all --latency-ms 1500
cat >"$WORK/names.csv" <<'CSV'
holder,bank_account,card_level,payment_monthly_limit
Hélène Dubois-Ferrière,Compte principal,virtual,100
Nobody Atall,Compte principal,virtual,100
Hélène Dubois-Ferrière,No Such Account,virtual,100
CSV
printf 'holder_id,bank_account,card_level,payment_monthly_limit\n%s,Compte principal,virtual,100\n' \
	3c90c3cc-0d44-4b50-8888-8dd25736052a >"$WORK/ids.csv"
tui_start -- "$WORK/names.csv"
need "the order" wait_for "order: 3 card(s)" 15
check "while the members are read, the names are to be looked up" \
	wait_for "order: 3 card(s), 0 error(s), 7 warning(s)" 3
check "and no card says ok" not screen_re ' ok$'
need "the organisation is read" wait_for "Atelier Lumière SAS" 40
check "then the two unknown names are the two errors" wait_for "order: 3 card(s), 2 error(s), 1 warning(s)" 5
check "and Hélène's second virtual card is a warning" wait_for "order: 3 card(s), 2 error(s), 1 warning(s)" 1
check "card 1 is ok: its names were looked up" screen_re '^    1 Hélène Dubois-Ferri… virtual .* ok$'
check "card 2: the unknown member, once" screen_re '^    2 Nobody Atall .*✗1 Holder: no member is called "Nobo'
check "card 3: the unknown account, once" screen_re '^    3 Hélène Dubois-Ferri… virtual .*✗1 Bank account: no bank account is'
check "nothing says both are given" not_on_screen "both"
check "the whole order screen, as expected" golden names-order
keys i
need "import" wait_for "Import which order file" 5
type_text "$WORK/ids.csv"
keys Enter
need "imported" wait_for "1 card(s) read from ids.csv" 5
check "an id the organisation lacks is said at once" \
	eventually 3 screen_re '^    4 3c90c3cc-0d44-4b50-… virtual .*!1 Holder: no member of'
check "a warning: Qonto judges it" wait_for "order: 4 card(s), 2 error(s), 2 warning(s)" 3
keys r
need "the review" wait_for "review: fix the errors before sending" 10
check "the review counts the same errors" wait_for "Problems: 2 error(s)" 3
keys q
need "back to the order" wait_for "cardorder · order:" 5
check "q quits (y when it asks)" quits
finish
