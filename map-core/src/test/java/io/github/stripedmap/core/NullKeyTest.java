package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap.SimpleEntry;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The null key is an ordinary key (hash code 0, as in HashMap), distinct from every other key with hash code 0. */
class NullKeyTest {

  @Test
  void nullKeyAndNullValuesBehaveLikeHashMap() {
    BucketMap<String, String> map = new BucketMap<>();
    HashMap<String, String> ref = new HashMap<>();
    for (Map<String, String> m : java.util.List.<Map<String, String>>of(map, ref)) {
      m.put("a", null);
      m.put(null, "n");
    }
    assertThat(map.get(null)).isEqualTo("n");
    assertThat(map.containsKey(null)).isTrue();
    assertThat(map.get("a")).isNull();
    assertThat(map.containsKey("a")).as("a key mapped to null is present").isTrue();
    assertThat(map.containsKey("b")).isFalse();
    assertThat(map.containsValue(null)).isTrue();
    assertThat(map.getOrDefault("a", "d")).isNull();
    assertThat(map.getOrDefault("b", "d")).isEqualTo("d");
    assertThat(map.entrySet().contains(new SimpleEntry<>(null, "n"))).isTrue();
    assertThat(map.entrySet().contains(new SimpleEntry<>("a", null))).isTrue();
    assertThat(map).isEqualTo(ref);
    assertThat(map.hashCode()).isEqualTo(ref.hashCode());

    assertThat(map.putIfAbsent("a", "x")).isEqualTo(ref.putIfAbsent("a", "x")).isNull();
    assertThat(map.computeIfAbsent(null, k -> "y")).isEqualTo(ref.computeIfAbsent(null, k -> "y"));
    assertThat(map.compute(null, (k, v) -> v + "!")).isEqualTo(ref.compute(null, (k, v) -> v + "!"));
    assertThat(map.merge(null, "m", String::concat)).isEqualTo(ref.merge(null, "m", String::concat));
    assertThat(map.computeIfPresent(null, (k, v) -> null)).isEqualTo(ref.computeIfPresent(null, (k, v) -> null));
    assertThat(map).isEqualTo(ref).doesNotContainKey(null);
    map.put(null, null);
    assertThat(map.keySet().remove(null)).isTrue();
    assertThat(map.keySet().remove(null)).isFalse();
    assertThat(map.remove(null)).isNull();
    map.checkInvariants();
  }

  @Test
  void theNullKeyIsDistinctFromOtherKeysWithHashCodeZero() {
    BucketMap<Object, String> map = new BucketMap<>();
    map.put(null, "null");
    map.put(0, "zero");
    map.put("", "empty");
    map.put(0L, "long zero");
    assertThat(map).hasSize(4);
    assertThat(map.get(null)).isEqualTo("null");
    assertThat(map.get(0)).isEqualTo("zero");
    assertThat(map.get("")).isEqualTo("empty");
    map.remove(0);
    assertThat(map.get(null)).isEqualTo("null");
    map.remove(null);
    assertThat(map).containsOnlyKeys("", 0L);
    map.checkInvariants();
  }

  @Test
  void theNullKeySurvivesEveryGrowthShrinkAndMigrationStep() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    map.put(null, -1);
    for (int i = 0; i < 30_000; i++) {
      map.put(i, i);
      if (map.statistics().migration() != null) {
        assertThat(map.get(null)).as("get(null) after insert %s, during a migration", i).isEqualTo(-1);
      }
    }
    for (int i = 0; i < 30_000; i++) {
      map.remove(i);
      if (map.statistics().migration() != null) {
        assertThat(map.containsKey(null)).as("containsKey(null) after remove %s, during a migration", i).isTrue();
      }
    }
    assertThat(map).hasSize(1).containsEntry(null, -1);
    map.checkInvariants();
  }

  @Test
  void iterationYieldsTheNullKeyExactlyOnce() {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    for (int i = 0; i < 100; i++) {
      map.put(i, i);
    }
    map.put(null, null);
    assertThat(map.keySet().stream().filter(k -> k == null).count()).isOne();
    assertThat(map.entrySet().stream().filter(e -> e.getKey() == null).count()).isOne();
    map.entrySet().removeIf(e -> e.getKey() == null);
    assertThat(map).doesNotContainKey(null).hasSize(100);
  }
}
