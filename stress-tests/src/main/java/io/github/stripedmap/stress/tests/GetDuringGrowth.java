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
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.ConcurrentMap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A lock-free reader against the put that starts a doubling and, in the same call, evacuates the
 * reader's bucket. All 26 pre-filled keys share one hash code, so they form one chain (main bucket
 * plus three overflow buckets) in one of the 4 old buckets, and the new key (same hash code) makes the
 * writer evacuate exactly that chain: every lookup of the reader hits the entries being moved.
 */
@JCStressTest
@Description("get of keys present before, racing a put that starts a doubling and evacuates their (overflowing) "
        + "bucket: never null, never another key's value. Result: pre-filled keys the reader did not find with "
        + "their own value, the reader's get of the new key, 1 if the writer really moved the whole chain.")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "Every present key read correctly; the new key not yet visible.")
@Outcome(id = "0, 100, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Every present key read correctly and the new key already visible: the reader ran across the growth.")
@Outcome(id = "[1-9][0-9]*, .*", expect = FORBIDDEN,
        desc = "A present key read as absent or with another key's value while its chain was evacuated.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A lookup threw (a torn read was trusted).")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "The writer did not evacuate the chain: the window was not exercised.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class GetDuringGrowth {

    protected final Probe probe = new Probe();
    protected final ConcurrentMap<Key, Integer> map;
    protected final Key[] filled = Fixtures.colliding(1, Fixtures.FULL_4);
    protected final Key added = Key.colliding(100);

    public GetDuringGrowth() {
        map = newMap(probe);
        Fixtures.fill(map, filled);
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.buckets() == 4 && s.overflowBuckets() == 3 && s.migration() == null,
                "one chain of 26 in 4 buckets: " + s);
        probe.moved = 0;
    }

    /** @return the map under test (overridden by the negative control) */
    protected ConcurrentMap<Key, Integer> newMap(Probe p) {
        return Fixtures.tiny(p);
    }

    @Actor
    public void writer(III_Result r) {
        map.put(added, 100);
    }

    @Actor
    public void reader(III_Result r) {
        int bad = 0;
        try {
            for (int i = filled.length - 1; i >= 0; i--) { // from the chain's end, against the evacuation
                Integer v = map.get(filled[i]);
                if (v == null || v != filled[i].id) {
                    bad++;
                }
            }
            r.r2 = Fixtures.value(map.get(added));
        } catch (RuntimeException e) {
            bad = Fixtures.THREW;
        }
        r.r1 = bad;
    }

    @Arbiter
    public void check(III_Result r) {
        r.r3 = probe.moved >= filled.length ? 1 : 0;
    }
}
