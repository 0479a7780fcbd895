package io.github.stripedmap.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One seeded random walk of operations applied to a {@link BucketMap} and to a {@link HashMap}
 * reference side by side. Every operation's result (value or exception class), the calls made to
 * user functions, {@code size()} and the touched key's mapping must agree; the observer protocol is
 * checked after every operation ({@link RecordingObserver}), as is the bound of two evacuated old
 * buckets per write and none per read; {@code checkInvariants()} runs after every operation on small
 * maps and periodically on large ones.
 *
 * <p>The walk is a sequence of phases designed to cross every boundary of the table: drifts toward
 * random target sizes (doubling, shrinking, shrink-then-grow), bursts of keys of one hash group that
 * are then deleted (overflow chains, same-size rebuilds), hovering around the current growth or shrink
 * threshold, and rare whole-map operations (clear, iteration with {@code remove()} and
 * {@code setValue}, {@code removeIf}, {@code replaceAll}, {@code trimToSize}, clone, serialization)
 * that are made more likely while a migration is in progress. What was reached is counted in a
 * {@link Coverage} so that the caller can assert that every boundary was really crossed.
 */
final class DifferentialRun<K> {

  /** States and transitions that a differential run must reach, counted across seeds. */
  enum Boundary {
    DOUBLE_STARTED,
    SHRINK_STARTED,
    SAME_SIZE_FOR_OVERFLOW_STARTED,
    GROWTH_AFTER_SHRINK,
    OPS_DURING_DOUBLE,
    OPS_DURING_SHRINK,
    OPS_DURING_SAME_SIZE,
    CLEAR_DURING_MIGRATION,
    ITERATION_DURING_MIGRATION,
    ITERATOR_REMOVE_DURING_MIGRATION,
    SET_VALUE_DURING_MIGRATION,
    MIGRATION_STARTED_DURING_ITERATION,
    TRIM_DURING_MIGRATION,
    CLONE_DURING_MIGRATION,
    TRIM_SHRANK_TABLE,
    FUNCTION_THREW_DURING_MIGRATION,
    EMPTIED_DURING_MIGRATION,
    OVERFLOW_BUCKETS_PRESENT,
  }

  /** Counts per boundary plus operations, shared by the runs of one key kind. */
  static final class Coverage {
    private final Map<Boundary, Long> counts = new EnumMap<>(Boundary.class);
    long operations;

    synchronized void add(Boundary b, long n) {
      if (n > 0) {
        counts.merge(b, n, Long::sum);
      }
    }

    synchronized long get(Boundary b) {
      return counts.getOrDefault(b, 0L);
    }

    @Override
    public synchronized String toString() {
      StringBuilder sb = new StringBuilder("operations=").append(operations);
      for (Boundary b : Boundary.values()) {
        sb.append(", ").append(b).append('=').append(get(b));
      }
      return sb.toString();
    }
  }

  /** Thrown by a user function on purpose. */
  static final class FunctionFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FunctionFailure() {
      super("thrown by a remapping function on purpose", null, false, false);
    }
  }

  /** The outcome of an operation that threw. */
  record Thrown(Class<?> type) { }

  /** Operations allowed to do migration work: the rest are reads and must evacuate nothing. */
  private static final int MAX_EVACUATIONS_PER_WRITE = 2;
  /**
   * {@code checkInvariants()} (a full scan) after every operation up to this size; for larger maps after
   * each migration start or end while the map is at most {@link #FULL_SCAN_LIMIT} entries, and every
   * {@code max(CHECK_PERIOD, size / 2)} operations, so that its cost per operation stays bounded.
   */
  private static final int CHECK_EVERY_OP_UP_TO = 64;
  private static final int CHECK_PERIOD = 512;
  private static final int FULL_COMPARE_PERIOD = 1024;
  /** Whole-map operations (iteration, equals, clone) are full only up to this size. */
  private static final int FULL_SCAN_LIMIT = 3000;

  private final String label;
  private final long seed;
  private final Random rnd;
  private final IntFunction<K> keyOf;
  private final int hashGroups;
  private final int initialCapacity;
  private final Coverage coverage;
  private final BucketMap<K, Integer> map;
  private final HashMap<K, Integer> ref = new HashMap<>();
  private final RecordingObserver observer = new RecordingObserver();
  private final KeyIndex<K> present = new KeyIndex<>();
  private final Trace trace = new Trace(40);
  private int nextId;
  private long ops;
  private long opsLimit;
  private final Map<Boundary, Long> local = new EnumMap<>(Boundary.class);

  /**
   * @param keyOf           key of an id; id -1 must give the null key
   * @param hashGroups      ids {@code g, g + hashGroups, g + 2*hashGroups...} share a hash group (bursts stay
   *                        in one group); 1 if keys are not grouped
   * @param initialCapacity the map's initial capacity, or -1 for the default constructor
   */
  DifferentialRun(String label, long seed, IntFunction<K> keyOf, int hashGroups, int initialCapacity,
                  Coverage coverage) {
    this.label = label;
    this.seed = seed;
    this.rnd = new Random(seed);
    this.keyOf = keyOf;
    this.hashGroups = hashGroups;
    this.initialCapacity = initialCapacity;
    this.coverage = coverage;
    this.map = initialCapacity < 0 ? new BucketMap<>() : new BucketMap<>(initialCapacity);
    observer.keepEvents = false;
    map.setObserver(observer);
  }

  /** Runs about {@code operations} operations on maps of up to about {@code maxSize} entries. */
  void run(long operations, int maxSize) {
    opsLimit = operations;
    try {
      while (ops < opsLimit) {
        int p = rnd.nextInt(100);
        if (p < 35) {
          drift(rnd.nextInt(maxSize + 1));
        } else if (p < 45) {
          drift(rnd.nextInt(17));
        } else if (p < 55) {
          drift(maxSize);
        } else if (p < 75) {
          burst(maxSize);
        } else if (p < 85 && hashGroups > 1) {
          overflowChurn();
        } else if (p < 93) {
          hover();
        } else {
          drain();
        }
        if (ref.size() <= FULL_SCAN_LIMIT) {
          compareWhole();
        }
      }
      finish();
    } catch (Throwable t) {
      throw new AssertionError(failureReport(t), t);
    } finally {
      publishCoverage();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Phases
  // ------------------------------------------------------------------------------------------

  private void drift(int target) {
    long length = Math.abs((long) target - ref.size()) * 2 + 50 + rnd.nextInt(400);
    for (long end = Math.min(opsLimit, ops + length); ops < end; ) {
      int size = ref.size();
      step(size < target ? 0.75 : size > target ? 0.25 : 0.5);
    }
  }

  /** Deletes everything, one key at a time: shrinks run back to back down to an empty, released table. */
  private void drain() {
    while (!ref.isEmpty() && ops < opsLimit) {
      deleteish(present.random(rnd));
    }
  }

  /** Inserts a batch of keys of one hash group (one long chain when keys collide), then removes them. */
  private void burst(int maxSize) {
    int group = rnd.nextInt(hashGroups);
    int n = 8 + rnd.nextInt(Math.max(1, Math.min(maxSize, 200)));
    List<K> batch = new ArrayList<>(n);
    for (int i = 0; i < n && ops < opsLimit; i++) {
      K k = keyOf.apply(freshIdInGroup(group));
      batch.add(k);
      insertish(k);
      if (rnd.nextInt(4) == 0) {
        step(0.5);
      }
    }
    Collections.shuffle(batch, rnd);
    for (K k : batch) {
      if (ops >= opsLimit) {
        break;
      }
      deleteish(k);
      if (rnd.nextInt(4) == 0) {
        step(0.5);
      }
    }
  }

  /**
   * Bursts in one hash group after another, each sized to stay under the growth threshold, each removed
   * through the key set's iterator but for its last key (by key, one at a time, when the map is too large
   * for a whole comparison), so that the chains they leave behind pile up empty overflow buckets until a
   * same-size rebuild: a removal by position moves no other entry, while removals by key (the other
   * phases') keep chains compact and free emptied buckets.
   */
  private void overflowChurn() {
    for (int round = 8 + rnd.nextInt(16); round > 0 && ops < opsLimit; round--) {
      int buckets = Math.max(1, map.statistics().buckets());
      int headroom = BucketTable.LOAD_NUM * buckets / BucketTable.LOAD_DEN - ref.size() - 1;
      int n = Math.max(8, Math.min(200, headroom));
      int group = rnd.nextInt(hashGroups);
      List<K> batch = new ArrayList<>(n);
      for (int i = 0; i < n && ops < opsLimit; i++) {
        K k = keyOf.apply(freshIdInGroup(group));
        batch.add(k);
        insertish(k);
      }
      if (ref.size() <= FULL_SCAN_LIMIT && batch.size() > 1 && ops < opsLimit) {
        removeThroughIterator(new HashSet<>(batch.subList(0, batch.size() - 1)));
        continue;
      }
      for (K k : batch) {
        if (ops >= opsLimit) {
          break;
        }
        deleteish(k);
      }
    }
  }

  /** Removes the given keys with {@code keySet().removeIf}, which removes through the map's iterator. */
  private void removeThroughIterator(Set<K> gone) {
    trace.add("keySet.removeIf(batch)", null, gone.size(), null);
    MigrationKind before = beginOp();
    boolean expected = ref.keySet().removeIf(gone::contains);
    boolean actual = map.keySet().removeIf(gone::contains);
    check(expected == actual, "removeIf(batch)", null, () -> "returned " + actual);
    present.rebuild(ref.keySet());
    compareWhole();
    map.checkInvariants();
    afterAnyOp("removeIf(batch)", null, before);
  }

  /** Moves to the current growth or shrink threshold, then alternates inserts and deletes around it. */
  private void hover() {
    TableStatistics s = map.statistics();
    int buckets = Math.max(1, s.buckets());
    boolean aroundGrowth = rnd.nextBoolean();
    int threshold = aroundGrowth
        ? Math.max(8, BucketTable.LOAD_NUM * buckets / BucketTable.LOAD_DEN)
        : BucketTable.LOAD_NUM * buckets / (BucketTable.LOAD_DEN * 4);
    drift(threshold);
    for (long end = Math.min(opsLimit, ops + 100 + rnd.nextInt(400)); ops < end; ) {
      if (ref.size() <= threshold) {
        insertish(freshKey());
      } else {
        deleteish(presentOrFresh());
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // One step
  // ------------------------------------------------------------------------------------------

  private void step(double insertProbability) {
    boolean migrating = observer.current != null; // equal to statistics().migration() != null, checked after every op
    if (rnd.nextInt(migrating ? 300 : 25_000) == 0) {
      clear();
    } else if (rnd.nextInt(migrating ? 40 : 1500) == 0) {
      iterate();
    } else if (rnd.nextInt(migrating ? 400 : 6000) == 0) {
      trim();
    } else if (rnd.nextInt(migrating ? 300 : 4000) == 0) {
      bulk();
    } else if (rnd.nextInt(migrating ? 150 : 20_000) == 0) {
      copies();
    } else {
      double r = rnd.nextDouble();
      if (r < 0.8 * insertProbability) {
        insertish(rnd.nextInt(10) == 0 ? presentOrFresh() : freshKey());
      } else if (r < 0.8) {
        deleteish(rnd.nextInt(7) == 0 ? freshKey() : presentOrFresh());
      } else {
        neutral(rnd.nextInt(5) < 3 ? presentOrFresh() : freshKey());
      }
    }
  }

  private void insertish(K k) {
    Integer v = value();
    switch (rnd.nextInt(5)) {
      case 0 -> keyed("put", k, v, true, m -> m.put(k, v));
      case 1 -> keyed("putIfAbsent", k, v, true, m -> m.putIfAbsent(k, v));
      case 2 -> {
        Fn.Mode mode = pick(Fn.Mode.ADD, Fn.Mode.CONST);
        int c = rnd.nextInt(50);
        functional("compute", k, mode, c, (m, f) -> m.compute(k, f.bi()));
      }
      case 3 -> {
        Fn.Mode mode = rnd.nextInt(10) == 0 ? Fn.Mode.NULL : Fn.Mode.CONST;
        int c = rnd.nextInt(50);
        functional("computeIfAbsent", k, mode, c, (m, f) -> m.computeIfAbsent(k, f.fn()));
      }
      default -> {
        Fn.Mode mode = pick(Fn.Mode.ADD, Fn.Mode.CONST);
        Integer given = rnd.nextInt(60) == 0 ? null : rnd.nextInt(50);
        functional("merge", k, mode, given == null ? -1 : given, (m, f) -> m.merge(k, given, f.bi()));
      }
    }
  }

  private void deleteish(K k) {
    switch (rnd.nextInt(5)) {
      case 0 -> keyed("remove", k, null, true, m -> m.remove(k));
      case 1 -> {
        Integer v = rnd.nextInt(4) == 0 ? value() : ref.get(k);
        keyed("remove(k,v)", k, v, true, m -> m.remove(k, v));
      }
      case 2 -> functional("compute", k, Fn.Mode.NULL, 0, (m, f) -> m.compute(k, f.bi()));
      case 3 -> functional("computeIfPresent", k, Fn.Mode.NULL, 0, (m, f) -> m.computeIfPresent(k, f.bi()));
      default -> functional("merge", k, Fn.Mode.NULL, 1, (m, f) -> m.merge(k, 1, f.bi()));
    }
  }

  private void neutral(K k) {
    Integer v = value();
    switch (rnd.nextInt(11)) {
      case 0 -> keyed("get", k, null, false, m -> m.get(k));
      case 1 -> keyed("getOrDefault", k, -7, false, m -> m.getOrDefault(k, -7));
      case 2 -> keyed("containsKey", k, null, false, m -> m.containsKey(k));
      case 3 -> keyed("replace", k, v, true, m -> m.replace(k, v));
      case 4 -> {
        Integer expected = rnd.nextBoolean() ? ref.get(k) : value();
        keyed("replace(k,old,new)", k, expected, true, m -> m.replace(k, expected, v));
      }
      case 5 -> functional("computeIfPresent", k, pick(Fn.Mode.ADD, Fn.Mode.CONST), rnd.nextInt(50),
          (m, f) -> m.computeIfPresent(k, f.bi()));
      case 6 -> keyed("put(present)", k, v, true, m -> m.put(k, v));
      case 7 -> {
        if (ref.size() <= FULL_SCAN_LIMIT) {
          keyed("containsValue", k, v, false, m -> m.containsValue(v));
        } else {
          keyed("get", k, null, false, m -> m.get(k));
        }
      }
      case 8 -> keyed("size/isEmpty", k, null, false, m -> m.size() * 2 + (m.isEmpty() ? 1 : 0));
      case 9 -> {
        Integer probe = rnd.nextBoolean() ? ref.get(k) : v;
        keyed("entrySet.contains", k, probe, false,
            m -> m.entrySet().contains(new AbstractMap.SimpleImmutableEntry<>(k, probe)));
      }
      default -> keyed("keySet.contains", k, null, false, m -> m.keySet().contains(k));
    }
  }

  private Fn.Mode pick(Fn.Mode usual, Fn.Mode other) {
    int r = rnd.nextInt(40);
    return r == 0 ? Fn.Mode.THROW : r < 25 ? usual : other;
  }

  // ------------------------------------------------------------------------------------------
  // Keyed operations and their checks
  // ------------------------------------------------------------------------------------------

  private void keyed(String name, K k, Object arg, boolean write, Function<Map<K, Integer>, Object> op) {
    trace.add(name, k, arg, null);
    MigrationKind before = beginOp();
    long evacuations = observer.evacuations;
    Object expected = outcome(() -> op.apply(ref));
    Object actual = outcome(() -> op.apply(map));
    check(Objects.equals(expected, actual), name, k, () -> "returned " + actual + ", HashMap returned " + expected);
    endKeyedOp(name, k, write, before, evacuations);
  }

  private void functional(String name, K k, Fn.Mode mode, int c,
                          BiFunction<Map<K, Integer>, Fn, Object> op) {
    trace.add(name, k, mode, c);
    MigrationKind before = beginOp();
    long evacuations = observer.evacuations;
    Fn forRef = new Fn(mode, c);
    Fn forMap = new Fn(mode, c);
    Object expected = outcome(() -> op.apply(ref, forRef));
    Object actual = outcome(() -> op.apply(map, forMap));
    check(Objects.equals(expected, actual), name, k, () -> "returned " + actual + ", HashMap returned " + expected);
    check(forRef.calls.equals(forMap.calls), name, k,
        () -> "function called with " + forMap.calls + ", HashMap called it with " + forRef.calls);
    if (mode == Fn.Mode.THROW && !forMap.calls.isEmpty() && before != null) {
      count(Boundary.FUNCTION_THREW_DURING_MIGRATION);
    }
    endKeyedOp(name, k, true, before, evacuations);
  }

  private MigrationKind beginOp() {
    ops++;
    MigrationKind kind = map.statistics().migration();
    if (kind != null) {
      count(switch (kind) {
        case DOUBLE -> Boundary.OPS_DURING_DOUBLE;
        case SHRINK -> Boundary.OPS_DURING_SHRINK;
        case SAME_SIZE -> Boundary.OPS_DURING_SAME_SIZE;
      });
    }
    return kind;
  }

  private void endKeyedOp(String name, K k, boolean write, MigrationKind before, long evacuationsBefore) {
    long evacuated = observer.evacuations - evacuationsBefore;
    if (write) {
      check(evacuated <= MAX_EVACUATIONS_PER_WRITE, name, k, () -> "a write evacuated " + evacuated + " old buckets");
    } else {
      check(evacuated == 0, name, k, () -> "a read evacuated " + evacuated + " old buckets");
    }
    check(map.size() == ref.size(), name, k, () -> "size " + map.size() + ", HashMap has " + ref.size());
    Integer expected = ref.get(k);
    Integer actual = map.get(k);
    check(Objects.equals(expected, actual), name, k, () -> "afterwards get=" + actual + ", HashMap get=" + expected);
    check(map.containsKey(k) == ref.containsKey(k), name, k, () -> "afterwards containsKey disagrees");
    present.sync(k, ref.containsKey(k));
    if (write && before != null && ref.isEmpty()) {
      count(Boundary.EMPTIED_DURING_MIGRATION);
    }
    afterAnyOp(name, k, before);
  }

  private void afterAnyOp(String name, Object k, MigrationKind before) {
    observer.assertNoViolations();
    TableStatistics s = map.statistics();
    check(s.size() == ref.size(), name, k, () -> "statistics().size()=" + s.size() + " but size " + ref.size());
    MigrationKind reported = observer.current == null ? null : observer.current.kind();
    check(s.migration() == reported, name, k,
        () -> "statistics().migration()=" + s.migration() + " but the observer was told " + reported);
    check(s.migrationProgress() >= 0 && s.migrationProgress() <= 1
        && (s.migration() != null || s.migrationProgress() == 1.0), name, k, () -> "bad progress in " + s);
    check(s.overflowBuckets() >= 0 && s.estimatedBytes() > 0, name, k, () -> "bad statistics " + s);
    if (s.overflowBuckets() > 0) {
      count(Boundary.OVERFLOW_BUCKETS_PRESENT);
    }
    int size = ref.size();
    if (size <= CHECK_EVERY_OP_UP_TO || ops % Math.max(CHECK_PERIOD, size / 2) == 0
        || before != s.migration() && size <= FULL_SCAN_LIMIT) {
      map.checkInvariants();
    }
    if (ops % FULL_COMPARE_PERIOD == 0 && ref.size() <= FULL_SCAN_LIMIT) {
      compareWhole();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Whole-map operations
  // ------------------------------------------------------------------------------------------

  private void clear() {
    trace.add("clear", null, ref.size(), null);
    MigrationKind before = beginOp();
    if (before != null) {
      count(Boundary.CLEAR_DURING_MIGRATION);
    }
    map.clear();
    ref.clear();
    present.clear();
    check(map.isEmpty() && map.size() == 0, "clear", null, () -> "not empty after clear()");
    check(map.statistics().migration() == null, "clear", null, () -> "a migration survived clear(): " + map.statistics());
    map.checkInvariants();
    afterAnyOp("clear", null, before);
  }

  /** Walks a view; removes through the iterator and sets values through entries along the way. */
  private void iterate() {
    int view = rnd.nextInt(4); // 0, 1: entrySet; 2: keySet; 3: values
    int[] removalPercent = {0, 5, 30, 90, 100};
    int removeP = removalPercent[rnd.nextInt(removalPercent.length)];
    int setP = view <= 1 ? rnd.nextInt(30) : 0;
    boolean full = ref.size() <= FULL_SCAN_LIMIT;
    int limit = full ? Integer.MAX_VALUE : 300;
    trace.add("iterate", null, "view " + view + " remove% " + removeP + " set% " + setP, ref.size());
    MigrationKind before = beginOp();
    if (before != null) {
      count(Boundary.ITERATION_DURING_MIGRATION);
    }
    int startsBefore = observer.startedTotal();
    Map<K, Integer> snapshot = full ? new HashMap<>(ref) : null;
    List<Integer> valuesSeen = new ArrayList<>();
    Set<K> seen = new HashSet<>();
    Iterator<?> it = view <= 1 ? map.entrySet().iterator() : view == 2 ? map.keySet().iterator() : map.values().iterator();
    int visited = 0;
    boolean continuedAfterStart = false;
    while (visited < limit && it.hasNext()) {
      Object o = it.next();
      visited++;
      if (observer.startedTotal() != startsBefore && !continuedAfterStart) {
        continuedAfterStart = true;
        count(Boundary.MIGRATION_STARTED_DURING_ITERATION);
      }
      if (view == 3) {
        valuesSeen.add((Integer) o);
        continue;
      }
      @SuppressWarnings("unchecked")
      K k = view <= 1 ? ((Map.Entry<K, Integer>) o).getKey() : (K) o;
      check(seen.add(k), "iterate", k, () -> "iterator returned the key twice");
      check(ref.containsKey(k), "iterate", k, () -> "iterator returned a key that is not in the map");
      if (view <= 1) {
        @SuppressWarnings("unchecked")
        Map.Entry<K, Integer> e = (Map.Entry<K, Integer>) o;
        check(Objects.equals(e.getValue(), ref.get(k)), "iterate", k,
            () -> "entry value " + e.getValue() + ", HashMap has " + ref.get(k));
        if (rnd.nextInt(100) < setP) {
          Integer v = value();
          if (map.statistics().migration() != null) {
            count(Boundary.SET_VALUE_DURING_MIGRATION);
          }
          long evacuations = observer.evacuations;
          Integer old = e.setValue(v);
          check(Objects.equals(old, ref.put(k, v)), "entry.setValue", k, () -> "returned " + old);
          check(Objects.equals(e.getValue(), v) && Objects.equals(map.get(k), v), "entry.setValue", k,
              () -> "value not visible afterwards");
          check(observer.evacuations - evacuations <= MAX_EVACUATIONS_PER_WRITE, "entry.setValue", k,
              () -> "evacuated too much");
        }
      }
      if (rnd.nextInt(100) < removeP) {
        boolean migratingNow = map.statistics().migration() != null;
        if (migratingNow) {
          count(Boundary.ITERATOR_REMOVE_DURING_MIGRATION);
        }
        long evacuations = observer.evacuations;
        trace.add("iterator.remove", k, null, null);
        it.remove();
        ref.remove(k);
        present.sync(k, false);
        check(observer.evacuations - evacuations <= MAX_EVACUATIONS_PER_WRITE, "iterator.remove", k,
            () -> "evacuated too much");
        check(map.size() == ref.size() && !map.containsKey(k), "iterator.remove", k, () -> "entry still there");
        if (migratingNow && ref.isEmpty()) {
          count(Boundary.EMPTIED_DURING_MIGRATION);
        }
        observer.assertNoViolations();
        if (rnd.nextInt(8) == 0) {
          Object threw = outcome(() -> {
            it.remove();
            return "no exception";
          });
          check(threw.equals(new Thrown(IllegalStateException.class)), "iterator.remove twice", k,
              () -> "expected IllegalStateException, got " + threw);
        }
      }
    }
    if (full) {
      check(!it.hasNext(), "iterate", null, () -> "hasNext() after a full walk");
      Object threw = outcome(it::next);
      check(threw.equals(new Thrown(NoSuchElementException.class)), "iterate", null,
          () -> "next() at the end: expected NoSuchElementException, got " + threw);
      if (view == 3) {
        List<Integer> expectedValues = new ArrayList<>(snapshot.values());
        expectedValues.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
        valuesSeen.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
        check(expectedValues.equals(valuesSeen), "iterate values", null, () -> "values differ from HashMap's");
      } else {
        check(seen.equals(snapshot.keySet()), "iterate", null, () -> "walked " + seen.size() + " keys, map had "
            + snapshot.size() + "; missing: " + difference(snapshot.keySet(), seen));
      }
    }
    if (full) {
      map.checkInvariants();
    }
    afterAnyOp("iterate", null, before);
    if (full) {
      compareWhole();
    }
  }

  /** Whole-map writes that go through the map's own iteration: removeIf on a view, replaceAll. */
  private void bulk() {
    if (ref.size() > FULL_SCAN_LIMIT) {
      return;
    }
    int salt = rnd.nextInt(7);
    int kind = rnd.nextInt(3);
    trace.add(kind == 0 ? "entrySet.removeIf" : kind == 1 ? "keySet.removeIf" : "replaceAll", null, salt, null);
    MigrationKind before = beginOp();
    if (kind < 2) {
      boolean expected = kind == 0
          ? ref.entrySet().removeIf(e -> selected(e.getKey(), salt))
          : ref.keySet().removeIf(k -> selected(k, salt));
      boolean actual = kind == 0
          ? map.entrySet().removeIf(e -> selected(e.getKey(), salt))
          : map.keySet().removeIf(k -> selected(k, salt));
      check(expected == actual, "removeIf", null, () -> "returned " + actual);
      present.rebuild(ref.keySet());
    } else {
      BiFunction<K, Integer, Integer> f = (k, v) -> v == null ? salt : v + salt;
      ref.replaceAll(f);
      map.replaceAll(f);
    }
    compareWhole();
    map.checkInvariants();
    afterAnyOp("bulk", null, before);
  }

  private static boolean selected(Object key, int salt) {
    return Math.floorMod(Objects.hashCode(key) + salt, 5) == 0;
  }

  private void trim() {
    trace.add("trimToSize", null, ref.size(), null);
    MigrationKind before = beginOp();
    if (before != null) {
      count(Boundary.TRIM_DURING_MIGRATION);
    }
    TableStatistics b4 = map.statistics();
    int bucketsBefore = b4.buckets();
    map.trimToSize();
    TableStatistics s = map.statistics();
    check(s.migration() == null, "trimToSize", null, () -> "migration pending after trimToSize(): " + s);
    if (!ref.isEmpty()) {
      int inArrays = ref.size() - s.collisionTreeEntries(); // collision-tree entries do not load the arrays
      int fewest = Math.max(minimalBuckets(inArrays), initialCapacity < 0 ? 1 : minimalBuckets(initialCapacity));
      // the fewest buckets within the load factor, or more if fewer would cost more in overflow buckets
      check(s.buckets() >= fewest && s.buckets() <= Math.max(fewest, bucketsBefore), "trimToSize", null,
          () -> "expected " + fewest + " to " + Math.max(fewest, bucketsBefore) + " buckets for " + inArrays
              + " entries in the arrays, got " + s);
      check(s.buckets() > bucketsBefore || s.estimatedBytes() <= b4.estimatedBytes(), "trimToSize", null,
          () -> "trimToSize() grew the table's footprint from " + b4 + " to " + s);
      if (s.buckets() < bucketsBefore) {
        count(Boundary.TRIM_SHRANK_TABLE);
      }
    }
    map.checkInvariants();
    afterAnyOp("trimToSize", null, before);
  }

  /**
   * Clone and serialization copies must equal the map, be valid tables, and be independent of it. A clone
   * is a structural copy (same seed, same migration state): it is then driven by a short random walk of its
   * own against a HashMap copy, while the original must not change.
   */
  private void copies() {
    if (ref.size() > FULL_SCAN_LIMIT) {
      return;
    }
    trace.add("clone+serialize", null, ref.size(), null);
    MigrationKind before = beginOp();
    if (before != null) {
      count(Boundary.CLONE_DURING_MIGRATION);
    }
    long events = observer.evacuations + observer.startedTotal() + observer.finishedTotal();
    BucketMap<K, Integer> clone = map.clone();
    check(observer.evacuations + observer.startedTotal() + observer.finishedTotal() == events, "clone", null,
        () -> "cloning reported migration work to the original's observer");
    clone.setObserver(TableObserver.NONE); // clone() shares the observer (documented): keep its work out of ours
    check(clone.statistics().migration() == before, "clone", null, () -> "the clone's migration state differs");
    BucketMap<K, Integer> copy = roundTrip(map);
    for (BucketMap<K, Integer> c : List.of(clone, copy)) {
      c.checkInvariants();
      check(c.equals(ref) && ref.equals(c) && c.hashCode() == ref.hashCode(), "copy", null, () -> "copy differs");
    }
    Map<K, Integer> expected = new HashMap<>(ref);
    for (int i = 0; i < 300; i++) {
      K k = rnd.nextInt(3) == 0 && !expected.isEmpty() ? present.random(rnd) : keyOf.apply(nextId + rnd.nextInt(50));
      if (rnd.nextBoolean()) {
        Integer v = rnd.nextInt(50);
        Integer e = expected.put(k, v);
        Integer a = clone.put(k, v);
        check(Objects.equals(e, a), "clone.put", k, () -> "returned " + a + " instead of " + e);
      } else {
        Integer e = expected.remove(k);
        Integer a = clone.remove(k);
        check(Objects.equals(e, a), "clone.remove", k, () -> "returned " + a + " instead of " + e);
      }
    }
    clone.checkInvariants();
    check(clone.equals(expected), "clone", null, () -> "the clone differs from its HashMap copy after writes");
    copy.put(keyOf.apply(freshId()), 1);
    copy.checkInvariants();
    check(map.equals(ref), "copies", null, () -> "writing the copies changed the map; " + diff());
    afterAnyOp("copies", null, before);
  }

  private void compareWhole() {
    check(map.equals(ref), "equals", null, () -> "map.equals(HashMap) is false; " + diff());
    check(ref.equals(map), "equals", null, () -> "HashMap.equals(map) is false; " + diff());
    check(map.hashCode() == ref.hashCode(), "hashCode", null, () -> "hashCode " + map.hashCode() + " vs " + ref.hashCode());
    check(map.keySet().equals(ref.keySet()) && map.entrySet().equals(ref.entrySet()), "views", null,
        () -> "keySet/entrySet differ");
  }

  private void finish() {
    trace.add("finish", null, ref.size(), null);
    map.checkInvariants();
    if (ref.size() <= 50_000) {
      compareWhole();
    }
    trim();
    compareWhole();
    clear();
  }

  // ------------------------------------------------------------------------------------------
  // Helpers
  // ------------------------------------------------------------------------------------------

  /** Smallest power-of-two bucket count that holds {@code entries} without passing the growth threshold. */
  static int minimalBuckets(int entries) {
    int buckets = 1;
    while (entries > BucketTable.SLOTS_PER_BUCKET
        && (long) entries * BucketTable.LOAD_DEN > (long) BucketTable.LOAD_NUM * buckets) {
      buckets *= 2;
    }
    return buckets;
  }

  private Integer value() {
    return rnd.nextInt(30) == 0 ? null : rnd.nextInt(50);
  }

  private int freshId() {
    return nextId++;
  }

  private int freshIdInGroup(int group) {
    int id = nextId + Math.floorMod(group - nextId, hashGroups);
    nextId = id + 1;
    return id;
  }

  /** A key that is most likely absent: brand new, an old id (maybe removed), or the null key. */
  private K freshKey() {
    int r = rnd.nextInt(100);
    if (r == 0) {
      return keyOf.apply(-1);
    }
    if (r < 15 && nextId > 0) {
      return keyOf.apply(rnd.nextInt(nextId));
    }
    return keyOf.apply(freshId());
  }

  private K presentOrFresh() {
    K k = present.random(rnd);
    return k != null || !ref.isEmpty() ? k : freshKey();
  }

  private void count(Boundary b) {
    local.merge(b, 1L, Long::sum);
  }

  private void publishCoverage() {
    local.merge(Boundary.DOUBLE_STARTED, (long) observer.started(MigrationKind.DOUBLE), Long::sum);
    local.merge(Boundary.SHRINK_STARTED, (long) observer.started(MigrationKind.SHRINK), Long::sum);
    local.merge(Boundary.SAME_SIZE_FOR_OVERFLOW_STARTED, (long) observer.started(MigrationTrigger.OVERFLOW), Long::sum);
    local.merge(Boundary.GROWTH_AFTER_SHRINK, (long) observer.growthsAfterShrink, Long::sum);
    synchronized (coverage) {
      local.forEach(coverage::add);
      coverage.operations += ops;
    }
  }

  private static Object outcome(Supplier<Object> op) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      return new Thrown(e.getClass());
    }
  }

  private void check(boolean ok, String op, Object key, Supplier<String> message) {
    if (!ok) {
      throw new AssertionError(op + "(" + key + "): " + message.get());
    }
  }

  private String diff() {
    Map<K, Integer> copy = new HashMap<>();
    for (Map.Entry<K, Integer> e : map.entrySet()) {
      copy.put(e.getKey(), e.getValue());
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<K, Integer> e : ref.entrySet()) {
      if (!copy.containsKey(e.getKey())) {
        out.add("missing " + e);
      } else if (!Objects.equals(copy.get(e.getKey()), e.getValue())) {
        out.add(e.getKey() + "=" + copy.get(e.getKey()) + " instead of " + e.getValue());
      }
    }
    for (K k : copy.keySet()) {
      if (!ref.containsKey(k)) {
        out.add("extra " + k);
      }
    }
    return out.size() > 10 ? out.subList(0, 10) + "..." : out.toString();
  }

  private static <T> Set<T> difference(Set<T> a, Set<T> b) {
    Set<T> d = new HashSet<>(a);
    d.removeAll(b);
    return d.size() > 10 ? new HashSet<>(new ArrayList<>(d).subList(0, 10)) : d;
  }

  private String failureReport(Throwable t) {
    return "differential run " + label + " failed: seed=" + seed + " (rerun with -Dstripedmap.test.seed=" + seed
        + "), operation #" + ops + ", initialCapacity=" + initialCapacity + ", HashMap size " + ref.size()
        + ", statistics " + safeStatistics() + "\n  cause: " + t + "\n  last operations (oldest first):\n"
        + trace;
  }

  private String safeStatistics() {
    try {
      return String.valueOf(map.statistics());
    } catch (RuntimeException | Error e) {
      return "unavailable (" + e + ")";
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T object) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(object);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (T) in.readObject();
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new AssertionError("serialization failed", e);
    }
  }

  /** A remapping function with a fixed behaviour that records how it was called. */
  static final class Fn {
    enum Mode { NULL, CONST, ADD, THROW }

    final Mode mode;
    final int c;
    final List<Object> calls = new ArrayList<>(2);

    Fn(Mode mode, int c) {
      this.mode = mode;
      this.c = c;
    }

    /** As a mapping function (computeIfAbsent). */
    Function<Object, Integer> fn() {
      return key -> {
        calls.add(key);
        return result(null);
      };
    }

    /** As a remapping function (compute, computeIfPresent: key and value; merge: two values). */
    BiFunction<Object, Object, Integer> bi() {
      return (a, b) -> {
        calls.add(a);
        calls.add(b);
        return result((Integer) b);
      };
    }

    private Integer result(Integer old) {
      return switch (mode) {
        case NULL -> null;
        case CONST -> c;
        case ADD -> (old == null ? 0 : old) + c;
        case THROW -> throw new FunctionFailure();
      };
    }
  }

  /** Keys present in the reference, with O(1) random choice. */
  static final class KeyIndex<K> {
    private final ArrayList<K> keys = new ArrayList<>();
    private final HashMap<K, Integer> positions = new HashMap<>();

    void sync(K k, boolean isPresent) {
      Integer at = positions.get(k);
      if (isPresent && at == null) {
        positions.put(k, keys.size());
        keys.add(k);
      } else if (!isPresent && at != null) {
        K last = keys.remove(keys.size() - 1);
        if (at < keys.size()) {
          keys.set(at, last);
          positions.put(last, at);
        }
        positions.remove(k);
      }
    }

    K random(Random rnd) {
      return keys.isEmpty() ? null : keys.get(rnd.nextInt(keys.size()));
    }

    void clear() {
      keys.clear();
      positions.clear();
    }

    void rebuild(Set<K> ks) {
      clear();
      for (K k : ks) {
        sync(k, true);
      }
    }
  }

  /** The last operations, for the failure report. */
  static final class Trace {
    private final String[] names;
    private final Object[] keys;
    private final Object[] args;
    private final Object[] extras;
    private long n;

    Trace(int capacity) {
      names = new String[capacity];
      keys = new Object[capacity];
      args = new Object[capacity];
      extras = new Object[capacity];
    }

    void add(String name, Object key, Object arg, Object extra) {
      int i = (int) (n++ % names.length);
      names[i] = name;
      keys[i] = key;
      args[i] = arg;
      extras[i] = extra;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (long j = Math.max(0, n - names.length); j < n; j++) {
        int i = (int) (j % names.length);
        sb.append("    ").append(names[i]).append(" key=").append(keys[i]).append(" arg=").append(args[i]);
        if (extras[i] != null) {
          sb.append(" extra=").append(extras[i]);
        }
        sb.append('\n');
      }
      return sb.toString();
    }
  }
}
