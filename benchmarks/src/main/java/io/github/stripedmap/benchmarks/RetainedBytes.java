package io.github.stripedmap.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Does a map give memory back? Structure bytes (JOL, keys' and values' own bytes subtracted) of a map made with
 * its default constructor:
 * <ol>
 *   <li>peak: after {@code --count} puts of distinct Integer keys;</li>
 *   <li>after deleting {@code --delete-percent} of them (every key whose insertion number is not a multiple of
 *       100 for 99%, in insertion order, i.e. scattered over the table);</li>
 *   <li>after {@code --writes} further writes at constant size: alternately put a new key and remove the oldest
 *       live key ({@code --writes 1000000} = 500,000 puts + 500,000 removes);</li>
 *   <li>for maps with {@code trimToSize()}: after trimming at the end of 3, and, on a second map built the same
 *       way, right after step 2.</li>
 * </ol>
 * <pre>java -Djdk.attach.allowAttachSelf=true -cp benchmarks.jar io.github.stripedmap.benchmarks.RetainedBytes
 *     [--count 1000000] [--delete-percent 99] [--writes 1000000] [--impls HashMap,BucketMap]</pre>
 */
public final class RetainedBytes {
    private RetainedBytes() {
    }

    /** Structure bytes of one map through the phases; -1 where a phase does not apply. */
    public record Row(String impl, long peak, long afterDeletes, long afterWrites, long afterWritesTrim,
                      long afterDeletesTrim, int sizeAfterDeletes, List<String> stats) {
    }

    public static void main(String[] args) {
        Args a = new Args(args, "count", "delete-percent", "writes", "impls");
        run(MapImpl.list(a.get("impls", "HashMap,BucketMap")), a.getInt("count", 1_000_000),
                a.getInt("delete-percent", 99), a.getInt("writes", 1_000_000), System.out);
    }

    public static List<Row> run(List<MapImpl> impls, int count, int deletePercent, int writes, PrintStream out) {
        if (deletePercent < 0 || deletePercent > 100) {
            throw new IllegalArgumentException("--delete-percent must be 0..100");
        }
        int pairs = writes / 2;
        Integer[] keys = Keys.intKeys(0, count + pairs);
        Integer[] values = new Integer[keys.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = Keys.mix(~i);
        }
        out.printf(Locale.ROOT, "Retained structure bytes: insert %,d Integer keys, delete %d%%, then %,d writes"
                + " (%,d x put new + remove oldest) at constant size. JOL: %s%n%n", count, deletePercent, 2 * pairs,
                pairs, Jol.vmDetails());
        List<Row> rows = new ArrayList<>();
        for (MapImpl impl : impls) {
            List<String> stats = new ArrayList<>();
            Scenario s = new Scenario(impl, keys, values, count, deletePercent);
            long peak = s.measure();
            stats.add("peak: " + impl.describe(s.map));
            s.deleteSome();
            long afterDeletes = s.measure();
            stats.add("after deletes: " + impl.describe(s.map));
            s.churn(pairs);
            long afterWrites = s.measure();
            stats.add("after writes: " + impl.describe(s.map));
            long afterWritesTrim = -1;
            long afterDeletesTrim = -1;
            if (impl.canTrim()) {
                impl.trim(s.map);
                afterWritesTrim = s.measure();
                stats.add("after writes + trimToSize(): " + impl.describe(s.map));
                Scenario t = new Scenario(impl, keys, values, count, deletePercent);
                t.deleteSome();
                impl.trim(t.map);
                afterDeletesTrim = t.measure();
                stats.add("after deletes + trimToSize(): " + impl.describe(t.map));
            }
            rows.add(new Row(impl.name(), peak, afterDeletes, afterWrites, afterWritesTrim, afterDeletesTrim,
                    s.map.size(), stats));
        }
        print(rows, out);
        return rows;
    }

    /** A map and the insertion numbers of its live keys, oldest first. */
    private static final class Scenario {
        final Map<Integer, Integer> map;
        final Integer[] keys;
        final Integer[] values;
        final int deletePercent;
        int[] live;        // ring buffer of insertion numbers
        int head;
        int liveCount;
        int nextNew;

        Scenario(MapImpl impl, Integer[] keys, Integer[] values, int count, int deletePercent) {
            this.map = impl.create();
            this.keys = keys;
            this.values = values;
            this.deletePercent = deletePercent;
            for (int i = 0; i < count; i++) {
                map.put(keys[i], values[i]);
            }
            live = new int[count];
            for (int i = 0; i < count; i++) {
                live[i] = i;
            }
            liveCount = count;
            nextNew = count;
            check();
        }

        void deleteSome() {
            int[] kept = new int[live.length];
            int n = 0;
            for (int j = 0; j < liveCount; j++) {
                int i = live[j];
                // deletePercent of each run of 100 consecutive insertion numbers, the first ones kept
                if (i % 100 >= 100 - deletePercent) {
                    map.remove(keys[i]);
                } else {
                    kept[n++] = i;
                }
            }
            live = kept;
            head = 0;
            liveCount = n;
            check();
        }

        void churn(int pairs) {
            if (liveCount == 0) {
                for (int w = 0; w < pairs; w++) {
                    int i = nextNew++;
                    map.put(keys[i], values[i]);
                    map.remove(keys[i]);
                }
                check();
                return;
            }
            for (int w = 0; w < pairs; w++) {
                int i = nextNew++;
                map.put(keys[i], values[i]);
                int oldest = live[head];
                map.remove(keys[oldest]);
                live[head] = i; // the new key takes the oldest's place at the tail of the ring
                head = (head + 1) % liveCount;
            }
            check();
        }

        void check() {
            if (map.size() != liveCount) {
                throw new IllegalStateException("map has " + map.size() + " entries, expected " + liveCount);
            }
        }

        long measure() {
            Object[] payload = new Object[2 * liveCount];
            for (int j = 0; j < liveCount; j++) {
                int i = live[j];
                if (!values[i].equals(map.get(keys[i]))) {
                    throw new IllegalStateException("key number " + i + " lost");
                }
                payload[2 * j] = keys[i];
                payload[2 * j + 1] = values[i];
            }
            return Jol.structureBytes(map, payload);
        }
    }

    static void print(List<Row> rows, PrintStream out) {
        out.println("| map | peak | after deletes | after writes | after writes + trimToSize() | after deletes + trimToSize() |");
        out.println("|---|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", r.impl(), cell(r.peak(), r.peak()),
                    cell(r.afterDeletes(), r.peak()), cell(r.afterWrites(), r.peak()),
                    cell(r.afterWritesTrim(), r.peak()), cell(r.afterDeletesTrim(), r.peak()));
        }
        out.println();
        out.println("(structure bytes, and % of the same map's peak; entries after the deletes: "
                + (rows.isEmpty() ? 0 : rows.get(0).sizeAfterDeletes()) + ")");
        for (Row r : rows) {
            for (String s : r.stats()) {
                if (!s.endsWith(": ")) {
                    out.println("- " + r.impl() + " " + s);
                }
            }
        }
    }

    private static String cell(long bytes, long peak) {
        if (bytes < 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,d (%.1f%%)", bytes, peak == 0 ? 0.0 : 100.0 * bytes / peak);
    }
}
