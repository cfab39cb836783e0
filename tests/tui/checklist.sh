#!/bin/sh
# Issue 13, item 3: the categories and days checklists open with the
# card's current set shown marked ("[x]"), and Space changes one entry of
# it, never the others. Before, the set was kept but not shown (only the
# cursor had a mark), so a person re-marked what was already there.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_setup checklist
sandbox_start --sca mock
start_sample
keys j j j Enter
need "card 4 in the editor" wait_for "card 4 of 7"
to_field "Merchant categories" && keys Enter
need "the categories checklist" wait_for "Merchant categories (none marked" 5

# the dialog's rows, whole
dialog() {
	screen | LC_ALL=C.UTF-8 sed -n '3,18{s/^.\{12\}//;s/^\(.\{76\}\).*/\1/;p}'
}
dialog >"$WORK/categories"
cat >"$WORK/categories.want" <<'EOF'
lq Merchant categories (none marked: all) qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqk
x Filter:                                                                  x
x                                                                          x
x > [x] transport                                                          x
x   [x] restaurant_and_bar                                                 x
x   [ ] food_and_grocery                                                   x
x   [x] it_and_electronics                                                 x
x   [ ] utility                                                            x
x   [ ] tax                                                                x
x   [ ] legal_and_accounting                                               x
x   [ ] atm                                                                x
x   [ ] office_supply                                                      x
x   [ ] hardware_and_equipment                                             x
x   [ ] finance                                                            x
x                                                                          x
x                                                                          x
EOF
check "it opens with the card's three categories marked" \
	cmp -s "$WORK/categories" "$WORK/categories.want"
if ! cmp -s "$WORK/categories" "$WORK/categories.want"; then
	diff "$WORK/categories.want" "$WORK/categories" | sed 's/^/# /'
fi
keys Down Down Space
check "Space marks the entry under the cursor" wait_for "> [x] food_and_grocery" 3
check "and keeps the others" wait_for "[x] restaurant_and_bar" 1
keys Up Up Space
check "and unmarks transport" wait_for "> [ ] transport" 3
keys Enter
need "closed" wait_gone "Merchant categories (none marked" 5
check "the field holds the three now marked (cut to its width)" \
	wait_for_row "Merchant categories" "restaurant_and_bar, food_and_…"

to_field "Active days" && keys Enter
need "the days checklist" wait_for "Active days (none marked" 5
check "Monday to Friday are marked" wait_for "[x] Fri" 3
check "the weekend is not" wait_for "[ ] Sat" 1
keys Escape
need "Esc: unchanged" wait_gone "Active days (none marked" 5
keys F2
need "back to the order" wait_for "order: 7 card(s)"
check "q quits (y when it asks)" quits
finish
