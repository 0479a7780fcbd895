package io.github.stripedmap.stress.support;

import io.github.stripedmap.core.CleanupReason;
import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.MigrationTrigger;
import io.github.stripedmap.core.TableObserver;

/**
 * A table observer that counts what the stripe's table did, so that a test can tell which race it
 * actually exercised (which writer started a growth, whether a re-seed happened, how many stripe
 * tables were built). The table calls it under the stripe lock, so its plain fields are written by one
 * thread at a time; the test reads them in the constructor (before the actors) or in the arbiter
 * (after both), both ordered by jcstress.
 */
public final class Probe implements TableObserver {

    /** Migrations started, by kind (index {@code MigrationKind.ordinal()}). */
    public final int[] started = new int[MigrationKind.values().length];
    /** Migrations finished. */
    public int finished;
    /** Old buckets evacuated. */
    public int evacuations;
    /** Entries moved by evacuations. */
    public int moved;
    /** Re-seeds after the table became empty. */
    public int reseeds;
    /** Clears. */
    public int clears;
    /** Tag of whoever the test says is writing now; copied into {@link #growthBy} when a doubling starts. */
    public int writer;
    /** The {@link #writer} tag current when the last doubling started, 0 if none did. */
    public int growthBy;

    @Override
    public void migrationStarted(MigrationKind kind, MigrationTrigger trigger, int oldBuckets, int newBuckets,
                                 int entries, int overflowBuckets) {
        started[kind.ordinal()]++;
        if (kind == MigrationKind.DOUBLE) {
            growthBy = writer;
        }
    }

    @Override
    public void bucketEvacuated(int oldBucket, int movedToX, int movedToY) {
        evacuations++;
        moved += movedToX + movedToY;
    }

    @Override
    public void migrationFinished(MigrationKind kind, int oldBuckets, int newBuckets, long releasedBytes) {
        finished++;
    }

    @Override
    public void cleanup(CleanupReason reason, long releasedBytes, int entriesRemoved) {
        if (reason == CleanupReason.RESEED) {
            reseeds++;
        } else if (reason == CleanupReason.CLEAR) {
            clears++;
        }
    }

    /**
     * @param kind a migration kind
     * @return how many migrations of that kind started
     */
    public int started(MigrationKind kind) {
        return started[kind.ordinal()];
    }
}
