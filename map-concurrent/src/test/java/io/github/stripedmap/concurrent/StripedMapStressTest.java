package io.github.stripedmap.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.TableStatistics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import java.util.function.ObjIntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Multi-threaded stress tests. Each runs for {@link #DURATION} (times {@code -Dstripedmap.test.scale}),
 * mostly with one stripe (every thread meets every migration) and with 64 stripes, and checks exact
 * invariants that a lost update, a torn read, a missed or duplicated key would break. Every test ends
 * with {@code checkInvariants()} and the observers' protocol check ({@link MigrationCounter}: a stripe's
 * observer is never entered by two threads at once), and asserts that the migrations it was meant to
 * race with really happened. Threads are bounded by {@link Workers} and by a JUnit timeout, so a
 * deadlock fails instead of hanging.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StripedMapStressTest {

    private static final Duration DURATION = TestScale.duration(1_300);

    private static StripedMap<Integer, Integer> intMap(int stripes, MigrationCounter counter) {
        return StripedMap.builder().stripes(stripes).observers(counter.factory()).build();
    }

    private static int valueOf(int key) {
        return key * 31 + 7;
    }

    // =============================================================================================

    /**
     * One writer inserts ascending keys and publishes each as confirmed once {@code put} returned;
     * readers check that every confirmed key is visible with its value, that keys never inserted are
     * absent, and that a hot key overwritten with an increasing counter never goes backwards for a
     * reader (reads are linearizable per key), all while the stripes keep doubling.
     */
    @ParameterizedTest(name = "{0} stripes")
    @ValueSource(ints = {1, 64})
    void growthKeepsEveryConfirmedKeyVisible(int stripes) throws Exception {
        MigrationCounter counter = new MigrationCounter();
        StripedMap<Integer, Integer> map = intMap(stripes, counter);
        int hot = -1;
        AtomicInteger confirmed = new AtomicInteger();
        LongAdder checks = new LongAdder();
        int limit = 2_000_000;
        Workers workers = new Workers("growth");
        workers.start("writer", () -> {
            for (int k = 0; k < limit && !workers.stopping(); k++) {
                map.put(k, valueOf(k));
                confirmed.set(k + 1);
                if ((k & 15) == 0) {
                    map.put(hot, k);
                }
            }
        });
        for (int r = 0; r < 2; r++) {
            workers.start("reader" + r, () -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                int lastHot = Integer.MIN_VALUE;
                while (!workers.stopping()) {
                    int c = confirmed.get();
                    if (c == 0) {
                        continue;
                    }
                    for (int k : new int[] {c - 1, rnd.nextInt(c), rnd.nextInt(c)}) {
                        Integer v = map.get(k);
                        if (v == null || v != valueOf(k)) {
                            throw new AssertionError("confirmed key " + k + " (of " + c + ") read as " + v);
                        }
                        if (!map.containsKey(k)) {
                            throw new AssertionError("containsKey(" + k + ") false after it was confirmed");
                        }
                    }
                    int never = limit + rnd.nextInt(1_000_000);
                    if (map.get(never) != null || map.getOrDefault(never, -5) != -5) {
                        throw new AssertionError("key " + never + " was never inserted but is found");
                    }
                    Integer h = map.get(hot);
                    if (h != null) {
                        if (h < lastHot) {
                            throw new AssertionError("hot key went back from " + lastHot + " to " + h);
                        }
                        lastHot = h;
                    }
                    checks.add(4);
                }
            });
        }
        // One stripe: 14 doublings reach 2^14 buckets, so the readers also race the doublings into 2 and 4 slot
        // segments, whose new segments are allocated as the evacuation reaches them.
        int doublings = stripes == 1 ? 14 : 64;
        workers.runFor(DURATION, () -> checks.sum() > 10_000 && counter.started(MigrationKind.DOUBLE) >= doublings);
        workers.stopAndJoin();

        int n = confirmed.get();
        assertThat(map.size()).isEqualTo(n + 1);
        assertThat(checks.sum()).as("reads checked").isGreaterThan(10_000);
        assertThat(counter.started(MigrationKind.DOUBLE)).as("doublings raced with the readers")
                .isGreaterThanOrEqualTo(doublings);
        for (int k = 0; k < n; k += 97) {
            assertThat(map.get(k)).isEqualTo(valueOf(k));
        }
        map.checkInvariants();
        counter.assertNoViolations();
    }

    // =============================================================================================

    /**
     * Threads count events per key with {@code merge}, {@code compute} and a
     * {@code computeIfPresent}/{@code putIfAbsent} loop, and harvest counts with {@code remove(k, v)},
     * now and then and in sweeps over every key (which delete keys, so stripes also shrink). Every increment is counted once: for each key, what
     * is left in the map plus what was harvested equals the increments made.
     */
    @ParameterizedTest(name = "{0} stripes")
    @ValueSource(ints = {1, 64})
    void countersSumExactly(int stripes) throws Exception {
        MigrationCounter counter = new MigrationCounter();
        StripedMap<Integer, Long> map = StripedMap.builder().stripes(stripes).observers(counter.factory()).build();
        int threads = 3;
        int keys = 20_000;
        long[][] increments = new long[threads][keys];
        long[][] harvested = new long[threads][keys];
        long[] swept = new long[keys];
        LongAdder made = new LongAdder();
        BiFunction<Integer, Long, Long> plusOne = (k, v) -> v == null ? 1L : v + 1;
        Workers workers = new Workers("counters");
        workers.start("sweeper", () -> {
            // Harvests every key now and then: the map drops to a fraction of its size and stripes shrink.
            while (!workers.stopping()) {
                for (int k = 0; k < keys; k++) {
                    Long v = map.get(k);
                    if (v != null && map.remove(k, v)) {
                        swept[k] += v;
                    }
                }
                Thread.sleep(5);
            }
        });
        for (int t = 0; t < threads; t++) {
            long[] mine = increments[t];
            long[] harvest = harvested[t];
            workers.start("counter" + t, () -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (!workers.stopping()) {
                    // Hot keys (a small range) contend; the whole range makes the map grow and shrink.
                    int k = rnd.nextInt(4) == 0 ? rnd.nextInt(16) : rnd.nextInt(keys);
                    switch (rnd.nextInt(8)) {
                        case 0, 1, 2 -> map.merge(k, 1L, Long::sum);
                        case 3, 4 -> map.compute(k, plusOne);
                        case 5 -> {
                            while (map.computeIfPresent(k, (x, v) -> v + 1) == null && map.putIfAbsent(k, 1L) != null) {
                                Thread.onSpinWait(); // removed and re-added meanwhile: try again
                            }
                        }
                        default -> {
                            Long v = map.get(k);
                            if (v != null && map.remove(k, v)) {
                                harvest[k] += v;
                            }
                            continue; // not an increment
                        }
                    }
                    mine[k]++;
                    made.increment();
                }
            });
        }
        workers.runFor(DURATION, () -> made.sum() > 100_000 && counter.started(MigrationKind.SHRINK) > 0);
        workers.stopAndJoin();

        long total = 0;
        for (int k = 0; k < keys; k++) {
            long incremented = 0;
            long taken = swept[k];
            for (int t = 0; t < threads; t++) {
                incremented += increments[t][k];
                taken += harvested[t][k];
            }
            total += incremented;
            long left = map.getOrDefault(k, 0L);
            if (left + taken != incremented) {
                throw new AssertionError("key " + k + ": " + incremented + " increments, but " + left + " left in the map"
                        + " and " + taken + " harvested");
            }
        }
        assertThat(total).as("increments made").isGreaterThan(100_000);
        assertThat(map.keySet()).allMatch(k -> k >= 0 && k < keys);
        assertThat(counter.started(MigrationKind.SHRINK)).as("harvesting deletes shrank stripes").isPositive();
        map.checkInvariants();
        counter.assertNoViolations();
    }

    // =============================================================================================

    /**
     * Writers repeatedly insert a large batch of transient keys and delete it again, so every stripe
     * keeps doubling and shrinking; readers meanwhile check a fixed set of stable keys (always present
     * with their values), that transient keys read as absent or with their own value, and walk the map:
     * no key twice, every stable key once; a checker runs {@code checkInvariants()} throughout.
     */
    @ParameterizedTest(name = "{0} stripes")
    @ValueSource(ints = {1, 64})
    void growThenDeleteChurnShrinksWhileReadersRun(int stripes) throws Exception {
        MigrationCounter counter = new MigrationCounter();
        StripedMap<Integer, Integer> map = intMap(stripes, counter);
        int stable = 2_000;
        for (int k = 0; k < stable; k++) {
            map.put(-1 - k, valueOf(-1 - k));
        }
        int batch = 30_000;
        LongAdder cycles = new LongAdder();
        LongAdder walks = new LongAdder();
        Workers workers = new Workers("churn");
        for (int w = 0; w < 2; w++) {
            int base = w * batch;
            workers.start("writer" + w, () -> {
                while (!workers.stopping()) {
                    for (int k = base; k < base + batch; k++) {
                        map.put(k, valueOf(k));
                    }
                    for (int k = base; k < base + batch; k++) {
                        if (map.remove(k) == null) {
                            throw new AssertionError("transient key " + k + " vanished before its writer removed it");
                        }
                    }
                    cycles.increment();
                }
            });
        }
        LongAdder checks = new LongAdder();
        workers.start("checker", () -> {
            // Each stripe is checked under its lock: between two writes a table must be whole.
            while (!workers.stopping()) {
                map.checkInvariants();
                long sum = map.stripeStatistics().stream().mapToLong(TableStatistics::size).sum();
                if (sum < stable) {
                    throw new AssertionError("stripe sizes add up to " + sum + " < " + stable + " stable keys");
                }
                checks.increment();
            }
        });
        workers.start("reader", () -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            int i = 0;
            while (!workers.stopping()) {
                int s = -1 - rnd.nextInt(stable);
                Integer v = map.get(s);
                if (v == null || v != valueOf(s)) {
                    throw new AssertionError("stable key " + s + " read as " + v);
                }
                int t = rnd.nextInt(2 * batch);
                Integer tv = map.get(t);
                if (tv != null && tv != valueOf(t)) {
                    throw new AssertionError("transient key " + t + " read as " + tv);
                }
                if (++i % 20_000 == 0) {
                    walk(map, stable, walks);
                }
            }
        });
        workers.runFor(DURATION, () -> cycles.sum() >= 2 && walks.sum() > 0 && checks.sum() > 0
                && counter.started(MigrationKind.SHRINK) > 0);
        workers.stopAndJoin();

        assertThat(map.size()).as("only the stable keys are left").isEqualTo(stable);
        assertThat(cycles.sum()).as("insert-and-delete cycles").isGreaterThanOrEqualTo(2);
        assertThat(walks.sum()).as("walks during the churn").isPositive();
        assertThat(checks.sum()).as("checkInvariants() during the churn").isPositive();
        assertThat(counter.started(MigrationKind.DOUBLE)).isPositive();
        assertThat(counter.started(MigrationKind.SHRINK)).as("shrinks raced with the readers").isPositive();
        map.checkInvariants();
        counter.assertNoViolations();
        map.trimToSize();
        assertThat(map.stripeStatistics()).allMatch(st -> st.migration() == null, "no migration after trimToSize()");
        assertThat(map.statistics().buckets()).as("buckets for %d entries after trimToSize()", stable)
                .isLessThanOrEqualTo(stable / 2);
        map.checkInvariants();
    }

    /** One pass over the entry set: no key twice, every stable (negative) key once with its value. */
    private static void walk(StripedMap<Integer, Integer> map, int stable, LongAdder walks) {
        Set<Integer> seen = new HashSet<>();
        int stableSeen = 0;
        for (Map.Entry<Integer, Integer> e : map.entrySet()) {
            int k = e.getKey();
            if (!seen.add(k)) {
                throw new AssertionError("key " + k + " returned twice by one iteration");
            }
            if (e.getValue() != valueOf(k)) {
                throw new AssertionError("iteration returned " + k + "=" + e.getValue());
            }
            if (k < 0) {
                stableSeen++;
            }
        }
        if (stableSeen != stable) {
            throw new AssertionError("an iteration returned " + stableSeen + " of the " + stable + " stable keys");
        }
        walks.increment();
    }

    // =============================================================================================

    /**
     * {@code clear()} racing {@code put}: afterwards the map is consistent ({@code size()} equals the
     * number of keys an iteration returns, every value is its key's), and every key put after the last
     * {@code clear()} returned is present.
     */
    @Test
    void clearRacingPut() throws Exception {
        MigrationCounter counter = new MigrationCounter();
        StripedMap<Integer, Integer> map = StripedMap.builder().stripes(8).observers(counter.factory()).build();
        AtomicLong clears = new AtomicLong();
        AtomicInteger puts = new AtomicInteger();
        int putters = 2;
        List<List<Integer>> afterLastClear = new ArrayList<>();
        Workers clearer = new Workers("clearer");
        Workers writers = new Workers("putters");
        AtomicBoolean clearingDone = new AtomicBoolean();
        for (int t = 0; t < putters; t++) {
            int base = t << 27;
            List<Integer> late = new ArrayList<>();
            afterLastClear.add(late);
            writers.start("putter" + t, () -> {
                int extra = 0;
                for (int i = 0; !writers.stopping() && extra < 5_000; i++) {
                    boolean afterClears = clearingDone.get();
                    int k = base + i;
                    map.put(k, valueOf(k));
                    puts.incrementAndGet();
                    if (afterClears) {
                        late.add(k);
                        extra++;
                    }
                }
            });
        }
        clearer.start("clearer", () -> {
            while (!clearer.stopping()) {
                map.clear();
                clears.incrementAndGet();
                Thread.sleep(0, 200_000);
            }
            map.clear();
            clears.incrementAndGet();
            clearingDone.set(true);
        });
        clearer.runFor(DURATION, () -> clears.get() > 20 && puts.get() > 100_000);
        clearer.stopAndJoin();
        writers.join();

        assertThat(clears.get()).as("clears").isGreaterThan(20);
        assertThat(puts.get()).as("puts").isGreaterThan(100_000);
        int iterated = 0;
        for (Map.Entry<Integer, Integer> e : map.entrySet()) {
            iterated++;
            assertThat(e.getValue()).isEqualTo(valueOf(e.getKey()));
        }
        assertThat(map.size()).isEqualTo(iterated);
        assertThat(map.mappingCount()).isEqualTo(iterated);
        assertThat(map.statistics().size()).isEqualTo(iterated);
        for (List<Integer> late : afterLastClear) {
            assertThat(late).hasSize(5_000);
            assertThat(map.keySet()).containsAll(late);
        }
        map.checkInvariants();
        counter.assertNoViolations();
    }

    // =============================================================================================

    /**
     * Iteration while the map grows (and, in the second half, shrinks): each pass returns no key twice
     * and every stable key (inserted before the pass began and never removed), with its value; other
     * keys returned have their own value. Passes alternate between the entry set's and the key set's
     * iterators, {@code forEach}, a parallel stream over the key set, and a serialization round trip;
     * meanwhile another thread calls {@code trimToSize()} every few milliseconds.
     */
    @ParameterizedTest(name = "{0} stripes")
    @ValueSource(ints = {1, 64})
    void iterationDuringGrowthAndShrink(int stripes) throws Exception {
        MigrationCounter counter = new MigrationCounter();
        StripedMap<Integer, Integer> map = intMap(stripes, counter);
        int stable = 5_000;
        for (int k = 0; k < stable; k++) {
            map.put(-1 - k, valueOf(-1 - k));
        }
        LongAdder passes = new LongAdder();
        Workers workers = new Workers("iteration");
        workers.start("writer", () -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (!workers.stopping()) {
                int top = 200_000 + rnd.nextInt(200_000);
                for (int k = 0; k < top && !workers.stopping(); k++) {
                    map.put(k, valueOf(k));
                }
                for (int k = 0; k < top && !workers.stopping(); k++) {
                    map.remove(k);
                }
            }
        });
        LongAdder compactions = new LongAdder();
        workers.start("compactor", () -> {
            // trimToSize() finishes migrations and shrinks several levels at once under the walks.
            while (!workers.stopping()) {
                Thread.sleep(3);
                map.trimToSize();
                compactions.increment();
            }
        });
        for (int r = 0; r < 2; r++) {
            int reader = r;
            workers.start("iterator" + r, () -> {
                int pass = reader;
                while (!workers.stopping()) {
                    checkPass(map, stable, pass++ % 5);
                    passes.increment();
                }
            });
        }
        workers.runFor(DURATION, () -> passes.sum() >= 5 && compactions.sum() > 0
                && counter.started(MigrationKind.DOUBLE) > 0 && counter.started(MigrationKind.SHRINK) > 0);
        workers.stopAndJoin();

        assertThat(passes.sum()).as("passes").isGreaterThanOrEqualTo(5);
        assertThat(compactions.sum()).as("trimToSize() calls during the passes").isPositive();
        assertThat(counter.started(MigrationKind.DOUBLE)).as("doublings during the passes").isPositive();
        assertThat(counter.started(MigrationKind.SHRINK)).as("shrinks during the passes").isPositive();
        map.checkInvariants();
        counter.assertNoViolations();
    }

    private static void checkPass(StripedMap<Integer, Integer> map, int stable, int how) {
        Set<Integer> seen = how == 3 ? ConcurrentHashMap.newKeySet() : new HashSet<>();
        int[] stableSeen = new int[1];
        BiConsumer<Integer, Integer> check = (k, v) -> {
            if (!seen.add(k)) {
                throw new AssertionError("pass " + how + " returned key " + k + " twice");
            }
            if (v != null && v != valueOf(k)) {
                throw new AssertionError("pass " + how + " returned " + k + "=" + v);
            }
        };
        switch (how) {
            case 0 -> {
                for (Map.Entry<Integer, Integer> e : map.entrySet()) {
                    check.accept(e.getKey(), e.getValue());
                }
            }
            case 1 -> {
                for (Iterator<Integer> it = map.keySet().iterator(); it.hasNext(); ) {
                    check.accept(it.next(), null);
                }
            }
            case 2 -> map.forEach(check);
            case 3 -> map.keySet().parallelStream().forEach(k -> check.accept(k, null));
            default -> {
                // Serialisation walks the map too; a key written twice would make readObject throw.
                StripedMap<Integer, Integer> copy = StripedMapDifferentialTest.roundTrip(map);
                copy.forEach(check);
                copy.checkInvariants();
            }
        }
        for (int k = -1; k >= -stable; k--) {
            if (seen.contains(k)) {
                stableSeen[0]++;
            }
        }
        if (stableSeen[0] != stable) {
            throw new AssertionError("pass " + how + " missed " + (stable - stableSeen[0]) + " of " + stable
                    + " stable keys");
        }
    }

    // =============================================================================================

    /**
     * Threads race {@code putIfAbsent} on the same fresh keys, round after round (the previous round's
     * keys are removed, so stripes grow and shrink): exactly one thread wins each key, every loser
     * sees the winner's value, and the map holds it.
     */
    @Test
    void putIfAbsentHasExactlyOneWinner() throws Exception {
        MigrationCounter counter = new MigrationCounter();
        StripedMap<Integer, Integer> map = StripedMap.builder().stripes(2).observers(counter.factory()).build();
        int keys = 5_000;
        Integer[][] results = new Integer[RACERS][keys];
        Rounds rounds = new Rounds(keys, base -> {
            for (int k = 0; k < keys; k++) {
                int winners = 0;
                Integer winner = map.get(base + k);
                for (int t = 0; t < RACERS; t++) {
                    if (results[t][k] == null) {
                        winners++;
                    } else if (!results[t][k].equals(winner)) {
                        throw new AssertionError("key " + (base + k) + ": thread " + t + " lost to " + results[t][k]
                                + " but the map holds " + winner);
                    }
                }
                if (winners != 1 || winner == null || results[winner][k] != null) {
                    throw new AssertionError("key " + (base + k) + ": " + winners + " winners, map holds " + winner);
                }
                map.remove(base + k);
            }
        });
        rounds.race("putIfAbsent", (id, base) -> {
            for (int i = 0; i < keys; i++) {
                int k = id == 1 ? keys - 1 - i : i;
                results[id][k] = map.putIfAbsent(base + k, id);
            }
        });

        assertThat(rounds.completed()).as("rounds").isGreaterThanOrEqualTo(3);
        assertThat(map).isEmpty();
        assertThat(counter.started(MigrationKind.SHRINK)).as("stripes shrank between rounds").isPositive();
        map.checkInvariants();
        counter.assertNoViolations();
    }

    /**
     * Threads race {@code remove(k, v)} on the same keys, round after round (each round's keys are
     * inserted between rounds): exactly one call succeeds per key and the key is gone.
     */
    @Test
    void removeKeyValueHasExactlyOneWinner() throws Exception {
        MigrationCounter counter = new MigrationCounter();
        StripedMap<Integer, Integer> map = StripedMap.builder().stripes(2).observers(counter.factory()).build();
        int keys = 5_000;
        boolean[][] removed = new boolean[RACERS][keys];
        Rounds rounds = new Rounds(keys, base -> {
            for (int k = 0; k < keys; k++) {
                int winners = 0;
                for (int t = 0; t < RACERS; t++) {
                    winners += removed[t][k] ? 1 : 0;
                }
                if (winners != 1 || map.containsKey(base + k)) {
                    throw new AssertionError("key " + (base + k) + ": " + winners + " successful remove(k, v) calls,"
                            + " present afterwards: " + map.containsKey(base + k));
                }
            }
            for (int k = 0; k < keys; k++) { // the next round's keys
                map.put(base + keys + k, valueOf(base + keys + k));
            }
        });
        for (int k = 0; k < keys; k++) {
            map.put(k, valueOf(k));
        }
        rounds.race("remove", (id, base) -> {
            for (int i = 0; i < keys; i++) {
                int k = id == 1 ? keys - 1 - i : i;
                removed[id][k] = map.remove(base + k, valueOf(base + k));
            }
        });

        assertThat(rounds.completed()).as("rounds").isGreaterThanOrEqualTo(3);
        assertThat(map).hasSize(keys); // the keys inserted for a round that did not run
        assertThat(counter.started(MigrationKind.SHRINK)).isPositive();
        map.checkInvariants();
        counter.assertNoViolations();
    }

    private static final int RACERS = 3;

    /**
     * Rounds of a race: every racer runs its part for the round's keys, then all meet at a barrier
     * whose action (run by one thread while the others wait) checks the round and prepares the next;
     * the action also ends the rounds once {@link #DURATION} has passed and three rounds were done (or
     * {@link Workers#MAX_WAIT} has passed), so all racers stop together.
     */
    private static final class Rounds {
        private final int keys;
        private final IntConsumer check;
        private final long start = System.nanoTime();
        private volatile int base;
        private volatile boolean finished;
        private final AtomicInteger completed = new AtomicInteger();

        Rounds(int keys, IntConsumer check) {
            this.keys = keys;
            this.check = check;
        }

        void race(String name, ObjIntConsumer<Integer> part) throws Exception {
            CyclicBarrier barrier = new CyclicBarrier(RACERS, () -> {
                check.accept(base);
                completed.incrementAndGet();
                base += keys;
                long elapsed = System.nanoTime() - start;
                finished = elapsed > DURATION.toNanos() && completed.get() >= 3 || elapsed > Workers.MAX_WAIT.toNanos();
            });
            Workers workers = new Workers(name);
            for (int t = 0; t < RACERS; t++) {
                int id = t;
                workers.start("racer" + t, () -> {
                    while (!finished) {
                        part.accept(id, base);
                        barrier.await(20, TimeUnit.SECONDS);
                    }
                });
            }
            workers.join();
        }

        int completed() {
            return completed.get();
        }
    }

    /**
     * Counters incremented by {@code replace(k, old, old + 1)} retry loops from several threads add up
     * exactly: a conditional replace never succeeds on a stale value.
     */
    @Test
    void replaceCountersAddUp() throws Exception {
        MigrationCounter counter = new MigrationCounter();
        StripedMap<Integer, Integer> map = StripedMap.builder().stripes(4).observers(counter.factory()).build();
        int counters = 32;
        for (int k = 0; k < counters; k++) {
            map.put(k, 0);
        }
        long[] successes = new long[RACERS];
        Workers workers = new Workers("replace");
        for (int t = 0; t < RACERS; t++) {
            int id = t;
            workers.start("t" + t, () -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (!workers.stopping()) {
                    int k = rnd.nextInt(counters);
                    Integer v = map.get(k);
                    if (map.replace(k, v, v + 1)) {
                        successes[id]++;
                    }
                    // Unrelated keys come and go in the same stripes, so tables migrate meanwhile.
                    int other = counters + rnd.nextInt(50_000);
                    if (map.putIfAbsent(other, other) != null) {
                        map.remove(other);
                    }
                }
            });
        }
        workers.runFor(DURATION, () -> Arrays.stream(successes).sum() > 10_000 && counter.started(MigrationKind.DOUBLE) > 0);
        workers.stopAndJoin();

        long expected = 0;
        for (long s : successes) {
            expected += s;
        }
        long sum = 0;
        for (int k = 0; k < counters; k++) {
            sum += map.get(k);
        }
        assertThat(expected).as("successful replaces").isGreaterThan(10_000);
        assertThat(sum).as("sum of the counters").isEqualTo(expected);
        assertThat(counter.started(MigrationKind.DOUBLE)).isPositive();
        map.checkInvariants();
        counter.assertNoViolations();
    }
}
