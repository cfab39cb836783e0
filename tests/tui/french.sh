#!/bin/sh
# Issue 16: cardorder in French, at 80x24 (the smallest it takes). The
# order, its help, the editor, the level, country and category pickers,
# the review, the question, sending, sent, the results and a card's
# details are compared whole with golden dumps; none of them cuts more
# ("…") than the same screen in English (screens.sh's goldens). Pickers
# show the catalogues' French names and find them without accents
# ("allem" finds Allemagne). Qonto's membership locale ("fr" in the
# sandbox) is the language when the locale names none. The results export
# for French Excel starts with a byte order mark and puts ';' between
# cells. GOLDEN_UPDATE=1 rewrites the dumps.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup french
sandbox_start --sca mock
COLS_=80 LINES_=24

# cuts NAME: the "…" of a screen, no more than English shows on it
cuts() {
	fr=$(grep -o '…' "$WORK/french-$1.txt" | wc -l)
	en=$(grep -o '…' "$top_srcdir/tests/tui/golden/screens-80x24-$1.txt" | wc -l)
	[ "$fr" -le "$en" ] && return 0
	echo "# French cuts $fr values on $1, English $en"
	grep '…' "$WORK/french-$1.txt" | sed 's/^/# /'
	return 1
}

# shot NAME: the screen against golden/french-NAME.txt, and its cuts
shot() {
	check "French: $1" golden "french-$1"
	case $1 in
	order | help | editor-1 | review | confirm | sending | sent | results | details)
		check "French: $1 cuts nothing English does not" cuts "$1" ;;
	esac
}

printf 'csv_format = excel-fr\n' >"$WORK/config.ini"
tui_start LANGUAGE=fr -- --config "$WORK/config.ini" "$top_srcdir/assets/sample-order.csv"
need "the sample order, in French" wait_for "commande : 7 cartes, 0 erreur" 15
need "the organisation is read" wait_for "Atelier Lumière SAS" 15
shot order
keys ?
need "the help" wait_for "Touches de l'écran" 5
shot help
keys Escape
need "back" wait_for "cardorder · commande" 5
keys Enter
need "the editor" wait_for "carte 1/7" 5
shot editor-1
to_field "Niveau de carte" && keys Enter
need "the level picker" wait_for "Filtre :" 5
check "levels by their French names" wait_for "X (métal)" 2
shot picker-level
keys Escape
need "closed" wait_gone "Filtre :" 5
to_field "Pays"
keys Enter
need "the country picker" wait_for "Filtre :" 5
type_text "allem"
check "allem finds Allemagne" wait_for "DE  Allemagne" 5
shot picker-country
keys BSpace BSpace BSpace BSpace BSpace
type_text "espa"
check "espa finds Espagne" wait_for "ES  Espagne" 5
keys Escape
need "closed" wait_gone "Filtre :" 5
to_field "Catégories marchands" && keys Enter
need "the categories" wait_for "Restaurants et bars" 5
shot checklist
keys Escape
need "closed" wait_gone "Restaurants et bars" 5
keys Escape
need "the order again" wait_for "cardorder · commande" 5
keys r
need "the review" wait_for "récap : exactement ce qui sera envoyé" 10
need "the holders' cards are read" wait_for "a déjà une carte" 10
check "a date as French writes it" eventually 2 screen_re "créée le [0-9]{2}/[0-9]{2}/[0-9]{4}"
shot review
keys S
need "the question" wait_for "Commander 7 cartes" 5
shot confirm
keys y
need "waiting for approval" wait_for "en attente d'approbation" 10
shot sending
keys a
need "sent" wait_for "envoyé : Enter pour les résultats" 15
shot sent
keys Enter
need "the results" wait_for "résultats : 7 créées, 0 échec" 5
shot results
keys Enter
need "the details" wait_for "carte 1 de la commande" 5
nbsp=$(printf '\302\240')
check "amounts as French writes them" wait_for "2${nbsp}000${nbsp}€" 2
shot details
keys q
need "the results again" wait_for "résultats : 7 créées" 5
keys x
need "the export prompt" wait_for "(.csv ou .json)" 5
keys C-u
type_text "$WORK/export.csv"
keys Enter
need "exported" eventually 5 test -s "$WORK/export.csv"
check "the export for French Excel: a byte order mark, ';' between cells" \
	eventually 2 sh -c "head -c 12 '$WORK/export.csv' | od -c | grep -q '357 273 277   r   o   w   ;'"
check "its columns keep the API's names" eventually 2 grep -q "holder_id;holder_name;card_level;status" "$WORK/export.csv"
keys q
need "the order" wait_for "cardorder · commande" 5
check "q quits" quits

# The locale names no language (C.UTF-8, no LANGUAGE): Qonto's
# membership locale decides, once the organisation is read.
tui_start LANGUAGE= -- "$top_srcdir/assets/sample-order.csv"
need "a start with no language named" wait_for "Atelier Lumière SAS" 15
check "the membership's locale (fr) is spoken" wait_for "commande : 7 cartes" 10
check "q quits" quits
asan_check
finish
