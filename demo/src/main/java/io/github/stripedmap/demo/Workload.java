package io.github.stripedmap.demo;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the phases of the experiment on one map with {@code threads} writer threads.
 *
 * <p>Thread {@code t} owns the keys {@code seq * threads + t}: it inserts them in increasing
 * {@code seq} and expires or deletes them oldest first, so every thread's live keys are the window
 * {@code [oldest, next)} of its sequence and the map's live size is known exactly at all times. Every
 * write is timed with {@code System.nanoTime()} into an HdrHistogram; reads after the drain check the
 * value of a key that must be there.
 */
final class Workload {

    /** Keys per {@code putAll} in the batch phase. */
    static final int BATCH = 1_000;
    /** Reads per write while the drained map keeps serving. */
    static final int READS_PER_WRITE = 99;
    /** Percent of the keys the drain leaves. */
    static final int DRAIN_KEEP_PERCENT = 1;
    /** Churn stops after this many times the live size of writes, even before its time is up. */
    static final int MAX_CHURN_ROUNDS = 10;
    /** Operations between two looks at the clock for a phase's deadline. */
    private static final int DEADLINE_CHECK_INTERVAL = 256;
    /** Histogram range: 1 ns to 60 s at 3 significant digits. */
    private static final long HISTOGRAM_MAX_NANOS = 60_000_000_000L;
    private static final int HISTOGRAM_DIGITS = 3;

    private final ConcurrentMap<Long, Long> map;
    private final int threads;
    private final long[] next;
    private final long[] oldest;
    private final long[] share;

    /** What one phase did. */
    record Run(Histogram latency, long writes, long reads, long missingReads, double seconds) { }

    Workload(ConcurrentMap<Long, Long> map, int size, int threads) {
        this.map = map;
        this.threads = threads;
        this.next = new long[threads];
        this.oldest = new long[threads];
        this.share = new long[threads];
        for (int t = 0; t < threads; t++) {
            share[t] = size / threads + (t < size % threads ? 1 : 0);
        }
    }

    private long key(int thread, long seq) {
        return seq * threads + thread;
    }

    /** @return the number of keys that should be live now */
    long live() {
        long n = 0;
        for (int t = 0; t < threads; t++) {
            n += next[t] - oldest[t];
        }
        return n;
    }

    static Histogram newHistogram() {
        return new Histogram(1, HISTOGRAM_MAX_NANOS, HISTOGRAM_DIGITS);
    }

    Run run(Phase phase, boolean batchFollows, double seconds) throws InterruptedException {
        Histogram total = newHistogram();
        AtomicLong writes = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicLong missing = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Histogram h = newHistogram();
            histograms.add(h);
            Thread worker = new Thread(() -> {
                long[] counts = new long[3];
                switch (phase) {
                    case STEADY -> steady(thread, batchFollows ? share[thread] / 2 : share[thread], h, counts);
                    case BATCH -> batch(thread, h, counts);
                    case CHURN -> churn(thread, deadline, h, counts);
                    case DRAIN -> drain(thread, deadline, h, counts);
                }
                writes.addAndGet(counts[0]);
                reads.addAndGet(counts[1]);
                missing.addAndGet(counts[2]);
            }, "demo-" + phase.label() + "-" + t);
            worker.setUncaughtExceptionHandler((th, e) -> {
                synchronized (failures) {
                    failures.add(e);
                }
            });
            workers.add(worker);
        }
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a worker failed", failures.get(0));
        }
        histograms.forEach(total::add);
        return new Run(total, writes.get(), reads.get(), missing.get(), (System.nanoTime() - start) / 1e9);
    }

    /** Fills thread {@code t}'s share up to {@code target} keys, untimed (for a phase whose predecessor was skipped). */
    void fill(int t, long target) {
        while (next[t] - oldest[t] < target) {
            Long k = key(t, next[t]++);
            map.put(k, k);
        }
    }

    void fillAll() {
        for (int t = 0; t < threads; t++) {
            fill(t, share[t]);
        }
    }

    private void steady(int t, long target, Histogram h, long[] counts) {
        while (next[t] - oldest[t] < target) {
            Long k = key(t, next[t]++);
            long t0 = System.nanoTime();
            map.put(k, k);
            h.recordValue(Math.max(1, System.nanoTime() - t0));
            counts[0]++;
        }
    }

    private void batch(int t, Histogram h, long[] counts) {
        Map<Long, Long> chunk = new HashMap<>();
        while (next[t] - oldest[t] < share[t]) {
            chunk.clear();
            while (chunk.size() < BATCH && next[t] - oldest[t] + chunk.size() < share[t]) {
                Long k = key(t, next[t] + chunk.size());
                chunk.put(k, k);
            }
            long t0 = System.nanoTime();
            map.putAll(chunk);
            h.recordValue(Math.max(1, System.nanoTime() - t0));
            next[t] += chunk.size();
            counts[0] += chunk.size();
        }
    }

    private void churn(int t, long deadline, Histogram h, long[] counts) {
        fill(t, share[t]);
        long limit = MAX_CHURN_ROUNDS * Math.max(1, share[t]);
        for (long i = 0; i < limit; i++) {
            if (i % DEADLINE_CHECK_INTERVAL == 0 && System.nanoTime() > deadline) {
                break;
            }
            Long fresh = key(t, next[t]++);
            Long expired = key(t, oldest[t]++);
            long t0 = System.nanoTime();
            map.put(fresh, fresh);
            map.remove(expired);
            h.recordValue(Math.max(1, System.nanoTime() - t0));
            counts[0] += 2;
        }
    }

    private void drain(int t, long deadline, Histogram h, long[] counts) {
        fill(t, share[t]);
        long keep = Math.max(1, (next[t] - oldest[t]) * DRAIN_KEEP_PERCENT / 100);
        while (next[t] - oldest[t] > keep) {
            Long k = key(t, oldest[t]++);
            long t0 = System.nanoTime();
            map.remove(k);
            h.recordValue(Math.max(1, System.nanoTime() - t0));
            counts[0]++;
        }
        SplittableRandom random = new SplittableRandom(t);
        for (long i = 0; ; i++) {
            if (i % DEADLINE_CHECK_INTERVAL == 0 && System.nanoTime() > deadline) {
                break;
            }
            for (int r = 0; r < READS_PER_WRITE; r++) {
                long seq = oldest[t] + random.nextLong(next[t] - oldest[t]);
                Long value = map.get(key(t, seq));
                counts[1]++;
                if (value == null || value != key(t, seq)) {
                    counts[2]++;
                }
            }
            Long fresh = key(t, next[t]++);
            Long expired = key(t, oldest[t]++);
            long t0 = System.nanoTime();
            map.put(fresh, fresh);
            map.remove(expired);
            h.recordValue(Math.max(1, System.nanoTime() - t0));
            counts[0] += 2;
        }
    }
}
