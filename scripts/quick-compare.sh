#!/usr/bin/env bash
# Builds what it needs and prints a short HashMap vs BucketMap comparison in well under a minute:
# footprint at 100k, put latency growing to 1M, retained bytes after 99% deletes.
#
#   scripts/quick-compare.sh [--impls HashMap,BucketMap] [--verbose true]
source "$(dirname "$0")/bench-lib.sh"
build_jar
exec "$JAVA" -Djdk.attach.allowAttachSelf=true -Xmx2g -cp "$JAR" io.github.stripedmap.benchmarks.QuickCompare "$@"
