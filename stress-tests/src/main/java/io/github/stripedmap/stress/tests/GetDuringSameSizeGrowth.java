package io.github.stripedmap.stress.tests;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.stress.support.Fixtures;
import io.github.stripedmap.stress.support.Key;
import io.github.stripedmap.stress.support.Probe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A lock-free reader against a same-size rebuild of overflowing chains. Since removals keep chains compact
 * and reuse emptied overflow buckets, a StripedMap's overflow buckets never pile up to the insert-time
 * trigger ({@code 2^B} at a low load); what is left of a larger moment is the array's free overflow buckets,
 * which {@code trimToSize()} gives back with a same-size rebuild. The map has initial capacity 26, so its
 * table has 4 buckets and never fewer: the constructor grows a 17-entry chain of hash code A (2 overflow
 * buckets) and a 9-entry chain of hash code B (1 more, or, when both hash codes share a bucket, one
 * 26-entry chain with 3), then deletes 8 of the A keys: the chain sheds an overflow bucket onto the free
 * list, 18 entries remain in chains that still overflow. The writer's {@code trimToSize()} rebuilds the
 * table at the same size, moving both chains, while the reader looks every present key up.
 */
@JCStressTest
@Description("get of present keys in overflowing chains racing trimToSize(), which rebuilds the table at the same "
        + "size to give a free overflow bucket back: never null, never another key's value. Result: present keys "
        + "not read back with their own value, 1 if a same-size rebuild ran, overflow buckets afterwards.")
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "Every present key read correctly; the rebuild ran.")
@Outcome(id = "[1-9][0-9]*, .*", expect = FORBIDDEN,
        desc = "A present key read as absent or with another key's value while its chain was rebuilt.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A lookup threw (a torn read was trusted).")
@Outcome(id = ".*, 0, .*", expect = FORBIDDEN, desc = "No same-size rebuild ran: the window was not exercised.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (the rebuilt table keeps more or fewer overflow buckets).")
@State
public class GetDuringSameSizeGrowth {

    private static final int HASH_A = 1;
    private static final int HASH_B = 2;

    private final Probe probe = new Probe();
    private final StripedMap<Key, Integer> map = Fixtures.striped(1, 26, probe);
    /** The 9 surviving A keys, then the 9 B keys. */
    private final Key[] present = new Key[18];

    public GetDuringSameSizeGrowth() {
        Key[] a = new Key[17];
        for (int i = 0; i < a.length; i++) {
            a[i] = Key.withHash(1 + i, HASH_A);
        }
        Key[] b = new Key[9];
        for (int i = 0; i < b.length; i++) {
            b[i] = Key.withHash(40 + i, HASH_B);
        }
        Fixtures.fill(map, a);
        Fixtures.fill(map, b);
        for (int i = 0; i < 8; i++) {
            map.remove(a[i]);
        }
        System.arraycopy(a, 8, present, 0, 9);
        System.arraycopy(b, 0, present, 9, 9);
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.buckets() == 4 && s.overflowBuckets() == 3 && s.size() == 18 && s.migration() == null,
                "3 overflow buckets (2 in chains, 1 free) for 18 entries in 4 buckets: " + s);
    }

    @Actor
    public void writer(III_Result r) {
        map.trimToSize();
    }

    @Actor
    public void reader(III_Result r) {
        int bad = 0;
        try {
            for (int i = present.length - 1; i >= 0; i--) {
                Integer v = map.get(present[i]);
                if (v == null || v != present[i].id) {
                    bad++;
                }
            }
        } catch (RuntimeException e) {
            bad = Fixtures.THREW;
        }
        r.r1 = bad;
    }

    @Arbiter
    public void check(III_Result r) {
        r.r2 = probe.started(MigrationKind.SAME_SIZE) == 1 ? 1 : 0;
        r.r3 = Fixtures.shape(map).overflowBuckets();
    }
}
