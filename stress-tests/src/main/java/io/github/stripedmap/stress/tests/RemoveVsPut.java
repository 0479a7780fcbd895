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

/** remove(k) against put(k) on a key whose removal starts a shrink. */
@JCStressTest
@Description("remove(K) vs put(K, 50) on a colliding key whose removal starts a shrink (the put then re-inserts "
        + "into the shrinking table and evacuates the chain): the two returns and the final state agree with one "
        + "order. Result: remove's return, put's return (0 = null), final value, size, bystanders intact.")
@Outcome(id = "5, 0, 50, 7, 1", expect = ACCEPTABLE,
        desc = "remove first (starting the shrink), then the put re-inserted K into the shrinking table.")
@Outcome(id = "50, 5, 0, 6, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "put first (overwrite), then remove took the new value and started the shrink.")
@Outcome(id = "5, 5, .*", expect = FORBIDDEN, desc = "Both saw the old value: one write was lost.")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "A bystander was lost or the table invariants are broken.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (a call threw, the final state matches no order).")
@State
public class RemoveVsPut extends ShrinkEdge {

    @Actor
    public void remover(IIIII_Result r) {
        try {
            r.r1 = Fixtures.value(map.remove(contested));
        } catch (RuntimeException e) {
            r.r1 = Fixtures.THREW;
        }
    }

    @Actor
    public void putter(IIIII_Result r) {
        try {
            r.r2 = Fixtures.value(map.put(contested, 50));
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
