package io.github.stripedmap.core;

import static io.github.stripedmap.core.Fixtures.minimalBuckets;
import static io.github.stripedmap.core.Fixtures.observe;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Serialized and cloned maps are equal, valid, independent copies that keep the null key, null values
 * and the initial-capacity floor, whether or not a migration was running when they were made.
 */
class SerializationAndCloneTest {

  @Test
  void aSerializationRoundTripKeepsEveryMappingIncludingNulls() throws Exception {
    BucketMap<String, String> map = new BucketMap<>();
    for (int i = 0; i < 1_000; i++) {
      map.put("k" + i, i % 7 == 0 ? null : "v" + i);
    }
    map.put(null, "null key");
    BucketMap<String, String> copy = roundTrip(map);
    assertThat(copy).isEqualTo(map).hasSize(1_001).containsEntry(null, "null key").containsEntry("k7", null);
    assertThat(copy.hashCode()).isEqualTo(map.hashCode());
    copy.checkInvariants();
  }

  @Test
  void aMapSerializedDuringAMigrationDeserializesWhole() throws Exception {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(512);
    Fixtures.startDoubling(map, 512);
    map.put(-2, -2);
    assertThat(map.statistics().migration()).isNotNull();
    Map<Integer, Integer> expected = new HashMap<>(map);
    BucketMap<Integer, Integer> copy = roundTrip(map);
    assertThat(copy).isEqualTo(expected);
    copy.checkInvariants();
    for (int i = 10_000; i < 20_000; i++) {
      copy.put(i, i);
    }
    copy.checkInvariants();
    assertThat(map).isEqualTo(expected);
  }

  @Test
  void serializationKeepsTheInitialCapacityFloorButNotTheObserver() throws Exception {
    BucketMap<Integer, Integer> map = new BucketMap<>(1000);
    RecordingObserver observer = observe(map);
    map.put(1, 1);
    BucketMap<Integer, Integer> copy = roundTrip(map);
    for (int i = 0; i < 10_000; i++) {
      copy.put(i, i);
    }
    for (int i = 2; i < 10_000; i++) {
      copy.remove(i);
    }
    copy.trimToSize();
    assertThat(copy.statistics().buckets()).as("buckets of a trimmed copy of a map presized for 1000")
        .isEqualTo(minimalBuckets(1000));
    assertThat(observer.events).as("events reported to the original's observer by the copy").isEmpty();
  }

  @Test
  void aCloneIsEqualValidAndIndependentInBothDirections() {
    BucketMap<Integer, String> map = new BucketMap<>();
    for (int i = 0; i < 3_000; i++) {
      map.put(i, "v" + i);
    }
    map.put(null, null);
    BucketMap<Integer, String> clone = map.clone();
    assertThat(clone).isEqualTo(map).isNotSameAs(map);
    clone.checkInvariants();
    clone.put(-1, "only in the clone");
    clone.remove(0);
    clone.put(1, "changed in the clone");
    map.put(-2, "only in the original");
    map.remove(2);
    assertThat(map).doesNotContainKey(-1).containsEntry(0, "v0").containsEntry(1, "v1").containsKey(null);
    assertThat(clone).doesNotContainKey(-2).containsEntry(2, "v2").containsEntry(1, "changed in the clone");
    clone.clear();
    assertThat(map).hasSize(3_001); // 3000 + null - 2 + -2
    map.checkInvariants();
  }

  @Test
  void aCloneMadeDuringAMigrationIsWholeAndTheOriginalMigrationGoesOn() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(1024);
    RecordingObserver observer = observe(map);
    Fixtures.startDoubling(map, 1024);
    Map<Integer, Integer> expected = new HashMap<>(map);
    map.setObserver(TableObserver.NONE);
    BucketMap<Integer, Integer> clone = map.clone();
    map.setObserver(observer);
    assertThat(clone).isEqualTo(expected);
    clone.checkInvariants();
    for (int i = -1; map.statistics().migration() != null; i--) {
      map.put(i, i);
    }
    observer.assertNoViolations();
    assertThat(clone).isEqualTo(expected);
  }

  @Test
  void aCloneKeepsTheInitialCapacityFloor() {
    BucketMap<Integer, Integer> map = new BucketMap<>(1000);
    map.put(1, 1);
    BucketMap<Integer, Integer> clone = map.clone();
    for (int i = 0; i < 10_000; i++) {
      clone.put(i, i);
    }
    for (int i = 2; i < 10_000; i++) {
      clone.remove(i);
    }
    clone.trimToSize();
    assertThat(clone.statistics().buckets()).isEqualTo(minimalBuckets(1000));
  }

  /**
   * clone() gives the copy the original's observer (documented), but the copy is built by inserting
   * into an empty table, so its own growth, from one bucket up, is reported to that observer as if the
   * original had migrated; while the original is itself migrating, the observer then sees overlapping
   * migrations. Cloning reads the original and should report nothing.
   */
  @Test
  void cloningReportsNothingToTheOriginalsObserver() {
    BucketMap<Integer, Integer> map = Fixtures.fullTable(1024);
    RecordingObserver observer = observe(map);
    Fixtures.startDoubling(map, 1024);
    observer.events.clear();
    map.clone();
    assertThat(observer.events.size()).as("events reported to the original's observer while cloning it, the first: %s",
        observer.events.subList(0, Math.min(3, observer.events.size()))).isZero();
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T object) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
