package io.github.stripedmap.concurrent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Threads for a bounded multi-threaded test: each runs a body until {@link #stopping()} (or until the
 * body returns), failures are collected, the first failure stops everyone, and {@link #stopAndJoin()}
 * fails the test, with the stuck threads' stacks, if any thread does not end in time, so a deadlock
 * fails instead of hanging the build. Threads are daemons: a stuck one cannot keep the JVM alive.
 */
final class Workers {

    /** A worker's body. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** The longest {@link #runFor(Duration, BooleanSupplier)} waits for enough work (unless scaled up). */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final CountDownLatch failed = new CountDownLatch(1);
    private volatile boolean stop;

    Workers(String name) {
        this.name = name;
    }

    /** Starts a thread running {@code body}; call {@link #stopAndJoin()} at the end. */
    Workers start(String threadName, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
                stop = true;
                failed.countDown();
            }
        }, name + "-" + threadName);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return this;
    }

    /** @return true once the workers should finish */
    boolean stopping() {
        return stop;
    }

    /** Waits for {@code duration}, or less if a worker fails. */
    void runFor(Duration duration) throws InterruptedException {
        failed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits at least {@code duration} and then until {@code enough} holds (the work the test needs,
     * such as migrations it must race with, was done), but at most {@link #MAX_WAIT}; less if a worker
     * fails. On a loaded machine the work takes longer; the caller asserts on it afterwards.
     */
    void runFor(Duration duration, BooleanSupplier enough) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(MAX_WAIT.toNanos(), 3 * duration.toNanos());
        if (failed.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        while (!enough.getAsBoolean() && System.nanoTime() < deadline) {
            if (failed.await(10, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /**
     * Asks every worker to stop and waits for all of them, then rethrows the first failure.
     *
     * @throws AssertionError if a worker failed, or did not end within 30 seconds (with its stack)
     */
    void stopAndJoin() throws InterruptedException {
        stop = true;
        join();
    }

    /** Waits for workers that end by themselves (bounded like {@link #stopAndJoin()}). */
    void join() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Thread> stuck = new ArrayList<>();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                stuck.add(t);
            }
        }
        if (!stuck.isEmpty()) {
            StringBuilder sb = new StringBuilder("threads still running 30 s after being told to stop (deadlock?):");
            for (Thread t : stuck) {
                ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(new long[] {t.getId()}, true, true)[0];
                sb.append("\n").append(info != null ? info.toString() : t.getName());
                for (StackTraceElement e : t.getStackTrace()) {
                    sb.append("\n\tat ").append(e);
                }
            }
            AssertionError error = new AssertionError(sb.toString());
            failures.forEach(error::addSuppressed);
            throw error;
        }
        assertNoFailures();
    }

    private void assertNoFailures() {
        Throwable first = failures.peek();
        if (first != null) {
            AssertionError error = new AssertionError(name + ": a worker failed: " + first, first);
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }
}
