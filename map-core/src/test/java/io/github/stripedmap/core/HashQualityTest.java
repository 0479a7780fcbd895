package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BucketTable#mix} must spread structured key sets like a random function would, for every seed,
 * in both the bucket bits and the top byte (the tophash). Deterministic: the seeds come from a fixed
 * generator, so this test either always passes or always fails (its end-to-end companion,
 * {@link HashSpreadTest}, uses maps with fresh random seeds).
 *
 * <p>Each case hashes {@value #KEYS} keys into {@value #BUCKETS} buckets, the load (6.5 per bucket) at
 * which a table doubles, for {@value #SEEDS} seeds. A random function leaves some bucket with 21 or
 * more keys for about 1% of seeds (Poisson tail, times 2,048 buckets) and a top byte shared by more
 * than about 100 of the keys (mean 54) practically never. It also hashes {@value #SPREAD_KEYS} keys
 * into {@value #SPREAD_BUCKETS} buckets ({@link HashSpreadTest}'s table after trimming) and counts the
 * buckets with more than eight keys, which need an overflow bucket: about 51 for a random function,
 * standard deviation 7. Mixes that failed here (see {@link BucketTable#mix}; to see the figures, put the
 * old line back and run {@code ./mvnw -pl map-core test -Dtest=HashQualityTest}): {@code hashCode ^ seed}
 * straight into a folded 128-bit product fails 6 sets (a crowded bucket for 4.8%, 4.0%, 4.0%, 9.9% and
 * 6.4% of seeds with ids times 31, 1,000, 12,345, 65,537 and timestamps; 1,071 overflowing buckets with
 * ids times 2^17); the same with the hash code multiplied first but not folded fails ids times 2^16 and
 * 2^17 (128 and 129 overflowing buckets).
 */
class HashQualityTest {

    /** Seeds per key set. */
    private static final int SEEDS = 1_000;
    /** Keys that fill {@value #BUCKETS} buckets to the doubling threshold, 6.5 per bucket. */
    private static final int KEYS = 13_312;
    private static final int BUCKETS = 2_048;
    /** A bucket this full counts as crowded; a random function crowds one for about 1% of seeds. */
    private static final int CROWDED_BUCKET = 21;
    /** At most this share of seeds may crowd a bucket: three times a random function's. */
    private static final double MAX_CROWDED_SEED_SHARE = 0.03;
    /** No seed may put this many keys in one bucket: a random function's chance is about 10^-9 per seed. */
    private static final int MAX_BUCKET = 28;
    /** The top byte of the hash, from which {@link Tophash#of} takes a key's tag. */
    private static final int TOP_BYTE_SHIFT = Long.SIZE - Byte.SIZE;
    /** No top byte may be shared by more keys than this (mean 54, standard deviation 7.3). */
    private static final int MAX_SAME_TOP_BYTE = 110;
    /** {@link HashSpreadTest}'s maps after trimming: {@value #SPREAD_KEYS} keys in {@value #SPREAD_BUCKETS} buckets. */
    private static final int SPREAD_KEYS = 15_000;
    private static final int SPREAD_BUCKETS = 4_096;
    /** A bucket with more keys than its eight slots needs an overflow bucket. */
    private static final int SLOTS = BucketTable.SLOTS_PER_BUCKET;
    /** No seed may leave more buckets overflowing than this (a random function: mean 51, deviation 7). */
    private static final int MAX_OVERFLOWING = 110;

    /** A millisecond timestamp (2023-11-14): Long keys of events one second apart start here. */
    private static final long EPOCH_MS = 1_700_000_000_000L;

    static Stream<Arguments> keySets() {
        return Stream.of(
                Arguments.of("i", (IntUnaryOperator) i -> i),
                Arguments.of("-i", (IntUnaryOperator) i -> -i),
                Arguments.of("8 i", (IntUnaryOperator) i -> 8 * i),
                Arguments.of("31 i", (IntUnaryOperator) i -> 31 * i),
                Arguments.of("1000 i", (IntUnaryOperator) i -> 1000 * i),
                Arguments.of("12345 i", (IntUnaryOperator) i -> 12_345 * i),
                Arguments.of("65536 i", (IntUnaryOperator) i -> i << 16),
                Arguments.of("131072 i", (IntUnaryOperator) i -> i << 17),
                Arguments.of("65537 i", (IntUnaryOperator) i -> 65_537 * i),
                Arguments.of("\"key\" + i", (IntUnaryOperator) i -> ("key" + i).hashCode()),
                Arguments.of("epoch ms, 1 s apart", (IntUnaryOperator) i -> Long.hashCode(EPOCH_MS + 1_000L * i)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keySets")
    void structuredKeysSpreadLikeRandomOnes(String name, IntUnaryOperator hashCodes) {
        SplittableRandom seeds = new SplittableRandom(name.hashCode());
        int crowdedSeeds = 0;
        int worstBucket = 0;
        int worstTopByte = 0;
        int worstOverflowing = 0;
        long[] hashes = new long[SPREAD_KEYS]; // the first KEYS of them fill BUCKETS, all fill SPREAD_BUCKETS
        for (int s = 0; s < SEEDS; s++) {
            long seed = seeds.nextLong();
            for (int i = 0; i < SPREAD_KEYS; i++) {
                hashes[i] = BucketTable.mix(hashCodes.applyAsInt(i), seed);
            }
            int[] perBucket = new int[BUCKETS];
            int[] perTopByte = new int[1 << Byte.SIZE];
            int fullest = 0;
            for (int i = 0; i < KEYS; i++) {
                fullest = Math.max(fullest, ++perBucket[(int) hashes[i] & (BUCKETS - 1)]);
                worstTopByte = Math.max(worstTopByte, ++perTopByte[(int) (hashes[i] >>> TOP_BYTE_SHIFT)]);
            }
            worstBucket = Math.max(worstBucket, fullest);
            worstOverflowing = Math.max(worstOverflowing, overflowingBuckets(hashes));
            if (fullest >= CROWDED_BUCKET) {
                crowdedSeeds++;
            }
        }
        assertThat((double) crowdedSeeds / SEEDS).as("share of seeds with a bucket of %d or more", CROWDED_BUCKET)
                .isLessThanOrEqualTo(MAX_CROWDED_SEED_SHARE);
        assertThat(worstBucket).as("fullest bucket").isLessThan(MAX_BUCKET);
        assertThat(worstOverflowing).as("buckets with more than %d keys", SLOTS).isLessThanOrEqualTo(MAX_OVERFLOWING);
        assertThat(worstTopByte).as("keys sharing one top byte").isLessThanOrEqualTo(MAX_SAME_TOP_BYTE);
    }

    /** How many of {@value #SPREAD_BUCKETS} buckets get more than eight of the {@value #SPREAD_KEYS} hashes. */
    private static int overflowingBuckets(long[] hashes) {
        int[] perBucket = new int[SPREAD_BUCKETS];
        int overflowing = 0;
        for (long h : hashes) {
            if (++perBucket[(int) h & (SPREAD_BUCKETS - 1)] == SLOTS + 1) {
                overflowing++;
            }
        }
        return overflowing;
    }
}
