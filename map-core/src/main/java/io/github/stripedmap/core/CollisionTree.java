package io.github.stripedmap.core;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A table's defence against hash flooding: the entries that did not fit in the first
 * {@link BucketTable#TREE_CHAIN_BUCKETS} buckets of their chain, kept in a balanced search tree
 * ordered by hash and then by the keys' own {@code compareTo}, so that a flood of keys sharing one hash
 * code costs {@code O(log n)} per operation instead of a scan of an ever longer overflow chain.
 *
 * <h2>Which keys</h2>
 * Only keys whose class {@code C} implements {@code Comparable<C>} itself (as {@code String},
 * {@code Integer}, records that declare it, ...) are admitted: for them the tree can tell equal hashes
 * apart by {@code compareTo}. Other keys stay in the overflow chain, where a flood of them degrades to
 * a linear scan: without an order nothing better than {@code equals} against each candidate exists
 * ({@code ConcurrentHashMap} degrades the same way for them).
 *
 * <h2>Shape</h2>
 * A persistent (path-copying) AVL tree of immutable {@link Node}s ordered by {@link #order(long)} (the
 * hash's walk position first, so that a hash-order walk can take a range of the tree; the rest of the
 * hash next), then by class name, then by {@code compareTo}. Where that order cannot separate two keys
 * (a {@code compareTo} inconsistent with {@code equals}, or two classes of one name) the search looks
 * on both sides. A node carries no value: entry {@code id} keeps its key and value in
 * {@link #entries}{@code [2 id]} and {@code [2 id + 1]}, so an overwrite is one store and the id is a
 * stable position for the table's position-based writes. Ids of removed entries are reused.
 *
 * <h2>Concurrency</h2>
 * The owning table serialises writers. A write builds its new nodes (and any larger entry array)
 * before the table's mutation window opens and publishes them inside it with a few stores, so user
 * code ({@code compareTo}) and allocation never run inside a window, and an exception or an
 * {@code OutOfMemoryError} leaves the tree as it was. An optimistic reader reads {@link #root} once and
 * walks immutable nodes (final fields: a consistent snapshot, every walk bounded by the snapshot's
 * size), then reads the entry array, whose contents it trusts only after validating the table's
 * version.
 */
final class CollisionTree {

    /** First capacity of the entry array, in entries. */
    private static final int INITIAL_ENTRIES = 16;
    /** Largest id: keeps {@code id | TREE_POSITION} clear of the position flag bits. */
    static final int MAX_ENTRIES = 1 << 29;
    /** Estimated bytes of a node (header, two longs' worth of fields, three references). */
    private static final int NODE_BYTES = 40;
    /** Estimated bytes of this object and its array headers. */
    private static final int OBJECT_BYTES = 64;

    /** True for classes {@code C} that implement {@code Comparable<C>} directly (as CHM requires). */
    private static final ClassValue<Boolean> SELF_COMPARABLE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isSelfComparable(type);
        }
    };

    /** An immutable tree node: one entry's hash order, key and id, and its subtrees. */
    static final class Node {
        final long order;
        final Object key;
        final int id;
        final Node left;
        final Node right;
        final int height;
        /** Nodes in this subtree: bounds every walk of an immutable snapshot. */
        final int size;

        Node(long order, Object key, int id, Node left, Node right) {
            this.order = order;
            this.key = key;
            this.id = id;
            this.left = left;
            this.right = right;
            this.height = 1 + Math.max(height(left), height(right));
            this.size = 1 + size(left) + size(right);
        }

        Node with(Node newLeft, Node newRight) {
            return newLeft == left && newRight == right ? this : balance(order, key, id, newLeft, newRight);
        }
    }

    /** Published inside mutation windows; null when the tree is empty. */
    private Node root;
    /** Key of entry {@code id} at {@code 2 id}, its value at {@code 2 id + 1}; null pairs are free. */
    private Object[] entries;
    /** The order each entry was filed under, by id. */
    private long[] orders;
    /** Ids below this have been handed out. */
    private int highWater;
    /** Freed ids, reused first. */
    private int[] freeIds;
    private int freeCount;

    CollisionTree() {
        this.entries = new Object[2 * INITIAL_ENTRIES];
        this.orders = new long[INITIAL_ENTRIES];
        this.freeIds = new int[INITIAL_ENTRIES];
    }

    private CollisionTree(CollisionTree source) {
        this.root = source.root; // immutable: shared
        this.entries = source.entries.clone();
        this.orders = source.orders.clone();
        this.highWater = source.highWater;
        this.freeIds = source.freeIds.clone();
        this.freeCount = source.freeCount;
    }

    /** @return a copy sharing the immutable nodes, with its own entry array */
    CollisionTree copy() {
        return new CollisionTree(this);
    }

    /**
     * @param key a key
     * @return true if the tree may hold it: its class {@code C} implements {@code Comparable<C>}
     */
    static boolean admits(Object key) {
        return key instanceof String || key instanceof Comparable && SELF_COMPARABLE.get(key.getClass());
    }

    private static boolean isSelfComparable(Class<?> type) {
        for (Type t : type.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == Comparable.class) {
                Type[] arguments = p.getActualTypeArguments();
                return arguments.length == 1 && arguments[0] == type;
            }
        }
        return false;
    }

    /**
     * The tree order of a hash: its walk position (bit-reversed low half) in the high half, its high
     * half in the low half; a bijection, compared unsigned.
     */
    static long order(long h) {
        return (long) Integer.reverse((int) h) << Integer.SIZE | (h >>> Integer.SIZE);
    }

    /** @return ids handed out so far: every entry has an id below this */
    int highWater() {
        return highWater;
    }

    /** @return entries held */
    int size() {
        return size(root);
    }

    // ---- reads (optimistic-reader safe) ----

    /**
     * @param h   the key's mixed hash
     * @param key the key
     * @return the id of its entry, or -1
     */
    int find(long h, Object key) {
        Node n = root;
        return n == null ? -1 : find(n, order(h), key);
    }

    private static int find(Node n, long order, Object key) {
        while (n != null) {
            int c = Long.compareUnsigned(order, n.order);
            if (c == 0) {
                if (key == n.key || key.equals(n.key)) {
                    return n.id;
                }
                c = compareKeys(key, n.key);
                if (c == 0) { // the order cannot separate them: look on both sides
                    int found = find(n.left, order, key);
                    return found >= 0 ? found : find(n.right, order, key);
                }
            }
            n = c < 0 ? n.left : n.right;
        }
        return -1;
    }

    /**
     * Orders two keys of one hash: by class name, then by {@code compareTo} within a class; 0 when
     * neither separates them.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(Object a, Object b) {
        Class<?> ca = a.getClass();
        Class<?> cb = b.getClass();
        if (ca != cb) {
            return ca.getName().compareTo(cb.getName());
        }
        return admits(a) ? ((Comparable) a).compareTo(b) : 0;
    }

    /** @return the key of entry {@code id} */
    Object keyAt(int id) {
        return entries[2 * id];
    }

    /** @return the value of entry {@code id} */
    Object valueAt(int id) {
        return entries[2 * id + 1];
    }

    /**
     * Appends the entries whose hash walk position is in {@code [from, end)}, in tree order.
     *
     * @param from first walk position
     * @param end  end of the range (at most {@link BucketTable#WALK_END})
     * @param out  receives key/value pairs
     */
    void collect(long from, long end, WalkBuffer out) {
        Node n = root;
        if (n != null) {
            collect(n, from << Integer.SIZE, end >= BucketTable.WALK_END ? -1L : (end << Integer.SIZE) - 1, out,
                    entries);
        }
    }

    /** In-order walk of the nodes with order in {@code [low, high]} (unsigned). */
    private static void collect(Node n, long low, long high, WalkBuffer out, Object[] entries) {
        while (n != null) {
            boolean aboveLow = Long.compareUnsigned(n.order, low) >= 0;
            boolean belowHigh = Long.compareUnsigned(n.order, high) <= 0;
            if (aboveLow) {
                collect(n.left, low, high, out, entries);
            }
            if (aboveLow && belowHigh) {
                out.add(n.key, entries[2 * n.id + 1]);
            }
            if (!belowHigh) {
                return;
            }
            n = n.right;
        }
    }

    // ---- writes (owner only; build first, then publish inside the table's window) ----

    /** A prepared change: the new root and, when the entry array had to grow, the new array. */
    record Change(Node root, int id, long order, Object[] entries, long[] orders) { }

    /**
     * Builds the tree with a new entry (the key must be absent). Allocates and runs {@code compareTo};
     * changes nothing.
     *
     * @return the change to pass to {@link #install}
     * @throws IllegalStateException if the tree is full
     */
    Change prepareInsert(long h, Object key) {
        int id;
        Object[] e = entries;
        long[] o = orders;
        if (freeCount > 0) {
            id = freeIds[freeCount - 1];
        } else {
            id = highWater;
            if (id >= MAX_ENTRIES) {
                throw new IllegalStateException("collision tree full: " + id + " entries");
            }
            if (id >= o.length) {
                e = Arrays.copyOf(e, e.length * 2);
                o = Arrays.copyOf(o, o.length * 2);
            }
        }
        long order = order(h);
        Node newRoot = insert(root, order, key, id);
        return new Change(newRoot, id, order, e, o);
    }

    /** Publishes a prepared insert (inside the table's mutation window; allocates nothing). */
    void install(Change change, Object key, Object value) {
        int id = change.id();
        if (freeCount > 0 && freeIds[freeCount - 1] == id) {
            freeCount--;
        } else {
            highWater = id + 1;
        }
        entries = change.entries();
        orders = change.orders();
        orders[id] = change.order();
        entries[2 * id] = key;
        entries[2 * id + 1] = value;
        root = change.root();
    }

    private static Node insert(Node n, long order, Object key, int id) {
        if (n == null) {
            return new Node(order, key, id, null, null);
        }
        int c = Long.compareUnsigned(order, n.order);
        if (c == 0) {
            c = compareKeys(key, n.key);
        }
        return c < 0 ? n.with(insert(n.left, order, key, id), n.right) : n.with(n.left, insert(n.right, order, key, id));
    }

    /**
     * Builds the tree without entry {@code id}. Allocates and runs {@code compareTo}; changes nothing.
     * Finds the node under the order it was filed with, so a key whose hash code changed since is
     * still removed; if even its {@code compareTo} changed, a full search finds it.
     *
     * @return the new root
     */
    Node prepareRemove(int id) {
        Node newRoot = remove(root, orders[id], entries[2 * id], id);
        if (size(newRoot) == size(root)) {
            newRoot = removeAnywhere(root, id);
        }
        // The free-id stack may have to grow: do it now, outside the window.
        if (freeCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
        }
        return newRoot;
    }

    /** Publishes a prepared removal (inside the table's mutation window; allocates nothing). */
    void installRemoval(Node newRoot, int id) {
        root = newRoot;
        entries[2 * id] = null;
        entries[2 * id + 1] = null;
        freeIds[freeCount++] = id;
    }

    /** Overwrites the value of entry {@code id} (inside the table's mutation window). */
    void setValueAt(int id, Object value) {
        entries[2 * id + 1] = value;
    }

    private static Node remove(Node n, long order, Object key, int id) {
        if (n == null) {
            return null;
        }
        if (n.id == id) {
            if (n.left == null) {
                return n.right;
            }
            if (n.right == null) {
                return n.left;
            }
            Node min = n.right;
            while (min.left != null) {
                min = min.left;
            }
            return balance(min.order, min.key, min.id, n.left, removeMin(n.right));
        }
        int c = Long.compareUnsigned(order, n.order);
        if (c == 0) {
            c = compareKeys(key, n.key);
            if (c == 0) { // either side may hold it
                Node left = remove(n.left, order, key, id);
                return left != n.left ? n.with(left, n.right) : n.with(n.left, remove(n.right, order, key, id));
            }
        }
        return c < 0 ? n.with(remove(n.left, order, key, id), n.right) : n.with(n.left, remove(n.right, order, key, id));
    }

    /** Removal by id alone, searching every subtree: for keys whose order changed after insertion. */
    private static Node removeAnywhere(Node n, int id) {
        if (n == null) {
            return null;
        }
        if (n.id == id) {
            return remove(n, n.order, n.key, id);
        }
        Node left = removeAnywhere(n.left, id);
        return left != n.left ? n.with(left, n.right) : n.with(n.left, removeAnywhere(n.right, id));
    }

    private static Node removeMin(Node n) {
        return n.left == null ? n.right : n.with(removeMin(n.left), n.right);
    }

    // ---- AVL balancing (on immutable nodes: every change makes new nodes) ----

    private static int height(Node n) {
        return n == null ? 0 : n.height;
    }

    private static int size(Node n) {
        return n == null ? 0 : n.size;
    }

    private static Node balance(long order, Object key, int id, Node left, Node right) {
        int lean = height(left) - height(right);
        if (lean > 1) {
            if (height(left.left) < height(left.right)) {
                left = rotateLeft(left);
            }
            return rotateRight(new Node(order, key, id, left, right));
        }
        if (lean < -1) {
            if (height(right.right) < height(right.left)) {
                right = rotateRight(right);
            }
            return rotateLeft(new Node(order, key, id, left, right));
        }
        return new Node(order, key, id, left, right);
    }

    private static Node rotateRight(Node n) {
        Node l = n.left;
        return new Node(l.order, l.key, l.id, l.left, new Node(n.order, n.key, n.id, l.right, n.right));
    }

    private static Node rotateLeft(Node n) {
        Node r = n.right;
        return new Node(r.order, r.key, r.id, new Node(n.order, n.key, n.id, n.left, r.left), r.right);
    }

    // ---- statistics and checking ----

    /** @return estimated bytes held (nodes and arrays, not the keys and values) */
    long estimatedBytes() {
        return OBJECT_BYTES + (long) NODE_BYTES * size()
                + (long) BucketArray.REFERENCE_BYTES * entries.length + (long) Integer.BYTES * freeIds.length;
    }

    /**
     * Checks the tree: order, balance, heights, sizes, ids, entries, and that no key is elsewhere.
     *
     * @param hashOf the mixed hash of a key
     * @param seen   keys found so far (in the arrays), with where; the tree's keys are added
     * @return entries held
     */
    int check(ToLongFunction<Object> hashOf, Map<Object, String> seen) {
        int[] live = {0};
        boolean[] ids = new boolean[highWater];
        checkNode(root, hashOf, seen, ids, live);
        int used = 0;
        for (int id = 0; id < highWater; id++) {
            boolean pair = entries[2 * id] != null;
            if (pair != ids[id]) {
                fail("entry " + id + (pair ? " holds a key but no node names it" : " is named by a node but empty"));
            }
            if (!pair && entries[2 * id + 1] != null) {
                fail("free entry " + id + " holds a value");
            }
            used += pair ? 1 : 0;
        }
        if (used + freeCount != highWater) {
            fail(used + " entries used and " + freeCount + " free, but " + highWater + " ids handed out");
        }
        for (int i = 0; i < freeCount; i++) {
            if (ids[freeIds[i]]) {
                fail("id " + freeIds[i] + " is both free and used");
            }
        }
        return live[0];
    }

    private void checkNode(Node n, ToLongFunction<Object> hashOf, Map<Object, String> seen,
                           boolean[] ids, int[] live) {
        if (n == null) {
            return;
        }
        checkNode(n.left, hashOf, seen, ids, live);
        if (n.height != 1 + Math.max(height(n.left), height(n.right)) || Math.abs(height(n.left) - height(n.right)) > 1
                || n.size != 1 + size(n.left) + size(n.right)) {
            fail("node " + n.key + " is unbalanced or miscounted");
        }
        if (n.left != null && compareNodes(n.left, n) > 0 || n.right != null && compareNodes(n, n.right) > 0) {
            fail("node " + n.key + " is out of order with a child");
        }
        if (n.id < 0 || n.id >= ids.length || ids[n.id]) {
            fail("node " + n.key + " has a bad or duplicate id " + n.id);
        }
        ids[n.id] = true;
        if (entries[2 * n.id] != n.key) {
            fail("entry " + n.id + " does not hold the key of its node " + n.key);
        }
        if (order(hashOf.applyAsLong(n.key)) != n.order || orders[n.id] != n.order) {
            fail("node " + n.key + " is filed under another hash");
        }
        if (!admits(n.key)) {
            fail("key " + n.key + " of a class the tree cannot order");
        }
        String previous = seen.put(n.key, "collision tree entry " + n.id);
        if (previous != null) {
            fail("key " + n.key + " twice: " + previous + " and in the collision tree");
        }
        live[0]++;
        checkNode(n.right, hashOf, seen, ids, live);
    }

    private static int compareNodes(Node a, Node b) {
        int c = Long.compareUnsigned(a.order, b.order);
        return c != 0 ? c : compareKeys(a.key, b.key);
    }

    private static void fail(String message) {
        throw new IllegalStateException("collision tree invariant violated: " + message);
    }
}
