package io.github.stripedmap.tracing.report;

import io.github.stripedmap.tracing.report.RecordingModel.Cleanup;
import io.github.stripedmap.tracing.report.RecordingModel.MapData;
import io.github.stripedmap.tracing.report.RecordingModel.Migration;
import io.github.stripedmap.tracing.report.RecordingModel.Sample;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The plain-text report: per map, statistics from first to last sample, migration timeline, cleanups. */
final class TextReport {

    /** Timeline rows shown per map unless all are asked for: the first and last half of this. */
    static final int TIMELINE_ROWS = 40;

    private final RecordingModel model;
    private final boolean all;

    TextReport(RecordingModel model, boolean all) {
        this.model = model;
        this.all = all;
    }

    void write(String source, PrintWriter out) {
        out.println("stripedmap recording report: " + source);
        if (model.events() == 0) {
            out.println("no stripedmap events (was the tracing jar on the class path, and were the events enabled?)");
            return;
        }
        double span = seconds(model.first(), model.last());
        out.println(Format.count(model.events()) + " events from " + model.first() + " to " + model.last() + " ("
                + Format.seconds(span) + "), " + model.maps().size() + " maps; times below are seconds from "
                + model.first());
        long flagged = model.maps().stream().filter(MapData::onlyGrows).count();
        if (flagged > 0) {
            out.println(flagged + " map(s) only grow: marked [ONLY GROWS]");
        }
        writePhases(out);
        for (MapData m : model.maps()) {
            out.println();
            writeMap(m, out);
        }
        out.flush();
    }

    /** The workload's phases, one line per map: name, start and duration of each. */
    private void writePhases(PrintWriter out) {
        if (model.phases().isEmpty()) {
            return;
        }
        Map<String, StringBuilder> byMap = new LinkedHashMap<>();
        for (RecordingModel.Phase p : model.phases()) {
            StringBuilder line = byMap.computeIfAbsent(p.map(), k -> new StringBuilder());
            line.append(line.length() == 0 ? "" : ", ").append(p.label()).append(" +")
                    .append(Format.seconds(seconds(model.first(), p.start()))).append(" (")
                    .append(Format.duration(p.duration())).append(')');
        }
        out.println("phases       " + model.phases().size() + " (" + RecordingModel.PHASE + " events)");
        byMap.forEach((map, line) -> out.println("  " + map + ": " + line));
    }

    private void writeMap(MapData m, PrintWriter out) {
        out.println("== " + m.name() + " (" + (m.kind().isEmpty() ? "map" : m.kind()) + " #" + m.id()
                + (m.stripes() > 0 ? ", " + m.stripes() + " stripes" : "") + ")" + (m.onlyGrows() ? " [ONLY GROWS]" : ""));
        writeStatistics(m, out);
        writeMigrations(m, out);
        writeCleanups(m, out);
        if (m.evacuations() > 0) {
            out.println("evacuations  " + Format.count(m.evacuations()) + " steps recorded, "
                    + Format.count(m.evacuatedEntries()) + " entries moved");
        }
    }

    private void writeStatistics(MapData m, PrintWriter out) {
        List<Sample> samples = m.samples();
        if (samples.isEmpty()) {
            out.println("statistics   no samples");
            return;
        }
        Sample a = samples.get(0);
        Sample b = samples.get(samples.size() - 1);
        double span = seconds(a.time(), b.time());
        out.println("statistics   " + samples.size() + " samples over " + Format.seconds(span) + " (+"
                + Format.seconds(seconds(model.first(), a.time())) + " to +" + Format.seconds(seconds(model.first(), b.time()))
                + ")");
        out.println("  size       " + Format.count(a.size()) + " -> " + Format.count(b.size())
                + (span > 0 ? "  (" + Format.rate((b.size() - a.size()) / span) + ")" : "")
                + "  peak " + Format.count(samples.stream().mapToLong(Sample::size).max().orElse(0)));
        out.println("  bytes      " + Format.bytes(a.estimatedBytes()) + " -> " + Format.bytes(b.estimatedBytes())
                + (span > 0 ? "  (" + (b.estimatedBytes() >= a.estimatedBytes() ? "+" : "-")
                + Format.bytes(Math.abs(b.estimatedBytes() - a.estimatedBytes()) / span) + "/s)" : "")
                + "  peak " + Format.bytes(samples.stream().mapToLong(Sample::estimatedBytes).max().orElse(0)));
        out.println("  last       buckets " + Format.count(b.buckets()) + ", overflow buckets "
                + Format.count(b.overflowBuckets()) + ", load " + Format.decimal(b.load())
                + (b.migrating() ? ", migration in progress" : ""));
    }

    private void writeMigrations(MapData m, PrintWriter out) {
        List<Migration> list = m.migrations();
        if (list.isEmpty()) {
            out.println("migrations   none recorded");
            return;
        }
        Map<String, Integer> byKind = new TreeMap<>();
        Duration longest = null;
        long released = 0;
        for (Migration g : list) {
            byKind.merge(g.kind(), 1, Integer::sum);
            if (g.longestStep() != null && (longest == null || g.longestStep().compareTo(longest) > 0)) {
                longest = g.longestStep();
            }
            released += g.releasedBytes();
        }
        out.println("migrations   " + list.size() + " " + byKind + ", longest step " + Format.duration(longest)
                + ", old arrays released " + Format.bytes(released));
        out.println(String.format(Locale.ROOT, "  %10s %6s %-9s %-23s %10s %7s %7s %9s %7s  %s", "start", "stripe",
                "kind", "buckets", "duration", "steps", "writes", "longest", "largest", "trigger"));
        int n = list.size();
        int half = TIMELINE_ROWS / 2;
        for (int i = 0; i < n; i++) {
            if (!all && n > TIMELINE_ROWS && i == half) {
                out.println("  ... " + (n - 2 * half) + " more (--all shows every migration) ...");
                i = n - half - 1;
                continue;
            }
            Migration g = list.get(i);
            out.println(String.format(Locale.ROOT, "  %10s %6d %-9s %-23s %10s %7d %7d %9s %7d  %s%s",
                    "+" + Format.seconds(seconds(model.first(), g.start())), g.stripe(), g.kind(),
                    Format.count(g.oldBuckets()) + " -> " + Format.count(g.newBuckets()), Format.duration(g.duration()),
                    g.steps(), g.writes(), Format.duration(g.longestStep()), g.largestStep(), g.trigger(),
                    g.completed() ? "" : " (cut short)"));
        }
    }

    private static void writeCleanups(MapData m, PrintWriter out) {
        if (m.cleanups().isEmpty()) {
            out.println("cleanups     none recorded");
            return;
        }
        Map<String, long[]> byReason = new TreeMap<>();
        for (Cleanup c : m.cleanups()) {
            long[] acc = byReason.computeIfAbsent(c.reason(), r -> new long[3]);
            acc[0]++;
            acc[1] += c.releasedBytes();
            acc[2] += c.entriesRemoved();
        }
        StringBuilder sb = new StringBuilder();
        byReason.forEach((reason, acc) -> {
            sb.append(sb.length() == 0 ? "" : "; ").append(reason).append(' ').append(acc[0]).append("x ")
                    .append(Format.bytes(acc[1]));
            if (acc[2] > 0) {
                sb.append(", ").append(Format.count(acc[2])).append(" entries removed");
            }
        });
        out.println("cleanups     " + m.cleanups().size() + ", released " + Format.bytes(m.releasedBytes()) + ": " + sb);
    }

    static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
