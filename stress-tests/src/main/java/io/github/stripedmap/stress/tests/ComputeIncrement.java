package io.github.stripedmap.stress.tests;

import io.github.stripedmap.stress.support.Fixtures;
import io.github.stripedmap.stress.support.Key;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import java.util.function.BiFunction;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Two compute increments of one absent key whose first insert starts a doubling of the chain it collides with. */
@JCStressTest
@Description("compute increments from two actors on one absent key (the first insert starts a doubling of the "
        + "colliding chain): the final count is exactly 2, each actor saw its own step. Result: actor 1's result, "
        + "actor 2's result, final value, size, pre-filled keys and invariants intact.")
@Outcome(id = "1, 2, 2, 27, 1", expect = ACCEPTABLE, desc = "Actor 1 inserted 1, actor 2 incremented to 2.")
@Outcome(id = "2, 1, 2, 27, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Actor 2 inserted 1, actor 1 incremented to 2 (both orders are exercised).")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Lost update: both computed from an absent key.")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "A pre-filled key was lost or the table invariants are broken.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (the key twice, a wrong count, a call threw).")
@State
public class ComputeIncrement extends FullChain {

    private static final BiFunction<Key, Integer, Integer> INCREMENT = (k, v) -> v == null ? 1 : v + 1;

    @Actor
    public void first(IIIII_Result r) {
        try {
            r.r1 = Fixtures.value(map.compute(contested, INCREMENT));
        } catch (RuntimeException e) {
            r.r1 = Fixtures.THREW;
        }
    }

    @Actor
    public void second(IIIII_Result r) {
        try {
            r.r2 = Fixtures.value(map.compute(contested, INCREMENT));
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
