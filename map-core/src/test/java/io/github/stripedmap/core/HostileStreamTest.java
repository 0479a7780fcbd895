package io.github.stripedmap.core;

import static io.github.stripedmap.core.ForgedStream.fieldDescriptor;
import static io.github.stripedmap.core.ForgedStream.forge;
import static io.github.stripedmap.core.ForgedStream.patch;
import static io.github.stripedmap.core.ForgedStream.read;
import static io.github.stripedmap.core.ForgedStream.serialize;
import static io.github.stripedmap.core.ForgedStream.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.EOFException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deserializing a hostile {@link BucketMap} stream never yields a corrupted map and never allocates in
 * proportion to a forged number: bad content gives {@link InvalidObjectException}, a field of the wrong type
 * the stream's {@link InvalidClassException}, a stream cut short the stream's own {@link EOFException} (or
 * {@link StreamCorruptedException} when cut inside a block header). The streams are forged with the map's
 * real class descriptor (see {@link ForgedStream}); the first test proves that the forger writes exactly the
 * format the map writes.
 */
class HostileStreamTest {

  /** A forged count must be rejected after reading what is really there, not after a huge loop or allocation. */
  private static final Duration QUICKLY = Duration.ofSeconds(5);
  /** What a deserialised map with one entry may hold however large its forged capacity: one small array. */
  private static final long SMALL_TABLE_BYTES = 256 * 1024;

  /** Writes {@code BucketMap}'s serial form with any custom data: the int field, then {@code body}. */
  static final class StandIn implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    @SuppressWarnings({"unused", "FieldCanBeLocal"}) // serialized
    private final int initialCapacity;
    private final transient ForgedStream.Body body;

    StandIn(int initialCapacity, ForgedStream.Body body) {
      this.initialCapacity = initialCapacity;
      this.body = body;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws java.io.IOException {
      out.defaultWriteObject();
      body.write(out);
    }
  }

  /** A stream claiming {@code count} entries, holding {@code pairs} (key, value, key, value...). */
  private static byte[] stream(int capacity, int count, Object... pairs) throws Exception {
    return forge(BucketMap.class, new StandIn(capacity, out -> {
      out.writeInt(count);
      for (Object o : pairs) {
        out.writeObject(o);
      }
    }));
  }

  @Test
  void theForgerWritesTheMapsOwnFormat() throws Exception {
    BucketMap<String, String> genuine = new BucketMap<>(7);
    genuine.put("k", "v");
    assertThat(stream(7, 1, "k", "v")).isEqualTo(serialize(genuine));
    assertThat(read(stream(0, 3, "a", 1, null, 2, "c", null)))
        .isEqualTo(mapOf("a", 1, null, 2, "c", null));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, Integer.MIN_VALUE})
  void aNegativeCountIsRejected(int count) {
    assertThatThrownBy(() -> read(stream(0, count))).isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("negative size");
  }

  @Test
  void aNegativeCapacityIsRejected() {
    assertThatThrownBy(() -> read(stream(-5, 1, "a", "b"))).isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("negative initial capacity");
  }

  @Test
  void aCountOfIntegerMaxValueWithThreeEntriesIsRejectedQuicklyWithoutALargeAllocation() throws Exception {
    byte[] forged = stream(0, Integer.MAX_VALUE, "a", 1, "b", 2, "c", 3);
    Throwable thrown = assertTimeoutPreemptively(QUICKLY, () -> catchThrowable(() -> read(forged)));
    assertThat(thrown).isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("holds 3 of the " + Integer.MAX_VALUE + " entries");
  }

  @Test
  void aCountLargerThanTheEntriesIsRejected() throws Exception {
    assertThatThrownBy(() -> read(stream(0, 4, "a", 1, "b", 2, "c", 3))).isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("holds 3 of the 4 entries");
    assertThatThrownBy(() -> read(stream(0, 1))).isInstanceOf(InvalidObjectException.class);
    assertThatThrownBy(() -> read(stream(0, 2, "a", 1, "b"))).as("a key without its value")
        .isInstanceOf(InvalidObjectException.class);
  }

  /** As for any class's custom data, what follows the declared entries is not read. */
  @Test
  void entriesBeyondTheCountAreIgnored() throws Exception {
    BucketMap<?, ?> map = (BucketMap<?, ?>) read(stream(0, 2, "a", 1, "b", 2, "c", 3));
    assertThat(map).isEqualTo(Map.of("a", 1, "b", 2));
    map.checkInvariants();
  }

  @Test
  void duplicateKeysAreRejected() {
    assertThatThrownBy(() -> read(stream(0, 3, "a", 1, "b", 2, "a", 3))).isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("duplicate");
    assertThatThrownBy(() -> read(stream(0, 2, null, 1, null, 2))).as("the null key twice")
        .isInstanceOf(InvalidObjectException.class).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> read(stream(0, 2, "a", null, "a", null))).as("a key twice, both with null values")
        .isInstanceOf(InvalidObjectException.class).hasMessageContaining("duplicate");
  }

  @Test
  void primitiveDataWhereAnEntryBelongsIsRejected() throws Exception {
    byte[] forged = forge(BucketMap.class, new StandIn(0, out -> {
      out.writeInt(2);
      out.writeObject("a");
      out.writeObject(1);
      out.writeLong(42L);
    }));
    assertThatThrownBy(() -> read(forged)).isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("primitive data");
  }

  @Test
  void aMissingCountIsATruncatedStream() throws Exception {
    byte[] forged = forge(BucketMap.class, new StandIn(0, out -> { }));
    assertThatThrownBy(() -> read(forged)).isInstanceOf(EOFException.class);
  }

  /** The descriptor claims {@code float initialCapacity}: the stream itself refuses the class. */
  @Test
  void aFieldOfTheWrongTypeIsRejected() throws Exception {
    byte[] genuine = serialize(new BucketMap<>(3));
    byte[] wrongType = patch(genuine, fieldDescriptor('I', "initialCapacity"), fieldDescriptor('F', "initialCapacity"));
    assertThatThrownBy(() -> read(wrongType)).isInstanceOf(InvalidClassException.class)
        .hasMessageContaining("initialCapacity");
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MAX_VALUE, 1 << 30, BucketMap.MAX_PRESIZED_CAPACITY})
  void aForgedCapacityAllocatesInProportionToTheEntriesPresent(int capacity) throws Exception {
    BucketMap<?, ?> map = (BucketMap<?, ?>) read(stream(capacity, 1, "a", "b"));
    assertThat(map).isEqualTo(Map.of("a", "b"));
    assertThat(map.statistics().estimatedBytes()).isLessThan(SMALL_TABLE_BYTES);
    map.checkInvariants();
  }

  /**
   * Every prefix of a genuine stream fails with the stream's own exception, not wrapped: an
   * {@link EOFException}, or a {@link StreamCorruptedException} where the cut falls inside a block-data
   * header (as for any class with custom data, {@code HashMap} included). None yields a map.
   */
  @Test
  void everyTruncationOfAGenuineStreamFailsAsTheStreamReportsIt() throws Exception {
    BucketMap<Object, Object> map = new BucketMap<>(10);
    map.put("a", 1);
    map.put(null, "null key");
    map.put(3L, null);
    byte[] genuine = serialize(map);
    assertThat(read(genuine)).isEqualTo(map);
    for (int length = 0; length < genuine.length; length++) {
      byte[] cut = truncate(genuine, length);
      assertThat(catchThrowable(() -> read(cut))).as("a stream cut to %s of %s bytes", length, genuine.length)
          .isInstanceOfAny(EOFException.class, StreamCorruptedException.class);
    }
  }

  private static Map<Object, Object> mapOf(Object... pairs) {
    Map<Object, Object> m = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }
}
