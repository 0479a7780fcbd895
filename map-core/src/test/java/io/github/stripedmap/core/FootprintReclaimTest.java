package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Memory comes back after mass deletes: a map that held a million entries and lost 99% of them ends at
 * no more than 5% of its peak estimated footprint, either at once with {@code trimToSize()} or
 * progressively through ordinary writes alone.
 */
class FootprintReclaimTest {

  private static final int PEAK_ENTRIES = 1_000_000;
  private static final int KEPT = PEAK_ENTRIES / 100;

  @Test
  void trimToSizeAfterDeleting99PercentKeepsAtMost5PercentOfThePeak() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    long peak = fillAndDelete(map);
    map.trimToSize();
    TableStatistics s = map.statistics();
    assertThat(s.estimatedBytes()).as("estimate after trimToSize, peak was %s", peak).isLessThanOrEqualTo(peak / 20);
    assertThat(s.buckets()).isEqualTo(Fixtures.minimalBuckets(KEPT));
    assertKept(map);
  }

  @Test
  void writesAloneAfterDeleting99PercentShrinkToAtMost5PercentOfThePeak() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    long peak = fillAndDelete(map);
    for (int i = 0; i < PEAK_ENTRIES / 2; i++) { // a million more writes: remove and re-insert kept keys
      int k = PEAK_ENTRIES - KEPT + i % KEPT;
      Integer v = map.remove(k);
      map.put(k, v);
    }
    TableStatistics s = map.statistics();
    assertThat(s.migration()).isNull();
    assertThat(s.estimatedBytes()).as("estimate after 1M more writes, peak was %s", peak).isLessThanOrEqualTo(peak / 20);
    assertThat(s.load()).as("load after shrinking by writes alone").isGreaterThanOrEqualTo(13.0 / 8);
    assertKept(map);
  }

  /** Inserts a million keys, then removes all but the last 1%; returns the peak estimate seen. */
  private static long fillAndDelete(BucketMap<Integer, Integer> map) {
    long peak = 0;
    for (int i = 0; i < PEAK_ENTRIES; i++) {
      map.put(i, i);
      if ((i & 63) == 0 || map.statistics().migration() != null) {
        peak = Math.max(peak, map.statistics().estimatedBytes());
      }
    }
    assertThat(peak).as("peak estimate of a million entries").isGreaterThan(13L * PEAK_ENTRIES);
    for (int i = 0; i < PEAK_ENTRIES - KEPT; i++) {
      map.remove(i);
    }
    assertThat(map).hasSize(KEPT);
    return peak;
  }

  private static void assertKept(BucketMap<Integer, Integer> map) {
    assertThat(map).hasSize(KEPT);
    for (int i = PEAK_ENTRIES - KEPT; i < PEAK_ENTRIES; i++) {
      assertThat(map.get(i)).isEqualTo(i);
    }
    map.checkInvariants();
  }
}
