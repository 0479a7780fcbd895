package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Main buckets' slots live in segments of {@code 2^SEGMENT_BUCKET_BITS} buckets (no reference array reaches G1's
 * humongous size): every bucket and slot has its own word, no segment is larger than the limit, the estimates
 * count the segments, a migration's destination allocates its segments only as the evacuation reaches them (with
 * lookups and walks right meanwhile), and a table works across segment boundaries while it doubles into several
 * segments and shrinks back into one.
 */
class SegmentedSlotsTest {

  /** Most words of one segment: 4,096 buckets of sixteen references (256 KiB with compressed references). */
  private static final int MAX_SEGMENT_WORDS = 1 << (BucketArray.SEGMENT_BUCKET_BITS + BucketArray.SLOT_WORDS_SHIFT);

  @Test
  void everyMainBucketSlotHasItsOwnWordAndNoSegmentExceedsTheLimit() {
    for (int bits = 0; bits <= BucketArray.SEGMENT_BUCKET_BITS + 3; bits++) {
      BucketArray a = new BucketArray(bits);
      long words = 0;
      for (Object[] segment : a.segments) {
        assertThat(segment.length).as("segment length at %s bits", bits).isLessThanOrEqualTo(MAX_SEGMENT_WORDS);
        words += segment.length;
      }
      assertThat(words).as("slot words at %s bits", bits).isEqualTo((long) a.buckets * BucketArray.SLOT_WORDS);
      BitSet[] used = new BitSet[a.segments.length];
      for (int s = 0; s < used.length; s++) {
        used[s] = new BitSet();
      }
      for (int b = 0; b < a.buckets; b++) {
        Object[] segment = a.slotsOf(b);
        int s = b >>> BucketArray.SEGMENT_BUCKET_BITS;
        assertThat(segment).isSameAs(a.segments[s]).isSameAs(BucketArray.segmentOf(a.segments, b));
        int base = a.baseOf(b);
        assertThat(base).isEqualTo(BucketArray.segmentBase(b));
        assertThat(base + BucketArray.SLOT_WORDS).isLessThanOrEqualTo(segment.length);
        assertThat(used[s].get(base, base + BucketArray.SLOT_WORDS).isEmpty())
            .as("bucket %s at %s bits shares words with another bucket", b, bits).isTrue();
        used[s].set(base, base + BucketArray.SLOT_WORDS);
      }
    }
  }

  @Test
  void theEstimateOfAFreshArrayIsThePredictionAndCountsEverySegment() {
    for (int bits = 0; bits <= BucketArray.SEGMENT_BUCKET_BITS + 3; bits++) {
      BucketArray a = new BucketArray(bits);
      assertThat(a.estimatedBytes()).as("estimate at %s bits", bits).isEqualTo(BucketArray.predictedBytes(bits, 0, 0));
      long segmentHeaders = (long) a.segments.length * BucketArray.ARRAY_HEADER_BYTES;
      assertThat(a.estimatedBytes()).as("estimate at %s bits", bits)
          .isGreaterThan((long) a.buckets * (Long.BYTES + BucketArray.SLOT_WORDS * BucketArray.REFERENCE_BYTES)
              + segmentHeaders);
    }
  }

  @Test
  void aDestinationArrayAllocatesItsSegmentsOnDemand() {
    int bits = BucketArray.SEGMENT_BUCKET_BITS + 2;
    BucketArray lazy = new BucketArray(bits, true);
    assertThat(lazy.segmentsToAllocate()).isEqualTo(4);
    assertThat(lazy.estimatedBytes()).isLessThan(new BucketArray(bits).estimatedBytes());
    int b = 3 << BucketArray.SEGMENT_BUCKET_BITS; // the first bucket of the last segment
    Object[] segment = lazy.segmentToAllocate(b);
    assertThat(segment).hasSize(MAX_SEGMENT_WORDS);
    assertThat(lazy.hasSegment(b)).isFalse();
    lazy.installSegment(b, segment);
    assertThat(lazy.hasSegment(b)).isTrue();
    assertThat(lazy.hasSegment(b - 1)).isFalse();
    assertThat(lazy.slotsOf(b)).isSameAs(segment);
    assertThat(lazy.segmentToAllocate(b + 7)).as("the same segment again").isNull();
    assertThat(lazy.segmentsToAllocate()).isEqualTo(3);
    BucketArray copy = lazy.copy();
    assertThat(copy.segmentsToAllocate()).isEqualTo(3);
    assertThat(copy.slotsOf(b)).isNotSameAs(segment).hasSize(MAX_SEGMENT_WORDS);
    // a single segment is never left to allocate: nothing would ever allocate it before the first insert
    assertThat(new BucketArray(BucketArray.SEGMENT_BUCKET_BITS, true).segmentsToAllocate()).isZero();
  }

  @Test
  void aDoublingAllocatesTheNewSegmentsAsItsEvacuationsReachThemAndLookupsAndWalksWorkMeanwhile() {
    int oldBits = BucketArray.SEGMENT_BUCKET_BITS + 3; // 8 old segments, 16 new ones
    int newSegments = 1 << (oldBits + 1 - BucketArray.SEGMENT_BUCKET_BITS);
    BucketTable table = new BucketTable(0);
    Map<Object, Object> expected = new HashMap<>();
    SplittableRandom random = new SplittableRandom(20261128_2L);
    int full = Fixtures.maxLoad(1 << oldBits);
    while (expected.size() < full) {
      insertNew(table, expected, random);
    }
    assertThat(table.statistics().migration()).as("no migration before the threshold").isNull();
    assertThat(table.bucketBits()).isEqualTo(oldBits);
    insertNew(table, expected, random); // starts the doubling and evacuates two old buckets
    assertThat(table.statistics().migration()).isEqualTo(MigrationKind.DOUBLE);
    // two old buckets reach at most four new segments; the other twelve wait
    int missing = table.slotSegmentsToAllocate();
    assertThat(missing).isBetween(newSegments - 4, newSegments - 2);
    table.checkInvariants();
    checkEveryKeyAndTheWalk(table, expected);
    int writes = 0;
    while (table.statistics().migration() != null) {
      insertNew(table, expected, random);
      writes++;
      int now = table.slotSegmentsToAllocate();
      assertThat(now).as("segments allocated by one write").isBetween(missing - 4, missing);
      if (now != missing || (writes & 1023) == 0) {
        table.checkInvariants(); // evacuated old buckets have their destinations' segments
      }
      if (now != missing && now % 5 == 0) {
        checkEveryKeyAndTheWalk(table, expected);
      }
      missing = now;
    }
    assertThat(missing).as("segments left to allocate after the doubling").isZero();
    table.checkInvariants();
    checkEveryKeyAndTheWalk(table, expected);
  }

  private static void insertNew(BucketTable table, Map<Object, Object> expected, SplittableRandom random) {
    Integer key = random.nextInt();
    while (expected.containsKey(key)) {
      key = random.nextInt();
    }
    long h = table.hash(key.hashCode());
    assertThat(table.lookup(key, h)).isNegative();
    table.insert(key, h, -key);
    expected.put(key, -key);
  }

  /** Every key is found, and a walk of the whole hash range returns each entry exactly once. */
  private static void checkEveryKeyAndTheWalk(BucketTable table, Map<Object, Object> expected) {
    for (Map.Entry<Object, Object> e : expected.entrySet()) {
      assertThat(table.get(e.getKey(), e.getKey().hashCode(), null)).isEqualTo(e.getValue());
    }
    Map<Object, Object> walked = new HashMap<>();
    WalkBuffer buffer = new WalkBuffer();
    for (long from = 0; from < BucketTable.WALK_END; ) {
      buffer.clear();
      from = table.collect(from, BucketTable.WALK_END, buffer);
      for (int i = 0; i < buffer.size(); i++) {
        Object key = buffer.key(i);
        if (key != null) {
          assertThat(walked.put(key, buffer.value(i))).as("walked twice: %s", key).isNull();
        }
      }
    }
    assertThat(walked).isEqualTo(expected);
  }

  @Test
  void aTableDoublesAcrossSegmentsAndShrinksBackIntoOneAgreeingWithHashMap() {
    BucketMap<Object, Object> map = new BucketMap<>();
    Map<Object, Object> expected = new HashMap<>();
    SplittableRandom random = new SplittableRandom(20261128L);
    int segmentBuckets = 1 << BucketArray.SEGMENT_BUCKET_BITS;
    // past the doubling into eight segments, with room for the colliding keys (their collision tree is not load)
    int target = Fixtures.maxLoad(4 * segmentBuckets) * 5 / 4;
    int maxBuckets = 0;
    for (int i = 0; expected.size() < target; i++) {
      Object key = i % 7 == 0 ? new CollidingKey(i, i % 97) : (Object) random.nextInt();
      Object value = i;
      assertThat(map.put(key, value)).isEqualTo(expected.put(key, value));
      if ((i & 4095) == 0) {
        map.checkInvariants();
      }
      maxBuckets = Math.max(maxBuckets, map.statistics().buckets());
    }
    map.checkInvariants();
    assertThat(maxBuckets).as("buckets at the peak").isGreaterThanOrEqualTo(8 * segmentBuckets);
    assertThat(map).isEqualTo(expected);
    for (Map.Entry<Object, Object> e : expected.entrySet()) {
      assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
    }
    Object[] keys = expected.keySet().toArray();
    for (int i = 0; i < keys.length - 100; i++) {
      assertThat(map.remove(keys[i])).isEqualTo(expected.remove(keys[i]));
      if ((i & 4095) == 0) {
        map.checkInvariants();
      }
    }
    map.trimToSize();
    map.checkInvariants();
    assertThat(map.statistics().buckets()).as("buckets after the removals").isLessThan(segmentBuckets);
    assertThat(map).isEqualTo(expected);
  }
}
