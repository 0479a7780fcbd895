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
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.Arrays;
import java.util.concurrent.ConcurrentMap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A lock-free reader against a shrink: the constructor fills one colliding chain with 26 keys (4
 * buckets) and deletes down to 7 entries, one above the shrink threshold. The writer's first delete
 * leaves 6 and starts a shrink 4 -> 2 buckets (nothing moved yet); its second delete evacuates the old
 * bucket holding the chain (the 5 survivors move to the new array) and the next one.
 */
@JCStressTest
@Description("get of present keys racing the delete that starts a shrink and the delete that evacuates their "
        + "(overflowing) bucket into the half-size array: never null, never another key's value. Result: "
        + "surviving keys not read back with their own value, the reader's get of the first deleted key, 1 if "
        + "a shrink started and moved the chain.")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "Survivors read correctly; K1 read before its delete.")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Survivors read correctly, K1 already gone: the reader ran after the delete that started the shrink.")
@Outcome(id = "[1-9][0-9]*, .*", expect = FORBIDDEN,
        desc = "A surviving key read as absent or with another key's value while the shrink moved it.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A lookup threw (a torn read was trusted).")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "No shrink moved the chain: the window was not exercised.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class GetDuringShrink {

    protected final Probe probe = new Probe();
    protected final ConcurrentMap<Key, Integer> map;
    /** K1..K7 stay after the constructor; K1 and K2 are deleted by the writer; K3..K7 survive. */
    protected final Key[] keys = Fixtures.colliding(1, Fixtures.FULL_4);

    public GetDuringShrink() {
        map = newMap(probe);
        Fixtures.fill(map, keys);
        Fixtures.removeAll(map, Arrays.copyOfRange(keys, Fixtures.SHRINK_4 + 1, keys.length));
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.buckets() == 4 && s.size() == Fixtures.SHRINK_4 + 1 && s.migration() == null,
                "7 entries in 4 buckets, one delete above a shrink: " + s);
        probe.moved = 0;
    }

    /** @return the map under test (overridden by the negative control) */
    protected ConcurrentMap<Key, Integer> newMap(Probe p) {
        return Fixtures.tiny(p);
    }

    @Actor
    public void writer(III_Result r) {
        map.remove(keys[0]);
        map.remove(keys[1]);
    }

    @Actor
    public void reader(III_Result r) {
        int bad = 0;
        try {
            for (int i = Fixtures.SHRINK_4; i >= 2; i--) {
                Integer v = map.get(keys[i]);
                if (v == null || v != keys[i].id) {
                    bad++;
                }
            }
            r.r2 = Fixtures.value(map.get(keys[0]));
        } catch (RuntimeException e) {
            bad = Fixtures.THREW;
        }
        r.r1 = bad;
    }

    @Arbiter
    public void check(III_Result r) {
        r.r3 = probe.started(MigrationKind.SHRINK) == 1 && probe.moved >= Fixtures.SHRINK_4 - 1 ? 1 : 0;
    }
}
