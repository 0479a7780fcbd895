package io.github.stripedmap.tracing;

import io.github.stripedmap.tracing.report.RecordingReport;

import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.github.stripedmap.tracing.Recordings.of;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Putting the tracing jar on the class path is enough": an application that never mentions tracing,
 * started with {@code -XX:StartFlightRecording:settings=default,settings=stripedmap.jfc}, records our
 * events; the recording reads back (also one made by another JDK version) and the report describes it.
 */
class ChildJvmTest {

    private static final Path DIR = Recordings.tempDir("child");

    @Test
    void classPathAloneTracesAnApplicationAndTheReportDescribesIt() throws Exception {
        Path jfr = runWorkload(Path.of(System.getProperty("java.home")), "current");
        List<RecordedEvent> all = Recordings.events(jfr);
        checkRecording(all);

        StringWriter text = new StringWriter();
        Path html = DIR.resolve("report.html");
        RecordingReport.run(jfr, html, false, new PrintWriter(text));
        String report = text.toString();
        String growing = section(report, "growing");
        String cache = section(report, "cache");
        assertThat(growing).startsWith("== growing (StripedMap #").contains("8 stripes").contains("[ONLY GROWS]")
                .contains("DOUBLE").contains("LOAD").contains("statistics").doesNotContain("SHRINK");
        assertThat(cache).doesNotContain("[ONLY GROWS]").contains("SHRINK").contains("UNDERLOAD")
                .contains("MIGRATION");
        assertThat(section(report, "BucketMap-")).contains("[ONLY GROWS]");
        assertThat(report).contains("2 map(s) only grow");
        // size of "growing" from first to last sample, as the recording says
        List<RecordedEvent> stats = of(all, StatisticsEvent.NAME, "growing");
        assertThat(growing).contains("  size       " + String.format(java.util.Locale.ROOT, "%,d",
                stats.get(0).getLong("size")) + " -> " + String.format(java.util.Locale.ROOT, "%,d",
                stats.get(stats.size() - 1).getLong("size")));

        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<h2 id=\"map-").contains("only grows")
                .contains("<polyline").contains("SHRINK stripe");
        assertThat(count(page, "<svg ")).as("the all-maps chart, then one chart per map").isEqualTo(1 + 3);
        assertThat(page.indexOf("<svg ")).isEqualTo(page.indexOf("<svg id=\"all-maps-chart\""));
        assertThat(page).doesNotContain("http:").doesNotContain("https:").doesNotContain("<script")
                .doesNotContain("src=").doesNotContain("<link");
    }

    @Test
    void recordingMadeByAnotherJdkVersionReadsAndReports() throws Exception {
        Optional<Path> other = otherJdk();
        Assumptions.assumeTrue(other.isPresent(), "no second JDK installed under /usr/lib/jvm");
        Path jfr = runWorkload(other.get(), "other");
        checkRecording(Recordings.events(jfr));
        StringWriter text = new StringWriter();
        RecordingReport.run(jfr, null, false, new PrintWriter(text));
        assertThat(section(text.toString(), "growing")).contains("[ONLY GROWS]").contains("DOUBLE");
    }

    @Test
    void theSystemPropertyTurnsAutomaticTracingOff() throws Exception {
        Path jfr = runWorkload(Path.of(System.getProperty("java.home")), "disabled",
                "-Dio.github.stripedmap.tracing=false");
        List<RecordedEvent> all = Recordings.events(jfr);
        assertThat(all).noneMatch(e -> e.getEventType().getName().startsWith("io.github.stripedmap."));
        assertThat(all).anyMatch(e -> e.getEventType().getName().startsWith("jdk."));
    }

    private static void checkRecording(List<RecordedEvent> all) {
        List<RecordedEvent> growths = of(all, GrowthEvent.NAME, "growing");
        assertThat(growths).isNotEmpty().allMatch(g -> "DOUBLE".equals(g.getString("kind")));
        assertThat(of(all, EvacuationEvent.NAME, "growing")).as("off in the shipped settings").isEmpty();
        assertThat(of(all, GrowthEvent.NAME, "cache")).anyMatch(g -> "SHRINK".equals(g.getString("kind")));
        List<RecordedEvent> stats = of(all, StatisticsEvent.NAME, "growing");
        assertThat(stats.size()).isGreaterThanOrEqualTo(3);
        for (int i = 1; i < stats.size(); i++) {
            assertThat(stats.get(i).getLong("size")).isGreaterThanOrEqualTo(stats.get(i - 1).getLong("size"));
        }
        assertThat(all).anyMatch(e -> e.getEventType().getName().startsWith("jdk.")); // default.jfc merged in
    }

    /** Runs {@link Workload} in a child JVM with the shipped settings (Statistics every 200 ms). */
    private static Path runWorkload(Path javaHome, String label, String... jvmFlags)
            throws IOException, InterruptedException {
        Path jfc = DIR.resolve("stripedmap-" + label + ".jfc");
        String settings = StripedMapTracing.settingsText()
                .replace("<setting name=\"period\">5 s</setting>", "<setting name=\"period\">200 ms</setting>");
        assertThat(settings).contains("200 ms");
        Files.writeString(jfc, settings, StandardCharsets.UTF_8);
        Path jfr = DIR.resolve("workload-" + label + ".jfr");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin").resolve("java").toString(),
                "-Xmx256m", "-XX:StartFlightRecording:settings=default,settings=" + jfc.toAbsolutePath()
                        + ",filename=" + jfr.toAbsolutePath()));
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", classPath, Workload.class.getName(), "1500"));
        Path out = DIR.resolve("workload-" + label + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("workload done");
        assertThat(jfr).exists();
        return jfr;
    }

    /** A JDK under /usr/lib/jvm (or $STRIPEDMAP_OTHER_JDK) whose major version differs from this one's. */
    private static Optional<Path> otherJdk() throws IOException {
        String env = System.getenv("STRIPEDMAP_OTHER_JDK");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env));
        }
        int mine = Runtime.version().feature();
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && Files.exists(d.resolve("release")))
                    .filter(d -> major(d) > 0 && major(d) != mine && major(d) >= 17)
                    .sorted().findFirst();
        }
    }

    private static int major(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The text report's section about one map (from its "== name" line to the next section). */
    private static String section(String report, String map) {
        int start = report.indexOf("== " + map);
        assertThat(start).as("section for " + map + " in\n" + report).isNotNegative();
        int end = report.indexOf("\n== ", start + 1);
        return report.substring(start, end < 0 ? report.length() : end);
    }

    private static int count(String s, String what) {
        return s.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    static List<String> lines(String s) {
        return s.lines().collect(Collectors.toList());
    }
}
