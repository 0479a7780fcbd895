package io.github.stripedmap.concurrent;

import io.github.stripedmap.core.BucketMap;
import io.github.stripedmap.core.BucketTable;
import io.github.stripedmap.core.TableObserver;
import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.core.spi.MapTracing;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OptionalDataException;
import java.io.Serializable;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A lock-striped {@link ConcurrentMap} on Go-runtime-style bucket tables: a drop-in replacement for
 * {@link java.util.concurrent.ConcurrentHashMap} that never stalls a write for a whole-table resize,
 * gives memory back after deletes, and reports its migrations.
 *
 * <h2>Structure</h2>
 * A power-of-two array of stripes, and beside it the array of their tables that readers use (one load
 * fewer than through the stripe, and off the lock word that writers CAS), both created by the first
 * write, as is each stripe by the first write to it (see {@link StripeArray}). A key's stripe is picked from its
 * {@code hashCode()} by a multiplicative hash with a per-map random seed, independent of the bucket
 * and tophash bits that the stripe's {@link BucketTable} derives with its own seed. Each stripe grows
 * (doubling or same-size rebuild), evacuates and shrinks on its own, progressively: a write moves at most
 * two old buckets of its stripe, so the only step whose cost grows with the map is allocating one
 * stripe's new arrays, a fraction {@code 1/stripes} of the whole.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li><b>Writers</b> take their stripe's lock for the whole operation, including a user's
 *       remapping function. Inside, the table's stores happen in short seqlock windows (see
 *       {@code MutationVersion} in map-core): the function itself runs outside any window.</li>
 *   <li><b>Readers</b> ({@code get}, {@code containsKey}, {@code getOrDefault}, iteration, {@code size})
 *       never lock: they read the stripe's table optimistically between two loads of its version and
 *       retry if a window opened meanwhile. A torn read can return garbage or throw; neither is trusted
 *       until validation succeeds, and every loop in a read is bounded. Readers wait only while a window
 *       is open (a few stores, or one bucket's evacuation), never for a remapping function; they spin
 *       briefly and then yield the processor, in case the writer was preempted inside its window.</li>
 *   <li><b>Memory ordering</b>: a stripe is published by CAS and read with acquire (see
 *       {@link StripeArray}); the table's contents are published by the release store that closes each
 *       window and observed through the acquire load that starts each read; the load-load fence before
 *       the validating load keeps the data loads inside the validated interval. So a validated read
 *       observes exactly the state after some completed write to the stripe: {@code get} is linearizable.</li>
 *   <li><b>Recursion</b>: a function that writes to its own stripe gets
 *       {@code IllegalStateException("Recursive update")} before anything is touched. As with
 *       {@code ConcurrentHashMap}, functions should not update other mappings at all; writes to other
 *       stripes work but can deadlock against another thread doing the reverse.</li>
 * </ul>
 *
 * <h2>Contract</h2>
 * As {@code ConcurrentHashMap}: null keys and values are rejected with {@code NullPointerException};
 * the atomic operations are atomic per key and apply their function at most once; an exception from a
 * function propagates and leaves the map unchanged; iterators and spliterators are weakly consistent
 * (never {@code ConcurrentModificationException}, never the same key twice in one pass, every key present
 * for the whole pass is returned); {@code size()} is exact when no writes run.
 *
 * <h2>Bad input, interrupts, failures</h2>
 * <ul>
 *   <li>An exception or error thrown by a key's {@code hashCode} or {@code equals} or by a user's
 *       function propagates; the mappings are unchanged and the stripe's lock is released (by a
 *       {@code finally}, so also for an {@code Error} that kills the thread). If it is thrown by the
 *       {@code hashCode} of another key already in the map, which a growth calls while a write moves
 *       that key, the stripe stays whole: an insert that meets the failure is not done, a removal takes
 *       effect whether or not the failure reaches its caller.</li>
 *   <li>A key whose hash code changes while it is in the map cannot be found by lookups any more, but
 *       every other key works, every operation terminates, the size stays right, iteration returns it
 *       (while its stripe is not migrating; during a migration it may be skipped, never returned twice)
 *       and its iterator's {@code remove()} removes it.</li>
 *   <li>Writes take the stripe lock uninterruptibly, as {@code ConcurrentHashMap}'s {@code synchronized}
 *       bins do: an interrupted thread's write waits for the lock, completes, and leaves the interrupt
 *       status set.</li>
 *   <li>An initial capacity is accepted up to {@code Integer.MAX_VALUE}, but each stripe is pre-sized for
 *       at most {@link #MAX_PRESIZED_STRIPE_CAPACITY} entries; stripes are allocated on their first
 *       write.</li>
 *   <li>Deserialization rejects malformed content with an {@link InvalidObjectException} (a stream cut
 *       short fails as the stream reports it, see {@code readObject}) and allocates in proportion to the
 *       entries the stream really holds.</li>
 * </ul>
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public class StripedMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, Serializable {

    private static final long serialVersionUID = 1L;

    /** Stripes per available processor in the default: writers running at once rarely meet on a stripe. */
    private static final int DEFAULT_STRIPES_PER_PROCESSOR = 4;
    /** The fewest stripes of a default map: one stripe's resize is at most 1/64 of the map. */
    private static final int MIN_DEFAULT_STRIPES = 64;
    /**
     * The most stripes of a default map: every stripe written to holds its own table, so stripes cost a small
     * map bytes (1,000 entries measure 40 B per entry in 64 stripes, 92 B in 256, 234 B in 1,024; at 1M entries
     * all of these are at or below half of {@code ConcurrentHashMap}'s, see docs/BENCHMARKS.md).
     */
    private static final int MAX_DEFAULT_STRIPES = 256;

    /**
     * Default stripes, derived from the processors available to this JVM when the class loads: four per
     * processor rounded up to a power of two, at least 64 and at most 256 (so 64 up to 16 processors).
     */
    public static final int DEFAULT_STRIPES = defaultStripes(Runtime.getRuntime().availableProcessors());
    /** Most stripes accepted: stripe index bits come from one 64-bit product. */
    public static final int MAX_STRIPES = 1 << 16;
    /**
     * Most entries one stripe is pre-sized for (the same cap as {@code BucketMap}'s, about 18 MB of first
     * array): a larger per-stripe share of the initial capacity is clamped to it, so that a mistaken or
     * hostile {@code Integer.MAX_VALUE} cannot make a write allocate gigabytes.
     */
    public static final int MAX_PRESIZED_STRIPE_CAPACITY = BucketMap.MAX_PRESIZED_CAPACITY;
    /** Entries read ahead of building a deserialised map are buffered in a list first sized for at most this. */
    private static final int STREAM_PRESIZE_LIMIT = 1 << 10;
    /**
     * A deserialised map keeps its initial capacity only up to the larger of its entries and this: a
     * forged capacity cannot make a small stream pre-size large stripes.
     */
    private static final int STREAM_FLOOR_WITHOUT_ENTRIES = 1 << 12;
    /** Fibonacci hashing multiplier (2^64 / golden ratio) for picking stripes. */
    private static final long STRIPE_SPREAD = 0x9E3779B97F4A7C15L;
    /** The stripe index comes from the product's bits above this shift (the best-mixed ones). */
    private static final int STRIPE_SHIFT = 40;
    private static final AtomicLong UNNAMED = new AtomicLong();
    /** No explicit observers (the default): a tracing provider on the class path may attach its own. */
    private static final IntFunction<TableObserver> NO_OBSERVERS = stripe -> TableObserver.NONE;

    private final String name;
    private final int stripeCount;
    private final int initialCapacity;
    /** Mixed into hash codes before picking a stripe; fresh per map instance (and per deserialised copy). */
    private transient long stripeSeed;
    private transient int stripeMask;
    private transient StripeArray stripes;
    private transient Set<K> keySet;
    private transient Collection<V> values;
    private transient Set<Map.Entry<K, V>> entrySet;

    /** Creates an empty map with {@link #DEFAULT_STRIPES} stripes. */
    public StripedMap() {
        this(0);
    }

    /**
     * Creates an empty map sized to hold {@code initialCapacity} entries without growing (and never
     * shrinking below that size); nothing is allocated before the first write, and each stripe is
     * pre-sized for at most {@link #MAX_PRESIZED_STRIPE_CAPACITY} entries.
     *
     * @param initialCapacity expected entries
     * @throws IllegalArgumentException if negative
     */
    @SuppressWarnings("this-escape") // the tracing provider only keeps a weak reference
    public StripedMap(int initialCapacity) {
        this(null, DEFAULT_STRIPES, initialCapacity, NO_OBSERVERS);
    }

    /**
     * Creates an empty map sized to hold {@code initialCapacity} entries without growing, with the signature
     * of {@code ConcurrentHashMap}'s, so that code passing a load factor changes only the class name. The
     * load factor is checked as {@code ConcurrentHashMap} checks it and otherwise unused: the tables keep the
     * engine's own load (growth past 6.5 entries per bucket of 8), which is where their bytes per entry come from.
     *
     * @param initialCapacity expected entries
     * @param loadFactor      accepted for compatibility; must be positive
     * @throws IllegalArgumentException if the capacity is negative or the load factor is not positive
     */
    @SuppressWarnings("this-escape") // the tracing provider only keeps a weak reference
    public StripedMap(int initialCapacity, float loadFactor) {
        this(null, DEFAULT_STRIPES, compatibleCapacity(initialCapacity, loadFactor, 1), NO_OBSERVERS);
    }

    /**
     * Creates an empty map as {@link #StripedMap(int, float)}, taking {@code concurrencyLevel} as
     * {@code ConcurrentHashMap} does, as a sizing hint: the map is sized for at least that many entries. The
     * stripe count stays {@link #DEFAULT_STRIPES} (a legacy concurrency level of 16 would make fewer stripes
     * than the default; choose stripes with {@link #builder()}).
     *
     * @param initialCapacity  expected entries
     * @param loadFactor       accepted for compatibility; must be positive
     * @param concurrencyLevel expected concurrently updating threads; must be positive
     * @throws IllegalArgumentException if the capacity is negative or the load factor or concurrency level is
     *                                  not positive
     */
    @SuppressWarnings("this-escape") // the tracing provider only keeps a weak reference
    public StripedMap(int initialCapacity, float loadFactor, int concurrencyLevel) {
        this(null, DEFAULT_STRIPES, compatibleCapacity(initialCapacity, loadFactor, concurrencyLevel), NO_OBSERVERS);
    }

    /** The capacity the {@code ConcurrentHashMap}-compatible constructors ask for, after its argument checks. */
    private static int compatibleCapacity(int initialCapacity, float loadFactor, int concurrencyLevel) {
        if (!(loadFactor > 0.0f) || initialCapacity < 0 || concurrencyLevel <= 0) {
            throw new IllegalArgumentException("initialCapacity " + initialCapacity + ", loadFactor " + loadFactor
                    + ", concurrencyLevel " + concurrencyLevel + ": need >= 0, > 0, > 0");
        }
        return Math.max(initialCapacity, concurrencyLevel);
    }

    /**
     * Creates a map with the mappings of {@code source}.
     *
     * @param source the mappings to copy
     * @throws NullPointerException if it holds a null key or value
     */
    @SuppressWarnings("this-escape") // putAll on a fully built map; javac 21+ warns about overridable calls
    public StripedMap(Map<? extends K, ? extends V> source) {
        this(Math.max(0, source.size()));
        putAll(source);
    }

    private StripedMap(String name, int stripes, int initialCapacity, IntFunction<TableObserver> observers) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity < 0: " + initialCapacity);
        }
        if (stripes < 1 || stripes > MAX_STRIPES) {
            throw new IllegalArgumentException("stripes must be in [1, " + MAX_STRIPES + "]: " + stripes);
        }
        this.stripeCount = powerOfTwoAtLeast(stripes);
        this.initialCapacity = initialCapacity;
        this.name = name != null ? name : "StripedMap-" + UNNAMED.incrementAndGet();
        initStripes(initialCapacity, observers == NO_OBSERVERS ? tracedObservers() : Objects.requireNonNull(observers));
    }

    /** The default stripe count for a machine with {@code processors} available processors. */
    static int defaultStripes(int processors) {
        long wanted = (long) Math.max(1, processors) * DEFAULT_STRIPES_PER_PROCESSOR;
        int clamped = (int) Math.min(MAX_DEFAULT_STRIPES, Math.max(MIN_DEFAULT_STRIPES, wanted));
        return powerOfTwoAtLeast(clamped);
    }

    /** The smallest power of two {@code >= n}, for {@code 1 <= n <= MAX_STRIPES}. */
    private static int powerOfTwoAtLeast(int n) {
        return Integer.highestOneBit(n) == n ? n : Integer.highestOneBit(n) << 1;
    }

    /** The observers of a tracing provider found on the class path (see {@link MapTracing}), or none. */
    private IntFunction<TableObserver> tracedObservers() {
        IntFunction<TableObserver> traced =
                MapTracing.attach(name, "StripedMap", stripeCount, this, StripedMap::statistics);
        return traced != null ? traced : NO_OBSERVERS;
    }

    /** Sets up the transient state: seed, mask and the (empty, lazily filled) stripe array. */
    private void initStripes(int capacity, IntFunction<TableObserver> stripeObservers) {
        this.stripeSeed = ThreadLocalRandom.current().nextLong();
        this.stripeMask = stripeCount - 1;
        long perStripe = (capacity + (long) stripeCount - 1) / stripeCount;
        this.stripes = new StripeArray(stripeCount, (int) Math.min(perStripe, MAX_PRESIZED_STRIPE_CAPACITY),
                stripeObservers);
    }

    /**
     * A concurrent {@code Set} backed by a new {@code StripedMap}, as {@code ConcurrentHashMap.newKeySet()}
     * gives one backed by a {@code ConcurrentHashMap}: {@code add} is {@code putIfAbsent}, {@code contains} a
     * lock-free read, iteration weakly consistent; null elements are rejected.
     *
     * @param <K> the element type
     * @return the new set
     */
    public static <K> Set<K> newKeySet() {
        return Collections.newSetFromMap(new StripedMap<>());
    }

    /**
     * As {@link #newKeySet()}, sized for {@code initialCapacity} elements.
     *
     * @param initialCapacity expected elements
     * @param <K>             the element type
     * @return the new set
     * @throws IllegalArgumentException if negative
     */
    public static <K> Set<K> newKeySet(int initialCapacity) {
        return Collections.newSetFromMap(new StripedMap<>(initialCapacity));
    }

    /** @return a builder for a map with a name, a stripe count, an initial capacity and observers */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link StripedMap}. */
    public static final class Builder {
        private String name;
        private int stripes = DEFAULT_STRIPES;
        private int initialCapacity;
        private IntFunction<TableObserver> observers = NO_OBSERVERS;

        private Builder() { }

        /**
         * @param name the map's name in statistics and recordings (default: a generated unique name)
         * @return this
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /**
         * @param stripes number of stripes, rounded up to a power of two (1 to {@link #MAX_STRIPES})
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder stripes(int stripes) {
            if (stripes < 1 || stripes > MAX_STRIPES) {
                throw new IllegalArgumentException("stripes must be in [1, " + MAX_STRIPES + "]: " + stripes);
            }
            this.stripes = stripes;
            return this;
        }

        /**
         * @param initialCapacity entries the map holds without growing (each stripe is pre-sized for at
         *                        most {@link #MAX_PRESIZED_STRIPE_CAPACITY} of them)
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder initialCapacity(int initialCapacity) {
            if (initialCapacity < 0) {
                throw new IllegalArgumentException("initialCapacity < 0: " + initialCapacity);
            }
            this.initialCapacity = initialCapacity;
            return this;
        }

        /**
         * @param observers gives each stripe (by index) the observer of its table's migrations
         * @return this
         */
        public Builder observers(IntFunction<TableObserver> observers) {
            this.observers = Objects.requireNonNull(observers);
            return this;
        }

        /**
         * @param <K> key type
         * @param <V> value type
         * @return a new empty map
         */
        public <K, V> StripedMap<K, V> build() {
            return new StripedMap<>(name, stripes, initialCapacity, observers);
        }
    }

    /** @return the map's name */
    public String name() {
        return name;
    }

    /** @return the number of stripes */
    public int stripeCount() {
        return stripeCount;
    }

    // ---- stripe selection ----

    private int stripeIndex(int hashCode) {
        return (int) (((hashCode ^ stripeSeed) * STRIPE_SPREAD) >>> STRIPE_SHIFT) & stripeMask;
    }

    /** The stripe of {@code hashCode}, locked for a write. */
    private Stripe lockedStripe(int hashCode) {
        Stripe s = stripes.getOrCreate(stripeIndex(hashCode));
        s.lockForWrite();
        return s;
    }

    /** The stripe of {@code hashCode} if it exists and is not locked by this thread's own write, for a write that finds nothing to do without one. */
    private Stripe existingLockedStripe(int hashCode) {
        Stripe s = stripes.get(stripeIndex(hashCode));
        if (s != null) {
            s.lockForWrite();
        }
        return s;
    }

    // ---- reads: lock-free, validated ----

    /** The value of {@code key}, or null: a lock-free read of its stripe's table, validated there. */
    private Object read(Object key) {
        int hashCode = key.hashCode();
        BucketTable table = stripes.table(stripeIndex(hashCode));
        return table == null ? null : table.getValidated(key, hashCode);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        return (V) read(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getOrDefault(Object key, V defaultValue) {
        Object v = read(key);
        return v == null ? defaultValue : (V) v;
    }

    @Override
    public boolean containsKey(Object key) {
        return read(key) != null;
    }

    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value);
        HashWalk walk = walk();
        while (walk.advance()) {
            if (value.equals(walk.value())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The number of mappings, as {@code ConcurrentHashMap}: exact when no writes run, an estimate
     * otherwise; capped at {@code Integer.MAX_VALUE}.
     */
    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, mappingCount());
    }

    /** @return the number of mappings as a long (exact when no writes run) */
    public long mappingCount() {
        long n = 0;
        for (int i = 0; i < stripeCount; i++) {
            Stripe s = stripes.get(i);
            if (s != null) {
                s.table.beginRead(); // acquire: sees the count of the last completed write
                n += s.table.size();
            }
        }
        return n;
    }

    @Override
    public boolean isEmpty() {
        for (int i = 0; i < stripeCount; i++) {
            Stripe s = stripes.get(i);
            if (s != null) {
                s.table.beginRead();
                if (s.table.size() != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- writes: under the stripe lock ----

    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        Objects.requireNonNull(value);
        int hashCode = key.hashCode();
        Stripe s = lockedStripe(hashCode);
        try {
            BucketTable t = s.table;
            return (V) t.put(key, t.hash(hashCode), value, null);
        } finally {
            s.unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(value);
        int hashCode = key.hashCode();
        Stripe s = lockedStripe(hashCode);
        try {
            BucketTable t = s.table;
            long h = t.hash(hashCode);
            int pos = t.lookup(key, h);
            if (pos >= 0) {
                return (V) t.valueAt(pos);
            }
            t.insert(key, h, value);
            return null;
        } finally {
            s.unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        int hashCode = key.hashCode();
        Stripe s = existingLockedStripe(hashCode);
        if (s == null) {
            return null;
        }
        try {
            BucketTable t = s.table;
            return (V) t.remove(key, t.hash(hashCode), null);
        } finally {
            s.unlock();
        }
    }

    @Override
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(key);
        if (value == null) {
            return false;
        }
        int hashCode = key.hashCode();
        Stripe s = existingLockedStripe(hashCode);
        if (s == null) {
            return false;
        }
        try {
            BucketTable t = s.table;
            long h = t.hash(hashCode);
            int pos = t.lookup(key, h);
            if (pos < 0 || !value.equals(t.valueAt(pos))) {
                return false;
            }
            t.removeAt(pos, h);
            return true;
        } finally {
            s.unlock();
        }
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(key);
        Objects.requireNonNull(oldValue);
        Objects.requireNonNull(newValue);
        int hashCode = key.hashCode();
        Stripe s = existingLockedStripe(hashCode);
        if (s == null) {
            return false;
        }
        try {
            BucketTable t = s.table;
            int pos = t.lookup(key, t.hash(hashCode));
            if (pos < 0 || !oldValue.equals(t.valueAt(pos))) {
                return false;
            }
            t.setValueAt(pos, newValue);
            return true;
        } finally {
            s.unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V replace(K key, V value) {
        Objects.requireNonNull(key);
        Objects.requireNonNull(value);
        int hashCode = key.hashCode();
        Stripe s = existingLockedStripe(hashCode);
        if (s == null) {
            return null;
        }
        try {
            BucketTable t = s.table;
            int pos = t.lookup(key, t.hash(hashCode));
            if (pos < 0) {
                return null;
            }
            V previous = (V) t.valueAt(pos);
            t.setValueAt(pos, value);
            return previous;
        } finally {
            s.unlock();
        }
    }

    /**
     * As {@link ConcurrentMap#computeIfAbsent}: a present key is answered by a lock-free read; an absent
     * one takes the stripe lock, checks again and runs the function at most once, under the lock.
     */
    @Override
    @SuppressWarnings("unchecked")
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        Objects.requireNonNull(mappingFunction);
        Object present = read(key);
        if (present != null) {
            return (V) present;
        }
        int hashCode = key.hashCode();
        Stripe s = lockedStripe(hashCode);
        try {
            BucketTable t = s.table;
            long h = t.hash(hashCode);
            int pos = t.lookup(key, h);
            if (pos >= 0) {
                return (V) t.valueAt(pos);
            }
            V value = mappingFunction.apply(key);
            if (value != null) {
                t.insert(key, h, value);
            }
            return value;
        } finally {
            s.unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(remappingFunction);
        int hashCode = key.hashCode();
        Stripe s = existingLockedStripe(hashCode);
        if (s == null) {
            return null;
        }
        try {
            BucketTable t = s.table;
            long h = t.hash(hashCode);
            int pos = t.lookup(key, h);
            if (pos < 0) {
                return null;
            }
            V value = remappingFunction.apply(key, (V) t.valueAt(pos));
            if (value == null) {
                t.removeAt(pos, h);
            } else {
                t.setValueAt(pos, value);
            }
            return value;
        } finally {
            s.unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(remappingFunction);
        int hashCode = key.hashCode();
        Stripe s = lockedStripe(hashCode);
        try {
            BucketTable t = s.table;
            long h = t.hash(hashCode);
            int pos = t.lookup(key, h);
            V value = remappingFunction.apply(key, pos >= 0 ? (V) t.valueAt(pos) : null);
            if (value == null) {
                if (pos >= 0) {
                    t.removeAt(pos, h);
                }
            } else if (pos >= 0) {
                t.setValueAt(pos, value);
            } else {
                t.insert(key, h, value);
            }
            return value;
        } finally {
            s.unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(value);
        Objects.requireNonNull(remappingFunction);
        int hashCode = key.hashCode();
        Stripe s = lockedStripe(hashCode);
        try {
            BucketTable t = s.table;
            long h = t.hash(hashCode);
            int pos = t.lookup(key, h);
            if (pos < 0) {
                t.insert(key, h, value);
                return value;
            }
            V merged = remappingFunction.apply((V) t.valueAt(pos), value);
            if (merged == null) {
                t.removeAt(pos, h);
            } else {
                t.setValueAt(pos, merged);
            }
            return merged;
        } finally {
            s.unlock();
        }
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> source) {
        for (Map.Entry<? extends K, ? extends V> e : source.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }

    /** Removes every mapping, stripe by stripe, releasing each stripe's arrays. */
    @Override
    public void clear() {
        for (int i = 0; i < stripeCount; i++) {
            Stripe s = stripes.get(i);
            if (s != null) {
                s.lockForWrite();
                try {
                    s.table.clear();
                } finally {
                    s.unlock();
                }
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action);
        HashWalk walk = walk();
        while (walk.advance()) {
            action.accept((K) walk.key(), (V) walk.value());
        }
    }

    /** As {@code ConcurrentHashMap}: the function runs without a lock; a value changed meanwhile is recomputed. */
    @Override
    @SuppressWarnings("unchecked")
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function);
        HashWalk walk = walk();
        while (walk.advance()) {
            K key = (K) walk.key();
            V value = (V) walk.value();
            while (value != null && !replace(key, value, Objects.requireNonNull(function.apply(key, value)))) {
                value = get(key);
            }
        }
    }

    // ---- memory ----

    /**
     * Finishes every stripe's pending migration and shrinks each stripe to the smallest table that
     * holds its entries, releasing the memory that deletes left behind. Locks one stripe at a time;
     * takes time proportional to the map.
     */
    public void trimToSize() {
        for (int i = 0; i < stripeCount; i++) {
            Stripe s = stripes.get(i);
            if (s != null) {
                s.lockForWrite();
                try {
                    s.table.compact();
                } finally {
                    s.unlock();
                }
            }
        }
    }

    /** @return one snapshot per stripe, in stripe order (a never-written stripe reports zeros) */
    public List<TableStatistics> stripeStatistics() {
        List<TableStatistics> all = new ArrayList<>(stripeCount);
        for (int i = 0; i < stripeCount; i++) {
            Stripe s = stripes.get(i);
            if (s == null) {
                all.add(new TableStatistics(0, 0, 0, null, 1.0, 0.0, 0));
                continue;
            }
            s.lockForWrite();
            try {
                all.add(s.table.statistics());
            } finally {
                s.unlock();
            }
        }
        return Collections.unmodifiableList(all);
    }

    /** @return the sum of the stripes' snapshots (taken one stripe at a time) */
    public TableStatistics statistics() {
        TableStatistics total = new TableStatistics(0, 0, 0, null, 1.0, 0.0, 0);
        for (TableStatistics s : stripeStatistics()) {
            total = total.plus(s);
        }
        return total;
    }

    /**
     * Checks every stripe's table invariants (a debugging aid; locks one stripe at a time).
     *
     * @throws IllegalStateException describing the first violation
     */
    public void checkInvariants() {
        for (int i = 0; i < stripeCount; i++) {
            Stripe s = stripes.get(i);
            if (s == null) {
                continue;
            }
            int index = i;
            s.lockForWrite();
            try {
                s.table.checkInvariants();
                s.table.forEach((k, v) -> {
                    if (stripeIndex(k.hashCode()) != index) {
                        throw new IllegalStateException("key " + k + " in the wrong stripe");
                    }
                    if (v == null) {
                        throw new IllegalStateException("null value for key " + k);
                    }
                });
            } finally {
                s.unlock();
            }
        }
    }

    // ---- serialization: name, stripes, capacity, then the pairs ----

    /**
     * Writes the name, stripe count and initial capacity (the default fields), then each key and value,
     * then a {@code null} key.
     *
     * @serialData key and value of each mapping, then {@code null}
     */
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        HashWalk walk = walk();
        while (walk.advance()) {
            out.writeObject(walk.key());
            out.writeObject(walk.value());
        }
        out.writeObject(null);
    }

    /**
     * Reads what {@link #writeObject} wrote, trusting nothing: a negative capacity, a stripe count that is
     * not a power of two in {@code [1, MAX_STRIPES]}, a missing name or one that is not a string, a null
     * value, entries that end without the null key, primitive data where an entry belongs, or a key twice
     * give an {@link InvalidObjectException}; a stream that ends early gives the stream's own exception, not
     * wrapped, as for {@code ConcurrentHashMap}: an {@code EOFException}, or a
     * {@code StreamCorruptedException} when the cut falls inside a block header. A null key is the end
     * marker: nothing after it is read. The entries are buffered as they arrive and the map is built
     * afterwards, pre-sized for at most the larger of the entries read and a small constant, so a forged
     * capacity never causes a large allocation. No overridable method is called.
     */
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        try {
            in.defaultReadObject();
        } catch (ClassCastException e) { // a field of the wrong type, such as a name that is not a String
            throw (InvalidObjectException) new InvalidObjectException("corrupt StripedMap header: " + e.getMessage())
                    .initCause(e);
        }
        if (initialCapacity < 0 || stripeCount < 1 || stripeCount > MAX_STRIPES || Integer.bitCount(stripeCount) != 1
                || name == null) {
            throw new InvalidObjectException("corrupt StripedMap header: initialCapacity " + initialCapacity
                    + ", stripes " + stripeCount + ", name " + (name == null ? "missing" : "present"));
        }
        List<Object> pairs = new ArrayList<>(STREAM_PRESIZE_LIMIT);
        Object key;
        while ((key = readEntryPart(in, pairs.size() / 2)) != null) {
            Object value = readEntryPart(in, pairs.size() / 2);
            if (value == null) {
                throw new InvalidObjectException("null value for key " + key);
            }
            pairs.add(key);
            pairs.add(value);
        }
        int entries = pairs.size() / 2;
        initStripes(Math.min(initialCapacity, Math.max(entries, STREAM_FLOOR_WITHOUT_ENTRIES)), tracedObservers());
        for (int i = 0; i < pairs.size(); i += 2) {
            Object k = pairs.get(i);
            int hashCode = k.hashCode();
            BucketTable t = stripes.getOrCreate(stripeIndex(hashCode)).table; // not yet shared: no lock needed
            long h = t.hash(hashCode);
            if (t.lookup(k, h) >= 0) {
                throw new InvalidObjectException("duplicate key " + k);
            }
            t.insert(k, h, pairs.get(i + 1));
        }
    }

    /** Reads a key or value of entry {@code i}; entries that end without the null key are invalid. */
    private static Object readEntryPart(ObjectInputStream in, int i) throws IOException, ClassNotFoundException {
        try {
            return in.readObject();
        } catch (OptionalDataException e) {
            String what = e.eof ? "the entries end after " + i + " without the null key that ends them"
                    : "primitive data where entry " + i + " belongs";
            throw (InvalidObjectException) new InvalidObjectException(what).initCause(e);
        }
    }

    // ---- views ----

    HashWalk walk() {
        return new HashWalk(stripes, 0, stripeCount, 0, BucketTable.WALK_END);
    }

    @Override
    public Set<K> keySet() {
        Set<K> ks = keySet;
        return ks != null ? ks : (keySet = new KeySet());
    }

    @Override
    public Collection<V> values() {
        Collection<V> vs = values;
        return vs != null ? vs : (values = new Values());
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> es = entrySet;
        return es != null ? es : (entrySet = new EntrySet());
    }

    /**
     * Weakly consistent iterator over a walk; {@code remove()} removes the last key from the map: that
     * very key object, even if its hash code changed or throws (then it is found in the stripe the walk
     * found it in), or else a key equal to it that replaced it meanwhile.
     */
    private abstract class WalkIterator<T> implements Iterator<T> {
        private final HashWalk walk = walk();
        private boolean ready;
        private boolean exhausted;
        private Object lastKey;
        private int lastStripe;

        @Override
        public final boolean hasNext() {
            if (!ready && !exhausted) {
                if (walk.advance()) {
                    ready = true;
                } else {
                    exhausted = true;
                }
            }
            return ready;
        }

        /**
         * Moves to the next entry. Tests {@code ready} first and calls {@link #hasNext()} only when it is not
         * set: after the usual {@code hasNext()} that branch is never taken, the JIT compiles no walk into
         * {@code next()}, and the small {@code next()} it inlines into a caller's loop lets escape analysis drop
         * the entry objects that loop does not keep.
         */
        final void step() {
            if (!ready && !hasNext()) {
                throw new NoSuchElementException();
            }
            ready = false;
            lastKey = walk.key();
            lastStripe = walk.stripe();
        }

        @SuppressWarnings("unchecked")
        final K key() {
            return (K) lastKey;
        }

        @SuppressWarnings("unchecked")
        final V value() {
            return (V) walk.value();
        }

        @Override
        public final void remove() {
            if (lastKey == null) {
                throw new IllegalStateException("next() was not called, or remove() was already called");
            }
            removeReturned(lastKey, lastStripe);
            lastKey = null;
        }
    }

    /**
     * Removes {@code key}, which an iterator found in stripe {@code walked}: the entry holding this very
     * object if there is one (looked up by its hash code; if that fails, because the hash code changed
     * or throws or the key was removed meanwhile, by a scan of that stripe), otherwise an entry with an
     * equal key that replaced it meanwhile, as {@code ConcurrentHashMap}'s iterators remove by key.
     */
    private void removeReturned(Object key, int walked) {
        int hashCode = 0;
        boolean hashed = true;
        try {
            hashCode = key.hashCode();
        } catch (RuntimeException brokenKey) {
            hashed = false;
        }
        Stripe s = stripes.get(walked); // never null: the walk found the key there, and stripes stay
        s.lockForWrite();
        try {
            BucketTable t = s.table;
            int found = -1;
            long h = 0;
            if (hashed && stripeIndex(hashCode) == walked) {
                h = t.hash(hashCode);
                found = lookupQuietly(t, key, h);
                if (found >= 0 && t.keyAt(found) == key) {
                    t.removeAt(found, h);
                    return;
                }
            }
            if (!removeByScan(t, key) && found >= 0) {
                t.removeAt(found, h);
            }
        } finally {
            s.unlock();
        }
    }

    /** A lookup that reports a key whose {@code equals} throws as absent (the caller then scans for it). */
    private static int lookupQuietly(BucketTable t, Object key, long h) {
        try {
            return t.lookup(key, h);
        } catch (RuntimeException brokenKey) {
            return -1;
        }
    }

    /** Removes the entry of {@code t} (locked) whose key is {@code key} itself; a walk of the whole stripe. */
    private static boolean removeByScan(BucketTable t, Object key) {
        for (BucketTable.Cursor c = t.cursor(); c.advance(); ) {
            if (c.key() == key) {
                c.remove();
                return true;
            }
        }
        return false;
    }

    private final class KeyIterator extends WalkIterator<K> {
        @Override
        public K next() {
            step();
            return key();
        }
    }

    private final class ValueIterator extends WalkIterator<V> {
        @Override
        public V next() {
            step();
            return value();
        }
    }

    private final class EntryIterator extends WalkIterator<Map.Entry<K, V>> {
        @Override
        public Map.Entry<K, V> next() {
            step();
            return new WriteThroughEntry(key(), value());
        }
    }

    /** An entry whose {@code setValue} puts into the map, as {@code ConcurrentHashMap}'s does. */
    private final class WriteThroughEntry extends SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        WriteThroughEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            Objects.requireNonNull(value);
            put(getKey(), value);
            return super.setValue(value);
        }
    }

    /**
     * A spliterator over stripes {@code [lo, hi)} (or a part of one stripe's walk space): splits by
     * halving the stripes, then the walk space, so parallel streams spread over stripes.
     */
    private final class WalkSpliterator<T> implements Spliterator<T> {
        private final Function<HashWalk, T> element;
        /** Keys and entries are distinct; values are not. */
        private final boolean distinct;
        private int lo;
        private final int hi;
        private long from;
        private final long to;
        private HashWalk walk;

        WalkSpliterator(Function<HashWalk, T> element, boolean distinct, int lo, int hi, long from, long to) {
            this.element = element;
            this.distinct = distinct;
            this.lo = lo;
            this.hi = hi;
            this.from = from;
            this.to = to;
        }

        private HashWalk walk() {
            if (walk == null) {
                walk = new HashWalk(stripes, lo, hi, from, to);
            }
            return walk;
        }

        @Override
        public boolean tryAdvance(Consumer<? super T> action) {
            Objects.requireNonNull(action);
            HashWalk w = walk();
            if (!w.advance()) {
                return false;
            }
            action.accept(element.apply(w));
            return true;
        }

        /**
         * Splits off the first half: of the stripes while there are several (non-empty ones), then of
         * one stripe's walk space, but never below one bucket of that stripe's current table, so a
         * full recursive decomposition ends after about one piece per bucket.
         */
        @Override
        public Spliterator<T> trySplit() {
            if (walk != null || estimateSize() == 0) {
                return null; // already started, or nothing left to share
            }
            if (hi - lo >= 2) {
                int mid = (lo + hi) >>> 1;
                WalkSpliterator<T> prefix = new WalkSpliterator<>(element, distinct, lo, mid, 0, BucketTable.WALK_END);
                lo = mid;
                return prefix;
            }
            Stripe s = stripes.get(lo);
            long grain = BucketTable.WALK_END >>> s.table.bucketBits();
            long mid = ((from + to) >>> 1) & -grain;
            if (mid <= from || mid >= to) {
                return null;
            }
            WalkSpliterator<T> prefix = new WalkSpliterator<>(element, distinct, lo, hi, from, mid);
            from = mid;
            return prefix;
        }

        @Override
        public long estimateSize() {
            long n = 0;
            for (int i = lo; i < hi; i++) {
                Stripe s = stripes.get(i);
                if (s != null) {
                    s.table.beginRead();
                    n += s.table.size();
                }
            }
            double fraction = (double) (to - from) / BucketTable.WALK_END;
            return (long) Math.ceil(n * fraction);
        }

        @Override
        public int characteristics() {
            return Spliterator.CONCURRENT | Spliterator.NONNULL | (distinct ? Spliterator.DISTINCT : 0);
        }
    }

    private final class KeySet extends AbstractSet<K> {
        @Override
        public Iterator<K> iterator() {
            return new KeyIterator();
        }

        @Override
        @SuppressWarnings("unchecked")
        public Spliterator<K> spliterator() {
            return new WalkSpliterator<>(w -> (K) w.key(), true, 0, stripeCount, 0, BucketTable.WALK_END);
        }

        @Override
        public int size() {
            return StripedMap.this.size();
        }

        @Override
        public boolean isEmpty() {
            return StripedMap.this.isEmpty();
        }

        @Override
        public boolean contains(Object o) {
            return containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            return StripedMap.this.remove(o) != null;
        }

        @Override
        public void clear() {
            StripedMap.this.clear();
        }
    }

    private final class Values extends AbstractCollection<V> {
        @Override
        public Iterator<V> iterator() {
            return new ValueIterator();
        }

        @Override
        @SuppressWarnings("unchecked")
        public Spliterator<V> spliterator() {
            return new WalkSpliterator<>(w -> (V) w.value(), false, 0, stripeCount, 0, BucketTable.WALK_END);
        }

        @Override
        public int size() {
            return StripedMap.this.size();
        }

        @Override
        public boolean isEmpty() {
            return StripedMap.this.isEmpty();
        }

        @Override
        public boolean contains(Object o) {
            return containsValue(o);
        }

        @Override
        public void clear() {
            StripedMap.this.clear();
        }
    }

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new EntryIterator();
        }

        @Override
        @SuppressWarnings("unchecked")
        public Spliterator<Map.Entry<K, V>> spliterator() {
            return new WalkSpliterator<>(w -> new WriteThroughEntry((K) w.key(), (V) w.value()), true,
                    0, stripeCount, 0, BucketTable.WALK_END);
        }

        @Override
        public int size() {
            return StripedMap.this.size();
        }

        @Override
        public boolean isEmpty() {
            return StripedMap.this.isEmpty();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            Object k = e.getKey();
            Object v = e.getValue();
            if (k == null || v == null) {
                return false;
            }
            Object current = read(k);
            return current != null && current.equals(v);
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            Object k = e.getKey();
            Object v = e.getValue();
            return k != null && v != null && StripedMap.this.remove(k, v);
        }

        @Override
        public void clear() {
            StripedMap.this.clear();
        }
    }
}
