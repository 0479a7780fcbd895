package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Errors, not only exceptions, thrown by a user function (a custom {@code Error}, and a real
 * {@link StackOverflowError} from a function that recurses without end) propagate unchanged and leave
 * the map exactly as it was: same mappings, same table, nothing reported, open iterators still valid;
 * also when the thread that ran the function dies of the error.
 */
class FunctionErrorTest {

  /** A thread with a small stack overflows it quickly. */
  private static final long SMALL_STACK_BYTES = 256 * 1024;

  static final class FunctionError extends Error {
    private static final long serialVersionUID = 1L;
  }

  /** Recurses until the stack overflows (the result is never returned). */
  static int bottomless(int depth) {
    return bottomless(depth + 1) + 1;
  }

  /** What the function throws: a fresh custom error, or a real stack overflow. */
  private static final Map<String, Runnable> ERRORS = Map.of(
      "custom Error", () -> { throw new FunctionError(); },
      "StackOverflowError", () -> bottomless(0));

  private static final Map<String, Class<? extends Error>> ERROR_TYPES = Map.of(
      "custom Error", FunctionError.class, "StackOverflowError", StackOverflowError.class);

  /** Each throws from its function; key -1 is absent, key 3 present. */
  private static Map<String, Consumer<BucketMap<Integer, Integer>>> failing(Runnable fail) {
    Map<String, Consumer<BucketMap<Integer, Integer>>> ops = new LinkedHashMap<>();
    ops.put("compute(absent)", m -> m.compute(-1, (k, v) -> { fail.run(); return 1; }));
    ops.put("compute(present)", m -> m.compute(3, (k, v) -> { fail.run(); return 1; }));
    ops.put("computeIfAbsent", m -> m.computeIfAbsent(-1, k -> { fail.run(); return 1; }));
    ops.put("computeIfPresent", m -> m.computeIfPresent(3, (k, v) -> { fail.run(); return 1; }));
    ops.put("merge", m -> m.merge(3, 1, (a, b) -> { fail.run(); return 1; }));
    ops.put("replaceAll", m -> m.replaceAll((k, v) -> { fail.run(); return 1; }));
    ops.put("forEach", m -> m.forEach((k, v) -> fail.run()));
    ops.put("keySet().removeIf", m -> m.keySet().removeIf(k -> { fail.run(); return true; }));
    return ops;
  }

  private static Map<String, Supplier<BucketMap<Integer, Integer>>> fixtures() {
    Map<String, Supplier<BucketMap<Integer, Integer>>> f = new LinkedHashMap<>();
    f.put("idle", () -> {
      BucketMap<Integer, Integer> map = new BucketMap<>();
      for (int i = 0; i < 500; i++) {
        map.put(i, i);
      }
      return map;
    });
    f.put("at the growth threshold", () -> Fixtures.fullTable(64));
    f.put("migrating", () -> {
      BucketMap<Integer, Integer> map = Fixtures.fullTable(256);
      Fixtures.startDoubling(map, 256);
      return map;
    });
    return f;
  }

  @TestFactory
  Stream<DynamicTest> anErrorFromAFunctionPropagatesAndLeavesTheMapUnchanged() {
    List<DynamicTest> tests = new ArrayList<>();
    ERRORS.forEach((errorName, error) -> fixtures().forEach((state, fixture) ->
        failing(error).forEach((name, op) -> tests.add(dynamicTest(name + ", " + errorName + ", " + state, () -> {
          BucketMap<Integer, Integer> map = fixture.get();
          Map<Integer, Integer> before = new HashMap<>(map);
          TableStatistics statistics = map.statistics();
          RecordingObserver observer = observe(map);
          Iterator<Integer> open = map.keySet().iterator();
          open.next();
          assertThat(catchThrowable(() -> op.accept(map))).isInstanceOf(ERROR_TYPES.get(errorName));
          assertThat(map).isEqualTo(before);
          assertThat(map.statistics()).isEqualTo(statistics);
          assertThat(observer.events).isEmpty();
          int rest = 0;
          while (open.hasNext()) {
            open.next();
            rest++;
          }
          assertThat(rest).as("entries the iterator opened before still walks").isEqualTo(before.size() - 1);
          map.checkInvariants();
          map.put(-2, -2);
          assertThat(map.remove(-2)).isEqualTo(-2);
          map.checkInvariants();
        })))));
    return tests.stream();
  }

  /** The thread running the function dies of the stack overflow; the map is whole for the next thread. */
  @Test
  void aThreadKilledByAStackOverflowInsideComputeLeavesTheMapWhole() throws Exception {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(256);
    Fixtures.startDoubling(map, 256);
    Map<Integer, Integer> before = new HashMap<>(map);
    AtomicReference<Throwable> death = new AtomicReference<>();
    Thread doomed = new Thread(null, () -> map.compute(3, (k, v) -> bottomless(0)), "doomed", SMALL_STACK_BYTES);
    doomed.setUncaughtExceptionHandler((t, e) -> death.set(e));
    doomed.start();
    doomed.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(doomed.isAlive()).isFalse();
    assertThat(death.get()).isInstanceOf(StackOverflowError.class);
    assertThat(map).isEqualTo(before);
    map.checkInvariants();
    for (int i = -1; map.statistics().migration() != null; i--) {
      map.put(i, i);
      before.put(i, i);
    }
    assertThat(map).isEqualTo(before);
    map.checkInvariants();
  }
}
