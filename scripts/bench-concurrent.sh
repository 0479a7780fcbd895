#!/usr/bin/env bash
# StripedMap vs ConcurrentHashMap vs NonBlockingHashMap (issue 3), everything in one run, into one folder:
#   1. JMH ConcurrentMapBenchmark (getHit, getMiss, putOverwrite, mix90get10write, computeIfAbsentPresent on a
#      shared 1M-entry map) and ConcurrentGrowBenchmark (fill from empty to 1M), Integer and String keys, at 1 and
#      2 threads (-t), repeated RUNS times (default 3, one fork each), then the median of each score and the speed
#      ratios vs ConcurrentHashMap and NonBlockingHashMap: jmh-summary.md
#   2. JOL structure bytes per entry at 0, 1k, 100k, 1M (ratio vs ConcurrentHashMap): footprint.md
#   3. HdrHistogram latency of every put growing 0 -> COUNT (default 10M), 1 and 2 threads, wall clock and the
#      thread's CPU time, LAT_RUNS (default 3) fresh JVMs per map with -Xms8g -Xmx8g -XX:+AlwaysPreTouch G1:
#      latency-t{1,2}-{wall,cpu}.md
#   and summary.md with the commands and the load average before and after each part.
#
#   scripts/bench-concurrent.sh [OUT_DIR]
#   PARTS="jmh footprint latency" RUNS=3 LAT_RUNS=3 COUNT=10000000 scripts/bench-concurrent.sh
#   JMH_OPTS="-f 1 -wi 2 -w 1s -i 3 -r 1s" GROW_OPTS="-f 1 -wi 5 -i 10" JMH_ARGS="-p keyType=Integer" ...
#
# About 25 min for 3 JMH runs + 10 min of latency runs on 2 cores. Each part first waits (up to WAIT_MAX=600 s)
# for a load average below WAIT_LOAD=1.5 (see bench-lib.sh). JMH's lock file lives in OUT/tmp.
source "$(dirname "$0")/bench-lib.sh"
OUT="$(out_dir concurrent "${1:-}")"
RUNS="${RUNS:-3}"
LAT_RUNS="${LAT_RUNS:-3}"
COUNT="${COUNT:-10000000}"
PARTS="${PARTS:-jmh footprint latency}"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 2 -w 1s -i 3 -r 1s}"
GROW_OPTS="${GROW_OPTS:--f 1 -wi 5 -i 10}"
JMH_ARGS="${JMH_ARGS:-}"
IMPLS="StripedMap,ConcurrentHashMap,NonBlockingHashMap"
build_jar
machine_info | tee "$OUT/machine.txt"
SUMMARY="$OUT/summary.md"
echo "# StripedMap vs ConcurrentHashMap vs NonBlockingHashMap ($(date -u +%Y-%m-%dT%H:%M:%SZ))" > "$SUMMARY"

if [[ " $PARTS " == *" jmh "* ]]; then
  echo "jmh: $(wait_for_quiet)" | tee -a "$OUT/loads.txt"
  mkdir -p "$OUT/jmh/tmp"
  echo "for run in 1..$RUNS, threads in 1 2:" > "$OUT/jmh/command.txt"
  echo "  $JAVA -Djava.io.tmpdir=$OUT/jmh/tmp -jar $JAR 'ConcurrentMapBenchmark' -t THREADS $JMH_OPTS $JMH_ARGS -rf csv -rff $OUT/jmh/ops-RUN-tTHREADS.csv" >> "$OUT/jmh/command.txt"
  echo "  $JAVA -Djava.io.tmpdir=$OUT/jmh/tmp -jar $JAR 'ConcurrentGrowBenchmark' -t THREADS $GROW_OPTS $JMH_ARGS -rf csv -rff $OUT/jmh/grow-RUN-tTHREADS.csv" >> "$OUT/jmh/command.txt"
  cat "$OUT/jmh/command.txt"
  for i in $(seq 1 "$RUNS"); do
    for t in 1 2; do
      for part in ops grow; do
        if [ "$part" = ops ]; then sel=ConcurrentMapBenchmark; opts="$JMH_OPTS"; else sel=ConcurrentGrowBenchmark; opts="$GROW_OPTS"; fi
        f="$OUT/jmh/$part-$i-t$t"
        echo "run $i/$RUNS, $t thread(s), $sel (load $(load_now)) -> $f.txt"
        # shellcheck disable=SC2086
        "$JAVA" -Djava.io.tmpdir="$OUT/jmh/tmp" -jar "$JAR" "$sel" -t "$t" $opts $JMH_ARGS \
            -rf csv -rff "$f.csv" > "$f.txt" 2>&1 || { tail -30 "$f.txt"; exit 1; }
      done
    done
  done
  echo "jmh done: load $(load_now)" | tee -a "$OUT/loads.txt"
  "$JAVA" -cp "$JAR" io.github.stripedmap.benchmarks.RatioSummary --map StripedMap \
      --vs ConcurrentHashMap,NonBlockingHashMap "$OUT"/jmh/*.csv | tee "$OUT/jmh-summary.md"
  { echo; echo "## JMH"; echo; cat "$OUT/jmh/command.txt"; echo; cat "$OUT/jmh-summary.md"; } >> "$SUMMARY"
fi

if [[ " $PARTS " == *" footprint "* ]]; then
  CMD=("$JAVA" -Xmx6g -Djdk.attach.allowAttachSelf=true -cp "$JAR" io.github.stripedmap.benchmarks.Footprint
       --impls "$IMPLS" --sizes 0,1000,100000,1000000 --base ConcurrentHashMap)
  echo "${CMD[*]}" | tee "$OUT/footprint-command.txt"
  "${CMD[@]}" | tee "$OUT/footprint.md"
  { echo; echo "## Footprint (JOL)"; echo; cat "$OUT/footprint-command.txt"; echo; cat "$OUT/footprint.md"; } >> "$SUMMARY"
fi

if [[ " $PARTS " == *" latency "* ]]; then
  for t in 1 2; do
    for clock in wall cpu; do
      echo "latency t$t $clock: $(wait_for_quiet)" | tee -a "$OUT/loads.txt"
      CMD=("$JAVA" -cp "$JAR" io.github.stripedmap.benchmarks.PutLatency --impls "$IMPLS" --count "$COUNT"
           --runs "$LAT_RUNS" --threads "$t" --clock "$clock" --gc-log-dir "$OUT/latency-gc-t$t-$clock")
      echo "${CMD[*]}" | tee "$OUT/latency-t$t-$clock-command.txt"
      "${CMD[@]}" | tee "$OUT/latency-t$t-$clock.md"
      echo "latency t$t $clock done: load $(load_now)" | tee -a "$OUT/loads.txt"
      { echo; echo "## Put latency, $t thread(s), clock: $clock"; echo; cat "$OUT/latency-t$t-$clock-command.txt"; echo;
        sed -n '/^| map |/,$p' "$OUT/latency-t$t-$clock.md"; } >> "$SUMMARY"
    done
  done
fi
{ echo; echo "## Load averages"; echo; cat "$OUT/loads.txt" 2>/dev/null; } >> "$SUMMARY"
echo
echo "summary: $SUMMARY"
echo "results: $OUT"
