#!/usr/bin/env bash
# jcstress runs of the stress-tests module outside the default build (which runs `sanity` plus the
# negative control, see docs/STRESS.md). One run at a time: each jcstress run wants every core.
#
#   scripts/stress.sh [--jdk25] [--no-build] [--negative] [MODE] [REGEX]
#
#   MODE      jcstress preset: sanity | quick | default | tough     (default: quick)
#             on 2 cores: sanity ~7-9 s, quick ~75-160 s, default ~10+ min per test
#   REGEX     tests to run (default: the whole real suite, io\.github\.stripedmap\.stress\.tests\.)
#   --jdk25   run jcstress on /usr/lib/jvm/temurin-25-jdk-amd64 (the jar is still built with the JDK of
#             JAVA_HOME / the PATH: class files are --release 17 either way). Any other JDK for the run:
#             RUN_JAVA_HOME=/path/to/jdk; JAVA_HOME=/path/to/jdk builds and runs with it.
#   --no-build  reuse stress-tests/target/jcstress.jar
#   --negative  run the negative control instead (REGEX default io\.github\.stripedmap\.stress\.negative\.)
#               and require FORBIDDEN outcomes from every test
#
# Output: stress-tests/target/jcstress/<mode>-jdk<N>/ : jcstress.log (every outcome table), results/
# (HTML report) and the per-test summary printed at the end. Exit status 0 when the gate holds.
#
# Examples:
#   scripts/stress.sh quick                         # the recorded run of docs/STRESS.md
#   scripts/stress.sh default GetDuring             # the lock-free read tests, default mode
#   scripts/stress.sh --jdk25 quick                 # the whole suite on JDK 25
#   scripts/stress.sh --negative quick              # the broken variants, longer
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD=1
EXPECT=pass
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk25) RUN_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; shift ;;
    --no-build) BUILD=0; shift ;;
    --negative) EXPECT=forbidden; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
MODE="${1:-quick}"
if [ "$EXPECT" = pass ]; then
  TESTS="${2:-io\\.github\\.stripedmap\\.stress\\.tests\\.}"
else
  TESTS="${2:-io\\.github\\.stripedmap\\.stress\\.negative\\.}"
fi
EXTRA=()
case "$MODE" in
  sanity) TIMEOUT=3600; EXTRA=(-time 20) ;; # as the build: sanity's 0 ms iterations give Termination tests no sample
  quick) TIMEOUT=14400 ;;
  *) TIMEOUT=172800 ;;
esac
RUN_JAVA_HOME="${RUN_JAVA_HOME:-${JAVA_HOME:-}}"
JAVA="${RUN_JAVA_HOME:+$RUN_JAVA_HOME/bin/}java"
JDK="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
JAR="$ROOT/stress-tests/target/jcstress.jar"
if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ]; then
  (cd "$ROOT" && ./mvnw -B -q -pl stress-tests -am package -DskipTests)
fi
SUFFIX=""
[ "$EXPECT" = forbidden ] && SUFFIX="-negative"
DIR="$ROOT/stress-tests/target/jcstress/$MODE-jdk$JDK$SUFFIX"
echo "stress.sh: mode $MODE, JDK $JDK ($JAVA), tests $TESTS, into $DIR"
exec "$JAVA" -cp "$JAR" io.github.stripedmap.stress.support.JcstressGate \
  --expect "$EXPECT" --dir "$DIR" --tests "$TESTS" --timeout "$TIMEOUT" -- -m "$MODE" ${EXTRA[@]+"${EXTRA[@]}"}
