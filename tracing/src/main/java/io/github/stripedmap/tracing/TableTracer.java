package io.github.stripedmap.tracing;

import io.github.stripedmap.core.CleanupReason;
import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.MigrationTrigger;
import io.github.stripedmap.core.TableObserver;

import jdk.jfr.EventType;

/**
 * The observer of one bucket table (one stripe): turns its callbacks into JFR events and log lines.
 *
 * <p>Every callback runs on the writing thread while it holds the table's exclusion (the stripe lock),
 * which also orders the callbacks of successive writers, so the in-flight state below needs no
 * synchronisation. Callbacks never block, never call slf4j and allocate only when an event is
 * recorded or a line logged. With no recording and logging below DEBUG a migration costs a few field
 * stores per step.
 *
 * <h2>Timing steps and counting writes</h2>
 * The engine calls {@link #evacuationWorkStarting()} when a write (or a compaction) begins its
 * migration work, and {@link #bucketEvacuated} after each step. On the first such call this class
 * switches to exact mode: each write is counted once, and for one write in
 * {@code SAMPLE_MASK + 1} the first step (the written key's own old bucket, the one that may hold a
 * pathological chain) is timed from the write's start; while Evacuation events are recorded, every step
 * of every write is timed. A clock read costs about as much as a small step, hence the sampling: Longest
 * Step is the longest sampled step, and Largest Step (entries moved) is exact.
 * <p>Without the begin call (an observer wrapper that does not forward it) a pairing heuristic applies:
 * a write evacuates its key's old bucket and then the lowest unevacuated one (the cursor), so a cursor
 * step that directly follows a non-cursor step (or the migration's start) on the same thread is the
 * second half of the same write; it is timed from the end of the previous callback and not counted as a
 * new write. The first step of other writes cannot be timed this way, and a compaction's steps each
 * count as a write.
 */
final class TableTracer implements TableObserver {

    /** A single evacuation step moving this many entries means a chain of 8+ buckets: warn (hash flooding?). */
    static final int PATHOLOGICAL_STEP_ENTRIES = 64;
    /** Collision-tree sizes warned about after the first entry: 1024, 4096, 16384, ... (growth by 4x). */
    static final int COLLISION_WARN_STEP = 1024;

    private static final EventType GROWTH = EventType.getEventType(GrowthEvent.class);
    private static final EventType EVACUATION = EventType.getEventType(EvacuationEvent.class);
    private static final EventType CLEANUP = EventType.getEventType(CleanupEvent.class);

    /**
     * Steps are timed for one write in {@code SAMPLE_MASK + 1} (a clock read costs about as much as a
     * small step: timing every write would add about 2% to a cache-resident map's inserts), and for
     * every write while Evacuation events are recorded.
     */
    static final int SAMPLE_MASK = 31;

    private static final int LAST_NONE = 0;
    private static final int LAST_START = 1;
    private static final int LAST_OWN_STEP = 2;
    private static final int LAST_CURSOR_STEP = 3;

    private final MapTrace map;
    private final int stripe;

    // ---- the migration in flight (valid while migrating) ----
    private boolean migrating;
    private MigrationKind kind;
    private MigrationTrigger trigger;
    private int oldBuckets;
    private int newBuckets;
    private int entriesAtStart;
    private int overflowAtStart;
    private int steps;
    private int operations;
    private int largestStep;
    private int largestStepBucket;
    private long longestStepNanos;
    private long startNanos;
    /** Step timing and write counting wanted (a Growth event or a DEBUG line will report them). */
    private boolean detailed;
    private GrowthEvent growth;

    // ---- step pairing (detailed only) ----
    /** Evacuated old buckets, to recognise the cursor step (without the begin hook). */
    private long[] evacuatedBits;
    /** The lowest old bucket not yet evacuated. */
    private int cursor;
    private int lastCallback = LAST_NONE;
    private Thread lastThread;
    private long lastEndNanos;
    /** Exact mode: the engine calls {@link #evacuationWorkStarting()}. */
    private boolean beginHook;
    /** {@link #SAMPLE_MASK}, or 0 to time every write. */
    private int sampleMask;
    /** Writes (or own-bucket steps, without the hook) seen, for sampling. */
    private int sampleCounter;
    /** The clock was read at the end of the previous callback (or at the write's start, with the hook). */
    private boolean clockRead;

    TableTracer(MapTrace map, int stripe) {
        this.map = map;
        this.stripe = stripe;
    }

    @Override
    public void migrationStarted(MigrationKind kind, MigrationTrigger trigger, int oldBuckets, int newBuckets,
                                 int entries, int overflowBuckets) {
        this.migrating = true;
        this.kind = kind;
        this.trigger = trigger;
        this.oldBuckets = oldBuckets;
        this.newBuckets = newBuckets;
        this.entriesAtStart = entries;
        this.overflowAtStart = overflowBuckets;
        this.steps = 0;
        this.operations = 0;
        this.largestStep = 0;
        this.largestStepBucket = -1;
        this.longestStepNanos = Long.MIN_VALUE;
        boolean debug = map.log.debugEnabled();
        GrowthEvent event = null;
        if (GROWTH.isEnabled() && oldBuckets >= MinimumSetting.Buckets.current) {
            event = new GrowthEvent();
            event.begin();
            event.triggeredBy = Thread.currentThread();
        }
        this.growth = event;
        this.detailed = event != null || debug;
        if (detailed) {
            long now = System.nanoTime();
            this.startNanos = now;
            this.cursor = 0;
            this.evacuatedBits = beginHook ? null : new long[(oldBuckets + 63) >>> 6];
            // A shrink starts at the end of a delete: the next step belongs to a later write.
            this.lastCallback = trigger == MigrationTrigger.UNDERLOAD ? LAST_NONE : LAST_START;
            this.lastThread = Thread.currentThread();
            this.lastEndNanos = now;
            this.clockRead = true;
            this.sampleMask = EVACUATION.isEnabled() ? 0 : SAMPLE_MASK;
        }
        if (debug) {
            map.log.debug("stripedmap: map {} stripe {}: {} migration started ({}), {} -> {} buckets, {} entries, "
                    + "{} overflow buckets", map, stripe, kind, trigger, oldBuckets, newBuckets, entries, overflowBuckets);
        }
    }

    /**
     * A write (or a compaction) is about to do migration work: switches this tracer to exact mode, where
     * the write is counted here (Operations: writes that did migration work, including the rare one that
     * found its buckets already evacuated) and, for one write in {@code SAMPLE_MASK + 1}, its first step
     * is timed from here (every step of every write while Evacuation events are recorded).
     */
    @Override
    public void evacuationWorkStarting() {
        if (!migrating || !detailed) {
            return;
        }
        if (!beginHook) {
            beginHook = true;
            evacuatedBits = null;
        }
        operations++;
        clockRead = (++sampleCounter & sampleMask) == 0;
        if (clockRead) {
            lastEndNanos = System.nanoTime();
        }
    }

    @Override
    public void bucketEvacuated(int oldBucket, int movedToX, int movedToY) {
        // Kept small so that the JIT inlines it into the engine's evacuation loop; the rest is out of line.
        if (!migrating) {
            return; // not ours (a recording or tracer attached mid-migration sees the rest only)
        }
        steps++;
        int moved = movedToX + movedToY;
        if (moved > largestStep) {
            largestStep = moved;
            largestStepBucket = oldBucket;
        }
        if (beginHook) { // exact mode: a clock read for the first step of sampled writes only
            long stepNanos = Long.MIN_VALUE;
            if (clockRead) { // a sampled write: its first step (the written key's own bucket) is timed
                stepNanos = timeStep();
                clockRead = sampleMask == 0; // while Evacuation events are recorded, every step is
            }
            if (EVACUATION.isEnabled()) {
                commitEvacuation(oldBucket, movedToX, movedToY, stepNanos);
            }
        } else if (detailed || EVACUATION.isEnabled()) {
            detailedStep(oldBucket, movedToX, movedToY);
        }
    }

    /** The step that just ended, timed from the end of the previous one (or from the write's start). */
    private long timeStep() {
        long now = System.nanoTime();
        long stepNanos = now - lastEndNanos;
        if (stepNanos > longestStepNanos) {
            longestStepNanos = stepNanos;
        }
        lastEndNanos = now;
        return stepNanos;
    }

    /** Step timing, write counting and the Evacuation event. */
    private void detailedStep(int oldBucket, int movedToX, int movedToY) {
        long stepNanos = Long.MIN_VALUE;
        if (detailed) { // pairing heuristic: the engine has not called evacuationWorkStarting()
            Thread current = Thread.currentThread();
            boolean atCursor = oldBucket == cursor;
            markEvacuated(oldBucket);
            boolean sameThread = current == lastThread;
            boolean sameWrite = sameThread && atCursor && lastCallback == LAST_OWN_STEP;
            boolean timed = clockRead && sameThread && (lastCallback == LAST_START || sameWrite);
            lastCallback = atCursor ? LAST_CURSOR_STEP : LAST_OWN_STEP;
            // a cursor step ends its write's migration work; an own-bucket step may start a timed pair
            boolean mayPair = !atCursor && (++sampleCounter & sampleMask) == 0;
            if (!sameThread) {
                lastThread = current; // stored only on a change: a reference store costs a GC barrier
            }
            if (!sameWrite) {
                operations++;
            }
            clockRead = timed || mayPair;
            if (clockRead) { // at most one clock read per step, and only for sampled writes
                long now = System.nanoTime();
                if (timed) {
                    stepNanos = now - lastEndNanos;
                    if (stepNanos > longestStepNanos) {
                        longestStepNanos = stepNanos;
                    }
                }
                lastEndNanos = now;
            }
        }
        if (EVACUATION.isEnabled()) {
            commitEvacuation(oldBucket, movedToX, movedToY, stepNanos);
        }
    }

    private void commitEvacuation(int oldBucket, int movedToX, int movedToY, long stepNanos) {
        EvacuationEvent e = new EvacuationEvent();
        if (e.shouldCommit()) {
            e.set(map, stripe);
            e.kind = kind.name();
            e.oldBucket = oldBucket;
            e.movedToX = movedToX;
            e.movedToY = movedToY;
            e.stepDuration = stepNanos;
            e.commit();
            if (clockRead) {
                lastEndNanos = System.nanoTime(); // the commit is not part of the next step
            }
        }
    }

    private void markEvacuated(int oldBucket) {
        long[] bits = evacuatedBits;
        if (bits == null || oldBucket < 0 || oldBucket >= oldBuckets) {
            return;
        }
        bits[oldBucket >>> 6] |= 1L << oldBucket;
        if (oldBucket == cursor) { // advance to the next zero bit, a word at a time (no per-bit branches)
            int w = oldBucket >>> 6;
            long free = ~bits[w] & (-1L << oldBucket);
            while (free == 0 && ++w < bits.length) {
                free = ~bits[w];
            }
            cursor = free == 0 ? oldBuckets : Math.min(oldBuckets, (w << 6) + Long.numberOfTrailingZeros(free));
        }
    }

    @Override
    public void migrationFinished(MigrationKind kind, int oldBuckets, int newBuckets, long releasedBytes) {
        if (!migrating) {
            return;
        }
        migrating = false;
        evacuatedBits = null;
        boolean completed = steps >= this.oldBuckets;
        GrowthEvent event = growth;
        growth = null;
        if (event != null) {
            event.end();
            event.oldBuckets = oldBuckets; // read by the minimumBuckets setting in shouldCommit()
            if (event.shouldCommit()) {
                event.set(map, stripe);
                event.kind = kind.name();
                event.trigger = trigger.name();
                event.oldBuckets = oldBuckets;
                event.newBuckets = newBuckets;
                event.entries = entriesAtStart;
                event.overflowBuckets = overflowAtStart;
                event.evacuationSteps = steps;
                event.operations = operations;
                event.longestStep = longestStepNanos;
                event.largestStep = largestStep;
                event.releasedBytes = completed ? releasedBytes : 0;
                event.completed = completed;
                event.commit();
            }
        }
        // A migration cut short by clear() or by the table emptying is followed by a cleanup() that
        // reports every array it released; a compaction's migrations are reported by its own cleanup().
        if (completed && trigger != MigrationTrigger.COMPACTION) {
            commitCleanup("MIGRATION", releasedBytes, 0);
        }
        AsyncLog log = map.log;
        if (largestStep >= PATHOLOGICAL_STEP_ENTRIES && log.warnEnabled() && map.mayWarn(System.nanoTime())) {
            log.warn("stripedmap: map {} stripe {}: one bucket held {} entries (old bucket {} of {}; the average is "
                    + "about 6.5): many keys share a hashCode(), a poor hashCode() or hash flooding", map, stripe,
                    largestStep, largestStepBucket, oldBuckets);
        }
        if (detailed && log.debugEnabled()) {
            long tookMicros = (System.nanoTime() - startNanos) / 1_000;
            log.debug("stripedmap: map {} stripe {}: {} migration {} -> {} buckets {} in {} us: {} steps by {} writes, "
                    + "longest step {} ns, largest step {} entries, released {} bytes", map, stripe, kind, oldBuckets,
                    newBuckets, completed ? "finished" : "cut short (table emptied)", tookMicros, steps, operations,
                    longestStepNanos == Long.MIN_VALUE ? "n/a" : longestStepNanos, largestStep, releasedBytes);
        }
    }

    /** Warns (rate-limited per map) when a collision tree is started and each time it reaches a power of 4 x 1024. */
    @Override
    public void collisionTreeGrew(int entries) {
        AsyncLog log = map.log;
        boolean milestone = entries == 1 || entries >= COLLISION_WARN_STEP && Integer.numberOfTrailingZeros(entries) % 2 == 0;
        if (milestone && log.warnEnabled() && map.mayWarn(System.nanoTime())) {
            log.warn("stripedmap: map {} stripe {}: {} keys are kept in a collision tree because their bucket chain "
                    + "is full: many keys share a hashCode(), a poor hashCode() or hash flooding", map, stripe, entries);
        }
    }

    @Override
    public void migrationDeferred(MigrationKind kind, int oldBuckets, int newBuckets) {
        AsyncLog log = map.log;
        if (log.warnEnabled()) {
            log.warn("stripedmap: map {} stripe {}: {} migration {} -> {} buckets deferred: its arrays could not be "
                    + "allocated (OutOfMemoryError); the table goes on with longer chains and retries later", map, stripe,
                    kind, oldBuckets, newBuckets);
        }
    }

    @Override
    public void cleanup(CleanupReason reason, long releasedBytes, int entriesRemoved) {
        commitCleanup(reason.name(), releasedBytes, entriesRemoved);
        if (reason != CleanupReason.RESEED) {
            map.log.debug("stripedmap: map {} stripe {}: {} released {} bytes, removed {} entries", map, stripe,
                    reason, releasedBytes, entriesRemoved);
        }
    }

    private void commitCleanup(String reason, long releasedBytes, int entriesRemoved) {
        if (CLEANUP.isEnabled() && releasedBytes >= MinimumSetting.Released.current) {
            CleanupEvent e = new CleanupEvent();
            e.releasedBytes = releasedBytes; // read by the minimumReleased setting in shouldCommit()
            if (e.shouldCommit()) {
                e.set(map, stripe);
                e.reason = reason;
                e.releasedBytes = releasedBytes;
                e.entriesRemoved = entriesRemoved;
                e.commit();
            }
        }
    }
}
