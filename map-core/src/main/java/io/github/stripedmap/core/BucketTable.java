package io.github.stripedmap.core;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * The bucket-table engine: a hash table of Go-runtime-style buckets of eight slots with progressive
 * (incremental) growth, same-size rebuild and shrink. {@link BucketMap} is one table; every stripe of
 * the concurrent {@code StripedMap} is one table. Keys are non-null {@code Object}s compared with
 * {@code equals}; values may be anything (null included, the map layer decides).
 *
 * <h2>Shape</h2>
 * A table holds a <em>current</em> {@link BucketArray} of {@code 2^B} main buckets and, while a
 * migration runs, the <em>old</em> array it is migrating from. A bucket has eight tophash bytes in one
 * {@code long} (matched eight at a time, see {@link Tophash}), eight key/value pairs, and an overflow
 * chain. A key's 64-bit hash is its {@code hashCode()} mixed with the table's random seed (a
 * multiply, a fold with the seed, a widening multiply and a fold, see {@link #mix}): the low
 * {@code B} bits pick the bucket, the top byte is the tophash, and the bits in between are free for a
 * caller that needs more (the concurrent map picks stripes with a separately seeded mix, so stripe,
 * bucket and tophash bits are independent). The seed is re-randomised whenever
 * the table becomes empty, so collisions cannot be predicted across a map's life.
 *
 * <h2>Tophash states</h2>
 * {@link Tophash#EMPTY_REST} (this and every later slot of the chain are empty, so a lookup stops),
 * {@link Tophash#EMPTY_ONE} (empty, keep looking), {@link Tophash#EVACUATED_X},
 * {@link Tophash#EVACUATED_Y}, {@link Tophash#EVACUATED_EMPTY} (old array only: where the slot's entry
 * went), and live values {@code >= MIN_TOPHASH}. An old main bucket is evacuated iff its slot 0 carries
 * an evacuation marker.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Every entry is in exactly one place: in the current array, or in an unevacuated old bucket.</li>
 *   <li>An entry in the current array sits in the chain of bucket {@code hash & mask}; an entry in an
 *       unevacuated old bucket {@code ob} has {@code hash & oldMask == ob}. A key is in the current array
 *       only if its old bucket has been evacuated (writers evacuate it before inserting).</li>
 *   <li>A live slot's tophash is {@code Tophash.of(hash)}; an empty slot holds null key and value.</li>
 *   <li>After an {@code EMPTY_REST} slot, every slot of the bucket and of its overflow chain is
 *       {@code EMPTY_REST}. Chains are acyclic; as a freed overflow bucket may be reused behind a bucket of
 *       a larger id, a torn read can see a cycle, so every loop over a chain is bounded by the array's
 *       {@code overflowCount}.</li>
 *   <li>A removal by key keeps its chain compact: the chain's last entry moves into the emptied slot, and
 *       an overflow bucket left empty at the end of a chain is unlinked onto the array's free list, from
 *       which the next chain to need an overflow bucket takes it. So the overflow buckets in use are the
 *       ones the entries need ({@code ceil(n/8) - 1} for a chain of {@code n}), and the allocated ones
 *       stay near the most in use at once. A removal by position during a position walk (an iterator's
 *       {@code remove()}) moves nothing, so a chain can keep emptied buckets before a live one.</li>
 *   <li>{@code count} is the number of live slots; {@code evacuated} the number of evacuated old main
 *       buckets; {@code overflowCount} of each array the overflow buckets it allocated (in chains or
 *       free).</li>
 * </ul>
 *
 * <h2>Migration protocol</h2>
 * An insert of a new key starts a <b>doubling</b> when {@code count > 8} and
 * {@code count > LOAD_NUM / LOAD_DEN * buckets} (6.5 per bucket, Go's factor), or a <b>same-size
 * rebuild</b> when the array has {@code >= 2^min(B, 15)} overflow buckets without being overloaded (in
 * Go, where deletes leave emptied overflow buckets linked, that is how churn gets its memory back; here,
 * with compact chains and the free list, the overflow buckets in use stay below {@code count / 8}, and
 * only chains thinned by iterator removals get there).
 * A delete starts a <b>shrink</b> to half the buckets when {@code count < 6.5 / SHRINK_LOAD_DIVISOR *
 * buckets} and {@code B} is above the floor set by the initial capacity. The thresholds are a factor of
 * two apart on either side (a doubling leaves the load at 3.25, a shrink needs it below 1.625 and leaves
 * it below 3.25), so a map hovering at a boundary never thrashes. Only one migration runs at a time; the
 * next one is considered by the first write after it ends.
 * <p>Starting a migration allocates the new array's tag words, link bitmap and segment directory (the
 * only step whose cost grows with the table: 8 bytes per new bucket) and keeps the old one; the new
 * array's slot segments (64 bytes per bucket) are allocated one 256 KiB segment at a time, by the first
 * evacuation whose destination lies in each (see {@link BucketArray}; a compaction allocates them at once).
 * Every later insert of a new key or delete first evacuates the old bucket its key
 * maps to and then the next unevacuated old bucket in index order: at most two old buckets per write.
 * Reads and overwrites of an existing key move nothing (so a single-threaded map may overwrite while it
 * iterates, as with {@code HashMap}). Evacuating old bucket {@code i} moves its chain to new bucket {@code i} (X) or
 * {@code i + oldBuckets} (Y) by the next hash bit for a doubling, to {@code i} for a same-size rebuild and
 * to {@code i & newMask} for a shrink, then marks the old slots and clears their references (a doubling
 * first turns the hash bits of the bucket's keys into a mask of the Y slots, then moves each half in a loop
 * of its own: no branch on a bit that is a coin toss per entry). Reads look
 * in the old bucket while it is unevacuated, otherwise in the new one; outside a migration a lookup
 * reaches the current array's tags and slots through copies of their references kept in the table
 * itself (one dependent load fewer; stored with {@code current}, checked by {@link #checkInvariants()}).
 * After the last old bucket, the
 * old array is released. When a delete empties the table, both arrays are released at once (nothing is
 * left to move) and the seed is re-randomised. {@link #compact()} finishes a migration at once and then
 * rebuilds into the smallest array that holds the entries.
 *
 * <h2>Hash flooding: the collision tree</h2>
 * Keys with equal hash codes share a bucket and a tophash whatever the seed, so a flood of them would
 * make one chain, and every operation on it a scan. When an insert finds the first
 * {@link #TREE_CHAIN_BUCKETS} buckets of its chain full and its key's class {@code C} implements
 * {@code Comparable<C>}, the entry goes to the table's {@link CollisionTree} instead: ordered by hash,
 * then {@code compareTo}, {@code O(log n)} per operation. At normal load such a chain does not occur
 * (32 entries in a bucket whose average is at most 6.5), so the tree is {@code null} and costs one
 * field read per miss. Tree entries have no bucket: migrations leave them alone, they do not count in
 * the load that decides growth and shrink, and a position with {@code TREE_POSITION} set is a tree id.
 * The tree goes when its last entry does, or when the table is emptied. Unordered keys stay in the
 * chain (nothing but {@code equals} can tell them apart).
 *
 * <h2>Failures</h2>
 * No mutation window allocates or runs user code that may throw (except {@code hashCode()} during a
 * doubling, whose failure is caught, the table kept whole and the exception rethrown after the window
 * closes): new arrays, overflow chunks, link tables and tree nodes are allocated before the window and
 * installed inside it ({@link BucketArray#reservation}, {@link #reserveSegments}), and every window that stores more than one
 * word closes in a {@code finally}. So an {@code OutOfMemoryError} or a broken key leaves the table
 * consistent and the version even. A growth whose new array cannot be allocated is deferred (the insert
 * goes on into a longer chain) and retried after the table grew by 1/16; a shrink likewise. A slot
 * segment that cannot be allocated fails its evacuation as an overflow chunk would: the table unchanged. A removal
 * whose migration step fails afterwards still succeeds; the step is retried by the next write.
 *
 * <h2>Concurrency and memory ordering</h2>
 * All writes must be serialised by the owner (one thread for {@code BucketMap}, the stripe lock for a
 * concurrent map). Every store to the table happens inside a mutation window of the inherited
 * {@link MutationVersion} seqlock: evacuation of one bucket, the store of one insert/overwrite/removal
 * (a removal's move of its chain's last entry into the emptied slot and the freeing of emptied overflow
 * buckets happen in the removal's window, so a validated read finds the moved entry in exactly one place),
 * swapping arrays. No user code runs inside a window except {@code hashCode()} of keys moved by a
 * doubling; {@code equals} runs during lookups, outside windows. Optimistic readers call
 * {@link #get(Object, int, Object)} between {@link #beginRead()} and {@link #unchangedSince(int)}: it
 * only loads, and a torn read may make it return garbage or throw, so a reader trusts neither the value
 * nor an exception until validation succeeds. {@link #getValidated(Object, int)} is that read, packaged:
 * one pass of the short lookup (no migration, key at its main bucket's first tag match or certainly
 * absent) between a non-waiting load of the version and the validating one, and the general loop if
 * that pass is inconclusive, torn or threw. The single-threaded map calls {@code get} without validation.
 */
public final class BucketTable extends MutationVersion {

    /** Slots per bucket, as in Go: eight tophash bytes fill one {@code long}. */
    public static final int SLOTS_PER_BUCKET = 8;
    /** Load factor numerator: growth past 13/2 = 6.5 entries per bucket on average (Go's value). */
    public static final int LOAD_NUM = 13;
    /** Load factor denominator. */
    public static final int LOAD_DEN = 2;
    /** Shrink when the load falls below 1/4 of the growth threshold: a factor two below a fresh doubling's load. */
    public static final int SHRINK_LOAD_DIVISOR = 4;
    /** Same-size rebuild when overflow buckets reach {@code 2^min(B, MAX_OVERFLOW_BITS)} (Go's cap). */
    public static final int MAX_OVERFLOW_BITS = 15;
    /**
     * Largest array: 2^25 main buckets (a slot array of 2^29 references) leave bucket ids below 2^26,
     * so a position and its two flag bits fit in an int. A table at this size keeps accepting entries
     * in longer chains.
     */
    public static final int MAX_BUCKET_BITS = 25;
    /**
     * A key whose bucket chain is full for this many buckets (32 entries: at the normal load of at
     * most 6.5 per bucket, a chance below 10^-10 per bucket) goes to the collision tree instead of a
     * longer chain, if its class can be ordered: such a chain only arises from hash codes that collide.
     */
    public static final int TREE_CHAIN_BUCKETS = 4;
    /** Old buckets evacuated by one write at most: the written key's and the next in order. */
    public static final int MAX_EVACUATIONS_PER_WRITE = 2;

    /** How many already-evacuated buckets one write may skip looking for the next (Go uses 1024). */
    private static final int MAX_CURSOR_SKIP = 1024;
    /** Multiplier of the hash mix: 2^64 divided by the golden ratio, odd (Fibonacci hashing). */
    private static final long MIX_MULTIPLIER = 0x9E3779B97F4A7C15L;
    /** The mix folds a product's high 32 bits onto its low 32 before the second multiply. */
    private static final int HALF_WORD = Integer.SIZE;
    /** Slot-in-bucket mask of a position. */
    private static final int SLOT_MASK = SLOTS_PER_BUCKET - 1;
    /** Position flag: the position is in the old array. Bucket ids stay below 2^26, positions below 2^29. */
    private static final int OLD_ARRAY = 1 << 30;
    /** Position flag: the position is an id of the collision tree (ids stay below 2^29). */
    private static final int TREE_POSITION = 1 << 29;
    /** A failed growth allocation is retried after the table grew by 1/2^this of its size. */
    private static final int GROWTH_RETRY_SHIFT = 4;
    /** Estimated bytes of the table object itself. */
    private static final int TABLE_BYTES = 56;
    /** The array of a table that holds nothing yet: shared, never written; a real one is allocated on the first insert. */
    private static final BucketArray UNALLOCATED = new BucketArray(0);
    /** {@link #quickFind}'s answer when its short path cannot decide (never a stored value): look again. */
    private static final Object QUICK_UNSURE = new Object();
    /** Index of the cursor of a doubling's low half (new bucket {@code i}), also a same-size rebuild's only one. */
    private static final int LOW_HALF = 0;
    /** Index of the cursor of a doubling's high half (new bucket {@code i + oldBuckets}). */
    private static final int HIGH_HALF = 1;

    private BucketArray current = UNALLOCATED;
    /**
     * {@code current.tags} and {@code current.segments}, kept beside {@link #current} (stored with it, by
     * {@link #setCurrent}) so that a lookup outside a migration reaches its bucket from the table in one
     * dependent load instead of two: the chain of dependent loads before a lookup's first cache miss is
     * what a read costs beyond its misses.
     */
    private long[] currentTags = UNALLOCATED.tags;
    private Object[][] currentSegments = UNALLOCATED.segments;
    /** Non-null exactly while a migration runs. */
    private BucketArray old;
    /** Non-null exactly while a migration runs. */
    private MigrationKind migration;
    /** Old main buckets evacuated so far. */
    private int evacuated;
    /** No old bucket below this index is unevacuated (Go's {@code nevacuate}). */
    private int evacuationCursor;
    private int count;
    private long seed = newSeed();
    /** The bucket bits a shrink never goes below (from the initial capacity). */
    private final int minBits;
    /** The bucket bits a doubling never goes above. */
    private final int maxBits;
    /** Entries that flooded a chain, ordered by hash and {@code compareTo}; null while there are none. */
    private CollisionTree tree;
    /** After a growth failed to allocate, no new growth starts before {@code count} reaches this. */
    private int growthRetryCount;
    private TableObserver observer = TableObserver.NONE;
    /**
     * The destination cursors of {@link #evacuate}, at {@link #LOW_HALF} and {@link #HIGH_HALF}: made by a
     * migration's first evacuation and dropped at its end, so a table holds them only while it migrates (and a
     * copy of the table makes its own). One field, not two: the object's 8-byte alignment had room for one
     * more reference, so this one costs no byte.
     */
    private DestinationChain[] halves;

    /**
     * Creates an empty table; nothing is allocated until the first insert.
     *
     * @param initialCapacity entries the table should hold without growing; it also never shrinks below
     *                        that size
     * @throws IllegalArgumentException if negative
     */
    public BucketTable(int initialCapacity) {
        this(initialCapacity, MAX_BUCKET_BITS);
    }

    /**
     * A table that never grows past {@code 2^maxBucketBits} main buckets: lets tests reach the maximum
     * size with a small heap.
     */
    BucketTable(int initialCapacity, int maxBucketBits) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity < 0: " + initialCapacity);
        }
        if (maxBucketBits < 0 || maxBucketBits > MAX_BUCKET_BITS) {
            throw new IllegalArgumentException("maxBucketBits out of [0, " + MAX_BUCKET_BITS + "]: " + maxBucketBits);
        }
        this.maxBits = maxBucketBits;
        this.minBits = Math.min(maxBucketBits, bitsFor(initialCapacity));
    }

    /** The smallest bucket bits at which {@code entries} do not exceed the load factor (capped). */
    static int bitsFor(long entries) {
        int bits = 0;
        while (bits < MAX_BUCKET_BITS && overLoaded(entries, bits)) {
            bits++;
        }
        return bits;
    }

    private static boolean overLoaded(long entries, int bits) {
        return entries > SLOTS_PER_BUCKET && entries * LOAD_DEN > ((long) LOAD_NUM << bits);
    }

    private static boolean underLoaded(long entries, int bits) {
        return entries * LOAD_DEN * SHRINK_LOAD_DIVISOR < ((long) LOAD_NUM << bits);
    }

    /**
     * Go's rule: {@code noverflow >= 2^min(B, 15)}, where for {@code B > 15} Go counts an overflow
     * bucket only with probability {@code 2^-(B-15)}. The exact count is scaled the same way, so for
     * large tables the threshold stays one overflow bucket per main bucket (as in Go) instead of a
     * fixed 32768, which a table at normal load reaches and would rebuild over and over.
     */
    private static boolean tooManyOverflow(int overflowBuckets, int bits) {
        int scaled = overflowBuckets >>> Math.max(0, bits - MAX_OVERFLOW_BITS);
        return scaled >= 1 << Math.min(bits, MAX_OVERFLOW_BITS);
    }

    private static long newSeed() {
        return ThreadLocalRandom.current().nextLong();
    }

    /**
     * The 64-bit hash of a key. Its {@code hashCode()} times an odd constant spreads the hash code's
     * bits upward; the product's high half, which depends on every bit of the hash code, is folded down
     * onto the low half together with the seed; then a second, 128-bit product by the same constant has
     * its high half folded onto its low half (the "mum" step of wyhash). The low bits of each product
     * depend only on the low bits of its input, which is why the fold comes between them: the bucket bits
     * and the top byte (tophash) then depend on every bit of the hash code. Weaker mixes, measured (each
     * a product by a constant): {@code hashCode ^ seed} straight into the 128-bit product gave a high
     * half close to a linear function of the key; it fails 6 of {@code HashQualityTest}'s 11 key sets
     * (ids times 31, 1,000, 12,345, 65,537 and timestamps a second apart crowd a bucket for 4% to 10% of
     * seeds, a random function for about 1%; ids times 2^17 overflow up to 1,071 buckets of 4,096), and 21
     * of 20,000 maps of 15,000 ids times 1,000 got collision-tree entries ({@code scripts/adhoc/TreeCount.java});
     * without the fold between the products, ids times 2^16 and 2^17 overflow up to 128 and 129 buckets
     * (a random function: about 51); an even earlier fold of a 64-bit product's halves crowded multiples
     * of 4 into a quarter of the buckets. Three multiplies, the last two in parallel ({@code Math.multiplyHigh} is a JIT intrinsic).
     */
    static long mix(int hashCode, long seed) {
        long spread = hashCode * MIX_MULTIPLIER;
        long x = (spread ^ seed) ^ (spread >>> HALF_WORD);
        return Math.multiplyHigh(x, MIX_MULTIPLIER) ^ (x * MIX_MULTIPLIER);
    }

    private BucketTable(BucketTable source) {
        this.minBits = source.minBits;
        this.maxBits = source.maxBits;
        this.tree = source.tree == null ? null : source.tree.copy();
        this.growthRetryCount = source.growthRetryCount;
        this.seed = source.seed;
        this.count = source.count;
        this.migration = source.migration;
        this.evacuated = source.evacuated;
        this.evacuationCursor = source.evacuationCursor;
        setCurrent(source.current == UNALLOCATED ? UNALLOCATED : source.current.copy());
        this.old = source.old == null ? null : source.old.copy();
    }

    /**
     * A structural copy: the same arrays (copied, not shared), seed and migration state, with no
     * observer. Costs one array copy per array; reports nothing.
     *
     * @return the copy
     */
    public BucketTable copy() {
        return new BucketTable(this);
    }

    /**
     * Sets who is told about migrations and cleanups.
     *
     * @param observer the observer, or null for none
     */
    public void setObserver(TableObserver observer) {
        this.observer = observer == null ? TableObserver.NONE : observer;
    }

    /** @return the observer (never null) */
    public TableObserver observer() {
        return observer;
    }

    /** @return the number of entries */
    public int size() {
        return count;
    }

    // =====================================================================================
    // Reads (optimistic-reader safe: loads only, bounded loops)
    // =====================================================================================

    /**
     * Looks a key up. Safe for an optimistic reader (see the class comment); then the result counts
     * only if the version is unchanged afterwards.
     *
     * @param key      the key (non-null)
     * @param hashCode its {@code hashCode()}
     * @param absent   what to return when the key is not there
     * @return its value, or {@code absent}
     */
    public Object get(Object key, int hashCode, Object absent) {
        Object value = quickFind(key, hashCode, absent);
        return value != QUICK_UNSURE ? value : getCarefully(key, hashCode, absent);
    }

    /**
     * The value of {@code key}, or null if it is absent, for a reader that holds no lock: an optimistic
     * read validated against the version. The common cases (no migration, and the key at the first tag
     * match of its main bucket or absent from a bucket that ends the chain) take {@link #quickFind}'s
     * short path once; anything else, a window open or a torn read, goes to a loop that waits for closed
     * windows and retries until a read validates. An exception thrown by the key's {@code equals} is
     * rethrown only from a validated read.
     *
     * @param key      the key (non-null)
     * @param hashCode its {@code hashCode()}
     * @return its value, or null
     */
    public Object getValidated(Object key, int hashCode) {
        int stamp = peekStamp();
        if ((stamp & 1) == 0) {
            try {
                Object value = quickFind(key, hashCode, null);
                if (value != QUICK_UNSURE && unchangedSince(stamp)) {
                    return value;
                }
            } catch (RuntimeException e) {
                // a torn read or the key's own equals: the loop below tells which
            }
        }
        return getValidatedCarefully(key, hashCode);
    }

    /**
     * {@link #getValidated}'s general case: every kind of lookup, retried until it validates. Goes straight to
     * {@link #getCarefully}: the short pass has been tried, and a second one would only call {@code equals}
     * on the same first candidate again.
     */
    private Object getValidatedCarefully(Object key, int hashCode) {
        while (true) {
            int stamp = beginRead();
            Object value;
            try {
                value = getCarefully(key, hashCode, null);
            } catch (RuntimeException e) {
                if (unchangedSince(stamp)) {
                    throw e; // thrown by the key's own equals, not by a torn read
                }
                continue;
            }
            if (unchangedSince(stamp)) {
                return value;
            }
        }
    }

    /**
     * The common lookups, kept short so that the compiled read stays small: outside a migration, the
     * value of {@code key} if it is at the first tag match of its main bucket; {@code absent} if no tag
     * of the main bucket matches and nothing can be beyond it (the bucket has a free slot or no overflow
     * chain, and there is no collision tree); else {@link #QUICK_UNSURE}. Loads only: safe for an
     * optimistic reader.
     */
    private Object quickFind(Object key, int hashCode, Object absent) {
        if (old != null) {
            return QUICK_UNSURE;
        }
        long h = mix(hashCode, seed);
        long[] tags = currentTags;
        int b = (int) h & (tags.length - 1); // an array's mask is its bucket count - 1
        long word = tags[b];
        long m = Tophash.matches(word, Tophash.of(h));
        if (m != 0) {
            Object[] slots = BucketArray.segmentOf(currentSegments, b);
            int k = BucketArray.segmentBase(b) + (Tophash.firstSlot(m) << 1);
            Object candidate = slots[k];
            return candidate == key || key.equals(candidate) ? slots[k + 1] : QUICK_UNSURE;
        }
        return (Tophash.emptyRest(word) != 0 || !current.hasLink(b)) && tree == null ? absent : QUICK_UNSURE;
    }

    /** {@link #get}'s general case: any state of the table, any position of the key. */
    private Object getCarefully(Object key, int hashCode, Object absent) {
        long h = mix(hashCode, seed);
        int top = Tophash.of(h);
        // No migration: the current array, through the copies of its references beside the table's fields.
        BucketArray a = old == null ? null : arrayHolding(h);
        long[] tags = a == null ? currentTags : a.tags;
        Object[][] segments = a == null ? currentSegments : a.segments;
        int b = (int) h & (tags.length - 1); // an array's mask is its bucket count - 1
        int slot = slotInMainBucket(tags, segments, b, key, top);
        if (slot >= 0) {
            return BucketArray.segmentOf(segments, b)[BucketArray.segmentBase(b) + (slot << 1) + 1];
        }
        return getBeyondMainBucket(a == null ? current : a, b, key, top, h, absent);
    }

    /**
     * The rest of {@link #get} when the key is not among main bucket {@code b}'s own slots: its overflow
     * chain, then the collision tree.
     */
    private Object getBeyondMainBucket(BucketArray a, int b, Object key, int top, long h, Object absent) {
        if (Tophash.emptyRest(a.tags[b]) == 0 && a.hasOverflow()) {
            int pos = searchOverflow(a, b, key, top);
            if (pos >= 0) {
                return valueAt(a, pos);
            }
        }
        CollisionTree t = tree;
        if (t == null) {
            return absent;
        }
        int id = t.find(h, key);
        return id < 0 ? absent : t.valueAt(id);
    }

    /** The array whose chain holds hash {@code h}: the old one while its bucket is unevacuated. */
    private BucketArray arrayHolding(long h) {
        BucketArray o = old;
        if (o != null && !isEvacuated(o, (int) h & o.mask)) {
            return o;
        }
        return current;
    }

    private static boolean isEvacuated(BucketArray o, int oldBucket) {
        return Tophash.isEvacuationMarker(Tophash.get(o.tags[oldBucket], 0));
    }

    /**
     * The slot of {@code key} among main bucket {@code b}'s own eight, or -1. Loads slot 0's key before the
     * tag word: both loads miss in a large table, and the key's address does not depend on the tags, so
     * they overlap (memory-level parallelism) instead of forming a chain of three misses (tags, slots,
     * key). Most hits are in the first slots, on the same cache line.
     */
    private static int slotInMainBucket(long[] tags, Object[][] segments, int b, Object key, int top) {
        Object[] slots = BucketArray.segmentOf(segments, b);
        int base = BucketArray.segmentBase(b);
        Object first = slots[base];
        long word = tags[b];
        if (first == key) {
            return 0;
        }
        for (long m = Tophash.matches(word, top); m != 0; m &= m - 1) {
            int slot = Tophash.firstSlot(m);
            Object candidate = slots[base + (slot << 1)];
            if (candidate == key || key.equals(candidate)) {
                return slot;
            }
        }
        return -1;
    }

    /** Position ({@code id << 3 | slot}) of {@code key} in the chain of main bucket {@code b}, or -1. */
    private static int search(BucketArray a, int b, Object key, int top) {
        int slot = slotInMainBucket(a.tags, a.segments, b, key, top);
        if (slot >= 0) {
            return b << BucketArray.POSITION_SHIFT | slot;
        }
        if (Tophash.emptyRest(a.tags[b]) != 0 || !a.hasOverflow()) {
            return -1;
        }
        return searchOverflow(a, b, key, top);
    }

    /** Searches the overflow chain behind main bucket {@code b} (whose own slots were searched). */
    private static int searchOverflow(BucketArray a, int b, Object key, int top) {
        int budget = a.overflowCount;
        for (int id = a.nextOf(b); id != BucketArray.NONE && budget-- > 0; id = a.nextOf(id)) {
            long word = a.tagsOf(id);
            Object[] slots = a.slotsOf(id);
            int base = a.baseOf(id);
            for (long m = Tophash.matches(word, top); m != 0; m &= m - 1) {
                int slot = Tophash.firstSlot(m);
                Object candidate = slots[base + (slot << 1)];
                if (candidate == key || key.equals(candidate)) {
                    return id << BucketArray.POSITION_SHIFT | slot;
                }
            }
            if (Tophash.emptyRest(word) != 0) {
                return -1;
            }
        }
        return -1;
    }

    private static Object valueAt(BucketArray a, int pos) {
        int id = pos >>> BucketArray.POSITION_SHIFT;
        return a.slotsOf(id)[a.baseOf(id) + ((pos & SLOT_MASK) << 1) + 1];
    }

    private static Object keyAt(BucketArray a, int pos) {
        int id = pos >>> BucketArray.POSITION_SHIFT;
        return a.slotsOf(id)[a.baseOf(id) + ((pos & SLOT_MASK) << 1)];
    }

    // =====================================================================================
    // Writes (owner-serialised)
    // =====================================================================================

    /**
     * The mixed hash of a key for the write calls below; valid until the table is emptied (which
     * re-seeds it), so compute it once per write operation.
     *
     * @param hashCode the key's {@code hashCode()}
     * @return the mixed hash
     */
    public long hash(int hashCode) {
        return mix(hashCode, seed);
    }

    /**
     * Does the migration work of a write of hash {@code h}: evacuates the old bucket of {@code h} and
     * the next unevacuated one (at most {@link #MAX_EVACUATIONS_PER_WRITE} old buckets). {@link #insert}
     * and {@link #removeAt} call it; an owner may call it to make a write that changes nothing else
     * still advance a migration.
     *
     * @param h the mixed hash
     */
    public void prepareWrite(long h) {
        if (migration != null) {
            observer.evacuationWorkStarting();
            evacuate((int) h & old.mask);
            if (migration != null) {
                evacuateNext();
            }
        }
    }

    /**
     * Finds a key for a write, without doing any migration work (so an overwrite never moves entries).
     *
     * @param key the key (non-null)
     * @param h   its mixed hash
     * @return its position (valid until the next structural write), or a negative value if absent
     */
    public int lookup(Object key, long h) {
        BucketArray a = arrayHolding(h);
        int pos = search(a, (int) h & a.mask, key, Tophash.of(h));
        if (pos >= 0) {
            return a == current ? pos : pos | OLD_ARRAY;
        }
        CollisionTree t = tree;
        if (t == null) {
            return -1;
        }
        int id = t.find(h, key);
        return id < 0 ? -1 : id | TREE_POSITION;
    }

    private BucketArray arrayOf(int pos) {
        return (pos & OLD_ARRAY) == 0 ? current : old;
    }

    private static boolean inTree(int pos) {
        return (pos & TREE_POSITION) != 0;
    }

    /**
     * @param pos a position from {@link #lookup}
     * @return the value there
     */
    public Object valueAt(int pos) {
        return inTree(pos) ? tree.valueAt(pos & ~TREE_POSITION) : valueAt(arrayOf(pos), pos & ~OLD_ARRAY);
    }

    /**
     * @param pos a position from {@link #lookup}
     * @return the key there
     */
    public Object keyAt(int pos) {
        return inTree(pos) ? tree.keyAt(pos & ~TREE_POSITION) : keyAt(arrayOf(pos), pos & ~OLD_ARRAY);
    }

    /**
     * Replaces the value at a position (no structural change, no migration work).
     *
     * @param pos   a position from {@link #lookup}
     * @param value the new value
     */
    public void setValueAt(int pos, Object value) {
        if (inTree(pos)) {
            beginMutation();
            tree.setValueAt(pos & ~TREE_POSITION, value);
            endMutation();
        } else {
            setValueAt(arrayOf(pos), pos & ~OLD_ARRAY, value);
        }
    }

    private void setValueAt(BucketArray a, int pos, Object value) {
        int id = pos >>> BucketArray.POSITION_SHIFT;
        Object[] slots = a.slotsOf(id);
        int index = a.baseOf(id) + ((pos & SLOT_MASK) << 1) + 1;
        beginMutation();
        slots[index] = value;
        endMutation();
    }

    /**
     * Inserts a key known to be absent (a failed {@link #lookup} with the same {@code h} and no write
     * since). May start a growth; does the write's migration work first.
     *
     * @param key   the key (non-null)
     * @param h     its mixed hash
     * @param value the value
     */
    public void insert(Object key, long h, Object value) {
        if (current == UNALLOCATED) {
            BucketArray fresh = new BucketArray(minBits);
            beginMutation();
            setCurrent(fresh);
            endMutation();
        } else {
            if (migration == null) {
                int bits = current.bits;
                if (overLoaded(inArrays() + 1L, bits)) {
                    if (bits < maxBits && count >= growthRetryCount) {
                        tryStartGrowth(MigrationKind.DOUBLE, MigrationTrigger.LOAD, bits + 1);
                    }
                } else if (tooManyOverflow(current.overflowCount, bits) && count >= growthRetryCount) {
                    tryStartGrowth(MigrationKind.SAME_SIZE, MigrationTrigger.OVERFLOW, bits);
                }
            }
            prepareWrite(h);
        }
        BucketArray a = current;
        int b = (int) h & a.mask;
        if (Tophash.free(a.tags[b]) == 0) { // the main bucket is full: the chain may need a new bucket
            if (firstBucketsFull(a, b, TREE_CHAIN_BUCKETS) && CollisionTree.admits(key)) {
                insertIntoTree(key, h, value);
                return;
            }
            if (wholeChainFull(a, b)) {
                reserveOverflow(a, 1, 1);
            }
        }
        beginMutation();
        try {
            place(a, b, Tophash.of(h), key, value);
            count++;
        } finally {
            endMutation();
        }
    }

    /** Entries held in the bucket arrays (the load that growth and shrink decisions look at). */
    private int inArrays() {
        CollisionTree t = tree;
        return t == null ? count : count - t.size();
    }

    /** True if the first {@code buckets} buckets of main bucket {@code b}'s chain exist and are full. */
    private static boolean firstBucketsFull(BucketArray a, int b, int buckets) {
        int id = b;
        for (int i = 0; i < buckets; i++) {
            if (id == BucketArray.NONE || Tophash.free(a.tagsOf(id)) != 0) {
                return false;
            }
            id = a.nextOf(id);
        }
        return true;
    }

    /** True if no bucket of main bucket {@code b}'s chain has a free slot: an insert appends a bucket. */
    private static boolean wholeChainFull(BucketArray a, int b) {
        for (int id = b, budget = a.overflowCount; id != BucketArray.NONE && budget-- >= 0; id = a.nextOf(id)) {
            if (Tophash.free(a.tagsOf(id)) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes sure the next {@code n} overflow buckets of {@code a}, behind at most {@code newLinks} main
     * buckets that have none yet, need no allocation, so that a mutation window never fails half-way for
     * want of memory. Allocates before the window, installs inside it.
     */
    private void reserveOverflow(BucketArray a, int n, int newLinks) {
        if (n == 0) {
            return;
        }
        BucketArray.Reservation r = a.reservation(n, newLinks);
        if (r != null) {
            beginMutation();
            a.install(r);
            endMutation();
        }
    }

    /** Starts a growth unless its arrays cannot be allocated; then the insert goes on and growth is retried later. */
    private void tryStartGrowth(MigrationKind kind, MigrationTrigger trigger, int newBits) {
        try {
            startMigration(kind, trigger, newBits);
            growthRetryCount = 0;
        } catch (OutOfMemoryError e) {
            growthRetryCount = count + Math.max(SLOTS_PER_BUCKET, count >>> GROWTH_RETRY_SHIFT);
            observer.migrationDeferred(kind, current.buckets, 1 << newBits);
        }
    }

    private void insertIntoTree(Object key, long h, Object value) {
        CollisionTree t = tree == null ? new CollisionTree() : tree;
        CollisionTree.Change change = t.prepareInsert(h, key);
        beginMutation();
        try {
            tree = t;
            t.install(change, key, value);
            count++;
        } finally {
            endMutation();
        }
        int entries = t.size();
        if ((entries & (entries - 1)) == 0) {
            observer.collisionTreeGrew(entries);
        }
    }

    /** Removes entry {@code id} of the collision tree; releases everything if it was the last entry. */
    private void removeFromTree(int id) {
        CollisionTree t = tree;
        CollisionTree.Node newRoot = t.prepareRemove(id);
        beginMutation();
        try {
            t.installRemoval(newRoot, id);
            if (newRoot == null) {
                tree = null;
            }
            count--;
        } finally {
            endMutation();
        }
        if (count == 0) {
            release(CleanupReason.RESEED, 0);
        }
    }

    /** Stores an entry in the first free slot of main bucket {@code b}'s chain, growing the chain if full. */
    private static void place(BucketArray a, int b, int top, Object key, Object value) {
        long word = a.tags[b];
        long free = Tophash.free(word);
        if (free != 0) {
            int slot = Tophash.firstSlot(free);
            Object[] slots = BucketArray.segmentOf(a.segments, b);
            int k = BucketArray.segmentBase(b) + (slot << 1);
            slots[k] = key;
            slots[k + 1] = value;
            a.tags[b] = Tophash.with(word, slot, top);
            return;
        }
        int id = b;
        while (true) {
            int next = a.nextOf(id);
            id = next == BucketArray.NONE ? a.appendOverflow(id) : next;
            word = a.tagsOf(id);
            free = Tophash.free(word);
            if (free != 0) {
                int slot = Tophash.firstSlot(free);
                Object[] slots = a.slotsOf(id);
                int k = a.baseOf(id) + (slot << 1);
                slots[k] = key;
                slots[k + 1] = value;
                a.setTags(id, Tophash.with(word, slot, top));
                return;
            }
        }
    }

    /**
     * Inserts or overwrites.
     *
     * @param key    the key (non-null)
     * @param h      its mixed hash
     * @param value  the value
     * @param absent returned when there was no previous mapping
     * @return the previous value, or {@code absent}
     */
    public Object put(Object key, long h, Object value, Object absent) {
        int pos = lookup(key, h);
        if (pos >= 0) {
            Object previous = valueAt(pos);
            setValueAt(pos, value);
            return previous;
        }
        insert(key, h, value);
        return absent;
    }

    /**
     * Removes a key.
     *
     * @param key    the key (non-null)
     * @param h      its mixed hash
     * @param absent returned when there was no mapping
     * @return the removed value, or {@code absent}
     */
    public Object remove(Object key, long h, Object absent) {
        int pos = lookup(key, h);
        if (pos < 0) {
            return absent;
        }
        Object previous = valueAt(pos);
        removeAt(pos, h);
        return previous;
    }

    /**
     * Removes the entry at a position, then does the write's migration work; may start a shrink, or
     * release everything if the table became empty.
     *
     * @param pos a position from {@link #lookup}
     * @param h   the mixed hash of its key
     */
    public void removeAt(int pos, long h) {
        if (inTree(pos)) {
            removeFromTree(pos & ~TREE_POSITION);
        } else {
            BucketArray a = arrayOf(pos);
            removeAt(a, pos & ~OLD_ARRAY, (int) h & a.mask, true);
        }
        if (count != 0) {
            try {
                prepareWrite(h);
            } catch (RuntimeException | OutOfMemoryError e) {
                // The removal is done; the migration step failed on another key's hashCode() or for want
                // of memory and left the table whole: the next write retries it.
            }
            maybeShrink();
        }
    }

    /**
     * Empties one slot; releases everything if it was the last entry. No migration work.
     *
     * @param compact whether the chain's last entry may move into the emptied slot (not for a removal by
     *                position during a position walk, which must see every other entry where it was)
     */
    private void removeAt(BucketArray a, int pos, int head, boolean compact) {
        int id = pos >>> BucketArray.POSITION_SHIFT;
        int slot = pos & SLOT_MASK;
        beginMutation();
        try {
            if (compact && a.hasLink(head)) {
                int last = lastEntryOfChain(a, head);
                if (last >= 0 && last != (id << BucketArray.POSITION_SHIFT | slot)) {
                    moveEntry(a, last, id, slot);
                    id = last >>> BucketArray.POSITION_SHIFT;
                    slot = last & SLOT_MASK;
                }
            }
            Object[] slots = a.slotsOf(id);
            int k = a.baseOf(id) + (slot << 1);
            slots[k] = null;
            slots[k + 1] = null;
            a.setTags(id, Tophash.with(a.tagsOf(id), slot, Tophash.EMPTY_ONE));
            markEmptyRest(a, head, id, slot);
            if (id != head) {
                freeEmptyTail(a, head, id);
            }
            count--;
        } finally {
            endMutation();
        }
        if (count == 0) {
            release(CleanupReason.RESEED, 0);
        }
    }

    /**
     * Position of the last live entry of main bucket {@code head}'s chain (the highest live slot of its last
     * bucket), or -1 if that bucket holds none.
     */
    private static int lastEntryOfChain(BucketArray a, int head) {
        int id = head;
        for (int next, budget = a.overflowCount; (next = a.nextOf(id)) != BucketArray.NONE && budget-- > 0; ) {
            id = next;
        }
        long live = Tophash.occupied(a.tagsOf(id)); // a current or unevacuated chain: no markers
        if (live == 0) {
            return -1;
        }
        return id << BucketArray.POSITION_SHIFT | Tophash.lastSlot(live);
    }

    /**
     * Copies the entry at position {@code from} (tophash, key, value) into slot {@code slot} of bucket
     * {@code id} of the same chain, about to be emptied; the caller then empties {@code from}. Keeps a
     * chain as short as its entries allow, so that deletes free its overflow buckets from the end.
     */
    private static void moveEntry(BucketArray a, int from, int id, int slot) {
        int fromId = from >>> BucketArray.POSITION_SHIFT;
        int fromSlot = from & SLOT_MASK;
        Object[] source = a.slotsOf(fromId);
        int s = a.baseOf(fromId) + (fromSlot << 1);
        Object[] target = a.slotsOf(id);
        int t = a.baseOf(id) + (slot << 1);
        target[t] = source[s];
        target[t + 1] = source[s + 1];
        a.setTags(id, Tophash.with(a.tagsOf(id), slot, Tophash.get(a.tagsOf(fromId), fromSlot)));
    }

    /**
     * After a removal from overflow bucket {@code id} of main bucket {@code head}'s chain: if {@code id} is
     * the chain's last bucket and now empty, puts it on the array's free list, and so on backwards while the
     * new last bucket is an empty overflow bucket too. Inside the removal's mutation window; allocates
     * nothing. Without this a map churning at a constant size would, in the end, keep an emptied overflow
     * bucket behind every main bucket that ever overflowed (Go's maps do; only a same-size rebuild frees them).
     */
    private static void freeEmptyTail(BucketArray a, int head, int id) {
        while (id != head && a.nextOf(id) == BucketArray.NONE && Tophash.occupied(a.tagsOf(id)) == 0) {
            int previous = predecessor(a, head, id);
            a.freeTail(previous, id);
            id = previous;
        }
    }

    /** The bucket before {@code id} (an overflow bucket of it) in main bucket {@code head}'s chain. Writer only. */
    private static int predecessor(BucketArray a, int head, int id) {
        int previous = head;
        for (int next; (next = a.nextOf(previous)) != id; ) {
            previous = next;
        }
        return previous;
    }

    /**
     * Removes a key without any migration work, so no other entry moves: what an iterator's
     * {@code remove()} needs to keep its walk valid. It may start a shrink (which moves nothing by
     * itself) or release the arrays if the table became empty.
     *
     * @param key the key (non-null)
     * @param h   its mixed hash
     * @return true if the key was there
     */
    public boolean removeInPlace(Object key, long h) {
        int pos = lookup(key, h);
        if (pos < 0) {
            return false;
        }
        if (inTree(pos)) {
            removeFromTree(pos & ~TREE_POSITION);
        } else {
            BucketArray a = arrayOf(pos);
            removeAt(a, pos & ~OLD_ARRAY, (int) h & a.mask, false);
        }
        if (count != 0) {
            maybeShrink();
        }
        return true;
    }

    private void maybeShrink() {
        if (migration == null && current.bits > minBits && underLoaded(inArrays(), current.bits)) {
            try {
                startMigration(MigrationKind.SHRINK, MigrationTrigger.UNDERLOAD, current.bits - 1);
            } catch (OutOfMemoryError e) { // the delete is done; a later delete tries again
                observer.migrationDeferred(MigrationKind.SHRINK, current.buckets, current.buckets >>> 1);
            }
        }
    }

    /**
     * After slot {@code slot} of bucket {@code id} became empty: if nothing live follows it in the
     * chain, turn it and the empty slots before it into {@code EMPTY_REST} (Go's algorithm), so lookups
     * of absent keys stop early.
     */
    private static void markEmptyRest(BucketArray a, int head, int id, int slot) {
        if (slot == SLOTS_PER_BUCKET - 1) {
            int next = a.nextOf(id);
            if (next != BucketArray.NONE && Tophash.get(a.tagsOf(next), 0) != Tophash.EMPTY_REST) {
                return;
            }
        } else if (Tophash.get(a.tagsOf(id), slot + 1) != Tophash.EMPTY_REST) {
            return;
        }
        while (true) {
            a.setTags(id, Tophash.with(a.tagsOf(id), slot, Tophash.EMPTY_REST));
            if (slot == 0) {
                if (id == head) {
                    return;
                }
                id = predecessor(a, head, id);
                slot = SLOTS_PER_BUCKET - 1;
            } else {
                slot--;
            }
            if (Tophash.get(a.tagsOf(id), slot) != Tophash.EMPTY_ONE) {
                return;
            }
        }
    }

    /** Removes every entry and releases the arrays. */
    public void clear() {
        int removed = count;
        if (current == UNALLOCATED && old == null) {
            return;
        }
        release(CleanupReason.CLEAR, removed);
    }

    /** Drops both arrays (the table holds nothing to move, or is being cleared) and re-seeds. */
    private void release(CleanupReason reason, int removed) {
        BucketArray o = old;
        BucketArray c = current;
        MigrationKind kind = migration;
        CollisionTree t = tree;
        long bytes = (c == UNALLOCATED ? 0 : c.estimatedBytes()) + (o == null ? 0 : o.estimatedBytes())
                + (t == null ? 0 : t.estimatedBytes());
        beginMutation();
        setCurrent(UNALLOCATED);
        old = null;
        tree = null;
        migration = null;
        dropEvacuationCursors();
        count = 0;
        growthRetryCount = 0;
        seed = newSeed();
        endMutation();
        if (kind != null) {
            observer.migrationFinished(kind, o.buckets, c.buckets, o.estimatedBytes());
        }
        observer.cleanup(reason, bytes, removed);
    }

    /**
     * Finishes any pending migration now and rebuilds the table into the smallest array that holds
     * its entries within the load factor (never below the initial-capacity floor), dropping empty
     * overflow buckets. Costs time proportional to the table; meant for explicit calls after mass
     * deletes.
     */
    public void compact() {
        long before = estimatedBytes();
        boolean announced = finishMigration(true);
        if (count == 0) {
            if (current != UNALLOCATED) {
                release(CleanupReason.COMPACTION, 0);
            }
            return;
        }
        int target = Math.min(maxBits, Math.max(minBits, bitsFor(inArrays())));
        if (target < current.bits) {
            target = smallestFootprintBits(target);
        }
        if (target < current.bits) {
            startMigration(MigrationKind.SHRINK, MigrationTrigger.COMPACTION, target);
            announced |= finishMigration(!announced);
        }
        while (target > current.bits) { // a same-size rebuild can leave a table over its load
            startMigration(MigrationKind.DOUBLE, MigrationTrigger.COMPACTION, current.bits + 1);
            announced |= finishMigration(!announced);
        }
        if (current.hasOverflow() // a rebuild at the same size saves only overflow buckets and their links
                && predictedBytes(current.bits, liveCounts(current), current.buckets) < current.estimatedBytes()) {
            startMigration(MigrationKind.SAME_SIZE, MigrationTrigger.COMPACTION, current.bits);
            finishMigration(!announced);
        }
        observer.cleanup(CleanupReason.COMPACTION, Math.max(0, before - estimatedBytes()), 0);
    }

    /**
     * The bucket bits in {@code [floor, current.bits]} whose compact rebuild holds the entries in the
     * fewest estimated bytes (the fewest bits on a tie): fewer buckets mean longer chains, and below some
     * size the overflow buckets they need cost more than the main buckets saved. Predicted from the live
     * count of each current bucket (a rebuilt chain of {@code E} entries has {@code ceil(E/8) - 1}
     * overflow buckets), without moving anything or calling {@code hashCode()}.
     */
    private int smallestFootprintBits(int floor) {
        BucketArray a = current;
        int[] live = liveCounts(a);
        long bestBytes = Math.min(a.estimatedBytes(), predictedBytes(a.bits, live, a.buckets));
        int best = a.bits;
        for (int bits = a.bits - 1; bits >= floor; bits--) {
            int buckets = 1 << bits;
            for (int b = 0; b < buckets; b++) { // a shrink merges buckets b and b + buckets
                live[b] += live[b + buckets];
            }
            long bytes = predictedBytes(bits, live, buckets);
            if (bytes <= bestBytes) {
                bestBytes = bytes;
                best = bits;
            }
        }
        return best;
    }

    /** Live entries per main bucket's chain. */
    private static int[] liveCounts(BucketArray a) {
        int[] live = new int[a.buckets];
        for (int b = 0; b < a.buckets; b++) {
            live[b] = liveInChain(a, b);
        }
        return live;
    }

    private static long predictedBytes(int bits, int[] live, int buckets) {
        int overflow = 0;
        int withOverflow = 0;
        for (int b = 0; b < buckets; b++) {
            int extra = Math.max(0, (live[b] + SLOTS_PER_BUCKET - 1) / SLOTS_PER_BUCKET - 1);
            overflow += extra;
            withOverflow += extra > 0 ? 1 : 0;
        }
        return BucketArray.predictedBytes(bits, overflow, withOverflow);
    }

    /**
     * Evacuates every remaining old bucket; announces the work to the observer if {@code announce} (a
     * compaction that runs several migrations announces only its first, so it is one operation's work).
     *
     * @return true if a migration was running
     */
    private boolean finishMigration(boolean announce) {
        if (migration == null) {
            return false;
        }
        if (announce) {
            observer.evacuationWorkStarting();
        }
        while (migration != null) {
            BucketArray o = old;
            for (int b = evacuationCursor; b < o.buckets && migration != null; b++) {
                evacuate(b);
            }
        }
        return true;
    }

    // =====================================================================================
    // Migration
    // =====================================================================================

    /**
     * Installs {@code a} as the current array, with the copies of its array references. Inside a mutation
     * window or a constructor.
     */
    private void setCurrent(BucketArray a) {
        current = a;
        currentTags = a.tags;
        currentSegments = a.segments;
    }

    private void startMigration(MigrationKind kind, MigrationTrigger trigger, int newBits) {
        BucketArray from = current;
        // May throw OutOfMemoryError: nothing changed yet. A compaction allocates every slot segment now, as it
        // moves every entry now; a growth or shrink allocates them as its evacuations reach them.
        BucketArray to = new BucketArray(newBits, trigger != MigrationTrigger.COMPACTION);
        beginMutation();
        old = from;
        setCurrent(to);
        migration = kind;
        evacuated = 0;
        evacuationCursor = 0;
        endMutation();
        observer.migrationStarted(kind, trigger, from.buckets, to.buckets, count, from.overflowCount);
    }

    /** Lets go of the destination cursors (and through them of the array the migration filled). */
    private void dropEvacuationCursors() {
        halves = null;
    }

    /** Evacuates the next unevacuated old bucket, skipping at most {@link #MAX_CURSOR_SKIP} done ones. */
    private void evacuateNext() {
        BucketArray o = old;
        int c = evacuationCursor;
        int limit = Math.min(o.buckets, c + MAX_CURSOR_SKIP);
        while (c < limit && isEvacuated(o, c)) {
            c++;
        }
        evacuationCursor = c;
        if (c < o.buckets) {
            evacuate(c);
        }
    }

    /** Moves old bucket {@code ob}'s chain into the current array; no-op if already evacuated. */
    private void evacuate(int ob) {
        BucketArray o = old;
        if (isEvacuated(o, ob)) {
            return;
        }
        BucketArray n = current;
        MigrationKind kind = migration;
        int xBucket = ob & n.mask;
        int yBucket = kind == MigrationKind.DOUBLE ? ob + o.buckets : xBucket;
        reserveSegments(n, xBucket, yBucket);
        reserveOverflow(n, overflowNeededToEvacuate(o, ob, n, kind), kind == MigrationKind.DOUBLE ? 2 : 1);
        int toX = 0;
        int toY = 0;
        // A doubling's or same-size rebuild's destination chains are empty (only old bucket ob feeds them):
        // fill them in order, as Go does, instead of searching for a free slot. A same-size rebuild uses x only.
        boolean inOrder = kind != MigrationKind.SHRINK;
        DestinationChain[] cursors = halves;
        if (cursors == null) {
            halves = cursors = new DestinationChain[] {new DestinationChain(), new DestinationChain()};
        }
        DestinationChain x = cursors[LOW_HALF].startAt(n, xBucket);
        DestinationChain y = cursors[HIGH_HALF].startAt(n, yBucket);
        int splitBit = o.bits; // a doubling sends an entry to y when this bit of its hash is set
        RuntimeException brokenKey = null;
        Error brokenKeyError = null;
        int done;
        beginMutation();
        try {
            for (int id = ob, budget = o.overflowCount; id != BucketArray.NONE && budget-- >= 0; id = o.nextOf(id)) {
                long word = o.tagsOf(id);
                Object[] slots = o.slotsOf(id);
                int base = o.baseOf(id);
                long occupied = Tophash.occupied(word);
                // A doubling first decides every slot's half in a tight loop of its own: each key's hashCode()
                // reads the key object, a cache miss in a large table, and a short loop lets the CPU have all of
                // the bucket's misses in flight at once. The decision is kept as a mask, without a branch: the
                // half is a coin toss per entry, and a branch on it mispredicts about every other entry.
                long high = 0; // the flags (see Tophash.occupied) of the slots whose entries go to y
                if (kind == MigrationKind.DOUBLE) {
                    for (long live = occupied; live != 0; live &= live - 1) {
                        long flag = live & -live;
                        try {
                            long h = mix(slots[base + (Tophash.firstSlot(flag) << 1)].hashCode(), seed);
                            high |= flag & -((h >>> splitBit) & 1);
                        } catch (RuntimeException e) {
                            brokenKey = e; // such a key cannot be looked up anyway; keep the table whole
                        } catch (Error e) {
                            brokenKeyError = e;
                        }
                    }
                }
                // Then one loop per half, so that the only branches are the loops' own.
                long low = occupied & ~high;
                long marks = moveFlagged(low, word, slots, base, inOrder ? x : null, n, xBucket,
                        Tophash.EVACUATED_X, Tophash.ALL_EVACUATED_EMPTY);
                marks = moveFlagged(high, word, slots, base, y, n, xBucket, Tophash.EVACUATED_Y, marks);
                toX += Long.bitCount(low);
                toY += Long.bitCount(high);
                o.setTags(id, marks);
                if (Tophash.emptyRest(word) != 0) {
                    break; // the rest of the chain is empty
                }
            }
            x.finish();
            y.finish();
            done = ++evacuated;
            if (done == o.buckets) {
                old = null;
                migration = null;
                dropEvacuationCursors();
            }
        } finally {
            endMutation();
        }
        observer.bucketEvacuated(ob, toX, toY);
        if (done == o.buckets) {
            observer.migrationFinished(kind, o.buckets, n.buckets, o.estimatedBytes());
        }
        if (brokenKeyError != null) {
            throw brokenKeyError;
        }
        if (brokenKey != null) {
            throw brokenKey;
        }
    }

    /**
     * Moves the entries of one old bucket's {@code flagged} slots (flags as {@link Tophash#occupied} gives them)
     * to the destination chain {@code to}, or, when {@code to} is null (a shrink, whose destination chain may
     * hold entries already), into free slots of new main bucket {@code shrinkBucket}'s chain; clears their old
     * references and marks each moved slot {@code marker}.
     *
     * @return {@code marks} with the moved slots marked
     */
    private static long moveFlagged(long flagged, long word, Object[] slots, int base, DestinationChain to,
                                    BucketArray n, int shrinkBucket, int marker, long marks) {
        for (long live = flagged; live != 0; live &= live - 1) {
            int slot = Tophash.firstSlot(live);
            int k = base + (slot << 1);
            if (to != null) {
                to.append(Tophash.get(word, slot), slots[k], slots[k + 1]);
            } else {
                place(n, shrinkBucket, Tophash.get(word, slot), slots[k], slots[k + 1]);
            }
            slots[k] = null;
            slots[k + 1] = null;
            marks = Tophash.with(marks, slot, marker);
        }
        return marks;
    }

    /**
     * Makes sure the slot segments of new main buckets {@code xBucket} and {@code yBucket}, where an evacuation
     * sends entries, exist: a migration's destination allocates each segment when its first feeding old bucket
     * is evacuated (see {@link BucketArray}), whether or not entries go there, so that every bucket an insert
     * or a lookup can reach afterwards has its slots. Allocates before the window, installs inside it; an
     * OutOfMemoryError leaves the table as it was.
     */
    private void reserveSegments(BucketArray n, int xBucket, int yBucket) {
        Object[] x = n.segmentToAllocate(xBucket);
        Object[] y = BucketArray.segmentIndex(xBucket) == BucketArray.segmentIndex(yBucket) ? null : n.segmentToAllocate(yBucket);
        if (x != null || y != null) {
            beginMutation();
            n.installSegment(xBucket, x);
            n.installSegment(yBucket, y);
            endMutation();
        }
    }

    /**
     * At most how many new overflow buckets evacuating old bucket {@code ob} appends. Its {@code E}
     * entries go to destination chains that are empty for a doubling or a same-size rebuild (only old
     * bucket {@code ob} feeds them), where they need at most {@code ceil(E/8) - 1} together; a shrink
     * fills the free slots {@code F} of its destination chain first, then {@code ceil((E - F)/8)} new ones.
     */
    private static int overflowNeededToEvacuate(BucketArray o, int ob, BucketArray n, MigrationKind kind) {
        if (kind != MigrationKind.SHRINK && (Tophash.emptyRest(o.tags[ob]) != 0 || !o.hasOverflow())) {
            return 0; // at most 8 entries: no chain behind the main bucket
        }
        int entries = liveInChain(o, ob);
        if (kind != MigrationKind.SHRINK) {
            return Math.max(0, (entries + SLOTS_PER_BUCKET - 1) / SLOTS_PER_BUCKET - 1);
        }
        int free = 0;
        for (int id = ob & n.mask, budget = n.overflowCount; id != BucketArray.NONE && budget-- >= 0; id = n.nextOf(id)) {
            free += Long.bitCount(Tophash.free(n.tagsOf(id)));
        }
        return Math.max(0, (entries - free + SLOTS_PER_BUCKET - 1) / SLOTS_PER_BUCKET);
    }

    /** Live entries in the chain of main bucket {@code b}. */
    private static int liveInChain(BucketArray a, int b) {
        int live = 0;
        for (int id = b, budget = a.overflowCount; id != BucketArray.NONE && budget-- >= 0; id = a.nextOf(id)) {
            live += Long.bitCount(Tophash.occupied(a.tagsOf(id))); // no markers: a current or unevacuated chain
        }
        return live;
    }

    // =====================================================================================
    // Statistics, iteration, checking
    // =====================================================================================

    private long estimatedBytes() {
        BucketArray c = current;
        BucketArray o = old;
        CollisionTree t = tree;
        return TABLE_BYTES + (c == UNALLOCATED ? 0 : c.estimatedBytes()) + (o == null ? 0 : o.estimatedBytes())
                + (t == null ? 0 : t.estimatedBytes());
    }

    /** @return slot segments of the current array not allocated yet: non-zero only during a migration (for tests) */
    int slotSegmentsToAllocate() {
        return current.segmentsToAllocate();
    }

    /** @return a snapshot of the table's shape (call it under the owner's exclusion) */
    public TableStatistics statistics() {
        BucketArray c = current;
        BucketArray o = old;
        int buckets = c == UNALLOCATED ? 0 : c.buckets;
        int overflow = c.overflowCount + (o == null ? 0 : o.overflowCount);
        double progress = o == null ? 1.0 : (double) evacuated / o.buckets;
        int inArrays = inArrays();
        return new TableStatistics(count, buckets, overflow, migration, progress,
                buckets == 0 ? 0.0 : (double) inArrays / buckets, estimatedBytes(), count - inArrays);
    }

    /**
     * Calls {@code action} for every entry (owner only; the action must not modify the table).
     *
     * @param action receives key and value
     */
    public void forEach(BiConsumer<Object, Object> action) {
        for (Cursor c = cursor(); c.advance(); ) {
            action.accept(c.key(), c.value());
        }
    }

    /** @return a cursor over every entry, for the owner's iteration */
    public Cursor cursor() {
        return new Cursor();
    }

    /**
     * A position walk over the entries: first the unevacuated buckets of the old array (if a migration
     * runs when the cursor is made), then the current array, then the collision tree's entries by id.
     * Entries never move during the walk unless the owner writes through the table; {@link #remove()}
     * removes without migration work, so a walk that only removes through its cursor sees every entry
     * exactly once. The buckets it reads carry no evacuation markers (an old bucket is walked only while
     * unevacuated), so a bucket's live slots are one {@link Tophash#occupied} mask.
     */
    public final class Cursor {
        private BucketArray array;
        private BucketArray next;
        private int bucket = -1;
        private int id = BucketArray.NONE;
        private int slot = SLOTS_PER_BUCKET;
        private boolean skipEvacuated;
        /** The tree being walked once the arrays are done, or null. */
        private CollisionTree walkedTree;
        private int treeId = -1;

        Cursor() {
            BucketArray o = old;
            BucketArray c = current;
            if (o != null) {
                array = o;
                next = c;
                skipEvacuated = true;
            } else {
                array = c;
            }
        }

        /** @return true if the cursor moved to another entry; false at the end */
        public boolean advance() {
            while (array != null) {
                if (id != BucketArray.NONE) {
                    long word = array.tagsOf(id);
                    long later = Tophash.occupied(word) & Tophash.flagsAfter(slot); // no markers, see above
                    if (later != 0) {
                        slot = Tophash.firstSlot(later);
                        return true;
                    }
                    id = Tophash.emptyRest(word) != 0 ? BucketArray.NONE : array.nextOf(id);
                    slot = -1;
                    continue;
                }
                if (++bucket < array.buckets) {
                    if (skipEvacuated && isEvacuated(array, bucket)) {
                        continue;
                    }
                    id = bucket;
                    slot = -1;
                    continue;
                }
                array = next;
                next = null;
                skipEvacuated = false;
                bucket = -1;
                if (array == null) {
                    walkedTree = tree;
                }
            }
            CollisionTree t = walkedTree;
            if (t != null) {
                while (++treeId < t.highWater()) {
                    if (t.keyAt(treeId) != null) {
                        return true;
                    }
                }
                walkedTree = null;
            }
            return false;
        }

        private int position() {
            return walkedTree != null ? treeId | TREE_POSITION : id << BucketArray.POSITION_SHIFT | slot;
        }

        /** @return the key at the cursor */
        public Object key() {
            return walkedTree != null ? walkedTree.keyAt(treeId) : keyAt(array, position());
        }

        /** @return the value at the cursor */
        public Object value() {
            return walkedTree != null ? walkedTree.valueAt(treeId) : valueAt(array, position());
        }

        /** @param value the new value of the entry at the cursor */
        public void setValue(Object value) {
            if (walkedTree != null) {
                setValueAt(position(), value);
            } else {
                setValueAt(array, position(), value);
            }
        }

        /**
         * Removes the entry at the cursor without migration work (it may start a shrink, which moves
         * nothing by itself); the next {@link #advance()} continues after it.
         */
        public void remove() {
            if (walkedTree != null) {
                removeFromTree(treeId);
            } else {
                removeAt(array, position(), bucket, false);
            }
            if (count != 0) {
                maybeShrink();
            }
        }
    }

    // =====================================================================================
    // Hash-order walk (weakly consistent iteration by optimistic readers)
    // =====================================================================================

    /**
     * The end of the walk space. An entry's walk position is the bit-reversed low 32 bits of its hash,
     * so the entries of main bucket {@code b} of a {@code 2^B}-bucket array occupy one contiguous range
     * of positions, the same range whichever array (old or new, grown or shrunk) holds them; a walk that
     * visits increasing ranges returns each entry at most once and every entry present throughout.
     */
    public static final long WALK_END = 1L << 32;
    /** Unsigned int to long. */
    private static final long UNSIGNED_INT = 0xFFFF_FFFFL;

    private static long walkPosition(long h) {
        return Integer.reverse((int) h) & UNSIGNED_INT;
    }

    /**
     * The seed in force: a walk that sees it change knows the table was emptied meanwhile, so nothing
     * still in it was there when the walk began. Optimistic-reader safe (validate after).
     *
     * @return the current hash seed
     */
    public long walkSeed() {
        return seed;
    }

    /**
     * The bucket bits of the current array: a hint for splitting a walk (optimistic-reader safe; may
     * be stale).
     *
     * @return {@code B}, where the current array has {@code 2^B} main buckets
     */
    public int bucketBits() {
        return current.bits;
    }

    /**
     * Appends to {@code out} the entries whose walk position lies in {@code [from, end)}, where
     * {@code end} is the smaller of {@code limit} and the end of the finest bucket range containing
     * {@code from}, and returns {@code end}. Optimistic-reader safe: it only loads (it calls
     * {@code hashCode()} of keys only when a bucket is partly inside the range); the caller validates
     * and, if the version changed, clears the buffer and calls again.
     *
     * @param from  first walk position, below {@code limit}
     * @param limit end of the walk (at most {@link #WALK_END})
     * @param out   receives the pairs
     * @return where the next call starts
     */
    public long collect(long from, long limit, WalkBuffer out) {
        BucketArray c = current;
        BucketArray o = old;
        int bits = o == null ? c.bits : Math.max(c.bits, o.bits);
        long grain = WALK_END >>> bits;
        long end = Math.min(limit, (from & -grain) + grain);
        int reversed = Integer.reverse((int) from);
        if (o != null) {
            int ob = reversed & o.mask;
            if (!isEvacuated(o, ob)) {
                collectBucket(o, ob, from, end, out);
            }
        }
        collectBucket(c, reversed & c.mask, from, end, out);
        CollisionTree t = tree;
        if (t != null) {
            t.collect(from, end, out);
        }
        return end;
    }

    private void collectBucket(BucketArray a, int b, long from, long end, WalkBuffer out) {
        if (!a.hasSegment(b)) {
            return; // a destination bucket no evacuation has reached yet: empty
        }
        long start = Integer.reverse(b) & UNSIGNED_INT;
        boolean whole = from <= start && start + (WALK_END >>> a.bits) <= end;
        int id = b;
        int budget = a.overflowCount;
        while (true) {
            long word = a.tagsOf(id);
            Object[] slots = a.slotsOf(id);
            int base = a.baseOf(id);
            if (whole) {
                out.addBucket(slots, base, SLOTS_PER_BUCKET); // empty slots hold nulls: holes the walker skips
            } else {
                for (long live = Tophash.live(word); live != 0; live &= live - 1) {
                    int k = base + (Tophash.firstSlot(live) << 1);
                    Object key = slots[k];
                    if (inRange(walkPosition(mix(key.hashCode(), seed)), from, end)) {
                        out.add(key, slots[k + 1]);
                    }
                }
            }
            if (Tophash.emptyRest(word) != 0 || budget-- <= 0) {
                return;
            }
            id = a.nextOf(id);
            if (id == BucketArray.NONE) {
                return;
            }
        }
    }

    private static boolean inRange(long position, long from, long end) {
        return position >= from && position < end;
    }

    /**
     * Checks every invariant of the class comment. For tests and debugging: costs a full scan.
     *
     * @throws IllegalStateException describing the first violation found
     */
    public void checkInvariants() {
        if (currentTags != current.tags || currentSegments != current.segments) {
            fail("the lookup copies of the current array's tags and slots are not the current array's");
        }
        Map<Object, String> seen = new HashMap<>();
        int live = 0;
        if (old != null) {
            if (migration == null) {
                fail("old array without a migration kind");
            }
            int evacuatedSeen = 0;
            for (int b = 0; b < old.buckets; b++) {
                if (isEvacuated(old, b)) {
                    evacuatedSeen++;
                    checkEvacuatedChain(old, b);
                    int x = b & current.mask;
                    int y = migration == MigrationKind.DOUBLE ? b + old.buckets : x;
                    if (!current.hasSegment(x) || !current.hasSegment(y)) {
                        fail("old bucket " + b + " is evacuated but a destination's slot segment is missing");
                    }
                } else {
                    live += checkChain(old, b, true, seen);
                }
            }
            if (evacuatedSeen != evacuated) {
                fail("evacuated count " + evacuated + " but " + evacuatedSeen + " old buckets carry markers");
            }
            for (int b = 0; b < evacuationCursor; b++) {
                if (!isEvacuated(old, b)) {
                    fail("old bucket " + b + " below the evacuation cursor " + evacuationCursor + " is unevacuated");
                }
            }
            checkOverflowAccounting(old);
        } else if (migration != null) {
            fail("migration " + migration + " without an old array");
        }
        if (current != UNALLOCATED) {
            for (int b = 0; b < current.buckets; b++) {
                live += checkChain(current, b, false, seen);
            }
            checkOverflowAccounting(current);
        }
        if (tree != null) {
            int inTree = tree.check(key -> mix(key.hashCode(), seed), seen);
            if (inTree == 0) {
                fail("an empty collision tree is kept");
            }
            live += inTree;
        } else if (UNALLOCATED.overflowCount != 0 || Tophash.free(UNALLOCATED.tags[0]) == 0) {
            fail("the shared unallocated array was written");
        }
        if (live != count) {
            fail("count " + count + " but " + live + " live slots");
        }
        if (count == 0 && (old != null || current != UNALLOCATED)) {
            fail("an empty table holds arrays");
        }
        for (Map.Entry<Object, String> e : seen.entrySet()) {
            Object key = e.getKey();
            Object found = get(key, key.hashCode(), UNALLOCATED);
            if (found == UNALLOCATED) {
                fail("key " + key + " at " + e.getValue() + " is not found by a lookup");
            }
        }
    }

    private int checkChain(BucketArray a, int b, boolean isOld, Map<Object, String> seen) {
        if (!a.hasSegment(b)) {
            if (isOld || old == null) {
                fail("main bucket " + b + (isOld ? " of the old array" : "") + " has no slot segment outside a migration's destination");
            }
            if (a.tags[b] != 0 || a.hasLink(b)) {
                fail("main bucket " + b + " without a slot segment is not empty");
            }
            return 0;
        }
        int live = 0;
        boolean restSeen = false;
        int visited = 0;
        for (int id = b; id != BucketArray.NONE; id = a.nextOf(id)) {
            if (++visited > a.overflowCount + 1) {
                fail("chain of bucket " + b + " is longer than the overflow buckets allocated");
            }
            if (id != b && id < a.buckets) {
                fail("chain of bucket " + b + " links to main bucket " + id);
            }
            long word = a.tagsOf(id);
            Object[] slots = a.slotsOf(id);
            int base = a.baseOf(id);
            for (int slot = 0; slot < SLOTS_PER_BUCKET; slot++) {
                int top = Tophash.get(word, slot);
                String where = (isOld ? "old " : "") + "bucket " + b + " id " + id + " slot " + slot;
                Object key = slots[base + (slot << 1)];
                if (Tophash.isEvacuationMarker(top)) {
                    fail("evacuation marker in a live chain at " + where);
                }
                if (restSeen && top != Tophash.EMPTY_REST) {
                    fail("slot after EMPTY_REST is not EMPTY_REST at " + where);
                }
                if (top == Tophash.EMPTY_REST) {
                    restSeen = true;
                }
                if (!Tophash.isLive(top)) {
                    if (key != null || slots[base + (slot << 1) + 1] != null) {
                        fail("empty slot holds references at " + where);
                    }
                    continue;
                }
                live++;
                if (key == null) {
                    fail("live slot without key at " + where);
                }
                long h = mix(key.hashCode(), seed);
                if (Tophash.of(h) != top) {
                    fail("tophash " + top + " does not match key " + key + " at " + where);
                }
                if (((int) h & a.mask) != b) {
                    fail("key " + key + " in the wrong bucket at " + where);
                }
                if (!isOld && old != null && !isEvacuated(old, (int) h & old.mask)) {
                    fail("key " + key + " in the current array while its old bucket is unevacuated, " + where);
                }
                String previous = seen.put(key, where);
                if (previous != null) {
                    fail("key " + key + " twice: " + previous + " and " + where);
                }
            }
        }
        return live;
    }

    private static void checkEvacuatedChain(BucketArray o, int b) {
        int visited = 0;
        for (int id = b; id != BucketArray.NONE; id = o.nextOf(id)) {
            if (++visited > o.overflowCount + 1) {
                fail("evacuated chain of old bucket " + b + " does not end");
            }
            long word = o.tagsOf(id);
            Object[] slots = o.slotsOf(id);
            int base = o.baseOf(id);
            boolean allMarked = true;
            for (int slot = 0; slot < SLOTS_PER_BUCKET; slot++) {
                if (slots[base + (slot << 1)] != null || slots[base + (slot << 1) + 1] != null) {
                    fail("evacuated old bucket " + b + " id " + id + " still holds references");
                }
                allMarked &= Tophash.isEvacuationMarker(Tophash.get(word, slot));
            }
            if (id == b && !allMarked) {
                fail("evacuated old main bucket " + b + " has unmarked slots");
            }
        }
    }

    private static void checkOverflowAccounting(BucketArray a) {
        int linked = 0;
        java.util.BitSet inChains = new java.util.BitSet();
        for (int b = 0; b < a.buckets; b++) {
            for (int id = a.nextOf(b), n = 0; id != BucketArray.NONE; id = a.nextOf(id)) {
                if (++n > a.overflowCount) {
                    fail("overflow chain of bucket " + b + " is cyclic or too long");
                }
                linked++;
                inChains.set(id - a.buckets);
            }
        }
        int[] free = a.freeIds();
        if (free.length != a.freeCount()) {
            fail(a.freeCount() + " free overflow buckets counted but " + free.length + " on the free list");
        }
        if (linked + free.length != a.overflowCount) {
            fail(a.overflowCount + " overflow buckets allocated but " + linked + " linked and " + free.length + " free");
        }
        for (int id : free) {
            if (id < a.buckets || id >= a.buckets + a.overflowCount) {
                fail("free overflow bucket id " + id + " out of range");
            }
            if (inChains.get(id - a.buckets)) {
                fail("overflow bucket " + id + " is free and in a chain, or twice on the free list");
            }
            if (a.tagsOf(id) != 0 || a.nextCell(id) >= 0) {
                fail("free overflow bucket " + id + " is not clean (tags or next cell)");
            }
            Object[] slots = a.slotsOf(id);
            for (int k = a.baseOf(id), end = k + BucketArray.SLOT_WORDS; k < end; k++) {
                if (slots[k] != null) {
                    fail("free overflow bucket " + id + " holds a reference");
                }
            }
            inChains.set(id - a.buckets); // a second appearance (a cyclic list) now fails above
        }
        int flagged = 0;
        for (int b = 0; b < a.buckets; b++) {
            if (a.hasLink(b) != (a.linkOf(b) != BucketArray.NONE)) {
                fail("link bit of main bucket " + b + " disagrees with the link table");
            }
            flagged += a.hasLink(b) ? 1 : 0;
        }
        if (flagged != a.linkCount()) {
            fail(a.linkCount() + " links but " + flagged + " link bits");
        }
    }

    private static void fail(String message) {
        throw new IllegalStateException("bucket table invariant violated: " + message);
    }
}
