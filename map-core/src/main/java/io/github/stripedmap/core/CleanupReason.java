package io.github.stripedmap.core;

/** Why a table released memory outside a normal migration. */
public enum CleanupReason {
    /** {@code clear()} dropped every entry and the bucket arrays. */
    CLEAR,
    /** An explicit compaction finished pending work and shrank the table. */
    COMPACTION,
    /** The table became empty and its hash seed was re-randomised. */
    RESEED
}
