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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Single-threaded map operations, every implementation in the same run. Scores are average time per
 * operation (ns/op); for {@code iterate} one operation is a walk over all {@code size} entries.
 *
 * <ul>
 *   <li>{@code getHit}: {@code get} of a present key (an equal copy, not the inserted instance), keys in a
 *       shuffled order different from insertion order.</li>
 *   <li>{@code getHitSameKey}: the same lookups with the inserted key instances themselves (as with interned
 *       strings, enum constants, cached boxes or keys held by the caller), so {@code ==} settles the hit and
 *       no key is compared by {@code equals}.</li>
 *   <li>{@code getMiss}: {@code get} of a key known to be absent.</li>
 *   <li>{@code putNew}: {@code put} of a new key into a map growing from empty (default constructor) to
 *       {@code size}; the map is replaced by a fresh empty one inside the measured method every {@code size}
 *       puts (one constructor call), so the score is the amortised cost of a put over a whole growth,
 *       resizes/migrations and the garbage they make included.</li>
 *   <li>{@code putOverwrite}: {@code put} of a present key (equal copy) with another value (allocated after
 *       the map was filled).</li>
 *   <li>{@code removeReinsert}: {@code remove} of a present key followed by {@code put} of it again, so the
 *       map stays at {@code size} (steady state); the score is the cost of the pair.</li>
 *   <li>{@code iterate}: a full {@code entrySet()} walk summing key and value hash codes.</li>
 * </ul>
 *
 * Maps for the read/overwrite/remove benchmarks are filled by {@code put} from the default constructor,
 * so they are in the state real code leaves them in (a progressive-migration map may still be migrating).
 * To add an implementation: one name in {@link Config#impl}'s list (it must exist in {@link MapImpl}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch"})
public class MapBenchmark {

    /** Parameters shared by all states. */
    @State(Scope.Thread)
    public abstract static class Config {
        @Param({"HashMap", "BucketMap"})
        public String impl;

        @Param({"Integer", "String"})
        public String keyType;

        @Param({"1000", "100000", "1000000"})
        public int size;

        MapImpl mapImpl() {
            return MapImpl.of(impl);
        }

        Keys.KeyType type() {
            return Keys.KeyType.valueOf(keyType);
        }
    }

    /** A map filled with {@code size} entries, lookup keys for hits and misses. */
    @State(Scope.Thread)
    public static class Filled extends Config {
        Map<Object, Object> map;
        Object[] hitKeys;
        /** The inserted key instances themselves, in the same shuffled order as {@link #hitKeys}. */
        Object[] storedKeys;
        Object[] missKeys;
        Object[] newValues;
        int index;

        @Setup(Level.Trial)
        public void setUp() {
            // Keys, then values, then the map: a HashMap's nodes are not interleaved with the values in
            // memory (which would let G1's write barrier skip same-region stores for HashMap only).
            Object[] keys = Keys.keys(type(), 0, size);
            Object[] values = new Object[size];
            for (int i = 0; i < size; i++) {
                values[i] = Keys.mix(~i);
            }
            map = mapImpl().create();
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
            missKeys = Keys.keys(type(), size, size);
            Keys.shuffle(missKeys, 43);
            // values for putOverwrite, allocated after the map like values a real overwrite brings
            newValues = new Object[size];
            for (int i = 0; i < size; i++) {
                newValues[i] = Keys.mix(i ^ 0x5555_5555);
            }
            String stats = mapImpl().describe(map);
            if (!stats.isEmpty()) {
                System.out.println(System.lineSeparator() + "filled " + impl + ": " + stats);
            }
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

    /** Keys for a map that grows from empty to {@code size}, again and again. */
    @State(Scope.Thread)
    public static class Growing extends Config {
        MapImpl factory;
        Map<Object, Object> map;
        Object[] keys;
        Object[] values;
        int index;

        @Setup(Level.Trial)
        public void setUp() {
            factory = mapImpl();
            keys = Keys.keys(type(), 0, size);
            values = new Object[size];
            for (int i = 0; i < size; i++) {
                values[i] = Keys.mix(~i);
            }
        }

        @Setup(Level.Iteration)
        public void freshMap() {
            map = factory.create();
            index = 0;
        }
    }

    @Benchmark
    public Object getHit(Filled s) {
        return s.map.get(s.hitKeys[s.next()]);
    }

    @Benchmark
    public Object getHitSameKey(Filled s) {
        return s.map.get(s.storedKeys[s.next()]);
    }

    @Benchmark
    public Object getMiss(Filled s) {
        return s.map.get(s.missKeys[s.next()]);
    }

    @Benchmark
    public Object putOverwrite(Filled s) {
        int i = s.next();
        return s.map.put(s.hitKeys[i], s.newValues[i]);
    }

    @Benchmark
    public Object removeReinsert(Filled s) {
        Object k = s.hitKeys[s.next()];
        Object v = s.map.remove(k);
        s.map.put(k, v);
        return v;
    }

    @Benchmark
    public int iterate(Filled s) {
        int h = 0;
        for (Map.Entry<Object, Object> e : s.map.entrySet()) {
            h += e.getKey().hashCode() + e.getValue().hashCode();
        }
        return h;
    }

    @Benchmark
    public Object putNew(Growing s) {
        int i = s.index;
        if (i == s.size) {
            s.map = s.factory.create();
            i = 0;
        }
        s.index = i + 1;
        return s.map.put(s.keys[i], s.values[i]);
    }
}
