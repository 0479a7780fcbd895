package io.github.stripedmap.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A comparison that runs in well under a minute: footprint at 100k entries, put latency growing to 1M (each map
 * in its own small JVM), retained bytes after 100k inserts, 99% deletes and 100k writes. Prints a short
 * side-by-side summary; the full tools and scripts/bench-*.sh give the real numbers.
 *
 * <pre>scripts/quick-compare.sh    (or: java -cp benchmarks/target/benchmarks.jar io.github.stripedmap.benchmarks.QuickCompare)
 *     [--impls HashMap,BucketMap] [--verbose true]</pre>
 */
public final class QuickCompare {
    private QuickCompare() {
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args, "impls", "verbose", "footprint-size", "latency-count", "retained-count");
        List<MapImpl> impls = MapImpl.list(a.get("impls", "HashMap,BucketMap"));
        boolean verbose = Boolean.parseBoolean(a.get("verbose", "false"));
        int footprintSize = a.getInt("footprint-size", 100_000);
        int latencyCount = a.getInt("latency-count", 1_000_000);
        int retainedCount = a.getInt("retained-count", 100_000);
        long t0 = System.nanoTime();

        ByteArrayOutputStream detail = new ByteArrayOutputStream();
        PrintStream d = new PrintStream(detail, true, StandardCharsets.UTF_8);
        List<Footprint.Row> fp = Footprint.run(impls, List.of(footprintSize), d);
        List<PutLatency.Result> lat = PutLatency.run(impls, latencyCount, 1,
                "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC", Math.max(1, latencyCount / 4), 2, null, d);
        List<RetainedBytes.Row> ret = RetainedBytes.run(impls, retainedCount, 99, retainedCount, d);
        if (verbose) {
            System.out.println(detail.toString(StandardCharsets.UTF_8));
        }

        PrintStream out = System.out;
        out.printf(Locale.ROOT, "Quick comparison (%s, %d cores; single runs, indicative only)%n%n",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors());
        StringBuilder header = new StringBuilder("| |");
        StringBuilder rule = new StringBuilder("|---|");
        for (MapImpl impl : impls) {
            header.append(' ').append(impl.name()).append(" |");
            rule.append("---:|");
        }
        out.println(header);
        out.println(rule);
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT,
                "| structure bytes/entry, %,d Integer keys (JOL) |", footprintSize));
        for (MapImpl impl : impls) {
            Footprint.Row r = fp.stream().filter(x -> x.map().equals(impl.name())).findFirst().orElseThrow();
            row.append(String.format(Locale.ROOT, " %.1f |", r.perEntry()));
        }
        out.println(row);
        String[] names = {"put p50", "put p99.9", "put max"};
        for (int k = 0; k < names.length; k++) {
            row = new StringBuilder(String.format(Locale.ROOT, "| %s, growing to %,d |", names[k], latencyCount));
            for (MapImpl impl : impls) {
                PutLatency.Result r = lat.stream().filter(x -> x.impl().equals(impl.name())).findFirst().orElseThrow();
                long v = k == 0 ? r.p50() : k == 1 ? r.p999() : r.max();
                row.append(' ').append(PutLatency.fmt(v)).append(" |");
            }
            out.println(row);
        }
        row = new StringBuilder(String.format(Locale.ROOT,
                "| structure bytes after %,d puts, 99%% deletes, %,d writes (%% of peak) |", retainedCount, retainedCount));
        for (MapImpl impl : impls) {
            RetainedBytes.Row r = ret.stream().filter(x -> x.impl().equals(impl.name())).findFirst().orElseThrow();
            row.append(String.format(Locale.ROOT, " %,d (%.1f%%) |", r.afterWrites(), 100.0 * r.afterWrites() / r.peak()));
        }
        out.println(row);
        row = new StringBuilder("| same, then trimToSize() (% of peak) |");
        for (MapImpl impl : impls) {
            RetainedBytes.Row r = ret.stream().filter(x -> x.impl().equals(impl.name())).findFirst().orElseThrow();
            row.append(r.afterWritesTrim() < 0 ? " n/a |" : String.format(Locale.ROOT, " %,d (%.1f%%) |",
                    r.afterWritesTrim(), 100.0 * r.afterWritesTrim() / r.peak()));
        }
        out.println(row);
        out.printf(Locale.ROOT, "%nTook %.1f s. Full measurements: scripts/bench-all.sh (docs/BENCHMARKS.md).%n",
                (System.nanoTime() - t0) / 1e9);
    }
}
