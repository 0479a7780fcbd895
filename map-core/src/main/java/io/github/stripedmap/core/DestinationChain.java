package io.github.stripedmap.core;

/**
 * The write position in one destination chain of a doubling or a same-size rebuild: the chain of a
 * new main bucket that only one old bucket feeds, so it is empty when the evacuation starts and is
 * filled in slot order, as Go does, without searching for a free slot.
 *
 * <p>The tag word of the bucket being filled is built here and stored once, when the bucket is full
 * or at {@link #finish()}. Overflow buckets come from {@link BucketArray#appendOverflow(int)} and must
 * have been reserved before the evacuation's mutation window opened, so appending allocates nothing.
 * A table makes its two cursors when a migration first evacuates and drops them when the migration ends;
 * {@link #startAt} points them at each old bucket's destinations (writer only: a cursor is never shared
 * between tables, copies included).
 */
final class DestinationChain {

    private BucketArray array;
    /** The bucket being filled. */
    private int id;
    /** Its slot array and the index of its slot 0's key there. */
    private Object[] slots;
    private int base;
    /** The next free slot of the bucket. */
    private int slot;
    /** The tag word of the bucket so far (free slots are {@link Tophash#EMPTY_REST}). */
    private long tags;

    /**
     * Points the cursor at the start of a destination chain.
     *
     * @param array      the new array
     * @param mainBucket the main bucket whose (empty) chain this cursor fills
     * @return this cursor
     */
    DestinationChain startAt(BucketArray array, int mainBucket) {
        this.array = array;
        this.id = mainBucket;
        this.slots = array.slotsOf(mainBucket);
        this.base = array.baseOf(mainBucket);
        this.slot = 0;
        this.tags = 0;
        return this;
    }

    /** Writes an entry into the next slot, first moving to a reserved overflow bucket if this one is full. */
    void append(int top, Object key, Object value) {
        if (slot == BucketArray.SLOTS) {
            array.setTags(id, tags);
            id = array.appendOverflow(id); // reserved: allocates nothing
            slots = array.slotsOf(id);
            base = array.baseOf(id);
            slot = 0;
            tags = 0;
        }
        int k = base + (slot << 1);
        slots[k] = key;
        slots[k + 1] = value;
        tags = Tophash.with(tags, slot++, top);
    }

    /** Stores the tag word of the bucket being filled, if it holds anything. */
    void finish() {
        if (slot > 0) {
            array.setTags(id, tags);
        }
    }
}
