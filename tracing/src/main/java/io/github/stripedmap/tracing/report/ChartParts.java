package io.github.stripedmap.tracing.report;

import io.github.stripedmap.tracing.report.RecordingModel.MapData;
import io.github.stripedmap.tracing.report.RecordingModel.Migration;
import io.github.stripedmap.tracing.report.RecordingModel.Phase;
import io.github.stripedmap.tracing.report.RecordingModel.Sample;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Turns parts of a {@link RecordingModel} into {@link TimeChart} parts: a map's samples into series,
 * its migrations into a lane with one row per kind, the workload's phases into shaded spans; and the
 * colours and words they are drawn with. Shared by the all-maps chart and the per-map charts.
 */
final class ChartParts {

    /** Migration kinds as the Growth event names them, in the order of the lane rows. */
    static final List<String> KINDS = List.of("DOUBLE", "SAME_SIZE", "SHRINK");
    /** Map kinds whose growths are Growth events; any other kind was only watched (statistics). */
    private static final List<String> TRACED_KINDS = List.of("StripedMap", "BucketMap");
    /** Line colours of the maps, in order (Okabe-Ito: told apart with most colour-vision deficiencies). */
    private static final List<String> MAP_COLORS = List.of("#0072b2", "#e69f00", "#56b4e9", "#cc79a7", "#444444",
            "#999999", "#8c564b", "#f0e442");
    private static final String OTHER_PHASE_COLOR = "#888888";

    private ChartParts() { }

    /**
     * @param index the map's place in the chart
     * @return its line colour (the palette repeats after eight maps)
     */
    static String mapColor(int index) {
        return MAP_COLORS.get(Math.floorMod(index, MAP_COLORS.size()));
    }

    /**
     * @param kind a Growth event's kind
     * @return the colour of its marks
     */
    static String kindColor(String kind) {
        return switch (kind) {
            case "DOUBLE" -> "#009e73";
            case "SAME_SIZE" -> "#7b3294";
            case "SHRINK" -> "#d55e00";
            default -> "#666666";
        };
    }

    /**
     * @param kind a Growth event's kind
     * @return what the legend calls it
     */
    static String kindLabel(String kind) {
        return switch (kind) {
            case "DOUBLE" -> "doubling";
            case "SAME_SIZE" -> "same-size rebuild";
            case "SHRINK" -> "shrink";
            default -> kind.toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The short label of a lane row (it has to fit left of the plot). */
    private static String rowLabel(String kind) {
        return "SAME_SIZE".equals(kind) ? "same-size" : kindLabel(kind);
    }

    /**
     * The time axis's caption.
     *
     * @param t0 the start of the time axis
     * @return "seconds since" it, to the millisecond
     */
    static String timeTitle(Instant t0) {
        return "seconds since " + t0.truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * A map whose kind is not one of ours was only watched: its size and bytes are sampled but its resizes
     * happen inside it, unseen (a {@code ConcurrentHashMap} reports none).
     *
     * @param m a map
     * @return true if its resizes would be Growth events in the recording
     */
    static boolean migrationsObservable(MapData m) {
        return !m.migrations().isEmpty() || TRACED_KINDS.contains(m.kind());
    }

    /**
     * @param m a map
     * @return its legend entry: name, kind, stripes, and whether its resizes can be seen
     */
    static String describe(MapData m) {
        String kind = m.kind().isEmpty() ? "map" : m.kind();
        if (!migrationsObservable(m)) {
            return m.name() + " (" + kind + ": resizes not observable)";
        }
        return m.name() + " (" + kind + (m.stripes() > 1 ? ", " + m.stripes() + " stripes" : "") + ")";
    }

    /**
     * @param m     a map
     * @param t0    the start of the time axis
     * @param color line colour
     * @return its size over time
     */
    static TimeChart.Series size(MapData m, Instant t0, String color) {
        return series(m, t0, color, Sample::size, s -> Format.count(s.size()) + " entries");
    }

    /**
     * @param m     a map
     * @param t0    the start of the time axis
     * @param color line colour
     * @return its estimated bytes over time
     */
    static TimeChart.Series bytes(MapData m, Instant t0, String color) {
        return series(m, t0, color, Sample::estimatedBytes, s -> Format.bytes(s.estimatedBytes()));
    }

    private static TimeChart.Series series(MapData m, Instant t0, String color, ToLongFunction<Sample> value,
                                           Function<Sample, String> what) {
        List<Sample> samples = m.samples();
        double[] times = new double[samples.size()];
        double[] values = new double[samples.size()];
        List<String> tips = new ArrayList<>(samples.size());
        for (int i = 0; i < times.length; i++) {
            Sample s = samples.get(i);
            times[i] = TextReport.seconds(t0, s.time());
            values[i] = value.applyAsLong(s);
            tips.add(m.name() + ": " + what.apply(s) + " at +" + Format.seconds(times[i])
                    + (s.migrating() ? " (migrating)" : ""));
        }
        return new TimeChart.Series(m.name(), color, times, values, tips);
    }

    /**
     * A map's migrations as a lane: a row per kind (doubling, same-size rebuild, shrink, then any other
     * kind seen), one mark per Growth event from its start to its end; or, for a map whose resizes cannot
     * be seen, a lane that says so.
     *
     * @param m  a map
     * @param t0 the start of the time axis
     * @return its lane
     */
    static TimeChart.Lane migrationLane(MapData m, Instant t0) {
        if (!migrationsObservable(m)) {
            return new TimeChart.Lane(m.name(), m.name() + ": resizes not observable (a " + m.kind()
                    + " reports no migrations, only its size and bytes)", List.of());
        }
        List<Migration> migrations = m.migrations();
        if (migrations.isEmpty()) {
            return new TimeChart.Lane(m.name(), m.name() + ": no migrations recorded", List.of());
        }
        Map<String, List<TimeChart.Mark>> byKind = new LinkedHashMap<>();
        KINDS.forEach(k -> byKind.put(k, new ArrayList<>()));
        for (Migration g : migrations) {
            double from = TextReport.seconds(t0, g.start());
            double to = from + seconds(g.duration());
            byKind.computeIfAbsent(g.kind(), k -> new ArrayList<>()).add(new TimeChart.Mark(from, to, tip(g, from)));
        }
        // a map's stripes migrate at about the same time: fainter marks per stripe, so overlaps add up
        double opacity = Math.max(0.12, Math.min(0.8, 0.8 / Math.sqrt(Math.max(1, m.stripes()))));
        List<TimeChart.Row> rows = new ArrayList<>();
        StringBuilder counts = new StringBuilder();
        byKind.forEach((kind, marks) -> {
            rows.add(new TimeChart.Row(kind, rowLabel(kind), kindColor(kind), opacity, marks));
            if (!marks.isEmpty()) {
                counts.append(counts.length() == 0 ? "" : ", ").append(Format.count(marks.size())).append(' ')
                        .append(kindLabel(kind));
            }
        });
        return new TimeChart.Lane(m.name(), m.name() + " migrations: " + Format.count(migrations.size()) + " ("
                + counts + ")", rows);
    }

    private static String tip(Migration g, double from) {
        return g.kind() + " stripe " + g.stripe() + ": " + Format.count(g.oldBuckets()) + " -> "
                + Format.count(g.newBuckets()) + " buckets at +" + Format.seconds(from) + ", "
                + Format.duration(g.duration()) + ", " + g.steps() + " steps, " + g.writes() + " writes, trigger "
                + g.trigger() + (g.completed() ? "" : " (cut short)");
    }

    /**
     * The workload's phases as shaded spans, tinted with the colour of the map they ran on (grey for a map
     * not in the chart), consecutive phases of a map alternately lighter and darker.
     *
     * @param phases   the phases, in start order
     * @param t0       the start of the time axis
     * @param colorOf  a map name's line colour, or null if it has none
     * @return the spans
     */
    static List<TimeChart.Span> phaseSpans(List<Phase> phases, Instant t0, Function<String, String> colorOf) {
        List<TimeChart.Span> spans = new ArrayList<>(phases.size());
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Phase p : phases) {
            int n = seen.merge(p.map(), 1, Integer::sum);
            String color = colorOf.apply(p.map());
            double from = TextReport.seconds(t0, p.start());
            double to = from + seconds(p.duration());
            spans.add(new TimeChart.Span(from, to, p.label(), color == null ? OTHER_PHASE_COLOR : color,
                    n % 2 == 1 ? 0.08 : 0.15, "phase " + p.label() + " on " + p.map() + ": +" + Format.seconds(from)
                    + " to +" + Format.seconds(to) + ", " + Format.count(p.writes()) + " writes, "
                    + Format.count(p.entries()) + " entries at its end"));
        }
        return spans;
    }

    /**
     * Starts the second legend line: the migration kinds and the phases' shading.
     *
     * @param chart      the chart
     * @param kinds      whether to list the migration kinds
     * @param phaseLabel the phases' legend entry, or null if there are none
     */
    static void secondLegendLine(TimeChart chart, boolean kinds, String phaseLabel) {
        chart.legendBreak();
        if (kinds) {
            for (String kind : KINDS) {
                chart.legend(new TimeChart.LegendItem(false, kindColor(kind), kindLabel(kind)));
            }
        }
        if (phaseLabel != null) {
            chart.legend(new TimeChart.LegendItem(false, "#d8d8d8", phaseLabel));
        }
    }

    private static double seconds(Duration d) {
        return d == null ? 0 : d.toNanos() / 1e9;
    }
}
