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
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A lock-free reader against a same-size rebuild (too many overflow buckets at a low load). The map
 * has initial capacity 13, so its table never goes below 2 buckets. The constructor grows a 13-entry
 * chain of hash code A (one overflow bucket), deletes all but one of them (overflow buckets stay), then
 * adds 9 keys of hash code B: if B's bucket is the other one, that chain overflows too and the table
 * has 2 overflow buckets for 10 entries, so the next insert starts a same-size rebuild instead of
 * inserting (with 2 old buckets, the same insert also finishes it). Which bucket B lands in depends on
 * the table's random seed, so the constructor retries with a fresh map until the shape is right
 * (half of the attempts are).
 */
@JCStressTest
@Description("get of present keys racing the insert that starts a same-size rebuild (overflow buckets >= 2^B at "
        + "low load) and evacuates their overflowing bucket: never null, never another key's value. Result: "
        + "present keys not read back with their own value, the reader's get of the new key, 1 if a same-size "
        + "rebuild ran.")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "Every present key read correctly; the new key not yet visible.")
@Outcome(id = "0, 100, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Every present key read correctly and the new key visible: the reader saw the rebuilt table.")
@Outcome(id = "[1-9][0-9]*, .*", expect = FORBIDDEN,
        desc = "A present key read as absent or with another key's value while its chain was rebuilt.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A lookup threw (a torn read was trusted).")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "No same-size rebuild ran: the window was not exercised.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class GetDuringSameSizeGrowth {

    private static final int HASH_A = 1;
    private static final int HASH_B = 2;
    private static final int ATTEMPTS = 64;

    private final Probe probe;
    private final StripedMap<Key, Integer> map;
    /** The one surviving A key, then the 9 B keys. */
    private final Key[] present = new Key[10];
    private final Key added = Key.withHash(100, HASH_B);

    public GetDuringSameSizeGrowth() {
        Key[] a = new Key[13];
        for (int i = 0; i < a.length; i++) {
            a[i] = Key.withHash(1 + i, HASH_A);
        }
        present[0] = a[0];
        for (int i = 1; i < present.length; i++) {
            present[i] = Key.withHash(20 + i, HASH_B);
        }
        for (int attempt = 0; ; attempt++) {
            Probe p = new Probe();
            StripedMap<Key, Integer> m = Fixtures.striped(1, 13, p);
            Fixtures.fill(m, a);
            for (int i = 1; i < a.length; i++) {
                m.remove(a[i]);
            }
            for (int i = 1; i < present.length; i++) {
                m.put(present[i], present[i].id);
            }
            TableStatistics s = Fixtures.shape(m);
            if (s.buckets() == 2 && s.overflowBuckets() == 2 && s.size() == 10 && s.migration() == null) {
                probe = p;
                map = m;
                break;
            }
            Fixtures.expect(attempt < ATTEMPTS, "2 overflow buckets for 10 entries in 2 buckets: " + s);
        }
    }

    @Actor
    public void writer(III_Result r) {
        map.put(added, 100);
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
            r.r2 = Fixtures.value(map.get(added));
        } catch (RuntimeException e) {
            bad = Fixtures.THREW;
        }
        r.r1 = bad;
    }

    @Arbiter
    public void check(III_Result r) {
        r.r3 = probe.started(MigrationKind.SAME_SIZE) == 1 ? 1 : 0;
    }
}
