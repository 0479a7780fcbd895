package io.github.stripedmap.core;

import java.util.Arrays;

/**
 * One generation of a {@link BucketTable}'s buckets: {@code 2^bits} main buckets in flat arrays, plus
 * the overflow buckets chained behind them.
 *
 * <h2>Layout</h2>
 * A bucket is addressed by an <em>id</em>: main buckets are {@code 0 .. buckets-1}; overflow buckets
 * are {@code buckets + k}, where {@code k} counts the overflow buckets in allocation order. Each
 * bucket has a tag word (eight tophash bytes, see {@link Tophash}) and sixteen slots of an
 * {@code Object[]}: key of slot {@code i} at {@code 2i}, its value at {@code 2i + 1}, so a key and
 * its value share a cache line.
 * <ul>
 *   <li>Main buckets: {@code tags[b]} and sixteen words of a slot <em>segment</em>: bucket {@code b}'s
 *       slots are {@code segments[b >>> 12]} from index {@code (16b) mod 65536}: 72 bytes per bucket with
 *       compressed references, no per-bucket object. The slots are split into segments of at most
 *       4,096 buckets (256 KiB) because G1 allocates an object of half a region or more (512 KiB with
 *       the smallest, 1 MiB regions) as a <em>humongous</em> object, and on JDK 17 a reference store into
 *       a humongous array costs several times one into an ordinary array (measured in
 *       docs/BENCHMARKS.md, "Reference arrays kept below G1's humongous size": a map of 1M entries
 *       overwrote values 5x slower in one 16 MiB array than in 64 arrays of 256 KiB). The tag words,
 *       which hold no references, stay in one array.</li>
 *   <li>Segments of a migration's destination: an array made to receive a migration allocates its slot
 *       segments one at a time, as the evacuation first reaches them ({@link #segmentToAllocate}),
 *       so that no single write pays for zeroing the whole new array (at 2^21 buckets, 128 MiB of
 *       references against 16 MiB of tag words). Until then a segment's directory entry is null and its
 *       buckets are empty (tag words zero, no overflow link): nothing else can reach them, because a
 *       lookup or an insert reaches a bucket of the new array only after the old bucket feeding it has been
 *       evacuated, and an evacuation allocates its destinations' segments first. Every segment exists once
 *       the migration has ended.</li>
 *   <li>Overflow buckets live in {@link OverflowChunk}s of {@code 2^chunkBits} buckets each, allocated
 *       on demand and never copied; only the small chunk directory grows.</li>
 *   <li>Free overflow buckets: when a removal empties the last overflow bucket of a chain, the bucket is
 *       unlinked and kept on a free list (threaded through the same {@code next} arrays, as negative
 *       values) for the next chain of this array that needs one, so a map churning at a constant size
 *       does not keep one emptied overflow bucket behind every main bucket that ever overflowed.</li>
 *   <li>Links: an overflow bucket's successor is in its chunk's {@code next} array; a main bucket's
 *       first overflow bucket is in {@link OverflowLinks}, a small hash table keyed by bucket index,
 *       because a per-main-bucket link array would cost 4 bytes per bucket (about one byte per entry)
 *       for the few percent of buckets that overflow at normal load. A bitmap with one bit per main
 *       bucket says which have a link, so a full main bucket without a chain costs no probe.</li>
 * </ul>
 * Go preallocates {@code 2^(B-4)} overflow buckets with a large array; here that would cost about
 * 1.2 bytes per entry before any is used, so chunks of {@code 2^(B-6)} buckets are allocated only when
 * needed (a small chunk wastes little in the many small tables of a striped map).
 *
 * <h2>Concurrency</h2>
 * Plain fields throughout: all writes happen under the owning table's exclusion, inside its mutation
 * windows. Optimistic readers may see any mix of states; every method a reader calls is bounds-safe
 * (it may throw an index or null-pointer exception on a torn read, which the reader discards after
 * failed validation) and every loop over a chain is bounded.
 */
final class BucketArray {

    /** Slots per bucket, as in Go. */
    static final int SLOTS = BucketTable.SLOTS_PER_BUCKET;
    /** Object[] entries per bucket: a key and a value per slot. */
    static final int SLOT_WORDS = 2 * SLOTS;
    /** log2(SLOT_WORDS). */
    static final int SLOT_WORDS_SHIFT = 4;
    /** Shift from a bucket id to a position (id * SLOTS + slot). */
    static final int POSITION_SHIFT = 3;
    /**
     * log2 of the main buckets per slot segment: 4,096 buckets are 256 KiB of compressed references, half of
     * G1's smallest humongous size (half of a 1 MiB region), so no segment is ever a humongous object.
     */
    static final int SEGMENT_BUCKET_BITS = 12;
    /** Words of a full segment, minus one: the index of main bucket {@code b}'s slot 0 is {@code 16b & this}. */
    static final int SEGMENT_WORD_MASK = (1 << (SEGMENT_BUCKET_BITS + SLOT_WORDS_SHIFT)) - 1;
    /** Largest chunk: 1024 overflow buckets (72 KiB), so one allocation stays small. */
    private static final int MAX_CHUNK_BITS = 10;
    /**
     * Chunks hold 1/64 of the main bucket count: about the overflow a table has at its average load (Go
     * preallocates 1/16, which at 1M entries in 64 stripes left ~0.8 bytes per entry of unused buckets).
     */
    private static final int CHUNK_RATIO_SHIFT = 6;
    /** First size of the chunk directory. */
    private static final int INITIAL_CHUNK_DIRECTORY = 4;
    /** Bucket ids stay below 2^26 so that a position (id * 8 + slot) and two flag bits fit in an int. */
    static final int MAX_BUCKET_ID = 1 << 26;
    /** log2 of the bits in a {@code long}: main bucket {@code b}'s link bit is in word {@code b >>> 6}. */
    private static final int LINK_WORD_SHIFT = 6;
    /** No successor. */
    static final int NONE = -1;

    /** Estimated bytes of an array header (mark, class, length) on a 64-bit JVM. */
    static final int ARRAY_HEADER_BYTES = 16;
    /** Estimated bytes of a reference with compressed oops (the default below 32 GiB heaps). */
    static final int REFERENCE_BYTES = 4;
    /** Estimated bytes of this object and of an {@link OverflowChunk} object. */
    private static final int OBJECT_BYTES = 48;

    final int bits;
    final int buckets;
    final int mask;
    final long[] tags;
    /**
     * The main buckets' slots, in segments of {@code 2^SEGMENT_BUCKET_BITS} buckets (one shorter segment when
     * the array has fewer buckets): see {@link #segmentOf} and {@link #segmentBase}.
     */
    final Object[][] segments;
    /**
     * Bit {@code b} is set when main bucket {@code b} has an overflow chain: the common case of a full main
     * bucket without one (every lookup that misses it, every evacuation of it) then costs one bit test,
     * not a probe of {@link #links}. One bit per bucket, about 0.03 bytes per entry.
     */
    private final long[] linked;
    private final int chunkBits;
    private final int chunkMask;

    /** Overflow chunks; entry {@code c} holds overflow numbers {@code [c << chunkBits, (c+1) << chunkBits)}. */
    private OverflowChunk[] chunks;
    /** Overflow buckets allocated so far (in chains or free). */
    int overflowCount;
    /** First bucket of the free list, or {@link #NONE}. */
    private int freeHead = NONE;
    /** Buckets on the free list. */
    private int freeCount;
    /** Main bucket to first overflow bucket. */
    final OverflowLinks links;

    /** An array of {@code 2^bits} main buckets with every slot segment allocated. */
    BucketArray(int bits) {
        this(bits, false);
    }

    /**
     * An array of {@code 2^bits} main buckets.
     *
     * @param bits              log2 of the main buckets
     * @param segmentsOnDemand  true for a migration's destination: when there is more than one slot segment,
     *                          each is allocated when the evacuation first needs it, see {@link #segmentToAllocate}
     */
    BucketArray(int bits, boolean segmentsOnDemand) {
        this.bits = bits;
        this.buckets = 1 << bits;
        this.mask = buckets - 1;
        this.tags = new long[buckets];
        this.segments = newSegments(bits, segmentsOnDemand);
        this.linked = new long[linkWords(buckets)];
        this.chunkBits = chunkBitsFor(bits);
        this.chunkMask = (1 << chunkBits) - 1;
        this.links = new OverflowLinks();
    }

    private BucketArray(BucketArray source) {
        this.bits = source.bits;
        this.buckets = source.buckets;
        this.mask = source.mask;
        this.tags = source.tags.clone();
        this.segments = source.segments.clone();
        for (int i = 0; i < segments.length; i++) {
            segments[i] = segments[i] == null ? null : segments[i].clone();
        }
        this.linked = source.linked.clone();
        this.chunkBits = source.chunkBits;
        this.chunkMask = source.chunkMask;
        this.overflowCount = source.overflowCount;
        this.freeHead = source.freeHead;
        this.freeCount = source.freeCount;
        this.links = source.links.copy();
        if (source.chunks != null) {
            this.chunks = new OverflowChunk[source.chunks.length];
            for (int c = 0; c < chunks.length; c++) {
                OverflowChunk chunk = source.chunks[c];
                this.chunks[c] = chunk == null ? null : chunk.copy();
            }
        }
    }

    /** @return a deep copy of the arrays (the keys and values themselves are shared) */
    BucketArray copy() {
        return new BucketArray(this);
    }

    // ---- addressing by id ----

    private OverflowChunk chunk(int id) {
        return chunks[(id - buckets) >>> chunkBits];
    }

    long tagsOf(int id) {
        return id < buckets ? tags[id] : chunk(id).tags[cell(id)];
    }

    void setTags(int id, long word) {
        if (id < buckets) {
            tags[id] = word;
        } else {
            chunk(id).tags[cell(id)] = word;
        }
    }

    Object[] slotsOf(int id) {
        return id < buckets ? segmentOf(segments, id) : chunk(id).slots;
    }

    /** The slot segment that holds main bucket {@code b} of an array whose segments are {@code segments}. */
    static Object[] segmentOf(Object[][] segments, int b) {
        return segments[segmentIndex(b)];
    }

    /** Index in the segment directory of main bucket {@code b}'s slot segment. */
    static int segmentIndex(int b) {
        return b >>> SEGMENT_BUCKET_BITS;
    }

    /** Index in {@link #segmentOf its segment} of the key of main bucket {@code b}'s slot 0. */
    static int segmentBase(int b) {
        return (b << SLOT_WORDS_SHIFT) & SEGMENT_WORD_MASK;
    }

    /**
     * The slot segments of an array of {@code 2^bits} main buckets, all of them full size but a lone short one;
     * when {@code onDemand} and there are several, only the directory (its entries null).
     */
    private static Object[][] newSegments(int bits, boolean onDemand) {
        int segmentBits = Math.min(bits, SEGMENT_BUCKET_BITS);
        Object[][] segments = new Object[1 << (bits - segmentBits)][];
        if (!onDemand || segments.length == 1) {
            for (int i = 0; i < segments.length; i++) {
                segments[i] = new Object[1 << (segmentBits + SLOT_WORDS_SHIFT)];
            }
        }
        return segments;
    }

    /**
     * A new, empty slot segment for main bucket {@code b}, if its segment is not allocated yet; else null.
     * Allocates outside mutation windows; {@link #installSegment} puts it in place inside one.
     */
    Object[] segmentToAllocate(int b) {
        return segments[segmentIndex(b)] == null ? new Object[1 << (SEGMENT_BUCKET_BITS + SLOT_WORDS_SHIFT)] : null;
    }

    /**
     * Installs a segment from {@link #segmentToAllocate} as main bucket {@code b}'s (nothing if null). Writer
     * only, inside a mutation window.
     */
    void installSegment(int b, Object[] segment) {
        if (segment != null) {
            segments[segmentIndex(b)] = segment;
        }
    }

    /** True if main bucket {@code b}'s slot segment is allocated (false only in a migration's destination). */
    boolean hasSegment(int b) {
        return segments[segmentIndex(b)] != null;
    }

    /** @return slot segments not allocated yet (0 except in a migration's destination) */
    int segmentsToAllocate() {
        int missing = 0;
        for (Object[] segment : segments) {
            missing += segment == null ? 1 : 0;
        }
        return missing;
    }

    /** Index in {@link #slotsOf(int)} of the key of slot 0 of bucket {@code id}. */
    int baseOf(int id) {
        return id < buckets ? segmentBase(id) : cell(id) << SLOT_WORDS_SHIFT;
    }

    /** The next bucket of the chain, or {@link #NONE}. */
    int nextOf(int id) {
        if (id < buckets) {
            return hasLink(id) ? links.get(id) : NONE;
        }
        return successor(chunk(id).next[cell(id)]);
    }

    /**
     * The chain successor a {@code next} cell encodes: {@code id + 1} for a successor, 0 at the end of a
     * chain, a negative value on a free bucket (whose chain, as any walk that reaches it sees, has ended).
     */
    private static int successor(int cell) {
        return Math.max(cell, 0) - 1;
    }

    /** The {@code next} cell of a free bucket whose free-list successor is {@code nextFree} (or NONE): negative. */
    private static int freeCell(int nextFree) {
        return -(nextFree + 2);
    }

    /** The free-list successor a free bucket's (negative) {@code next} cell encodes, or {@link #NONE}. */
    private static int nextFree(int cell) {
        return -cell - 2;
    }

    /** True if main bucket {@code b} has an overflow chain. */
    boolean hasLink(int b) {
        return (linked[b >>> LINK_WORD_SHIFT] & (1L << b)) != 0; // the shift of a long uses b's low 6 bits
    }

    /** Main buckets that have an overflow chain according to the link table itself (for checks). */
    int linkCount() {
        return links.size();
    }

    /** The link table's own answer for main bucket {@code b}, bypassing {@link #hasLink} (for checks). */
    int linkOf(int b) {
        return links.get(b);
    }

    private static int linkWords(long buckets) {
        return (int) ((buckets + Long.SIZE - 1) >>> LINK_WORD_SHIFT);
    }

    /** True while an overflow chunk exists; lets callers skip the link lookup for tables that never overflowed. */
    boolean hasOverflow() {
        return overflowCount != 0;
    }

    /**
     * Allocates an overflow bucket and links it after {@code lastId}, the last bucket of its chain.
     * Writer only, inside a mutation window.
     *
     * @return the new bucket's id
     */
    int appendOverflow(int lastId) {
        int id;
        if (freeHead != NONE) {
            id = freeHead;
            freeHead = nextFree(nextCell(id));
            setSuccessor(id, NONE); // the end of its new chain
            freeCount--;
        } else {
            id = allocateOverflow();
        }
        setSuccessor(lastId, id);
        return id;
    }

    /**
     * Makes {@code next} the successor of bucket {@code id} in its chain, or ends the chain at {@code id} if
     * {@code next} is {@link #NONE}: a main bucket's link table entry and link bit, an overflow bucket's
     * {@code next} cell. Writer only, inside a mutation window.
     */
    private void setSuccessor(int id, int next) {
        if (id >= buckets) {
            chunk(id).next[cell(id)] = next + 1; // NONE + 1 = 0: the end of a chain
        } else if (next != NONE) {
            links.put(id, next);
            linked[id >>> LINK_WORD_SHIFT] |= 1L << id;
        } else {
            links.remove(id);
            linked[id >>> LINK_WORD_SHIFT] &= ~(1L << id);
        }
    }

    /** Index of overflow bucket {@code id} within its chunk. */
    private int cell(int id) {
        return (id - buckets) & chunkMask;
    }

    /** A never-used overflow bucket: the next id, in a chunk allocated now if the reservation did not. */
    private int allocateOverflow() {
        int k = overflowCount;
        if (k >= MAX_BUCKET_ID - buckets) {
            throw new IllegalStateException("bucket array full: " + k + " overflow buckets");
        }
        int c = k >>> chunkBits;
        if (chunks == null) {
            chunks = new OverflowChunk[INITIAL_CHUNK_DIRECTORY];
        } else if (c == chunks.length) {
            chunks = Arrays.copyOf(chunks, c * 2);
        }
        if (chunks[c] == null) {
            chunks[c] = new OverflowChunk(1 << chunkBits);
        }
        overflowCount = k + 1;
        return buckets + k;
    }

    /**
     * Unlinks overflow bucket {@code id}, the last of its chain and empty (every slot free, no references),
     * from its predecessor {@code previous}, and puts it on the free list. Writer only, inside a mutation
     * window; allocates nothing.
     */
    void freeTail(int previous, int id) {
        setSuccessor(previous, NONE);
        OverflowChunk chunk = chunk(id);
        int cell = cell(id);
        chunk.tags[cell] = 0; // all EMPTY_REST: clean for its next chain
        chunk.next[cell] = freeCell(freeHead);
        freeHead = id;
        freeCount++;
    }

    /** @return overflow buckets on the free list */
    int freeCount() {
        return freeCount;
    }

    /**
     * The free list's buckets, for checks; stops after {@link #overflowCount} steps on a cyclic list.
     *
     * @return their ids in list order
     */
    int[] freeIds() {
        int[] ids = new int[Math.min(freeCount, overflowCount)];
        int n = 0;
        for (int id = freeHead; id != NONE && n < ids.length; id = nextFree(nextCell(id))) {
            ids[n++] = id;
        }
        return n == ids.length ? ids : Arrays.copyOf(ids, n);
    }

    /** @return the (negative) next cell of a free bucket, or its chain cell otherwise (for checks) */
    int nextCell(int id) {
        return chunk(id).next[cell(id)];
    }

    /**
     * What {@link #appendOverflow} would have to allocate for the next {@code n} overflow buckets,
     * allocated now (a larger chunk directory holding the new chunks, a larger link table), or null if
     * nothing is needed. Writer only, outside mutation windows: changes nothing.
     *
     * @param n        overflow buckets about to be appended (fewer are reserved near the id limit, where
     *                 {@code appendOverflow} refuses with an exception instead)
     * @param newLinks main buckets among them that may get their first overflow bucket
     * @return the allocations, to {@link #install} inside a window; or null
     */
    Reservation reservation(int n, int newLinks) {
        int fresh = Math.max(0, n - freeCount); // appendOverflow takes free buckets first
        int wanted = Math.min(overflowCount + fresh, MAX_BUCKET_ID - buckets);
        OverflowChunk[] directory = null;
        if (wanted > overflowCount) {
            int lastChunk = (wanted - 1) >>> chunkBits;
            OverflowChunk[] d = chunks;
            boolean missing = d == null || lastChunk >= d.length;
            for (int c = overflowCount >>> chunkBits; !missing && c <= lastChunk; c++) {
                missing = d[c] == null;
            }
            if (missing) {
                int length = d == null ? INITIAL_CHUNK_DIRECTORY : d.length;
                while (length <= lastChunk) {
                    length *= 2;
                }
                directory = d == null ? new OverflowChunk[length] : Arrays.copyOf(d, length);
                for (int c = overflowCount >>> chunkBits; c <= lastChunk; c++) {
                    if (directory[c] == null) {
                        directory[c] = new OverflowChunk(1 << chunkBits);
                    }
                }
            }
        }
        OverflowLinks grownLinks = links.withRoomFor(Math.min(n, newLinks));
        return directory == null && grownLinks == null ? null : new Reservation(directory, grownLinks);
    }

    /** Allocations made ahead of a mutation window by {@link #reservation}. */
    record Reservation(OverflowChunk[] directory, OverflowLinks links) { }

    /** Installs a reservation. Writer only, inside a mutation window; allocates nothing. */
    void install(Reservation r) {
        if (r.directory() != null) {
            chunks = r.directory();
        }
        if (r.links() != null) {
            links.adopt(r.links());
        }
    }

    private static int chunkBitsFor(int bits) {
        return Math.min(MAX_CHUNK_BITS, Math.max(0, bits - CHUNK_RATIO_SHIFT));
    }

    /**
     * What {@link #estimatedBytes()} would say of a fresh array of {@code 2^bits} buckets after
     * {@code overflowBuckets} overflow buckets were appended behind {@code bucketsWithOverflow} main
     * buckets: lets a compaction compare candidate sizes before building one.
     */
    static long predictedBytes(int bits, int overflowBuckets, int bucketsWithOverflow) {
        long buckets = 1L << bits;
        long bytes = OBJECT_BYTES + ARRAY_HEADER_BYTES + Long.BYTES * buckets
                + segmentBytes(bits)
                + ARRAY_HEADER_BYTES + (long) Long.BYTES * linkWords(buckets)
                + OverflowLinks.predictedBytes(bucketsWithOverflow);
        if (overflowBuckets > 0) {
            int chunkSize = 1 << chunkBitsFor(bits);
            long chunks = (overflowBuckets + chunkSize - 1L) / chunkSize;
            long directory = INITIAL_CHUNK_DIRECTORY;
            while (directory < chunks) {
                directory *= 2;
            }
            long chunkBytes = OBJECT_BYTES + 3L * ARRAY_HEADER_BYTES + (long) Long.BYTES * chunkSize
                    + (long) REFERENCE_BYTES * (chunkSize << SLOT_WORDS_SHIFT) + (long) Integer.BYTES * chunkSize;
            bytes += ARRAY_HEADER_BYTES + REFERENCE_BYTES * directory + chunks * chunkBytes;
        }
        return bytes;
    }

    /** Estimated bytes of the slot segments of {@code 2^bits} main buckets and of their directory. */
    private static long segmentBytes(int bits) {
        long segments = 1L << Math.max(0, bits - SEGMENT_BUCKET_BITS);
        return ARRAY_HEADER_BYTES + REFERENCE_BYTES * segments
                + segments * (ARRAY_HEADER_BYTES + REFERENCE_BYTES * segmentWords(bits));
    }

    /** Words of each slot segment of an array of {@code 2^bits} main buckets. */
    private static long segmentWords(int bits) {
        return 1L << (Math.min(bits, SEGMENT_BUCKET_BITS) + SLOT_WORDS_SHIFT);
    }

    /** Estimated bytes held by this array and its overflow buckets. */
    long estimatedBytes() {
        long bytes = OBJECT_BYTES
                + ARRAY_HEADER_BYTES + (long) Long.BYTES * buckets
                + segmentBytes(bits) - (long) segmentsToAllocate() * (ARRAY_HEADER_BYTES + REFERENCE_BYTES * segmentWords(bits))
                + ARRAY_HEADER_BYTES + (long) Long.BYTES * linked.length
                + links.estimatedBytes();
        if (chunks != null) {
            bytes += ARRAY_HEADER_BYTES + (long) REFERENCE_BYTES * chunks.length;
            for (OverflowChunk chunk : chunks) {
                if (chunk != null) {
                    bytes += OBJECT_BYTES + chunk.estimatedBytes();
                }
            }
        }
        return bytes;
    }

    /** Overflow buckets of one chunk: tags, slots and successor links, laid out like the main arrays. */
    static final class OverflowChunk {
        final long[] tags;
        final Object[] slots;
        /** Successor id + 1 of each overflow bucket; 0 means none (so a new chunk needs no filling). */
        final int[] next;

        OverflowChunk(int size) {
            tags = new long[size];
            slots = new Object[size << SLOT_WORDS_SHIFT];
            next = new int[size];
        }

        private OverflowChunk(OverflowChunk source) {
            tags = source.tags.clone();
            slots = source.slots.clone();
            next = source.next.clone();
        }

        OverflowChunk copy() {
            return new OverflowChunk(this);
        }

        long estimatedBytes() {
            return 3L * ARRAY_HEADER_BYTES + (long) Long.BYTES * tags.length
                    + (long) REFERENCE_BYTES * slots.length + (long) Integer.BYTES * next.length;
        }
    }
}
