package io.github.stripedmap.tracing;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;
import io.github.stripedmap.core.spi.MapTracing;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cost of tracing on a put-heavy workload: {@code put} of new keys into a map growing from empty to
 * {@code size} (replaced by a fresh one every {@code size} puts; 16K stays in the CPU caches, 1M does not), so every growth, evacuation step and
 * cleanup of the map's tables is in the score. The same benchmark is run by
 * {@code tracing/bench-overhead.sh} in three set-ups that differ only in the class path and JVM flags:
 * without the tracing classes, with them but no recording, and with a recording using the shipped
 * settings. It does not mention tracing itself (only to print whether it is attached).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
@State(Scope.Thread)
public class TracingOverheadBenchmark {

    @Param({"StripedMap", "BucketMap"})
    public String impl;

    @Param({"16384", "1000000"})
    public int size;

    private Integer[] keys;
    private Map<Integer, Integer> map;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        keys = new Integer[size];
        for (int i = 0; i < size; i++) {
            keys[i] = random.nextInt();
        }
        map = newMap();
        System.out.println("[tracing attached: " + MapTracing.enabled() + "]");
    }

    private Map<Integer, Integer> newMap() {
        return "StripedMap".equals(impl) ? new StripedMap<>() : new BucketMap<>();
    }

    @Benchmark
    public Integer putNew() {
        if (next == size) {
            map = newMap();
            next = 0;
        }
        Integer k = keys[next++];
        return map.put(k, k);
    }
}
