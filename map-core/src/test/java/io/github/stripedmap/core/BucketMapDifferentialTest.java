package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import io.github.stripedmap.core.DifferentialRun.Boundary;
import io.github.stripedmap.core.DifferentialRun.Coverage;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link BucketMap} against {@link java.util.HashMap} on seeded random operation sequences
 * ({@link DifferentialRun}), for five kinds of keys: plain {@code Integer} and {@code String} keys, keys
 * with only 16 distinct hash codes (long chains, overflow buckets, same-size rebuilds), keys sharing
 * their hash code in runs of four, and keys that all have the same hash code.
 *
 * <p>Each kind runs many seeds, then checks that the seeds together really crossed every boundary
 * (doubling, shrink, growth after a shrink, same-size rebuild where the keys allow it, clear, iteration,
 * iterator removal, setValue and trimToSize during a migration, a migration starting mid-iteration...).
 * About 1.2 million operations in all by default. System properties:
 * <ul>
 *   <li>{@code -Dstripedmap.test.scale=N}: N times as many seeds (a long profile);</li>
 *   <li>{@code -Dstripedmap.test.seed=S}: run only seed S (as printed by a failure), without the coverage
 *       checks. The map's own hash seed is random, so a layout-dependent failure may need a few reruns.</li>
 * </ul>
 */
class BucketMapDifferentialTest {

  static final int SCALE = Math.max(1, Integer.getInteger("stripedmap.test.scale", 1));
  static final Long ONLY_SEED = Long.getLong("stripedmap.test.seed");

  /** A seed's shape: how big the map may get and how many operations it runs. */
  record Profile(int maxSize, int operations) { }

  /** Initial capacities cycled over the seeds: default constructor, zero, small and large floors. */
  private static final int[] CAPACITIES = {-1, 0, 64, 1000};
  /**
   * For keys of few hash codes: small floors (16 buckets) keep emptied overflow chains from being compacted
   * by shrinks, so that bursts pile up overflow buckets until a same-size rebuild.
   */
  private static final int[] SMALL_FLOORS = {64, -1, 100, 0};

  /** Boundaries every key kind must reach. */
  private static final Set<Boundary> ALWAYS = EnumSet.of(
      Boundary.DOUBLE_STARTED,
      Boundary.SHRINK_STARTED,
      Boundary.GROWTH_AFTER_SHRINK,
      Boundary.OPS_DURING_DOUBLE,
      Boundary.OPS_DURING_SHRINK,
      Boundary.CLEAR_DURING_MIGRATION,
      Boundary.ITERATION_DURING_MIGRATION,
      Boundary.ITERATOR_REMOVE_DURING_MIGRATION,
      Boundary.SET_VALUE_DURING_MIGRATION,
      Boundary.MIGRATION_STARTED_DURING_ITERATION,
      Boundary.TRIM_DURING_MIGRATION,
      Boundary.CLONE_DURING_MIGRATION,
      Boundary.TRIM_SHRANK_TABLE,
      Boundary.FUNCTION_THREW_DURING_MIGRATION,
      Boundary.EMPTIED_DURING_MIGRATION,
      Boundary.OVERFLOW_BUCKETS_PRESENT);

  @TestFactory
  Stream<DynamicNode> integerKeys() {
    return kind("Integer", 1_000, id -> id == -1 ? null : id * 0x9e37_79b1, 1, 16, ALWAYS,
        new Profile(50, 8_000), new Profile(400, 12_000), new Profile(3_000, 25_000), new Profile(20_000, 60_000));
  }

  @TestFactory
  Stream<DynamicNode> stringKeys() {
    return kind("String", 2_000, id -> id == -1 ? null : "s" + id, 1, 16, ALWAYS,
        new Profile(50, 8_000), new Profile(400, 12_000), new Profile(3_000, 25_000));
  }

  /** 16 distinct hash codes: long chains in at most 16 buckets, overflow piles up, same-size rebuilds. */
  @TestFactory
  Stream<DynamicNode> sixteenDistinctHashes() {
    Set<Boundary> required = EnumSet.copyOf(ALWAYS);
    required.add(Boundary.SAME_SIZE_FOR_OVERFLOW_STARTED);
    required.add(Boundary.OPS_DURING_SAME_SIZE);
    return kind("16 hash codes", 3_000, id -> id == -1 ? null : CollidingKey.partialCollision(id, 16), 16,
        SMALL_FLOORS, 16, required, new Profile(100, 8_000), new Profile(400, 12_000), new Profile(1_500, 20_000));
  }

  @TestFactory
  Stream<DynamicNode> fourKeysPerHash() {
    return kind("4 keys per hash code", 4_000, id -> id == -1 ? null : CollidingKey.sharedHash(id, 4), 1, 12,
        ALWAYS, new Profile(100, 8_000), new Profile(1_000, 15_000), new Profile(5_000, 30_000));
  }

  @TestFactory
  Stream<DynamicNode> allKeysSameHash() {
    return kind("one hash code", 5_000, id -> id == -1 ? null : CollidingKey.fullCollision(id), 1, 15, ALWAYS,
        new Profile(30, 6_000), new Profile(100, 8_000), new Profile(300, 10_000));
  }

  /** Unordered keys of one hash code cannot go to a collision tree: one ever longer chain. */
  @TestFactory
  Stream<DynamicNode> allKeysSameHashUnordered() {
    return kind("one hash code, unordered", 6_000, id -> id == -1 ? null : new ChainKey(id, 0x5eed_1e55), 1, 13,
        ALWAYS, new Profile(30, 6_000), new Profile(100, 8_000), new Profile(300, 10_000));
  }

  private static <K> Stream<DynamicNode> kind(String label, long seedBase, IntFunction<K> keys, int hashGroups,
                                              int seeds, Set<Boundary> required, Profile... profiles) {
    return kind(label, seedBase, keys, hashGroups, CAPACITIES, seeds, required, profiles);
  }

  private static <K> Stream<DynamicNode> kind(String label, long seedBase, IntFunction<K> keys, int hashGroups,
                                              int[] capacities, int seeds, Set<Boundary> required,
                                              Profile... profiles) {
    Coverage coverage = new Coverage();
    List<DynamicNode> tests = new ArrayList<>();
    int total = seeds * SCALE;
    for (int i = 0; i < total; i++) {
      long seed = seedBase + i;
      if (ONLY_SEED != null && ONLY_SEED != seed) {
        continue;
      }
      Profile profile = profiles[i % profiles.length];
      int capacity = capacities[(i / profiles.length + i) % capacities.length];
      String name = "seed " + seed + ": up to " + profile.maxSize() + " entries, " + profile.operations()
          + " ops, initialCapacity " + (capacity < 0 ? "default" : capacity);
      tests.add(DynamicTest.dynamicTest(name, () ->
          new DifferentialRun<>(label + " keys", seed, keys, hashGroups, capacity, coverage)
              .run(profile.operations(), profile.maxSize())));
    }
    if (ONLY_SEED == null) {
      tests.add(DynamicTest.dynamicTest("the seeds crossed every boundary", () -> {
        System.out.println("[differential " + label + " keys] " + coverage);
        assertThat(coverage.operations).as("operations run").isGreaterThanOrEqualTo(100_000L * SCALE);
        for (Boundary b : required) {
          assertThat(coverage.get(b)).as("times %s was reached with %s keys; coverage: %s", b, label, coverage)
              .isPositive();
        }
      }));
    }
    return tests.stream().map(DynamicNode.class::cast);
  }
}
