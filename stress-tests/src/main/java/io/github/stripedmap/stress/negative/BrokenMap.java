package io.github.stripedmap.stress.negative;

import io.github.stripedmap.core.BucketTable;
import io.github.stripedmap.core.TableObserver;
import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.core.WalkBuffer;
import io.github.stripedmap.stress.support.Inspectable;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The negative control: a one-stripe concurrent map built, like {@code StripedMap}'s stripes, from
 * map-core's public {@link BucketTable}, with exactly one of the protections of the real map taken
 * away ({@link Flaw}). The stress tests of package {@code negative} run the real tests' scenarios against
 * it and the build fails unless they report FORBIDDEN outcomes: that is the proof that the suite
 * exercises each race window rather than passing vacuously.
 *
 * <p>It lives only in this module, which is never published; the real map has no switch, property or
 * hook to become this. Otherwise it follows {@code StripedMap} call for call (lookup, insert,
 * setValueAt, removeAt under the stripe lock; reads between {@code beginRead} and
 * {@code unchangedSince}), so what the tests catch is the flaw and nothing else.
 *
 * @param <K> keys
 * @param <V> values
 */
public final class BrokenMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, Inspectable {

    /** Which protection is missing. */
    public enum Flaw {
        /**
         * Readers skip the seqlock: {@code get} and iteration read the table once and trust whatever
         * they saw, so a read overlapping an evacuation, a shrink step or an insert can miss a present
         * key, return a torn value or throw. Writers are correct (locked).
         */
        UNVALIDATED_READS,
        /**
         * The stripe's table is created on first write and published with a plain check-then-store
         * instead of a CAS: two first writers can each build a table, and the write into the one that
         * is overwritten is lost. Everything else is correct.
         */
        RACY_STRIPE_INIT,
        /**
         * The check-then-act operations ({@code putIfAbsent}, {@code compute*}, {@code merge},
         * conditional {@code remove}/{@code replace}) drop the stripe lock between their lookup and their
         * store, as a refactoring that "does not hold a lock while calling user code" would: each table
         * call is still locked and reads are validated, but the operations are no longer atomic.
         */
        SPLIT_ATOMICS
    }

    /** Shared, never written: what readers see before the racy lazy table exists. */
    private static final BucketTable EMPTY = new BucketTable(0);

    private final Flaw flaw;
    private final int initialCapacity;
    private final IntFunction<TableObserver> observers;
    /** The stripe's table: created in the constructor, or (RACY_STRIPE_INIT) by the first writers. */
    private volatile BucketTable table;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * @param flaw            the protection to leave out
     * @param initialCapacity the table's initial capacity
     * @param observer        the table's observer
     */
    public BrokenMap(Flaw flaw, int initialCapacity, TableObserver observer) {
        this(flaw, initialCapacity, stripe -> observer);
    }

    /**
     * @param flaw            the protection to leave out
     * @param initialCapacity the table's initial capacity
     * @param observers       called for every table built (with stripe index 0), as {@code StripedMap}'s
     */
    public BrokenMap(Flaw flaw, int initialCapacity, IntFunction<TableObserver> observers) {
        this.flaw = Objects.requireNonNull(flaw);
        this.initialCapacity = initialCapacity;
        this.observers = observers;
        this.table = flaw == Flaw.RACY_STRIPE_INIT ? EMPTY : newTable();
    }

    private BucketTable newTable() {
        BucketTable t = new BucketTable(initialCapacity);
        t.setObserver(observers.apply(0));
        return t;
    }

    /** The table a write works on (RACY_STRIPE_INIT: built on first write, published without a CAS). */
    private BucketTable writable() {
        BucketTable t = table;
        if (t == EMPTY) {
            t = newTable();
            table = t; // the flaw: a plain check-then-store; StripedMap uses compareAndExchange
        }
        return t;
    }

    private void lock() {
        lock.lock();
    }

    private void unlock() {
        lock.unlock();
    }

    /**
     * SPLIT_ATOMICS: lets go of the lock between deciding and acting, for about as long as a small user
     * function would take (a yield), so the window is wide enough to be caught in a short run.
     */
    private void gap() {
        if (flaw == Flaw.SPLIT_ATOMICS) {
            lock.unlock();
            Thread.yield();
            lock.lock();
        }
    }

    private boolean validates() {
        return flaw != Flaw.UNVALIDATED_READS;
    }

    private Object read(Object key) {
        int hashCode = key.hashCode();
        BucketTable table = this.table;
        if (!validates()) {
            return table.get(key, hashCode, null); // the flaw: whatever was seen is trusted
        }
        while (true) {
            int stamp = table.beginRead();
            Object value;
            try {
                value = table.get(key, hashCode, null);
            } catch (RuntimeException e) {
                if (table.unchangedSince(stamp)) {
                    throw e;
                }
                continue;
            }
            if (table.unchangedSince(stamp)) {
                return value;
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        return (V) read(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return read(key) != null;
    }

    @Override
    public int size() {
        BucketTable table = this.table;
        if (validates()) {
            table.beginRead();
        }
        return table.size();
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        Objects.requireNonNull(value);
        BucketTable table = writable();
        lock();
        try {
            return (V) table.put(key, table.hash(key.hashCode()), value, null);
        } finally {
            unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(value);
        BucketTable table = writable();
        lock();
        try {
            long h = table.hash(key.hashCode());
            int pos = table.lookup(key, h);
            if (pos >= 0) {
                return (V) table.valueAt(pos);
            }
            gap();
            table.insert(key, h, value);
            return null;
        } finally {
            unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        BucketTable table = writable();
        lock();
        try {
            return (V) table.remove(key, table.hash(key.hashCode()), null);
        } finally {
            unlock();
        }
    }

    @Override
    public boolean remove(Object key, Object value) {
        BucketTable table = writable();
        lock();
        try {
            long h = table.hash(key.hashCode());
            int pos = table.lookup(key, h);
            if (pos < 0 || !value.equals(table.valueAt(pos))) {
                return false;
            }
            gap();
            table.removeAt(pos, h);
            return true;
        } finally {
            unlock();
        }
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        BucketTable table = writable();
        lock();
        try {
            int pos = table.lookup(key, table.hash(key.hashCode()));
            if (pos < 0 || !oldValue.equals(table.valueAt(pos))) {
                return false;
            }
            gap();
            table.setValueAt(pos, newValue);
            return true;
        } finally {
            unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V replace(K key, V value) {
        BucketTable table = writable();
        lock();
        try {
            int pos = table.lookup(key, table.hash(key.hashCode()));
            if (pos < 0) {
                return null;
            }
            V previous = (V) table.valueAt(pos);
            gap();
            table.setValueAt(pos, value);
            return previous;
        } finally {
            unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        Object present = read(key);
        if (present != null) {
            return (V) present;
        }
        BucketTable table = writable();
        lock();
        try {
            long h = table.hash(key.hashCode());
            int pos = table.lookup(key, h);
            if (pos >= 0) {
                return (V) table.valueAt(pos);
            }
            gap();
            V value = mappingFunction.apply(key);
            if (value != null) {
                table.insert(key, h, value);
            }
            return value;
        } finally {
            unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        BucketTable table = writable();
        lock();
        try {
            long h = table.hash(key.hashCode());
            int pos = table.lookup(key, h);
            V old = pos >= 0 ? (V) table.valueAt(pos) : null;
            gap();
            V value = remappingFunction.apply(key, old);
            if (value == null) {
                if (pos >= 0) {
                    table.removeAt(pos, h);
                }
            } else if (pos >= 0) {
                table.setValueAt(pos, value);
            } else {
                table.insert(key, h, value);
            }
            return value;
        } finally {
            unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        BucketTable table = writable();
        lock();
        try {
            long h = table.hash(key.hashCode());
            int pos = table.lookup(key, h);
            if (pos < 0) {
                gap();
                table.insert(key, h, value);
                return value;
            }
            V old = (V) table.valueAt(pos);
            gap();
            V merged = remappingFunction.apply(old, value);
            if (merged == null) {
                table.removeAt(pos, h);
            } else {
                table.setValueAt(pos, merged);
            }
            return merged;
        } finally {
            unlock();
        }
    }

    @Override
    public void clear() {
        BucketTable table = writable();
        lock();
        try {
            table.clear();
        } finally {
            unlock();
        }
    }

    @Override
    public TableStatistics statistics() {
        BucketTable table = writable();
        lock();
        try {
            return table.statistics();
        } finally {
            unlock();
        }
    }

    @Override
    public void checkInvariants() {
        BucketTable table = writable();
        lock();
        try {
            table.checkInvariants();
        } finally {
            unlock();
        }
    }

    /** A hash-order walk like {@code StripedMap}'s, collected into a list up front. */
    @SuppressWarnings("unchecked")
    private List<Map.Entry<K, V>> walk() {
        BucketTable table = this.table;
        List<Map.Entry<K, V>> out = new ArrayList<>();
        WalkBuffer buffer = new WalkBuffer();
        long cursor = 0;
        while (cursor < BucketTable.WALK_END) {
            long end;
            if (validates()) {
                while (true) {
                    int stamp = table.beginRead();
                    try {
                        end = table.collect(cursor, BucketTable.WALK_END, buffer);
                    } catch (RuntimeException e) {
                        end = -1;
                    }
                    if (table.unchangedSince(stamp) && end > cursor) {
                        break;
                    }
                    buffer.clear();
                }
            } else {
                end = table.collect(cursor, BucketTable.WALK_END, buffer); // the flaw: never validated
            }
            for (int i = 0; i < buffer.size(); i++) {
                out.add(new SimpleImmutableEntry<>((K) buffer.key(i), (V) buffer.value(i)));
            }
            buffer.clear();
            cursor = end;
        }
        return out;
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                return walk().iterator();
            }

            @Override
            public int size() {
                return BrokenMap.this.size();
            }
        };
    }
}
