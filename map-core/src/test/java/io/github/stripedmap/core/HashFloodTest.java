package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Keys whose hash codes collide fully: ordered keys beyond a chain of {@link BucketTable#TREE_CHAIN_BUCKETS}
 * buckets go to the collision tree, so a lookup costs at most a short chain scan plus a logarithmic tree
 * search. Counted in key comparisons (deterministic), not in time.
 */
class HashFloodTest {

  private static final int FLOOD = 100_000;
  /** Entries a full chain holds before keys go to the tree. */
  private static final int CHAIN = 8 * BucketTable.TREE_CHAIN_BUCKETS;

  @Test
  void collidingStringsReallyCollide() {
    List<String> keys = CollidingStrings.of(1_000);
    assertThat(new HashSet<>(keys)).hasSize(1_000);
    assertThat(keys.stream().mapToInt(String::hashCode).distinct().count()).isOne();
  }

  @Test
  void aFloodOfCollidingStringsGoesToTheCollisionTreeAndStaysConsistent() {
    List<String> keys = CollidingStrings.of(FLOOD);
    BucketMap<String, Integer> map = new BucketMap<>();
    RecordingObserver observer = new RecordingObserver();
    observer.keepEvents = false;
    map.setObserver(observer);
    for (int i = 0; i < FLOOD; i++) {
      assertThat(map.put(keys.get(i), i)).isNull();
    }
    for (int i = 0; i < FLOOD; i++) {
      assertThat(map.get(keys.get(i))).isEqualTo(i);
    }
    TableStatistics s = map.statistics();
    assertThat(s.size()).isEqualTo(FLOOD);
    assertThat(s.collisionTreeEntries()).as("entries beyond the chain").isEqualTo(FLOOD - CHAIN);
    assertThat(s.overflowBuckets()).as("overflow buckets: the one chain only").isEqualTo(BucketTable.TREE_CHAIN_BUCKETS - 1);
    assertThat(s.buckets()).as("the tree does not load the arrays: the buckets 32 entries need").isEqualTo(8);
    assertThat(observer.collisionTreeReports).as("reported at each power of two")
        .startsWith(1, 2, 4, 8).contains(65_536).hasSize(17);
    map.checkInvariants();
    for (int i = 0; i < FLOOD; i++) {
      assertThat(map.remove(keys.get(i))).isEqualTo(i);
    }
    assertThat(map.statistics()).isEqualTo(new BucketMap<>().statistics());
    map.checkInvariants();
    observer.assertNoViolations();
  }

  @Test
  void aLookupInAFloodCostsAShortChainScanAndALogarithmicTreeSearch() {
    BucketMap<CountingKey, Integer> map = new BucketMap<>();
    for (int i = 0; i < FLOOD; i++) {
      map.put(new CountingKey(i), i);
    }
    CountingKey.comparisons = 0;
    for (int i = 0; i < FLOOD; i += 97) {
      long before = CountingKey.comparisons;
      assertThat(map.get(new CountingKey(i))).isEqualTo(i);
      // chain: at most CHAIN equals; tree: height <= 1.44 log2(n), an equals and a compareTo per level
      assertThat(CountingKey.comparisons - before).as("comparisons for key %s", i).isLessThanOrEqualTo(CHAIN + 2 * 25);
    }
    long before = CountingKey.comparisons;
    map.put(new CountingKey(-1), -1);
    map.remove(new CountingKey(FLOOD / 2));
    assertThat(CountingKey.comparisons - before).as("comparisons for an insert and a removal").isLessThanOrEqualTo(4 * (CHAIN + 50));
    map.checkInvariants();
  }

  @Test
  void removingTheFloodEmptiesTheTreeAndIterationSeesEveryEntryOnce() {
    List<String> keys = CollidingStrings.of(5_000);
    BucketMap<String, Integer> map = new BucketMap<>();
    Map<String, Integer> ref = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      map.put(keys.get(i), i);
      ref.put(keys.get(i), i);
      map.put("plain" + i, -i); // ordinary keys alongside
      ref.put("plain" + i, -i);
    }
    assertThat(map).isEqualTo(ref);
    assertThat(map.statistics().collisionTreeEntries()).isPositive();
    Set<String> seen = new HashSet<>();
    for (Iterator<Map.Entry<String, Integer>> it = map.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Integer> e = it.next();
      assertThat(seen.add(e.getKey())).as("seen twice: %s", e.getKey()).isTrue();
      if (e.getValue() % 3 == 0) {
        it.remove();
        ref.remove(e.getKey());
      } else if (e.getValue() % 3 == 1) {
        e.setValue(e.getValue() + 1_000_000);
        ref.put(e.getKey(), e.getValue());
      }
    }
    assertThat(seen).hasSize(2 * keys.size());
    assertThat(map).isEqualTo(ref);
    map.checkInvariants();
    for (String k : keys) {
      map.remove(k);
    }
    ref.keySet().removeAll(keys);
    assertThat(map).isEqualTo(ref);
    // ordinary keys that met the full chain of the flood's bucket went to the tree too, and stay there
    assertThat(map.statistics().collisionTreeEntries()).isLessThan(keys.size() / 10);
    map.checkInvariants();
  }

  @Test
  void copiesAndSerialFormsKeepTheFlood() throws Exception {
    List<String> keys = CollidingStrings.of(2_000);
    BucketMap<String, Integer> map = new BucketMap<>();
    for (int i = 0; i < keys.size(); i++) {
      map.put(keys.get(i), i);
    }
    @SuppressWarnings("unchecked")
    BucketMap<String, Integer> clone = (BucketMap<String, Integer>) map.clone();
    clone.put(keys.get(0), -1);
    clone.remove(keys.get(1_999));
    assertThat(map.get(keys.get(0))).as("the original is independent of its clone").isZero();
    assertThat(map.get(keys.get(1_999))).isEqualTo(1_999);
    clone.checkInvariants();
    map.checkInvariants();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(map);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      Object copy = in.readObject();
      assertThat(copy).isEqualTo(map);
      ((BucketMap<?, ?>) copy).checkInvariants();
    }
  }

  @Test
  void unorderedKeysStayInTheChainAndStayCorrect() {
    BucketMap<ChainKey, Integer> map = new BucketMap<>();
    for (int i = 0; i < 2_000; i++) {
      map.put(new ChainKey(i, 42), i);
    }
    for (int i = 0; i < 2_000; i++) {
      assertThat(map.get(new ChainKey(i, 42))).isEqualTo(i);
    }
    assertThat(map.statistics().collisionTreeEntries()).as("the table cannot order them").isZero();
    map.checkInvariants();
  }

  @Test
  void orderingsThatCannotSeparateKeysAreSearchedOnBothSides() {
    BucketMap<Object, Integer> map = new BucketMap<>();
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      keys.add(new TiedKey(i)); // compareTo always 0, equals by id
      keys.add(new CountingKey(i)); // another class, same hash code
    }
    keys.addAll(CollidingStrings.of(64)); // and strings with another hash code, same for all of them
    for (int i = 0; i < keys.size(); i++) {
      map.put(keys.get(i), i);
    }
    assertThat(map.statistics().collisionTreeEntries()).isPositive();
    for (int i = 0; i < keys.size(); i++) {
      assertThat(map.get(keys.get(i))).as("value of %s", keys.get(i)).isEqualTo(i);
    }
    for (int i = 0; i < keys.size(); i += 2) {
      assertThat(map.remove(keys.get(i))).isEqualTo(i);
      map.checkInvariants();
    }
    for (int i = 0; i < keys.size(); i++) {
      assertThat(map.get(keys.get(i))).isEqualTo(i % 2 == 0 ? null : i);
    }
  }

  @Test
  void hashCodesThatDifferOnlyInHighOrOnlyInLowBitsAreSpread() {
    for (int shift : new int[] {0, 8, 16, 20}) {
      BucketMap<Integer, Integer> map = new BucketMap<>();
      for (int i = 0; i < 1 << 12; i++) {
        map.put(i << shift, i);
      }
      TableStatistics s = map.statistics();
      assertThat(s.collisionTreeEntries()).as("keys i << %s", shift).isZero();
      assertThat(s.overflowBuckets()).as("overflow buckets for keys i << %s in %s buckets", shift, s.buckets())
          .isLessThan(s.buckets() / 4);
    }
  }

  /** Ordered, one hash code for all, counts every equals and compareTo. */
  static final class CountingKey implements Comparable<CountingKey>, Serializable {
    private static final long serialVersionUID = 1L;
    static long comparisons;
    final int id;

    CountingKey(int id) {
      this.id = id;
    }

    @Override
    public boolean equals(Object o) {
      comparisons++;
      return o instanceof CountingKey other && other.id == id;
    }

    @Override
    public int hashCode() {
      return 7;
    }

    @Override
    public int compareTo(CountingKey o) {
      comparisons++;
      return Integer.compare(id, o.id);
    }

    @Override
    public String toString() {
      return "C" + id;
    }
  }

  /** Ordered in name only: compareTo says every key is equal, equals does not. */
  static final class TiedKey implements Comparable<TiedKey> {
    final int id;

    TiedKey(int id) {
      this.id = id;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TiedKey other && other.id == id;
    }

    @Override
    public int hashCode() {
      return 7;
    }

    @Override
    public int compareTo(TiedKey o) {
      return 0;
    }

    @Override
    public String toString() {
      return "T" + id;
    }
  }
}
