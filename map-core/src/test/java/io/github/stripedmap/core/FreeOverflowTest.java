package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * An overflow bucket that a removal leaves empty at the end of its chain goes to the array's free list and
 * is reused by the next chain that needs one, so a map churning at a constant size keeps about as many
 * overflow buckets as its fullest moment needed, instead of collecting an empty one behind every main
 * bucket that ever overflowed (until a same-size rebuild), as Go's maps do.
 */
class FreeOverflowTest {

  @Test
  void churnAtAConstantSizeReusesOverflowBucketsInsteadOfAllocatingMore() {
    int size = 20_000;
    BucketMap<Integer, Integer> map = new BucketMap<>();
    RecordingObserver observer = observe(map);
    List<Integer> live = new ArrayList<>();
    Map<Integer, Integer> expected = new HashMap<>();
    int next = 0;
    for (; next < size; next++) {
      map.put(next, next);
      expected.put(next, next);
      live.add(next);
    }
    map.trimToSize(); // no migration left over from the fill
    TableStatistics filled = map.statistics();
    int startsAfterFill = observer.startedTotal();
    SplittableRandom random = new SplittableRandom(11);
    int maxAllocated = filled.overflowBuckets();
    for (int round = 0; round < 30; round++) {
      for (int op = 0; op < size; op++) {
        int i = random.nextInt(size);
        Integer gone = live.get(i);
        assertThat(map.remove(gone)).isEqualTo(expected.remove(gone));
        live.set(i, next);
        map.put(next, next);
        expected.put(next, next);
        next++;
      }
      map.checkInvariants();
      maxAllocated = Math.max(maxAllocated, map.statistics().overflowBuckets());
    }
    observer.assertNoViolations();
    assertThat(map).isEqualTo(expected);
    TableStatistics churned = map.statistics();
    assertThat(churned.buckets()).as("buckets").isEqualTo(filled.buckets());
    assertThat(observer.startedTotal() - startsAfterFill)
        .as("migrations during the churn (a same-size rebuild would mean overflow buckets piled up)").isZero();
    // The chains that overflow at one moment are the buckets holding more than 8 of the entries: about
    // buckets * P(Poisson(load) > 8) (6% at this load), and the allocated ones stay near the most of them
    // in use at once. Without reuse, every main bucket that ever overflowed would keep an empty one.
    double overflowing = churned.buckets() * poissonTailAbove(BucketTable.SLOTS_PER_BUCKET, (double) size / churned.buckets());
    assertThat(maxAllocated).as("overflow buckets allocated during 30 x %s churn operations (%s after the fill); "
            + "%.0f chains overflow at a time on average", size, filled.overflowBuckets(), overflowing)
        .isLessThanOrEqualTo((int) (2 * overflowing) + 16);
  }

  /** P(X > k) for X ~ Poisson(mean). */
  private static double poissonTailAbove(int k, double mean) {
    double term = Math.exp(-mean);
    double atMostK = term;
    for (int i = 1; i <= k; i++) {
      term *= mean / i;
      atMostK += term;
    }
    return 1 - atMostK;
  }

  @Test
  void aChainEmptiedFromItsEndGivesItsOverflowBucketsBackOneByOne() {
    // keys of one hash code: one chain whatever the seed; presized to 16 buckets, so it never shrinks or grows
    BucketMap<ChainKey, Integer> map = new BucketMap<>(Fixtures.maxLoad(16));
    List<ChainKey> keys = new ArrayList<>();
    for (int i = 0; i < 8 * 5; i++) { // the main bucket and four overflow buckets, all full
      ChainKey k = new ChainKey(i, 0x5eed);
      keys.add(k);
      map.put(k, i);
    }
    map.checkInvariants();
    int allocated = map.statistics().overflowBuckets();
    assertThat(allocated).isEqualTo(4);
    // empty the chain from its end: each emptied last bucket is freed, and refilling reuses them
    for (int i = keys.size() - 1; i >= 8; i--) {
      assertThat(map.remove(keys.get(i))).isEqualTo(i);
      map.checkInvariants();
    }
    for (int i = 8; i < keys.size(); i++) {
      map.put(keys.get(i), -i);
      map.checkInvariants();
    }
    assertThat(map.statistics().overflowBuckets()).as("overflow buckets after refilling the same chain").isEqualTo(allocated);
    // empty it from its start: each removal moves the chain's last entry into the hole, so the chain
    // shrinks from its end and its overflow buckets go to the free list
    for (int i = 0; i < keys.size() - 1; i++) {
      map.remove(keys.get(i));
      map.checkInvariants();
      assertThat(map.statistics().overflowBuckets()).isEqualTo(allocated); // allocated stays: free, not dropped
    }
    assertThat(map).hasSize(1).containsEntry(keys.get(keys.size() - 1), -(keys.size() - 1));
    for (int i = 0; i < 8 * 4; i++) { // fill the main bucket and three overflow buckets again, from the free list
      map.put(keys.get(i), i);
    }
    map.checkInvariants();
    assertThat(map.statistics().overflowBuckets()).isEqualTo(allocated);
    assertThat(map.statistics().buckets()).isEqualTo(16);
    assertThat(map).hasSize(8 * 4 + 1);
  }

  @Test
  void removingLinksKeepsTheOthersFindable() {
    OverflowLinks links = new OverflowLinks();
    Map<Integer, Integer> expected = new HashMap<>();
    SplittableRandom random = new SplittableRandom(5);
    for (int round = 0; round < 20_000; round++) {
      int bucket = random.nextInt(512); // dense: many probe collisions
      if (expected.containsKey(bucket)) {
        links.remove(bucket);
        expected.remove(bucket);
      } else {
        OverflowLinks grown = links.withRoomFor(1);
        if (grown != null) {
          links.adopt(grown);
        }
        links.put(bucket, 1_000 + round);
        expected.put(bucket, 1_000 + round);
      }
      if (round % 97 == 0) {
        for (int b = 0; b < 512; b++) {
          assertThat(links.get(b)).as("link of bucket %s", b).isEqualTo(expected.getOrDefault(b, BucketArray.NONE));
        }
        assertThat(links.size()).isEqualTo(expected.size());
      }
    }
  }
}
