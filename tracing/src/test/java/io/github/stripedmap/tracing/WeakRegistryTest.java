package io.github.stripedmap.tracing;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tracing must never keep a map alive. */
class WeakRegistryTest {

    @Test
    void thousandsOfDroppedMapsAreCollectedAndLeaveTheRegistry() throws InterruptedException {
        assertThat(StripedMapTracing.isAutomatic()).as("the provider is found on the class path").isTrue();
        List<Map<Integer, Integer>> kept = new ArrayList<>();
        List<WeakReference<Object>> dropped = new ArrayList<>();
        int before = StripedMapTracing.liveMaps();
        for (int i = 0; i < 5_000; i++) {
            Map<Integer, Integer> map = i % 2 == 0 ? new BucketMap<>() : StripedMap.builder().stripes(4).build();
            for (int k = 0; k < 100; k++) { // enough to migrate: the tables hold their tracers
                map.put(k, k);
            }
            if (i % 1000 == 0) {
                kept.add(map);
            } else {
                dropped.add(new WeakReference<>(map));
            }
        }
        assertThat(StripedMapTracing.liveMaps()).isGreaterThanOrEqualTo(before + kept.size());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (dropped.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(dropped).allMatch(r -> r.get() == null);
        // the registry forgets collected maps (its reference queue is polled on each use)
        while (StripedMapTracing.liveMaps() > before + kept.size() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(StripedMapTracing.liveMaps()).isLessThanOrEqualTo(before + kept.size());
        for (Map<Integer, Integer> map : kept) {
            assertThat(StripedMapTracing.identityOf(map)).isPresent();
            assertThat(map).hasSize(100);
        }
    }
}
