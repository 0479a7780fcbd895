package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code statistics()} describes the table consistently, and its footprint estimate matches the design's numbers. */
class StatisticsTest {

  @Test
  void anEmptyMapHoldsNoBuckets() {
    TableStatistics s = new BucketMap<String, String>().statistics();
    assertThat(s.size()).isZero();
    assertThat(s.buckets()).isZero();
    assertThat(s.overflowBuckets()).isZero();
    assertThat(s.migration()).isNull();
    assertThat(s.migrationProgress()).isEqualTo(1.0);
    assertThat(s.load()).isZero();
    assertThat(s.estimatedBytes()).isPositive().isLessThan(256);
  }

  @Test
  void sizeLoadAndProgressAreConsistentThroughGrowthAndShrink() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    for (int i = 0; i < 20_000; i++) {
      map.put(i, i);
      assertConsistent(map);
    }
    for (int i = 0; i < 19_990; i++) {
      map.remove(i);
      assertConsistent(map);
    }
  }

  private static void assertConsistent(BucketMap<Integer, Integer> map) {
    TableStatistics s = map.statistics();
    assertThat(s.size()).isEqualTo(map.size());
    assertThat(Integer.bitCount(s.buckets())).as("buckets %s is a power of two", s.buckets()).isOne();
    assertThat(s.load()).isEqualTo((double) s.size() / s.buckets());
    if (s.migration() == null) {
      assertThat(s.migrationProgress()).isEqualTo(1.0);
    } else {
      assertThat(s.migrationProgress()).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
    }
  }

  /** DESIGN.md: about 13.5 bytes of structure per entry at full load, about 27 right after a doubling. */
  @Test
  void bytesPerEntryMatchTheDesignAtFullLoadAndAfterADoubling() {
    int buckets = 16_384;
    BucketMap<Integer, Integer> map = Fixtures.fullTable(buckets);
    double full = (double) map.statistics().estimatedBytes() / map.size();
    assertThat(full).as("estimated bytes per entry at load 6.5").isBetween(11.0, 16.0);
    Fixtures.startDoubling(map, buckets);
    Fixtures.finishByRewriting(map, 0);
    assertThat(map.statistics().buckets()).isEqualTo(2 * buckets);
    double doubled = (double) map.statistics().estimatedBytes() / map.size();
    assertThat(doubled).as("estimated bytes per entry at load 3.25").isBetween(22.0, 30.0);
  }

  @Test
  void aMigrationHoldsBothArraysInTheEstimate() {
    int buckets = 4096;
    BucketMap<Integer, Integer> map = Fixtures.fullTable(buckets);
    long before = map.statistics().estimatedBytes();
    Fixtures.startDoubling(map, buckets);
    long during = map.statistics().estimatedBytes();
    assertThat(during).as("estimate while old and new arrays coexist").isGreaterThan(before + 2L * buckets * 72 - 1);
  }
}
