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
import org.openjdk.jcstress.infra.results.IIIII_Result;

import java.util.concurrent.ConcurrentMap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two puts of distinct new keys into a one-stripe table holding 26 entries in 4 buckets: whichever
 * put takes the stripe lock first is the 27th insert and starts a doubling to 8 buckets (evacuating 2
 * old buckets); the other one then inserts into the half-migrated table and evacuates more.
 */
@JCStressTest
@Description("Two puts of distinct keys where the first one starts a doubling (table pre-filled to one below "
        + "the threshold): both keys present afterwards with their values, size 28, every pre-filled key intact, "
        + "table invariants hold. Result: actor 2's get(A) after its own put, A, B, size, intact.")
@Outcome(id = "0, 101, 102, 28, 1", expect = ACCEPTABLE,
        desc = "Both inserts kept; actor 2 looked for A before A's put completed.")
@Outcome(id = "101, 101, 102, 28, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Both inserts kept; actor 2 already saw A, inserted by the other thread across the growth.")
@Outcome(id = {"[^,]+, 0, .*", "[^,]+, [^,]+, 0, .*"}, expect = FORBIDDEN, desc = "An insert was lost.")
@Outcome(id = ".*, 0", expect = FORBIDDEN,
        desc = "A pre-filled key was lost or changed, the table invariants are broken, or a put threw.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (wrong size, a call threw, a torn value).")
@State
public class PutPutGrowth {

    protected final Probe probe = new Probe();
    protected final ConcurrentMap<Key, Integer> map;
    protected final Key[] filled;
    protected final Key a;
    protected final Key b;

    public PutPutGrowth() {
        map = newMap(probe);
        filled = new Key[Fixtures.FULL_4];
        for (int i = 0; i < filled.length; i++) {
            filled[i] = key(1 + i);
        }
        Fixtures.fill(map, filled);
        a = key(101);
        b = key(102);
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.buckets() == 4 && s.migration() == null && s.size() == 26, "26 entries in 4 buckets: " + s);
    }

    /** @return the map under test (overridden by the negative control) */
    protected ConcurrentMap<Key, Integer> newMap(Probe p) {
        return Fixtures.tiny(p);
    }

    /** @return the key with this id (spread hash codes here; colliding in a subclass) */
    protected Key key(int id) {
        return Key.spread(id);
    }

    /** Set by an actor whose put threw; makes the arbiter report the table as not intact. */
    protected volatile boolean threw;

    @Actor
    public void putA(IIIII_Result r) {
        try {
            map.put(a, 101);
        } catch (RuntimeException e) {
            threw = true;
        }
    }

    @Actor
    public void putB(IIIII_Result r) {
        try {
            map.put(b, 102);
        } catch (RuntimeException e) {
            threw = true;
        }
        r.r1 = Fixtures.get(map, a);
    }

    @Arbiter
    public void check(IIIII_Result r) {
        r.r2 = Fixtures.get(map, a);
        r.r3 = Fixtures.get(map, b);
        r.r4 = Fixtures.size(map);
        r.r5 = !threw && Fixtures.damaged(map, filled) == 0 && Fixtures.invariants(map) == 1 ? 1 : 0;
    }
}
