package io.github.stripedmap.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The concurrent-map and hash-flooding tools on tiny sizes (seconds); the real runs are in scripts/. */
class ConcurrentToolsSmokeTest {

    private static PrintStream sink(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void collidingStringsAreDistinctWithOneHashCode() {
        String[] s = Keys.collidingStrings(100_000);
        assertEquals(100_000, new HashSet<>(List.of(s)).size());
        int h = s[0].hashCode();
        for (String x : s) {
            assertEquals(h, x.hashCode(), x);
            assertEquals(34, x.length(), x);
        }
        assertEquals("Aa".hashCode(), "BB".hashCode());
        // past 2^17 strings a block more, still one hash code
        String[] more = Keys.collidingStrings((1 << 17) + 3);
        assertEquals(more.length, new HashSet<>(List.of(more)).size());
        for (String x : more) {
            assertEquals(more[0].hashCode(), x.hashCode());
        }
    }

    @Test
    void floodCasesGiveDistinctKeysWithTheAdvertisedHashBits() {
        int n = 100_000;
        for (String kase : HashFlood.CASES) {
            Object[][] k = HashFlood.keys(kase, n);
            Set<Object> distinct = new HashSet<>(List.of(k[0]));
            assertEquals(n, distinct.size(), kase);
            assertEquals(distinct, new HashSet<>(List.of(k[1])), kase + ": lookups are the same keys");
            for (int i = 0; i < n; i++) {
                assertTrue(k[0][i] != k[1][i], "lookup keys are copies");
            }
            if (kase.equals("high-bits")) {
                for (Object o : k[0]) {
                    assertEquals(0, o.hashCode() & 0x7FFF, kase);
                }
            }
            if (kase.equals("low-bits")) {
                for (Object o : k[0]) {
                    assertEquals(0x2AAA0000, o.hashCode() & ~0x1FFFF, kase);
                }
            }
        }
    }

    @Test
    void floodRoundStopsAtItsBudget() {
        HashFlood.Round done = HashFlood.round(MapImpl.StripedMap, "collide", 500, 1, 60_000_000_000L);
        assertTrue(done.complete(), done.toString());
        assertEquals(500, done.inserted());
        HashFlood.Round cut = HashFlood.round(MapImpl.BucketMap, "collide", 5_000, 1, 0);
        assertFalse(cut.complete(), cut.toString());
        assertEquals(64, cut.inserted());
        assertTrue(cut.extrapolatedInsertNanos() > cut.insertNanos());
    }

    @Test
    void hashFloodForksOneJvmPerMapAndReportsRatios() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<HashFlood.Round> rounds = HashFlood.run(
                List.of(MapImpl.ConcurrentHashMap, MapImpl.StripedMap, MapImpl.NonBlockingHashMap),
                List.of("collide", "sequential", "high-bits"), 2_000, 400, 1, 30, "-Xmx256m -XX:+UseSerialGC",
                sink(out));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(rounds.stream().anyMatch(r -> r.impl().equals("NonBlockingHashMap") && r.count() == 200), s);
        assertTrue(s.contains("| StripedMap | 2,000 |"), s);
        assertTrue(s.contains("| NonBlockingHashMap (extrapolated) | 2,000 |"), s);
        assertTrue(s.contains("high-bits (vs sequential)"), s);
    }

    @Test
    void putLatencyWithTwoThreads(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<PutLatency.Result> results = PutLatency.run(List.of(MapImpl.StripedMap, MapImpl.ConcurrentHashMap),
                20_000, 1, "-Xmx128m -XX:+UseSerialGC", 5_000, 1, dir, "wall", 2, sink(out));
        assertEquals(2, results.size());
        for (PutLatency.Result r : results) {
            assertTrue(r.p50() > 0 && r.p50() <= r.max(), r.toString());
        }
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("2 threads grow"), s);
        assertTrue(s.contains("ratio of max, StripedMap / ConcurrentHashMap"), s);
        assertTrue(Files.exists(dir.resolve("gc-StripedMap-t2-run1.log")));
    }

    @Test
    void footprintAgainstConcurrentHashMap() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Footprint.Row> rows = Footprint.run(List.of(MapImpl.StripedMap, MapImpl.ConcurrentHashMap),
                List.of(0, 1000), "ConcurrentHashMap", sink(out));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("| vs ConcurrentHashMap |"), s);
        assertTrue(rows.stream().anyMatch(r -> r.map().equals("StripedMap after trimToSize()")), s);
    }

    @Test
    void jmhConcurrentBenchmarksWereGenerated() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertNotNull(in, "JMH annotation processor did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String b : List.of("getHit", "getMiss", "putOverwrite", "mix90get10write", "computeIfAbsentPresent")) {
                assertTrue(list.contains("ConcurrentMapBenchmark_" + b + "_jmhTest"), b);
            }
            assertTrue(list.contains("ConcurrentGrowBenchmark_fill_jmhTest"));
        }
    }

    @Test
    void ratioSummaryTakesMediansPerThreadCount(@TempDir Path dir) throws Exception {
        String head = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
                + "\"Param: impl\",\"Param: keyType\",\"Param: size\"\n";
        double[][] scores = {{10, 20, 40}, {12, 18, 30}, {30, 19, 35}};
        Path[] files = new Path[6];
        for (int i = 0; i < 3; i++) {
            for (int t = 1; t <= 2; t++) {
                Path f = dir.resolve("run-" + i + "-t" + t + ".csv");
                files[2 * i + t - 1] = f;
                StringBuilder sb = new StringBuilder(head);
                String[] impls = {"StripedMap", "ConcurrentHashMap", "NonBlockingHashMap"};
                for (int k = 0; k < 3; k++) {
                    sb.append("\"x.ConcurrentMapBenchmark.getHit\",\"avgt\",").append(t).append(",3,")
                            .append(scores[i][k] * t).append(",0.1,\"ns/op\",").append(impls[k])
                            .append(",Integer,1000000\n");
                }
                Files.writeString(f, sb.toString());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<RatioSummary.Key, Map<String, Double>> med = RatioSummary.summarize(List.of(files), "StripedMap",
                List.of("ConcurrentHashMap", "NonBlockingHashMap"), sink(out));
        String s = out.toString(StandardCharsets.UTF_8);
        assertEquals(2, med.size(), s);
        assertTrue(s.contains("| getHit | Integer | 1,000,000 | 1 | 12.0 ns/op (10.0–30.0) | 19.0 ns/op (18.0–20.0)"
                + " | 35.0 ns/op (30.0–40.0) | **1.58** | **2.92** |"), s);
        assertTrue(s.contains("| getHit | Integer | 1,000,000 | 2 | 24.0 ns/op"), s);
    }
}
