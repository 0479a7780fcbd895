package io.github.stripedmap.tracing;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;

import java.util.Map;

/**
 * A small application that knows nothing about tracing, run in a child JVM by {@link ChildJvmTest}
 * with only the class path and {@code -XX:StartFlightRecording}: a map that only grows, a cache that
 * fills and is then mostly emptied, and an unnamed {@code BucketMap}.
 */
public final class Workload {

    private Workload() { }

    public static void main(String[] args) throws InterruptedException {
        long millis = args.length > 0 ? Long.parseLong(args[0]) : 1500;
        StripedMap<Integer, String> growing = StripedMap.builder().name("growing").stripes(8).build();
        StripedMap<Integer, String> cache = StripedMap.builder().name("cache").stripes(8).build();
        Map<Integer, Integer> plain = new BucketMap<>();
        int rounds = 15;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 2_000; i++) {
                int k = round * 2_000 + i;
                growing.put(k, "v" + k);
                plain.put(k, k);
                if (round < rounds / 2) {
                    cache.put(k, "c" + k);
                } else {
                    cache.remove(k - (rounds / 2) * 2_000);
                }
            }
            Thread.sleep(millis / rounds);
        }
        System.out.println("workload done: growing=" + growing.size() + " cache=" + cache.size() + " plain="
                + plain.size());
    }
}
