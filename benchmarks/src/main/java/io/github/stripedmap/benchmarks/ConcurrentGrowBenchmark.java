package io.github.stripedmap.benchmarks;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Insert into a growing shared map: every iteration starts from a fresh empty map (default constructor) and the
 * threads together {@code put} {@code size} distinct keys into it, thread {@code t} of {@code n} taking keys
 * {@code t, t+n, t+2n, ...} (so all threads grow the same map at the same time, resizes/migrations and their
 * garbage included). Single-shot: the score is the time of one thread's share of one whole fill, in ms; with
 * {@code n} threads that is the wall time of the fill (both shares run at once), so scores of 1 and 2 threads
 * compare directly (lower = the map was filled sooner). Run with {@code -t 2} for two threads.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch"})
@Threads(1)
public class ConcurrentGrowBenchmark {

    /** The map being grown (fresh every iteration) and the keys. */
    @State(Scope.Benchmark)
    public static class Growing {
        @Param({"StripedMap", "ConcurrentHashMap", "NonBlockingHashMap"})
        public String impl;

        @Param({"Integer", "String"})
        public String keyType;

        @Param({"1000000"})
        public int size;

        MapImpl factory;
        Object[] keys;
        Object[] values;
        volatile Map<Object, Object> map;

        @Setup(Level.Trial)
        public void setUp() {
            factory = MapImpl.of(impl);
            keys = Keys.keys(Keys.KeyType.valueOf(keyType), 0, size);
            values = new Object[size];
            for (int i = 0; i < size; i++) {
                values[i] = Keys.mix(~i);
            }
        }

        @Setup(Level.Iteration)
        public void freshMap() {
            Map<Object, Object> old = map;
            if (old != null && old.size() != size) {
                throw new IllegalStateException(impl + " has " + old.size() + " entries after a fill of " + size);
            }
            map = factory.create();
        }
    }

    /** This thread's place in the key order. */
    @State(Scope.Thread)
    public static class Share {
        int first;
        int step;

        @Setup(Level.Trial)
        public void setUp(ThreadParams threads) {
            first = threads.getThreadIndex();
            step = threads.getThreadCount();
        }
    }

    @Benchmark
    public Object fill(Growing g, Share share) {
        Map<Object, Object> m = g.map;
        Object[] keys = g.keys;
        Object[] values = g.values;
        Object last = null;
        for (int i = share.first; i < keys.length; i += share.step) {
            last = m.put(keys[i], values[i]);
        }
        return last;
    }
}
