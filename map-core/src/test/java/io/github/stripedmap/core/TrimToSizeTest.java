package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.maxLoad;
import static io.github.stripedmap.core.Fixtures.minimalBuckets;
import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import io.github.stripedmap.core.RecordingObserver.Cleanup;
import org.junit.jupiter.api.Test;

/**
 * {@code trimToSize()} finishes any pending migration at once and leaves the smallest table that holds
 * the entries within the load factor (never below the initial-capacity floor), without empty overflow
 * buckets, and reports the compaction.
 */
class TrimToSizeTest {

  @Test
  void finishesAPendingDoublingAtOnce() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(1024);
    RecordingObserver observer = observe(map);
    Fixtures.startDoubling(map, 1024);
    Map<Integer, Integer> expected = new HashMap<>(map);
    map.trimToSize();
    observer.assertNoViolations();
    TableStatistics s = map.statistics();
    assertThat(s.migration()).isNull();
    assertThat(s.buckets()).as("buckets for %s entries", s.size()).isEqualTo(minimalBuckets(s.size())).isEqualTo(2048);
    assertThat(observer.finished(MigrationKind.DOUBLE)).isOne();
    assertThat(observer.cleanups(CleanupReason.COMPACTION)).isOne();
    assertThat(map).isEqualTo(expected);
    map.checkInvariants();
  }

  @Test
  void finishesAPendingShrinkAndShrinksAllTheWayAtOnce() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    RecordingObserver observer = observe(map);
    for (int i = 0; i < 100_000; i++) {
      map.put(i, i);
    }
    for (int i = 100; i < 100_000; i++) {
      map.remove(i);
    }
    assertThat(map.statistics().buckets()).as("buckets left by progressive shrinking alone").isGreaterThan(16);
    assertThat(map.statistics().migration()).as("migration pending before trimToSize").isEqualTo(MigrationKind.SHRINK);
    long before = map.statistics().estimatedBytes();
    observer.events.clear();
    map.trimToSize();
    observer.assertNoViolations();
    TableStatistics s = map.statistics();
    assertThat(s.migration()).isNull();
    assertThat(s.buckets()).isEqualTo(minimalBuckets(100)).isEqualTo(16);
    assertThat(map).hasSize(100);
    for (int i = 0; i < 100; i++) {
      assertThat(map.get(i)).isEqualTo(i);
    }
    BucketMap<Integer, Integer> fresh = new BucketMap<>(100);
    fresh.putAll(map);
    // the two maps have different hash seeds, hence different overflow: allow a factor of two, no more
    assertThat(s.estimatedBytes()).as("estimate after trimToSize, vs a map presized and filled with the same entries")
        .isLessThanOrEqualTo(2 * fresh.statistics().estimatedBytes());
    assertThat(s.estimatedBytes()).as("estimate after trimToSize").isLessThan(before);
    Cleanup compaction = observer.events(Cleanup.class).get(0);
    assertThat(compaction.reason()).isEqualTo(CleanupReason.COMPACTION);
    assertThat(compaction.releasedBytes()).isEqualTo(before - s.estimatedBytes());
    map.checkInvariants();
  }

  @Test
  void dropsEmptyOverflowBuckets() {
    BucketMap<CollidingKey, Integer> map = new BucketMap<>(100); // 16 buckets, never fewer
    int chained = 8 * BucketTable.TREE_CHAIN_BUCKETS; // more would go to the collision tree
    for (int i = 0; i < chained; i++) {
      map.put(CollidingKey.fullCollision(i), i); // one chain of TREE_CHAIN_BUCKETS full buckets
    }
    assertThat(map.statistics().overflowBuckets()).isEqualTo(BucketTable.TREE_CHAIN_BUCKETS - 1);
    assertThat(map.statistics().collisionTreeEntries()).isZero();
    for (int i = 10; i < chained; i++) {
      map.remove(CollidingKey.fullCollision(i));
    }
    assertThat(map.statistics().overflowBuckets()).as("overflow buckets kept after deletes")
        .isEqualTo(BucketTable.TREE_CHAIN_BUCKETS - 1);
    map.trimToSize();
    TableStatistics s = map.statistics();
    assertThat(s.overflowBuckets()).as("overflow buckets after trimToSize with 10 entries in one chain").isOne();
    assertThat(s.buckets()).isEqualTo(16);
    assertThat(map).hasSize(10);
    map.checkInvariants();
  }

  @Test
  void neverGoesBelowTheInitialCapacityFloor() {
    BucketMap<Integer, Integer> map = new BucketMap<>(1000);
    for (int i = 0; i < 10_000; i++) {
      map.put(i, i);
    }
    for (int i = 10; i < 10_000; i++) {
      map.remove(i);
    }
    map.trimToSize();
    assertThat(map.statistics().buckets()).isEqualTo(minimalBuckets(1000));
    assertThat(map).hasSize(10);
  }

  /** An already compact table has nothing to release: a second call must not rebuild it. */
  @Test
  void isIdempotent() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    for (int i = 0; i < 5_000; i++) {
      map.put(i, i);
    }
    map.trimToSize();
    TableStatistics first = map.statistics();
    RecordingObserver observer = observe(map);
    map.trimToSize();
    assertThat(observer.startedTotal()).as("migrations started by a second trimToSize").isZero();
    assertThat(map.statistics()).isEqualTo(first);
  }

  @Test
  void onAnEmptyMapKeepsItEmptyAndUsable() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    map.trimToSize();
    assertThat(map.statistics().buckets()).isZero();
    map.put(1, 1);
    map.remove(1);
    map.trimToSize();
    assertThat(map.statistics().buckets()).isZero();
    map.put(2, 2);
    assertThat(map).containsExactly(Map.entry(2, 2));
    map.checkInvariants();
  }

  @Test
  void aTrimmedMapGrowsAgainNormally() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    for (int i = 0; i < 1_000; i++) {
      map.put(i, i);
    }
    for (int i = 10; i < 1_000; i++) {
      map.remove(i);
    }
    map.trimToSize();
    RecordingObserver observer = observe(map);
    for (int i = 10; i < 2_000; i++) {
      map.put(i, i);
    }
    Fixtures.finishByRewriting(map, 0);
    observer.assertNoViolations();
    assertThat(map).hasSize(2_000);
    assertThat(map.statistics().buckets()).isEqualTo(512);
    map.checkInvariants();
  }

  /**
   * A same-size rebuild runs while the map is loaded just under the growth threshold; inserts during it
   * pass the threshold (no doubling can start while a migration runs). When it ends the table is
   * overloaded, and trimToSize() must still leave it within the load factor.
   */
  @Test
  void leavesATableThatASameSizeRebuildLeftOverloadedWithinTheLoadFactor() {
    int buckets = 16;
    BucketMap<ChainKey, Integer> map = SameSizeRebuildTest.overloadedThroughASameSizeRebuild(buckets).map;
    TableStatistics before = map.statistics();
    assertThat(before.migration()).isNull();
    assertThat(before.size()).as("entries left in %s buckets by the rebuild", buckets).isGreaterThan(maxLoad(buckets));

    map.trimToSize();
    TableStatistics after = map.statistics();
    assertThat(after.buckets()).as("buckets after trimToSize() with %s entries (%s before)", after.size(), before)
        .isEqualTo(minimalBuckets(after.size()));
  }
}
