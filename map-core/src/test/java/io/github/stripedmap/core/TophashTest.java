package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The SWAR operations on a tag word against a byte-by-byte definition, on random words and on words
 * built from the byte values that matter (markers, the smallest live tophashes, values next to them).
 */
class TophashTest {

    private static final int WORDS = 200_000;
    /** Markers, the smallest live tophashes and bytes where a borrow or the high bit could mislead. */
    private static final int[] EDGE_BYTES = {0, 1, 2, 3, 4, 5, 6, 7, 0x7F, 0x80, 0x81, 0xFE, 0xFF};

    @Test
    void freeFlagsExactlyTheEmptyBytes() {
        forEachWord(false, word -> assertThat(Tophash.free(word))
                .as("free(%016x)", word)
                .isEqualTo(expected(word, b -> b == Tophash.EMPTY_REST || b == Tophash.EMPTY_ONE)));
    }

    @Test
    void occupiedFlagsExactlyTheLiveBytesOfWordsWithoutEvacuationMarkers() {
        forEachWord(true, word -> assertThat(Tophash.occupied(word))
                .as("occupied(%016x)", word)
                .isEqualTo(expected(word, Tophash::isLive))
                .isEqualTo(Tophash.live(word)));
    }

    @Test
    void liveFlagsExactlyTheLiveBytesOfAnyWord() {
        forEachWord(false, word -> assertThat(Tophash.live(word))
                .as("live(%016x)", word)
                .isEqualTo(expected(word, Tophash::isLive)));
        // every byte value in every slot, beside neighbours that could carry or borrow into it
        for (int slot = 0; slot < 8; slot++) {
            for (int b = 0; b < 256; b++) {
                for (long background : new long[] {0L, -1L, 0x7F7F_7F7F_7F7F_7F7FL, 0x0404_0404_0404_0404L}) {
                    long word = Tophash.with(background, slot, b);
                    assertThat(Tophash.live(word)).as("live(%016x)", word).isEqualTo(expected(word, Tophash::isLive));
                }
            }
        }
    }

    @Test
    void flagsAfterFlagsExactlyTheLaterSlots() {
        for (int slot = -1; slot < 8; slot++) {
            long expected = 0;
            for (int later = slot + 1; later < 8; later++) {
                expected |= 0x80L << (later * 8);
            }
            assertThat(Tophash.flagsAfter(slot)).as("flagsAfter(%d)", slot).isEqualTo(expected);
        }
    }

    @Test
    void matchesFlagsEveryEqualByteAndOtherwiseOnlyBorrowsAboveAMatch() {
        forEachWord(false, word -> {
            for (int value : new int[] {Tophash.MIN_TOPHASH, 0x80, 0xFF, (int) (word & 0xFF) | Tophash.MIN_TOPHASH}) {
                long m = Tophash.matches(word, value);
                long equal = expected(word, b -> b == value);
                assertThat(m & equal).as("all equal bytes of %016x flagged for %d", word, value).isEqualTo(equal);
                long extra = m & ~equal;
                for (int slot = 0; slot < 8; slot++) {
                    if ((extra & (0x80L << (slot * 8))) != 0) {
                        // a borrow: the byte below is a match too (true or false), this one is value ^ 1
                        assertThat(slot).as("a false match needs a match below it").isPositive();
                        assertThat(m & (0x80L << ((slot - 1) * 8))).isNotZero();
                        assertThat(Tophash.get(word, slot)).isEqualTo(value ^ 1);
                    }
                }
            }
        });
    }

    @Test
    void emptyRestFlagsTheFirstEmptyRestByte() {
        forEachWord(false, word -> {
            long m = Tophash.emptyRest(word);
            long exact = expected(word, b -> b == Tophash.EMPTY_REST);
            assertThat(m != 0).isEqualTo(exact != 0);
            if (exact != 0) {
                assertThat(Tophash.firstSlot(m)).isEqualTo(Tophash.firstSlot(exact));
            }
        });
    }

    private interface BytePredicate {
        boolean test(int b);
    }

    private interface WordCheck {
        void check(long word);
    }

    private static long expected(long word, BytePredicate p) {
        long result = 0;
        for (int slot = 0; slot < 8; slot++) {
            if (p.test(Tophash.get(word, slot))) {
                result |= 0x80L << (slot * 8);
            }
        }
        return result;
    }

    /** Random words and words of edge bytes; {@code noMarkers} maps evacuation markers to live bytes. */
    private static void forEachWord(boolean noMarkers, WordCheck check) {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < WORDS; i++) {
            long word = 0;
            for (int slot = 0; slot < 8; slot++) {
                int b = (i & 1) == 0 ? random.nextInt(256) : EDGE_BYTES[random.nextInt(EDGE_BYTES.length)];
                if (noMarkers && Tophash.isEvacuationMarker(b)) {
                    b = Tophash.MIN_TOPHASH;
                }
                word = Tophash.with(word, slot, b);
            }
            check.check(word);
        }
    }
}
