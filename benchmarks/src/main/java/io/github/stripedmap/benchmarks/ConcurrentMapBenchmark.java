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
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The concurrent maps side by side on one shared map: {@code StripedMap}, {@code ConcurrentHashMap} and JCTools'
 * {@code NonBlockingHashMap}, at 1 thread (the annotation) and 2 threads ({@code -t 2}, see
 * {@code scripts/bench-concurrent.sh}). Scores are average time per operation per thread (ns/op): with two
 * threads each operation's time includes whatever the other thread's work costs it.
 *
 * <ul>
 *   <li>{@code getHit}: {@code get} of a present key (an equal copy, not the inserted instance), shuffled order;
 *       each thread starts at another offset.</li>
 *   <li>{@code getHitSameKey}: the same lookups with the inserted key instances themselves (as with interned
 *       strings, enum constants, cached boxes or keys held by the caller), so {@code ==} settles the hit.</li>
 *   <li>{@code getMiss}: {@code get} of a key known to be absent.</li>
 *   <li>{@code getHitSameKeyPadded} (a diagnostic): {@code getHitSameKey} plus {@code chains} short xorshift
 *       chains of arithmetic that depend only on the loop index, not on the lookup: instructions that occupy the
 *       processor's reorder window without lengthening any lookup's chain of dependent cache misses. How much
 *       they cost at 1M entries shows how far the throughput is bound by the instructions per lookup (how many
 *       lookups' misses the processor can keep in flight at once) rather than by the misses themselves.</li>
 *   <li>{@code putOverwrite}: {@code put} of a present key (equal copy) with another value.</li>
 *   <li>{@code mix90get10write}: of every 10 operations 9 are {@code get} hits and one is a write; the writes
 *       alternate between {@code put} of a key of the thread's own absent range and {@code remove} of that key
 *       again, so the map stays at {@code size} (5% put-new, 5% remove).</li>
 *   <li>{@code computeIfAbsentPresent}: {@code computeIfAbsent} of a present key (the function never runs).</li>
 * </ul>
 *
 * The map is shared by the threads ({@code Scope.Benchmark}), filled by {@code put} from the default constructor
 * (the state real code leaves it in). Growing a map from empty is {@link ConcurrentGrowBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch"})
@Threads(1)
public class ConcurrentMapBenchmark {

    /** Seeds each padding chain from the loop index (2^64 / golden ratio: consecutive indexes look unrelated). */
    private static final long PAD_MULTIPLIER = 0x9E3779B97F4A7C15L;
    /** Marsaglia's xorshift64 shifts (13, 7, 17): arithmetic C2 cannot fold away. */
    private static final int PAD_SHIFT_A = 13;
    private static final int PAD_SHIFT_B = 7;
    private static final int PAD_SHIFT_C = 17;
    /** Never called on a present key; a static final function so that no benchmark allocates a lambda. */
    private static final Function<Object, Object> NEVER = k -> {
        throw new AssertionError("computeIfAbsent called the function for a present key " + k);
    };

    /** The shared filled map and the key arrays (read-only after set-up). */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"StripedMap", "ConcurrentHashMap", "NonBlockingHashMap"})
        public String impl;

        @Param({"Integer", "String"})
        public String keyType;

        @Param({"1000000"})
        public int size;

        Map<Object, Object> map;
        Object[] hitKeys;
        /** The inserted key instances themselves, in the same shuffled order as {@link #hitKeys}. */
        Object[] storedKeys;
        Object[] missKeys;
        Object[] newValues;
        /** Keys absent from the map at set-up that the mix's writes put and remove; split between threads. */
        Object[] churnKeys;

        @Setup(Level.Trial)
        public void setUp() {
            Keys.KeyType type = Keys.KeyType.valueOf(keyType);
            Object[] keys = Keys.keys(type, 0, size);
            Object[] values = new Object[size];
            for (int i = 0; i < size; i++) {
                values[i] = Keys.mix(~i);
            }
            MapImpl mapImpl = MapImpl.of(impl);
            map = mapImpl.create();
            for (int i = 0; i < size; i++) {
                map.put(keys[i], values[i]);
            }
            if (map.size() != size) {
                throw new IllegalStateException(impl + " has " + map.size() + " entries after " + size + " puts");
            }
            hitKeys = new Object[size];
            for (int i = 0; i < size; i++) {
                hitKeys[i] = Keys.copyOf(keys[i]);
            }
            Keys.shuffle(hitKeys, 42);
            storedKeys = keys.clone();
            Keys.shuffle(storedKeys, 42);
            missKeys = Keys.keys(type, size, size);
            Keys.shuffle(missKeys, 43);
            newValues = new Object[size];
            for (int i = 0; i < size; i++) {
                newValues[i] = Keys.mix(i ^ 0x5555_5555);
            }
            churnKeys = Keys.keys(type, 2 * size, 1 << 16);
            String stats = mapImpl.describe(map);
            if (!stats.isEmpty()) {
                System.out.println(System.lineSeparator() + "filled " + impl + ": " + stats);
            }
        }
    }

    /** The amount of independent arithmetic {@link #getHitSameKeyPadded} adds to each lookup. */
    @State(Scope.Thread)
    public static class Padding {
        /** Xorshift chains per operation (about 14 instructions each). */
        @Param({"0", "4"})
        public int chains;
    }

    /** One thread's position: threads walk the same shuffled arrays from different offsets. */
    @State(Scope.Thread)
    public static class Cursor {
        int index;
        int size;
        int op;
        /** This thread's share of {@link Shared#churnKeys}: {@code [churnFrom, churnFrom + churnCount)}. */
        int churnFrom;
        int churnCount;
        int churn;

        @Setup(Level.Trial)
        public void setUp(Shared s, ThreadParams threads) {
            size = s.size;
            int t = threads.getThreadIndex();
            int n = threads.getThreadCount();
            index = (int) ((long) size * t / n);
            churnCount = s.churnKeys.length / n;
            churnFrom = churnCount * t;
        }

        int next() {
            int i = index + 1;
            if (i == size) {
                i = 0;
            }
            index = i;
            return i;
        }
    }

    @Benchmark
    public Object getHit(Shared s, Cursor c) {
        return s.map.get(s.hitKeys[c.next()]);
    }

    @Benchmark
    public Object getHitSameKey(Shared s, Cursor c) {
        return s.map.get(s.storedKeys[c.next()]);
    }

    @Benchmark
    public long getHitSameKeyPadded(Shared s, Cursor c, Padding p, Blackhole bh) {
        int i = c.next();
        bh.consume(s.map.get(s.storedKeys[i]));
        long sum = 0;
        for (int j = 0; j < p.chains; j++) {
            long x = i * PAD_MULTIPLIER + j;
            x ^= x << PAD_SHIFT_A;
            x ^= x >>> PAD_SHIFT_B;
            x ^= x << PAD_SHIFT_C;
            x ^= x << PAD_SHIFT_A;
            x ^= x >>> PAD_SHIFT_B;
            x ^= x << PAD_SHIFT_C;
            sum += x;
        }
        return sum;
    }

    @Benchmark
    public Object getMiss(Shared s, Cursor c) {
        return s.map.get(s.missKeys[c.next()]);
    }

    @Benchmark
    public Object putOverwrite(Shared s, Cursor c) {
        int i = c.next();
        return s.map.put(s.hitKeys[i], s.newValues[i]);
    }

    @Benchmark
    public Object mix90get10write(Shared s, Cursor c) {
        int op = c.op + 1;
        if (op == 10) {
            op = 0;
        }
        c.op = op;
        if (op != 9) {
            return s.map.get(s.hitKeys[c.next()]);
        }
        // the write: put of a churn key, and next time remove of the same key
        int w = c.churn++;
        Object key = s.churnKeys[c.churnFrom + ((w >>> 1) % c.churnCount)];
        if ((w & 1) == 0) {
            return s.map.put(key, s.newValues[c.index]);
        }
        return s.map.remove(key);
    }

    @Benchmark
    public Object computeIfAbsentPresent(Shared s, Cursor c) {
        return s.map.computeIfAbsent(s.hitKeys[c.next()], NEVER);
    }
}
