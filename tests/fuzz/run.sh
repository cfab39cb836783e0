#!/bin/sh
# make fuzz: each libFuzzer target built with clang (ASan, UBSan) and run
# for FUZZ_SECONDS on a copy of its corpus in fuzz-work/; new inputs and
# crash reproducers stay there. Prints the executions of each.
set -u
src=$1 build=$2
work="$build/fuzz-work"
mkdir -p "$work"
core=$(ls "$src"/src/*.c)
for t in $FUZZ_TARGETS; do
  case $t in
    csv) harness=fuzz_orders.c define= ;;
    json) harness=fuzz_orders.c define=-DFUZZ_JSON ;;
    *) harness=fuzz_$t.c define= ;;
  esac
  echo "== fuzz_$t: building"
  # shellcheck disable=SC2086
  $FUZZ_CC $FUZZ_FLAGS $define -D_GNU_SOURCE -I"$build" -I"$src/src" $CORE_CFLAGS \
    "$src/tests/fuzz/$harness" $core "$build/src/assets_data.c" $CORE_LIBS \
    -o "$work/fuzz_$t" || exit 1
  mkdir -p "$work/corpus-$t" "$work/crashes-$t"
  cp -n "$src/tests/fuzz/corpus/$t/"* "$work/corpus-$t/" 2>/dev/null
  echo "== fuzz_$t: $FUZZ_SECONDS s"
  "$work/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -max_len=65536 \
    -artifact_prefix="$work/crashes-$t/" -print_final_stats=1 \
    "$work/corpus-$t" > "$work/fuzz_$t.log" 2>&1
  rc=$?
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$work/fuzz_$t.log"
  if [ "$rc" -ne 0 ]; then
    tail -n 40 "$work/fuzz_$t.log"
    echo "fuzz_$t found a problem: see $work/crashes-$t" >&2
    exit 1
  fi
done
