package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ordinary, non-adversarial keys must spread over the buckets: Integer keys in arithmetic progressions
 * (consecutive ids, aligned ids, ids in a high field) get no collision tree and about the overflow a
 * random hash gives. The mix once folded only a 64-bit product's halves, and every map of 15,000
 * multiples of 4 crowded into 32-entry chains; its successor, without the first multiply, sent 21 of
 * 20,000 maps of ids times 1,000 to the collision tree ({@code scripts/adhoc/TreeCount.java}). Every stride keeps the 15,000 keys
 * distinct ({@code 15,000 << 17} still fits an int). Each map has a fresh random seed, so this is the
 * end-to-end companion of the deterministic {@link HashQualityTest}.
 */
class HashSpreadTest {

    /** 15,000 entries: 4,096 buckets at a load of 3.7, where a random hash overflows about 1.3% of them. */
    private static final int KEYS = 15_000;
    /** Maps per stride: each has a fresh random seed. */
    private static final int MAPS = 20;
    /** At most 5% of the main buckets may overflow (a random hash: about 1.3%). */
    private static final double MAX_OVERFLOW_SHARE = 0.05;

    @ParameterizedTest(name = "keys i * {0}")
    @ValueSource(ints = {1, 2, 4, 8, 31, 64, 1000, 65_537, 1 << 16, 1 << 17, -1})
    void integerKeysInAnArithmeticProgressionSpreadOverTheBuckets(int stride) {
        for (int m = 0; m < MAPS; m++) {
            BucketMap<Integer, Integer> map = new BucketMap<>();
            for (int i = 0; i < KEYS; i++) {
                map.put(i * stride, i);
            }
            map.trimToSize(); // finish any migration: the statistics then describe one array
            TableStatistics s = map.statistics();
            assertThat(s.collisionTreeEntries()).as("tree entries, stride %d, map %d", stride, m).isZero();
            assertThat(s.overflowBuckets()).as("overflow buckets, stride %d, map %d", stride, m)
                    .isLessThanOrEqualTo((int) (s.buckets() * MAX_OVERFLOW_SHARE));
            map.checkInvariants();
        }
    }
}
