#!/usr/bin/env bash
# See it in Mission Control, end to end: builds the jars, runs a small application that never mentions
# tracing (tracing's Workload test class: a map that only grows, a cache that fills and is emptied, an
# unnamed BucketMap) with the tracing jar on the class path and the shipped settings, then prints the
# Growth events and the report, and writes an HTML report.
#
#   tracing/demo.sh [SECONDS]        (default 20: a Statistics sample every 5 s, three or more flag a map that only grows)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-20}"
OUT=tracing/target/demo
mkdir -p "$OUT"
# One reactor run, so that map-core and map-concurrent resolve to the jars just built (not to ~/.m2).
./mvnw -B -q -pl tracing -am package org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
    -DskipTests -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/$OUT/runtime.classpath" >/dev/null
JAR="$(ls tracing/target/tracing-*.jar | grep -v -e sources -e javadoc | head -1)"
JFC=tracing/src/main/resources/io/github/stripedmap/tracing/stripedmap.jfc
# The application's class path: its own classes, the maps, and the tracing jar with its two dependencies.
CP="tracing/target/test-classes:$JAR:$(cat "$OUT/runtime.classpath")"
set -x
java -XX:StartFlightRecording:settings=default,settings="$JFC",filename="$OUT/demo.jfr" \
    -cp "$CP" io.github.stripedmap.tracing.Workload $((SECONDS_TO_RUN * 1000))
jfr summary "$OUT/demo.jfr" | grep -e stripedmap -e "Event Type"
jfr print --events io.github.stripedmap.Growth "$OUT/demo.jfr" | head -40
java -jar "$JAR" "$OUT/demo.jfr" --html "$OUT/demo.html"
