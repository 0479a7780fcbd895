package io.github.stripedmap.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The seqlock version of a {@link BucketTable}: the one place where the table's memory ordering is
 * written down. Every other field of the table is plain.
 *
 * <p>The version is even while the table's slots are stable and odd while a writer is storing into
 * them. Writers are already mutually excluded by their owner (a single thread for {@link BucketMap},
 * the stripe lock for a concurrent map); the version is not a lock, it only tells optimistic readers
 * that what they read may be torn.
 *
 * <ul>
 *   <li>Writer: {@link #beginMutation()} stores {@code v + 1} and issues a store-store fence, so no
 *       store to the table can become visible before the odd version; the stores follow;
 *       {@link #endMutation()} stores {@code v + 2} with release semantics, so every store of the
 *       window is visible to whoever sees the new even version.</li>
 *   <li>Reader: {@link #beginRead()} loads the version with acquire semantics (waiting while it is odd,
 *       see below),
 *       then reads the table with plain loads, then {@link #unchangedSince(int)} issues a load-load
 *       fence and loads the version again. If it is unchanged, no store of any mutation window was
 *       seen (such a store would have been preceded by the odd version, which the second load could
 *       not have missed) and every store of earlier windows was seen (acquire), so the plain reads
 *       form a consistent snapshot. Otherwise the reader discards what it read and retries.</li>
 * </ul>
 * This is the validation pattern documented by {@link java.util.concurrent.locks.StampedLock}.
 *
 * <p><b>Waiting for an odd version.</b> A window lasts a few stores (or one bucket's evacuation), so a
 * reader that finds it open spins, but only {@link #SPINS_BEFORE_YIELD} times: then it yields its
 * processor on every further check. With more runnable threads than processors, the writer may have
 * been preempted inside its window; a reader that kept spinning would hold the processor the writer
 * needs for the rest of its time slice, and every reader of the stripe would do the same. Measured
 * before this rule: a 90/10 get/write mix with 8 threads on 2 cores took three times as long per
 * operation as {@code ConcurrentHashMap} (whose readers never wait); see docs/BENCHMARKS.md.
 */
abstract class MutationVersion {

    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(MutationVersion.class, "version", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Spins of a reader on an odd version before it starts yielding: 1.5 us of {@link Thread#onSpinWait()}
     * on the machine of docs/BENCHMARKS.md (24 ns each), many times the few stores of a running writer's window.
     */
    static final int SPINS_BEFORE_YIELD = 64;

    /** Even: stable; odd: a mutation window is open. Written only by the (single) writer. */
    @SuppressWarnings("unused") // accessed through VERSION
    private int version;

    /** Opens a mutation window: readers that overlap it will retry. Writer only; windows do not nest. */
    final void beginMutation() {
        int v = (int) VERSION.get(this);
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
    }

    /** Closes the mutation window opened by {@link #beginMutation()}, publishing its stores. */
    final void endMutation() {
        int v = (int) VERSION.get(this);
        VERSION.setRelease(this, v + 1);
    }

    /**
     * The version, loaded with acquire semantics as {@link #beginRead()} does, but without waiting: odd
     * while a mutation window is open. A reader's fast path starts with it and leaves waiting to its
     * slow path.
     *
     * @return the stamp to pass to {@link #unchangedSince(int)} if even
     */
    final int peekStamp() {
        return (int) VERSION.getAcquire(this);
    }

    /**
     * Starts an optimistic read: returns the current even version, spinning while a writer is inside
     * a mutation window (which lasts only as long as a few stores, never a user function).
     *
     * @return the stamp to pass to {@link #unchangedSince(int)}
     */
    public final int beginRead() {
        int v = peekStamp();
        return (v & 1) == 0 ? v : awaitClosedWindow();
    }

    /**
     * Waits until no window is open: spins briefly, then yields the processor between checks (the
     * writer may be waiting for it), and returns the even version then seen with acquire semantics.
     */
    private int awaitClosedWindow() {
        int v;
        int spins = 0;
        while (((v = (int) VERSION.getAcquire(this)) & 1) != 0) {
            if (spins < SPINS_BEFORE_YIELD) {
                spins++;
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return v;
    }

    /**
     * Ends an optimistic read.
     *
     * @param stamp the value returned by {@link #beginRead()}
     * @return true if no mutation window opened since, so everything read in between is consistent
     */
    public final boolean unchangedSince(int stamp) {
        VarHandle.loadLoadFence();
        return (int) VERSION.getOpaque(this) == stamp;
    }
}
