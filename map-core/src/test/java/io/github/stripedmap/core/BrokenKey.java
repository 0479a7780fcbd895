package io.github.stripedmap.core;

import java.io.Serial;
import java.io.Serializable;

/**
 * A key that misbehaves on demand: its {@code hashCode()} and {@code equals()} throw whatever failure the
 * test arms them with, and its hash code can be changed while it sits in a map (a "mutated" key). Two
 * keys are equal iff their ids are equal; the hash code is chosen by the test, so a probe can be made to
 * collide with a stored key (same bucket and tophash whatever the seed), which is what makes a lookup call
 * the probe's {@code equals}. Public so that map-concurrent's tests reuse it.
 */
public final class BrokenKey implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  /** The failure a broken key throws: distinct from anything the maps throw themselves. */
  public static final class KeyFailure extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what failed */
    public KeyFailure(String message) {
      super(message);
    }
  }

  /** An {@code Error} a broken key may throw instead (the engine treats errors separately). */
  public static final class KeyError extends Error {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what failed */
    public KeyError(String message) {
      super(message);
    }
  }

  private final int id;
  private volatile int hash;
  private transient volatile Throwable hashFailure;
  private transient volatile Throwable equalsFailure;

  /**
     * @param id   identity for {@code equals}
     * @param hash the hash code (until {@link #rehash})
     */
  public BrokenKey(int id, int hash) {
    this.id = id;
    this.hash = hash;
  }

  /** @return a well-behaved key whose hash code is a spread of {@code id} */
  public static BrokenKey of(int id) {
    return new BrokenKey(id, id * 0x9E37_79B9);
  }

  /** @return the id */
  public int id() {
    return id;
  }

  /**
     * Makes {@code hashCode()} throw {@code failure} (a RuntimeException or an Error) until disarmed.
     *
     * @param failure what to throw, or null to behave again
     * @return this
     */
  public BrokenKey failHashCode(Throwable failure) {
    this.hashFailure = failure;
    return this;
  }

  /**
     * Makes {@code equals()} throw {@code failure} until disarmed.
     *
     * @param failure what to throw, or null to behave again
     * @return this
     */
  public BrokenKey failEquals(Throwable failure) {
    this.equalsFailure = failure;
    return this;
  }

  /**
     * Changes the hash code: a key mutated while it is in a map.
     *
     * @param newHash the new hash code
     */
  public void rehash(int newHash) {
    this.hash = newHash;
  }

  @Override
  public int hashCode() {
    Throwable f = hashFailure;
    if (f != null) {
      throw rethrow(f);
    }
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    Throwable f = equalsFailure;
    if (f != null) {
      throw rethrow(f);
    }
    return o instanceof BrokenKey other && other.id == id;
  }

  private static RuntimeException rethrow(Throwable f) {
    if (f instanceof Error e) {
      throw e;
    }
    throw (RuntimeException) f;
  }

  @Override
  public String toString() {
    return "BrokenKey" + id;
  }
}
