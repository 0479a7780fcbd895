package io.github.stripedmap.stress.tests;

import io.github.stripedmap.concurrent.StripedMap;
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

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A lock-free reader against a removal that compacts its chain. Nine colliding keys make one chain: the
 * main bucket full (K1..K8) and K9 alone in an overflow bucket (initial capacity 13: two buckets, no
 * growth). Removing K1 moves the chain's last entry, K9, into K1's slot and puts the emptied overflow
 * bucket on the free list, in one mutation window. K9 is present the whole time: the reader must find it,
 * whether it reads the chain before, during (then it retries) or after the move.
 */
@JCStressTest
@Description("get of a key that a concurrent remove of another key moves from the chain's overflow bucket into "
        + "the main bucket (and whose emptied overflow bucket it frees): the moved key is always found. Result: "
        + "get(K9), get(K1), size afterwards, table invariants afterwards.")
@Outcome(id = "9, 1, 8, 1", expect = ACCEPTABLE, desc = "The reader ran before the removal.")
@Outcome(id = "9, 0, 8, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "K1 already removed: the reader saw K9 moved (or overlapped the move and retried).")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "The moved key, present all along, was read as absent.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A lookup threw (a torn read was trusted).")
@Outcome(expect = FORBIDDEN, desc = "Anything else (another key's value, a wrong size, broken invariants).")
@State
public class GetDuringCompactingRemove {

    private final Probe probe = new Probe();
    private final StripedMap<Key, Integer> map = Fixtures.striped(1, 13, probe);
    private final Key[] keys = Fixtures.colliding(1, 9);

    public GetDuringCompactingRemove() {
        Fixtures.fill(map, keys);
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.buckets() == 2 && s.overflowBuckets() == 1 && s.size() == 9 && s.migration() == null,
                "9 colliding entries in 2 buckets, one overflow bucket: " + s);
    }

    @Actor
    public void remover(IIII_Result r) {
        map.remove(keys[0]);
    }

    @Actor
    public void reader(IIII_Result r) {
        r.r1 = Fixtures.get(map, keys[8]);
        r.r2 = Fixtures.get(map, keys[0]);
    }

    @Arbiter
    public void check(IIII_Result r) {
        r.r3 = Fixtures.size(map);
        r.r4 = Fixtures.invariants(map) == 1 && Fixtures.shape(map).overflowBuckets() == 1 ? 1 : 0;
    }
}
