package io.github.stripedmap.stress.tests;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.stress.support.Fixtures;
import io.github.stripedmap.stress.support.Key;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.ConcurrentMap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A lock-free reader racing the first two writes of a brand-new map: the first {@code put} creates the
 * stripe arrays, the stripe and its table and publishes the table to readers; the second goes into the same
 * table. A reader that sees the second key must see the first (reads are linearizable), and it must never
 * throw or see a half-built stripe.
 */
@JCStressTest
@Description("Reader vs the first two puts of an empty one-stripe map: put(A, 1); put(B, 2) || get(B); get(A). "
        + "Result: get(B), get(A).")
@Outcome(id = {"0, 0", "0, 1", "2, 1"}, expect = ACCEPTABLE, desc = "The reader ran before, between or after the puts.")
@Outcome(id = "2, 0", expect = FORBIDDEN, desc = "B seen without A, which was put first: a read not linearizable.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (a lookup threw, a wrong value).")
@State
public class ReadDuringFirstPuts {

    private final ConcurrentMap<Key, Integer> map = StripedMap.builder().name("stress").stripes(1).build();
    private final Key a = Key.spread(1);
    private final Key b = Key.spread(2);

    @Actor
    public void writer() {
        map.put(a, 1);
        map.put(b, 2);
    }

    @Actor
    public void reader(II_Result r) {
        r.r1 = Fixtures.get(map, b);
        r.r2 = Fixtures.get(map, a);
    }
}
