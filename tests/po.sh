#!/bin/sh
# The French catalogue is complete (issue 16): every message the sources
# mark today (xgettext with po/Makevars' options over po/POTFILES.in) has
# a French translation in po/fr.po (msgfmt counts an empty one, or an
# empty plural form, as untranslated), none fuzzy, and msgfmt -c
# accepts it (format strings agree). Also: every source file that marks a
# message is in POTFILES.in, so none is forgotten by translators.
top="${top_srcdir:-.}"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
for tool in xgettext msgmerge msgfmt; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool not installed (Debian: gettext)"
		exit 0
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/cardorder-po.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

opts=$(sed -n '/^XGETTEXT_OPTIONS/,/[^\\]$/p' "$top/po/Makevars" |
	sed -e 's/^XGETTEXT_OPTIONS *= *//' -e 's/\\$//' | tr '\n' ' ')
files=$(grep -v '^#' "$top/po/POTFILES.in" | grep -v '^[[:space:]]*$')
# shellcheck disable=SC2086
(cd "$top" && xgettext $opts --package-name=cardorder -o "$work/cardorder.pot" $files) 2>"$work/xgettext.err"
if [ -s "$work/cardorder.pot" ]; then
	ok "xgettext reads the marked messages"
else
	not_ok "xgettext reads the marked messages"
	sed 's/^/# /' "$work/xgettext.err"
fi
msgs=$(grep -c '^msgid ' "$work/cardorder.pot")
echo "# $((msgs - 1)) messages marked for translation"

missing=""
for f in "$top"/src/*.[ch] "$top"/tui/*.[ch] "$top"/cli/*.[ch]; do
	[ "${f##*/}" = i18n.h ] && continue
	rel=${f#"$top"/}
	grep -qE '(^|[^A-Za-z0-9_])(_|N_|NC_|C_|P_)\(' "$f" || continue
	grep -qx "$rel" "$top/po/POTFILES.in" || missing="$missing $rel"
done
if [ -z "$missing" ]; then ok "every file that marks messages is in po/POTFILES.in"
else not_ok "every file that marks messages is in po/POTFILES.in"; echo "# missing:$missing"; fi

msgmerge -q --no-wrap "$top/po/fr.po" "$work/cardorder.pot" -o "$work/fr.po" 2>"$work/merge.err"
stats=$(LC_ALL=C msgfmt -c --statistics -o "$work/fr.mo" "$work/fr.po" 2>&1)
echo "# fr: $stats"
case $stats in
*untranslated* | *fuzzy*) not_ok "fr.po translates every message, none fuzzy"
	msgattrib --untranslated --only-fuzzy --no-wrap "$work/fr.po" 2>/dev/null | grep '^msgid' | head -20 | sed 's/^/# /'
	msgattrib --untranslated --no-wrap "$work/fr.po" 2>/dev/null | grep '^msgid' | head -20 | sed 's/^/# /' ;;
*"translated message"*) ok "fr.po translates every message, none fuzzy" ;;
*) not_ok "fr.po translates every message, none fuzzy" ;;
esac
if LC_ALL=C msgfmt -c -o /dev/null "$top/po/fr.po" 2>"$work/check.err"; then
	ok "msgfmt -c accepts po/fr.po (formats, plurals, header)"
else
	not_ok "msgfmt -c accepts po/fr.po (formats, plurals, header)"
	head -20 "$work/check.err" | sed 's/^/# /'
fi
obsolete=$(grep -c '^#~ msgid' "$top/po/fr.po")
if [ "$obsolete" -eq 0 ]; then ok "fr.po keeps no obsolete message"; else not_ok "fr.po keeps no obsolete message ($obsolete: run make -C po update-po)"; fi
echo "1..$n"
[ "$failed" -eq 0 ]
