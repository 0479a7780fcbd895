package io.github.stripedmap.stress.tests;

import io.github.stripedmap.concurrent.StripedMap;
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

import java.util.Arrays;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A lock-free reader against {@code trimToSize()}, which finishes a pending shrink at once and then
 * rebuilds the table into one bucket: the whole of two migrations in one locked call. Same start as
 * {@link GetDuringShrink}: 7 colliding entries in 4 buckets; the writer's delete starts a shrink, its
 * {@code trimToSize()} completes it and compacts 6 entries into a single bucket.
 */
@JCStressTest
@Description("get of present keys racing trimToSize(), which finishes a pending shrink and compacts the table to "
        + "its smallest size in one call: never null, never another key's value. Result: surviving keys not "
        + "read back with their own value, the reader's get of the deleted key, main buckets afterwards.")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "Survivors read correctly; K1 read before its delete.")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Survivors read correctly, K1 already gone: the reader overlapped the shrink and the compaction.")
@Outcome(id = "[1-9][0-9]*, .*", expect = FORBIDDEN,
        desc = "A surviving key read as absent or with another key's value while the table was rebuilt.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A lookup threw (a torn read was trusted).")
@Outcome(id = ".*, [02-9][0-9]*", expect = FORBIDDEN, desc = "trimToSize did not leave one bucket.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class GetDuringTrimToSize {

    private final Probe probe = new Probe();
    private final StripedMap<Key, Integer> map = Fixtures.tiny(probe);
    private final Key[] keys = Fixtures.colliding(1, Fixtures.FULL_4);

    public GetDuringTrimToSize() {
        Fixtures.fill(map, keys);
        Fixtures.removeAll(map, Arrays.copyOfRange(keys, Fixtures.SHRINK_4 + 1, keys.length));
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.buckets() == 4 && s.size() == Fixtures.SHRINK_4 + 1 && s.migration() == null,
                "7 entries in 4 buckets: " + s);
    }

    @Actor
    public void writer(III_Result r) {
        map.remove(keys[0]);
        map.trimToSize();
    }

    @Actor
    public void reader(III_Result r) {
        int bad = 0;
        try {
            for (int i = Fixtures.SHRINK_4; i >= 1; i--) {
                Integer v = map.get(keys[i]);
                if (v == null || v != keys[i].id) {
                    bad++;
                }
            }
            r.r2 = Fixtures.value(map.get(keys[0]));
        } catch (RuntimeException e) {
            bad = Fixtures.THREW;
        }
        r.r1 = bad;
    }

    @Arbiter
    public void check(III_Result r) {
        r.r3 = Fixtures.shape(map).buckets();
    }
}
