#!/usr/bin/env bash
# Put latency while one thread grows each map from empty to COUNT (default 10M) Integer keys; every map in its
# own fresh JVM with the same flags (default -Xms8g -Xmx8g -XX:+AlwaysPreTouch -XX:+UseG1GC), RUNS times
# (default 3, the order of the maps rotating); prints p50 ... max (medians over runs) and the ratio of max.
#
#   scripts/bench-latency.sh [OUT_DIR] [--impls HashMap,BucketMap] [--jvm-flags "..."]
#   COUNT=1000000 RUNS=5 scripts/bench-latency.sh
source "$(dirname "$0")/bench-lib.sh"
OUT_ARG=""
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then OUT_ARG="$1"; shift; fi
OUT="$(out_dir latency "$OUT_ARG")"
build_jar
machine_info > "$OUT/machine.txt"
CMD=("$JAVA" -cp "$JAR" io.github.stripedmap.benchmarks.PutLatency --count "${COUNT:-10000000}" --runs "${RUNS:-3}"
     --gc-log-dir "$OUT/gc" "$@")
echo "${CMD[*]}" | tee "$OUT/command.txt"
"${CMD[@]}" | tee "$OUT/latency.md"
echo "results: $OUT"
