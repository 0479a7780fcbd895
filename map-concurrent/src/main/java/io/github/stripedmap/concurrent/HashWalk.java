package io.github.stripedmap.concurrent;

import io.github.stripedmap.core.BucketTable;
import io.github.stripedmap.core.WalkBuffer;

/**
 * A weakly consistent walk over a range of a {@link StripedMap}: stripes {@code [lo, hi)}, and within
 * them the hash-order walk space {@code [from, to)} of {@link BucketTable#collect} (a sub-range only
 * when the walk covers a single stripe, as after a spliterator split).
 *
 * <p>Each step snapshots one bucket range of one stripe into a buffer under the stripe table's
 * seqlock (retrying if a writer stored meanwhile), then hands the pairs out one by one: nothing is held
 * between steps, no lock is ever taken, and the walk never waits for a remapping function. Because the
 * walk visits strictly increasing, disjoint ranges of the walk space, and an entry's walk position does
 * not depend on the table's size, a key is never returned twice and every key present for the whole
 * walk is returned, however the stripe grows, rebuilds or shrinks meanwhile. If a stripe's seed changes
 * (it was emptied and re-seeded), nothing in it was present for the whole walk, so the walk moves on.
 */
final class HashWalk {

    private final StripeArray stripes;
    private int stripe;
    private final int hi;
    private long cursor;
    private final long to;
    private long seed;
    private boolean seedKnown;
    private final WalkBuffer buffer = new WalkBuffer();
    private int next;

    HashWalk(StripeArray stripes, int lo, int hi, long from, long to) {
        this.stripes = stripes;
        this.stripe = lo;
        this.hi = hi;
        this.cursor = from;
        this.to = to;
    }

    /** @return true if a pair is available through {@link #key()} and {@link #value()} after {@link #advance()} */
    boolean advance() {
        next++;
        while (true) {
            for (int size = buffer.size(); next < size; next++) {
                if (buffer.key(next) != null) { // else a hole: an empty slot of a bucket copied whole
                    return true;
                }
            }
            if (!fill()) {
                return false;
            }
        }
    }

    Object key() {
        return buffer.key(next);
    }

    /** @return the index of the stripe that holds the pair at the cursor (after {@link #advance()} returned true) */
    int stripe() {
        return stripe;
    }

    Object value() {
        return buffer.value(next);
    }

    /**
     * Loads the next range that yielded any pair (possibly only holes, which {@link #advance()} skips); false
     * when the walk is over.
     */
    private boolean fill() {
        buffer.clear();
        next = 0;
        while (stripe < hi) {
            long limit = stripe == hi - 1 ? to : BucketTable.WALK_END;
            Stripe s = stripes.get(stripe);
            if (s == null || cursor >= limit) {
                nextStripe();
                continue;
            }
            BucketTable table = s.table;
            long end;
            long seedNow;
            while (true) {
                int stamp = table.beginRead();
                RuntimeException failure = null;
                end = cursor;
                seedNow = 0;
                try {
                    seedNow = table.walkSeed();
                    end = table.collect(cursor, limit, buffer);
                } catch (RuntimeException e) {
                    failure = e;
                }
                if (table.unchangedSince(stamp)) {
                    if (failure != null) {
                        throw failure;
                    }
                    break;
                }
                buffer.clear();
            }
            if (seedKnown && seedNow != seed) {
                buffer.clear();
                nextStripe();
                continue;
            }
            seed = seedNow;
            seedKnown = true;
            cursor = end;
            if (buffer.size() > 0) {
                return true;
            }
        }
        return false;
    }

    private void nextStripe() {
        stripe++;
        cursor = 0;
        seedKnown = false;
    }
}
