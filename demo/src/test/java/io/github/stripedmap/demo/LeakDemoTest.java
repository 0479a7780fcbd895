package io.github.stripedmap.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.stripedmap.core.MigrationKind;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the demo with tiny sizes and checks its table, recording and reports. */
class LeakDemoTest {

    private static final int SIZE = 20_000;

    @Test
    void tinyRunWritesTheTableTheRecordingAndTheReports(@TempDir Path dir) throws Exception {
        DemoOptions options = DemoOptions.parse("--size", String.valueOf(SIZE), "--churn-seconds", "0.3",
                "--drain-seconds", "0.3", "--out", dir.toString());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<LeakDemo.Row> rows;
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            rows = LeakDemo.run(options, out);
        }
        String text = console.toString(StandardCharsets.UTF_8);

        assertThat(rows).hasSize(Phase.values().length * MapKind.values().length);
        for (LeakDemo.Row row : rows) {
            long expected = row.phase() == Phase.STEADY ? SIZE / 2 : row.phase() == Phase.DRAIN ? SIZE / 100 : SIZE;
            assertThat(row.live()).as("%s after %s", row.map(), row.phase()).isEqualTo(expected);
            assertThat(row.latency().getTotalCount()).as("timed writes of %s %s", row.map(), row.phase()).isPositive();
            assertThat(row.missingReads()).isZero();
            assertThat(row.structureBytes()).isPositive();
        }
        for (Phase phase : Phase.values()) {
            assertThat(text).containsPattern("(?m)^" + phase.label() + " +StripedMap ");
            assertThat(text).containsPattern("(?m)^" + phase.label() + " +ConcurrentHashMap ");
        }
        Map<Phase, LeakDemo.Row> striped = rows.stream().filter(r -> r.map() == MapKind.STRIPED)
                .collect(Collectors.toMap(LeakDemo.Row::phase, r -> r));
        assertThat(striped.get(Phase.STEADY).migrations().get(MigrationKind.DOUBLE)).as("doublings while growing")
                .isPositive();
        assertThat(striped.get(Phase.DRAIN).migrations().get(MigrationKind.SHRINK)).as("shrinks after the drain")
                .isPositive();
        assertThat(striped.get(Phase.DRAIN).structureBytes()).as("StripedMap gives memory back")
                .isLessThan(striped.get(Phase.BATCH).structureBytes() / 10);
        assertThat(text).contains("JOL check").contains("jmc -open").contains("jfr print --events io.github.stripedmap.Growth");

        Path recording = dir.resolve(LeakDemo.RECORDING);
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        Map<String, Long> byType = events.stream()
                .collect(Collectors.groupingBy(e -> e.getEventType().getName(), Collectors.counting()));
        assertThat(byType).containsKeys("io.github.stripedmap.Growth", "io.github.stripedmap.Cleanup",
                "io.github.stripedmap.Statistics", "io.github.stripedmap.demo.Phase");
        assertThat(events.stream().filter(e -> e.getEventType().getName().equals("io.github.stripedmap.Statistics"))
                .map(e -> e.getString("mapName")).distinct().toList())
                .contains("demo-StripedMap", "demo-ConcurrentHashMap");

        String html = Files.readString(dir.resolve(LeakDemo.HTML));
        assertThat(html).contains("demo-StripedMap").contains("demo-ConcurrentHashMap").contains("<svg");
        assertThat(Files.readString(dir.resolve(LeakDemo.TABLE))).contains("StripedMap").contains("ConcurrentHashMap");
        assertThat(Files.size(dir.resolve(LeakDemo.REPORT))).isPositive();
    }

    @Test
    void badFlagsAreRefusedWithAReason() {
        assertThatThrownBy(() -> DemoOptions.parse("--size", "ten")).hasMessageContaining("--size needs a whole number");
        assertThatThrownBy(() -> DemoOptions.parse("--size", "5")).hasMessageContaining("between");
        assertThatThrownBy(() -> DemoOptions.parse("--phases", "grow")).hasMessageContaining("unknown phase: grow");
        assertThatThrownBy(() -> DemoOptions.parse("--maps", "hashmap")).hasMessageContaining("unknown map");
        assertThatThrownBy(() -> DemoOptions.parse("--threads")).hasMessageContaining("--threads needs a value");
        assertThatThrownBy(() -> DemoOptions.parse("--bogus", "1")).hasMessageContaining("unknown flag: --bogus");
        assertThatThrownBy(() -> DemoOptions.parse("--churn-seconds", "-1")).hasMessageContaining("between 0 and 3600");
    }

    @Test
    void flagsAreParsed() throws Exception {
        DemoOptions o = DemoOptions.parse("--size", "1_000", "--threads", "2", "--phases", "drain,steady",
                "--maps", "chm", "--out", "x");
        assertThat(o.size()).isEqualTo(1000);
        assertThat(o.threads()).isEqualTo(2);
        assertThat(o.phases()).containsExactly(Phase.STEADY, Phase.DRAIN);
        assertThat(o.maps()).containsExactly(MapKind.CHM);
        assertThat(o.out()).isEqualTo(Path.of("x"));
    }
}
