#!/usr/bin/env bash
# Every full measurement, one after the other (never two at a time), into one folder:
# footprint, retained bytes, put latency (10M, 3 runs), JMH (3 runs of the full matrix, ~40 min).
#
#   scripts/bench-all.sh [OUT_DIR]
source "$(dirname "$0")/bench-lib.sh"
OUT="$(out_dir all "${1:-}")"
build_jar
machine_info | tee "$OUT/machine.txt"
export SKIP_BUILD=1
"$ROOT/scripts/bench-footprint.sh" "$OUT/footprint"
"$ROOT/scripts/bench-retained.sh" "$OUT/retained"
"$ROOT/scripts/bench-latency.sh" "$OUT/latency"
"$ROOT/scripts/bench-jmh.sh" "$OUT/jmh"
echo "all results: $OUT"
