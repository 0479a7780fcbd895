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
DEPS="$(cat "$OUT/deps.classpath")"
TESTS="$ROOT/tracing/target/test-classes"
MAIN="$ROOT/tracing/target/classes"
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
  run none "$round" "$TESTS:$DEPS" "" "$@"
  run jar "$round" "$MAIN:$TESTS:$DEPS" "" "$@"
  run recording "$round" "$MAIN:$TESTS:$DEPS" "-XX:StartFlightRecording:settings=$JFC,filename=$OUT/tmp/recording.jfr" "$@"
  run default+ "$round" "$MAIN:$TESTS:$DEPS" \
      "-XX:StartFlightRecording:settings=default,settings=$JFC,filename=$OUT/tmp/default.jfr" "$@"
done

# Summary: median score (ops/us) per benchmark parameters and set-up, and the change against "none".
awk -F, '
  FNR == 1 { split(FILENAME, p, "/"); f = p[length(p)]; sub(/-[0-9]+\.csv$/, "", f); next }
  { gsub(/"/, ""); key = $8; for (i = 9; i <= NF; i++) key = key " " $i; v[key, f] = v[key, f] " " $5; keys[key] = 1 }
  function median(s,   a, n, i, j, t) {
    n = split(s, a, " ");
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    split("none jar recording default+", sets, " ");
    printf "| params | none | jar | recording | default+ |\n|---|---|---|---|---|\n";
    for (k in keys) {
      base = median(v[k, "none"]);
      printf "| %s | %.3f ops/us |", k, base;
      for (s = 2; s <= 4; s++) { m = median(v[k, sets[s]]); printf " %.3f (%+.1f%%) |", m, 100 * (m - base) / base }
      printf "\n";
    }
  }' "$OUT"/*-[0-9]*.csv | tee "$OUT/summary.md"
echo "results: $OUT"
