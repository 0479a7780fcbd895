package io.github.stripedmap.concurrent;

import static io.github.stripedmap.core.ForgedStream.forge;
import static io.github.stripedmap.core.ForgedStream.read;
import static io.github.stripedmap.core.ForgedStream.serialize;
import static io.github.stripedmap.core.ForgedStream.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.stripedmap.core.ForgedStream;

import java.io.EOFException;
import java.io.InvalidObjectException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deserializing a hostile {@link StripedMap} stream never yields a corrupted map and never allocates in
 * proportion to a forged number: a bad header, a name that is not a string, a null value, a key twice,
 * entries without their end marker or primitive data among them give {@link InvalidObjectException}; a
 * stream cut short gives the stream's own {@link EOFException} (or {@link StreamCorruptedException} when
 * cut inside a block header). The streams are forged with the map's real class descriptor (see
 * {@link ForgedStream}); the first test proves that the forger writes the map's own format.
 */
class StripedHostileStreamTest {

    /** A forged header must be dealt with at the speed of the entries really present. */
    private static final Duration QUICKLY = Duration.ofSeconds(5);
    /** What a deserialised map of a few entries may hold however large its forged capacity. */
    private static final long SMALL_MAP_BYTES = 1L << 20;

    /** Writes {@code StripedMap}'s serial form with any custom data: the three fields, then {@code body}. */
    static final class StandIn implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        // the fields of StripedMap's descriptor, in its order: primitives by name, then objects
        @SuppressWarnings("unused")
        private final int initialCapacity;
        @SuppressWarnings("unused")
        private final int stripeCount;
        @SuppressWarnings("unused")
        private final Object name;
        private final transient ForgedStream.Body body;

        StandIn(int initialCapacity, int stripeCount, Object name, ForgedStream.Body body) {
            this.initialCapacity = initialCapacity;
            this.stripeCount = stripeCount;
            this.name = name;
            this.body = body;
        }

        @Serial
        private void writeObject(ObjectOutputStream out) throws java.io.IOException {
            out.defaultWriteObject();
            body.write(out);
        }
    }

    /** A stream with the given header, then {@code objects} as written (a null key ends the entries). */
    private static byte[] stream(int capacity, int stripes, Object name, Object... objects) throws Exception {
        return forge(StripedMap.class, new StandIn(capacity, stripes, name, out -> {
            for (Object o : objects) {
                out.writeObject(o);
            }
        }));
    }

    @Test
    void theForgerWritesTheMapsOwnFormat() throws Exception {
        StripedMap<String, String> genuine = StripedMap.builder().name("m").stripes(2).initialCapacity(9).build();
        genuine.put("k", "v");
        assertThat(stream(9, 2, "m", "k", "v", null)).isEqualTo(serialize(genuine));
        StripedMap<?, ?> copy = (StripedMap<?, ?>) read(stream(0, 4, "n", "a", 1, "b", 2, null));
        assertThat(copy).isEqualTo(Map.of("a", 1, "b", 2));
        assertThat(copy.name()).isEqualTo("n");
        assertThat(copy.stripeCount()).isEqualTo(4);
        copy.checkInvariants();
    }

    @Test
    void aNegativeCapacityIsRejected() {
        assertThatThrownBy(() -> read(stream(-1, 4, "m", "a", 1, null))).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("initialCapacity -1");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 3, 100, StripedMap.MAX_STRIPES * 2, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void aStripeCountThatIsNotAPowerOfTwoInRangeIsRejected(int stripes) {
        assertThatThrownBy(() -> read(stream(0, stripes, "m", "a", 1, null))).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("stripes " + stripes);
    }

    @Test
    void aMissingNameIsRejected() {
        assertThatThrownBy(() -> read(stream(0, 4, null, "a", 1, null))).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("name missing");
    }

    @Test
    void aNameThatIsNotAStringIsRejected() {
        assertThatThrownBy(() -> read(stream(0, 4, 42, "a", 1, null))).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("name");
    }

    @Test
    void aNullValueIsRejected() {
        assertThatThrownBy(() -> read(stream(0, 4, "m", "a", 1, "b", null, null)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("null value for key b");
    }

    /** The null key is the end marker: whatever follows is not read. */
    @Test
    void theNullKeyEndsTheEntries() throws Exception {
        StripedMap<?, ?> map = (StripedMap<?, ?>) read(stream(0, 4, "m", "a", 1, null, "b", 2, null));
        assertThat(map).isEqualTo(Map.of("a", 1));
        map.checkInvariants();
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThatThrownBy(() -> read(stream(0, 1, "m", "a", 1, "b", 2, "a", 3, null)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("duplicate key a");
        assertThatThrownBy(() -> read(stream(0, 64, "m", "a", 1, "a", 1, null)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("duplicate key a");
    }

    @Test
    void entriesWithoutTheEndMarkerAreRejected() {
        assertThatThrownBy(() -> read(stream(0, 4, "m", "a", 1, "b", 2))).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("without the null key");
        assertThatThrownBy(() -> read(stream(0, 4, "m", "a", 1, "b"))).as("a key without its value")
                .isInstanceOf(InvalidObjectException.class);
        assertThatThrownBy(() -> read(stream(0, 4, "m"))).as("no entries and no end marker")
                .isInstanceOf(InvalidObjectException.class);
    }

    @Test
    void primitiveDataWhereAnEntryBelongsIsRejected() throws Exception {
        byte[] forged = forge(StripedMap.class, new StandIn(0, 4, "m", out -> {
            out.writeObject("a");
            out.writeObject(1);
            out.writeInt(Integer.MAX_VALUE);
        }));
        assertThatThrownBy(() -> read(forged)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("primitive data");
    }

    /** The largest header a stream can claim, with three entries: read quickly into a small map. */
    @Test
    void theLargestForgedHeaderWithThreeEntriesIsReadQuicklyAndAllocatesLittle() throws Exception {
        byte[] forged = stream(Integer.MAX_VALUE, StripedMap.MAX_STRIPES, "m", "a", 1, "b", 2, "c", 3, null);
        StripedMap<?, ?> map = assertTimeoutPreemptively(QUICKLY, () -> (StripedMap<?, ?>) read(forged));
        assertThat(map).isEqualTo(Map.of("a", 1, "b", 2, "c", 3));
        assertThat(map.statistics().estimatedBytes()).isLessThan(SMALL_MAP_BYTES);
        map.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64})
    void aForgedCapacityAllocatesInProportionToTheEntriesPresent(int stripes) throws Exception {
        StripedMap<?, ?> map = (StripedMap<?, ?>) read(stream(Integer.MAX_VALUE, stripes, "m", "a", "b", null));
        assertThat(map).isEqualTo(Map.of("a", "b"));
        assertThat(map.statistics().estimatedBytes()).isLessThan(SMALL_MAP_BYTES);
    }

    /** Every prefix of a genuine stream fails with the stream's own exception, not wrapped; none yields a map. */
    @Test
    void everyTruncationOfAGenuineStreamFailsAsTheStreamReportsIt() throws Exception {
        StripedMap<Object, Object> map = StripedMap.builder().name("cut").stripes(4).initialCapacity(10).build();
        map.put("a", 1);
        map.put(2L, "two");
        byte[] genuine = serialize(map);
        assertThat(read(genuine)).isEqualTo(map);
        for (int length = 0; length < genuine.length; length++) {
            byte[] cut = truncate(genuine, length);
            assertThat(catchThrowable(() -> read(cut))).as("a stream cut to %s of %s bytes", length, genuine.length)
                    .isInstanceOfAny(EOFException.class, StreamCorruptedException.class);
        }
    }
}
