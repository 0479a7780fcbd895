package io.github.stripedmap.stress.tests;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.TableObserver;
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

import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two first writers of a brand-new map: the stripe does not exist yet, so both may build one and race
 * to publish it by CAS; the loser must adopt the winner's stripe (and its lock), and the table's first
 * insert allocates its bucket array lazily too. The observer factory counts the stripes built.
 */
@JCStressTest
@Description("Lazy stripe-table initialisation raced by two first writers (distinct keys, same stripe): both keys "
        + "present, size 2, one stripe published. Result: get(A), get(B), size, stripes built, each writer's "
        + "get of its own key.")
@Outcome(id = "1, 2, 2, 1, 1", expect = ACCEPTABLE, desc = "The second writer found the stripe already published.")
@Outcome(id = "1, 2, 2, 2, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Both writers built a stripe; the CAS loser adopted the winner's and its key is there.")
@Outcome(id = {"0, .*", "[^,]+, 0, .*"}, expect = FORBIDDEN,
        desc = "A key was lost (written into a stripe that lost the publication race).")
@Outcome(expect = FORBIDDEN, desc = "Anything else (wrong size, a call threw).")
@State
public class LazyStripeInit {

    protected final AtomicInteger built = new AtomicInteger();
    protected final Probe probe = new Probe();
    protected final ConcurrentMap<Key, Integer> map;
    protected final Key a = Key.spread(1);
    protected final Key b = Key.spread(2);
    private volatile int ownA;
    private volatile int ownB;

    public LazyStripeInit() {
        map = newMap(stripe -> {
            built.incrementAndGet();
            return probe;
        });
    }

    /** @return the map under test (overridden by the negative control); {@code observers} counts the stripes built */
    protected ConcurrentMap<Key, Integer> newMap(IntFunction<TableObserver> observers) {
        return StripedMap.builder().name("stress").stripes(1).observers(observers).build();
    }

    @Actor
    public void writerA(IIIII_Result r) {
        map.put(a, 1);
        ownA = Fixtures.get(map, a);
    }

    @Actor
    public void writerB(IIIII_Result r) {
        map.put(b, 2);
        ownB = Fixtures.get(map, b);
    }

    @Arbiter
    public void check(IIIII_Result r) {
        r.r1 = Fixtures.get(map, a);
        r.r2 = Fixtures.get(map, b);
        r.r3 = Fixtures.size(map);
        r.r4 = built.get();
        r.r5 = ownA == 1 && ownB == 2 ? 1 : 0;
    }
}
