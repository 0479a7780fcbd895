package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;

import io.github.stripedmap.core.RecordingObserver.Cleanup;
import io.github.stripedmap.core.RecordingObserver.Finished;
import org.junit.jupiter.api.Test;

/**
 * {@code clear()} drops every entry and the bucket arrays, reports a {@code CLEAR} cleanup with the entries
 * removed and the bytes released, ends a running migration, and leaves a map that works as new.
 */
class ClearTest {

  @Test
  void reportsTheEntriesRemovedAndTheBytesReleased() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(256);
    Fixtures.finishByRewriting(map, 0);
    RecordingObserver observer = observe(map);
    int size = map.size();
    long before = map.statistics().estimatedBytes();
    map.clear();
    long after = map.statistics().estimatedBytes();
    assertThat(observer.events).containsExactly(new Cleanup(CleanupReason.CLEAR, before - after, size));
    assertThat(before - after).as("bytes released").isGreaterThan(256L * 72);
    assertThat(after).isEqualTo(new BucketMap<>().statistics().estimatedBytes());
    assertThat(map).isEmpty();
    assertThat(map.statistics().buckets()).isZero();
  }

  @Test
  void duringAMigrationEndsItAndReleasesBothArrays() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(256);
    RecordingObserver observer = observe(map);
    Fixtures.startDoubling(map, 256);
    map.put(-5, -5);
    int size = map.size();
    long before = map.statistics().estimatedBytes();
    map.clear();
    observer.assertNoViolations();
    assertThat(observer.events(Finished.class)).as("the abandoned doubling is reported as finished")
        .singleElement().satisfies(f -> {
          assertThat(f.kind()).isEqualTo(MigrationKind.DOUBLE);
          assertThat(f.oldBuckets()).isEqualTo(256);
          assertThat(f.newBuckets()).isEqualTo(512);
        });
    Cleanup cleanup = observer.events(Cleanup.class).get(0);
    assertThat(cleanup.reason()).isEqualTo(CleanupReason.CLEAR);
    assertThat(cleanup.entriesRemoved()).isEqualTo(size);
    assertThat(cleanup.releasedBytes()).isEqualTo(before - map.statistics().estimatedBytes());
    TableStatistics s = map.statistics();
    assertThat(s.migration()).isNull();
    assertThat(s.migrationProgress()).isEqualTo(1.0);
    assertThat(s.size()).isZero();
    map.checkInvariants();
    for (int i = 0; i < 5_000; i++) {
      map.put(i, i);
    }
    assertThat(map).hasSize(5_000).containsEntry(4_999, 4_999).doesNotContainKey(-5);
    map.checkInvariants();
  }

  @Test
  void onAnEmptyMapReportsNothing() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    RecordingObserver observer = observe(map);
    map.clear();
    map.put(1, 1);
    map.remove(1);
    observer.events.clear();
    map.clear();
    assertThat(observer.events).isEmpty();
  }

  @Test
  void viewsClearTheMapToo() {
    for (int view = 0; view < 3; view++) {
      BucketMap<Integer, Integer> map = new BucketMap<>();
      for (int i = 0; i < 100; i++) {
        map.put(i, i);
      }
      RecordingObserver observer = observe(map);
      switch (view) {
        case 0 -> map.keySet().clear();
        case 1 -> map.values().clear();
        default -> map.entrySet().clear();
      }
      assertThat(map).isEmpty();
      assertThat(observer.cleanups(CleanupReason.CLEAR)).isOne();
    }
  }

  @Test
  void invalidatesOpenIterators() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    map.put(1, 1);
    map.put(2, 2);
    Iterator<Map.Entry<Integer, Integer>> it = map.entrySet().iterator();
    it.next();
    map.clear();
    assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
  }
}
