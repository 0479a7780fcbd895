package io.github.stripedmap.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.stripedmap.core.CollidingStrings;
import io.github.stripedmap.core.TableStatistics;
import org.junit.jupiter.api.Test;

/**
 * Hash flooding of the concurrent map: keys sharing one hash code all land in one stripe and, beyond a
 * full chain, in that stripe's collision tree, while lock-free readers and iterators run against it.
 */
class StripedMapFloodTest {

  @Test
  void aFloodIsKeptInACollisionTreeAndEveryKeyIsFound() {
    List<String> keys = CollidingStrings.of(100_000);
    StripedMap<String, Integer> map = new StripedMap<>();
    for (int i = 0; i < keys.size(); i++) {
      assertThat(map.putIfAbsent(keys.get(i), i)).isNull();
    }
    for (int i = 0; i < keys.size(); i++) {
      assertThat(map.get(keys.get(i))).isEqualTo(i);
    }
    TableStatistics s = map.statistics();
    assertThat(s.collisionTreeEntries()).isEqualTo(keys.size() - 32);
    assertThat(s.size()).isEqualTo(keys.size());
    map.checkInvariants();
    for (int i = 0; i < keys.size(); i += 2) {
      assertThat(map.remove(keys.get(i), i)).isTrue();
    }
    assertThat(map).hasSize(keys.size() / 2);
    map.checkInvariants();
  }

  @Test
  void readersAndIteratorsSeeAConsistentFloodWhileWritersChangeIt() throws Exception {
    List<String> keys = CollidingStrings.of(20_000);
    int stable = 5_000; // present for the whole test
    StripedMap<String, Integer> map = new StripedMap<>();
    for (int i = 0; i < stable; i++) {
      map.put(keys.get(i), i);
    }
    AtomicInteger confirmed = new AtomicInteger(stable); // keys below this are inserted (and never removed)
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger walks = new AtomicInteger();
    Workers workers = new Workers("flood");
    workers.start("writer", () -> {
      int next = stable;
      while (!workers.stopping() && next < keys.size()) {
        map.put(keys.get(next), next);
        confirmed.set(++next);
        if (next % 7 == 0) { // churn: insert and remove a key beyond the confirmed range
          String extra = "x" + keys.get(next % keys.size());
          map.put(extra, -1);
          map.remove(extra);
        }
      }
    });
    workers.start("reader", () -> {
      java.util.Random rnd = new java.util.Random(1);
      while (!workers.stopping()) {
        int limit = confirmed.get();
        int i = rnd.nextInt(limit);
        Integer v = map.get(keys.get(i));
        if (v == null || v != i) {
          throw new AssertionError("confirmed key " + i + " read as " + v);
        }
        reads.incrementAndGet();
      }
    });
    workers.start("iterator", () -> {
      while (!workers.stopping()) {
        Set<String> seen = new HashSet<>();
        for (String k : map.keySet()) {
          if (!seen.add(k)) {
            throw new AssertionError("key returned twice by one iteration: " + k);
          }
        }
        for (int i = 0; i < stable; i++) {
          if (!seen.contains(keys.get(i))) {
            throw new AssertionError("stable key " + i + " missed by an iteration");
          }
        }
        walks.incrementAndGet();
      }
    });
    workers.runFor(Duration.ofSeconds(2), () -> confirmed.get() == keys.size() && walks.get() >= 3);
    workers.stopAndJoin();
    assertThat(reads.get()).isPositive();
    assertThat(walks.get()).isPositive();
    assertThat(map.statistics().collisionTreeEntries()).isPositive();
    map.checkInvariants();
  }
}
