package io.github.stripedmap.tracing;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * slf4j lines (slf4j-simple, configured by surefire to DEBUG for our logger, into target/tracing-test.log)
 * are written by the logging thread, never by the thread that holds a stripe lock.
 */
class AsyncLogTest {

    /** A key whose hash code is shared by every instance: hash flooding in one object. */
    record Colliding(int id) {
        @Override
        public int hashCode() {
            return 42;
        }
    }

    @Test
    void migrationsAreLoggedAtDebugAndLongChainsWarnedFromTheLoggingThread() throws IOException {
        AsyncLog async = Tracing.get().log;
        long droppedBefore = async.dropped(); // other tests may have overflowed the queue on purpose
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/tracing-test.log"));
        StripedMap<Integer, Integer> map = StripedMap.builder().name("logged").stripes(1).build();
        for (int i = 0; i < 1000; i++) {
            map.put(i, i);
        }
        BucketMap<Colliding, Integer> flooded = StripedMapTracing.trace(new BucketMap<>(), "flooded");
        for (int i = 0; i < 300; i++) {
            flooded.put(new Colliding(i), i);
        }
        StripedMap<String, Integer> stringFlood = StripedMap.builder().name("string-flooded").build();
        for (int i = 0; i < 4096; i++) { // 4096 distinct strings with one hash code: "Aa" and "BB" collide
            StringBuilder key = new StringBuilder();
            for (int b = 0; b < 12; b++) {
                key.append((i >>> b & 1) == 0 ? "Aa" : "BB");
            }
            stringFlood.put(key.toString(), i);
        }
        assertThat(stringFlood.statistics().collisionTreeEntries()).isPositive();
        assertThat(async.debugEnabled()).isTrue();
        assertThat(async.awaitDrained(10_000)).isTrue();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("map logged") || l.contains("map flooded") || l.contains("map string-flooded"))
                .collect(Collectors.toList());
        assertThat(lines).anyMatch(l -> l.contains("DEBUG") && l.contains("map logged (#")
                && l.contains("DOUBLE migration started (LOAD)"));
        assertThat(lines).anyMatch(l -> l.contains("DEBUG") && l.contains("map logged (#")
                && l.contains("DOUBLE migration 64 -> 128 buckets finished"));
        List<String> warnings = lines.stream().filter(l -> l.contains("WARN") && l.contains("map flooded"))
                .collect(Collectors.toList());
        assertThat(warnings).hasSize(1); // rate-limited: one per map per minute
        assertThat(warnings.get(0)).contains("hash flooding");
        // ordered keys go to the collision tree: that is warned about (once: rate-limited)
        assertThat(lines.stream().filter(l -> l.contains("WARN") && l.contains("map string-flooded")))
                .singleElement().asString().contains("collision tree").contains("hash flooding");
        assertThat(lines).allMatch(l -> l.contains("[stripedmap-tracing-log]"));
        assertThat(async.dropped()).isEqualTo(droppedBefore);
    }
}
