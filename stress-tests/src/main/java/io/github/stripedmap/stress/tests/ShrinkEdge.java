package io.github.stripedmap.stress.tests;

import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.stress.support.Fixtures;
import io.github.stripedmap.stress.support.Key;
import io.github.stripedmap.stress.support.Probe;

import java.util.Arrays;
import java.util.concurrent.ConcurrentMap;

/**
 * Common state of the remove/replace tests: one colliding chain that held 26 entries (4 buckets, three
 * overflow buckets still linked) and was deleted down to 7 (K1..K7), one above the shrink threshold,
 * so that deleting {@link #contested} (K5) starts a shrink 4 -> 2, and any write after it evacuates the
 * chain into the half-size array.
 */
public abstract class ShrinkEdge {

    protected final Probe probe = new Probe();
    protected final ConcurrentMap<Key, Integer> map;
    /** K1..K7 except K5: untouched by the actors. */
    protected final Key[] bystanders;
    /** K5, mapped to 5. */
    protected final Key contested = Key.colliding(5);

    protected ShrinkEdge() {
        map = newMap(probe);
        Key[] keys = Fixtures.colliding(1, Fixtures.FULL_4);
        Fixtures.fill(map, keys);
        Fixtures.removeAll(map, Arrays.copyOfRange(keys, Fixtures.SHRINK_4 + 1, keys.length));
        bystanders = new Key[] {keys[0], keys[1], keys[2], keys[3], keys[5], keys[6]};
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.buckets() == 4 && s.size() == Fixtures.SHRINK_4 + 1 && s.migration() == null,
                "7 entries in 4 buckets, one delete above a shrink: " + s);
    }

    /** @return the map under test (overridden by the negative control) */
    protected ConcurrentMap<Key, Integer> newMap(Probe p) {
        return Fixtures.tiny(p);
    }

    /** @return 1 if every bystander maps to its id and the table invariants hold, else 0 */
    protected int intact() {
        return Fixtures.damaged(map, bystanders) == 0 && Fixtures.invariants(map) == 1 ? 1 : 0;
    }
}
