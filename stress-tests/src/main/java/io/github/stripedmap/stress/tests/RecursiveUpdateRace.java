package io.github.stripedmap.stress.tests;

import io.github.stripedmap.concurrent.StripedMap;
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
 * A remapping function that tries a recursive write (refused with {@code IllegalStateException}, which it
 * catches) and then returns normally, while a lock-free reader reads the key being computed: the outer
 * compute must still succeed, the refused write must leave no trace, and the reader must never wait for
 * the function or see a half-made entry.
 */
@JCStressTest
@Description("Recursive update refused inside compute (the function catches the IllegalStateException and "
        + "returns 1) while a lock-free reader reads the computed key: refusal seen, the compute succeeds, the "
        + "recursive key absent. Result: refusals seen, reader's get(K), final K, final K2, intact.")
@Outcome(id = "1, 0, 1, 0, 1", expect = ACCEPTABLE, desc = "The reader ran before the compute stored K.")
@Outcome(id = "1, 1, 1, 0, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "The reader saw K right after the compute (it never waited for the function).")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "The recursive write was not refused.")
@Outcome(id = "[^,]+, [^,]+, [^,]+, [1-9][0-9]*, .*", expect = FORBIDDEN, desc = "The refused write left K2 behind.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (the compute failed, the table is damaged, a call threw).")
@State
public class RecursiveUpdateRace {

    private final StripedMap<Key, Integer> map = Fixtures.tiny(new Probe());
    private final Key[] filled = Fixtures.colliding(1, Fixtures.FULL_4);
    private final Key outer = Key.colliding(100);
    private final Key inner = Key.colliding(101);
    private int refusals;

    public RecursiveUpdateRace() {
        Fixtures.fill(map, filled);
    }

    @Actor
    public void computer(IIIII_Result r) {
        try {
            map.compute(outer, (k, v) -> {
                try {
                    map.put(inner, 9);
                } catch (IllegalStateException expected) {
                    refusals++;
                }
                return 1;
            });
        } catch (RuntimeException e) {
            refusals = Fixtures.THREW;
        }
    }

    @Actor
    public void reader(IIIII_Result r) {
        r.r2 = Fixtures.get(map, outer);
    }

    @Arbiter
    public void check(IIIII_Result r) {
        r.r1 = refusals;
        r.r3 = Fixtures.get(map, outer);
        r.r4 = Fixtures.get(map, inner);
        r.r5 = Fixtures.damaged(map, filled) == 0 && Fixtures.invariants(map) == 1 ? 1 : 0;
    }
}
