package io.github.stripedmap.stress.tests;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketTable;
import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.stress.support.Fixtures;
import io.github.stripedmap.stress.support.OrderedKey;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A lock-free reader against writes to a stripe's collision tree. The one-stripe map holds 48 ordered keys
 * of one hash code: 32 fill the chain of 4 buckets, 16 are in the collision tree. The writer inserts key
 * 100 (a new tree path is built and published: the root changes) and then removes key 40 (another path,
 * and its entry id is freed). The reader reads every other tree key, then key 40, then key 100.
 * Reads are linearizable, so a reader that no longer sees 40 must see 100, which was inserted before 40
 * was removed.
 */
@JCStressTest
@Description("get of collision-tree keys racing an insert into the tree and a removal from it: stable keys "
        + "always read with their own value; key 40 absent implies key 100 present. Result: stable keys misread, "
        + "the reader's get of 40, its get of 100, entries in the collision tree at the end.")
@Outcome(id = "0, 40, 0, 16", expect = ACCEPTABLE, desc = "The reader ran before both writes.")
@Outcome(id = "0, 40, 100, 16", expect = ACCEPTABLE_INTERESTING, desc = "The reader saw the insert, not the removal.")
@Outcome(id = "0, 0, 100, 16", expect = ACCEPTABLE, desc = "The reader ran after both writes.")
@Outcome(id = "0, 0, 0, .*", expect = FORBIDDEN, desc = "Key 40 gone but key 100, inserted before, not there.")
@Outcome(id = "[1-9][0-9]*, .*", expect = FORBIDDEN, desc = "A stable tree key read as absent or with another value.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A lookup threw (a torn read was trusted).")
@Outcome(expect = FORBIDDEN, desc = "Anything else (e.g. the tree was not used).")
@State
public class GetDuringCollisionTreeWrite {

    private static final int KEYS = 48;
    private static final int REMOVED = 40;
    private static final int ADDED = 100;

    private final StripedMap<OrderedKey, Integer> map = StripedMap.builder().name("stress").stripes(1).build();
    private final OrderedKey[] stable = new OrderedKey[KEYS - 1];
    private final OrderedKey removed = new OrderedKey(REMOVED);
    private final OrderedKey added = new OrderedKey(ADDED);

    public GetDuringCollisionTreeWrite() {
        for (int i = 0, s = 0; i < KEYS; i++) {
            OrderedKey k = new OrderedKey(i + 1);
            map.put(k, k.id);
            if (k.id != REMOVED) {
                stable[s++] = k;
            }
        }
        TableStatistics t = map.statistics();
        Fixtures.expect(t.collisionTreeEntries() == KEYS - 8 * BucketTable.TREE_CHAIN_BUCKETS,
                "48 keys: 32 in the chain, 16 in the collision tree: " + t);
    }

    @Actor
    public void writer(IIII_Result r) {
        map.put(added, ADDED);
        map.remove(removed);
    }

    @Actor
    public void reader(IIII_Result r) {
        int bad = 0;
        try {
            for (int i = stable.length - 1; i >= 0; i--) { // tree keys first: the highest ids went to the tree
                Integer v = map.get(stable[i]);
                if (v == null || v != stable[i].id) {
                    bad++;
                }
            }
            r.r2 = Fixtures.value(map.get(removed));
            r.r3 = Fixtures.value(map.get(added));
        } catch (RuntimeException e) {
            bad = Fixtures.THREW;
        }
        r.r1 = bad;
    }

    @Arbiter
    public void check(IIII_Result r) {
        r.r4 = map.statistics().collisionTreeEntries();
    }
}
