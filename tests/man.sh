#!/bin/sh
# The man page renders, and documents every option that --help lists.
set -u
: "${top_srcdir:=.}" "${CARDORDER:=./cli/cardorder}"
page="$top_srcdir/assets/cardorder.1"
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }

if command -v man >/dev/null 2>&1; then
  out=$(MANWIDTH=80 man -l "$page" 2>/dev/null)
  if [ $? -eq 0 ] && printf '%s' "$out" | grep -q 'order many Qonto payment cards'; then
    ok "man -l renders the page"
  else
    not_ok "man -l renders the page"; printf '%s\n' "$out" | head -20 | sed 's/^/# /'
  fi
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  if [ -n "$warnings" ]; then
    not_ok "no warning while rendering"; printf '%s\n' "$warnings" | sed 's/^/# /'
  else
    ok "no warning while rendering"
  fi
else
  echo "# man is not installed"
fi

# Every long option of --help, and every command, in the page (where
# hyphens are written \-).
for opt in $("$CARDORDER" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u) \
           validate payload submit resume login logout; do
  escaped=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
  if grep -q -- "$escaped" "$page"; then ok "page documents $opt"
  else not_ok "page documents $opt"; fi
done
for var in QONTO_ACCESS_TOKEN QONTO_API_KEY QONTO_STAGING_TOKEN QONTO_API_BASE \
           QONTO_CLIENT_SECRET NO_COLOR CARDORDER_DEBUG; do
  "$CARDORDER" --help | grep -q "$var" && grep -q "$var" "$page" \
    && ok "$var in --help and the page" || not_ok "$var in --help and the page"
done
echo "1..$n"
[ "$fail" -eq 0 ]
