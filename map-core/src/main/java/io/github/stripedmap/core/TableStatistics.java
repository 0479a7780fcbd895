package io.github.stripedmap.core;

/**
 * A snapshot of a bucket table's shape and memory.
 *
 * @param size              entries
 * @param buckets           main buckets of the current array
 * @param overflowBuckets   overflow buckets allocated, in chains or free for reuse (current and, during a migration, old array)
 * @param migration         the migration in progress, or {@code null} when none
 * @param migrationProgress fraction of old buckets evacuated, 1.0 when no migration runs
 * @param load              entries in the bucket arrays per main bucket of the current array
 * @param estimatedBytes    estimated bytes held by the table's arrays (compressed references assumed)
 * @param collisionTreeEntries entries kept in collision trees because their hash codes collided with
 *                          so many others that their bucket chains were full (normally 0; see
 *                          {@link TableObserver#collisionTreeGrew})
 */
public record TableStatistics(int size, int buckets, int overflowBuckets, MigrationKind migration,
                              double migrationProgress, double load, long estimatedBytes,
                              int collisionTreeEntries) {

    /**
     * A snapshot of a table without collision-tree entries.
     *
     * @param size              entries
     * @param buckets           main buckets of the current array
     * @param overflowBuckets   overflow buckets allocated
     * @param migration         the migration in progress, or {@code null}
     * @param migrationProgress fraction of old buckets evacuated
     * @param load              entries per main bucket
     * @param estimatedBytes    estimated bytes held
     */
    public TableStatistics(int size, int buckets, int overflowBuckets, MigrationKind migration,
                           double migrationProgress, double load, long estimatedBytes) {
        this(size, buckets, overflowBuckets, migration, migrationProgress, load, estimatedBytes, 0);
    }

    /**
     * Adds two snapshots (for a map made of several tables); the migration is kept if either has one.
     *
     * @param other the snapshot to add
     * @return the sum
     */
    public TableStatistics plus(TableStatistics other) {
        int totalBuckets = buckets + other.buckets;
        MigrationKind kind = migration != null ? migration : other.migration;
        double progress = Math.min(migrationProgress, other.migrationProgress);
        int total = size + other.size;
        int colliding = collisionTreeEntries + other.collisionTreeEntries;
        return new TableStatistics(total, totalBuckets, overflowBuckets + other.overflowBuckets, kind, progress,
                totalBuckets == 0 ? 0.0 : (double) (total - colliding) / totalBuckets,
                estimatedBytes + other.estimatedBytes, colliding);
    }
}
