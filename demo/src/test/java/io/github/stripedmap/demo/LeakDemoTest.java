package io.github.stripedmap.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.stripedmap.core.MigrationKind;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
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
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

/** Runs the demo with tiny sizes and checks its table, recording, reports and the chart of both maps. */
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
                .map(e -> e.getString("mapName") + "#" + e.getLong("mapId")).distinct()
                .map(name -> name.substring(0, name.indexOf('#'))).toList())
                .as("the measured maps only (the warm-up's are collected before the recording starts)")
                .containsExactlyInAnyOrder("demo-StripedMap", "demo-ConcurrentHashMap");

        String html = Files.readString(dir.resolve(LeakDemo.HTML));
        assertThat(html).contains("demo-StripedMap").contains("demo-ConcurrentHashMap").contains("<svg");
        assertThat(Files.readString(dir.resolve(LeakDemo.TABLE))).contains("StripedMap").contains("ConcurrentHashMap");
        assertThat(Files.size(dir.resolve(LeakDemo.REPORT))).isPositive();
        assertThat(text).contains("chart alone: " + dir.resolve(LeakDemo.CHART).toAbsolutePath());
        bothMapsShareOneChartWithTheirPhasesAndTheStripedMapsMigrations(html,
                Files.readString(dir.resolve(LeakDemo.CHART)), events);
    }

    /**
     * The HTML report opens with one chart of both maps (also written alone as an SVG file): a line per
     * map in the size panel and in the bytes panel, a legend entry per map, the 8 phases shaded, and one
     * mark per Growth event of the StripedMap, in the row of its kind; none for ConcurrentHashMap.
     */
    private static void bothMapsShareOneChartWithTheirPhasesAndTheStripedMapsMigrations(String html, String file,
                                                                                        List<RecordedEvent> events)
            throws Exception {
        String id = "all-maps-chart";
        int first = html.indexOf("<svg ");
        assertThat(html.indexOf("<svg id=\"" + id + "\"")).as("the combined chart comes first").isEqualTo(first);
        assertThat(html.split("<svg id=\"" + id + "\"", -1)).as("exactly one combined chart").hasSize(2);
        assertThat(html.split("<svg ", -1)).as("then one chart per map").hasSize(1 + 1 + 2);
        String inline = html.substring(first, html.indexOf("</svg>", first) + "</svg>".length());
        assertThat(file).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + id + "\"");
        assertThat(inline).isEqualTo(file.strip().replace(" xmlns=\"http://www.w3.org/2000/svg\"", ""));

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document svg = factory.newDocumentBuilder().parse(new InputSource(new StringReader(file)));
        XPath xpath = XPathFactory.newInstance().newXPath();
        for (String panel : List.of("size", "bytes")) {
            for (String map : List.of("demo-StripedMap", "demo-ConcurrentHashMap")) {
                long samples = events.stream().filter(e -> e.getEventType().getName().equals("io.github.stripedmap.Statistics"))
                        .filter(e -> map.equals(e.getString("mapName"))).count();
                String points = xpath.evaluate("//g[@data-panel='" + panel + "']/g[@data-series='" + map
                        + "']/polyline/@points", svg);
                assertThat(points.trim().split(" ")).as(panel + " line of " + map).hasSize((int) samples);
            }
            assertThat(count(xpath, svg, "//g[@data-panel='" + panel + "']//polyline")).as(panel).isEqualTo(2);
        }
        List<String> legend = texts(xpath, svg, "//text[@class='legend-label']");
        assertThat(legend).contains("demo-StripedMap (StripedMap, 64 stripes)",
                "demo-ConcurrentHashMap (ConcurrentHashMap: resizes not observable)", "doubling", "same-size rebuild",
                "shrink");

        List<RecordedEvent> phases = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.github.stripedmap.demo.Phase")).toList();
        assertThat(phases).hasSize(Phase.values().length * MapKind.values().length);
        assertThat(count(xpath, svg, "//rect[@class='span']")).isEqualTo(phases.size());

        Map<String, Long> growths = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.github.stripedmap.Growth"))
                .filter(e -> "demo-StripedMap".equals(e.getString("mapName")))
                .collect(Collectors.groupingBy(e -> e.getString("kind"), Collectors.counting()));
        assertThat(growths.values().stream().mapToLong(Long::longValue).sum()).isPositive();
        assertThat(count(xpath, svg, "//g[@data-lane='demo-StripedMap']//rect[@class='mark']"))
                .isEqualTo(growths.values().stream().mapToLong(Long::longValue).sum());
        for (String kind : List.of("DOUBLE", "SAME_SIZE", "SHRINK")) {
            assertThat(count(xpath, svg, "//g[@data-lane='demo-StripedMap']/g[@data-row='" + kind
                    + "']/rect[@class='mark']")).as(kind).isEqualTo(growths.getOrDefault(kind, 0L));
        }
        assertThat(count(xpath, svg, "//g[@data-lane='demo-ConcurrentHashMap']//rect[@class='mark']")).isZero();
        assertThat(texts(xpath, svg, "//g[@data-lane='demo-ConcurrentHashMap']/text")).singleElement().asString()
                .contains("resizes not observable");
    }

    private static long count(XPath xpath, Document doc, String expression) throws Exception {
        return ((NodeList) xpath.evaluate(expression, doc, XPathConstants.NODESET)).getLength();
    }

    private static List<String> texts(XPath xpath, Document doc, String expression) throws Exception {
        NodeList nodes = (NodeList) xpath.evaluate(expression, doc, XPathConstants.NODESET);
        List<String> list = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add(nodes.item(i).getTextContent());
        }
        return list;
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
