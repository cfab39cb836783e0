# Turns the lists in assets/ into C arrays for src/catalog.c.
# Each list may carry the French name of an entry in a tab-separated
# column after the English ones.
# Usage: awk -f gen-catalog.awk categories.txt countries.tsv designs.txt fees.tsv
# (the fee table is kept whole, comments too: its source and date)
function cstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
BEGIN { FS = "\t"; ncat = ncountry = ndesign = 0; print "/* Generated from assets/ by assets/gen-catalog.awk; do not edit. */"
        print "#include <stddef.h>" }
FILENAME ~ /fees/       { fee[nfee++] = $0; next }
/^#/ || /^[ \t]*$/ { next }
FILENAME ~ /categories/ { catfr[ncat] = $2; cat[ncat++] = $1; next }
FILENAME ~ /countries/  { code[ncountry] = $1; namefr[ncountry] = $3; name[ncountry++] = $2; next }
FILENAME ~ /designs/    { designfr[ndesign] = $2; design[ndesign++] = $1; next }
END {
  print "extern const char *const catalog_categories_data[];"
  print "const char *const catalog_categories_data[] = {"
  for (i = 0; i < ncat; i++) print "\t" cstr(cat[i]) ","
  print "\tNULL };"
  # The French names, index for index (the English name, or the id, when a
  # line has none).
  print "extern const char *const catalog_categories_fr[];"
  print "const char *const catalog_categories_fr[] = {"
  for (i = 0; i < ncat; i++) print "\t" cstr(catfr[i] != "" ? catfr[i] : cat[i]) ","
  print "\tNULL };"
  print "extern const char *const catalog_countries_fr[];"
  print "const char *const catalog_countries_fr[] = {"
  for (i = 0; i < ncountry; i++) print "\t" cstr(namefr[i] != "" ? namefr[i] : name[i]) ","
  print "\tNULL };"
  print "extern const char *const catalog_designs_fr[];"
  print "const char *const catalog_designs_fr[] = {"
  for (i = 0; i < ndesign; i++) print "\t" cstr(designfr[i] != "" ? designfr[i] : design[i]) ","
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
