#!/usr/bin/env bash
# JOL footprint: structure bytes per entry (keys' and values' own bytes subtracted) at 0, 1k, 100k, 1M
# Integer keys, with the ratio to HashMap. Deterministic for a given JVM, so one run.
#
#   scripts/bench-footprint.sh [OUT_DIR] [--impls HashMap,BucketMap,ConcurrentHashMap] [--sizes 0,1000,...]
source "$(dirname "$0")/bench-lib.sh"
OUT_ARG=""
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then OUT_ARG="$1"; shift; fi
OUT="$(out_dir footprint "$OUT_ARG")"
build_jar
machine_info > "$OUT/machine.txt"
CMD=("$JAVA" -Xmx6g -Djdk.attach.allowAttachSelf=true -cp "$JAR" io.github.stripedmap.benchmarks.Footprint "$@")
echo "${CMD[*]}" | tee "$OUT/command.txt"
"${CMD[@]}" | tee "$OUT/footprint.md"
echo "results: $OUT"
