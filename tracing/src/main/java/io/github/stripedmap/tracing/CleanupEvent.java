package io.github.stripedmap.tracing;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Memory a table gave back. With a stack trace (rare, and it answers "who cleared or compacted this
 * map"); the shipped settings keep it.
 */
@Name(CleanupEvent.NAME)
@Label("Table Cleanup")
@Description("Bucket arrays released: after a migration, by clear(), by trimToSize(), or when a table became empty "
        + "(its hash seed re-randomised)")
@StackTrace(true)
final class CleanupEvent extends MapEvent {

    static final String NAME = "io.github.stripedmap.Cleanup";

    @Label("Reason")
    @Description("MIGRATION (old arrays after a migration), CLEAR, COMPACTION (net bytes of a trimToSize, migrations "
            + "it ran included), RESEED (the table became empty)")
    String reason;

    @Label("Released")
    @Description("Estimated bytes released")
    @DataAmount
    long releasedBytes;

    @Label("Entries Removed")
    @Description("Entries dropped (only clear() drops entries)")
    int entriesRemoved;
}
