# Turns the lists in assets/ into C arrays for src/catalog.c.
# Usage: awk -f gen-catalog.awk categories.txt countries.tsv designs.txt fees.tsv
# (the fee table is kept whole, comments too: its source and date)
function cstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
BEGIN { FS = "\t"; ncat = ncountry = ndesign = 0; print "/* Generated from assets/ by assets/gen-catalog.awk; do not edit. */"
        print "#include <stddef.h>" }
FILENAME ~ /fees/       { fee[nfee++] = $0; next }
/^#/ || /^[ \t]*$/ { next }
FILENAME ~ /categories/ { cat[ncat++] = $1; next }
FILENAME ~ /countries/  { code[ncountry] = $1; name[ncountry++] = $2; next }
FILENAME ~ /designs/    { design[ndesign++] = $1; next }
END {
  print "extern const char *const catalog_categories_data[];"
  print "const char *const catalog_categories_data[] = {"
  for (i = 0; i < ncat; i++) print "\t" cstr(cat[i]) ","
  print "\tNULL };"
  print "extern const char *const catalog_countries_data[][2];"
  print "const char *const catalog_countries_data[][2] = {"
  for (i = 0; i < ncountry; i++) print "\t{ " cstr(code[i]) ", " cstr(name[i]) " },"
  print "\t{ NULL, NULL } };"
  print "extern const char *const catalog_designs_data[];"
  print "const char *const catalog_designs_data[] = {"
  for (i = 0; i < ndesign; i++) print "\t" cstr(design[i]) ","
  print "\tNULL };"
  print "extern const char fees_default_text[];"
  print "const char fees_default_text[] ="
  for (i = 0; i < nfee; i++) { s = fee[i]; gsub(/\t/, "\\t", s); print "\t" cstr(s "\\n") }
  print "\t\"\";"
}
