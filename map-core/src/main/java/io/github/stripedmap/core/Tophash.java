package io.github.stripedmap.core;

/**
 * Tophash bytes and the SWAR (SIMD within a register) operations on a bucket's eight of them, packed
 * little-endian in one {@code long}: slot {@code i} is byte {@code i}.
 *
 * <p>Values below {@link #MIN_TOPHASH} are markers, as in Go's runtime map; a live slot's tophash is
 * the top byte of its key's hash, raised by {@link #MIN_TOPHASH} when it would collide with a marker.
 */
final class Tophash {

    /** The slot and every later slot of the bucket, and all of its overflow chain, are empty. */
    static final int EMPTY_REST = 0;
    /** The slot is empty; later slots may not be. */
    static final int EMPTY_ONE = 1;
    /** Old array only: the entry was evacuated to the new bucket with the same index (X). */
    static final int EVACUATED_X = 2;
    /** Old array only: the entry was evacuated to bucket {@code index + oldBuckets} (Y). */
    static final int EVACUATED_Y = 3;
    /** Old array only: the slot was empty when its bucket was evacuated. */
    static final int EVACUATED_EMPTY = 4;
    /** Smallest tophash of a live slot. */
    static final int MIN_TOPHASH = 5;

    /** Bits to shift a slot index to its byte in the tag word. */
    private static final int BITS_PER_SLOT_SHIFT = 3;
    /** The low bit of every byte. */
    private static final long LOW_BITS = 0x0101_0101_0101_0101L;
    /** The high bit of every byte. */
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    /** The low seven bits of every byte. */
    private static final long LOW_SEVEN_BITS = ~HIGH_BITS;
    /** {@code 0x80 - MIN_TOPHASH} in every byte: the high bit of {@code (b & 0x7F) + 0x7B} is {@code (b & 0x7F) >= 5}. */
    private static final long LIVE_BIAS = LOW_BITS * (0x80 - MIN_TOPHASH);
    /** Every byte with its lowest bit cleared: folds EMPTY_ONE onto EMPTY_REST. */
    private static final long CLEAR_LOW_BITS = ~LOW_BITS;
    /** One byte. */
    private static final int BYTE_MASK = 0xFF;

    private Tophash() { }

    /** The tophash of a mixed hash: its top byte, kept clear of the marker values. */
    static int of(long hash) {
        int top = (int) (hash >>> 56);
        return top < MIN_TOPHASH ? top + MIN_TOPHASH : top;
    }

    /**
     * The slots whose byte equals {@code value}: the high bit of each such byte is set. A byte just
     * above a true match may also be flagged (borrow); callers confirm with the key.
     */
    static long matches(long word, int value) {
        long x = word ^ (LOW_BITS * value);
        return (x - LOW_BITS) & ~x & HIGH_BITS;
    }

    /** Non-zero exactly when some byte is {@link #EMPTY_REST}: the lowest flagged byte is the first. */
    static long emptyRest(long word) {
        return (word - LOW_BITS) & ~word & HIGH_BITS;
    }

    /**
     * The high bit of each empty byte (either marker) is set. Exact for every byte: clearing the low bits
     * leaves even bytes, and a borrow into an even byte flags it only if it is zero.
     */
    static long free(long word) {
        return emptyRest(word & CLEAR_LOW_BITS);
    }

    /**
     * The high bit of each live byte is set, for a word without evacuation markers (any bucket of a
     * current array, or of an unevacuated old bucket's chain), whose dead bytes are only
     * {@link #EMPTY_REST} and {@link #EMPTY_ONE}: exact, branch-free.
     */
    static long occupied(long word) {
        return ~free(word) & HIGH_BITS;
    }

    /**
     * The high bit of each live byte ({@code >= MIN_TOPHASH}) is set, for any word (evacuation markers
     * included): exact and branch-free. Adding {@link #LIVE_BIAS} to a byte's low seven bits sets its high
     * bit exactly when they are at least {@code MIN_TOPHASH} and never carries into the next byte (at most
     * {@code 0x7F + 0x7B}); a byte whose own high bit is set is live anyway.
     */
    static long live(long word) {
        return (((word & LOW_SEVEN_BITS) + LIVE_BIAS) | word) & HIGH_BITS;
    }

    /**
     * The high bit of every slot after {@code slot}, which is -1 (all eight) to 7 (none): a mask to
     * find the next live slot with one {@link #occupied} word instead of a test per slot. Two shifts,
     * because one shift of a {@code long} by 64 would shift by nothing.
     */
    static long flagsAfter(int slot) {
        int half = (slot + 1) << (BITS_PER_SLOT_SHIFT - 1);
        return (HIGH_BITS << half) << half;
    }

    /** Every slot {@link #EVACUATED_EMPTY}: an evacuated bucket's word before its moved slots are marked. */
    static final long ALL_EVACUATED_EMPTY = LOW_BITS * EVACUATED_EMPTY;

    /** The slot index of the lowest flagged byte of a non-zero match mask. */
    static int firstSlot(long mask) {
        return Long.numberOfTrailingZeros(mask) >>> BITS_PER_SLOT_SHIFT;
    }

    /** The slot index of the highest flagged byte of a non-zero mask. */
    static int lastSlot(long mask) {
        return (Long.SIZE - 1 - Long.numberOfLeadingZeros(mask)) >>> BITS_PER_SLOT_SHIFT;
    }

    /** The byte of {@code slot}. */
    static int get(long word, int slot) {
        return (int) (word >>> (slot << BITS_PER_SLOT_SHIFT)) & BYTE_MASK;
    }

    /** The word with {@code slot}'s byte replaced by {@code value}. */
    static long with(long word, int slot, int value) {
        int shift = slot << BITS_PER_SLOT_SHIFT;
        return (word & ~((long) BYTE_MASK << shift)) | ((long) value << shift);
    }

    /** True if the byte is an evacuation marker. */
    static boolean isEvacuationMarker(int b) {
        return b >= EVACUATED_X && b <= EVACUATED_EMPTY;
    }

    /** True if the byte is a live slot. */
    static boolean isLive(int b) {
        return b >= MIN_TOPHASH;
    }
}
