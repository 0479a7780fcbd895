package io.github.stripedmap.concurrent;

import java.io.Serializable;

/**
 * A key whose {@code hashCode()} is chosen by the test. Keys with equal hash codes land in the same
 * stripe, bucket and tophash whatever the map's seeds are, so the map must tell them apart with
 * {@code equals}. Two keys are equal iff their ids are equal. {@code Comparable} so that
 * {@link java.util.concurrent.ConcurrentHashMap}, the reference, can treeify its colliding bins.
 */
record CollidingKey(int id, int hash) implements Serializable, Comparable<CollidingKey> {

    private static final long serialVersionUID = 1L;

    /** Every key made by this factory has the same hash code: one stripe, one bucket chain. */
    static CollidingKey fullCollision(int id) {
        return new CollidingKey(id, 0x5eed_1e55);
    }

    /** Keys whose ids are congruent modulo {@code groups} share a hash code. */
    static CollidingKey grouped(int id, int groups) {
        return new CollidingKey(id, Math.floorMod(id, groups) * 0x9e37_79b9);
    }

    /** Distinct hash codes that differ only in their upper 16 bits (the low 16 bits are all zero). */
    static CollidingKey highBitsOnly(int id) {
        return new CollidingKey(id, id << 16);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CollidingKey other && other.id == id;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(CollidingKey o) {
        return Integer.compare(id, o.id);
    }

    @Override
    public String toString() {
        return "K" + id + "#" + Integer.toHexString(hash);
    }
}
