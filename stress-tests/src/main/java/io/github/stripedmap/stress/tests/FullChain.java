package io.github.stripedmap.stress.tests;

import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.stress.support.Fixtures;
import io.github.stripedmap.stress.support.Key;
import io.github.stripedmap.stress.support.Probe;

import java.util.concurrent.ConcurrentMap;

/**
 * Common state of the atomic-operation tests: a one-stripe map holding one colliding chain of 26
 * entries in 4 buckets, so that the first insert of {@link #contested} (same hash code) starts a doubling
 * that evacuates the chain, while the other actor waits for the stripe lock and then searches the
 * half-migrated table's chain for the same key.
 */
public abstract class FullChain {

    protected final Probe probe = new Probe();
    protected final ConcurrentMap<Key, Integer> map;
    protected final Key[] filled = Fixtures.colliding(1, Fixtures.FULL_4);
    /** The key both actors operate on (absent at the start), colliding with the chain. */
    protected final Key contested = Key.colliding(100);

    protected FullChain() {
        map = newMap(probe);
        Fixtures.fill(map, filled);
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.buckets() == 4 && s.overflowBuckets() == 3 && s.migration() == null,
                "one chain of 26 in 4 buckets: " + s);
    }

    /** @return the map under test (overridden by the negative control) */
    protected ConcurrentMap<Key, Integer> newMap(Probe p) {
        return Fixtures.tiny(p);
    }

    /** @return 1 if every pre-filled key maps to its id and the table invariants hold, else 0 */
    protected int intact() {
        return Fixtures.damaged(map, filled) == 0 && Fixtures.invariants(map) == 1 ? 1 : 0;
    }
}
