package io.github.stripedmap.stress.tests;

import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.stress.support.Fixtures;
import io.github.stripedmap.stress.support.Key;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * {@link PutPutGrowth} with every key sharing one hash code: the 26 pre-filled entries are one chain
 * (a main bucket and three overflow buckets), both new keys append to it, and the doubling evacuates
 * that whole chain. Outcome table inherited from {@link PutPutGrowth}.
 */
@JCStressTest
@Description("Two puts of distinct keys with EQUAL hash codes where the first one starts a doubling: the actors "
        + "meet in one bucket and its overflow chain, which the growth evacuates. Both keys present, size 28, "
        + "every pre-filled key intact. Result: actor 2's get(A), A, B, size, intact.")
@State
public class PutPutGrowthColliding extends PutPutGrowth {

    public PutPutGrowthColliding() {
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.overflowBuckets() == 3, "one chain of 4 buckets: " + s);
    }

    @Override
    protected Key key(int id) {
        return Key.colliding(id);
    }

    @Override
    @Actor
    public void putA(IIIII_Result r) {
        super.putA(r);
    }

    @Override
    @Actor
    public void putB(IIIII_Result r) {
        super.putB(r);
    }

    @Override
    @Arbiter
    public void check(IIIII_Result r) {
        super.check(r);
    }
}
