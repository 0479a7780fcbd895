package io.github.stripedmap.tracing;

import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** One evacuation step: an old bucket and its overflow chain moved into the new arrays. Frequent: off by default. */
@Name(EvacuationEvent.NAME)
@Label("Bucket Evacuation")
@Description("One progressive-migration step: an old bucket and its overflow chain moved into the new arrays by a write")
@StackTrace(false)
@Enabled(false)
final class EvacuationEvent extends MapEvent {

    static final String NAME = "io.github.stripedmap.Evacuation";

    @Label("Kind")
    @Description("The migration's kind: DOUBLE, SAME_SIZE or SHRINK")
    String kind;

    @Label("Old Bucket")
    int oldBucket;

    @Label("Moved to X")
    @Description("Entries moved to the new bucket with the same index (for SAME_SIZE and SHRINK: all entries, merged)")
    int movedToX;

    @Label("Moved to Y")
    @Description("Entries moved to the new bucket at index + old bucket count (DOUBLE only)")
    int movedToY;

    @Label("Step Duration")
    @Description("Time the step took, when it could be timed (N/A otherwise)")
    @Timespan(Timespan.NANOSECONDS)
    long stepDuration = Long.MIN_VALUE;
}
