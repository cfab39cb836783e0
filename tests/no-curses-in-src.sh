#!/bin/sh
# The core never knows about the terminal (CONVENTIONS.md, "One-way
# dependency"): fail if any file under src/ includes a curses header.
src="${top_srcdir:-.}/src"
if grep -nE '#[[:space:]]*include[[:space:]]*[<"](n?curses(w)?/)?(n?curses|form|menu|panel|term)\.h' "$src"/*.[ch]; then
  echo "not ok 1 - src/ must not include curses headers"
else
  echo "ok 1 - no curses header in src/"
fi
echo "1..1"
