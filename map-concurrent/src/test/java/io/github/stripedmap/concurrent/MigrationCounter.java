package io.github.stripedmap.concurrent;

import io.github.stripedmap.core.CleanupReason;
import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.MigrationTrigger;
import io.github.stripedmap.core.TableObserver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Counts, per stripe, what the stripes' tables report through the builder's
 * {@link StripedMap.Builder#observers(IntFunction) observers}: migrations started and finished by kind,
 * evacuation steps and cleanups. Thread-safe, for single- and multi-threaded tests alike.
 *
 * <p>It also checks what a stripe's lock must guarantee: the calls for one stripe never overlap (two
 * threads inside one stripe's observer at once mean two writers inside one table), a migration does not
 * start while another one of the same stripe runs, and evacuations happen only during a migration.
 * Violations are collected, never thrown into the map, and checked by {@link #assertNoViolations()}.
 */
final class MigrationCounter {

    private static final int KINDS = MigrationKind.values().length;
    private static final int TRIGGERS = MigrationTrigger.values().length;

    private final ConcurrentHashMap<Integer, StripeObserver> stripes = new ConcurrentHashMap<>();
    private final List<String> violations = new ArrayList<>();

    /** @return the factory to pass to {@link StripedMap.Builder#observers(IntFunction)} */
    IntFunction<TableObserver> factory() {
        // A racing first write may create a stripe twice and drop one: both get the same observer.
        return stripe -> stripes.computeIfAbsent(stripe, StripeObserver::new);
    }

    /** @return the observer of stripe {@code i}, or null if no table was ever created for it */
    StripeObserver stripe(int i) {
        return stripes.get(i);
    }

    /** @return migrations of {@code kind} started in all stripes */
    int started(MigrationKind kind) {
        return stripes.values().stream().mapToInt(s -> s.started(kind)).sum();
    }

    /** @return how many stripes started at least one migration of {@code kind} */
    int stripesThatStarted(MigrationKind kind) {
        return (int) stripes.values().stream().filter(s -> s.started(kind) > 0).count();
    }

    /** @return migrations of {@code kind} started for {@code trigger} in all stripes */
    int started(MigrationKind kind, MigrationTrigger trigger) {
        return stripes.values().stream().mapToInt(s -> s.started(kind, trigger)).sum();
    }

    /** @return how many stripes started at least one migration of {@code kind} for {@code trigger} */
    int stripesThatStarted(MigrationKind kind, MigrationTrigger trigger) {
        return (int) stripes.values().stream().filter(s -> s.started(kind, trigger) > 0).count();
    }

    /** @return evacuation steps reported by all stripes */
    long evacuations() {
        return stripes.values().stream().mapToLong(s -> s.evacuations.get()).sum();
    }

    /** @return cleanups of {@code reason} in all stripes */
    int cleanups(CleanupReason reason) {
        return stripes.values().stream().mapToInt(s -> s.cleanups.get(reason.ordinal())).sum();
    }

    /** @throws AssertionError if any stripe's observer saw a protocol violation */
    void assertNoViolations() {
        synchronized (violations) {
            if (!violations.isEmpty()) {
                throw new AssertionError("observer protocol violated: " + violations);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (MigrationKind kind : MigrationKind.values()) {
            for (MigrationTrigger trigger : MigrationTrigger.values()) {
                int n = started(kind, trigger);
                if (n > 0) {
                    sb.append(kind).append('/').append(trigger).append('=').append(n).append(" in ")
                            .append(stripesThatStarted(kind, trigger)).append(" stripes, ");
                }
            }
        }
        return sb.append("evacuations=").append(evacuations()).toString();
    }

    private void violation(String message) {
        synchronized (violations) {
            if (violations.size() < 20) {
                violations.add(message);
            }
        }
    }

    /** The observer of one stripe. */
    final class StripeObserver implements TableObserver {
        final int index;
        private final AtomicIntegerArray started = new AtomicIntegerArray(KINDS);
        private final AtomicIntegerArray startedByTrigger = new AtomicIntegerArray(KINDS * TRIGGERS);
        private final AtomicIntegerArray finished = new AtomicIntegerArray(KINDS);
        final AtomicIntegerArray cleanups = new AtomicIntegerArray(CleanupReason.values().length);
        final AtomicLong evacuations = new AtomicLong();
        /** The migration this stripe reported as started and not yet finished, or null. */
        volatile MigrationKind running;
        private final AtomicInteger inside = new AtomicInteger();

        StripeObserver(int index) {
            this.index = index;
        }

        int started(MigrationKind kind) {
            return started.get(kind.ordinal());
        }

        int started(MigrationKind kind, MigrationTrigger trigger) {
            return startedByTrigger.get(kind.ordinal() * TRIGGERS + trigger.ordinal());
        }

        int finished(MigrationKind kind) {
            return finished.get(kind.ordinal());
        }

        private void enter(String call) {
            int n = inside.incrementAndGet();
            if (n != 1) {
                violation("stripe " + index + ": " + call + " while another thread is inside the same stripe's"
                        + " observer: two writers in one table");
            }
        }

        private void exit() {
            inside.decrementAndGet();
        }

        @Override
        public void migrationStarted(MigrationKind kind, MigrationTrigger trigger, int oldBuckets, int newBuckets,
                                     int entries, int overflowBuckets) {
            enter("migrationStarted");
            try {
                if (running != null) {
                    violation("stripe " + index + ": " + kind + " started while " + running + " runs");
                }
                started.incrementAndGet(kind.ordinal());
                startedByTrigger.incrementAndGet(kind.ordinal() * TRIGGERS + trigger.ordinal());
                running = kind;
            } finally {
                exit();
            }
        }

        @Override
        public void bucketEvacuated(int oldBucket, int movedToX, int movedToY) {
            enter("bucketEvacuated");
            try {
                if (running == null) {
                    violation("stripe " + index + ": bucket " + oldBucket + " evacuated outside a migration");
                }
                evacuations.incrementAndGet();
            } finally {
                exit();
            }
        }

        @Override
        public void migrationFinished(MigrationKind kind, int oldBuckets, int newBuckets, long releasedBytes) {
            enter("migrationFinished");
            try {
                if (running != kind) {
                    violation("stripe " + index + ": " + kind + " finished while " + running + " runs");
                }
                finished.incrementAndGet(kind.ordinal());
                running = null;
            } finally {
                exit();
            }
        }

        @Override
        public void cleanup(CleanupReason reason, long releasedBytes, int entriesRemoved) {
            enter("cleanup");
            try {
                cleanups.incrementAndGet(reason.ordinal());
            } finally {
                exit();
            }
        }
    }
}
