package io.github.stripedmap.tracing;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.SettingDefinition;
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

    /**
     * The {@code minimumReleased} setting: cleanups that release fewer bytes are not recorded (default 0:
     * all; the shipped settings say 4 KB, the old arrays of a 64-bucket table).
     *
     * @param setting the setting in force
     * @return true if this cleanup is recorded
     */
    @Name("minimumReleased")
    @Label("Minimum Released")
    @Description("Cleanups that release fewer bytes are not recorded (a number of bytes, or with KB, MB)")
    @SettingDefinition
    protected boolean minimumReleased(MinimumSetting.Released setting) {
        return releasedBytes >= setting.minimum();
    }
}
