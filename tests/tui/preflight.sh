#!/bin/sh
# Issue 14: the review shows what `cardorder check` finds and sums up,
# from the same code: a holder who already has a card of the level, the
# problems first (wrapped, never cut), then the summary; a holder who is
# not an active member, a manager's holder of another team and an
# employee caller are errors, and sending stays blocked by them; S
# pressed while the holders' cards are read waits for them.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup preflight
MANON=e4ff254e-37a0-4f13-a7c7-746d00dda7d6   # manager, team Atelier
RAPHAEL=270bedc7-d298-44cb-98ef-252c9d198b3d # employee, team Ventes
GAELLE=8b38d109-fe18-4380-8082-0cc31b301e4f  # employee, team Atelier
REVOKED=5b0e7a43-2f1c-4d8e-9a61-3c7d2e9f1a05
ORG=9fb93534-081c-4253-b1e2-73a87984a8ab
ACCOUNT=2e94f011-71cf-4fa3-8e9e-51bb0c57b189
{
	echo "holder_id,organization_id,bank_account_id,card_level,payment_monthly_limit"
	echo "$GAELLE,$ORG,$ACCOUNT,virtual,700"
	echo "$RAPHAEL,$ORG,$ACCOUNT,virtual,800"
	echo "$REVOKED,$ORG,$ACCOUNT,virtual,900"
} >"$WORK/team.csv"

# ---- the sample order: one holder already has a standard card ----
sandbox_start --sca mock
tui_start -- "$top_srcdir/assets/sample-order.csv"
need "the sample order" wait_for "order: 7 card(s), 0 error(s)" 15
need "the organisation is read" wait_for "Atelier Lumière SAS" 15
keys r
need "the review" wait_for "review: this is exactly what will be sent" 5
check "the holders' cards are read: Hélène already has a standard card" \
	wait_for "Hélène Dubois-Ferrière already has a standard" 10
check "the review, problems first and wrapped, then the summary" golden preflight-review-top
keys NPage
check "the next page: teams, accounts, fees" golden preflight-review-page2
keys NPage
check "then the addresses and the JSON" golden preflight-review-page3
keys S
check "a warning does not block: the question" wait_for "Order 7 card(s) in 1 request(s)" 5
keys n
need "no" wait_gone "Order 7 card(s)" 3
keys q
need "the order" wait_for "cardorder · order:" 5
check "q quits" quits
stats=$(sandbox_get /_sandbox/stats)
check "nothing was created" sh -c "echo '$stats' | grep -q '\"cards_created\":0,'"

# ---- a manager ordering for another team, and a revoked member ----
sandbox_stop
sandbox_start --sca mock --caller "$MANON"
tui_start -- "$WORK/team.csv"
if wait_for "Open it instead of team.csv?" 5; then keys n; fi
need "the order" wait_for "order: 3 card(s)" 15
need "read as Manon" wait_for "Atelier Lumière SAS · Manon Petit" 15
check "two errors on the order screen" wait_for "order: 3 card(s), 2 error(s)" 5
check "card 2: another team" screen_re '^    2 Raphaël Garcia .*✗1 Holder: Raphaël Garcia is in team'
check "card 3: the revoked member" screen_re "^    3 Margaux Leclerc .*✗1 Holder: Margaux Leclerc's members"
keys r
need "the review" wait_for "review: fix the errors before sending" 5
need "the holders' cards are read" wait_gone "checking with Qonto the cards" 10
check "Gaëlle's paused virtual card is named" wait_for "Gaëlle Michel already has a virtual card" 1
check "the review says all three, whole" golden preflight-review-team
keys S
check "S: blocked" wait_for "2 error(s) block sending: fix them in the order first" 3
check "no question" not_on_screen "Order 3 card(s)"
keys q
need "the order" wait_for "cardorder · order:" 5
check "q quits" quits

# ---- an employee's token: the whole order is refused ----
sandbox_stop
sandbox_start --sca mock --caller "$RAPHAEL"
tui_start -- "$WORK/team.csv"
if wait_for "Open it instead of team.csv?" 5; then keys n; fi
need "read as Raphaël" wait_for "Atelier Lumière SAS · Raphaël Garcia" 15
keys r
need "the review" wait_for "review: fix the errors before sending" 5
check "the role, for the whole order" wait_for "the order: your Qonto role is employee" 5
keys S
check "S: blocked" wait_for "error(s) block sending" 3
keys q
need "the order" wait_for "cardorder · order:" 5
check "q quits" quits

# ---- S while the holders' cards are being read waits for them ----
sandbox_stop
sandbox_start --sca mock --faults latency --fault-rate 1 --fault-scope all --latency-ms 2000
tui_start -- "$top_srcdir/assets/sample-order.csv"
if wait_for "Open it instead of sample-order.csv?" 5; then keys n; fi
need "the organisation is read" wait_for "Atelier Lumière SAS" 30
keys r
need "the review" wait_for "review: this is exactly what will be sent" 5
check "it says the holders' cards are being read" \
	wait_for "checking with Qonto the cards the holders already have" 3
keys S
check "S waits for them" wait_for "asked once your organisation is read" 2
check "then the warning, and the question" wait_for "Order 7 card(s) in 1 request(s)" 15
check "with the warning above it" wait_for "already has a standard" 1
keys n
keys q
need "the order" wait_for "cardorder · order:" 5
check "q quits" quits

# ---- Qonto gone once the organisation is read: said, not hidden ----
sandbox_stop
sandbox_start --sca mock
tui_start -- "$top_srcdir/assets/sample-order.csv"
if wait_for "Open it instead of sample-order.csv?" 5; then keys n; fi
need "the organisation is read" wait_for "Atelier Lumière SAS" 15
sandbox_stop
keys r
need "the review" wait_for "review: this is exactly what will be sent" 5
check "the holders' cards could not be read, and it says so" \
	wait_for "the cards the holders already have could not be read" 30
check "the reading is not started again and again" not_on_screen "checking with Qonto the cards"
keys q
need "the order" wait_for "cardorder · order:" 5
check "q quits" quits
finish
