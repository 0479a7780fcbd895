package io.github.stripedmap.stress.tests;

import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.stress.support.Fixtures;
import io.github.stripedmap.stress.support.Key;
import io.github.stripedmap.stress.support.Probe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.Arrays;
import java.util.concurrent.ConcurrentMap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A weakly consistent iteration against the deletes of a shrink: 26 keys with distinct hash codes are
 * deleted down to 7 (4 buckets, one delete above the shrink threshold); the writer deletes 3 more: the
 * first starts a shrink 4 -> 2, the next two evacuate at least 3 of the 4 old buckets (all 4, and release
 * the old array, unless the third delete's own bucket was already evacuated).
 * The walk visits hash-order ranges whose meaning does not depend on the table size, so it must return
 * each survivor exactly once however the table halves under it.
 */
@JCStressTest
@Description("Iteration (keySet) racing deletes that start and complete a shrink: no key twice, every key "
        + "present throughout seen, nothing never inserted. Result: keys returned twice, survivors missed, "
        + "deleted keys seen (0..3), 1 if a shrink started and evacuated at least 3 of its 4 old buckets.")
@Outcome(id = {"0, 0, 0, 1", "0, 0, 3, 1"}, expect = ACCEPTABLE,
        desc = "Every survivor once; the walk saw none or all of the deleted keys.")
@Outcome(id = "0, 0, [12], 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Every survivor once, some deleted keys: the walk overlapped the shrink.")
@Outcome(id = "[1-9][0-9]*, .*", expect = FORBIDDEN, desc = "A key was returned twice.")
@Outcome(id = "[^,]+, [1-9][0-9]*, .*", expect = FORBIDDEN, desc = "A key present throughout was missed.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "The iteration threw or returned a key that was never inserted.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class IterationDuringShrink {

    protected final Probe probe = new Probe();
    protected final ConcurrentMap<Key, Integer> map;
    /** K1..K3 are deleted by the writer, K4..K7 survive. */
    protected final Key[] keys = Fixtures.spread(1, Fixtures.FULL_4);

    public IterationDuringShrink() {
        map = newMap(probe);
        Fixtures.fill(map, keys);
        Fixtures.removeAll(map, Arrays.copyOfRange(keys, Fixtures.SHRINK_4 + 1, keys.length));
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.buckets() == 4 && s.size() == Fixtures.SHRINK_4 + 1 && s.migration() == null,
                "7 entries in 4 buckets, one delete above a shrink: " + s);
        probe.evacuations = 0;
    }

    /** @return the map under test */
    protected ConcurrentMap<Key, Integer> newMap(Probe p) {
        return Fixtures.tiny(p);
    }

    @Actor
    public void writer(IIII_Result r) {
        map.remove(keys[0]);
        map.remove(keys[1]);
        map.remove(keys[2]);
    }

    @Actor
    public void walker(IIII_Result r) {
        int[] seen = new int[Fixtures.SHRINK_4 + 2];
        try {
            for (Key k : map.keySet()) {
                seen[k.id]++; // an id outside [1, 7] throws: never inserted or deleted before the race
            }
        } catch (RuntimeException e) {
            r.r1 = Fixtures.THREW;
            return;
        }
        int twice = 0;
        int missed = 0;
        for (int id = 1; id < seen.length; id++) {
            if (seen[id] > 1) {
                twice++;
            }
            if (id > 3 && seen[id] == 0) {
                missed++;
            }
        }
        r.r1 = twice;
        r.r2 = missed;
        r.r3 = seen[1] + seen[2] + seen[3];
    }

    @Arbiter
    public void check(IIII_Result r) {
        r.r4 = probe.started(MigrationKind.SHRINK) == 1 && probe.evacuations >= 3 ? 1 : 0;
    }
}
