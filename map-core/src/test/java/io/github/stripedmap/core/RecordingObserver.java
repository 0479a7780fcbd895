package io.github.stripedmap.core;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A {@link TableObserver} that records what the table reports and checks the protocol as it goes:
 * migrations do not overlap; kind, trigger and bucket counts agree; every evacuation belongs to the
 * running migration, names an old bucket in range and evacuates it once; a finished migration matches
 * its start and evacuated every old bucket, unless it was abandoned because the table was emptied, in
 * which case the very next event must be a {@code CLEAR} or {@code RESEED} cleanup. Violations are
 * collected (never thrown from inside the map) and checked by {@link #assertNoViolations()}.
 */
final class RecordingObserver implements TableObserver {

  record Started(MigrationKind kind, MigrationTrigger trigger, int oldBuckets, int newBuckets, int entries,
                 int overflowBuckets) { }

  record Evacuated(int oldBucket, int movedToX, int movedToY) { }

  record Finished(MigrationKind kind, int oldBuckets, int newBuckets, long releasedBytes) { }

  record Cleanup(CleanupReason reason, long releasedBytes, int entriesRemoved) { }

  /** Events in order; only kept while {@link #keepEvents} (the differential runs only count). */
  final List<Object> events = new ArrayList<>();
  boolean keepEvents = true;

  final Map<MigrationKind, Integer> started = new EnumMap<>(MigrationKind.class);
  final Map<MigrationTrigger, Integer> startedByTrigger = new EnumMap<>(MigrationTrigger.class);
  /** Doublings that started right after a shrink (no other migration in between). */
  int growthsAfterShrink;
  final Map<MigrationKind, Integer> finished = new EnumMap<>(MigrationKind.class);
  final Map<CleanupReason, Integer> cleanups = new EnumMap<>(CleanupReason.class);
  /** Total bucketEvacuated calls so far: callers diff it around an operation. */
  long evacuations;
  /** The entry counts of collisionTreeGrew calls, in order (not kept in {@link #events}). */
  final List<Integer> collisionTreeReports = new ArrayList<>();
  /** Total evacuationWorkStarting calls so far (not kept in {@link #events}). */
  long workStarts;
  /** Total entries reported moved by evacuations. */
  long entriesMoved;

  /** The running migration as reported by the observer, or null. */
  Started current;
  /** The last migration that was started (running or not). */
  Started lastStarted;
  private BitSet evacuatedOldBuckets = new BitSet();
  private long movedInCurrent;
  /** A migration that finished without evacuating everything: only a table being emptied may do that. */
  private Finished abandoned;

  final List<String> violations = new ArrayList<>();

  @Override
  public void migrationStarted(MigrationKind kind, MigrationTrigger trigger, int oldBuckets, int newBuckets,
                               int entries, int overflowBuckets) {
    Started s = new Started(kind, trigger, oldBuckets, newBuckets, entries, overflowBuckets);
    record(s);
    checkNotAbandoned(s);
    if (current != null) {
      violation("migration " + s + " started while " + current + " is still running");
    }
    if (kind == null || trigger == null) {
      violation("migrationStarted without kind or trigger: " + s);
    } else {
      switch (kind) {
        case DOUBLE -> check(newBuckets == 2 * oldBuckets
            && (trigger == MigrationTrigger.LOAD || trigger == MigrationTrigger.COMPACTION), () -> "bad DOUBLE " + s);
        case SAME_SIZE -> check(newBuckets == oldBuckets
            && (trigger == MigrationTrigger.OVERFLOW || trigger == MigrationTrigger.COMPACTION), () -> "bad SAME_SIZE " + s);
        case SHRINK -> check(newBuckets < oldBuckets && newBuckets >= 1
            && (trigger == MigrationTrigger.COMPACTION
                || trigger == MigrationTrigger.UNDERLOAD && newBuckets * 2 == oldBuckets), () -> "bad SHRINK " + s);
        default -> violation("unknown kind " + s);
      }
    }
    check(Integer.bitCount(oldBuckets) == 1 && Integer.bitCount(newBuckets) == 1,
        () -> "bucket counts must be powers of two: " + s);
    check(entries >= 0 && overflowBuckets >= 0, () -> "negative counts: " + s);
    started.merge(kind, 1, Integer::sum);
    startedByTrigger.merge(trigger, 1, Integer::sum);
    if (kind == MigrationKind.DOUBLE && lastStarted != null && lastStarted.kind() == MigrationKind.SHRINK) {
      growthsAfterShrink++;
    }
    lastStarted = s;
    current = s;
    evacuatedOldBuckets = new BitSet(oldBuckets);
    movedInCurrent = 0;
  }

  @Override
  public void collisionTreeGrew(int entries) {
    if (Integer.bitCount(entries) != 1) {
      violation("collisionTreeGrew(" + entries + "): not a power of two");
    }
    collisionTreeReports.add(entries);
  }

  @Override
  public void evacuationWorkStarting() {
    workStarts++;
    if (current == null) {
      violation("evacuationWorkStarting outside a migration");
    }
  }

  @Override
  public void bucketEvacuated(int oldBucket, int movedToX, int movedToY) {
    Evacuated e = new Evacuated(oldBucket, movedToX, movedToY);
    record(e);
    checkNotAbandoned(e);
    evacuations++;
    entriesMoved += movedToX + movedToY;
    if (current == null) {
      violation("bucketEvacuated " + e + " outside a migration");
      return;
    }
    check(oldBucket >= 0 && oldBucket < current.oldBuckets(), () -> "old bucket out of range: " + e + " in " + current);
    check(movedToX >= 0 && movedToY >= 0, () -> "negative moves: " + e);
    check(current.kind() == MigrationKind.DOUBLE || movedToY == 0,
        () -> "only a doubling moves entries to Y: " + e + " in " + current);
    if (oldBucket >= 0) {
      check(!evacuatedOldBuckets.get(oldBucket), () -> "old bucket evacuated twice: " + e + " in " + current);
      evacuatedOldBuckets.set(oldBucket);
    }
    movedInCurrent += movedToX + movedToY;
  }

  @Override
  public void migrationFinished(MigrationKind kind, int oldBuckets, int newBuckets, long releasedBytes) {
    Finished f = new Finished(kind, oldBuckets, newBuckets, releasedBytes);
    record(f);
    checkNotAbandoned(f);
    if (current == null) {
      violation("migrationFinished " + f + " without a running migration");
    } else {
      check(kind == current.kind() && oldBuckets == current.oldBuckets() && newBuckets == current.newBuckets(),
          () -> "finished " + f + " does not match started " + current);
      if (evacuatedOldBuckets.cardinality() != current.oldBuckets()) {
        abandoned = f;
      }
    }
    check(releasedBytes > 0, () -> "a finished migration releases its old arrays, but releasedBytes=" + releasedBytes);
    finished.merge(kind, 1, Integer::sum);
    current = null;
  }

  @Override
  public void cleanup(CleanupReason reason, long releasedBytes, int entriesRemoved) {
    Cleanup c = new Cleanup(reason, releasedBytes, entriesRemoved);
    record(c);
    if (abandoned != null && reason != CleanupReason.CLEAR && reason != CleanupReason.RESEED) {
      checkNotAbandoned(c);
    }
    abandoned = null;
    check(reason != null && releasedBytes >= 0 && entriesRemoved >= 0, () -> "bad cleanup " + c);
    check(reason == CleanupReason.CLEAR || entriesRemoved == 0, () -> "only clear() drops entries: " + c);
    cleanups.merge(reason, 1, Integer::sum);
  }

  /** Entries reported moved so far by the running migration. */
  long movedInCurrentMigration() {
    return movedInCurrent;
  }

  int started(MigrationKind kind) {
    return started.getOrDefault(kind, 0);
  }

  int startedTotal() {
    return started.values().stream().mapToInt(Integer::intValue).sum();
  }

  int started(MigrationTrigger trigger) {
    return startedByTrigger.getOrDefault(trigger, 0);
  }

  int finishedTotal() {
    return finished.values().stream().mapToInt(Integer::intValue).sum();
  }

  int finished(MigrationKind kind) {
    return finished.getOrDefault(kind, 0);
  }

  int cleanups(CleanupReason reason) {
    return cleanups.getOrDefault(reason, 0);
  }

  <T> List<T> events(Class<T> type) {
    List<T> result = new ArrayList<>();
    for (Object e : events) {
      if (type.isInstance(e)) {
        result.add(type.cast(e));
      }
    }
    return result;
  }

  void assertNoViolations() {
    checkNotAbandoned("end of the operation");
    if (!violations.isEmpty()) {
      throw new AssertionError("observer protocol violated: " + violations);
    }
  }

  private void checkNotAbandoned(Object next) {
    if (abandoned != null) {
      violation("migration finished after evacuating only part of its old buckets, and not because the table"
          + " was emptied: " + abandoned + " followed by " + next);
      abandoned = null;
    }
  }

  private void record(Object event) {
    if (keepEvents) {
      events.add(event);
    }
  }

  private void check(boolean condition, Supplier<String> message) {
    if (!condition) {
      violation(message.get());
    }
  }

  private void violation(String message) {
    if (violations.size() < 20) {
      violations.add(message);
    }
  }
}
