#!/bin/sh
# Issue 13, item 10: the sending and results screens say what happened.
# - a declined order is not "sent": nothing was created, and the key bar
#   offers the results only (not approve, decline or cancel);
# - a cancel stops the approval countdown, and the cards not sent are
#   counted as such, not as failed;
# - the results header is over its columns; the details of a card show
#   its limits, options, restrictions, bank account and address.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup send-outcomes
sandbox_start --sca mock
start_sample

# send S, y; an earlier order of the same cards is asked about: yes
send_order() {
	keys r
	wait_for "S send the order" 10 || return 1
	keys S
	eventually 5 screen_re "Order 7 card\(s\) in 1 request|WERE ALREADY SENT" || return 1
	keys y
	wait_for "waiting for approval in the Qonto app" 10
}

# declined
need "sent for approval" send_order
keys d
need "d declines it in the sandbox" wait_for "nothing was created: press Enter for the results" 15
check "the notice says so" wait_for "nothing was created: 0 created, 7 failed, 0 not sent" 2
check "the key bar offers the results only" eventually 3 screen_re '^Enter results  \? help$'
keys a
sleep 0.3
check "a does nothing now" not_on_screen "approving in the sandbox"
keys Enter
need "the results" wait_for "results: 0 created, 7 failed (showing all)" 5
check "the whole results screen: the header over its columns" golden outcomes-declined
keys q
need "back to the order" wait_for "cardorder · order:" 5

# cancelled while waiting
need "sent again" send_order
keys c
need "c asks" wait_for "Cancel?" 5
keys y
need "cancelled" wait_for "cancelled: press Enter for the results" 10
check "the request says it was cancelled" wait_for "cancelled while waiting for approval" 2
check "no countdown runs on" not screen_re "left$"
check "the cards are counted as not sent" wait_for "0 created, 0 failed, 7 not sent" 2
keys Enter
need "the results" wait_for "results: 0 created, 0 failed, 7 not sent (showing all)" 5
keys q
need "back to the order" wait_for "cardorder · order:" 5

# approved: the details of a card
need "sent a third time" send_order
keys a
need "approved: sent" wait_for "sent: press Enter for the results" 15
keys Enter
need "the results" wait_for "results: 7 created, 0 failed" 5
keys j Enter
need "the details of card 2" wait_for "card 2 of the order (request 1)" 5
check "the whole details screen" golden outcomes-details
keys q
need "q: back to the results" wait_for "results: 7 created, 0 failed" 5
keys q
need "back to the order" wait_for "cardorder · order:" 5
check "q quits (y when it asks)" quits
finish
