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
