package io.github.stripedmap.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tools run end to end on tiny sizes (a few seconds in all); the real runs are in scripts/. */
class ToolsSmokeTest {

    private static final List<MapImpl> IMPLS = List.of(MapImpl.HashMap, MapImpl.BucketMap);

    private static PrintStream sink(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void everyImplementationIsAWorkingMap() {
        for (MapImpl impl : MapImpl.values()) {
            for (Map<Object, Object> m : List.<Map<Object, Object>>of(impl.create(), impl.create(64))) {
                Object[] keys = Keys.keys(Keys.KeyType.String, 0, 1000);
                for (Object k : keys) {
                    m.put(k, k);
                }
                assertEquals(1000, m.size(), impl.name());
                assertEquals(keys[7], m.get(Keys.copyOf(keys[7])), impl.name());
                assertEquals(null, m.get(Keys.key(Keys.KeyType.String, 5000)), impl.name());
            }
        }
        assertEquals(MapImpl.BucketMap, MapImpl.of("bucketmap"));
    }

    @Test
    void keysAreDistinct() {
        Object[] keys = Keys.keys(Keys.KeyType.Integer, 0, 100_000);
        assertEquals(keys.length, new java.util.HashSet<>(List.of(keys)).size());
        Object[] strings = Keys.keys(Keys.KeyType.String, 0, 100_000);
        assertEquals(strings.length, new java.util.HashSet<>(List.of(strings)).size());
    }

    @Test
    void jmhBenchmarksWereGenerated() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertNotNull(in, "JMH annotation processor did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String b : List.of("getHit", "getMiss", "putNew", "putOverwrite", "removeReinsert", "iterate")) {
                assertTrue(list.contains("MapBenchmark_" + b + "_jmhTest"), b);
            }
        }
    }

    @Test
    void footprint() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Footprint.Row> rows = Footprint.run(IMPLS, List.of(0, 1000), sink(out));
        assertTrue(rows.size() >= 4, rows.toString());
        for (Footprint.Row r : rows) {
            assertTrue(r.structureBytes() > 0, r.toString());
            if (r.map().equals("HashMap") && r.entries() == 1000) {
                // 1000 nodes of 32 bytes + a table of 2048 references (compressed oops) + the map itself
                assertTrue(r.perEntry() > 32 && r.perEntry() < 50, r.toString());
            }
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("| BucketMap | 1,000 |"));
    }

    @Test
    void retainedBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<RetainedBytes.Row> rows = RetainedBytes.run(IMPLS, 5000, 99, 5000, sink(out));
        assertEquals(2, rows.size());
        for (RetainedBytes.Row r : rows) {
            assertEquals(50, r.sizeAfterDeletes(), r.toString());
            assertTrue(r.peak() > 0 && r.afterDeletes() > 0 && r.afterWrites() > 0, r.toString());
        }
        assertTrue(rows.get(1).afterWritesTrim() > 0, rows.get(1).toString());
    }

    @Test
    void putLatencyForksOneJvmPerMap(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<PutLatency.Result> results = PutLatency.run(IMPLS, 20_000, 1, "-Xmx128m -XX:+UseSerialGC",
                5_000, 1, dir, sink(out));
        assertEquals(2, results.size());
        for (PutLatency.Result r : results) {
            assertTrue(r.p50() > 0 && r.p50() <= r.max(), r.toString());
        }
        assertTrue(Files.exists(dir.resolve("gc-BucketMap-run1.log")));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("ratio of max, BucketMap / HashMap"));
    }

    @Test
    void jmhSummaryTakesMedians(@TempDir Path dir) throws Exception {
        String head = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
                + "\"Param: impl\",\"Param: keyType\",\"Param: size\"\n";
        Path[] runs = new Path[3];
        double[][] scores = {{10, 20}, {12, 18}, {30, 19}};
        for (int i = 0; i < 3; i++) {
            runs[i] = dir.resolve("run-" + i + ".csv");
            Files.writeString(runs[i], head
                    + "\"x.MapBenchmark.getHit\",\"avgt\",1,5," + scores[i][0] + ",0.1,\"ns/op\",HashMap,Integer,1000\n"
                    + "\"x.MapBenchmark.getHit\",\"avgt\",1,5," + scores[i][1] + ",0.1,\"ns/op\",BucketMap,Integer,1000\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JmhSummary.summarize(List.of(runs), sink(out));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("| getHit | Integer | 1000 | 12.0 (10.0–30.0) | 19.0 (18.0–20.0) | 0.63 |"), s);
    }
}
