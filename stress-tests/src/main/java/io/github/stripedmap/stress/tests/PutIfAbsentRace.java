package io.github.stripedmap.stress.tests;

import io.github.stripedmap.stress.support.Fixtures;
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

/** Two putIfAbsent of one absent key whose insert starts a doubling of the chain it collides with. */
@JCStressTest
@Description("putIfAbsent race on one absent key (colliding with a full chain, so the winner's insert starts a "
        + "doubling): exactly one winner, the loser gets the winner's value, the map holds it once. Result: "
        + "actor 1's return (0 = null), actor 2's return, final value, size, pre-filled keys and invariants intact.")
@Outcome(id = "0, 101, 101, 27, 1", expect = ACCEPTABLE, desc = "Actor 1 won; actor 2 got its value.")
@Outcome(id = "102, 0, 102, 27, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Actor 2 won; actor 1 got its value (both orders are exercised).")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "Both won: the check and the insert were not atomic.")
@Outcome(id = {"[^,]+, [^,]+, [^,]+, (?!27)[^,]+, .*", ".*, 0"}, expect = FORBIDDEN,
        desc = "The key is in the map twice or not at all, or the table is damaged.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (a loser saw another value, a call threw).")
@State
public class PutIfAbsentRace extends FullChain {

    @Actor
    public void first(IIIII_Result r) {
        try {
            r.r1 = Fixtures.value(map.putIfAbsent(contested, 101));
        } catch (RuntimeException e) {
            r.r1 = Fixtures.THREW;
        }
    }

    @Actor
    public void second(IIIII_Result r) {
        try {
            r.r2 = Fixtures.value(map.putIfAbsent(contested, 102));
        } catch (RuntimeException e) {
            r.r2 = Fixtures.THREW;
        }
    }

    @Arbiter
    public void check(IIIII_Result r) {
        r.r3 = Fixtures.get(map, contested);
        r.r4 = Fixtures.size(map);
        r.r5 = intact();
    }
}
