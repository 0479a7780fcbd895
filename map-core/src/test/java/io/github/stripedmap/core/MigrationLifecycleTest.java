package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.maxLoad;
import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.github.stripedmap.core.RecordingObserver.Evacuated;
import io.github.stripedmap.core.RecordingObserver.Finished;
import io.github.stripedmap.core.RecordingObserver.Started;
import org.junit.jupiter.api.Test;

/**
 * A migration starts once, evacuates every old bucket once (moving every entry it held), reports its
 * progress, finishes exactly once, and then the old arrays are gone: no migration in the statistics,
 * the new bucket count in place, the memory estimate down by the released bytes.
 */
class MigrationLifecycleTest {

  private static final int BUCKETS = 1024;
  /** Estimated bytes of one main bucket: a tag word and sixteen compressed references. */
  private static final int MAIN_BUCKET_BYTES = Long.BYTES + 16 * 4;

  @Test
  void aDoublingFinishesExactlyOnceWithTheNewBucketsInPlaceAndTheOldArraysReleased() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(BUCKETS);
    RecordingObserver observer = observe(map);
    Fixtures.startDoubling(map, BUCKETS);
    int key = maxLoad(BUCKETS) + 1;
    double progress = map.statistics().migrationProgress();
    long bytesBefore = 0;
    while (map.statistics().migration() != null) {
      TableStatistics before = map.statistics();
      assertThat(before.buckets()).as("buckets reported during the doubling (the new array)").isEqualTo(2 * BUCKETS);
      bytesBefore = before.estimatedBytes();
      map.put(key++, 0);
      double now = map.statistics().migrationProgress();
      assertThat(now).as("progress after a write").isGreaterThan(progress);
      progress = now;
    }
    observer.assertNoViolations();
    TableStatistics after = map.statistics();
    assertThat(after.buckets()).isEqualTo(2 * BUCKETS);
    assertThat(after.migrationProgress()).isEqualTo(1.0);
    List<Finished> finished = observer.events(Finished.class);
    assertThat(finished).hasSize(1);
    Finished f = finished.get(0);
    assertThat(f.kind()).isEqualTo(MigrationKind.DOUBLE);
    assertThat(f.oldBuckets()).isEqualTo(BUCKETS);
    assertThat(f.newBuckets()).isEqualTo(2 * BUCKETS);
    assertThat(f.releasedBytes()).as("bytes released with %s old main buckets", BUCKETS)
        .isGreaterThanOrEqualTo((long) BUCKETS * MAIN_BUCKET_BYTES);
    assertThat(after.estimatedBytes()).as("estimate after the last evacuation, given %s released", f)
        .isLessThanOrEqualTo(bytesBefore - f.releasedBytes() + 4L * MAIN_BUCKET_BYTES);
    assertThat(observer.events.get(observer.events.size() - 1)).as("the last event").isEqualTo(f);
    map.checkInvariants();
  }

  @Test
  void everyOldBucketIsEvacuatedOnceAndTheDoublingMovesEveryEntryItStartedWith() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(BUCKETS);
    RecordingObserver observer = observe(map);
    Fixtures.startDoubling(map, BUCKETS);
    for (int key = maxLoad(BUCKETS) + 1; map.statistics().migration() != null; key++) {
      map.put(key, 0);
    }
    observer.assertNoViolations(); // includes: each old bucket once, all of them before the finish
    Started started = observer.events(Started.class).get(0);
    List<Evacuated> evacuations = observer.events(Evacuated.class);
    assertThat(evacuations).hasSize(BUCKETS);
    long toX = evacuations.stream().mapToLong(Evacuated::movedToX).sum();
    long toY = evacuations.stream().mapToLong(Evacuated::movedToY).sum();
    assertThat(toX + toY).as("entries moved, the doubling started with %s", started.entries())
        .isEqualTo(started.entries());
    assertThat(toX).as("entries moved to X (the hash bit splits them about evenly)")
        .isBetween(started.entries() * 2L / 5, started.entries() * 3L / 5);
  }

  @Test
  void everyEntryStaysReachableAfterEveryStepOfAMigration() {
    int buckets = 64;
    BucketMap<Integer, Integer> map = Fixtures.fullTable(buckets);
    Fixtures.startDoubling(map, buckets);
    int key = maxLoad(buckets) + 1;
    int steps = 0;
    while (map.statistics().migration() != null) {
      map.put(key++, -key);
      steps++;
      for (int k = 0; k < key; k++) {
        Integer expected = k < maxLoad(buckets) ? Integer.valueOf(k) : k == maxLoad(buckets) ? -1 : -(k + 1);
        assertThat(map.get(k)).as("get(%s) after write %s of the migration", k, steps).isEqualTo(expected);
      }
      assertThat(map).hasSize(key);
      map.checkInvariants();
    }
    assertThat(steps).as("writes the migration took").isBetween(buckets / 2 - 1, buckets);
  }

  @Test
  void migrationsStartAndFinishInPairsOverAWholeGrowAndShrinkCycle() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    RecordingObserver observer = observe(map);
    for (int i = 0; i < 100_000; i++) {
      map.put(i, i);
    }
    for (int i = 0; i < 99_999; i++) {
      map.remove(i);
    }
    Fixtures.finishByRewriting(map, 99_999);
    observer.assertNoViolations();
    assertThat(observer.started(MigrationKind.DOUBLE)).isEqualTo(observer.finished(MigrationKind.DOUBLE)).isPositive();
    assertThat(observer.started(MigrationKind.SHRINK)).isEqualTo(observer.finished(MigrationKind.SHRINK)).isPositive();
    Object previous = null;
    for (Object e : observer.events) {
      if (e instanceof Started && previous != null) {
        assertThat(previous).as("event before a start").isNotInstanceOf(Started.class).isNotInstanceOf(Evacuated.class);
      }
      if (e instanceof Finished) {
        assertThat(previous).as("event before a finish").isInstanceOf(Evacuated.class);
      }
      previous = e;
    }
    assertThat(map.statistics().buckets()).isEqualTo(1);
  }
}
