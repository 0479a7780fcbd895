package io.github.stripedmap.core;

import java.util.Arrays;

/**
 * A reusable buffer of key/value pairs that {@link BucketTable#collect} fills for hash-order walks
 * (weakly consistent iteration of a concurrent map). Not thread-safe: one per walk.
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
     * @return its key
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
        if (2 * size == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[2 * size] = key;
        pairs[2 * size + 1] = value;
        size++;
    }
}
