package io.github.stripedmap.core;

/**
 * Main bucket index to the id of its first overflow bucket: an insert-only open-addressing table
 * ({@code int} keys and values, linear probing, at most half full). A cell's key and value are adjacent
 * in one array, so a probe that finds its key has the value on the same cache line (in a large table
 * every probe is a cache miss).
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

    /** Words per cell: the key (bucket index + 1, 0 for a free cell), then the value (overflow id). */
    private static final int CELL_WORDS = 2;

    /** Cell {@code i}: key at {@code 2i}, value at {@code 2i + 1}; null until the first link. */
    private int[] cells;
    private int size;

    /** @return a copy with the same links */
    OverflowLinks copy() {
        OverflowLinks copy = new OverflowLinks();
        copy.cells = cells == null ? null : cells.clone();
        copy.size = size;
        return copy;
    }

    /** The first overflow id of {@code bucket}, or {@link BucketArray#NONE}. */
    int get(int bucket) {
        int[] c = cells;
        if (c == null) {
            return BucketArray.NONE;
        }
        int mask = capacity(c) - 1;
        int wanted = bucket + 1;
        for (int i = (bucket * SPREAD) & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            int key = c[i * CELL_WORDS];
            if (key == wanted) {
                return c[i * CELL_WORDS + 1];
            }
            if (key == 0) {
                return BucketArray.NONE;
            }
        }
        return BucketArray.NONE;
    }

    /** Cells of a cell array. */
    private static int capacity(int[] c) {
        return c.length / CELL_WORDS;
    }

    /** Links {@code bucket} to {@code overflowId}; the bucket must have no link yet. Writer only. */
    void put(int bucket, int overflowId) {
        if (cells == null) {
            cells = new int[INITIAL_CAPACITY * CELL_WORDS];
        } else if ((size + 1) * 2 > capacity(cells)) {
            cells = rehashed(cells, capacity(cells) * 2);
        }
        insert(cells, bucket, overflowId);
        size++;
    }

    /**
     * Removes main bucket {@code bucket}'s link, if it has one, by backward-shift deletion (no tombstones:
     * the cells after it that probed past it move back, so every lookup still ends at an empty cell).
     * Writer only, inside a mutation window; an optimistic reader probing meanwhile may miss a link and is
     * discarded by its validation.
     */
    void remove(int bucket) {
        int[] c = cells;
        if (c == null) {
            return;
        }
        int mask = capacity(c) - 1;
        int wanted = bucket + 1;
        int hole = (bucket * SPREAD) & mask;
        for (int probes = 0; c[hole * CELL_WORDS] != wanted; hole = (hole + 1) & mask) {
            if (c[hole * CELL_WORDS] == 0 || ++probes > mask) {
                return;
            }
        }
        for (int i = (hole + 1) & mask; c[i * CELL_WORDS] != 0; i = (i + 1) & mask) {
            int home = ((c[i * CELL_WORDS] - 1) * SPREAD) & mask;
            // the cell at i may fill the hole unless its home lies cyclically in (hole, i]
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                c[hole * CELL_WORDS] = c[i * CELL_WORDS];
                c[hole * CELL_WORDS + 1] = c[i * CELL_WORDS + 1];
                hole = i;
            }
        }
        c[hole * CELL_WORDS] = 0;
        c[hole * CELL_WORDS + 1] = 0;
        size--;
    }

    private static void insert(int[] c, int bucket, int overflowId) {
        int mask = capacity(c) - 1;
        int i = (bucket * SPREAD) & mask;
        while (c[i * CELL_WORDS] != 0) {
            i = (i + 1) & mask;
        }
        c[i * CELL_WORDS + 1] = overflowId;
        c[i * CELL_WORDS] = bucket + 1;
    }

    /** The links of {@code from} (may be null) in a new cell array of {@code capacity} cells. */
    private static int[] rehashed(int[] from, int capacity) {
        int[] c = new int[capacity * CELL_WORDS];
        if (from != null) {
            for (int i = 0; i < from.length; i += CELL_WORDS) {
                if (from[i] != 0) {
                    insert(c, from[i] - 1, from[i + 1]);
                }
            }
        }
        return c;
    }

    /**
     * A copy with room for {@code n} more links without rehashing, or null if this table has that room
     * already. Changes nothing (the owner allocates it before a mutation window and {@link #adopt}s it
     * inside).
     */
    OverflowLinks withRoomFor(int n) {
        long needed = ((long) size + n) * 2;
        if (cells != null && needed <= capacity(cells)) {
            return null;
        }
        int capacity = cells == null ? INITIAL_CAPACITY : capacity(cells);
        while (capacity < needed && capacity < (1 << 29)) {
            capacity *= 2;
        }
        OverflowLinks grown = new OverflowLinks();
        grown.cells = rehashed(cells, capacity);
        grown.size = size;
        return grown;
    }

    /** Takes over the arrays of a table made by {@link #withRoomFor} (inside a mutation window). */
    void adopt(OverflowLinks grown) {
        cells = grown.cells;
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
        return BucketArray.ARRAY_HEADER_BYTES + (long) Integer.BYTES * CELL_WORDS * capacity;
    }

    long estimatedBytes() {
        return cells == null ? 0 : BucketArray.ARRAY_HEADER_BYTES + (long) Integer.BYTES * cells.length;
    }
}
