#!/usr/bin/env bash
# Hash flooding (issue 7): insert 100,000 distinct Strings sharing ONE hashCode() into each map, then look each one
# up; plus Integer keys whose hash codes differ only in the high bits / only in the low bits, relative to sequential
# keys. Every map in its own JVM; ROUNDS (default 9) measured rounds after a warm-up; a round stops at
# BUDGET seconds (default 20) and is then extrapolated; NonBlockingHashMap gets NBHM_COUNT (default 20,000) and half
# as many colliding keys. Prints the tables (flood.md) with the ratio to ConcurrentHashMap.
#
#   scripts/bench-flood.sh [OUT_DIR] [--impls HashMap,ConcurrentHashMap,BucketMap,StripedMap,NonBlockingHashMap]
#   COUNT=100000 ROUNDS=9 BUDGET=20 NBHM_COUNT=20000 scripts/bench-flood.sh
#
# A few minutes while BucketMap/StripedMap are quadratic on the flood (each cut off at the budget), under one
# minute otherwise. Waits first (up to WAIT_MAX=600 s) for a load average below WAIT_LOAD=1.5.
source "$(dirname "$0")/bench-lib.sh"
OUT_ARG=""
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then OUT_ARG="$1"; shift; fi
OUT="$(out_dir flood "$OUT_ARG")"
build_jar
machine_info > "$OUT/machine.txt"
wait_for_quiet | tee "$OUT/loads.txt"
CMD=("$JAVA" -cp "$JAR" io.github.stripedmap.benchmarks.HashFlood --count "${COUNT:-100000}" --rounds "${ROUNDS:-9}"
     --budget "${BUDGET:-20}" --nbhm-count "${NBHM_COUNT:-20000}" "$@")
echo "${CMD[*]}" | tee "$OUT/command.txt"
"${CMD[@]}" | tee "$OUT/flood.md"
echo "load average after: $(load_now)" | tee -a "$OUT/loads.txt"
echo "results: $OUT"
