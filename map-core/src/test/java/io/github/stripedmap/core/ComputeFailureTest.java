package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.maxLoad;
import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * An exception thrown by a user function passes through unchanged and leaves the map exactly as it
 * was: same mappings, same table (no migration started or advanced), open iterators still valid. A
 * function that changes the map's structure is detected like HashMap does, without corrupting it.
 */
class ComputeFailureTest {

  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private static final Boom BOOM = new Boom();

  /** Each throws from its function; key -1 is absent, key 3 present. */
  private static final List<Consumer<BucketMap<Integer, Integer>>> FAILING = List.of(
      m -> m.compute(-1, (k, v) -> { throw BOOM; }),
      m -> m.compute(3, (k, v) -> { throw BOOM; }),
      m -> m.computeIfAbsent(-1, k -> { throw BOOM; }),
      m -> m.computeIfPresent(3, (k, v) -> { throw BOOM; }),
      m -> m.merge(3, 1, (a, b) -> { throw BOOM; }),
      m -> m.replaceAll((k, v) -> { throw BOOM; }),
      m -> m.forEach((k, v) -> { throw BOOM; }));

  @Test
  void onAnIdleMap() {
    assertEachFailureLeavesTheMapUnchanged(() -> {
      BucketMap<Integer, Integer> map = new BucketMap<>();
      for (int i = 0; i < 500; i++) {
        map.put(i, i);
      }
      return map;
    });
  }

  @Test
  void atTheGrowthThresholdWhereAnInsertWouldStartADoubling() {
    assertEachFailureLeavesTheMapUnchanged(() -> Fixtures.fullTable(64));
  }

  @Test
  void duringAMigration() {
    assertEachFailureLeavesTheMapUnchanged(() -> {
      BucketMap<Integer, Integer> map = Fixtures.fullTable(256);
      Fixtures.startDoubling(map, 256);
      return map;
    });
  }

  private static void assertEachFailureLeavesTheMapUnchanged(Supplier<BucketMap<Integer, Integer>> fixture) {
    for (int i = 0; i < FAILING.size(); i++) {
      BucketMap<Integer, Integer> map = fixture.get();
      Map<Integer, Integer> before = new HashMap<>(map);
      TableStatistics statistics = map.statistics();
      RecordingObserver observer = observe(map);
      Iterator<Integer> open = map.keySet().iterator();
      open.next();
      Consumer<BucketMap<Integer, Integer>> failing = FAILING.get(i);
      assertThatThrownBy(() -> failing.accept(map)).as("failing function #%s", i).isSameAs(BOOM);
      assertThat(map).as("mappings after failing function #%s", i).isEqualTo(before);
      assertThat(map.statistics()).as("table after failing function #%s", i).isEqualTo(statistics);
      assertThat(observer.events).as("observer events of failing function #%s", i).isEmpty();
      int rest = 0;
      while (open.hasNext()) {
        open.next();
        rest++;
      }
      assertThat(rest).as("entries an iterator opened before failing function #%s still walks", i)
          .isEqualTo(before.size() - 1);
      map.checkInvariants();
    }
  }

  @Test
  void aFunctionThatInsertsAnotherKeyIsDetectedLikeHashMapDoes() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(16);
    HashMap<Integer, Integer> ref = new HashMap<>(map);
    int n = maxLoad(16);
    for (Map<Integer, Integer> m : List.<Map<Integer, Integer>>of(map, ref)) {
      assertThatThrownBy(() -> m.computeIfAbsent(-1, k -> {
        m.put(n + 1, 0); // this insert starts a doubling in the BucketMap
        return 1;
      })).as(m.getClass().getSimpleName()).isInstanceOf(ConcurrentModificationException.class);
    }
    assertThat(map).isEqualTo(ref).doesNotContainKey(-1).containsKey(n + 1);
    map.checkInvariants();
  }

  @Test
  void aFunctionThatRemovesAKeyIsDetectedInComputeMergeAndComputeIfPresentAndTheMapStaysValid() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(16);
    HashMap<Integer, Integer> ref = new HashMap<>(map);
    for (Map<Integer, Integer> m : List.<Map<Integer, Integer>>of(map, ref)) {
      assertThatThrownBy(() -> m.compute(5, (k, v) -> {
        m.remove(5);
        return 50;
      })).as(m.getClass().getSimpleName()).isInstanceOf(ConcurrentModificationException.class);
      assertThatThrownBy(() -> m.merge(6, 1, (a, b) -> {
        m.remove(7);
        return null;
      })).as(m.getClass().getSimpleName()).isInstanceOf(ConcurrentModificationException.class);
      assertThatThrownBy(() -> m.computeIfPresent(8, (k, v) -> {
        m.remove(8);
        return 80;
      })).as(m.getClass().getSimpleName()).isInstanceOf(ConcurrentModificationException.class);
    }
    assertThat(map).isEqualTo(ref);
    map.checkInvariants();
  }

  @Test
  void aFunctionThatOnlyOverwritesOtherValuesIsAllowed() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(16);
    HashMap<Integer, Integer> ref = new HashMap<>(map);
    for (Map<Integer, Integer> m : List.<Map<Integer, Integer>>of(map, ref)) {
      m.compute(1, (k, v) -> {
        m.put(2, 200);
        return 100;
      });
      m.computeIfAbsent(-1, k -> {
        m.replace(3, 300);
        return -100;
      });
    }
    assertThat(map).isEqualTo(ref).containsEntry(1, 100).containsEntry(2, 200).containsEntry(-1, -100);
    map.checkInvariants();
  }
}
