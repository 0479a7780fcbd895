package io.github.stripedmap.core;

/** Why a table migration started. */
public enum MigrationTrigger {
    /** An insert pushed the average load past the growth threshold. */
    LOAD,
    /** Too many overflow buckets for the bucket count (a same-size rebuild). */
    OVERFLOW,
    /** A delete left the average load below the shrink threshold. */
    UNDERLOAD,
    /** An explicit compaction request ({@code trimToSize()}). */
    COMPACTION
}
