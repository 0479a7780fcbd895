package io.github.stripedmap.benchmarks;

import java.util.SplittableRandom;

/**
 * Deterministic benchmark keys. Key {@code i} is derived from {@code mix(i)}, a bijection of the 32-bit
 * integers, so keys {@code 0..n-1} are distinct, look random (no sequential-Integer best case for
 * {@code HashMap}), and a disjoint index range gives keys that are guaranteed absent.
 */
public final class Keys {
    private Keys() {
    }

    /** Key types of the benchmarks. */
    public enum KeyType {
        /** {@code Integer} keys with pseudo-random values. */
        Integer,
        /** {@code String} keys such as {@code "user:1x2y3z"} (7 to 12 characters). */
        String
    }

    /** MurmurHash3's 32-bit finalizer: a bijection, so distinct inputs give distinct outputs. */
    public static int mix(int i) {
        int h = i;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** Key number {@code i} of the given type (a new object on every call for all but tiny Integers). */
    public static Object key(KeyType type, int i) {
        int m = mix(i);
        return type == KeyType.Integer ? java.lang.Integer.valueOf(m) : "user:" + java.lang.Integer.toUnsignedString(m, 36);
    }

    /** Keys number {@code from .. from+count-1}. */
    public static Object[] keys(KeyType type, int from, int count) {
        Object[] out = new Object[count];
        for (int i = 0; i < count; i++) {
            out[i] = key(type, from + i);
        }
        return out;
    }

    /** Integer keys number {@code from .. from+count-1}. */
    public static Integer[] intKeys(int from, int count) {
        Integer[] out = new Integer[count];
        for (int i = 0; i < count; i++) {
            out[i] = mix(from + i);
        }
        return out;
    }

    /**
     * An equal but distinct object, as a lookup key built from a request would be: {@code equals} then does
     * real work instead of succeeding on identity, and a String's hash is computed once for the copy.
     */
    public static Object copyOf(Object key) {
        if (key instanceof String) {
            return new String(((String) key).toCharArray());
        }
        if (key instanceof Integer) {
            return java.lang.Integer.valueOf(((Integer) key).intValue());
        }
        throw new IllegalArgumentException("unexpected key class " + key.getClass());
    }

    /**
     * {@code n} distinct Strings that all have one {@code hashCode()}: string {@code i} is a concatenation of
     * two-character blocks, {@code "Aa"} where bit {@code j} of {@code i} is 0 and {@code "BB"} where it is 1
     * ({@code "Aa".hashCode() == "BB".hashCode() == 2112}, and blocks of equal hash and length concatenate to
     * equal hashes). At least 17 blocks (34 characters; 2^17 = 131,072 strings), more when {@code n} needs them.
     */
    public static String[] collidingStrings(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative count " + n);
        }
        int blocks = Math.max(17, 32 - java.lang.Integer.numberOfLeadingZeros(Math.max(1, n - 1)));
        String[] out = new String[n];
        StringBuilder sb = new StringBuilder(2 * blocks);
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            for (int j = blocks - 1; j >= 0; j--) {
                sb.append(j < 32 && (i >>> j & 1) != 0 ? "BB" : "Aa");
            }
            out[i] = sb.toString();
        }
        return out;
    }

    /** Shuffles in place with a fixed seed (Fisher-Yates). */
    public static void shuffle(Object[] a, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            Object t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
