package io.github.stripedmap.stress.tests;

import io.github.stripedmap.stress.support.Fixtures;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Two computeIfAbsent of one absent key: the mapping function must run exactly once. */
@JCStressTest
@Description("computeIfAbsent from two actors on one absent key (its insert starts a doubling of the colliding "
        + "chain): the function runs exactly once and both actors get its value. Result: actor 1's value, actor "
        + "2's value, function calls, final value, size.")
@Outcome(id = "101, 101, 1, 101, 27", expect = ACCEPTABLE, desc = "Actor 1's function ran; actor 2 got its value.")
@Outcome(id = "102, 102, 1, 102, 27", expect = ACCEPTABLE_INTERESTING,
        desc = "Actor 2's function ran; actor 1 got its value (both orders are exercised).")
@Outcome(id = "[^,]+, [^,]+, 2, .*", expect = FORBIDDEN, desc = "The function ran twice.")
@Outcome(id = {"101, 102, .*", "102, 101, .*"}, expect = FORBIDDEN, desc = "The actors got different values.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (the key twice, a call threw).")
@State
public class ComputeIfAbsentOnce extends FullChain {

    private final AtomicInteger calls = new AtomicInteger();

    @Actor
    public void first(IIIII_Result r) {
        try {
            r.r1 = Fixtures.value(map.computeIfAbsent(contested, k -> {
                calls.incrementAndGet();
                return 101;
            }));
        } catch (RuntimeException e) {
            r.r1 = Fixtures.THREW;
        }
    }

    @Actor
    public void second(IIIII_Result r) {
        try {
            r.r2 = Fixtures.value(map.computeIfAbsent(contested, k -> {
                calls.incrementAndGet();
                return 102;
            }));
        } catch (RuntimeException e) {
            r.r2 = Fixtures.THREW;
        }
    }

    @Arbiter
    public void check(IIIII_Result r) {
        r.r3 = calls.get();
        r.r4 = Fixtures.get(map, contested);
        r.r5 = intact() == 1 ? Fixtures.size(map) : 0;
    }
}
