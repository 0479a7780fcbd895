package io.github.stripedmap.demo;

import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.tracing.StripedMapTracing;
import io.github.stripedmap.tracing.report.RecordingReport;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.HdrHistogram.Histogram;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The main job: the classic map-leak experiment run on {@code StripedMap} and
 * {@code ConcurrentHashMap} side by side, recorded with JDK Flight Recorder.
 *
 * <p>For each map, one after the other in the same JVM (so one map's garbage never sits in the
 * other's numbers): steady growth, batch growth, churn with expiry, drain. After each phase it
 * measures live entries, bytes of the map's structure, heap after a full GC, the write latency
 * distribution and (for {@code StripedMap}) the migrations started. Then it dumps the recording, runs
 * the recording report on it (text, HTML, and the all-maps chart as an SVG file), and prints what the
 * numbers show.
 */
public final class LeakDemo {

    /** The recording's file name. */
    public static final String RECORDING = "stripedmap-demo.jfr";
    /** The HTML report's file name. */
    public static final String HTML = "stripedmap-demo.html";
    /** The all-maps chart's file name (the chart the HTML report opens with, as an SVG file of its own). */
    public static final String CHART = "stripedmap-demo-chart.svg";
    /** The text report's file name. */
    public static final String REPORT = "stripedmap-report.txt";
    /** The side-by-side table's file name. */
    public static final String TABLE = "stripedmap-summary.txt";
    /** Statistics sampling period in the recording, fine enough for a chart of a one-minute run. */
    private static final Duration STATISTICS_PERIOD = Duration.ofMillis(200);
    /** Warm-up size: enough for the JIT to compile every path of both maps before measuring. */
    private static final int WARMUP_SIZE = 200_000;
    /** Warm-up phase length in seconds. */
    private static final double WARMUP_SECONDS = 0.3;
    /** Full GCs before reading the heap, so that what is measured is live. */
    private static final int GCS_PER_MEASURE = 2;
    /** Bytes per mebibyte. */
    private static final double MIB = 1024.0 * 1024.0;
    /** Nanoseconds per millisecond. */
    private static final double NANOS_PER_MILLI = 1e6;

    private LeakDemo() { }

    /** What was measured after one phase on one map. */
    record Row(MapKind map, Phase phase, long live, long structureBytes, long heapBytes, Histogram latency,
               Map<MigrationKind, Integer> migrations, long missingReads, double seconds) { }

    /**
     * Runs the demo.
     *
     * @param args flags (see {@link DemoOptions#USAGE})
     * @throws Exception if the demo cannot run
     */
    public static void main(String[] args) throws Exception {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (DemoOptions.UsageException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("demo: " + e.getMessage());
            }
            System.err.println(DemoOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        run(options, System.out);
    }

    /**
     * Runs the experiment and writes its files.
     *
     * @param options the flags
     * @param out     where the progress, table and findings go
     * @return the rows measured
     * @throws Exception if a phase fails or a file cannot be written
     */
    public static List<Row> run(DemoOptions options, PrintStream out) throws Exception {
        Files.createDirectories(options.out());
        if (!StripedMapTracing.isAvailable()) {
            out.println("note: JDK Flight Recorder is not available here: the recording will lack stripedmap events");
        }
        out.printf(Locale.ROOT, "stripedmap demo: %,d live entries, %d thread(s), phases %s, maps %s%n",
                options.size(), options.threads(), options.phases(), options.maps());
        warmUp(options, out);
        // the warm-up maps are garbage, but tracing holds maps weakly and would report them until a GC runs:
        // collect them now, so that the recording has only the measured maps
        heapAfterGc();
        List<Row> rows = new ArrayList<>();
        Path recordingFile = options.out().resolve(RECORDING).toAbsolutePath();
        try (Recording recording = startRecording()) {
            for (MapKind kind : options.maps()) {
                rows.addAll(runMap(kind, options, out, true));
            }
            recording.stop();
            recording.dump(recordingFile);
        }
        String table = Summary.table(rows);
        out.println();
        out.print(table);
        out.println();
        List<String> findings = Summary.findings(rows);
        findings.forEach(out::println);
        Files.writeString(options.out().resolve(TABLE), table + "\n" + String.join("\n", findings) + "\n",
                StandardCharsets.UTF_8);
        Path html = options.out().resolve(HTML).toAbsolutePath();
        Path report = options.out().resolve(REPORT).toAbsolutePath();
        Path chart = options.out().resolve(CHART).toAbsolutePath();
        StringWriter text = new StringWriter();
        try (PrintWriter writer = new PrintWriter(text)) {
            RecordingReport.run(recordingFile, html, chart, false, writer);
        }
        Files.writeString(report, text.toString(), StandardCharsets.UTF_8);
        out.println();
        out.println("recording:   " + recordingFile);
        out.println("HTML report: " + html + "   (both maps' size and bytes over time on one chart, phases and"
                + " migrations marked; then a chart per map)");
        out.println("chart alone: " + chart);
        out.println("text report: " + report);
        out.println("open it in Mission Control:  jmc -open " + recordingFile);
        out.println("print its growth events:     jfr print --events io.github.stripedmap.Growth " + recordingFile);
        return rows;
    }

    private static void warmUp(DemoOptions options, PrintStream out) throws InterruptedException {
        out.print("warming up the JIT on both maps ...");
        out.flush();
        DemoOptions small = new DemoOptions(Math.min(options.size(), WARMUP_SIZE), options.threads(), options.phases(),
                WARMUP_SECONDS, WARMUP_SECONDS, options.out(), options.maps());
        for (MapKind kind : options.maps()) {
            runMap(kind, small, null, false);
        }
        out.println(" done");
    }

    private static Recording startRecording() throws IOException, ParseException {
        Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("default").getSettings());
        settings.putAll(StripedMapTracing.settings().getSettings());
        Recording recording = new Recording(settings);
        recording.setName("stripedmap-demo");
        recording.enable("io.github.stripedmap.Statistics").withPeriod(STATISTICS_PERIOD);
        recording.enable(PhaseEvent.class);
        recording.start();
        return recording;
    }

    private static List<Row> runMap(MapKind kind, DemoOptions options, PrintStream out, boolean measure)
            throws InterruptedException {
        long baseline = measure ? heapAfterGc() : 0;
        DemoMap demoMap = DemoMap.create(kind);
        Workload workload = new Workload(demoMap.map, options.size(), options.threads());
        List<Row> rows = new ArrayList<>();
        Map<MigrationKind, Integer> before = new EnumMap<>(MigrationKind.class);
        before.putAll(demoMap.migrations());
        boolean jolChecked = false;
        for (Phase phase : options.phases()) {
            if (out != null) {
                out.printf(Locale.ROOT, "  %-18s %-7s %-24s ...", kind.title(), phase.label(), phase.operation());
                out.flush();
            }
            double seconds = phase == Phase.CHURN ? options.churnSeconds() : options.drainSeconds();
            PhaseEvent event = new PhaseEvent();
            event.begin();
            Workload.Run run = workload.run(phase, options.phases().contains(Phase.BATCH), seconds);
            event.end();
            long live = workload.live();
            if (demoMap.map.size() != live) {
                throw new IllegalStateException(kind.title() + " holds " + demoMap.map.size() + " entries after "
                        + phase.label() + ", expected " + live);
            }
            if (event.shouldCommit()) {
                event.map = demoMap instanceof DemoMap.Striped ? "demo-StripedMap" : "demo-ConcurrentHashMap";
                event.phase = phase.label();
                event.writes = run.writes();
                event.entries = live;
                event.commit();
            }
            if (!measure) {
                continue;
            }
            Map<MigrationKind, Integer> now = demoMap.migrations();
            Map<MigrationKind, Integer> delta = new EnumMap<>(MigrationKind.class);
            now.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0)));
            before.putAll(now);
            long heap = heapAfterGc() - baseline;
            long structure = demoMap.structureBytes();
            rows.add(new Row(kind, phase, live, structure, heap, run.latency(), delta, run.missingReads(), run.seconds()));
            if (out != null) {
                out.printf(Locale.ROOT, " %6.2f s, %,d entries, %.1f MiB structure%n", run.seconds(), live,
                        structure / MIB);
                if (!jolChecked) {
                    jolChecked = true;
                    out.println("    " + jolCrossCheck(demoMap));
                }
            }
        }
        return rows;
    }

    /**
     * Compares the structure estimate with JOL's walk of the map minus its keys (the values are the
     * same objects). A traced map references the tracer (and through it JFR's internals), so the walk
     * is done on an untraced copy with the same entries, whose own estimate is compared.
     */
    private static String jolCrossCheck(DemoMap demoMap) {
        DemoMap twin = demoMap.untracedCopy();
        long live = twin.map.size();
        long jol = GraphLayout.parseInstance(twin.map).totalSize()
                - live * VM.current().sizeOf(Long.valueOf(Long.MAX_VALUE));
        long estimate = twin.structureBytes();
        return String.format(Locale.ROOT, "JOL check (untraced copy): structure %,d B by JOL, %,d B estimated (%+.1f%%)",
                jol, estimate, jol == 0 ? 0.0 : 100.0 * (estimate - jol) / jol);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < GCS_PER_MEASURE; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static double millis(long nanos) {
        return nanos / NANOS_PER_MILLI;
    }

    static double mebibytes(long bytes) {
        return bytes / MIB;
    }
}
