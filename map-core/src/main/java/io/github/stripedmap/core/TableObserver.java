package io.github.stripedmap.core;

/**
 * Receives what a {@link BucketTable} does to its memory: migrations (growth, same-size rebuild,
 * shrink), each evacuation step, and cleanups.
 *
 * <p>Calls are made by the thread that does the work, while it holds whatever exclusion the owning
 * map uses (a concurrent map's stripe lock), so implementations must be fast and must never call back
 * into the map. They are made only on migration events and evacuation steps, never on a plain
 * {@code get} or {@code put} that does no migration work. Every method has an empty default, and
 * {@link #NONE} is the shared no-op used when nobody listens.
 */
public interface TableObserver {

    /** The observer that ignores everything; the default of every table. */
    TableObserver NONE = new TableObserver() { };

    /**
     * A migration began: new bucket arrays were allocated and the old ones are kept until every old
     * bucket has been evacuated.
     *
     * @param kind            what the migration does to the bucket count
     * @param trigger         why it started
     * @param oldBuckets      main buckets before
     * @param newBuckets      main buckets after
     * @param entries         entries in the table when it started
     * @param overflowBuckets overflow buckets of the old array when it started
     */
    default void migrationStarted(MigrationKind kind, MigrationTrigger trigger, int oldBuckets, int newBuckets,
                                  int entries, int overflowBuckets) { }

    /**
     * One old bucket (with its overflow chain) was evacuated into the new arrays.
     *
     * @param oldBucket index of the old main bucket
     * @param movedToX  entries moved to the new bucket with the same index (all of them, for same-size
     *                  and shrink migrations)
     * @param movedToY  entries moved to the new bucket {@code oldBucket + oldBuckets} (doubling only)
     */
    default void bucketEvacuated(int oldBucket, int movedToX, int movedToY) { }

    /**
     * A write (or a compaction) is about to do migration work: the {@link #bucketEvacuated} calls
     * that follow, up to the next call of this method, belong to one operation. Lets an observer time
     * each step from its true start and count the operations that paid for a migration. Called only
     * while a migration is in progress.
     */
    default void evacuationWorkStarting() { }

    /**
     * The migration ended: the last old bucket was evacuated (or the table was cleared) and the old
     * arrays were released.
     *
     * @param kind          what the migration did
     * @param oldBuckets    main buckets before
     * @param newBuckets    main buckets after
     * @param releasedBytes estimated bytes of the released old arrays
     */
    default void migrationFinished(MigrationKind kind, int oldBuckets, int newBuckets, long releasedBytes) { }

    /**
     * Memory was released outside a migration's normal end.
     *
     * @param reason         why
     * @param releasedBytes  estimated bytes released (0 for a re-seed)
     * @param entriesRemoved entries dropped by it (only {@code clear()} drops entries)
     */
    default void cleanup(CleanupReason reason, long releasedBytes, int entriesRemoved) { }

    /**
     * Keys whose bucket chain was already full for {@link BucketTable#TREE_CHAIN_BUCKETS} buckets are
     * being kept in the table's collision tree, and it just reached {@code entries} entries (called at
     * each power of two). Only colliding hash codes make such chains: a sign of hash flooding, or of
     * a poor {@code hashCode()}.
     *
     * @param entries entries now in the collision tree
     */
    default void collisionTreeGrew(int entries) { }

    /**
     * A migration could not start because its new bucket array could not be allocated
     * ({@code OutOfMemoryError}); the table goes on with its current array (longer chains for a
     * growth) and tries again later.
     *
     * @param kind       the migration that was wanted
     * @param oldBuckets main buckets now
     * @param newBuckets main buckets it would have had
     */
    default void migrationDeferred(MigrationKind kind, int oldBuckets, int newBuckets) { }
}
