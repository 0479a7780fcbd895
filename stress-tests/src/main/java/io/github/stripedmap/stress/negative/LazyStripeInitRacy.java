package io.github.stripedmap.stress.negative;

import io.github.stripedmap.core.TableObserver;
import io.github.stripedmap.stress.support.Key;
import io.github.stripedmap.stress.tests.LazyStripeInit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import java.util.concurrent.ConcurrentMap;
import java.util.function.IntFunction;

/**
 * NEGATIVE CONTROL: {@link LazyStripeInit}'s scenario and outcome table (inherited) against
 * {@link BrokenMap} with {@link BrokenMap.Flaw#RACY_STRIPE_INIT}. The build requires FORBIDDEN outcomes here.
 */
@JCStressTest
@Description("NEGATIVE CONTROL (must report FORBIDDEN): LazyStripeInit with the stripe table published by a plain "
        + "check-then-store instead of a CAS.")
@State
public class LazyStripeInitRacy extends LazyStripeInit {

    @Override
    protected ConcurrentMap<Key, Integer> newMap(IntFunction<TableObserver> observers) {
        return new BrokenMap<>(BrokenMap.Flaw.RACY_STRIPE_INIT, 0, observers);
    }

    @Override
    @Actor
    public void writerA(IIIII_Result r) {
        super.writerA(r);
    }

    @Override
    @Actor
    public void writerB(IIIII_Result r) {
        super.writerB(r);
    }

    @Override
    @Arbiter
    public void check(IIIII_Result r) {
        super.check(r);
    }
}
