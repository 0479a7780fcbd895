package io.github.stripedmap.tracing.report;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.tracing.StripedMapTracing;

import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The report's all-maps chart, checked against the recording it was drawn from: a traced
 * {@code StripedMap} that grows then shrinks and a watched {@code ConcurrentHashMap}, each in phases
 * marked with the demo's phase event, recorded in this JVM and read back with {@code jdk.jfr.consumer}.
 */
class CombinedChartTest {

    private static final String GROWTH = "io.github.stripedmap.Growth";
    private static final String STATISTICS = "io.github.stripedmap.Statistics";
    private static final String STRIPED = "alpha";
    private static final String CHM = "beta";
    private static final int STRIPED_PEAK = 60_000;
    private static final int CHM_PEAK = 30_000;

    @TempDir
    static Path dir;
    static Path jfr;
    static List<RecordedEvent> events;
    static String page;
    static String chartFile;

    /** The demo's phase event (same name and fields), so the report sees phases as it would in the demo's recording. */
    @Name("io.github.stripedmap.demo.Phase")
    @Label("Demo Phase")
    @StackTrace(false)
    static final class PhaseEvent extends jdk.jfr.Event {
        @Label("Map")
        String map;
        @Label("Phase")
        String phase;
        @Label("Writes")
        long writes;
        @Label("Live Entries")
        long entries;
    }

    @BeforeAll
    static void recordTwoMapsAndReport() throws Exception {
        StripedMapTracing.isAvailable(); // registers the events and the periodic hook before the recording
        jfr = dir.resolve("two-maps.jfr");
        try (Recording r = new Recording(StripedMapTracing.settings())) {
            r.enable(GROWTH).with("minimumBuckets", "0");
            r.enable("io.github.stripedmap.Cleanup").with("minimumReleased", "0");
            r.enable(STATISTICS).withPeriod(Duration.ofMillis(50));
            r.enable(PhaseEvent.class);
            r.start();
            StripedMap<Integer, Integer> striped = StripedMapTracing.build(StripedMap.builder().stripes(4), STRIPED);
            phase(STRIPED, "fill", () -> {
                for (int i = 0; i < STRIPED_PEAK; i++) {
                    striped.put(i, i);
                }
                return (long) STRIPED_PEAK;
            }, striped::size);
            Thread.sleep(300);
            phase(STRIPED, "drain", () -> {
                for (int i = 0; i < STRIPED_PEAK - 600; i++) {
                    striped.remove(i);
                }
                for (int round = 0; round < 20; round++) { // writes drive the progressive shrinks to their end
                    for (int i = STRIPED_PEAK - 600; i < STRIPED_PEAK; i++) {
                        striped.put(i, round);
                    }
                }
                return (long) STRIPED_PEAK - 600 + 20 * 600;
            }, striped::size);
            Thread.sleep(300);
            ConcurrentHashMap<Integer, Integer> chm = new ConcurrentHashMap<>();
            assertThat(StripedMapTracing.watch(chm, CHM, "ConcurrentHashMap", m -> new TableStatistics(m.size(), 0, 0,
                    null, 1.0, 0, 64L + 40L * m.size()))).isTrue();
            phase(CHM, "fill", () -> {
                for (int i = 0; i < CHM_PEAK; i++) {
                    chm.put(i, i);
                }
                return (long) CHM_PEAK;
            }, chm::size);
            Thread.sleep(300);
            r.stop();
            r.dump(jfr);
            assertThat(striped.size() + chm.size()).isEqualTo(600 + CHM_PEAK); // both alive to the end
        }
        events = RecordingFile.readAllEvents(jfr);
        Path html = dir.resolve("report.html");
        Path svg = dir.resolve("chart.svg");
        StringWriter text = new StringWriter();
        RecordingReport.run(jfr, html, svg, false, new PrintWriter(text));
        assertThat(text.toString()).contains("HTML report: " + html).contains("SVG chart: " + svg)
                .contains("phases       3 (io.github.stripedmap.demo.Phase events)");
        page = Files.readString(html, StandardCharsets.UTF_8);
        chartFile = Files.readString(svg, StandardCharsets.UTF_8);
    }

    private interface Work {
        long run();
    }

    private static void phase(String map, String name, Work work, IntSupplier size) {
        PhaseEvent e = new PhaseEvent();
        e.begin();
        long writes = work.run();
        e.end();
        e.map = map;
        e.phase = name;
        e.writes = writes;
        e.entries = size.getAsInt();
        e.commit();
    }

    private static List<RecordedEvent> of(String type, String map) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type))
                .filter(e -> map.equals(e.getString("mapName")))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime)).toList();
    }

    @Test
    void theAllMapsChartComesFirstAndIsTheStandaloneFile() {
        int first = page.indexOf("<svg ");
        assertThat(page.substring(first)).startsWith("<svg id=\"" + CombinedChart.ID + "\"");
        assertThat(page.indexOf("<svg ")).isLessThan(page.indexOf("<h2 id=\"map-0\""));
        assertThat(page.split("id=\"" + CombinedChart.ID + "\"", -1)).hasSize(2);
        assertThat(chartFile).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + CombinedChart.ID + "\"");
        assertThat(SvgDoc.cut(page, CombinedChart.ID))
                .isEqualTo(chartFile.strip().replace(" xmlns=\"http://www.w3.org/2000/svg\"", ""));
        assertThat(page.split("<svg ", -1)).as("the all-maps chart, then one per map").hasSize(1 + 1 + 2);
        assertThat(page).doesNotContain("<script").doesNotContain("http:").doesNotContain("src=");
        assertThat(page).as("phase events are not a map").doesNotContain("== ? (");
    }

    @Test
    void oneLinePerMapInEachPanelWithAPointPerStatisticsEvent() {
        SvgDoc svg = SvgDoc.parse(chartFile);
        for (String panel : List.of("size", "bytes")) {
            assertThat(svg.all("//g[@data-panel='" + panel + "']/g[@class='series']/polyline")).hasSize(2);
            for (String map : List.of(STRIPED, CHM)) {
                Element line = svg.one("//g[@data-panel='" + panel + "']/g[@data-series='" + map + "']/polyline");
                assertThat(SvgDoc.points(line)).as(panel + " of " + map).hasSize(of(STATISTICS, map).size())
                        .hasSizeGreaterThanOrEqualTo(3);
            }
        }
        // one scale for both maps: the peaks' heights above the zero line are in the ratio of the peaks
        Element frame = svg.one("//g[@data-panel='size']/rect[@fill='none']");
        double zero = SvgDoc.num(frame, "y") + SvgDoc.num(frame, "height");
        double stripedPeak = of(STATISTICS, STRIPED).stream().mapToLong(e -> e.getLong("size")).max().orElseThrow();
        double chmPeak = of(STATISTICS, CHM).stream().mapToLong(e -> e.getLong("size")).max().orElseThrow();
        assertThat(stripedPeak).isEqualTo(STRIPED_PEAK);
        assertThat(chmPeak).isEqualTo(CHM_PEAK);
        double stripedHeight = zero - highest(svg, "size", STRIPED);
        double chmHeight = zero - highest(svg, "size", CHM);
        assertThat(stripedHeight / chmHeight).isCloseTo(stripedPeak / chmPeak, within(0.02));
        // the StripedMap's bytes end far below their peak (it shrank); its line's last point shows it
        List<double[]> bytes = SvgDoc.points(svg.one("//g[@data-panel='bytes']/g[@data-series='" + STRIPED
                + "']/polyline"));
        assertThat(bytes.get(bytes.size() - 1)[1]).isGreaterThan(highest(svg, "bytes", STRIPED) + 20);
    }

    private static double highest(SvgDoc svg, String panel, String map) {
        return SvgDoc.points(svg.one("//g[@data-panel='" + panel + "']/g[@data-series='" + map + "']/polyline"))
                .stream().mapToDouble(p -> p[1]).min().orElseThrow();
    }

    @Test
    void theLegendNamesEachMapAndSaysWhichResizesCannotBeSeen() {
        SvgDoc svg = SvgDoc.parse(chartFile);
        assertThat(svg.texts("//text[@class='legend-label']")).containsExactly(
                STRIPED + " (StripedMap, 4 stripes)", CHM + " (ConcurrentHashMap: resizes not observable)",
                "doubling", "same-size rebuild", "shrink", "workload phase (tinted by map)");
        assertThat(svg.texts("//g[@data-lane='" + CHM + "']/text")).singleElement().asString()
                .contains("resizes not observable");
        assertThat(svg.all("//g[@data-lane='" + CHM + "']//rect[@class='mark']")).isEmpty();
    }

    @Test
    void oneMigrationMarkPerGrowthEventOfTheStripedMapInTheRowOfItsKindAtItsTime() {
        List<RecordedEvent> growths = of(GROWTH, STRIPED);
        Map<String, Long> byKind = growths.stream()
                .collect(Collectors.groupingBy(e -> e.getString("kind"), Collectors.counting()));
        assertThat(byKind.get("DOUBLE")).as("doublings while filling").isGreaterThanOrEqualTo(4);
        assertThat(byKind.get("SHRINK")).as("shrinks after the drain").isGreaterThanOrEqualTo(4);
        assertThat(of(GROWTH, CHM)).isEmpty();

        SvgDoc svg = SvgDoc.parse(chartFile);
        assertThat(svg.all("//g[@data-lane='" + STRIPED + "']//rect[@class='mark']")).hasSize(growths.size());
        assertThat(svg.texts("//g[@data-lane='" + STRIPED + "']/text[@class='lane-title']")).singleElement()
                .asString().startsWith(STRIPED + " migrations: " + growths.size() + " (");
        Element frame = svg.one("//g[@data-panel='size']/rect[@fill='none']");
        double left = SvgDoc.num(frame, "x");
        double width = SvgDoc.num(frame, "width");
        Instant first = events.stream().filter(e -> e.getEventType().getName().startsWith("io.github.stripedmap."))
                .map(RecordedEvent::getStartTime).min(Comparator.naturalOrder()).orElseThrow();
        Instant last = events.stream().filter(e -> e.getEventType().getName().startsWith("io.github.stripedmap."))
                .map(RecordedEvent::getEndTime).max(Comparator.naturalOrder()).orElseThrow();
        double span = Duration.between(first, last).toNanos() / 1e9;
        for (String kind : ChartParts.KINDS) {
            List<Element> marks = svg.all("//g[@data-lane='" + STRIPED + "']/g[@data-row='" + kind
                    + "']/rect[@class='mark']");
            List<RecordedEvent> ofKind = growths.stream().filter(e -> kind.equals(e.getString("kind"))).toList();
            assertThat(marks).as(kind).hasSize(ofKind.size());
            for (int i = 0; i < marks.size(); i++) {
                double expected = left + width * Duration.between(first, ofKind.get(i).getStartTime()).toNanos() / 1e9
                        / span;
                assertThat(SvgDoc.num(marks.get(i), "x")).as(kind + " mark " + i).isCloseTo(expected, within(0.06));
                assertThat(marks.get(i).getTextContent()).startsWith(kind + " stripe "
                        + ofKind.get(i).getLong("stripe") + ": ");
            }
        }
    }

    @Test
    void thePhasesAreShadedWhereTheyRan() {
        List<RecordedEvent> phases = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.github.stripedmap.demo.Phase"))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime)).toList();
        assertThat(phases).hasSize(3);
        SvgDoc svg = SvgDoc.parse(chartFile);
        List<Element> spans = svg.all("//rect[@class='span']");
        assertThat(spans).hasSize(3);
        assertThat(svg.texts("//text[@class='span-label']")).containsExactly("fill", "drain", "fill");
        for (int i = 0; i < spans.size(); i++) {
            assertThat(spans.get(i).getTextContent()).startsWith("phase " + phases.get(i).getString("phase") + " on "
                    + phases.get(i).getString("map") + ": ");
        }
        // tinted with the colour of the map's line
        String stripedColor = svg.one("//g[@data-panel='size']/g[@data-series='" + STRIPED + "']/polyline")
                .getAttribute("stroke");
        String chmColor = svg.one("//g[@data-panel='size']/g[@data-series='" + CHM + "']/polyline")
                .getAttribute("stroke");
        assertThat(stripedColor).isNotEqualTo(chmColor);
        assertThat(spans.stream().map(s -> s.getAttribute("fill")).toList())
                .containsExactly(stripedColor, stripedColor, chmColor);
        // and in the CHM's own chart only its phase
        SvgDoc own = SvgDoc.parse(SvgDoc.cut(page, "map-chart-1"));
        assertThat(own.texts("//text[@class='span-label']")).containsExactly("fill");
    }
}
