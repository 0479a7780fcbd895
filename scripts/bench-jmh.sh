#!/usr/bin/env bash
# JMH benchmarks of MapBenchmark (HashMap vs BucketMap; Integer and String keys; 1k, 100k, 1M entries),
# repeated RUNS times (default 3), then the median of each score: summary.md.
#
#   scripts/bench-jmh.sh [OUT_DIR] [extra JMH arguments...]
#   RUNS=5 scripts/bench-jmh.sh target/jmh -p size=1000000 -p keyType=Integer
#   scripts/bench-jmh.sh target/jmh-gc 'MapBenchmark.putNew' -p size=1000000 -prof gc
#
# Defaults for a noisy 2-core machine: one fork per run (runs are the repetition), 5 x 2 s warm-up (BucketMap's
# put-new needs 1-3 s of C2 recompilation before it is steady; 3 x 1 s left slow iterations in the measurement)
# and 5 x 1 s measurement iterations: about 16 minutes per run for the full matrix. Override with JMH_OPTS.
# JMH's machine-wide lock lives in java.io.tmpdir: each run gets its own, inside OUT_DIR.
# Add implementations with -p impl=HashMap,BucketMap,ConcurrentHashMap,NonBlockingHashMap.
source "$(dirname "$0")/bench-lib.sh"
OUT_ARG=""
if [ $# -gt 0 ] && [[ "$1" != -* ]] && [[ "$1" != *MapBenchmark* ]]; then OUT_ARG="$1"; shift; fi
OUT="$(out_dir jmh "$OUT_ARG")"
RUNS="${RUNS:-3}"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 5 -w 2s -i 5 -r 1s}"
build_jar
machine_info > "$OUT/machine.txt"
SELECT="MapBenchmark"
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then SELECT="$1"; shift; fi
echo "java -Djava.io.tmpdir=$OUT/tmp -jar $JAR $SELECT $JMH_OPTS $* -rf csv -rff $OUT/run-N.csv  (N = 1..$RUNS)" | tee "$OUT/command.txt"
for i in $(seq 1 "$RUNS"); do
  mkdir -p "$OUT/tmp"
  echo "run $i/$RUNS -> $OUT/run-$i.txt"
  # shellcheck disable=SC2086
  "$JAVA" -Djava.io.tmpdir="$OUT/tmp" -jar "$JAR" "$SELECT" $JMH_OPTS "$@" \
      -rf csv -rff "$OUT/run-$i.csv" > "$OUT/run-$i.txt" 2>&1 || { tail -30 "$OUT/run-$i.txt"; exit 1; }
  sed -n "/^Benchmark /,\$p" "$OUT/run-$i.txt" > "$OUT/run-$i.table.txt"
done
"$JAVA" -cp "$JAR" io.github.stripedmap.benchmarks.JmhSummary "$OUT"/run-*.csv | tee "$OUT/summary.md"
echo "results: $OUT"
