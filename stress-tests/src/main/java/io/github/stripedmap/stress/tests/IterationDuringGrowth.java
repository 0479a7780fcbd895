package io.github.stripedmap.stress.tests;

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

import java.util.concurrent.ConcurrentMap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A weakly consistent iteration against three inserts: the first starts a doubling of the 26-entry,
 * 4-bucket table, the next two evacuate the rest and release the old array, so the walk crosses old and
 * new arrays while entries move between them.
 */
@JCStressTest
@Description("Iteration (keySet) racing inserts that cause a doubling and its evacuations: no key twice, every "
        + "pre-existing key seen, nothing that was never inserted. Result: keys returned twice, pre-existing keys "
        + "missed, new keys seen (0..3), 1 if the writer's growth ran.")
@Outcome(id = {"0, 0, 0, 1", "0, 0, 3, 1"}, expect = ACCEPTABLE,
        desc = "Every pre-existing key once; the walk saw none or all of the new keys.")
@Outcome(id = "0, 0, [12], 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Every pre-existing key once, some new keys: the walk overlapped the growth.")
@Outcome(id = "[1-9][0-9]*, .*", expect = FORBIDDEN, desc = "A key was returned twice.")
@Outcome(id = "[^,]+, [1-9][0-9]*, .*", expect = FORBIDDEN, desc = "A key present throughout was missed.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "The iteration threw or returned a key that was never inserted.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class IterationDuringGrowth {

    protected final Probe probe = new Probe();
    protected final ConcurrentMap<Key, Integer> map;
    protected final Key[] filled = Fixtures.spread(1, Fixtures.FULL_4);

    public IterationDuringGrowth() {
        map = newMap(probe);
        Fixtures.fill(map, filled);
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.buckets() == 4 && s.migration() == null && s.size() == 26, "26 entries in 4 buckets: " + s);
        probe.finished = 0;
    }

    /** @return the map under test (overridden by the negative control) */
    protected ConcurrentMap<Key, Integer> newMap(Probe p) {
        return Fixtures.tiny(p);
    }

    @Actor
    public void writer(IIII_Result r) {
        map.put(Key.spread(101), 101);
        map.put(Key.spread(102), 102);
        map.put(Key.spread(103), 103);
    }

    @Actor
    public void walker(IIII_Result r) {
        int[] seen = new int[104];
        try {
            for (Key k : map.keySet()) {
                seen[k.id]++; // an id outside [1, 26] U [101, 103] throws: never inserted
                if (k.id > Fixtures.FULL_4 && k.id < 101) {
                    throw new IllegalStateException("never inserted: " + k);
                }
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
        }
        for (int id = 1; id <= Fixtures.FULL_4; id++) {
            if (seen[id] == 0) {
                missed++;
            }
        }
        r.r1 = twice;
        r.r2 = missed;
        r.r3 = seen[101] + seen[102] + seen[103];
    }

    @Arbiter
    public void check(IIII_Result r) {
        r.r4 = probe.finished == 1 ? 1 : 0;
    }
}
