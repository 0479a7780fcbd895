package io.github.stripedmap.core;

import java.util.Arrays;

/**
 * A reusable buffer of key/value pairs that {@link BucketTable#collect} fills for hash-order walks
 * (weakly consistent iteration of a concurrent map). A bucket that lies wholly in the walked range is
 * copied with its empty slots, whose key is null: a reader skips the pairs with a null key (holes), which
 * {@link #size()} counts. Not thread-safe: one per walk.
 */
public final class WalkBuffer {

    /** First capacity in pairs: one bucket holds eight. */
    private static final int INITIAL_PAIRS = 16;

    private Object[] pairs = new Object[2 * INITIAL_PAIRS];
    private int size;

    /** @return the number of pairs */
    public int size() {
        return size;
    }

    /**
     * @param i index of a pair, below {@link #size()}
     * @return its key, or null for a hole (an empty slot of a copied bucket)
     */
    public Object key(int i) {
        return pairs[2 * i];
    }

    /**
     * @param i index of a pair, below {@link #size()}
     * @return its value
     */
    public Object value(int i) {
        return pairs[2 * i + 1];
    }

    /** Forgets every pair (and drops the references). */
    public void clear() {
        Arrays.fill(pairs, 0, 2 * size, null);
        size = 0;
    }

    void add(Object key, Object value) {
        ensureRoomFor(1);
        pairs[2 * size] = key;
        pairs[2 * size + 1] = value;
        size++;
    }

    /**
     * Appends a whole bucket, holes included: {@code 2 * slots} consecutive references from {@code words} at
     * {@code from}, keys at even offsets. One bulk copy instead of a store per key and value.
     */
    void addBucket(Object[] words, int from, int slots) {
        ensureRoomFor(slots);
        System.arraycopy(words, from, pairs, 2 * size, 2 * slots);
        size += slots;
    }

    private void ensureRoomFor(int more) {
        int wanted = 2 * (size + more);
        if (wanted > pairs.length) {
            pairs = Arrays.copyOf(pairs, Math.max(wanted, pairs.length * 2));
        }
    }
}
