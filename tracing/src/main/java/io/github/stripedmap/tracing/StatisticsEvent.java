package io.github.stripedmap.tracing;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** Periodic: one event per live map, summed over its stripes. */
@Name(StatisticsEvent.NAME)
@Label("Map Statistics")
@Description("Periodic snapshot of every live map: size, buckets, overflow, load, migration and estimated bytes")
@StackTrace(false)
@Period("5 s")
final class StatisticsEvent extends MapEvent {

    static final String NAME = "io.github.stripedmap.Statistics";

    @Label("Stripes")
    int stripes;

    @Label("Size")
    @Description("Entries")
    long size;

    @Label("Buckets")
    @Description("Main buckets of the current arrays, all stripes")
    long buckets;

    @Label("Overflow Buckets")
    long overflowBuckets;

    @Label("Collision Tree Entries")
    @Description("Entries kept in collision trees because too many keys shared their hash codes (hash flooding "
            + "or a poor hashCode()); normally 0")
    long collisionTreeEntries;

    @Label("Load")
    @Description("Entries per main bucket (growth past 6.5)")
    double load;

    @Label("Migration in Progress")
    boolean migrating;

    @Label("Migration Kind")
    @Description("Kind of a migration in progress (of one of the stripes), empty when none")
    String migrationKind;

    @Label("Migration Progress")
    @Description("Fraction of old buckets evacuated by the least advanced migration; 100% when none")
    @Percentage
    double migrationProgress;

    @Label("Estimated Size")
    @Description("Estimated bytes held by the map's bucket arrays (keys and values not included)")
    @DataAmount
    long estimatedBytes;
}
