package io.github.stripedmap.benchmarks;

import io.github.stripedmap.core.BucketMap;
import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.MigrationTrigger;
import io.github.stripedmap.core.TableObserver;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Diagnostic: counts BucketMap's migrations (by kind and trigger) and evacuated old buckets while one map grows
 * from empty to {@code --count} Integer keys, reported at every power of two of the size. Explains where
 * BucketMap's put time goes when growing (each evacuated bucket is work done inside some put).
 *
 * <pre>java -cp benchmarks.jar io.github.stripedmap.benchmarks.MigrationCensus [--count 10000000] [--starts true]</pre>
 *
 * With {@code --starts true} it also prints the put number of every migration start whose new table has at
 * least 2^17 buckets, to match against the slowest puts that {@link PutLatency} reports.
 */
public final class MigrationCensus {
    private MigrationCensus() {
    }

    /** Counts what the table reports. */
    static final class Counter implements TableObserver {
        final Map<MigrationKind, Map<MigrationTrigger, Integer>> started = new EnumMap<>(MigrationKind.class);
        long evacuated;
        long moved;
        boolean printStarts;
        PrintStream out;
        int puts;

        @Override
        public void migrationStarted(MigrationKind kind, MigrationTrigger trigger, int oldBuckets, int newBuckets,
                                     int entries, int overflowBuckets) {
            started.computeIfAbsent(kind, k -> new EnumMap<>(MigrationTrigger.class)).merge(trigger, 1, Integer::sum);
            if (printStarts && newBuckets >= 1 << 17) {
                out.printf(Locale.ROOT, "- put %,d starts %s (%s): %,d -> %,d buckets, %,d overflow buckets%n",
                        puts, kind, trigger, oldBuckets, newBuckets, overflowBuckets);
            }
        }

        @Override
        public void bucketEvacuated(int oldBucket, int movedToX, int movedToY) {
            evacuated++;
            moved += movedToX + movedToY;
        }
    }

    public static void main(String[] args) {
        Args a = new Args(args, "count", "starts");
        run(a.getInt("count", 10_000_000), Boolean.parseBoolean(a.get("starts", "false")), System.out);
    }

    public static void run(int count, boolean printStarts, PrintStream out) {
        Integer[] keys = Keys.intKeys(0, count);
        BucketMap<Integer, Integer> map = new BucketMap<>();
        Counter c = new Counter();
        c.printStarts = printStarts;
        c.out = out;
        map.setObserver(c);
        out.println("| size | buckets | overflow buckets | migration now | migrations started so far"
                + " | old buckets evacuated so far | entries moved so far (per insert) |");
        out.println("|---:|---:|---:|---|---|---:|---:|");
        int next = 1024;
        for (int i = 0; i < count; i++) {
            c.puts = i + 1;
            map.put(keys[i], keys[i]);
            if (i + 1 == next || i + 1 == count) {
                var st = map.statistics();
                out.printf(Locale.ROOT, "| %,d | %,d | %,d | %s | %s | %,d | %,d (%.2f) |%n", i + 1, st.buckets(),
                        st.overflowBuckets(), st.migration() == null ? "-" : st.migration() + String.format(
                                Locale.ROOT, " %.0f%%", 100 * st.migrationProgress()),
                        c.started, c.evacuated, c.moved, (double) c.moved / (i + 1));
                next = next * 2;
            }
        }
    }
}
