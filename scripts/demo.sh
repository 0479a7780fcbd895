#!/usr/bin/env bash
# The main job: the map-leak experiment on StripedMap and ConcurrentHashMap side by side, recorded with
# JDK Flight Recorder, then the recording report (text + HTML chart).
#
#   scripts/demo.sh [--size N] [--threads T] [--phases steady,batch,churn,drain] [--churn-seconds S]
#                   [--drain-seconds S] [--maps striped,chm] [--out DIR]
#
# Builds the demo jar with ./mvnw the first time (and again whenever a source or pom is newer than it).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=demo/target/stripedmap-demo.jar
if [ ! -f "$JAR" ] || [ -n "$(find map-core map-concurrent tracing demo pom.xml -newer "$JAR" \
      \( -path '*/src/main/*' -o -name pom.xml \) -type f -print -quit 2>/dev/null)" ]; then
  echo "building the demo (./mvnw -B -q -pl demo -am package -DskipTests) ..."
  ./mvnw -B -q -pl demo -am package -DskipTests
fi
exec java -Xms2g -Xmx2g -XX:+UseG1GC -Djdk.attach.allowAttachSelf=true \
  --add-opens java.base/java.util.concurrent=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$JAR" "$@"
