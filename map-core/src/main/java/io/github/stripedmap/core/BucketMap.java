package io.github.stripedmap.core;

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
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A hash map on Go-runtime-style buckets of eight slots, with progressive growth and shrink: the
 * single-threaded peer of {@link java.util.HashMap}.
 *
 * <p>Like {@code HashMap} it permits the {@code null} key and {@code null} values, its iterators are
 * fail-fast, its views support removal, and it is {@link Cloneable} and {@link Serializable}. Unlike
 * {@code HashMap}:
 * <ul>
 *   <li>no single {@code put} copies the whole table: growth allocates the new bucket arrays and then
 *       each insert or delete moves at most two old buckets, so the worst {@code put} while growing is
 *       bounded by one allocation;</li>
 *   <li>it gives memory back: after mass deletes the table shrinks progressively (with hysteresis, so
 *       it never thrashes at a boundary), an emptied map releases its arrays, and {@link #trimToSize()}
 *       compacts at once;</li>
 *   <li>it stores about 14 to 27 bytes of structure per entry (a tag byte and two references per slot)
 *       instead of a 32-byte node plus a table slot;</li>
 *   <li>it reports its migrations to a {@link TableObserver} and its shape through {@link #statistics()}.</li>
 * </ul>
 * Overwriting the value of an existing key (by {@code put}, {@code replace}, {@code compute}, an
 * entry's {@code setValue}...) is not a structural modification and moves nothing, so it is allowed
 * while iterating. This class is not thread-safe; see {@code StripedMap} for the concurrent map.
 *
 * <h2>Bad input</h2>
 * <ul>
 *   <li>An exception or error thrown by a key's {@code hashCode} or {@code equals}, or by a function
 *       passed to {@code compute}, {@code merge} and the like, propagates to the caller and leaves the
 *       mappings as they were. If it is thrown by the {@code hashCode} of another key already in the
 *       map, which a growth calls while a write moves that key, the table stays whole and iteration
 *       still finds that key: an insert that meets the failure is not done, a removal takes effect
 *       whether or not the failure reaches its caller.</li>
 *   <li>A key whose hash code changes while it is in the map cannot be found by lookups any more (as
 *       in {@code HashMap}), but every other key works, every operation terminates, iteration still
 *       returns it, and its iterator's {@code remove()} removes it.</li>
 *   <li>An initial capacity above {@link #MAX_PRESIZED_CAPACITY} is accepted and clamped to it.</li>
 *   <li>Deserialization rejects malformed content with an {@link InvalidObjectException} (a stream cut
 *       short fails as the stream reports it, see {@code readObject}) and allocates in proportion to the
 *       entries the stream really holds.</li>
 * </ul>
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public class BucketMap<K, V> extends AbstractMap<K, V> implements Map<K, V>, Cloneable, Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Largest capacity a map is pre-sized for (about 18 MB of first array): a larger initial capacity is
     * clamped to it, as {@code ConcurrentHashMap} clamps to its maximum, so that a mistaken or hostile
     * {@code Integer.MAX_VALUE} cannot make the first {@code put} allocate gigabytes; beyond it the map
     * grows progressively like any other.
     */
    public static final int MAX_PRESIZED_CAPACITY = 1 << 20;

    /** Returned by the table for a missing key (values may be null, so null cannot mean "absent"). */
    private static final Object ABSENT = new Object();
    /** Entries a stream's declared count may pre-size the read buffer for: a forged count costs nothing. */
    private static final int STREAM_PRESIZE_LIMIT = 1 << 10;
    /**
     * A deserialised map keeps its initial capacity as its floor only up to the larger of its entries and
     * this (a 1024-bucket array): a forged capacity cannot make a small stream allocate a large table.
     */
    private static final int STREAM_FLOOR_WITHOUT_ENTRIES = 1 << 12;

    /** The initial capacity: sizes the first array and is the floor of shrinking. */
    private final int initialCapacity;
    private transient BucketTable table;
    /** Structural modifications, for fail-fast iterators. */
    private transient int modCount;
    private transient Set<K> keySet;
    private transient Collection<V> values;
    private transient Set<Map.Entry<K, V>> entrySet;
    /** True while the table's observer is the one a tracing provider gave (a clone then gets its own). */
    private transient boolean traced;

    /** Creates an empty map; nothing is allocated until the first insert. */
    public BucketMap() {
        this(0);
    }

    /**
     * Creates an empty map that holds {@code initialCapacity} entries without growing and never shrinks
     * below that size. Nothing is allocated until the first insert; a capacity above
     * {@link #MAX_PRESIZED_CAPACITY} is clamped to it.
     *
     * @param initialCapacity the expected number of entries
     * @throws IllegalArgumentException if negative
     */
    @SuppressWarnings("this-escape") // the tracing provider only keeps a weak reference
    public BucketMap(int initialCapacity) {
        this.table = newTable(initialCapacity);
        this.initialCapacity = initialCapacity;
        attachTracing();
    }

    /**
     * Creates an empty map as {@link #BucketMap(int)}, with the signature of {@code HashMap}'s, so that code
     * passing a load factor changes only the class name. The load factor is checked as {@code HashMap} checks
     * it and otherwise unused: the table keeps the engine's own load (growth past 6.5 entries per bucket of 8),
     * which is where its bytes per entry come from.
     *
     * @param initialCapacity the expected number of entries
     * @param loadFactor      accepted for compatibility; must be positive
     * @throws IllegalArgumentException if the capacity is negative or the load factor is not positive
     */
    @SuppressWarnings("this-escape") // the tracing provider only keeps a weak reference
    public BucketMap(int initialCapacity, float loadFactor) {
        this(afterLoadFactorCheck(initialCapacity, loadFactor));
    }

    /** {@code initialCapacity}, once {@code loadFactor} passed {@code HashMap}'s check (before anything is built). */
    private static int afterLoadFactorCheck(int initialCapacity, float loadFactor) {
        if (!(loadFactor > 0.0f)) {
            throw new IllegalArgumentException("Illegal load factor: " + loadFactor);
        }
        return initialCapacity;
    }

    /** An empty table pre-sized for {@code capacity} entries, at most {@link #MAX_PRESIZED_CAPACITY}. */
    private static BucketTable newTable(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("initialCapacity < 0: " + capacity);
        }
        return new BucketTable(Math.min(capacity, MAX_PRESIZED_CAPACITY));
    }

    /** Lets a tracing provider found on the class path observe the table (see {@link MapTracing}). */
    private void attachTracing() {
        IntFunction<TableObserver> observers = MapTracing.attach(null, "BucketMap", 1, this, BucketMap::statistics);
        traced = observers != null;
        if (traced) {
            table.setObserver(observers.apply(0));
        }
    }

    /**
     * Creates a map with the mappings of {@code source}.
     *
     * @param source the mappings to copy
     */
    @SuppressWarnings("this-escape") // putAll on a fully built map; javac 21+ warns about overridable calls
    public BucketMap(Map<? extends K, ? extends V> source) {
        this(0);
        putAll(source);
    }

    // ---- null keys: stored as a sentinel whose hash code is 0, as HashMap hashes null ----

    /** Stands for the null key inside the table. */
    private static final class NullKey {
        @Override
        public int hashCode() {
            return 0;
        }

        @Override
        public String toString() {
            return "null";
        }
    }

    private static final Object NULL_KEY = new NullKey();

    private static Object mask(Object key) {
        return key == null ? NULL_KEY : key;
    }

    @SuppressWarnings("unchecked")
    private static <K> K unmask(Object key) {
        return key == NULL_KEY ? null : (K) key;
    }

    private long hashOf(Object maskedKey) {
        return table.hash(maskedKey.hashCode());
    }

    // ---- queries ----

    @Override
    public int size() {
        return table.size();
    }

    @Override
    public boolean isEmpty() {
        return table.size() == 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        Object k = mask(key);
        Object v = table.get(k, k.hashCode(), ABSENT);
        return v == ABSENT ? null : (V) v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getOrDefault(Object key, V defaultValue) {
        Object k = mask(key);
        Object v = table.get(k, k.hashCode(), ABSENT);
        return v == ABSENT ? defaultValue : (V) v;
    }

    @Override
    public boolean containsKey(Object key) {
        Object k = mask(key);
        return table.get(k, k.hashCode(), ABSENT) != ABSENT;
    }

    @Override
    public boolean containsValue(Object value) {
        for (BucketTable.Cursor c = table.cursor(); c.advance(); ) {
            if (Objects.equals(value, c.value())) {
                return true;
            }
        }
        return false;
    }

    // ---- updates: one hash computation and one lookup each ----

    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        Object k = mask(key);
        long h = hashOf(k);
        int pos = table.lookup(k, h);
        if (pos >= 0) {
            V previous = (V) table.valueAt(pos);
            table.setValueAt(pos, value);
            return previous;
        }
        insert(k, h, value);
        return null;
    }

    /**
     * Inserts an absent key. Counted as a structural modification even if it throws (the migration work
     * before the insert may have moved entries, and open iterators must notice).
     */
    private void insert(Object k, long h, Object value) {
        try {
            table.insert(k, h, value);
        } finally {
            modCount++;
        }
    }

    private void removeAt(int pos, long h) {
        try {
            table.removeAt(pos, h);
        } finally {
            modCount++;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        Object k = mask(key);
        long h = hashOf(k);
        int pos = table.lookup(k, h);
        if (pos >= 0) {
            V current = (V) table.valueAt(pos);
            if (current == null) {
                table.setValueAt(pos, value);
            }
            return current;
        }
        insert(k, h, value);
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        Object k = mask(key);
        long h = hashOf(k);
        int pos = table.lookup(k, h);
        if (pos < 0) {
            return null;
        }
        V previous = (V) table.valueAt(pos);
        removeAt(pos, h);
        return previous;
    }

    @Override
    public boolean remove(Object key, Object value) {
        Object k = mask(key);
        long h = hashOf(k);
        int pos = table.lookup(k, h);
        if (pos < 0 || !Objects.equals(table.valueAt(pos), value)) {
            return false;
        }
        removeAt(pos, h);
        return true;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Object k = mask(key);
        int pos = table.lookup(k, hashOf(k));
        if (pos < 0 || !Objects.equals(table.valueAt(pos), oldValue)) {
            return false;
        }
        table.setValueAt(pos, newValue);
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V replace(K key, V value) {
        Object k = mask(key);
        int pos = table.lookup(k, hashOf(k));
        if (pos < 0) {
            return null;
        }
        V previous = (V) table.valueAt(pos);
        table.setValueAt(pos, value);
        return previous;
    }

    private void checkUnmodifiedSince(int expectedModCount) {
        if (modCount != expectedModCount) {
            throw new ConcurrentModificationException("the function modified the map");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        Objects.requireNonNull(mappingFunction);
        Object k = mask(key);
        long h = hashOf(k);
        int pos = table.lookup(k, h);
        if (pos >= 0) {
            V current = (V) table.valueAt(pos);
            if (current != null) {
                return current;
            }
        }
        int mc = modCount;
        V value = mappingFunction.apply(key);
        checkUnmodifiedSince(mc);
        if (value == null) {
            return null;
        }
        if (pos >= 0) {
            table.setValueAt(pos, value);
        } else {
            insert(k, h, value);
        }
        return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(remappingFunction);
        Object k = mask(key);
        long h = hashOf(k);
        int pos = table.lookup(k, h);
        if (pos < 0) {
            return null;
        }
        V current = (V) table.valueAt(pos);
        if (current == null) {
            return null;
        }
        int mc = modCount;
        V value = remappingFunction.apply(key, current);
        checkUnmodifiedSince(mc);
        if (value == null) {
            removeAt(pos, h);
        } else {
            table.setValueAt(pos, value);
        }
        return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(remappingFunction);
        Object k = mask(key);
        long h = hashOf(k);
        int pos = table.lookup(k, h);
        V current = pos >= 0 ? (V) table.valueAt(pos) : null;
        int mc = modCount;
        V value = remappingFunction.apply(key, current);
        checkUnmodifiedSince(mc);
        if (value == null) {
            if (pos >= 0) {
                removeAt(pos, h);
            }
        } else if (pos >= 0) {
            table.setValueAt(pos, value);
        } else {
            insert(k, h, value);
        }
        return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(value);
        Objects.requireNonNull(remappingFunction);
        Object k = mask(key);
        long h = hashOf(k);
        int pos = table.lookup(k, h);
        if (pos < 0) {
            insert(k, h, value);
            return value;
        }
        V current = (V) table.valueAt(pos);
        if (current == null) {
            table.setValueAt(pos, value);
            return value;
        }
        int mc = modCount;
        V merged = remappingFunction.apply(current, value);
        checkUnmodifiedSince(mc);
        if (merged == null) {
            removeAt(pos, h);
        } else {
            table.setValueAt(pos, merged);
        }
        return merged;
    }

    @Override
    public void clear() {
        if (table.size() != 0) {
            modCount++;
        }
        table.clear();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action);
        int mc = modCount;
        for (BucketTable.Cursor c = table.cursor(); c.advance(); ) {
            action.accept(unmask(c.key()), (V) c.value());
            checkUnmodifiedSince(mc);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function);
        int mc = modCount;
        for (BucketTable.Cursor c = table.cursor(); c.advance(); ) {
            V value = function.apply(unmask(c.key()), (V) c.value());
            checkUnmodifiedSince(mc);
            c.setValue(value);
        }
    }

    // ---- engine access ----

    /**
     * Finishes any pending migration now and shrinks the table to the smallest size that holds the
     * current entries within the load factor (never below the initial capacity), releasing the
     * memory that mass deletes left behind. Takes time proportional to the table.
     */
    public void trimToSize() {
        modCount++;
        table.compact();
    }

    /** @return a snapshot of the table's shape, migration state and estimated memory */
    public TableStatistics statistics() {
        return table.statistics();
    }

    /**
     * Reports this map's migrations and cleanups to {@code observer}.
     *
     * @param observer the observer, or null for none
     */
    public void setObserver(TableObserver observer) {
        table.setObserver(observer);
        traced = false;
    }

    /**
     * Checks the table's internal invariants (a debugging aid; costs a full scan).
     *
     * @throws IllegalStateException describing the first violation
     */
    public void checkInvariants() {
        table.checkInvariants();
    }

    // ---- copying ----

    /**
     * Returns a shallow copy: the keys and values themselves are not cloned.
     *
     * @return a new map with the same mappings, observer and initial capacity
     */
    @Override
    @SuppressWarnings("unchecked")
    public BucketMap<K, V> clone() {
        BucketMap<K, V> copy;
        try {
            copy = (BucketMap<K, V>) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
        copy.table = table.copy(); // same shape, seed and migration state; no events
        if (traced) {
            copy.attachTracing(); // a tracing observer follows one table: the copy gets its own
        } else {
            copy.table.setObserver(table.observer());
        }
        copy.modCount = 0;
        copy.keySet = null;
        copy.values = null;
        copy.entrySet = null;
        return copy;
    }

    /**
     * Writes the initial capacity (the default field), then the number of mappings as an {@code int},
     * then each key and value.
     *
     * @serialData the size (an {@code int}), then key and value of each mapping
     */
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeInt(table.size());
        for (BucketTable.Cursor c = table.cursor(); c.advance(); ) {
            out.writeObject(unmask(c.key()));
            out.writeObject(c.value());
        }
    }

    /**
     * Reads what {@link #writeObject} wrote, trusting nothing: a negative capacity or count, fewer entries
     * than the count declares, primitive data where an entry belongs, or a key twice give an
     * {@link InvalidObjectException}; a stream that ends early gives the stream's own exception, not wrapped,
     * as for {@code HashMap}: an {@code EOFException}, or a {@code StreamCorruptedException} when the cut falls
     * inside a block header (which is also what a structurally broken stream gives). Entries after the
     * declared count are ignored, as any class's unread custom data. The entries are read into a buffer that
     * grows as they arrive (the declared count pre-sizes it only up to a small limit) and the table is built
     * afterwards, pre-sized for at most the larger of the entries read and a small constant, so a forged
     * count or capacity never causes a large allocation. No overridable method is called.
     */
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (initialCapacity < 0) {
            throw new InvalidObjectException("negative initial capacity: " + initialCapacity);
        }
        int size = in.readInt();
        if (size < 0) {
            throw new InvalidObjectException("negative size: " + size);
        }
        List<Object> pairs = new ArrayList<>(2 * Math.min(size, STREAM_PRESIZE_LIMIT));
        for (int i = 0; i < size; i++) {
            pairs.add(readEntryPart(in, i, size));
            pairs.add(readEntryPart(in, i, size));
        }
        BucketTable filled = newTable(Math.min(initialCapacity, Math.max(size, STREAM_FLOOR_WITHOUT_ENTRIES)));
        for (int i = 0; i < pairs.size(); i += 2) {
            Object k = mask(pairs.get(i));
            long h = filled.hash(k.hashCode());
            if (filled.lookup(k, h) >= 0) {
                throw new InvalidObjectException("duplicate key in stream: " + pairs.get(i));
            }
            filled.insert(k, h, pairs.get(i + 1));
        }
        table = filled;
        attachTracing();
    }

    /** Reads key or value of entry {@code i}; a stream whose entries end early is invalid. */
    private static Object readEntryPart(ObjectInputStream in, int i, int size)
            throws IOException, ClassNotFoundException {
        try {
            return in.readObject();
        } catch (OptionalDataException e) {
            String what = e.eof ? "the stream holds " + i + " of the " + size + " entries it declares"
                    : "primitive data where entry " + i + " of " + size + " belongs";
            throw (InvalidObjectException) new InvalidObjectException(what).initCause(e);
        }
    }

    // ---- views ----

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

    /** Fail-fast walk of the table; removal goes through the table without moving other entries. */
    private abstract class WalkIterator<T> implements Iterator<T> {
        private final BucketTable.Cursor cursor = table.cursor();
        private int expectedModCount = modCount;
        private boolean ready;
        private boolean exhausted;
        private Object lastKey;
        private boolean canRemove;

        @Override
        public final boolean hasNext() {
            if (!ready && !exhausted) {
                if (cursor.advance()) {
                    ready = true;
                } else {
                    exhausted = true;
                }
            }
            return ready;
        }

        /**
         * Moves to the next entry; then {@link #key()} and {@link #value()} describe it. Tests {@code ready}
         * first and calls {@link #hasNext()} only when it is not set: after the usual {@code hasNext()} that
         * branch is never taken, the JIT compiles no walk into {@code next()}, and the small {@code next()}
         * it inlines into a caller's loop lets escape analysis drop the entry objects that loop does not keep.
         */
        final void step() {
            if (modCount != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            if (!ready && !hasNext()) {
                throw new NoSuchElementException();
            }
            ready = false;
            lastKey = cursor.key();
            canRemove = true;
        }

        final K key() {
            return unmask(lastKey);
        }

        @SuppressWarnings("unchecked")
        final V value() {
            return (V) cursor.value();
        }

        /**
         * Removes the entry last returned, by its position, not by looking its key up again: so it also
         * removes a key whose hash code changed or throws. If {@code hasNext()} has moved the cursor on
         * meanwhile, the key is looked up and must be the same object; failing that (its hash code changed,
         * or its {@code hashCode} or {@code equals} throws an exception), the table is scanned for it.
         */
        @Override
        public final void remove() {
            if (!canRemove) {
                throw new IllegalStateException("next() was not called, or remove() was already called");
            }
            if (modCount != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            if (!ready && !exhausted) {
                cursor.remove(); // the cursor still stands on the entry next() returned
            } else {
                removeIdentical(lastKey); // an error from the key's hashCode() propagates: nothing removed
            }
            canRemove = false;
            expectedModCount = ++modCount;
        }

        /** Removes the entry whose key is {@code key} itself, wherever its current hash code says it is. */
        private void removeIdentical(Object key) {
            try {
                long h = hashOf(key);
                int pos = table.lookup(key, h);
                if (pos >= 0 && table.keyAt(pos) == key) {
                    table.removeInPlace(key, h);
                    return;
                }
            } catch (RuntimeException brokenKey) {
                // its hashCode() or equals() throws: find it by identity below
            }
            for (BucketTable.Cursor c = table.cursor(); c.advance(); ) {
                if (c.key() == key) {
                    c.remove();
                    return;
                }
            }
        }
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

    /** An entry whose {@code setValue} writes to the map (non-structurally) while the key is there. */
    private final class WriteThroughEntry extends SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        WriteThroughEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            Object k = mask(getKey());
            int pos = table.lookup(k, hashOf(k));
            if (pos >= 0) {
                table.setValueAt(pos, value);
            }
            return super.setValue(value);
        }
    }

    private final class KeySet extends AbstractSet<K> {
        @Override
        public Iterator<K> iterator() {
            return new KeyIterator();
        }

        @Override
        public int size() {
            return BucketMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            return containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            Object k = mask(o);
            long h = hashOf(k);
            int pos = table.lookup(k, h);
            if (pos < 0) {
                return false;
            }
            removeAt(pos, h);
            return true;
        }

        @Override
        public void clear() {
            BucketMap.this.clear();
        }
    }

    private final class Values extends AbstractCollection<V> {
        @Override
        public Iterator<V> iterator() {
            return new ValueIterator();
        }

        @Override
        public int size() {
            return BucketMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            return containsValue(o);
        }

        @Override
        public void clear() {
            BucketMap.this.clear();
        }
    }

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new EntryIterator();
        }

        @Override
        public int size() {
            return BucketMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            Object k = mask(e.getKey());
            int pos = table.lookup(k, hashOf(k));
            return pos >= 0 && Objects.equals(table.valueAt(pos), e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            return BucketMap.this.remove(e.getKey(), e.getValue());
        }

        @Override
        public void clear() {
            BucketMap.this.clear();
        }
    }
}
