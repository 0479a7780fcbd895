package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.maxLoad;
import static io.github.stripedmap.core.Fixtures.minimalBuckets;
import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.github.stripedmap.core.RecordingObserver.Started;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A doubling starts exactly on the insert of a new key that makes {@code count > 8} and
 * {@code count > 13/2 * buckets}; the insert before it, and every write that adds no key, start nothing.
 */
class GrowthTriggerTest {

  @Test
  void everyDoublingUpTo32768BucketsStartsOnExactlyTheInsertThatPassesTheLoadFactor() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    RecordingObserver observer = observe(map);
    int doublings = 0;
    for (int i = 0; i < 200_000; i++) {
      TableStatistics before = map.statistics();
      int startsBefore = observer.startedTotal();
      map.put(i, i);
      int count = i + 1;
      boolean passes = count > 8 && 2L * count > 13L * before.buckets();
      if (before.buckets() > 0 && passes) {
        assertThat(before.migration()).as("a migration still running when the load passed the factor at %s", count)
            .isNull();
        assertThat(observer.startedTotal()).as("migrations started by insert #%s", count).isEqualTo(startsBefore + 1);
        assertThat(observer.lastStarted).isEqualTo(new Started(MigrationKind.DOUBLE, MigrationTrigger.LOAD,
            before.buckets(), 2 * before.buckets(), count - 1, before.overflowBuckets()));
        doublings++;
      } else {
        assertThat(observer.startedTotal()).as("migrations started by insert #%s (%s before)", count, before)
            .isEqualTo(startsBefore);
      }
    }
    observer.assertNoViolations();
    assertThat(doublings).as("doublings from 1 to 32768 buckets").isEqualTo(15);
    assertThat(map.statistics().buckets()).isEqualTo(32768);
  }

  @Test
  void theFirstInsertAllocatesOneBucketWithoutAMigration() {
    BucketMap<String, String> map = new BucketMap<>();
    RecordingObserver observer = observe(map);
    assertThat(map.statistics().buckets()).as("buckets before any insert").isZero();
    map.put("a", "b");
    assertThat(map.statistics().buckets()).isEqualTo(1);
    assertThat(observer.startedTotal()).isZero();
  }

  @Test
  void writesThatAddNoKeyNeverStartAGrowthEvenAtTheThreshold() {
    int buckets = 64;
    BucketMap<Integer, Integer> map = Fixtures.fullTable(buckets);
    int full = maxLoad(buckets);
    RecordingObserver observer = observe(map);
    map.put(5, 50);
    map.replace(6, 60);
    map.replace(7, 7, 70);
    map.compute(8, (k, v) -> v + 1);
    map.computeIfPresent(9, (k, v) -> v + 1);
    map.merge(10, 1, Integer::sum);
    map.putIfAbsent(11, 0);
    map.computeIfAbsent(12, k -> -1);
    map.computeIfAbsent(full + 100, k -> null);
    map.compute(full + 101, (k, v) -> null);
    map.remove(full + 102);
    map.remove(13, -13);
    map.replaceAll((k, v) -> v);
    for (Map.Entry<Integer, Integer> e : map.entrySet()) {
      e.setValue(e.getValue());
    }
    assertThat(map).hasSize(full);
    assertThat(observer.startedTotal()).as("migrations started by writes that add no key").isZero();
    assertThat(observer.evacuations).isZero();

    map.merge(full, 1, Integer::sum);
    assertThat(observer.started(MigrationKind.DOUBLE)).as("doublings once a new key is merged in").isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 8, 9, 13, 14, 100, 1000, 10_000})
  void anInitialCapacityIsHeldWithoutAnyMigrationAndTheNextInsertPastItsTableGrows(int capacity) {
    BucketMap<Integer, Integer> map = new BucketMap<>(capacity);
    RecordingObserver observer = observe(map);
    for (int i = 0; i < capacity; i++) {
      map.put(i, i);
    }
    int buckets = minimalBuckets(capacity);
    assertThat(observer.startedTotal()).as("migrations while filling to the initial capacity").isZero();
    assertThat(map.statistics().buckets()).isEqualTo(buckets);
    for (int i = capacity; i < maxLoad(buckets); i++) {
      map.put(i, i);
    }
    assertThat(observer.startedTotal()).as("migrations while filling the presized table").isZero();
    map.put(-1, -1);
    assertThat(observer.started(MigrationKind.DOUBLE)).as("doublings after the first insert past the table").isOne();
  }

  @Test
  void computeIfAbsentComputePutIfAbsentAndMergeOfANewKeyAtTheThresholdGrowLikePut() {
    int buckets = 16;
    List<Consumer<BucketMap<Integer, Integer>>> inserts = List.of(
        m -> m.computeIfAbsent(-1, k -> 1),
        m -> m.compute(-1, (k, v) -> 1),
        m -> m.putIfAbsent(-1, 1),
        m -> m.merge(-1, 1, Integer::sum));
    for (Consumer<BucketMap<Integer, Integer>> insert : inserts) {
      BucketMap<Integer, Integer> map = Fixtures.fullTable(buckets);
      RecordingObserver observer = observe(map);
      int overflow = map.statistics().overflowBuckets();
      insert.accept(map);
      assertThat(observer.lastStarted).isEqualTo(new Started(MigrationKind.DOUBLE, MigrationTrigger.LOAD, buckets,
          2 * buckets, maxLoad(buckets), overflow));
    }
  }
}
