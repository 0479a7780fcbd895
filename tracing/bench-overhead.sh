#!/usr/bin/env bash
# Tracing overhead on the put-heavy benchmark (TracingOverheadBenchmark, in tracing's test sources),
# in four set-ups that differ only in class path and JVM flags:
#   none      - map-core + map-concurrent only (the tracing classes are not on the class path)
#   jar       - the tracing classes on the class path (found by ServiceLoader), no recording
#   recording - the same with -XX:StartFlightRecording:settings=<shipped stripedmap.jfc>
#   default+  - the same with settings=default,settings=<shipped stripedmap.jfc> (the JDK's events too)
# The set-ups are interleaved, ROUNDS times (default 3), one fork each, so that drift on a shared machine
# hits them alike; the summary is the median per set-up and its difference from "none".
#
#   tracing/bench-overhead.sh [OUT_DIR] [extra JMH arguments...]
#   ROUNDS=5 tracing/bench-overhead.sh tracing/target/overhead -p impl=StripedMap
#   ROUNDS=0 CPU_ROUNDS=7 PAIRED_RUNS=0 tracing/bench-overhead.sh   # only the CPU-time probe (OverheadProbe)
#   ROUNDS=0 tracing/bench-overhead.sh                             # only the paired measurement (PairedOverhead)
#
# About 1 minute per set-up and round with the defaults: run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="${1:-tracing/target/bench-overhead}"
[ $# -gt 0 ] && shift
mkdir -p "$OUT/tmp"
OUT="$(cd "$OUT" && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
ROUNDS="${ROUNDS:-3}"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 3 -w 2s -i 5 -r 2s}"

./mvnw -B -q -o -pl tracing -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
    -DskipTests -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/deps.classpath" >/dev/null
# Snapshot the freshly built classes: other builds in this work tree must not change them mid-run.
rm -rf "$OUT/classes" && mkdir -p "$OUT/classes"
for m in map-core map-concurrent; do cp -r "$ROOT/$m/target/classes" "$OUT/classes/$m"; done
cp -r "$ROOT/tracing/target/classes" "$OUT/classes/tracing"
cp -r "$ROOT/tracing/target/test-classes" "$OUT/classes/tracing-tests"
DEPS="$(sed -e "s#$ROOT/map-core/target/classes#$OUT/classes/map-core#" \
            -e "s#$ROOT/map-concurrent/target/classes#$OUT/classes/map-concurrent#" "$OUT/deps.classpath")"
TESTS="$OUT/classes/tracing-tests"
MAIN="$OUT/classes/tracing"
JFC="$ROOT/tracing/src/main/resources/io/github/stripedmap/tracing/stripedmap.jfc"
"$JAVA" -version 2>&1 | head -1 > "$OUT/machine.txt"
{ nproc; uptime; } >> "$OUT/machine.txt"

run() { # name round classpath [jvm flag] [jmh args...]
  local name="$1" round="$2" cp="$3" flag="${4:-}"
  shift 4
  local extra=()
  # Prepend: the benchmark's own -jvmArgsAppend (heap, GC) stays in force.
  if [ -n "$flag" ]; then extra=(-jvmArgsPrepend "$flag"); fi
  local base="$OUT/$name-$round"
  # shellcheck disable=SC2086
  echo "$JAVA -Djava.io.tmpdir=$OUT/tmp -cp <$name class path> org.openjdk.jmh.Main TracingOverheadBenchmark $JMH_OPTS ${extra[*]} $*" > "$base.cmd"
  # shellcheck disable=SC2086
  "$JAVA" -Djava.io.tmpdir="$OUT/tmp" -cp "$cp" org.openjdk.jmh.Main TracingOverheadBenchmark $JMH_OPTS \
      "${extra[@]}" "$@" -rf csv -rff "$base.csv" > "$base.txt" 2>&1 || { tail -30 "$base.txt"; exit 1; }
  echo "$name round $round: $(grep -m1 -o 'tracing attached: [a-z]*' "$base.txt")"
}

for round in $(seq 1 "$ROUNDS"); do
  [ "$ROUNDS" = 0 ] && break
  run none "$round" "$TESTS:$DEPS" "" "$@"
  run jar "$round" "$MAIN:$TESTS:$DEPS" "" "$@"
  run recording "$round" "$MAIN:$TESTS:$DEPS" "-XX:StartFlightRecording:settings=$JFC,filename=$OUT/tmp/recording.jfr" "$@"
  run default+ "$round" "$MAIN:$TESTS:$DEPS" \
      "-XX:StartFlightRecording:settings=default,settings=$JFC,filename=$OUT/tmp/default.jfr" "$@"
done

# Summary per benchmark parameters and set-up: the median of the rounds' scores, and the best single
# measurement iteration of all rounds (on a shared machine the best iteration is the least disturbed one);
# both with their change against "none".
[ "$ROUNDS" != 0 ] && awk '
  FNR == 1 { split(FILENAME, p, "/"); f = p[length(p)]; sub(/-[0-9]+\.txt$/, "", f) }
  /^# Parameters:/ { key = $0; sub(/^# Parameters: /, "", key) }
  /^Iteration/ { x = $3 + 0; if (x > best[key, f]) best[key, f] = x; keys[key] = 1 }
  /^TracingOverheadBenchmark.putNew/ { k2 = "(impl = " $2 ", size = " $3 ")"; runs[k2, f] = runs[k2, f] " " $6 }
  function median(s,   a, n, i, j, t) {
    n = split(s, a, " ");
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    split("none jar recording default+", sets, " ");
    print "| params | statistic | none (ops/us) | jar | recording | default+ |";
    print "|---|---|---|---|---|---|";
    for (k in keys) {
      base = median(runs[k, "none"]);
      printf "| %s | median of rounds | %.3f |", k, base;
      for (s = 2; s <= 4; s++) { m = median(runs[k, sets[s]]); printf " %.3f (%+.1f%%) |", m, 100 * (m - base) / base }
      printf "\n| %s | best iteration | %.3f |", k, best[k, "none"];
      for (s = 2; s <= 4; s++) { m = best[k, sets[s]]; printf " %.3f (%+.1f%%) |", m, 100 * (m - best[k, "none"]) / best[k, "none"] }
      printf "\n";
    }
  }' "$OUT"/none-[0-9]*.txt "$OUT"/jar-[0-9]*.txt "$OUT"/recording-[0-9]*.txt "$OUT"/default+-[0-9]*.txt \
  | tee "$OUT/summary.md"
# The same workload timed by the thread's CPU time (OverheadProbe): robust against other processes
# taking the cores. CPU_ROUNDS interleaved rounds (default 5), median of the per-JVM medians.
CPU_ROUNDS="${CPU_ROUNDS:-0}"
probe() { # name round classpath [jvm flag]
  local flags=(-Xms2g -Xmx2g -XX:+UseG1GC)
  if [ -n "${4:-}" ]; then flags=("$4" "${flags[@]}"); fi
  "$JAVA" "${flags[@]}" -cp "$3" io.github.stripedmap.tracing.OverheadProbe > "$OUT/cpu-$1-$2.txt" 2>&1 \
      || { tail -20 "$OUT/cpu-$1-$2.txt"; exit 1; }
  grep '^probe' "$OUT/cpu-$1-$2.txt" | sed "s/^/$1 round $2: /"
}
for round in $(seq 1 "$CPU_ROUNDS"); do
  [ "$CPU_ROUNDS" = 0 ] && break
  probe none "$round" "$TESTS:$DEPS"
  probe jar "$round" "$MAIN:$TESTS:$DEPS"
  probe recording "$round" "$MAIN:$TESTS:$DEPS" "-XX:StartFlightRecording:settings=$JFC,filename=$OUT/tmp/cpu-recording.jfr"
  probe default+ "$round" "$MAIN:$TESTS:$DEPS" \
      "-XX:StartFlightRecording:settings=default,settings=$JFC,filename=$OUT/tmp/cpu-default.jfr"
done
if [ "$CPU_ROUNDS" != 0 ]; then
  awk '
    FNR == 1 { split(FILENAME, p, "/"); f = p[length(p)]; sub(/^cpu-/, "", f); sub(/-[0-9]+\.txt$/, "", f) }
    /^probe/ { split($2, a, "="); split($4, med, "="); v[a[2], f] = v[a[2], f] " " med[2]; keys[a[2]] = 1 }
    function median(s,   a, n, i, j, t) {
      n = split(s, a, " ");
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {
      split("none jar recording default+", sets, " ");
      print "";
      print "| map (CPU time per put, median of rounds) | none | jar | recording | default+ |";
      print "|---|---|---|---|---|";
      for (k in keys) {
        base = median(v[k, "none"]);
        printf "| %s | %.1f ns |", k, base;
        for (s = 2; s <= 4; s++) { m = median(v[k, sets[s]]); printf " %.1f ns (%+.1f%%) |", m, 100 * (m - base) / base }
        printf "\n";
      }
    }' "$OUT"/cpu-*-[0-9]*.txt | tee -a "$OUT/summary.md"
fi
# Paired, in one JVM (PairedOverhead): fills of an untraced map alternate with fills of a traced one,
# CPU time each, median of the per-pair ratios; without and with a recording (shipped settings).
# The most precise of the three on a shared machine. PAIRED_RUNS JVMs per mode (default 3).
PAIRED_RUNS="${PAIRED_RUNS:-3}"
for run in $(seq 1 "$PAIRED_RUNS"); do
  [ "$PAIRED_RUNS" = 0 ] && break
  for mode in norecording recording; do
    "$JAVA" -Xms2g -Xmx2g -XX:+UseG1GC -cp "$MAIN:$TESTS:$DEPS" io.github.stripedmap.tracing.PairedOverhead "$mode" \
        > "$OUT/paired-$mode-$run.txt" 2>&1 || { tail -20 "$OUT/paired-$mode-$run.txt"; exit 1; }
    grep '^paired' "$OUT/paired-$mode-$run.txt"
  done
done
if [ "$PAIRED_RUNS" != 0 ]; then
  awk '
    /^paired/ { split($2, a, "="); split($3, r, "="); split($4, o, "="); sub(/%/, "", o[2]);
                k = a[2] " " (r[2] == "true" ? "recording" : "jar, no recording"); v[k] = v[k] " " o[2]; keys[k] = 1 }
    function median(s,   a, n, i, j, t) {
      n = split(s, a, " ");
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {
      print "";
      print "| map, set-up (paired CPU time, traced vs untraced) | overhead (median of runs) | runs |";
      print "|---|---|---|";
      for (k in keys) printf "| %s | %+.1f%% | %s |\n", k, median(v[k]), v[k];
    }' "$OUT"/paired-*.txt | tee -a "$OUT/summary.md"
fi
echo "results: $OUT"
