package io.github.stripedmap.core;

/**
 * A key with a hash code chosen by the test and no order: unlike {@link CollidingKey}, keys of one hash
 * code can never go to a collision tree (the table cannot order them), so however many there are they
 * stay in one bucket chain. For tests of the chains themselves: overflow buckets, same-size rebuilds.
 *
 * @param id   identity: two keys are equal iff their ids are
 * @param hash the hash code
 */
record ChainKey(int id, int hash) implements java.io.Serializable {

  @Override
  public boolean equals(Object o) {
    return o instanceof ChainKey other && other.id == id;
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
