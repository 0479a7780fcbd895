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
 * The delete that empties a table (which releases its arrays and re-randomises its hash seed) against
 * a put of another key, each followed by a lock-free get of the other actor's key. It is also a
 * store-buffering (Dekker) check: if each get missed the other's write, neither write came first, so a
 * linearizable map never shows (0, 1).
 */
@JCStressTest
@Description("Seed re-randomisation when the map empties (remove of its only key), raced by a put of another key; "
        + "each actor then reads the other's key lock-free across the re-seed. Result: actor 1's get(K1) after "
        + "its remove(K0), actor 2's get(K0) after its put(K1), re-seeds, final size, final get(K1).")
@Outcome(id = {"2, 1, 0, 1, 2", "2, 0, 0, 1, 2"}, expect = ACCEPTABLE,
        desc = "put first: the table never became empty; no re-seed.")
@Outcome(id = {"0, 0, 1, 1, 2", "2, 0, 1, 1, 2"}, expect = ACCEPTABLE_INTERESTING,
        desc = "remove first: the table emptied and was re-seeded; the put landed in the fresh table.")
@Outcome(id = "0, 1, .*", expect = FORBIDDEN, desc = "Store-buffering: each get missed the other's earlier write.")
@Outcome(id = {"0, [^,]+, 0, .*", "[^,]+, 1, 1, .*"}, expect = FORBIDDEN,
        desc = "A get contradicts the order shown by the re-seed.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (K1 lost, K0 survived, a call threw).")
@State
public class ReseedVsPut {

    private final Probe probe = new Probe();
    private final StripedMap<Key, Integer> map = Fixtures.tiny(probe);
    private final Key k0 = Key.spread(1);
    private final Key k1 = Key.spread(2);

    public ReseedVsPut() {
        map.put(k0, 1);
        probe.reseeds = 0;
    }

    @Actor
    public void remover(IIIII_Result r) {
        map.remove(k0);
        r.r1 = Fixtures.get(map, k1);
    }

    @Actor
    public void putter(IIIII_Result r) {
        map.put(k1, 2);
        r.r2 = Fixtures.get(map, k0);
    }

    @Arbiter
    public void check(IIIII_Result r) {
        r.r3 = probe.reseeds;
        r.r4 = Fixtures.invariants(map) == 1 ? Fixtures.size(map) : -2;
        r.r5 = Fixtures.get(map, k1);
    }
}
