package io.github.stripedmap.stress.tests;

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

import java.util.concurrent.ConcurrentMap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A lock-free reader against the writes that finish a doubling already in progress. The constructor
 * inserts 27 keys with distinct hash codes: the 27th started a doubling 4 -> 8 buckets and evacuated 2
 * of the 4 old buckets, so the table is mid-migration (reads consult the old array for the 2
 * unevacuated buckets). The writer's two inserts evacuate the rest and release the old array.
 */
@JCStressTest
@Description("get of keys present before, racing writes that evacuate the remaining old buckets of a half-done "
        + "doubling and release the old array: never null, never another key's value. Result: pre-filled keys "
        + "not read back with their own value, the reader's get of the last new key, 1 if the migration finished.")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "Every present key read correctly; the new key not yet visible.")
@Outcome(id = "0, 102, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Every present key read correctly and the last new key visible: the reader saw the finished migration.")
@Outcome(id = "[1-9][0-9]*, .*", expect = FORBIDDEN,
        desc = "A present key read as absent or with another key's value while its old bucket was evacuated.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A lookup threw (a torn read was trusted).")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "The migration did not finish: the window was not exercised.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class GetDuringEvacuation {

    protected final Probe probe = new Probe();
    protected final ConcurrentMap<Key, Integer> map;
    protected final Key[] filled = Fixtures.spread(1, Fixtures.FULL_4 + 1);

    public GetDuringEvacuation() {
        map = newMap(probe);
        Fixtures.fill(map, filled);
        TableStatistics s = Fixtures.shape(map);
        Fixtures.expect(s.migration() == MigrationKind.DOUBLE && s.migrationProgress() == 0.5 && s.buckets() == 8,
                "a doubling 4 -> 8 with 2 of 4 old buckets evacuated: " + s);
        probe.finished = 0;
    }

    /** @return the map under test (overridden by the negative control) */
    protected ConcurrentMap<Key, Integer> newMap(Probe p) {
        return Fixtures.tiny(p);
    }

    @Actor
    public void writer(III_Result r) {
        map.put(Key.spread(101), 101);
        map.put(Key.spread(102), 102);
    }

    @Actor
    public void reader(III_Result r) {
        int bad = 0;
        try {
            for (int i = filled.length - 1; i >= 0; i--) {
                Integer v = map.get(filled[i]);
                if (v == null || v != filled[i].id) {
                    bad++;
                }
            }
            r.r2 = Fixtures.value(map.get(Key.spread(102)));
        } catch (RuntimeException e) {
            bad = Fixtures.THREW;
        }
        r.r1 = bad;
    }

    @Arbiter
    public void check(III_Result r) {
        r.r3 = probe.finished == 1 && Fixtures.shape(map).migration() == null ? 1 : 0;
    }
}
