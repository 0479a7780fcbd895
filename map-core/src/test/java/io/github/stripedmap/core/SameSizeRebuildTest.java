package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.maxLoad;
import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.github.stripedmap.core.RecordingObserver.Started;
import org.junit.jupiter.api.Test;

/**
 * Overflow buckets emptied by removals through an iterator stay linked while a later bucket of their chain
 * holds an entry (as all of them do in Go; other removals keep chains compact and free emptied buckets, see
 * {@link FreeOverflowTest}); when there are as many as main buckets
 * ({@code 2^min(B,15)}) and the table is not overloaded, the next insert starts a same-size rebuild that
 * keeps the bucket count and drops the empty overflow buckets.
 *
 * <p>The scenario uses groups of keys that share one hash code each, so every group is one chain in one
 * bucket whatever the map's random hash seed; a group that happens to land in a bucket already used by an
 * earlier group is detected (it adds fewer overflow buckets than it should) and replaced by another.
 */
class SameSizeRebuildTest {

  private static final int BUCKETS = 16;

  @Test
  void theFirstInsertWithAsManyOverflowBucketsAsBucketsStartsASameSizeRebuild() {
    Scenario sc = Scenario.withOverflow(BUCKETS, BUCKETS - 1);
    assertThat(sc.observer.startedTotal()).as("migrations while overflow buckets < buckets").isZero();
    // fill a chain to the brim and one more: the 16th overflow bucket; the check precedes the insert
    Group a = sc.chains.groups.get(0);
    while (a.size() < a.capacity()) {
      sc.chains.add(a);
    }
    assertThat(sc.map.statistics().overflowBuckets()).isEqualTo(BUCKETS - 1);
    sc.chains.add(a);
    assertThat(sc.map.statistics().overflowBuckets()).isEqualTo(BUCKETS);
    assertThat(sc.observer.startedTotal()).as("migrations started by the insert that made the 16th overflow bucket")
        .isZero();
    int entries = sc.map.size();
    sc.chains.add(sc.chains.groups.get(1));
    assertThat(sc.observer.startedTotal()).isOne();
    assertThat(sc.observer.lastStarted).isEqualTo(new Started(MigrationKind.SAME_SIZE, MigrationTrigger.OVERFLOW,
        BUCKETS, BUCKETS, entries, BUCKETS));
    sc.observer.assertNoViolations();
  }

  @Test
  void aSameSizeRebuildKeepsTheBucketCountAndDropsEmptyOverflowBuckets() {
    Scenario sc = Scenario.withOverflow(BUCKETS, BUCKETS - 1);
    Group a = sc.chains.groups.get(0);
    while (sc.map.statistics().overflowBuckets() < BUCKETS) {
      sc.chains.add(a);
    }
    sc.chains.add(a); // starts the rebuild
    assertThat(sc.map.statistics().migration()).isEqualTo(MigrationKind.SAME_SIZE);
    while (sc.map.statistics().migration() != null) {
      sc.chains.add(a);
    }
    sc.observer.assertNoViolations();
    TableStatistics s = sc.map.statistics();
    assertThat(s.buckets()).isEqualTo(BUCKETS);
    int needed = 0;
    for (Group g : sc.chains.groups) {
      needed += Math.max(0, (g.size() + 7) / 8 - 1);
    }
    assertThat(s.overflowBuckets()).as("overflow buckets after the rebuild; the live chains need %s", needed)
        .isEqualTo(needed);
    sc.chains.verify();
    sc.map.checkInvariants();
  }

  /**
   * A map presized to {@code buckets} driven into a same-size rebuild that starts just under the growth
   * threshold, with inserts until the rebuild ends. Afterwards no migration runs and the map holds more
   * than {@code maxLoad(buckets)} entries.
   */
  static Scenario overloadedThroughASameSizeRebuild(int buckets) {
    Scenario sc = Scenario.withOverflow(buckets, buckets - 1);
    BucketMap<ChainKey, Integer> map = sc.map;
    Group a = sc.chains.groups.get(0);
    Group b = sc.chains.groups.get(1);
    while (a.size() < a.capacity()) {
      sc.chains.add(a);
    }
    while (map.size() < maxLoad(buckets) - 4 && b.size() < b.capacity()) {
      sc.chains.add(b);
    }
    assertThat(map.statistics().overflowBuckets()).isEqualTo(buckets - 1);
    sc.chains.add(a); // the overflow bucket that reaches the trigger
    sc.chains.add(b); // starts the rebuild
    assertThat(sc.observer.started(MigrationKind.SAME_SIZE)).as("same-size rebuilds started").isOne();
    assertThat(sc.observer.lastStarted.entries()).as("entries when the rebuild started")
        .isGreaterThan(maxLoad(buckets) - 8);
    while (map.statistics().migration() != null) {
      sc.chains.add(b);
    }
    assertThat(sc.observer.started(MigrationKind.DOUBLE)).as("doublings").isZero();
    sc.chains.verify();
    map.checkInvariants();
    return sc;
  }

  /** A map presized to a bucket count, its observer, and empty chains of known capacity. */
  static final class Scenario {
    final BucketMap<ChainKey, Integer> map;
    final RecordingObserver observer;
    final Chains chains;

    private Scenario(int buckets) {
      map = new BucketMap<>(maxLoad(buckets)); // exactly `buckets` buckets, never fewer
      observer = observe(map);
      chains = new Chains(map);
    }

    /**
     * A map with exactly {@code target} overflow buckets, all empty but the last of each chain (which holds
     * one entry, so that the emptied buckets before it stay linked), in chains of at least two groups
     * that each own their bucket. The map's hash seed is random, so groups may land in a shared bucket:
     * that is detected and the set-up starts over with a new map.
     */
    static Scenario withOverflow(int buckets, int target) {
      for (int attempt = 0; attempt < 50; attempt++) {
        Scenario sc = new Scenario(buckets);
        assertThat(sc.map.statistics().buckets()).isEqualTo(buckets);
        if (sc.chains.tryOverflowUpTo(target)) {
          return sc;
        }
      }
      throw new AssertionError("50 attempts, each with two hash groups in one bucket");
    }
  }

  /** Keys of one hash code: one chain. */
  static final class Group {
    final int hash;
    final List<ChainKey> live = new ArrayList<>();
    /** Slots of its chain: 8 per bucket it has ever used. */
    int chainBuckets;
    private int nextId;

    Group(int index) {
      this.hash = index * 0x9e37_79b9 + 0x51ed;
      this.nextId = index * 1_000_000;
    }

    ChainKey newKey() {
      return new ChainKey(nextId++, hash);
    }

    int size() {
      return live.size();
    }

    int capacity() {
      return chainBuckets * 8;
    }
  }

  /** Groups of colliding keys in their own buckets, tracking the chains they built. */
  static final class Chains {
    final BucketMap<ChainKey, Integer> map;
    final List<Group> groups = new ArrayList<>();
    /** Keeps the map from ever becoming empty (which would release the overflow buckets and re-seed it). */
    private final ChainKey anchor = new ChainKey(-1, 0x0a11_ce00);

    Chains(BucketMap<ChainKey, Integer> map) {
      this.map = map;
      map.put(anchor, anchor.id());
    }

    void add(Group g) {
      ChainKey k = g.newKey();
      map.put(k, k.id());
      g.live.add(k);
      g.chainBuckets = Math.max(g.chainBuckets, (g.size() + 7) / 8);
    }

    /**
     * Builds chains of full buckets and empties them again through the key set's iterator, but for their
     * last entry (in the chain's last bucket), until exactly {@code target} overflow buckets exist; false if a group shared a bucket with
     * the anchor or an earlier group (it then adds another number of overflow buckets than a chain of its
     * own).
     */
    boolean tryOverflowUpTo(int target) {
      while (map.statistics().overflowBuckets() < target) {
        Group g = new Group(groups.size());
        int before = map.statistics().overflowBuckets();
        int wanted = Math.min(7, target - before - (groups.isEmpty() ? 1 : 0));
        for (int i = 0; i < 8 * (wanted + 1); i++) {
          add(g);
        }
        int added = map.statistics().overflowBuckets() - before;
        ChainKey last = g.live.remove(g.live.size() - 1);
        java.util.Set<ChainKey> emptied = new java.util.HashSet<>(g.live);
        // through the iterator: a removal by position moves no other entry, so the chain keeps its buckets
        assertThat(map.keySet().removeIf(emptied::contains)).isTrue();
        assertThat(map.keySet()).doesNotContainAnyElementsOf(emptied).contains(last);
        g.live.clear();
        g.live.add(last);
        assertThat(map.statistics().migration()).as("migration while building chains").isNull();
        if (added != wanted) {
          return false;
        }
        groups.add(g); // a chain of its own, now empty but for its last entry
      }
      return map.statistics().overflowBuckets() == target;
    }

    void verify() {
      assertThat(map.get(anchor)).isEqualTo(anchor.id());
      int expected = 1;
      for (Group g : groups) {
        for (ChainKey k : g.live) {
          assertThat(map.get(k)).as("value of %s", k).isEqualTo(k.id());
        }
        expected += g.size();
      }
      assertThat(map).hasSize(expected);
    }
  }
}
