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
import org.openjdk.jcstress.infra.results.IIIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * clear() against a put whose insert starts a doubling (26 entries in 4 buckets): clear releases the
 * arrays and re-seeds; either order must leave a map whose size, lookups, iteration and table agree.
 */
@JCStressTest
@Description("clear() racing a put that starts a doubling: the map is consistent afterwards (size() equals the "
        + "entries iterated, the put's key is there iff the put came last, table invariants hold). Result: size, "
        + "get(N), entries iterated, pre-filled keys still found, invariants.")
@Outcome(id = "1, 100, 1, 0, 1", expect = ACCEPTABLE, desc = "clear first, then the put inserted into a fresh table.")
@Outcome(id = "0, 0, 0, 0, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "put first (starting a doubling), then clear dropped the half-migrated table.")
@Outcome(id = {"0, 100, .*", "1, 0, .*"}, expect = FORBIDDEN, desc = "size() disagrees with the lookup.")
@Outcome(id = "[^,]+, [^,]+, [^,]+, [1-9][0-9]*, .*", expect = FORBIDDEN, desc = "A cleared key survived.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (iteration disagrees, invariants broken, a call threw).")
@State
public class ClearVsPut {

    private final Probe probe = new Probe();
    private final StripedMap<Key, Integer> map = Fixtures.tiny(probe);
    private final Key[] filled = Fixtures.spread(1, Fixtures.FULL_4);
    private final Key added = Key.spread(100);

    public ClearVsPut() {
        Fixtures.fill(map, filled);
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.buckets() == 4 && s.migration() == null && s.size() == 26, "26 entries in 4 buckets: " + s);
    }

    @Actor
    public void clearer(IIIII_Result r) {
        map.clear();
    }

    @Actor
    public void putter(IIIII_Result r) {
        map.put(added, 100);
    }

    @Arbiter
    public void check(IIIII_Result r) {
        r.r1 = Fixtures.size(map);
        r.r2 = Fixtures.get(map, added);
        int iterated = 0;
        for (Key ignored : map.keySet()) {
            iterated++;
        }
        r.r3 = iterated;
        r.r4 = filled.length - Fixtures.damaged(map, filled);
        r.r5 = Fixtures.invariants(map);
    }
}
