package io.github.stripedmap.tracing;

import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * slf4j logging off the lock path. Observers run while a stripe lock is held, so they never call
 * slf4j (not even {@code isDebugEnabled()}, which some bindings route through user filters): they read
 * two volatile flags, and hand a line (format and arguments, not yet formatted) to a bounded jctools
 * MPSC queue. One daemon thread formats and logs, and refreshes the flags at least once a second. A full
 * queue drops the line (counted and reported later) rather than block.
 */
final class AsyncLog {

    static final int CAPACITY = 4096;
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A line to log: formatted by the logging thread. */
    private static final class Line {
        final boolean warn;
        final String format;
        final Object[] args;

        Line(boolean warn, String format, Object[] args) {
            this.warn = warn;
            this.format = format;
            this.args = args;
        }
    }

    private final Logger logger;
    private final MpscArrayQueue<Line> queue = new MpscArrayQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean debug;
    private volatile boolean warn;
    private final Thread thread;

    AsyncLog(Logger logger) {
        this.logger = logger;
        refreshLevels();
        this.thread = new Thread(this::run, "stripedmap-tracing-log");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static AsyncLog create() {
        return new AsyncLog(LoggerFactory.getLogger("io.github.stripedmap.tracing"));
    }

    private void refreshLevels() {
        debug = logger.isDebugEnabled();
        warn = logger.isWarnEnabled();
    }

    /** @return true if DEBUG lines would be logged (as of the last refresh); lock-path safe */
    boolean debugEnabled() {
        return debug;
    }

    /** @return true if WARN lines would be logged (as of the last refresh); lock-path safe */
    boolean warnEnabled() {
        return warn;
    }

    /** Queues a DEBUG line; never blocks. */
    void debug(String format, Object... args) {
        if (debug) {
            offer(new Line(false, format, args));
        }
    }

    /** Queues a WARN line; never blocks. */
    void warn(String format, Object... args) {
        if (warn) {
            offer(new Line(true, format, args));
        }
    }

    private void offer(Line line) {
        if (queue.offer(line)) {
            LockSupport.unpark(thread); // never blocks
        } else {
            dropped.incrementAndGet();
        }
    }

    /** @return lines dropped because the queue was full */
    long dropped() {
        return dropped.get();
    }

    /** @return lines handed to slf4j so far */
    long written() {
        return written.get();
    }

    /**
     * Waits until every line queued before the call was logged (tests).
     *
     * @param timeoutMillis how long to wait at most
     * @return true if the queue was drained in time
     */
    boolean awaitDrained(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        LockSupport.unpark(thread);
        while (!queue.isEmpty() || draining) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.unpark(thread);
            Thread.onSpinWait();
            LockSupport.parkNanos(100_000);
        }
        return true;
    }

    private volatile boolean draining;

    private void run() {
        long reportedDrops = 0;
        while (true) {
            draining = true;
            Line line;
            while ((line = queue.poll()) != null) {
                try {
                    if (line.warn) {
                        logger.warn(line.format, line.args);
                    } else {
                        logger.debug(line.format, line.args);
                    }
                    written.incrementAndGet();
                } catch (RuntimeException e) {
                    // a failing binding must not kill the logging thread
                }
            }
            long drops = dropped.get();
            if (drops != reportedDrops && warn) {
                logger.warn("stripedmap tracing: {} log lines dropped (queue of {} full)", drops - reportedDrops,
                        CAPACITY);
                reportedDrops = drops;
            }
            refreshLevels();
            draining = false;
            if (queue.isEmpty()) {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        }
    }
}
