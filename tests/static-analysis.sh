#!/bin/sh
# cppcheck and clang-tidy over src/ and tui/; any finding fails. Each
# suppression is justified where it is (NOLINT comments, .clang-tidy).
# Usage: tests/static-analysis.sh SRCDIR BUILDDIR
set -u
src=$1 build=$2
flags="-std=c11 -D_GNU_SOURCE -I$build -I$src/src $(pkg-config --cflags ncursesw formw menuw libcurl json-c libmicrohttpd libutf8proc uuid libcrypto)"
status=0

echo "== cppcheck"
cppcheck --enable=warning,performance,portability --inline-suppr --error-exitcode=1 \
  --quiet --std=c11 -I "$src/src" -I "$build" --suppress=missingIncludeSystem \
  "$src/src" "$src/tui" || status=1

echo "== clang-tidy"
# shellcheck disable=SC2086
out=$(cd "$src" && clang-tidy --quiet src/*.c tui/*.c -- $flags 2>/dev/null)
if printf '%s\n' "$out" | grep -qE "(warning|error):"; then
  printf '%s\n' "$out" | grep -E "(warning|error):"
  status=1
fi
[ "$status" -eq 0 ] && echo "static analysis: clean"
exit "$status"
