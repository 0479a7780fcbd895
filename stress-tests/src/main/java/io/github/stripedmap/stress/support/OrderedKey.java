package io.github.stripedmap.stress.support;

/**
 * A key of the one shared hash code that is ordered by its id ({@code Comparable} of its own class): a
 * flood of them fills a chain of {@code BucketTable.TREE_CHAIN_BUCKETS} buckets and the rest goes to the
 * table's collision tree.
 */
public final class OrderedKey implements Comparable<OrderedKey> {

    /** Identity of the key (and, by the fixtures' convention, the value it maps to). */
    public final int id;

    /** @param id the key's identity */
    public OrderedKey(int id) {
        this.id = id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrderedKey && ((OrderedKey) o).id == id;
    }

    @Override
    public int hashCode() {
        return Key.COLLIDING_HASH;
    }

    @Override
    public int compareTo(OrderedKey o) {
        return Integer.compare(id, o.id);
    }

    @Override
    public String toString() {
        return "O" + id;
    }
}
