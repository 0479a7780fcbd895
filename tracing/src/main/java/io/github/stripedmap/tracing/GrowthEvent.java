package io.github.stripedmap.tracing;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.SettingDefinition;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One migration of one bucket table, from the write that started it (new arrays allocated) to the
 * write that evacuated its last old bucket. No stack trace: the event is committed by whichever write
 * finished the migration, so its stack would not say who caused it; {@link #triggeredBy} names the
 * thread whose write started it.
 */
@Name(GrowthEvent.NAME)
@Label("Table Migration")
@Description("A bucket table's progressive migration (doubling, same-size rebuild or shrink), from its start to "
        + "its last evacuated old bucket, with what it moved and what its largest single step cost")
@StackTrace(false)
final class GrowthEvent extends MapEvent {

    static final String NAME = "io.github.stripedmap.Growth";

    @Label("Kind")
    @Description("DOUBLE (twice the buckets), SAME_SIZE (compact rebuild of overflow chains) or SHRINK")
    String kind;

    @Label("Trigger")
    @Description("LOAD (over 6.5 entries per bucket), OVERFLOW (too many overflow buckets), UNDERLOAD (deletes), "
            + "COMPACTION (trimToSize)")
    String trigger;

    @Label("Old Buckets")
    int oldBuckets;

    @Label("New Buckets")
    int newBuckets;

    @Label("Entries at Start")
    int entries;

    @Label("Overflow Buckets at Start")
    int overflowBuckets;

    @Label("Evacuation Steps")
    @Description("Old buckets evacuated (one step each); equals Old Buckets unless the table was emptied first")
    int evacuationSteps;

    @Label("Evacuating Writes")
    @Description("Operations (writes, or one trimToSize) that did evacuation work, at most two steps each")
    int operations;

    @Label("Longest Step")
    @Description("Longest single evacuation step measured (N/A when no step could be timed)")
    @Timespan(Timespan.NANOSECONDS)
    long longestStep = Long.MIN_VALUE;

    @Label("Largest Step")
    @Description("Most entries moved by a single evacuation step (one old bucket with its overflow chain)")
    int largestStep;

    @Label("Released")
    @Description("Estimated bytes of the old bucket arrays released when the migration ended")
    @DataAmount
    long releasedBytes;

    @Label("Completed")
    @Description("False when the table was cleared or emptied before every old bucket was evacuated")
    boolean completed;

    @Label("Triggering Thread")
    @Description("The thread whose write started the migration")
    Thread triggeredBy;

    /**
     * The {@code minimumBuckets} setting: migrations of tables with fewer old buckets are not recorded
     * (default 0: all; the shipped settings say 64, leaving out the start-up churn of tiny tables).
     *
     * @param setting the setting in force
     * @return true if this migration is recorded
     */
    @Name("minimumBuckets")
    @Label("Minimum Old Buckets")
    @Description("Migrations of tables with fewer old buckets are not recorded")
    @SettingDefinition
    protected boolean minimumBuckets(MinimumSetting.Buckets setting) {
        return oldBuckets >= setting.minimum();
    }
}
