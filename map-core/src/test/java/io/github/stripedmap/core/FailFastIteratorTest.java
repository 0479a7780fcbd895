package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Iterators of all three views are fail-fast like {@link java.util.HashMap}'s: a structural change made
 * outside the iterator makes the next {@code next()} throw {@link ConcurrentModificationException};
 * overwriting values is not structural and leaves the walk complete and duplicate-free, even while a
 * migration runs; {@code remove()} follows the {@link Iterator} contract.
 */
class FailFastIteratorTest {

  enum View {
    KEYS(m -> m.keySet().iterator()),
    VALUES(m -> m.values().iterator()),
    ENTRIES(m -> m.entrySet().iterator());

    final Function<BucketMap<Integer, Integer>, Iterator<?>> open;

    View(Function<BucketMap<Integer, Integer>, Iterator<?>> open) {
      this.open = open;
    }
  }

  private static final List<Consumer<BucketMap<Integer, Integer>>> STRUCTURAL = List.of(
      m -> m.put(-1, 0),
      m -> m.remove(5),
      m -> m.remove(6, 6),
      m -> m.putIfAbsent(-2, 0),
      m -> m.computeIfAbsent(-3, k -> 0),
      m -> m.compute(7, (k, v) -> null),
      m -> m.compute(-4, (k, v) -> 0),
      m -> m.computeIfPresent(8, (k, v) -> null),
      m -> m.merge(9, 0, (a, b) -> null),
      m -> m.merge(-5, 0, Integer::sum),
      m -> m.putAll(Map.of(-6, 0)),
      m -> m.keySet().remove(10),
      m -> m.values().remove(11),
      m -> m.entrySet().remove(Map.entry(12, 12)),
      m -> m.keySet().removeIf(k -> k == 13),
      BucketMap::clear);

  @ParameterizedTest
  @EnumSource(View.class)
  void everyStructuralChangeOutsideTheIteratorMakesNextThrow(View view) {
    for (int i = 0; i < STRUCTURAL.size(); i++) {
      BucketMap<Integer, Integer> map = mapOf(100);
      Iterator<?> it = view.open.apply(map);
      it.next();
      STRUCTURAL.get(i).accept(map);
      assertThatThrownBy(it::next).as("next() after structural change #%s", i)
          .isInstanceOf(ConcurrentModificationException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(View.class)
  void removeAfterAStructuralChangeThrowsToo(View view) {
    BucketMap<Integer, Integer> map = mapOf(100);
    Iterator<?> it = view.open.apply(map);
    it.next();
    map.put(-1, -1);
    assertThatThrownBy(it::remove).isInstanceOf(ConcurrentModificationException.class);
  }

  @ParameterizedTest
  @EnumSource(View.class)
  void overwritingValuesDuringAWalkIsAllowedAndEveryKeyIsSeenOnceEvenWhileMigrating(View view) {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(256);
    Fixtures.startDoubling(map, 256);
    map.put(-7, -7);
    assertThat(map.statistics().migration()).isEqualTo(MigrationKind.DOUBLE);
    int size = map.size();
    Iterator<Map.Entry<Integer, Integer>> entries = map.entrySet().iterator();
    Iterator<?> it = view.open.apply(map);
    List<Object> seen = new ArrayList<>();
    int k = 0;
    while (it.hasNext()) {
      seen.add(it.next());
      map.put(k, -k);
      map.replace(k + 1, 1);
      map.computeIfPresent(k + 2, (key, v) -> v + 1);
      map.merge(k + 3, 1, Integer::sum);
      if (entries.hasNext()) {
        Map.Entry<Integer, Integer> e = entries.next();
        e.setValue(e.getValue());
      }
      k = (k + 5) % 1_000;
    }
    assertThat(seen).hasSize(size);
    if (view != View.VALUES) {
      Set<Object> keys = new HashSet<>();
      for (Object o : seen) {
        keys.add(o instanceof Map.Entry<?, ?> e ? e.getKey() : o);
      }
      assertThat(keys).as("distinct keys walked").hasSize(size).isEqualTo(new HashSet<>(map.keySet()));
    }
  }

  @ParameterizedTest
  @EnumSource(View.class)
  void removeFollowsTheIteratorContract(View view) {
    BucketMap<Integer, Integer> map = mapOf(20);
    Iterator<?> it = view.open.apply(map);
    assertThatThrownBy(it::remove).as("remove() before next()").isInstanceOf(IllegalStateException.class);
    it.next();
    it.remove();
    assertThatThrownBy(it::remove).as("remove() twice").isInstanceOf(IllegalStateException.class);
    int walked = 1;
    while (it.hasNext()) {
      it.next();
      walked++;
    }
    assertThat(walked).isEqualTo(20);
    assertThat(map).hasSize(19);
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }

  @ParameterizedTest
  @EnumSource(View.class)
  void removingEverythingThroughTheIteratorAcrossShrinksVisitsEachKeyOnce(View view) {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(1024);
    RecordingObserver observer = Fixtures.observe(map);
    int size = map.size();
    Iterator<?> it = view.open.apply(map);
    int walked = 0;
    while (it.hasNext()) {
      it.next();
      it.remove();
      walked++;
    }
    assertThat(observer.started(MigrationKind.SHRINK)).as("shrinks started while walking").isPositive();
    assertThat(walked).isEqualTo(size);
    assertThat(map).isEmpty();
    observer.assertNoViolations();
    map.checkInvariants();
  }

  @ParameterizedTest
  @EnumSource(View.class)
  void removingEveryOtherEntryThroughTheIteratorDuringADoublingKeepsTheRest(View view) {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(1024);
    Fixtures.startDoubling(map, 1024);
    Map<Integer, Integer> expected = new java.util.HashMap<>(map);
    Map<Integer, Integer> keyOfValue = new java.util.HashMap<>();
    expected.forEach((k, v) -> keyOfValue.put(v, k)); // values are distinct here
    Iterator<?> it = view.open.apply(map);
    int walked = 0;
    Set<Integer> removed = new HashSet<>();
    while (it.hasNext()) {
      Object o = it.next();
      if (walked % 2 == 0) {
        Integer key = switch (view) {
          case KEYS -> (Integer) o;
          case VALUES -> keyOfValue.get((Integer) o);
          case ENTRIES -> ((Map.Entry<?, ?>) o).getKey() instanceof Integer k ? k : null;
        };
        it.remove();
        assertThat(removed.add(key)).isTrue();
      }
      walked++;
    }
    assertThat(walked).isEqualTo(expected.size());
    expected.keySet().removeAll(removed);
    assertThat(map).isEqualTo(expected);
    map.checkInvariants();
  }

  @ParameterizedTest
  @EnumSource(View.class)
  void forEachAndReplaceAllFailFastWhenTheirFunctionChangesTheStructure(View view) {
    BucketMap<Integer, Integer> forEach = mapOf(50);
    assertThatThrownBy(() -> forEach.forEach((k, v) -> forEach.put(-k - 1, v)))
        .isInstanceOf(ConcurrentModificationException.class);
    BucketMap<Integer, Integer> replaceAll = mapOf(50);
    assertThatThrownBy(() -> replaceAll.replaceAll((k, v) -> {
      replaceAll.remove(k);
      return v;
    })).isInstanceOf(ConcurrentModificationException.class);
    BucketMap<Integer, Integer> viewForEach = mapOf(50);
    Iterable<?> iterable = view == View.KEYS ? viewForEach.keySet() : view == View.VALUES ? viewForEach.values()
        : viewForEach.entrySet();
    assertThatThrownBy(() -> iterable.forEach(x -> viewForEach.put(-100 - viewForEach.size(), 0)))
        .isInstanceOf(ConcurrentModificationException.class);
  }

  private static BucketMap<Integer, Integer> mapOf(int n) {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    for (int i = 0; i < n; i++) {
      map.put(i, i);
    }
    return map;
  }
}
