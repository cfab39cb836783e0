#!/bin/sh
# The shape of the code (CONVENTIONS.md, issue 11), checked on every
# `make check`:
#  1. src/ never includes curses, and never prints, exits or sleeps: it
#     returns a status and lets the front end speak;
#  2. tui/ and cli/ include no libcurl, json-c or libmicrohttpd header:
#     they see the order model, results and events, not HTTP or JSON;
#  3. no .c file declares a function that another .c file defines (the
#     declaration belongs in that file's header);
#  4. no source file is over 800 lines.
top="${top_srcdir:-.}"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
report() { # report DESCRIPTION FOUND-LINES
	if [ -z "$2" ]; then ok "$1"; else not_ok "$1"; printf '%s\n' "$2" | sed 's/^/# /'; fi
}

# Comments and string literals out, so that neither is taken for code.
code_of() {
	sed -e 's://.*$::' "$1" | awk '
	{ line = $0; out = "" ; i = 1
	  while (i <= length(line)) {
		c = substr(line, i, 1); d = substr(line, i, 2)
		if (incomment) { if (d == "*/") { incomment = 0; i += 2; continue } i++; continue }
		if (d == "/*") { incomment = 1; i += 2; continue }
		if (c == "\"" || c == "'\''") {
			q = c; out = out q; i++
			while (i <= length(line) && substr(line, i, 1) != q) {
				if (substr(line, i, 1) == "\\") i++
				i++
			}
			out = out q; i++; continue
		}
		out = out c; i++
	  }
	  print out }'
}

found=$(grep -nE '#[[:space:]]*include[[:space:]]*[<"](n?curses(w)?/)?(n?curses|form|menu|panel|term)\.h' "$top"/src/*.[ch])
report "no curses header in src/" "$found"

found=$(for f in "$top"/src/*.c; do
	code_of "$f" | grep -nE '(^|[^a-z_.>])(printf|puts|putchar|exit|_exit|abort|usleep|sleep|nanosleep)[[:space:]]*\(|fprintf[[:space:]]*\([[:space:]]*std(out|err)' |
		sed "s|^|$(basename "$f"):|"
done)
report "src/ does not print, exit or sleep" "$found"

found=$(grep -nE '#[[:space:]]*include[[:space:]]*<(curl/|json-c/|json\.h|microhttpd\.h)' \
	"$top"/tui/*.[ch] "$top"/cli/*.[ch])
report "tui/ and cli/ include no libcurl, json-c or libmicrohttpd header" "$found"

# Top-level statements: a declaration ends with ";", a definition with
# "{"; the name is the identifier before the first "(".
names_of() { # names_of FILE decl|def
	code_of "$1" | awk -v want="$2" '
	/^[[:space:]]*#/ { next }
	{ for (i = 1; i <= length($0); i++) {
		c = substr($0, i, 1)
		if (depth == 0) stmt = stmt c
		if (c == "{") { if (depth == 0) emit("def"); depth++ }
		else if (c == "}") depth--
		else if (c == ";" && depth == 0) emit("decl")
	  }
	  if (depth == 0) stmt = stmt " " }
	function emit(kind,   s) {
		s = stmt; stmt = ""
		if (kind != want || s ~ /^[[:space:]]*(typedef|extern[[:space:]]+[a-z_ ]+[^(]*;)/) return
		if (s ~ /=/ && kind == "decl") return
		if (match(s, /[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(/)) {
			s = substr(s, RSTART, RLENGTH); sub(/[[:space:]]*\($/, "", s)
			if (s !~ /^(if|for|while|switch|return|sizeof|__attribute__)$/) print s
		}
	}'
}
found=$(for f in "$top"/src/*.c "$top"/tui/*.c "$top"/cli/*.c; do
	defs=$(names_of "$f" def)
	for name in $(names_of "$f" decl | sort -u); do
		printf '%s\n' "$defs" | grep -qx "$name" || echo "$(basename "$f"): $name"
	done
done)
report "no .c file declares a function defined elsewhere" "$found"

found=$(wc -l "$top"/src/*.[ch] "$top"/tui/*.[ch] "$top"/cli/*.[ch] |
	awk '$2 != "total" && $1 > 800 { print $2 ": " $1 " lines" }')
report "no source file over 800 lines" "$found"

echo "1..$n"
[ "$failed" -eq 0 ]
