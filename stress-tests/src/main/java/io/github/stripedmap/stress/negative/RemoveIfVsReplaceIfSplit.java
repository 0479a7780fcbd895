package io.github.stripedmap.stress.negative;

import io.github.stripedmap.stress.support.Key;
import io.github.stripedmap.stress.support.Probe;
import io.github.stripedmap.stress.tests.RemoveIfVsReplaceIf;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import java.util.concurrent.ConcurrentMap;

/**
 * NEGATIVE CONTROL: {@link RemoveIfVsReplaceIf}'s scenario and outcome table (inherited) against
 * {@link BrokenMap} with {@link BrokenMap.Flaw#SPLIT_ATOMICS}. The build requires FORBIDDEN outcomes here.
 */
@JCStressTest
@Description("NEGATIVE CONTROL (must report FORBIDDEN): RemoveIfVsReplaceIf with the stripe lock dropped between the value check and the store.")
@State
public class RemoveIfVsReplaceIfSplit extends RemoveIfVsReplaceIf {

    @Override
    protected ConcurrentMap<Key, Integer> newMap(Probe p) {
        return new BrokenMap<>(BrokenMap.Flaw.SPLIT_ATOMICS, 0, p);
    }

    @Override
    @Actor
    public void remover(IIIII_Result r) {
        super.remover(r);
    }

    @Override
    @Actor
    public void replacer(IIIII_Result r) {
        super.replacer(r);
    }

    @Override
    @Arbiter
    public void check(IIIII_Result r) {
        super.check(r);
    }
}
