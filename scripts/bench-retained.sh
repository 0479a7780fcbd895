#!/usr/bin/env bash
# Retained bytes: insert 1M Integer keys, delete 99%, then 1M writes at constant size (500k put-new +
# 500k remove-oldest), and trimToSize() where the map has it; structure bytes (JOL) as % of the peak.
#
#   scripts/bench-retained.sh [OUT_DIR] [--count 1000000] [--writes 1000000] [--impls HashMap,BucketMap]
source "$(dirname "$0")/bench-lib.sh"
OUT_ARG=""
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then OUT_ARG="$1"; shift; fi
OUT="$(out_dir retained "$OUT_ARG")"
build_jar
machine_info > "$OUT/machine.txt"
CMD=("$JAVA" -Xmx6g -Djdk.attach.allowAttachSelf=true -cp "$JAR" io.github.stripedmap.benchmarks.RetainedBytes "$@")
echo "${CMD[*]}" | tee "$OUT/command.txt"
"${CMD[@]}" | tee "$OUT/retained.md"
echo "results: $OUT"
