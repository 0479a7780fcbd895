package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.maxLoad;
import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys that break their contract: a {@code hashCode()} or {@code equals()} that throws (an exception or an
 * error) propagates from every operation and leaves the map unchanged and usable, also when the throwing
 * {@code hashCode()} belongs to a key already in the map that a growth is moving; a key whose hash code
 * changes after insertion leaves every other key working, every operation terminating, the size right,
 * and it is still returned by iteration and removable through the iterator.
 */
class BrokenKeyTest {

  /** Generous bound for work that takes milliseconds: a hang fails instead of stalling the build. */
  private static final Duration TERMINATES = Duration.ofSeconds(20);

  /** Every public operation that looks a key up, applied to {@code k}; none should reach a function. */
  static Map<String, Consumer<Map<BrokenKey, Integer>>> operationsOn(BrokenKey k) {
    Map<String, Consumer<Map<BrokenKey, Integer>>> ops = new LinkedHashMap<>();
    ops.put("get", m -> m.get(k));
    ops.put("containsKey", m -> m.containsKey(k));
    ops.put("getOrDefault", m -> m.getOrDefault(k, 0));
    ops.put("put", m -> m.put(k, 1));
    ops.put("putIfAbsent", m -> m.putIfAbsent(k, 1));
    ops.put("remove", m -> m.remove(k));
    ops.put("remove(k, v)", m -> m.remove(k, 7));
    ops.put("replace", m -> m.replace(k, 1));
    ops.put("replace(k, old, new)", m -> m.replace(k, 7, 1));
    ops.put("compute", m -> m.compute(k, (x, v) -> 1));
    ops.put("computeIfAbsent", m -> m.computeIfAbsent(k, x -> 1));
    ops.put("computeIfPresent", m -> m.computeIfPresent(k, (x, v) -> 1));
    ops.put("merge", m -> m.merge(k, 1, Integer::sum));
    ops.put("keySet().remove", m -> m.keySet().remove(k));
    ops.put("entrySet().contains", m -> m.entrySet().contains(new SimpleEntry<>(k, 7)));
    ops.put("entrySet().remove", m -> m.entrySet().remove(new SimpleEntry<>(k, 7)));
    return ops;
  }

  /** The three table states where a failure could do harm: idle, one insert short of a doubling, migrating. */
  private static Map<String, Supplier<BucketMap<BrokenKey, Integer>>> fixtures() {
    Map<String, Supplier<BucketMap<BrokenKey, Integer>>> f = new LinkedHashMap<>();
    f.put("idle", () -> filled(500));
    f.put("at the growth threshold", () -> filled(maxLoad(64)));
    f.put("migrating", () -> {
      BucketMap<BrokenKey, Integer> m = filled(maxLoad(256) + 1);
      assertThat(m.statistics().migration()).isEqualTo(MigrationKind.DOUBLE);
      return m;
    });
    return f;
  }

  private static BucketMap<BrokenKey, Integer> filled(int n) {
    BucketMap<BrokenKey, Integer> map = new BucketMap<>();
    for (int i = 0; i < n; i++) {
      map.put(BrokenKey.of(i), i);
    }
    return map;
  }

  private static List<Throwable> failures() {
    return List.of(new BrokenKey.KeyFailure("broken key"), new BrokenKey.KeyError("broken key"));
  }

  @TestFactory
  Stream<DynamicTest> aThrowingHashCodeOrEqualsPropagatesAndLeavesTheMapUnchanged() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Throwable failure : failures()) {
      for (boolean inEquals : new boolean[] {false, true}) {
        // a throwing equals() is only called on a tophash match: the probe collides with stored key 7
        BrokenKey probe = inEquals ? new BrokenKey(-7, BrokenKey.of(7).hashCode()).failEquals(failure)
            : new BrokenKey(-7, 0).failHashCode(failure);
        String broken = (inEquals ? "equals" : "hashCode") + " throws " + failure.getClass().getSimpleName();
        fixtures().forEach((state, fixture) -> operationsOn(probe).forEach((name, op) ->
            tests.add(dynamicTest(name + ", " + broken + ", " + state, () -> {
              BucketMap<BrokenKey, Integer> map = fixture.get();
              Map<BrokenKey, Integer> before = new HashMap<>(map);
              TableStatistics statistics = map.statistics();
              RecordingObserver observer = observe(map);
              assertThat(catchThrowable(() -> op.accept(map))).isSameAs(failure);
              assertThat(map).isEqualTo(before);
              assertThat(map.statistics()).as("no migration started or advanced").isEqualTo(statistics);
              assertThat(observer.events).isEmpty();
              map.checkInvariants();
              assertUsable(map, before);
            }))));
      }
    }
    return tests.stream();
  }

  /** Inserts and removes a fresh key, then checks the map against {@code expected}. */
  private static void assertUsable(BucketMap<BrokenKey, Integer> map, Map<BrokenKey, Integer> expected) {
    BrokenKey fresh = BrokenKey.of(1_000_000);
    assertThat(map.put(fresh, 1)).isNull();
    assertThat(map.get(fresh)).isEqualTo(1);
    assertThat(map.remove(fresh)).isEqualTo(1);
    assertThat(map).isEqualTo(expected);
    map.checkInvariants();
  }

  /**
   * A key already in the map whose {@code hashCode()} starts throwing: the doubling that moves it calls
   * it. The engine keeps the table whole and rethrows from the write that did the move; that write's own
   * insert is not done. Every other key stays reachable, iteration returns the broken key once, its
   * iterator removes it (by position: its hash code still throws), and the map then grows on normally.
   */
  @ParameterizedTest(name = "hashCode throws an {0}")
  @ValueSource(strings = {"exception", "error"})
  void aStoredKeyWhoseHashCodeThrowsDuringAGrowthLeavesTheTableWhole(String kind) {
    Throwable failure = kind.equals("error") ? new BrokenKey.KeyError("moved") : new BrokenKey.KeyFailure("moved");
    BucketMap<BrokenKey, Integer> map = new BucketMap<>();
    Map<BrokenKey, Integer> expected = new HashMap<>();
    BrokenKey broken = BrokenKey.of(-1);
    map.put(broken, -1);
    int next = 0;
    while (next < maxLoad(64)) {
      map.put(BrokenKey.of(next), next);
      expected.put(BrokenKey.of(next), next);
      next++;
    }
    broken.failHashCode(failure);
    BrokenKey failedKey = null;
    while (failedKey == null) {
      BrokenKey k = BrokenKey.of(next);
      Throwable thrown = catchThrowable(() -> map.put(k, k.id()));
      if (thrown == null) {
        expected.put(k, k.id());
      } else {
        assertThat(thrown).isSameAs(failure);
        failedKey = k;
      }
      next++;
      assertThat(next).as("inserts before the growth reached the broken key").isLessThan(100_000);
    }
    assertThat(map.containsKey(failedKey)).as("the insert whose migration step failed").isFalse();
    assertThat(map.size()).isEqualTo(expected.size() + 1);
    expected.forEach((k, v) -> assertThat(map.get(k)).as("value of %s", k).isEqualTo(v));

    int returned = 0;
    for (Iterator<Map.Entry<BrokenKey, Integer>> it = map.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<BrokenKey, Integer> e = it.next();
      if (e.getKey() == broken) {
        returned++;
        assertThat(e.getValue()).isEqualTo(-1);
        it.remove();
      } else {
        assertThat(e.getValue()).isEqualTo(expected.get(e.getKey()));
      }
    }
    assertThat(returned).as("times iteration returned the broken key").isEqualTo(1);
    assertThat(map).isEqualTo(expected);
    map.checkInvariants();

    for (int i = 0; i < 5_000; i++, next++) {
      map.put(BrokenKey.of(next), next);
      expected.put(BrokenKey.of(next), next);
    }
    assertThat(map).isEqualTo(expected);
    map.checkInvariants();
  }

  /**
   * Removals and inserts while a migration keeps meeting the broken key: each write either completes or
   * throws the key's failure; whatever it did is visible and consistent (an insert that threw is not
   * done; a removal is done whether or not its migration step threw), nothing else is lost.
   */
  @ParameterizedTest(name = "hashCode throws an {0}")
  @ValueSource(strings = {"exception", "error"})
  void mixedWritesWhileGrowthsKeepMeetingABrokenKeyLoseNothing(String kind) {
    Throwable failure = kind.equals("error") ? new BrokenKey.KeyError("moved") : new BrokenKey.KeyFailure("moved");
    BucketMap<BrokenKey, Integer> map = new BucketMap<>();
    Map<BrokenKey, Integer> expected = new HashMap<>();
    List<BrokenKey> broken = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      BrokenKey b = new BrokenKey(-1 - i, i * 0x1234_5677);
      map.put(b, b.id());
      broken.add(b);
    }
    broken.forEach(b -> b.failHashCode(failure));
    int failedInserts = 0;
    for (int i = 0; i < 20_000; i++) {
      BrokenKey k = BrokenKey.of(i);
      Throwable thrown = catchThrowable(() -> map.put(k, k.id()));
      if (thrown == null) {
        expected.put(k, k.id());
      } else {
        assertThat(thrown).isSameAs(failure);
        assertThat(map.containsKey(k)).as("an insert that threw").isFalse();
        failedInserts++;
      }
      if (i % 3 == 2) {
        BrokenKey victim = BrokenKey.of(i - 1);
        Throwable removal = catchThrowable(() -> map.remove(victim));
        if (removal != null) {
          assertThat(removal).isSameAs(failure);
        }
        if (!map.containsKey(victim)) {
          expected.remove(victim);
        }
      }
    }
    assertThat(failedInserts).as("inserts whose migration step met a broken key").isPositive();
    assertThat(map.size()).isEqualTo(expected.size() + broken.size());
    expected.forEach((k, v) -> assertThat(map.get(k)).as("value of %s", k).isEqualTo(v));
    map.keySet().removeIf(k -> k.id() < 0); // by position: their hash codes still throw
    assertThat(map).isEqualTo(expected);
    map.checkInvariants();
  }

  /**
   * A key whose hash code changes while it is in the map: lookups may no longer find it (as in HashMap),
   * but every other key works through growth, shrink and compaction, every operation terminates, and
   * iteration still returns it once and removes it, whether or not {@code hasNext()} ran in between.
   */
  @ParameterizedTest(name = "hasNext() before remove(): {0}")
  @ValueSource(booleans = {false, true})
  void aKeyMutatedAfterInsertionLeavesEveryOtherKeyWorking(boolean hasNextBeforeRemove) {
    assertTimeoutPreemptively(TERMINATES, () -> {
      BucketMap<BrokenKey, Integer> map = new BucketMap<>();
      Map<BrokenKey, Integer> expected = new HashMap<>();
      BrokenKey mutated = BrokenKey.of(-1);
      map.put(mutated, -1);
      for (int i = 0; i < 1_000; i++) {
        map.put(BrokenKey.of(i), i);
        expected.put(BrokenKey.of(i), i);
      }
      mutated.rehash(0x7777_0001);
      map.get(mutated); // must terminate; the answer is unspecified, as in HashMap
      map.containsKey(mutated);
      for (int i = 1_000; i < 30_000; i++) { // several doublings move (and rehash) the mutated key
        map.put(BrokenKey.of(i), i);
        expected.put(BrokenKey.of(i), i);
        if (i % 1_000 == 0) {
          mutated.rehash(i); // and it keeps changing
        }
      }
      for (int i = 0; i < 29_000; i++) { // shrinks
        assertThat(map.remove(BrokenKey.of(i))).isEqualTo(i);
        expected.remove(BrokenKey.of(i));
      }
      map.compute(BrokenKey.of(29_500), (k, v) -> v + 1);
      expected.compute(BrokenKey.of(29_500), (k, v) -> v + 1);
      map.merge(BrokenKey.of(29_501), 5, Integer::sum);
      expected.merge(BrokenKey.of(29_501), 5, Integer::sum);
      map.trimToSize();
      assertThat(map.size()).isEqualTo(expected.size() + 1);
      expected.forEach((k, v) -> assertThat(map.get(k)).as("value of %s", k).isEqualTo(v));

      int returned = 0;
      for (Iterator<BrokenKey> it = map.keySet().iterator(); it.hasNext(); ) {
        BrokenKey k = it.next();
        if (k == mutated) {
          returned++;
          if (hasNextBeforeRemove) {
            it.hasNext();
          }
          it.remove();
        }
      }
      assertThat(returned).as("times iteration returned the mutated key").isEqualTo(1);
      assertThat(map).isEqualTo(expected);
      map.checkInvariants();
    });
  }
}
