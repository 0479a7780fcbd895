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
 * standard deviation 7. Mixes that failed here (see {@link BucketTable#mix}): {@code hashCode ^ seed}
 * straight into a folded 128-bit product, for ids times 1,000, 31, 12,345 or 65,537 and timestamps (4%
 * to 9% of seeds with a crowded bucket, up to 243 keys on one top byte, and one seed in 10,000 a
 * 32-entry chain, which sends keys to the collision tree); the same with the hash code multiplied first
 * but not folded, for ids times 2^16 and 2^17 (up to 163 overflowing buckets).
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
        for (int s = 0; s < SEEDS; s++) {
            long seed = seeds.nextLong();
            int[] perBucket = new int[BUCKETS];
            int[] perTopByte = new int[1 << Byte.SIZE];
            int fullest = 0;
            for (int i = 0; i < KEYS; i++) {
                long h = BucketTable.mix(hashCodes.applyAsInt(i), seed);
                fullest = Math.max(fullest, ++perBucket[(int) h & (BUCKETS - 1)]);
                worstTopByte = Math.max(worstTopByte, ++perTopByte[(int) (h >>> TOP_BYTE_SHIFT)]);
            }
            worstBucket = Math.max(worstBucket, fullest);
            worstOverflowing = Math.max(worstOverflowing, overflowingBuckets(hashCodes, seed));
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

    /** How many of {@value #SPREAD_BUCKETS} buckets get more than eight of {@value #SPREAD_KEYS} keys. */
    private static int overflowingBuckets(IntUnaryOperator hashCodes, long seed) {
        int[] perBucket = new int[SPREAD_BUCKETS];
        int overflowing = 0;
        for (int i = 0; i < SPREAD_KEYS; i++) {
            if (++perBucket[(int) BucketTable.mix(hashCodes.applyAsInt(i), seed) & (SPREAD_BUCKETS - 1)] == SLOTS + 1) {
                overflowing++;
            }
        }
        return overflowing;
    }
}
