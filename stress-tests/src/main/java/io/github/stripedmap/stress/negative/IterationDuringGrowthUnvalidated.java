package io.github.stripedmap.stress.negative;

import io.github.stripedmap.stress.support.Key;
import io.github.stripedmap.stress.support.Probe;
import io.github.stripedmap.stress.tests.IterationDuringGrowth;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.concurrent.ConcurrentMap;

/**
 * NEGATIVE CONTROL: {@link IterationDuringGrowth}'s scenario and outcome table (inherited) against
 * {@link BrokenMap} with {@link BrokenMap.Flaw#UNVALIDATED_READS}. The build requires FORBIDDEN outcomes here.
 */
@JCStressTest
@Description("NEGATIVE CONTROL (must report FORBIDDEN): IterationDuringGrowth with a walk that skips the seqlock validation.")
@State
public class IterationDuringGrowthUnvalidated extends IterationDuringGrowth {

    @Override
    protected ConcurrentMap<Key, Integer> newMap(Probe p) {
        return new BrokenMap<>(BrokenMap.Flaw.UNVALIDATED_READS, 0, p);
    }

    @Override
    @Actor
    public void writer(IIII_Result r) {
        super.writer(r);
    }

    @Override
    @Actor
    public void walker(IIII_Result r) {
        super.walker(r);
    }

    @Override
    @Arbiter
    public void check(IIII_Result r) {
        super.check(r);
    }
}
