package io.github.stripedmap.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Interrupts and dying threads. Writes take the stripe lock uninterruptibly (as
 * {@code ConcurrentHashMap}'s {@code synchronized} bins): an interrupted thread's write completes, also
 * after waiting for a lock another thread holds, and its interrupt status is still set afterwards. A
 * thread killed by an {@code Error} thrown from inside a remapping function (a custom error, a real
 * {@link StackOverflowError}) leaves the stripe unlocked, so another thread writes it at once, and the
 * map unchanged and valid.
 */
@Timeout(60)
class InterruptAndThreadDeathTest {

    /** Bounds every wait: a stripe left locked fails the test instead of hanging the build. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A thread with a small stack overflows it quickly. */
    private static final long SMALL_STACK_BYTES = 256 * 1024;

    /** Every write, on present key "k1" or absent key "new"; each changes the map. */
    private static Map<String, Consumer<StripedMap<String, String>>> writes() {
        Map<String, Consumer<StripedMap<String, String>>> w = new LinkedHashMap<>();
        w.put("put", m -> m.put("new", "x"));
        w.put("putIfAbsent", m -> m.putIfAbsent("new", "x"));
        w.put("remove", m -> m.remove("k1"));
        w.put("remove(k, v)", m -> m.remove("k1", "v1"));
        w.put("replace", m -> m.replace("k1", "x"));
        w.put("replace(k, old, new)", m -> m.replace("k1", "v1", "x"));
        w.put("compute", m -> m.compute("k1", (k, v) -> v + "x"));
        w.put("computeIfAbsent", m -> m.computeIfAbsent("new", k -> "x"));
        w.put("computeIfPresent", m -> m.computeIfPresent("k1", (k, v) -> v + "x"));
        w.put("merge", m -> m.merge("k1", "x", String::concat));
        w.put("putAll", m -> m.putAll(Map.of("new", "x")));
        w.put("clear", StripedMap::clear);
        w.put("trimToSize then put", m -> {
            m.trimToSize();
            m.put("new", "x");
        });
        return w;
    }

    private static StripedMap<String, String> filled() {
        StripedMap<String, String> map = StripedMap.builder().stripes(1).build();
        for (int i = 0; i < 100; i++) {
            map.put("k" + i, "v" + i);
        }
        return map;
    }

    @TestFactory
    Stream<DynamicTest> anInterruptedThreadsWriteCompletesAndKeepsTheInterruptStatus() {
        List<DynamicTest> tests = new ArrayList<>();
        writes().forEach((name, write) -> tests.add(dynamicTest(name, () -> {
            StripedMap<String, String> uninterrupted = filled();
            write.accept(uninterrupted);
            assertThat(uninterrupted).as("the write changes the map").isNotEqualTo(filled());
            StripedMap<String, String> map = filled();
            Thread.currentThread().interrupt();
            try {
                write.accept(map);
                assertThat(Thread.currentThread().isInterrupted()).as("interrupt status after " + name).isTrue();
            } finally {
                Thread.interrupted(); // leave the test thread clean
            }
            assertThat(map).isEqualTo(uninterrupted);
            map.checkInvariants();
        })));
        return tests.stream();
    }

    /** The interrupted writer waits, uninterruptibly, for a lock held by a running function, then completes. */
    @Test
    void anInterruptedWriterWaitsForTheStripeLockAndThenCompletes() throws Exception {
        StripedMap<String, String> map = filled();
        CountDownLatch inFunction = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> map.compute("k1", (k, v) -> {
            inFunction.countDown();
            awaitQuietly(release);
            return "held";
        }));
        assertThat(inFunction.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        AtomicBoolean interruptedAfter = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                map.merge("k1", "+", String::concat); // same key: same stripe, whose lock the function holds
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "interrupted writer");
        writer.start();
        awaitBlocked(writer);
        writer.interrupt();
        writer.join(200);
        assertThat(writer.isAlive()).as("the writer still waits for the lock after its interrupt").isTrue();

        release.countDown();
        assertThat(holder.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("held");
        writer.join(WAIT.toMillis());
        assertThat(writer.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(interruptedAfter.get()).as("interrupt status after the write").isTrue();
        assertThat(map.get("k1")).isEqualTo("held+");
        map.checkInvariants();
    }

    static final class FunctionError extends Error {
        private static final long serialVersionUID = 1L;
    }

    /** Recurses until the stack overflows. */
    static String bottomless(int depth) {
        return bottomless(depth + 1) + "";
    }

    @TestFactory
    Stream<DynamicTest> aThreadKilledByAnErrorInsideAFunctionLeavesTheStripeUnlockedAndTheMapWhole() {
        Map<String, Consumer<StripedMap<String, String>>> deaths = new LinkedHashMap<>();
        deaths.put("compute, custom Error", m -> m.compute("k1", (k, v) -> { throw new FunctionError(); }));
        deaths.put("computeIfAbsent, custom Error", m -> m.computeIfAbsent("new", k -> { throw new FunctionError(); }));
        deaths.put("computeIfPresent, StackOverflowError", m -> m.computeIfPresent("k1", (k, v) -> bottomless(0)));
        deaths.put("merge, StackOverflowError", m -> m.merge("k1", "x", (a, b) -> bottomless(0)));
        deaths.put("compute, StackOverflowError", m -> m.compute("new", (k, v) -> bottomless(0)));
        List<DynamicTest> tests = new ArrayList<>();
        deaths.forEach((name, death) -> tests.add(dynamicTest(name, () -> {
            StripedMap<String, String> map = filled();
            Map<String, String> before = new HashMap<>(map);
            AtomicReference<Throwable> cause = new AtomicReference<>();
            Thread doomed = new Thread(null, () -> death.accept(map), "doomed", SMALL_STACK_BYTES);
            doomed.setUncaughtExceptionHandler((t, e) -> cause.set(e));
            doomed.start();
            doomed.join(WAIT.toMillis());
            assertThat(doomed.isAlive()).isFalse();
            assertThat(cause.get()).isInstanceOfAny(FunctionError.class, StackOverflowError.class);

            // another thread writes the same stripe at once: the dead thread's lock was released
            CompletableFuture.runAsync(() -> {
                map.put("k1", "after");
                map.put("new", "after");
            }).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            before.put("k1", "after");
            before.put("new", "after");
            assertThat(map).isEqualTo(before);
            map.checkInvariants();
        })));
        return tests.stream();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until {@code t} is parked (waiting for the stripe lock). */
    private static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(t.getState()).isEqualTo(Thread.State.WAITING);
    }
}
