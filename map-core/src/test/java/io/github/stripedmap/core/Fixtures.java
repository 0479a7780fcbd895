package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared set-ups for the mechanics tests: thresholds computed from the documented constants, not from the code. */
final class Fixtures {

  private Fixtures() { }

  /** Attaches a fresh recording observer. */
  static RecordingObserver observe(BucketMap<?, ?> map) {
    RecordingObserver observer = new RecordingObserver();
    map.setObserver(observer);
    return observer;
  }

  /** Largest entry count that a table of {@code buckets} holds without starting a doubling: 8, or 13/2 per bucket. */
  static int maxLoad(int buckets) {
    return Math.max(BucketTable.SLOTS_PER_BUCKET, BucketTable.LOAD_NUM * buckets / BucketTable.LOAD_DEN);
  }

  /** Smallest entry count that a table of {@code buckets} holds without starting a shrink: 13/8 per bucket. */
  static int minLoad(int buckets) {
    return (BucketTable.LOAD_NUM * buckets + 4 * BucketTable.LOAD_DEN - 1) / (4 * BucketTable.LOAD_DEN);
  }

  /** Smallest power-of-two bucket count holding {@code entries} within the load factor. */
  static int minimalBuckets(int entries) {
    return DifferentialRun.minimalBuckets(entries);
  }

  /**
   * A default map with keys {@code 0 .. maxLoad(buckets) - 1}: exactly full, {@code buckets} buckets, no
   * migration running; the next insert of a new key starts a doubling.
   */
  static BucketMap<Integer, Integer> fullTable(int buckets) {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    int n = maxLoad(buckets);
    for (int i = 0; i < n; i++) {
      map.put(i, i);
    }
    TableStatistics s = map.statistics();
    assertThat(s.buckets()).as("buckets after %s inserts", n).isEqualTo(buckets);
    assertThat(s.migration()).as("migration after %s inserts", n).isNull();
    return map;
  }

  /** Inserts the key {@code maxLoad(buckets)} into a {@link #fullTable}: the insert that starts a doubling. */
  static void startDoubling(BucketMap<Integer, Integer> map, int buckets) {
    map.put(maxLoad(buckets), -1);
    assertThat(map.statistics().migration()).isEqualTo(MigrationKind.DOUBLE);
  }

  /**
   * Advances the migration by removing and re-inserting {@code key} (two writes, size unchanged)
   * until none runs. Returns the writes made.
   */
  static int finishByRewriting(BucketMap<Integer, Integer> map, int key) {
    int writes = 0;
    while (map.statistics().migration() != null) {
      Integer v = map.remove(key);
      map.put(key, v);
      writes += 2;
      assertThat(writes).as("writes to finish a migration").isLessThan(1 << 22);
    }
    return writes;
  }
}
