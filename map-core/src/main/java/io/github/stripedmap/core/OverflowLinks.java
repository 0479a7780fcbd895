package io.github.stripedmap.core;

/**
 * Main bucket index to the id of its first overflow bucket: an insert-only open-addressing table
 * ({@code int} keys and values, linear probing, at most half full).
 *
 * <p>Links are never removed: as in Go, an overflow bucket stays linked until its whole array is
 * dropped by a migration. Writers replace the arrays when the table grows; optimistic readers may
 * see the old or new arrays or a torn mix, so lookups are bounded by the capacity.
 */
final class OverflowLinks {

    /** First capacity (a power of two). */
    private static final int INITIAL_CAPACITY = 8;
    /** Fibonacci hashing multiplier: spreads consecutive bucket indexes. */
    private static final int SPREAD = 0x9E3779B9;

    /** Bucket index + 1, 0 for a free cell. */
    private int[] keys;
    private int[] values;
    private int size;

    /** @return a copy with the same links */
    OverflowLinks copy() {
        OverflowLinks copy = new OverflowLinks();
        copy.keys = keys == null ? null : keys.clone();
        copy.values = values == null ? null : values.clone();
        copy.size = size;
        return copy;
    }

    /** The first overflow id of {@code bucket}, or {@link BucketArray#NONE}. */
    int get(int bucket) {
        int[] k = keys;
        int[] v = values;
        if (k == null) {
            return BucketArray.NONE;
        }
        int mask = k.length - 1;
        int wanted = bucket + 1;
        for (int i = (bucket * SPREAD) & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            int key = k[i];
            if (key == wanted) {
                return v[i];
            }
            if (key == 0) {
                return BucketArray.NONE;
            }
        }
        return BucketArray.NONE;
    }

    /** Links {@code bucket} to {@code overflowId}; the bucket must have no link yet. Writer only. */
    void put(int bucket, int overflowId) {
        if (keys == null) {
            keys = new int[INITIAL_CAPACITY];
            values = new int[INITIAL_CAPACITY];
        } else if ((size + 1) * 2 > keys.length) {
            rehash(keys.length * 2);
        }
        insert(keys, values, bucket, overflowId);
        size++;
    }

    private static void insert(int[] k, int[] v, int bucket, int overflowId) {
        int mask = k.length - 1;
        int i = (bucket * SPREAD) & mask;
        while (k[i] != 0) {
            i = (i + 1) & mask;
        }
        v[i] = overflowId;
        k[i] = bucket + 1;
    }

    private void rehash(int capacity) {
        int[] k = new int[capacity];
        int[] v = new int[capacity];
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                insert(k, v, keys[i] - 1, values[i]);
            }
        }
        keys = k;
        values = v;
    }

    /**
     * A copy with room for {@code n} more links without rehashing, or null if this table has that room
     * already. Changes nothing (the owner allocates it before a mutation window and {@link #adopt}s it
     * inside).
     */
    OverflowLinks withRoomFor(int n) {
        long needed = ((long) size + n) * 2;
        if (keys != null && needed <= keys.length) {
            return null;
        }
        int capacity = keys == null ? INITIAL_CAPACITY : keys.length;
        while (capacity < needed && capacity < (1 << 30)) {
            capacity *= 2;
        }
        OverflowLinks grown = new OverflowLinks();
        grown.keys = new int[capacity];
        grown.values = new int[capacity];
        if (keys != null) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != 0) {
                    insert(grown.keys, grown.values, keys[i] - 1, values[i]);
                }
            }
        }
        grown.size = size;
        return grown;
    }

    /** Takes over the arrays of a table made by {@link #withRoomFor} (inside a mutation window). */
    void adopt(OverflowLinks grown) {
        keys = grown.keys;
        values = grown.values;
        size = grown.size;
    }

    /** Buckets that have a link. */
    int size() {
        return size;
    }

    /** Estimated bytes of a table holding {@code links} links that never grew past what they need. */
    static long predictedBytes(int links) {
        if (links == 0) {
            return 0;
        }
        long capacity = INITIAL_CAPACITY;
        while (links * 2L > capacity) {
            capacity *= 2;
        }
        return 2L * (BucketArray.ARRAY_HEADER_BYTES + Integer.BYTES * capacity);
    }

    long estimatedBytes() {
        return keys == null ? 0 : 2L * (BucketArray.ARRAY_HEADER_BYTES + (long) Integer.BYTES * keys.length);
    }
}
