package io.github.stripedmap.stress.support;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.TableStatistics;

import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * Builds the tiny maps of the stress tests and measures them afterwards.
 *
 * <p>Every map here has <b>one stripe</b> unless a test says otherwise, so every key meets every other
 * in the same table and the table's growth thresholds are reached with a handful of entries. With an
 * initial capacity of 0 a stripe's table starts at one bucket and, by {@code BucketTable}'s rules
 * (double when {@code count > 8 && count > 6.5 * buckets}; shrink on a delete that leaves
 * {@code count < 1.625 * buckets} above the capacity floor; at most two old buckets evacuated per
 * write), its shape after {@code n} inserts of new keys is fixed:
 * <ul>
 *   <li>{@value #FULL_1} entries: 1 bucket, full; the next insert doubles (and finishes at once: one old bucket);</li>
 *   <li>{@value #FULL_4} entries: 4 buckets, no migration; <b>the next insert starts a doubling to 8</b> and
 *       evacuates 2 of the 4 old buckets, leaving the table mid-migration;</li>
 *   <li>from 4 buckets, deleting down to {@value #SHRINK_4} entries starts a shrink to 2 buckets
 *       (nothing evacuated yet).</li>
 * </ul>
 * Constructors check the shape they meant to build with {@link #expect}, so a change to the thresholds
 * fails the tests loudly instead of silently testing nothing.
 *
 * <p>By convention a pre-filled key maps to its {@link Key#id} as an {@code Integer}.
 */
public final class Fixtures {

    /** Entries that fill one bucket exactly. */
    public static final int FULL_1 = 8;
    /** Entries of a 4-bucket table one below the doubling threshold (26 = 6.5 * 4). */
    public static final int FULL_4 = 26;
    /** Entries left by the delete that starts a shrink of a 4-bucket table (6 < 1.625 * 4). */
    public static final int SHRINK_4 = 6;
    /** Result code of a map call that threw: no outcome table accepts it. */
    public static final int THREW = -1;

    private Fixtures() { }

    /**
     * @param stripes         stripe count
     * @param initialCapacity initial capacity
     * @param probe           observer of every stripe's table
     * @return an empty {@code StripedMap}
     */
    public static StripedMap<Key, Integer> striped(int stripes, int initialCapacity, Probe probe) {
        return StripedMap.builder().name("stress").stripes(stripes).initialCapacity(initialCapacity)
                .observers(stripe -> probe).build();
    }

    /** @return a one-stripe {@code StripedMap} with initial capacity 0 observed by {@code probe} */
    public static StripedMap<Key, Integer> tiny(Probe probe) {
        return striped(1, 0, probe);
    }

    /**
     * @param from first id
     * @param n    how many
     * @return colliding keys {@code from .. from+n-1}
     */
    public static Key[] colliding(int from, int n) {
        Key[] keys = new Key[n];
        for (int i = 0; i < n; i++) {
            keys[i] = Key.colliding(from + i);
        }
        return keys;
    }

    /**
     * @param from first id
     * @param n    how many
     * @return keys with distinct hash codes, ids {@code from .. from+n-1}
     */
    public static Key[] spread(int from, int n) {
        Key[] keys = new Key[n];
        for (int i = 0; i < n; i++) {
            keys[i] = Key.spread(from + i);
        }
        return keys;
    }

    /** Puts every key mapped to its id. */
    public static void fill(Map<Key, Integer> map, Key... keys) {
        for (Key k : keys) {
            map.put(k, k.id);
        }
    }

    /** Removes every key. */
    public static void removeAll(Map<Key, Integer> map, Key... keys) {
        for (Key k : keys) {
            map.remove(k);
        }
    }

    /**
     * @return how many of {@code keys[from..to)} do not map to their id (absent, or another key's value),
     *         or {@link #THREW} if a lookup threw
     */
    public static int damaged(Map<Key, Integer> map, Key[] keys, int from, int to) {
        int bad = 0;
        try {
            for (int i = from; i < to; i++) {
                Integer v = map.get(keys[i]);
                if (v == null || v != keys[i].id) {
                    bad++;
                }
            }
        } catch (RuntimeException e) {
            return THREW;
        }
        return bad;
    }

    /** @return how many keys do not map to their id, or {@link #THREW} */
    public static int damaged(Map<Key, Integer> map, Key... keys) {
        return damaged(map, keys, 0, keys.length);
    }

    /** @return the value as an int, 0 for null */
    public static int value(Integer v) {
        return v == null ? 0 : v;
    }

    /** @return the key's value in the map (0 if absent, {@link #THREW} if the lookup threw) */
    public static int get(Map<Key, Integer> map, Key key) {
        try {
            return value(map.get(key));
        } catch (RuntimeException e) {
            return THREW;
        }
    }

    /** @return the map's size, {@link #THREW} if it threw */
    public static int size(Map<Key, Integer> map) {
        try {
            return map.size();
        } catch (RuntimeException e) {
            return THREW;
        }
    }

    /** @return 1 if the map's table invariants hold, 0 if not */
    public static int invariants(ConcurrentMap<Key, Integer> map) {
        try {
            if (map instanceof StripedMap) {
                ((StripedMap<Key, Integer>) map).checkInvariants();
            } else {
                ((Inspectable) map).checkInvariants();
            }
            return 1;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** @return the shape of the map's first (for one-stripe maps: only) stripe table */
    public static TableStatistics shape(ConcurrentMap<Key, Integer> map) {
        if (map instanceof StripedMap) {
            return ((StripedMap<Key, Integer>) map).stripeStatistics().get(0);
        }
        return ((Inspectable) map).statistics();
    }

    /**
     * Guards a constructor: the state it built must be the one the test means to race on.
     *
     * @throws IllegalStateException with {@code what} if {@code ok} is false
     */
    public static void expect(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("stress fixture did not reach its intended state: " + what);
        }
    }
}
