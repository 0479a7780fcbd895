package io.github.stripedmap.core;

/** What a table migration does to the bucket count. */
public enum MigrationKind {
    /** Twice as many buckets: the load passed {@link BucketTable#LOAD_NUM}/{@link BucketTable#LOAD_DEN} per bucket. */
    DOUBLE,
    /** The same number of buckets, rebuilt compactly: overflow chains had grown although the load is low. */
    SAME_SIZE,
    /** Fewer buckets (half, or fewer still for an explicit compaction): the load fell well below the threshold. */
    SHRINK
}
