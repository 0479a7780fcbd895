package io.github.stripedmap.demo;

import io.github.stripedmap.core.MigrationKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the measured rows into the side-by-side table and into findings computed from the numbers. */
final class Summary {

    /** Percentiles shown, as fractions. */
    private static final double P50 = 50.0;
    private static final double P99 = 99.0;
    private static final double P999 = 99.9;
    /** Below this share of its peak, a map counts as having given its memory back. */
    static final double GAVE_BACK_BELOW = 0.10;

    private Summary() { }

    static String table(List<LeakDemo.Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-7s %-18s %11s %13s %9s %11s %9s %9s %9s %9s  %s%n",
                "phase", "map", "live", "structure", "B/entry", "heap (GC)", "p50 ms", "p99 ms", "p99.9 ms",
                "max ms", "migrations (double/same-size/shrink)"));
        Phase last = null;
        for (LeakDemo.Row r : rows.stream().sorted((a, b) -> a.phase() != b.phase()
                ? a.phase().compareTo(b.phase()) : a.map().compareTo(b.map())).toList()) {
            if (last != null && last != r.phase()) {
                sb.append('\n');
            }
            last = r.phase();
            sb.append(String.format(Locale.ROOT, "%-7s %-18s %,11d %,11.1f Mi %9.1f %8.1f Mi %9.4f %9.4f %9.3f %9.3f  %s%n",
                    r.phase().label(), r.map().title(), r.live(), LeakDemo.mebibytes(r.structureBytes()),
                    r.live() == 0 ? 0.0 : (double) r.structureBytes() / r.live(), LeakDemo.mebibytes(r.heapBytes()),
                    LeakDemo.millis(r.latency().getValueAtPercentile(P50)),
                    LeakDemo.millis(r.latency().getValueAtPercentile(P99)),
                    LeakDemo.millis(r.latency().getValueAtPercentile(P999)),
                    LeakDemo.millis(r.latency().getMaxValue()), migrations(r)));
        }
        sb.append("latency: per write operation of the phase (steady: put; batch: putAll of ").append(Workload.BATCH)
                .append(" keys; churn: put + expiring remove; drain: remove, then put + remove)\n");
        return sb.toString();
    }

    private static String migrations(LeakDemo.Row r) {
        Map<MigrationKind, Integer> m = r.migrations();
        if (m.isEmpty()) {
            return "not reported";
        }
        return m.get(MigrationKind.DOUBLE) + "/" + m.get(MigrationKind.SAME_SIZE) + "/" + m.get(MigrationKind.SHRINK);
    }

    /** Findings computed from the rows: growth, memory given back after the drain, worst write while growing. */
    static List<String> findings(List<LeakDemo.Row> rows) {
        List<String> lines = new ArrayList<>();
        for (MapKind kind : MapKind.values()) {
            List<LeakDemo.Row> mine = rows.stream().filter(r -> r.map() == kind).toList();
            if (mine.isEmpty()) {
                continue;
            }
            long peak = mine.stream().mapToLong(LeakDemo.Row::structureBytes).max().orElse(0);
            long worstGrowing = mine.stream().filter(r -> r.phase() == Phase.STEADY || r.phase() == Phase.BATCH)
                    .mapToLong(r -> r.latency().getMaxValue()).max().orElse(0);
            long missing = mine.stream().mapToLong(LeakDemo.Row::missingReads).sum();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: peak structure %.1f MiB",
                    kind.title(), LeakDemo.mebibytes(peak)));
            mine.stream().filter(r -> r.phase() == Phase.DRAIN).findFirst().ifPresent(drain -> {
                double share = peak == 0 ? 0 : (double) drain.structureBytes() / peak;
                line.append(String.format(Locale.ROOT, "; after the drain it holds %.1f%% of that, %.0f B per live entry (%s)",
                        100 * share, drain.live() == 0 ? 0.0 : (double) drain.structureBytes() / drain.live(),
                        share < GAVE_BACK_BELOW ? "gave its memory back" : "kept its peak table"));
            });
            if (worstGrowing > 0) {
                line.append(String.format(Locale.ROOT, "; worst write while growing %.3f ms", LeakDemo.millis(worstGrowing)));
            }
            line.append(missing == 0 ? "; every read after the drain found its key"
                    : String.format(Locale.ROOT, "; %d READS MISSED A LIVE KEY", missing));
            lines.add(line.toString());
        }
        return lines;
    }
}
