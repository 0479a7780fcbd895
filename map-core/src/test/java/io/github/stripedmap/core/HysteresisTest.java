package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.maxLoad;
import static io.github.stripedmap.core.Fixtures.minLoad;
import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Grow and shrink thresholds are a factor of two apart on either side, so a map whose size hovers at
 * one of them for thousands of operations starts one migration, never a grow/shrink ping-pong.
 */
class HysteresisTest {

  private static final int CYCLES = 5_000;

  @ParameterizedTest(name = "{0} buckets")
  @ValueSource(ints = {16, 1024, 16_384})
  void insertingAndDeletingAcrossTheGrowthThresholdStartsOneDoubling(int buckets) {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(buckets);
    RecordingObserver observer = observe(map);
    int next = maxLoad(buckets);
    for (int i = 0; i < CYCLES; i++) {
      map.put(next, i); // one past the threshold
      map.remove(next); // back at it
      next++;
    }
    observer.assertNoViolations();
    assertThat(observer.startedTotal()).as("migrations started over %s cycles", CYCLES).isOne();
    assertThat(observer.started(MigrationKind.DOUBLE)).isOne();
    assertThat(map.statistics().buckets()).isEqualTo(2 * buckets);
  }

  @ParameterizedTest(name = "{0} buckets")
  @ValueSource(ints = {16, 1024, 16_384})
  void deletingAndInsertingAcrossTheShrinkThresholdStartsOneShrink(int buckets) {
    BucketMap<Integer, Integer> map = atShrinkThreshold(buckets);
    RecordingObserver observer = observe(map);
    int victim = 0;
    for (int i = 0; i < CYCLES; i++) {
      Integer v = map.remove(victim); // one below the threshold
      map.put(victim, v); // back at it
      victim = (victim + 1) % minLoad(buckets);
    }
    observer.assertNoViolations();
    assertThat(observer.startedTotal()).as("migrations started over %s cycles", CYCLES).isOne();
    assertThat(observer.started(MigrationKind.SHRINK)).isOne();
    assertThat(map.statistics().buckets()).isEqualTo(buckets / 2);
  }

  @ParameterizedTest(name = "{0} buckets")
  @ValueSource(ints = {16, 1024, 16_384})
  void churningDistinctKeysAroundTheShrinkThresholdStartsAtMostOneResize(int buckets) {
    BucketMap<Integer, Integer> map = atShrinkThreshold(buckets);
    RecordingObserver observer = observe(map);
    Deque<Integer> fifo = new ArrayDeque<>();
    map.keySet().forEach(fifo::add);
    int next = 1_000_000;
    for (int i = 0; i < CYCLES; i++) {
      map.remove(fifo.poll());
      map.put(next, next);
      fifo.add(next++);
    }
    observer.assertNoViolations();
    assertThat(observer.started(MigrationKind.DOUBLE) + observer.started(MigrationKind.SHRINK))
        .as("doublings and shrinks over %s cycles", CYCLES).isOne();
  }

  /** A map of {@code buckets} buckets, no migration running, holding the fewest entries that do not shrink it. */
  private static BucketMap<Integer, Integer> atShrinkThreshold(int buckets) {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(buckets);
    for (int i = maxLoad(buckets) - 1; i >= minLoad(buckets); i--) {
      map.remove(i);
    }
    TableStatistics s = map.statistics();
    assertThat(s.buckets()).isEqualTo(buckets);
    assertThat(s.migration()).isNull();
    assertThat(s.size()).isEqualTo(minLoad(buckets));
    return map;
  }
}
