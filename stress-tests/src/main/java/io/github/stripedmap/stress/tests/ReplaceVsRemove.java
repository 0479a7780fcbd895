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

/** replace(k, v) against remove(k) on a key whose removal starts a shrink. */
@JCStressTest
@Description("replace(K, 50) vs remove(K) on a colliding key whose removal starts a shrink: replace never "
        + "resurrects a removed key and remove returns the value in force. Result: replace's return (0 = null), "
        + "remove's return, final value, size, bystanders intact.")
@Outcome(id = "5, 50, 0, 6, 1", expect = ACCEPTABLE, desc = "replace first, then remove took the new value.")
@Outcome(id = "0, 5, 0, 6, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "remove first (starting the shrink); replace then found no mapping and did nothing.")
@Outcome(id = "5, 5, .*", expect = FORBIDDEN, desc = "Both saw the old value: the replacement was lost.")
@Outcome(id = "[^,]+, [^,]+, 50, .*", expect = FORBIDDEN, desc = "replace resurrected a removed key.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (a bystander damaged, a call threw).")
@State
public class ReplaceVsRemove extends ShrinkEdge {

    @Actor
    public void replacer(IIIII_Result r) {
        try {
            r.r1 = Fixtures.value(map.replace(contested, 50));
        } catch (RuntimeException e) {
            r.r1 = Fixtures.THREW;
        }
    }

    @Actor
    public void remover(IIIII_Result r) {
        try {
            r.r2 = Fixtures.value(map.remove(contested));
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
