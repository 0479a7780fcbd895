package io.github.stripedmap.stress.support;

/**
 * A map key whose {@code hashCode()} is chosen by the test. Equality is by {@link #id} only, so two
 * keys with the same hash code are different keys that a table must keep apart: {@link #colliding}
 * keys all share one hash code, hence one bucket, one tophash byte and one overflow chain whatever the
 * table's random seed, so actors that use them meet in that chain; {@link #spread} keys have distinct
 * hash codes and land wherever the seed puts them.
 */
public final class Key {

    /** The hash code every colliding key shares. */
    public static final int COLLIDING_HASH = 0x5EED_CAFE;
    /** Fibonacci multiplier that spreads consecutive ids over distinct hash codes. */
    private static final int SPREAD = 0x9E37_79B9;

    /** Identity of the key (and, by the fixtures' convention, the value it maps to). */
    public final int id;
    private final int hash;

    private Key(int id, int hash) {
        this.id = id;
        this.hash = hash;
    }

    /**
     * @param id the key's identity
     * @return a key in the one shared collision chain
     */
    public static Key colliding(int id) {
        return new Key(id, COLLIDING_HASH);
    }

    /**
     * @param id the key's identity
     * @return a key with a hash code of its own
     */
    public static Key spread(int id) {
        return new Key(id, id * SPREAD);
    }

    /**
     * @param id   the key's identity
     * @param hash its hash code
     * @return a key with exactly that hash code
     */
    public static Key withHash(int id, int hash) {
        return new Key(id, hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key && ((Key) o).id == id;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "K" + id;
    }
}
