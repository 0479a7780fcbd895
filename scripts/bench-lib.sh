# Shared by scripts/bench-*.sh and scripts/quick-compare.sh (sourced, not run).
# Environment: SKIP_BUILD=1 to use the existing benchmarks/target/benchmarks.jar as it is.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

build_jar() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    (cd "$ROOT" && ./mvnw -B -q -pl benchmarks -am package -DskipTests)
  fi
  [ -f "$JAR" ] || { echo "missing $JAR (build failed?)" >&2; exit 1; }
}

# out_dir NAME [DIR]: DIR if given, else target/bench-results/NAME-<timestamp> under the repository root.
out_dir() {
  local dir="${2:-$ROOT/target/bench-results/$1-$(date +%Y%m%d-%H%M%S)}"
  mkdir -p "$dir"
  (cd "$dir" && pwd)
}

machine_info() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel: $(uname -sr)"
  echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo unknown)"
  echo "java: $("$JAVA" -version 2>&1 | tr '\n' ' ')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# wait_for_quiet: before a long measurement, waits (up to WAIT_MAX seconds, default 600) until the 1-minute load
# average is below WAIT_LOAD (default 1.5); never fails, prints what it saw. WAIT_MAX=0 skips the wait.
wait_for_quiet() {
  local max="${WAIT_MAX:-600}" limit="${WAIT_LOAD:-1.5}" waited=0 load
  while :; do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    if awk -v l="$load" -v m="$limit" 'BEGIN { exit !(l < m) }' || [ "$waited" -ge "$max" ]; then
      break
    fi
    sleep 15; waited=$((waited + 15))
  done
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after waiting ${waited} s for < $limit (max ${max} s)"
}

# load_now: the three load averages, for the record next to each result.
load_now() {
  cut -d' ' -f1-3 /proc/loadavg
}
