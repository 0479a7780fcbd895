package io.github.stripedmap.tracing;

import io.github.stripedmap.core.CleanupReason;
import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.MigrationTrigger;
import io.github.stripedmap.core.TableObserver;

/** Tells two observers everything, the tracer first. */
final class TeeObserver implements TableObserver {

    private final TableTracer first;
    private final TableObserver second;

    TeeObserver(TableTracer first, TableObserver second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void migrationStarted(MigrationKind kind, MigrationTrigger trigger, int oldBuckets, int newBuckets,
                                 int entries, int overflowBuckets) {
        first.migrationStarted(kind, trigger, oldBuckets, newBuckets, entries, overflowBuckets);
        second.migrationStarted(kind, trigger, oldBuckets, newBuckets, entries, overflowBuckets);
    }

    @Override
    public void evacuationWorkStarting() {
        first.evacuationWorkStarting();
        second.evacuationWorkStarting();
    }

    @Override
    public void collisionTreeGrew(int entries) {
        first.collisionTreeGrew(entries);
        second.collisionTreeGrew(entries);
    }

    @Override
    public void migrationDeferred(MigrationKind kind, int oldBuckets, int newBuckets) {
        first.migrationDeferred(kind, oldBuckets, newBuckets);
        second.migrationDeferred(kind, oldBuckets, newBuckets);
    }

    @Override
    public void bucketEvacuated(int oldBucket, int movedToX, int movedToY) {
        first.bucketEvacuated(oldBucket, movedToX, movedToY);
        second.bucketEvacuated(oldBucket, movedToX, movedToY);
    }

    @Override
    public void migrationFinished(MigrationKind kind, int oldBuckets, int newBuckets, long releasedBytes) {
        first.migrationFinished(kind, oldBuckets, newBuckets, releasedBytes);
        second.migrationFinished(kind, oldBuckets, newBuckets, releasedBytes);
    }

    @Override
    public void cleanup(CleanupReason reason, long releasedBytes, int entriesRemoved) {
        first.cleanup(reason, releasedBytes, entriesRemoved);
        second.cleanup(reason, releasedBytes, entriesRemoved);
    }
}
