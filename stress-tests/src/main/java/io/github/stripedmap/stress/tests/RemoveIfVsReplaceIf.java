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

/** remove(k, v) against replace(k, v, w) on a key whose removal starts a shrink. */
@JCStressTest
@Description("remove(K, 5) vs replace(K, 5, 500) on a colliding key whose removal starts a shrink: exactly one "
        + "succeeds. Result: removed (1/0, -1 threw), replaced (1/0, -1 threw), final value (0 = absent), size, "
        + "bystanders and invariants intact.")
@Outcome(id = "1, 0, 0, 6, 1", expect = ACCEPTABLE,
        desc = "remove first (starting the shrink); replace then found nothing.")
@Outcome(id = "0, 1, 500, 7, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "replace first; remove(K, 5) then saw 500 and left it.")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Both succeeded: one acted on a stale value.")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "Neither succeeded.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (wrong final state, a bystander damaged, a call threw).")
@State
public class RemoveIfVsReplaceIf extends ShrinkEdge {

    @Actor
    public void remover(IIIII_Result r) {
        try {
            r.r1 = map.remove(contested, 5) ? 1 : 0;
        } catch (RuntimeException e) {
            r.r1 = Fixtures.THREW;
        }
    }

    @Actor
    public void replacer(IIIII_Result r) {
        try {
            r.r2 = map.replace(contested, 5, 500) ? 1 : 0;
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
