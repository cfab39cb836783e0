#!/bin/sh
# The man pages (English, and French: issue 16) render without a warning,
# and document every option and command that --help lists.
set -u
: "${top_srcdir:=.}" "${CARDORDER:=./cli/cardorder}"
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }

for page in "$top_srcdir/assets/cardorder.1" "$top_srcdir/assets/cardorder.fr.1"; do
name=${page##*/}
if command -v man >/dev/null 2>&1; then
  out=$(MANWIDTH=80 man -l "$page" 2>/dev/null)
  if [ $? -eq 0 ] && printf '%s' "$out" | grep -q 'cardorder - .*Qonto'; then
    ok "$name: man -l renders the page"
  else
    not_ok "$name: man -l renders the page"; printf '%s\n' "$out" | head -20 | sed 's/^/# /'
  fi
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  if [ -n "$warnings" ]; then
    not_ok "$name: no warning while rendering"; printf '%s\n' "$warnings" | sed 's/^/# /'
  else
    ok "$name: no warning while rendering"
  fi
else
  echo "# man is not installed"
fi

# Every long option of --help, and every command, in the page (where
# hyphens are written \-).
for opt in $("$CARDORDER" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u) \
           validate payload check submit resume status login logout; do
  escaped=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
  if grep -q -- "$escaped" "$page"; then ok "$name documents $opt"
  else not_ok "$name documents $opt"; fi
done
for var in QONTO_ACCESS_TOKEN QONTO_API_KEY QONTO_STAGING_TOKEN QONTO_API_BASE \
           QONTO_CLIENT_SECRET NO_COLOR CARDORDER_DEBUG LANGUAGE; do
  "$CARDORDER" --help | grep -q "$var" && grep -q "$var" "$page" \
    && ok "$var in --help and $name" || not_ok "$var in --help and $name"
done
done
# The French help lists the same options as the English one.
en=$("$CARDORDER" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u | tr '\n' ' ')
fr=$(LANGUAGE=fr "$CARDORDER" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u | tr '\n' ' ')
[ "$en" = "$fr" ] && ok "the French --help lists every option" \
  || { not_ok "the French --help lists every option"; echo "# en: $en"; echo "# fr: $fr"; }
echo "1..$n"
[ "$fail" -eq 0 ]
