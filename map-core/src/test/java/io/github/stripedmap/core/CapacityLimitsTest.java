package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.minimalBuckets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Constructor;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Capacity extremes: a negative initial capacity is rejected; a huge one is accepted and clamped to
 * {@link BucketMap#MAX_PRESIZED_CAPACITY} (nothing allocated before the first insert, and the first insert
 * allocates the clamped array, not gigabytes); and a table that reached its largest bucket count keeps
 * accepting entries in longer chains instead of failing.
 */
class CapacityLimitsTest {

  /** Bytes a table pre-sized for {@link BucketMap#MAX_PRESIZED_CAPACITY} entries may hold: 18 MB and change. */
  private static final long CLAMPED_TABLE_BYTES = 20L << 20;

  @ParameterizedTest
  @ValueSource(ints = {-1, Integer.MIN_VALUE})
  void aNegativeInitialCapacityIsRejected(int capacity) {
    assertThatThrownBy(() -> new BucketMap<>(capacity)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(capacity));
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1 << 30, BucketMap.MAX_PRESIZED_CAPACITY + 1})
  void aHugeInitialCapacityIsClampedAndTheMapWorks(int capacity) {
    BucketMap<Integer, Integer> map = new BucketMap<>(capacity);
    assertThat(map.statistics().buckets()).as("buckets before the first insert").isZero();
    assertThat(map.statistics().estimatedBytes()).isEqualTo(new BucketMap<>().statistics().estimatedBytes());

    map.put(1, 1);
    TableStatistics first = map.statistics();
    assertThat(first.buckets()).as("buckets of the first array")
        .isEqualTo(minimalBuckets(BucketMap.MAX_PRESIZED_CAPACITY));
    assertThat(first.estimatedBytes()).isLessThan(CLAMPED_TABLE_BYTES);

    Map<Integer, Integer> expected = new HashMap<>();
    expected.put(1, 1);
    for (int i = 2; i < 20_000; i++) {
      map.put(i, -i);
      expected.put(i, -i);
    }
    for (int i = 2; i < 20_000; i += 2) {
      map.remove(i);
      expected.remove(i);
    }
    assertThat(map).isEqualTo(expected);
    map.trimToSize();
    assertThat(map.statistics().buckets()).as("the clamped capacity is the shrink floor")
        .isEqualTo(minimalBuckets(BucketMap.MAX_PRESIZED_CAPACITY));
    map.checkInvariants();
  }

  @Test
  void aCapacityAtTheClampIsKeptExactly() {
    BucketMap<Integer, Integer> map = new BucketMap<>(BucketMap.MAX_PRESIZED_CAPACITY);
    map.put(1, 1);
    assertThat(map.statistics().buckets()).isEqualTo(minimalBuckets(BucketMap.MAX_PRESIZED_CAPACITY));
  }

  /** A key that cannot be ordered, so the engine can only chain it (no collision tree). */
  private record PlainKey(int id) { }

  /**
   * The real maximum (2^{@value BucketTable#MAX_BUCKET_BITS} buckets) does not fit a test heap, so the
   * engine's package-private {@code BucketTable(int initialCapacity, int maxBucketBits)} lowers it: a table
   * capped at 4 buckets takes 10,000 entries (about 2,500 a bucket), finds, overwrites and removes each of
   * them, and stays valid; with keys that cannot be ordered the chains just get longer, with
   * {@code Comparable} keys the engine may also use its collision tree.
   */
  @ParameterizedTest(name = "{0} keys")
  @ValueSource(strings = {"unordered", "Comparable"})
  void aTableAtItsLargestBucketCountKeepsWorking(String keys) throws Exception {
    Constructor<BucketTable> capped;
    try {
      capped = BucketTable.class.getDeclaredConstructor(int.class, int.class);
    } catch (NoSuchMethodException e) {
      Assumptions.abort("the engine has no BucketTable(int initialCapacity, int maxBucketBits) test hook yet");
      return;
    }
    int maxBits = 2;
    BucketTable table = capped.newInstance(0, maxBits);
    Object absent = new Object();
    int n = 10_000;
    Object[] key = new Object[n];
    for (int i = 0; i < n; i++) {
      key[i] = keys.equals("unordered") ? new PlainKey(i) : Integer.valueOf(i);
    }
    for (int i = 0; i < n; i++) {
      assertThat(table.put(key[i], table.hash(key[i].hashCode()), "v" + i, absent)).isSameAs(absent);
    }
    TableStatistics full = table.statistics();
    assertThat(full.buckets()).as("main buckets at the cap").isEqualTo(1 << maxBits);
    assertThat(full.size()).isEqualTo(n);
    assertThat(full.migration()).isNull();
    if (keys.equals("unordered")) {
      assertThat(full.overflowBuckets()).as("overflow buckets of the long chains")
          .isGreaterThanOrEqualTo(n / BucketTable.SLOTS_PER_BUCKET - (1 << maxBits));
    }
    table.checkInvariants();
    for (int i = 0; i < n; i++) {
      assertThat(table.get(key[i], key[i].hashCode(), absent)).isEqualTo("v" + i);
      assertThat(table.put(key[i], table.hash(key[i].hashCode()), "w" + i, absent)).isEqualTo("v" + i);
    }
    for (int i = 0; i < n; i += 2) {
      assertThat(table.remove(key[i], table.hash(key[i].hashCode()), absent)).isEqualTo("w" + i);
    }
    table.checkInvariants();
    for (int i = 0; i < n; i++) {
      assertThat(table.get(key[i], key[i].hashCode(), absent)).isEqualTo(i % 2 == 0 ? absent : "w" + i);
    }
    assertThat(table.size()).isEqualTo(n / 2);
    assertThat(table.statistics().buckets()).isLessThanOrEqualTo(1 << maxBits);
  }
}
