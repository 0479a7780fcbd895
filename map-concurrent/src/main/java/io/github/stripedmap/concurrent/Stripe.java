package io.github.stripedmap.concurrent;

import io.github.stripedmap.core.BucketTable;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One stripe of a {@link StripedMap}: a {@link BucketTable} and the lock that serialises its writers.
 *
 * <p>The lock is the stripe itself (as Java 7's {@code ConcurrentHashMap} segments were), saving an
 * object per stripe. It is held by a writer for the whole of a write, including while it runs a user's
 * remapping function; readers never take it. The table's seqlock version, separate from the lock, is
 * odd only around the table's actual stores.
 */
final class Stripe extends ReentrantLock {

    private static final long serialVersionUID = 1L;

    /** The stripe's entries. */
    final transient BucketTable table;

    Stripe(int initialCapacity) {
        this.table = new BucketTable(initialCapacity);
    }

    /**
     * Takes the lock for a write, refusing a write from inside a remapping function that already
     * holds it (the function's own write would invalidate the positions the outer write is using).
     */
    void lockForWrite() {
        if (isHeldByCurrentThread()) {
            throw new IllegalStateException("Recursive update");
        }
        lock();
    }
}
