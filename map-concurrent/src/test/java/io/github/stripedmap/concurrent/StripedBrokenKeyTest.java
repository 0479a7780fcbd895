package io.github.stripedmap.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.github.stripedmap.core.BrokenKey;
import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.TableStatistics;

import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys that break their contract, in the concurrent map: a {@code hashCode()} or {@code equals()} that
 * throws propagates from every operation (reads included: the validated read tells the key's own
 * exception from a torn read's) and leaves the map unchanged, valid, and its stripe unlocked; a stored
 * key whose {@code hashCode()} throws while a growth moves it leaves the stripe whole; a key whose hash
 * code changes after insertion leaves every other key working, every operation terminating, the size
 * right, and is still returned by iteration and removable through the iterator.
 */
@Timeout(120)
class StripedBrokenKeyTest {

    /** Generous bound for work that takes milliseconds: a hang or a stripe left locked fails instead. */
    private static final Duration TERMINATES = Duration.ofSeconds(20);

    private static final List<Throwable> FAILURES =
            List.of(new BrokenKey.KeyFailure("broken key"), new BrokenKey.KeyError("broken key"));

    /** Every public operation that looks {@code k} up; none should reach its function. */
    private static Map<String, Consumer<StripedMap<BrokenKey, Integer>>> operationsOn(BrokenKey k) {
        Map<String, Consumer<StripedMap<BrokenKey, Integer>>> ops = new LinkedHashMap<>();
        ops.put("get", m -> m.get(k));
        ops.put("containsKey", m -> m.containsKey(k));
        ops.put("getOrDefault", m -> m.getOrDefault(k, 0));
        ops.put("put", m -> m.put(k, 1));
        ops.put("putIfAbsent", m -> m.putIfAbsent(k, 1));
        ops.put("remove", m -> m.remove(k));
        ops.put("remove(k, v)", m -> m.remove(k, 7));
        ops.put("replace", m -> m.replace(k, 1));
        ops.put("replace(k, old, new)", m -> m.replace(k, 7, 1));
        ops.put("compute", m -> m.compute(k, (x, v) -> 1));
        ops.put("computeIfAbsent", m -> m.computeIfAbsent(k, x -> 1));
        ops.put("computeIfPresent", m -> m.computeIfPresent(k, (x, v) -> 1));
        ops.put("merge", m -> m.merge(k, 1, Integer::sum));
        ops.put("keySet().remove", m -> m.keySet().remove(k));
        ops.put("entrySet().contains", m -> m.entrySet().contains(new SimpleEntry<>(k, 7)));
        ops.put("entrySet().remove", m -> m.entrySet().remove(new SimpleEntry<>(k, 7)));
        return ops;
    }

    /** One stripe, so that every key shares the broken key's stripe and lock: idle, at a threshold, migrating. */
    private static Map<String, Supplier<StripedMap<BrokenKey, Integer>>> fixtures() {
        Map<String, Supplier<StripedMap<BrokenKey, Integer>>> f = new LinkedHashMap<>();
        f.put("idle", () -> filled(500));
        f.put("migrating", () -> {
            StripedMap<BrokenKey, Integer> m = StripedMap.builder().stripes(1).build();
            int i = 0;
            while (i < 1_000 || m.statistics().migration() == null) {
                m.put(BrokenKey.of(i), i);
                i++;
            }
            assertThat(m.statistics().migration()).isEqualTo(MigrationKind.DOUBLE);
            return m;
        });
        return f;
    }

    private static StripedMap<BrokenKey, Integer> filled(int n) {
        StripedMap<BrokenKey, Integer> map = StripedMap.builder().stripes(1).build();
        for (int i = 0; i < n; i++) {
            map.put(BrokenKey.of(i), i);
        }
        return map;
    }

    @TestFactory
    Stream<DynamicTest> aThrowingHashCodeOrEqualsPropagatesAndLeavesTheMapUnchangedAndUnlocked() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Throwable failure : FAILURES) {
            for (boolean inEquals : new boolean[] {false, true}) {
                // a throwing equals() is only called on a tophash match: the probe collides with stored key 7
                BrokenKey probe = inEquals ? new BrokenKey(-7, BrokenKey.of(7).hashCode()).failEquals(failure)
                        : new BrokenKey(-7, 0).failHashCode(failure);
                String broken = (inEquals ? "equals" : "hashCode") + " throws " + failure.getClass().getSimpleName();
                fixtures().forEach((state, fixture) -> operationsOn(probe).forEach((name, op) ->
                        tests.add(dynamicTest(name + ", " + broken + ", " + state, () -> {
                            StripedMap<BrokenKey, Integer> map = fixture.get();
                            Map<BrokenKey, Integer> before = new HashMap<>(map);
                            TableStatistics statistics = map.statistics();
                            assertThat(catchThrowable(() -> op.accept(map))).isSameAs(failure);
                            assertThat(map).isEqualTo(before);
                            assertThat(map.statistics()).as("no migration started or advanced").isEqualTo(statistics);
                            map.checkInvariants();
                            assertWritableFromAnotherThread(map);
                            assertThat(map).isEqualTo(before);
                        }))));
            }
        }
        return tests.stream();
    }

    /** Another thread writes the (only) stripe at once: the failed operation released its lock. */
    static void assertWritableFromAnotherThread(StripedMap<BrokenKey, Integer> map) throws Exception {
        BrokenKey fresh = BrokenKey.of(1_000_000);
        CompletableFuture.runAsync(() -> {
            map.put(fresh, 1);
            map.remove(fresh);
        }).get(TERMINATES.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A stored key whose {@code hashCode()} starts throwing: the doubling that moves it rethrows from the
     * write that did the move, whose own insert is not done; every other key stays reachable, the walk
     * returns the broken key once (it is in the new array by then, whose buckets the walk takes whole),
     * the iterator removes it (found by a scan of its stripe: its hash code still throws; an error from
     * it propagates, and once its hash code works again the key is found although it may sit in the
     * wrong bucket), and the stripe grows on normally.
     */
    @ParameterizedTest(name = "hashCode throws an {0}")
    @ValueSource(strings = {"exception", "error"})
    void aStoredKeyWhoseHashCodeThrowsDuringAGrowthLeavesTheStripeWhole(String kind) throws Exception {
        Throwable failure = kind.equals("error") ? new BrokenKey.KeyError("moved") : new BrokenKey.KeyFailure("moved");
        StripedMap<BrokenKey, Integer> map = StripedMap.builder().stripes(1).build();
        Map<BrokenKey, Integer> expected = new HashMap<>();
        BrokenKey broken = BrokenKey.of(-1);
        map.put(broken, -1);
        int next = 0;
        while (next < 400 || map.statistics().migration() != null) {
            map.put(BrokenKey.of(next), next);
            expected.put(BrokenKey.of(next), next);
            next++;
        }
        broken.failHashCode(failure);
        BrokenKey failedKey = null;
        while (failedKey == null) {
            BrokenKey k = BrokenKey.of(next);
            Throwable thrown = catchThrowable(() -> map.put(k, k.id()));
            if (thrown == null) {
                expected.put(k, k.id());
            } else {
                assertThat(thrown).isSameAs(failure);
                failedKey = k;
            }
            next++;
            assertThat(next).as("inserts before the growth reached the broken key").isLessThan(100_000);
        }
        assertThat(map.containsKey(failedKey)).as("the insert whose migration step failed").isFalse();
        assertThat(map.size()).isEqualTo(expected.size() + 1);
        expected.forEach((k, v) -> assertThat(map.get(k)).as("value of %s", k).isEqualTo(v));
        assertWritableFromAnotherThread(map);

        int returned = 0;
        for (Iterator<Map.Entry<BrokenKey, Integer>> it = map.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<BrokenKey, Integer> e = it.next();
            if (e.getKey() == broken) {
                returned++;
                assertThat(e.getValue()).isEqualTo(-1);
                if (failure instanceof Error) { // an error from hashCode() propagates, even from remove()
                    assertThat(catchThrowable(it::remove)).isSameAs(failure);
                    assertThat(map.size()).as("nothing removed").isEqualTo(expected.size() + 1);
                    broken.failHashCode(null); // its hash code is valid again, but the key may sit in the wrong bucket
                }
                it.remove();
            } else {
                assertThat(e.getValue()).isEqualTo(expected.get(e.getKey()));
            }
        }
        assertThat(returned).as("times iteration returned the broken key").isEqualTo(1);
        assertThat(map).isEqualTo(expected);
        map.checkInvariants();
        for (int i = 0; i < 5_000; i++, next++) {
            map.put(BrokenKey.of(next), next);
            expected.put(BrokenKey.of(next), next);
        }
        assertThat(map).isEqualTo(expected);
        map.checkInvariants();
    }

    /**
     * Inserts and removals while growths keep meeting broken keys: each write completes or throws the key's
     * failure; an insert that threw is not done, a removal is visible as done or not, nothing else is lost.
     */
    @ParameterizedTest(name = "hashCode throws an {0}")
    @ValueSource(strings = {"exception", "error"})
    void mixedWritesWhileGrowthsKeepMeetingBrokenKeysLoseNothing(String kind) {
        Throwable failure = kind.equals("error") ? new BrokenKey.KeyError("moved") : new BrokenKey.KeyFailure("moved");
        StripedMap<BrokenKey, Integer> map = StripedMap.builder().stripes(4).build();
        Map<BrokenKey, Integer> expected = new HashMap<>();
        List<BrokenKey> broken = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            BrokenKey b = new BrokenKey(-1 - i, i * 0x1234_5677);
            map.put(b, b.id());
            broken.add(b);
        }
        broken.forEach(b -> b.failHashCode(failure));
        int failedInserts = 0;
        for (int i = 0; i < 20_000; i++) {
            BrokenKey k = BrokenKey.of(i);
            Throwable thrown = catchThrowable(() -> map.put(k, k.id()));
            if (thrown == null) {
                expected.put(k, k.id());
            } else {
                assertThat(thrown).isSameAs(failure);
                assertThat(map.containsKey(k)).as("an insert that threw").isFalse();
                failedInserts++;
            }
            if (i % 3 == 2) {
                BrokenKey victim = BrokenKey.of(i - 1);
                Throwable removal = catchThrowable(() -> map.remove(victim));
                if (removal != null) {
                    assertThat(removal).isSameAs(failure);
                }
                if (!map.containsKey(victim)) {
                    expected.remove(victim);
                }
            }
        }
        assertThat(failedInserts).as("inserts whose migration step met a broken key").isPositive();
        assertThat(map.size()).isEqualTo(expected.size() + broken.size());
        expected.forEach((k, v) -> assertThat(map.get(k)).as("value of %s", k).isEqualTo(v));
        finishMigrations(map, failure); // a walk hashes the keys of buckets it splits, which a migration makes
        if (failure instanceof Error) { // an error from hashCode() propagates, even from an iterator's remove()
            assertThat(catchThrowable(() -> map.keySet().removeIf(k -> k.id() < 0))).isSameAs(failure);
            broken.forEach(b -> b.failHashCode(null)); // valid again, but possibly in the wrong bucket
        }
        map.keySet().removeIf(k -> k.id() < 0); // found by their hash codes, or by scans of their stripes
        assertThat(map).isEqualTo(expected);
        map.checkInvariants();
    }

    /** Runs {@code trimToSize()} until no migration meets a broken key any more (each call gets further). */
    private static void finishMigrations(StripedMap<?, ?> map, Throwable failure) {
        for (int attempt = 0; ; attempt++) {
            Throwable thrown = catchThrowable(map::trimToSize);
            if (thrown == null) {
                return;
            }
            assertThat(thrown).isSameAs(failure);
            assertThat(attempt).as("trimToSize() calls").isLessThan(10_000);
        }
    }

    /**
     * A key whose hash code changes while it is in the map: lookups may no longer find it, but every other
     * key works through growth, shrink and compaction, every operation terminates, and once no migration
     * runs, iteration returns it once and its iterator removes it (from the stripe the walk found it in,
     * although its hash code now points elsewhere).
     */
    @ParameterizedTest(name = "{0} stripes")
    @ValueSource(ints = {1, 64})
    void aKeyMutatedAfterInsertionLeavesEveryOtherKeyWorking(int stripes) {
        assertTimeoutPreemptively(TERMINATES, () -> {
            StripedMap<BrokenKey, Integer> map = StripedMap.builder().stripes(stripes).build();
            Map<BrokenKey, Integer> expected = new HashMap<>();
            BrokenKey mutated = BrokenKey.of(-1);
            map.put(mutated, -1);
            for (int i = 0; i < 1_000; i++) {
                map.put(BrokenKey.of(i), i);
                expected.put(BrokenKey.of(i), i);
            }
            mutated.rehash(0x7777_0001);
            map.get(mutated); // must terminate; the answer is unspecified, as in ConcurrentHashMap
            map.containsKey(mutated);
            for (int i = 1_000; i < 30_000; i++) { // several doublings move (and rehash) the mutated key
                map.put(BrokenKey.of(i), i);
                expected.put(BrokenKey.of(i), i);
                if (i % 1_000 == 0) {
                    mutated.rehash(i);
                }
            }
            for (int i = 0; i < 29_000; i++) { // shrinks
                assertThat(map.remove(BrokenKey.of(i))).isEqualTo(i);
                expected.remove(BrokenKey.of(i));
            }
            map.compute(BrokenKey.of(29_500), (k, v) -> v + 1);
            expected.compute(BrokenKey.of(29_500), (k, v) -> v + 1);
            map.merge(BrokenKey.of(29_501), 5, Integer::sum);
            expected.merge(BrokenKey.of(29_501), 5, Integer::sum);
            assertThat(map.size()).isEqualTo(expected.size() + 1);
            expected.forEach((k, v) -> assertThat(map.get(k)).as("value of %s", k).isEqualTo(v));

            map.trimToSize(); // no migration runs afterwards: the walk takes every bucket whole
            assertThat(map.statistics().migration()).isNull();
            int returned = 0;
            for (Iterator<BrokenKey> it = map.keySet().iterator(); it.hasNext(); ) {
                BrokenKey k = it.next();
                if (k == mutated) {
                    returned++;
                    it.remove();
                }
            }
            assertThat(returned).as("times iteration returned the mutated key").isEqualTo(1);
            assertThat(map.size()).isEqualTo(expected.size());
            assertThat(map).isEqualTo(expected);
            map.checkInvariants();
        });
    }
}
