package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.maxLoad;
import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.AbstractMap.SimpleEntry;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * A migration's work is spread over writes: every insert or delete evacuates at most two old buckets,
 * reads and overwrites evacuate none, and the migration still ends after at most about one write per
 * old bucket.
 */
class EvacuationBudgetTest {

  private static final int BUCKETS = 4096;

  @Test
  void insertsAndDeletesEvacuateAtMostTwoOldBucketsEachAndFinishWithinOneWritePerOldBucket() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(BUCKETS);
    RecordingObserver observer = observe(map);
    Fixtures.startDoubling(map, BUCKETS);
    Random rnd = new Random(42);
    int next = maxLoad(BUCKETS) + 1;
    int oldest = 0;
    int writes = 0;
    int[] perWrite = new int[3];
    while (map.statistics().migration() != null) {
      long before = observer.evacuations;
      long startsBefore = observer.workStarts;
      if (rnd.nextBoolean()) {
        map.put(next++, 0);
      } else {
        assertThat(map.remove(oldest++)).isNotNull(); // the size stays far above the shrink threshold
      }
      writes++;
      int evacuated = (int) (observer.evacuations - before);
      assertThat(evacuated).as("old buckets evacuated by write #%s", writes).isBetween(0, 2);
      perWrite[evacuated]++;
      long starts = observer.workStarts - startsBefore;
      assertThat(starts).as("work-start calls of write #%s", writes).isBetween(0L, 1L);
      if (evacuated > 0) {
        assertThat(starts).as("write #%s evacuated: its work must be announced once", writes).isOne();
      }
    }
    observer.assertNoViolations();
    assertThat(observer.finished(MigrationKind.DOUBLE)).isOne();
    assertThat(observer.startedTotal()).isOne();
    // The next-unevacuated cursor skips at most 1024 done buckets per write, so a write can find nothing to do
    // only when 1024 evacuated buckets lie ahead of the cursor.
    assertThat(writes).as("writes to evacuate %s old buckets", BUCKETS).isLessThanOrEqualTo(BUCKETS + BUCKETS / 1024);
    assertThat(perWrite[2]).as("writes that evacuated two buckets").isPositive();
  }

  @Test
  void aCompactionAnnouncesItsMigrationWorkOnce() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(BUCKETS);
    RecordingObserver observer = observe(map);
    Fixtures.startDoubling(map, BUCKETS);
    long evacuationsBefore = observer.evacuations;
    long startsBefore = observer.workStarts;
    map.trimToSize();
    assertThat(observer.evacuations - evacuationsBefore).as("old buckets evacuated by trimToSize").isPositive();
    assertThat(observer.workStarts - startsBefore).as("work-start calls of trimToSize").isOne();
    observer.assertNoViolations();
  }

  @Test
  void everyRemoveEvacuatesAtMostTwoOldBuckets() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(BUCKETS);
    RecordingObserver observer = observe(map);
    Fixtures.startDoubling(map, BUCKETS);
    int key = 0;
    while (map.statistics().migration() == MigrationKind.DOUBLE) {
      long before = observer.evacuations;
      map.remove(key++);
      assertThat(observer.evacuations - before).as("old buckets evacuated by remove #%s", key).isBetween(0L, 2L);
    }
    observer.assertNoViolations();
    assertThat(key).isLessThanOrEqualTo(BUCKETS + BUCKETS / 1024);
  }

  @Test
  void readsEvacuateNothing() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(BUCKETS);
    Fixtures.startDoubling(map, BUCKETS);
    map.put(-2, -2); // a write: some old buckets evacuated, some not
    Map<Integer, Integer> copy = new HashMap<>(map);
    RecordingObserver observer = observe(map);
    double progress = map.statistics().migrationProgress();
    assertThat(progress).isStrictlyBetween(0.0, 1.0);
    assertOnlyReads(map, observer, m -> {
      for (int i = -5; i < 30_000; i += 3) {
        m.get(i);
        m.containsKey(i);
        m.getOrDefault(i, 0);
        m.keySet().contains(i);
        m.entrySet().contains(new SimpleEntry<>(i, i));
      }
    }, "lookups");
    assertOnlyReads(map, observer, m -> m.containsValue(-3), "containsValue");
    assertOnlyReads(map, observer, m -> m.values().contains(-3), "values().contains");
    assertOnlyReads(map, observer, m -> {
      for (Iterator<Map.Entry<Integer, Integer>> it = m.entrySet().iterator(); it.hasNext(); ) {
        it.next().getValue();
      }
      m.keySet().forEach(k -> { });
      m.values().forEach(v -> { });
      m.forEach((k, v) -> { });
    }, "iteration");
    assertOnlyReads(map, observer, m -> {
      assertThat(m.equals(copy)).isTrue();
      assertThat(copy.equals(m)).isTrue();
      assertThat(m.hashCode()).isEqualTo(copy.hashCode());
      assertThat(m.toString()).isNotEmpty();
      assertThat(m.entrySet().equals(copy.entrySet())).isTrue();
      assertThat(m.size()).isEqualTo(copy.size());
      assertThat(m.isEmpty()).isFalse();
    }, "equals/hashCode/toString/size");
    assertOnlyReads(map, observer, m -> {
      m.statistics();
      m.checkInvariants();
    }, "statistics/checkInvariants");
    assertOnlyReads(map, observer, EvacuationBudgetTest::serialize, "serialization");
    assertThat(map.statistics().migrationProgress()).as("progress after reads only").isEqualTo(progress);
  }

  @Test
  void overwritingExistingKeysEvacuatesNothing() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(BUCKETS);
    Fixtures.startDoubling(map, BUCKETS);
    RecordingObserver observer = observe(map);
    double progress = map.statistics().migrationProgress();
    for (int i = 0; i < maxLoad(BUCKETS); i += 7) {
      map.put(i, 1);
      map.replace(i, 2);
      map.replace(i, 2, 3);
      map.compute(i, (k, v) -> v + 1);
      map.computeIfPresent(i, (k, v) -> v + 1);
      map.merge(i, 1, Integer::sum);
      map.putIfAbsent(i, 9);
      map.computeIfAbsent(i, k -> 9);
    }
    for (Map.Entry<Integer, Integer> e : map.entrySet()) {
      e.setValue(e.getValue() + 1);
    }
    map.replaceAll((k, v) -> v - 1);
    assertThat(observer.evacuations).as("old buckets evacuated by overwrites").isZero();
    assertThat(map.statistics().migrationProgress()).isEqualTo(progress);
    map.checkInvariants();
  }

  private static void assertOnlyReads(BucketMap<Integer, Integer> map, RecordingObserver observer,
                                      Consumer<BucketMap<Integer, Integer>> reads, String what) {
    long before = observer.evacuations;
    reads.accept(map);
    assertThat(observer.evacuations - before).as("old buckets evacuated by %s", what).isZero();
    assertThat(observer.events).as("observer events caused by %s", what).isEmpty();
  }

  private static void serialize(Object o) {
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
