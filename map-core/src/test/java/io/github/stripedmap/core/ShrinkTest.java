package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.minimalBuckets;
import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.stripedmap.core.RecordingObserver.Cleanup;
import io.github.stripedmap.core.RecordingObserver.Finished;
import io.github.stripedmap.core.RecordingObserver.Started;
import org.junit.jupiter.api.Test;

/**
 * After deletes the table shrinks progressively: the delete that takes the load below a quarter of the
 * growth threshold ({@code count < 13/8 * buckets}), or the first delete after the previous migration
 * ended below it, starts a shrink to half the buckets, and no other delete does; shrinking never goes below the initial capacity; the last remove releases everything.
 */
class ShrinkTest {

  @Test
  void eachShrinkStartsOnExactlyTheDeleteThatFallsBelowAQuarterOfTheMaxLoad() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    int n = 60_000;
    for (int i = 0; i < n; i++) {
      map.put(i, i);
    }
    Fixtures.finishByRewriting(map, 0);
    RecordingObserver observer = observe(map);
    int shrinks = 0;
    for (int i = n - 1; i >= 1; i--) {
      TableStatistics before = map.statistics();
      int startsBefore = observer.startedTotal();
      int finishesBefore = observer.finishedTotal();
      map.remove(i);
      int count = i;
      boolean below = 8L * count < 13L * before.buckets() && before.buckets() > 1;
      // a remove may finish the running migration and then start the next one
      boolean noMigrationLeft = before.migration() == null || observer.finishedTotal() > finishesBefore;
      if (below && noMigrationLeft) {
        assertThat(observer.startedTotal()).as("migrations started by the remove leaving %s entries", count)
            .isEqualTo(startsBefore + 1);
        assertThat(observer.lastStarted).isEqualTo(new Started(MigrationKind.SHRINK, MigrationTrigger.UNDERLOAD,
            before.buckets(), before.buckets() / 2, count, before.overflowBuckets()));
        shrinks++;
      } else {
        assertThat(observer.startedTotal()).as("migrations started by the remove leaving %s entries (%s before)",
            count, before).isEqualTo(startsBefore);
      }
    }
    observer.assertNoViolations();
    assertThat(shrinks).as("shrinks on the way down from 16384 buckets").isBetween(10, 14);
    assertThat(observer.finished(MigrationKind.SHRINK)).isBetween(shrinks - 1, shrinks);
  }

  @Test
  void aShrinkHalvesTheBucketsWhenItFinishes() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(1024);
    RecordingObserver observer = observe(map);
    int key = 0;
    while (observer.started(MigrationKind.SHRINK) == 0) {
      map.remove(key++);
    }
    assertThat(map.statistics().buckets()).as("buckets while shrinking (the new array)").isEqualTo(512);
    while (map.statistics().migration() != null) {
      map.remove(key++);
    }
    observer.assertNoViolations();
    assertThat(observer.events(Finished.class)).containsExactly(new Finished(MigrationKind.SHRINK, 1024, 512,
        observer.events(Finished.class).get(0).releasedBytes()));
    assertThat(map.statistics().buckets()).isEqualTo(512);
    assertThat(map.statistics().migration()).isNull();
    map.checkInvariants();
  }

  @Test
  void neverShrinksBelowTheInitialCapacity() {
    BucketMap<Integer, Integer> map = new BucketMap<>(1000);
    int floor = minimalBuckets(1000);
    for (int i = 0; i < 50_000; i++) {
      map.put(i, i);
    }
    for (int i = 1; i < 50_000; i++) {
      map.remove(i);
    }
    for (int i = 0; i < 100_000; i++) { // churn: plenty of writes to finish every pending shrink
      map.put(-1, i);
      map.remove(-1);
    }
    assertThat(map.statistics().migration()).isNull();
    assertThat(map.statistics().buckets()).as("buckets of a map presized for 1000 entries").isEqualTo(floor);
    map.checkInvariants();
  }

  @Test
  void aMapShrinksBackToOneBucketWhenAlmostEmpty() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    for (int i = 0; i < 50_000; i++) {
      map.put(i, i);
    }
    for (int i = 1; i < 50_000; i++) {
      map.remove(i);
    }
    Fixtures.finishByRewriting(map, 0);
    assertThat(map.statistics().buckets()).isEqualTo(1);
    assertThat(map).containsExactly(java.util.Map.entry(0, 0));
  }

  @Test
  void removingTheLastEntryReleasesEverythingAndReportsIt() {
    long emptyBytes = new BucketMap<Integer, Integer>().statistics().estimatedBytes();
    BucketMap<Integer, Integer> map = Fixtures.fullTable(256);
    RecordingObserver observer = observe(map);
    for (int i = 0; i < Fixtures.maxLoad(256); i++) {
      map.remove(i);
    }
    observer.assertNoViolations();
    TableStatistics s = map.statistics();
    assertThat(s.size()).isZero();
    assertThat(s.buckets()).isZero();
    assertThat(s.overflowBuckets()).isZero();
    assertThat(s.migration()).isNull();
    assertThat(s.estimatedBytes()).as("estimate of an emptied map").isEqualTo(emptyBytes);
    Object last = observer.events.get(observer.events.size() - 1);
    assertThat(last).isInstanceOfSatisfying(Cleanup.class, c -> {
      assertThat(c.reason()).isEqualTo(CleanupReason.RESEED);
      assertThat(c.entriesRemoved()).isZero();
    });
    map.put(1, 1);
    map.checkInvariants();
    assertThat(map).containsExactly(java.util.Map.entry(1, 1));
  }
}
