package io.github.stripedmap.stress.negative;

import io.github.stripedmap.stress.support.Key;
import io.github.stripedmap.stress.support.Probe;
import io.github.stripedmap.stress.tests.GetDuringShrink;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.ConcurrentMap;

/**
 * NEGATIVE CONTROL: {@link GetDuringShrink}'s scenario and outcome table (inherited) against
 * {@link BrokenMap} with {@link BrokenMap.Flaw#UNVALIDATED_READS}. The build requires FORBIDDEN outcomes here.
 */
@JCStressTest
@Description("NEGATIVE CONTROL (must report FORBIDDEN): GetDuringShrink with reads that skip the seqlock validation.")
@State
public class GetDuringShrinkUnvalidated extends GetDuringShrink {

    @Override
    protected ConcurrentMap<Key, Integer> newMap(Probe p) {
        return new BrokenMap<>(BrokenMap.Flaw.UNVALIDATED_READS, 0, p);
    }

    @Override
    @Actor
    public void writer(III_Result r) {
        super.writer(r);
    }

    @Override
    @Actor
    public void reader(III_Result r) {
        super.reader(r);
    }

    @Override
    @Arbiter
    public void check(III_Result r) {
        super.check(r);
    }
}
