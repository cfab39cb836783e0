#!/bin/sh
# The real binary on real files: `validate` and `payload` output and exit
# statuses (PRODUCT.md, "Commands"), compared with golden files.
set -u
: "${top_srcdir:=.}" "${CARDORDER:=./cli/cardorder}"
fx="$top_srcdir/tests/fixtures"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; }

# expect NAME STATUS COMMAND...: runs COMMAND in the fixtures' orders
# directory (so paths in messages are short), keeps stdout and stderr.
expect() {
  name=$1 want=$2; shift 2
  (cd "$fx/orders" && "$@") > "$tmp/out" 2> "$tmp/err"
  got=$?
  if [ "$got" -eq "$want" ]; then ok "$name exits $want"
  else not_ok "$name exits $got, expected $want"; sed 's/^/# /' "$tmp/err"; fi
}

same() { # same NAME FILE EXPECTED
  if cmp -s "$2" "$3"; then ok "$1"
  else not_ok "$1"; diff -u "$3" "$2" | head -40 | sed 's/^/# /'; fi
}

for f in one-mistake-per-rule.csv one-mistake-per-rule.json \
         unknown-column.csv latin1.csv; do
  expect "validate $f" 2 "$CARDORDER" validate "$f"
  same "validate $f output" "$tmp/out" "$fx/cli/validate-$f.expected"
done

# Issue 13, item 13: files people have. A broken quote is a problem at its
# row and column; UTF-16 is named, with how to save as UTF-8.
expect "validate broken-quote.csv" 2 "$CARDORDER" validate broken-quote.csv
same "broken quote: at its row and column" "$tmp/out" "$fx/cli/validate-broken-quote.csv.expected"
expect "validate utf16.csv" 2 "$CARDORDER" validate utf16.csv
same "UTF-16: named, and how to save as UTF-8" "$tmp/err" "$fx/cli/validate-utf16.csv.expected"
# French Excel's CSV (a BOM, ';' separators, CRLF) is the sample order
expect "validate french-excel.csv" 0 "$CARDORDER" validate french-excel.csv
[ ! -s "$tmp/out" ] && ok "french-excel.csv: no problems" || not_ok "french-excel.csv: problems printed"
expect "payload french-excel.csv" 0 "$CARDORDER" payload french-excel.csv
same "French Excel's CSV gives the sample's body" "$tmp/out" "$fx/payload/sample-order.expected"

expect "validate broken.json" 2 "$CARDORDER" validate broken.json
same "broken.json message" "$tmp/err" "$fx/cli/validate-broken.json.expected"

expect "validate documented example" 0 "$CARDORDER" validate documented-example.json
same "documented example: warnings only" "$tmp/out" \
  "$fx/cli/validate-documented-example.json.expected"

for f in sample-order.csv sample-order.json; do
  expect "validate $f" 0 "$CARDORDER" validate "$top_srcdir/assets/$f"
  [ ! -s "$tmp/out" ] && ok "$f: no problems" || not_ok "$f: problems printed"
done

expect "payload sample" 0 "$CARDORDER" payload "$top_srcdir/assets/sample-order.csv"
same "payload sample golden" "$tmp/out" "$fx/payload/sample-order.expected"
expect "payload sample.json" 0 "$CARDORDER" payload "$top_srcdir/assets/sample-order.json"
same "csv and json samples give the same body" "$tmp/out" "$fx/payload/sample-order.expected"

expect "payload 137 cards" 0 "$CARDORDER" payload 137-cards.csv
counts=$(while IFS= read -r line; do
  printf '%s\n' "$line" | grep -o '"card":' | wc -l | tr -d ' '
done < "$tmp/out" | tr '\n' ' ')
[ "$counts" = "50 50 37 " ] && ok "137 cards in bodies of 50 50 37" \
  || not_ok "137 cards split as '$counts'"
first=$(head -n 1 "$tmp/out" | grep -o '"payment_monthly_limit":[0-9]*' | head -n 1)
last=$(tail -n 1 "$tmp/out" | grep -o '"payment_monthly_limit":[0-9]*' | tail -n 1)
[ "$first" = '"payment_monthly_limit":1' ] && [ "$last" = '"payment_monthly_limit":137' ] \
  && ok "bodies keep the file's order" || not_ok "order: first $first last $last"

expect "payload --pretty" 0 "$CARDORDER" payload --pretty documented-example.json
grep -q '^  "cards": \[' "$tmp/out" && ok "pretty output is indented" || not_ok "pretty output"

expect "payload refuses errors" 2 "$CARDORDER" payload one-mistake-per-rule.csv
[ ! -s "$tmp/out" ] && ok "nothing on stdout when refused" || not_ok "stdout not empty"
grep -q ':2:holder_id: is required' "$tmp/err" && ok "problems on stderr" \
  || not_ok "problems missing from stderr"

printf 'holder,organization_id,bank_account_id,card_level,payment_monthly_limit\n"Zoé Lambert",9fb93534-081c-4253-b1e2-73a87984a8ab,2e94f011-71cf-4fa3-8e9e-51bb0c57b189,virtual,100\n' > "$tmp/names.csv"
expect "validate names offline" 0 "$CARDORDER" validate "$tmp/names.csv"
grep -q 'warning: "Zoé Lambert" will be looked up' "$tmp/out" && ok "name noted" || not_ok "name note"
expect "payload needs ids" 2 "$CARDORDER" payload "$tmp/names.csv"

expect "missing file" 2 "$CARDORDER" validate no-such-file.csv
grep -q 'cannot open' "$tmp/err" && ok "missing file message" || not_ok "missing file message"
expect "no operand" 2 "$CARDORDER" validate
expect "two operands" 2 "$CARDORDER" validate a.csv b.csv
expect "unknown option" 2 "$CARDORDER" payload --frobnicate a.csv
expect "unknown command" 2 "$CARDORDER" frobnicate
grep -q 'unknown command "frobnicate"' "$tmp/err" && ok "unknown command named" || not_ok "unknown command message"
expect "a misspelt command" 2 "$CARDORDER" valdate a.csv
grep -q 'did you mean "validate"' "$tmp/err" && ok "the command meant is suggested" \
  || not_ok "no suggestion for valdate"
# --opt=value is the same as --opt value, before or after the command.
expect "--base-url=URL for the screens" 2 "$CARDORDER" --base-url=http://127.0.0.1:9 </dev/null
grep -q 'need a terminal' "$tmp/err" && ! grep -q 'unrecognized' "$tmp/err" \
  && ok "--base-url=URL is taken" || not_ok "--base-url=URL refused"
XDG_STATE_HOME="$tmp/state" expect "options before the command" 2 \
  "$CARDORDER" --base-url=http://127.0.0.1:9 --config="$tmp/none" resume
grep -q 'unrecognized\|unknown option' "$tmp/err" && not_ok "options before resume refused" \
  || ok "options before the command are the command's"
expect "--help" 0 "$CARDORDER" --help
grep -q 'validate ORDER_FILE' "$tmp/out" && ok "help lists validate" || not_ok "help"
expect "--version" 0 "$CARDORDER" --version
grep -q '^cardorder [0-9]' "$tmp/out" && ok "version line" || not_ok "version line"

# Issue 16: in French. The messages are French; what scripts read is not:
# the PATH:ROW:FIELD: prefixes, "warning: " and the exit status are the
# English run's. LANGUAGE=fr needs no French locale; LANG=fr_FR.UTF-8 (as
# a French machine sets it) is tried where the locale is installed. A
# language without a catalogue speaks English, never empty strings.
: "${CARDORDER_LOCALEDIR:=}"
if [ -n "$CARDORDER_LOCALEDIR" ] && [ -f "$CARDORDER_LOCALEDIR/fr/LC_MESSAGES/cardorder.mo" ]; then
  for f in one-mistake-per-rule.csv one-mistake-per-rule.json; do
    LANGUAGE=fr expect "validate $f in French" 2 "$CARDORDER" validate "$f"
    same "validate $f in French" "$tmp/out" "$fx/cli/validate-fr-$f.expected"
    sed -E 's/^([^:]*:[0-9]+:[^:]*: (warning: )?).*/\1/' "$tmp/out" > "$tmp/fr-prefixes"
    sed -E 's/^([^:]*:[0-9]+:[^:]*: (warning: )?).*/\1/' "$fx/cli/validate-$f.expected" > "$tmp/en-prefixes"
    same "$f: the same PATH:ROW:FIELD: prefixes as in English" "$tmp/fr-prefixes" "$tmp/en-prefixes"
  done
  if locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
    LC_ALL= LANG=fr_FR.UTF-8 expect "validate with LANG=fr_FR.UTF-8" 2 "$CARDORDER" validate one-mistake-per-rule.csv
    same "LANG=fr_FR.UTF-8 speaks French" "$tmp/out" "$fx/cli/validate-fr-one-mistake-per-rule.csv.expected"
  else
    ok "# SKIP fr_FR.UTF-8 is not installed"
  fi
  LANGUAGE=de expect "validate in a language without a catalogue" 2 "$CARDORDER" validate one-mistake-per-rule.csv
  same "a language without a catalogue speaks English" "$tmp/out" "$fx/cli/validate-one-mistake-per-rule.csv.expected"
  LANGUAGE=fr expect "--help in French" 0 "$CARDORDER" --help
  grep -q 'validate FICHIER_COMMANDE' "$tmp/out" && grep -q -- '--base-url' "$tmp/out" \
    && ok "the French help keeps the commands and options" || not_ok "the French help"
  LANGUAGE=fr expect "an unknown command in French" 2 "$CARDORDER" valdate a.csv
  grep -q '"validate"' "$tmp/err" && ! grep -q 'did you mean' "$tmp/err" \
    && ok "the suggestion is French, the command is not" || not_ok "the French suggestion"
else
  ok "# SKIP no French catalogue built (CARDORDER_LOCALEDIR)"
fi

echo "1..$((pass + fail))"
echo "# cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
