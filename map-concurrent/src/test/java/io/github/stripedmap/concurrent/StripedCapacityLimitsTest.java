package io.github.stripedmap.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.stripedmap.core.TableStatistics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Capacity extremes of {@link StripedMap}: a negative capacity is rejected by every way of making a map,
 * stripe counts outside {@code [1, MAX_STRIPES]} by the builder (others are rounded up to a power of two);
 * a huge capacity is accepted, allocates nothing before the first write, and pre-sizes each stripe for at
 * most {@link StripedMap#MAX_PRESIZED_STRIPE_CAPACITY} entries, so a write allocates one clamped stripe,
 * not gigabytes.
 */
class StripedCapacityLimitsTest {

    /** Bytes a stripe pre-sized for {@link StripedMap#MAX_PRESIZED_STRIPE_CAPACITY} entries may hold: 18 MB and more. */
    private static final long CLAMPED_STRIPE_BYTES = 20L << 20;

    @ParameterizedTest
    @ValueSource(ints = {-1, -100, Integer.MIN_VALUE})
    void aNegativeInitialCapacityIsRejectedByEveryWayOfMakingAMap(int capacity) {
        Map<String, IntFunction<Object>> makers = Map.of(
                "StripedMap(int)", StripedMap::new,
                "builder().initialCapacity(int)", c -> StripedMap.builder().initialCapacity(c),
                "builder().stripes(1).initialCapacity(int)", c -> StripedMap.builder().stripes(1).initialCapacity(c));
        makers.forEach((name, maker) -> assertThatThrownBy(() -> maker.apply(capacity)).as(name)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(capacity)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -64, Integer.MIN_VALUE, StripedMap.MAX_STRIPES + 1, StripedMap.MAX_STRIPES * 2,
        Integer.MAX_VALUE})
    void aStripeCountOutsideTheRangeIsRejected(int stripes) {
        assertThatThrownBy(() -> StripedMap.builder().stripes(stripes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(stripes));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 7, 100, StripedMap.MAX_STRIPES / 2 + 1})
    void aStripeCountThatIsNotAPowerOfTwoIsRoundedUp(int stripes) {
        StripedMap<Integer, Integer> map = StripedMap.builder().stripes(stripes).build();
        assertThat(map.stripeCount()).isEqualTo(Integer.highestOneBit(stripes) << 1);
        map.put(1, 1);
        assertThat(map).containsEntry(1, 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, 1 << 30})
    void aHugeInitialCapacityAllocatesNothingBeforeTheFirstWriteAndOneClampedStripeThen(int capacity) {
        StripedMap<Integer, Integer> map = new StripedMap<>(capacity);
        assertThat(map.statistics().buckets()).isZero();
        assertThat(map.statistics().estimatedBytes()).isZero();
        map.put(1, 1);
        TableStatistics first = map.statistics();
        assertThat(first.buckets()).as("buckets of the one stripe written").isPositive();
        assertThat(first.estimatedBytes()).isLessThan(CLAMPED_STRIPE_BYTES);
        assertThat(map.get(1)).isEqualTo(1);
        assertThat(map.remove(1)).isEqualTo(1);
        map.checkInvariants();
    }

    @Test
    void aOneStripeMapOfHugeCapacityWorksAndKeepsTheClampedFloor() {
        StripedMap<Integer, Integer> map = StripedMap.builder().stripes(1).initialCapacity(Integer.MAX_VALUE).build();
        map.put(0, 0);
        int floorBuckets = map.statistics().buckets();
        assertThat(map.statistics().estimatedBytes()).isLessThan(CLAMPED_STRIPE_BYTES);
        Map<Integer, Integer> expected = new HashMap<>();
        expected.put(0, 0);
        for (int i = 1; i < 20_000; i++) {
            map.put(i, -i);
            expected.put(i, -i);
        }
        for (int i = 1; i < 20_000; i += 2) {
            map.remove(i);
            expected.remove(i);
        }
        assertThat(map).isEqualTo(expected);
        map.trimToSize();
        assertThat(map.statistics().buckets()).as("the clamped capacity is the shrink floor").isEqualTo(floorBuckets);
        map.checkInvariants();
    }

    /** The most stripes with the largest capacity: each stripe's share is small, and only written stripes exist. */
    @Test
    void theMostStripesWithTheLargestCapacityWork() {
        StripedMap<Integer, Integer> map = StripedMap.builder().stripes(StripedMap.MAX_STRIPES)
                .initialCapacity(Integer.MAX_VALUE).build();
        for (int i = 0; i < 100; i++) {
            map.put(i, i);
        }
        assertThat(map).hasSize(100);
        assertThat(map.statistics().estimatedBytes()).as("100 small stripes").isLessThan(100L * (1 << 20));
        map.checkInvariants();
    }
}
