package io.github.stripedmap.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Structure bytes per entry, measured with JOL: {@code GraphLayout.parseInstance(map).totalSize()} minus the
 * keys' and values' own bytes. Integer keys (pseudo-random, distinct) mapping to Integer values; every map is
 * made with its default constructor and filled by {@code put}, i.e. in the state normal use leaves it.
 *
 * <pre>java -Djdk.attach.allowAttachSelf=true -cp benchmarks.jar io.github.stripedmap.benchmarks.Footprint
 *     [--impls HashMap,BucketMap] [--sizes 0,1000,100000,1000000] [--base HashMap]</pre>
 *
 * Maps that can trim also get a row measured after {@code trimToSize()}.
 */
public final class Footprint {
    private Footprint() {
    }

    /** One measurement. */
    public record Row(String map, int entries, long totalBytes, long structureBytes, String stats) {
        double perEntry() {
            return entries == 0 ? Double.NaN : (double) structureBytes / entries;
        }
    }

    public static void main(String[] args) {
        Args a = new Args(args, "impls", "sizes", "base");
        List<MapImpl> impls = MapImpl.list(a.get("impls", "HashMap,BucketMap"));
        List<Integer> sizes = new ArrayList<>();
        for (String s : a.get("sizes", "0,1000,100000,1000000").split(",")) {
            sizes.add(Integer.parseInt(s.trim().replace("_", "")));
        }
        run(impls, sizes, MapImpl.of(a.get("base", "HashMap")).name(), System.out);
    }

    /** Measures and prints the markdown table with ratios to HashMap; returns the rows. */
    public static List<Row> run(List<MapImpl> impls, List<Integer> sizes, PrintStream out) {
        return run(impls, sizes, MapImpl.HashMap.name(), out);
    }

    /** Measures and prints the markdown table with ratios to the map named {@code base}; returns the rows. */
    public static List<Row> run(List<MapImpl> impls, List<Integer> sizes, String base, PrintStream out) {
        out.println("JOL: " + Jol.vmDetails());
        out.println();
        List<Row> rows = new ArrayList<>();
        for (int size : sizes) {
            Integer[] keys = Keys.intKeys(0, size);
            Integer[] values = new Integer[size];
            for (int i = 0; i < size; i++) {
                values[i] = Keys.mix(~i); // distinct from the keys and from each other, not cached
            }
            Object[] payload = new Object[2 * size];
            for (int i = 0; i < size; i++) {
                payload[2 * i] = keys[i];
                payload[2 * i + 1] = values[i];
            }
            long payloadBytes = Jol.payloadBytes(payload);
            for (MapImpl impl : impls) {
                Map<Integer, Integer> map = impl.create();
                for (int i = 0; i < size; i++) {
                    map.put(keys[i], values[i]);
                }
                long total = Jol.totalBytes(map);
                rows.add(new Row(impl.name(), size, total, total - payloadBytes, impl.describe(map)));
                if (impl.canTrim()) {
                    impl.trim(map);
                    total = Jol.totalBytes(map);
                    rows.add(new Row(impl.name() + " after trimToSize()", size, total, total - payloadBytes,
                            impl.describe(map)));
                }
            }
        }
        print(rows, base, out);
        return rows;
    }

    static void print(List<Row> rows, String baseName, PrintStream out) {
        out.println("| map | entries | total bytes (JOL) | structure bytes | structure bytes/entry | vs " + baseName + " |");
        out.println("|---|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            Row base = rows.stream().filter(b -> b.map().equals(baseName) && b.entries() == r.entries())
                    .findFirst().orElse(null);
            String ratio = base == null || base.structureBytes() == 0 ? "" :
                    String.format(Locale.ROOT, "%.2fx", (double) r.structureBytes() / base.structureBytes());
            out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %s | %s |%n", r.map(), r.entries(), r.totalBytes(),
                    r.structureBytes(), r.entries() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.perEntry()),
                    ratio);
        }
        out.println();
        for (Row r : rows) {
            if (!r.stats().isEmpty()) {
                out.println("- " + r.map() + " @ " + r.entries() + ": " + r.stats());
            }
        }
    }
}
