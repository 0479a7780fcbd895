package io.github.stripedmap.core;

import java.io.Serializable;

/**
 * A key whose {@code hashCode()} is chosen by the test, to force keys into the same bucket whatever the
 * map's hash seed is: keys with equal hash codes always share their bucket and tophash, so the map must
 * tell them apart with {@code equals}. Two keys are equal iff their ids are equal.
 */
record CollidingKey(int id, int hash) implements Serializable, Comparable<CollidingKey> {

  private static final long serialVersionUID = 1L;

  /** Every key made by this factory has the same hash code: one bucket chain holds them all. */
  static CollidingKey fullCollision(int id) {
    return new CollidingKey(id, 0x5eed_1e55);
  }

  /** Only {@code distinctHashes} hash codes among all keys: a few long chains. */
  static CollidingKey partialCollision(int id, int distinctHashes) {
    return new CollidingKey(id, Math.floorMod(id, distinctHashes) * 0x9e37_79b9);
  }

  /** Runs of {@code keysPerHash} consecutive ids share a hash code: many small collision groups. */
  static CollidingKey sharedHash(int id, int keysPerHash) {
    return new CollidingKey(id, Math.floorDiv(id, keysPerHash) * 0x9e37_79b9);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollidingKey other && other.id == id;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Lets {@link java.util.HashMap}, the reference, treeify its colliding bins instead of scanning them. */
  @Override
  public int compareTo(CollidingKey o) {
    return Integer.compare(id, o.id);
  }

  @Override
  public String toString() {
    return "K" + id + "#" + Integer.toHexString(hash);
  }
}
