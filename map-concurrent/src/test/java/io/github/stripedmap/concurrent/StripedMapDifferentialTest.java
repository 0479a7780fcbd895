package io.github.stripedmap.concurrent;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.github.stripedmap.core.BucketTable;
import io.github.stripedmap.core.CleanupReason;
import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.MigrationTrigger;
import io.github.stripedmap.core.TableStatistics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests: seeded random single-threaded operation sequences applied to a
 * {@link StripedMap} and to a {@link ConcurrentHashMap} side by side.
 *
 * <p>Every operation's outcome (returned value, or the class of the exception thrown) must agree, and
 * so must the calls made to the user's functions (which argues "applied at most once" and "not applied
 * when absent/present" against the reference), {@code size()}, and the touched key's mapping afterwards.
 * Functions return values, return null, or throw. Every operation also checks, through the stripes'
 * observers ({@link MigrationCounter}), that a write moved at most two old buckets of one stripe and a
 * read moved none, and that {@link StripedMap#stripeStatistics()} shows exactly the migrations the
 * observers reported as running. {@code checkInvariants()} runs every 64 operations and after every
 * whole-map operation.
 *
 * <p>A run is a sequence of phases chosen to cross every boundary of the stripes' tables: growth to a
 * random target, bursts of keys sharing one hash code that are then deleted again (their chains keep
 * the overflow buckets: a series of bursts in one stripe leads to a same-size rebuild), deletion down
 * to a small size or to empty (which re-seeds a stripe), hovering; a run ends by growing to at least
 * half its maximum size and deleting everything. Whole-map operations happen throughout, more often
 * while a stripe migrates: iteration with {@code Iterator.remove}, {@code Entry.setValue} and writes
 * to other keys in the middle of the walk, {@code forEach}, streams, {@code removeIf} on the three
 * views, {@code replaceAll}, {@code putAll}, {@code clear}, {@code trimToSize}, the copy constructor
 * and a serialization round trip. Each configuration's last dynamic test asserts that progressive
 * doublings and shrinks were started (counted by the observers) in several stripes of one run, an
 * overflow-triggered same-size rebuild in at least one stripe where the keys allow it, each of them
 * seen in progress through {@code stripeStatistics()}, and that stripes were emptied, iterated while
 * migrating and hit by failing functions while migrating.
 *
 * <p>Reproduce with the seed printed on failure: {@code -Dstripedmap.test.seed=SEED} runs only that seed
 * for every configuration. The operation sequence is fully determined by the seed; the maps' internal
 * hash seeds are not (they are per-instance random), so the exact point where a stripe migrates may
 * differ between runs of the same seed.
 */
class StripedMapDifferentialTest {

    /** Ops per run (times the scale factor); some configurations use a fraction. */
    private static final int BASE_OPS = 14_000;
    private static final int SEEDS_PER_CONFIG = 2;
    private static final Long ONLY_SEED = Long.getLong("stripedmap.test.seed");
    private static final int CHECK_PERIOD = 64;
    private static final int FULL_COMPARE_PERIOD = 512;
    /** Values are small so that {@code remove(k, v)}, {@code replace(k, old, new)} and {@code containsValue} hit. */
    private static final int VALUES = 64;
    private static final int GROUPS = 257;

    /** How keys are made from ids. */
    enum KeyKind {
        /** {@code Integer} keys: well-spread, consecutive hash codes. */
        INTEGER(1, Integer::valueOf),
        /** {@link CollidingKey}s in 257 groups of equal hash codes: collision chains in several stripes. */
        GROUPED(GROUPS, id -> CollidingKey.grouped(id, GROUPS)),
        /** All keys share one hash code: one stripe, one chain. */
        FULL_COLLISION(1, CollidingKey::fullCollision),
        /** Distinct hash codes whose low 16 bits are all zero: the map's hash mixing must spread them. */
        HIGH_BITS(1, CollidingKey::highBitsOnly);

        final int groups;
        final IntFunction<Object> keyOf;

        KeyKind(int groups, IntFunction<Object> keyOf) {
            this.groups = groups;
            this.keyOf = keyOf;
        }
    }

    /** One configuration of the runs (key kind, stripes, initial capacity, size bound, operations). */
    record Config(KeyKind keys, int stripes, int initialCapacity, int maxSize, int ops) {
        @Override
        public String toString() {
            return keys + ", stripes=" + stripes + ", initialCapacity=" + initialCapacity + ", maxSize=" + maxSize
                    + ", ops=" + ops;
        }
    }

    static List<Config> configs() {
        int ops = TestScale.ops(BASE_OPS);
        return List.of(
                new Config(KeyKind.INTEGER, 1, 0, 1_500, ops),
                new Config(KeyKind.INTEGER, 2, 1, 1_500, ops),
                new Config(KeyKind.INTEGER, 3, 0, 2_000, ops),
                new Config(KeyKind.INTEGER, 8, 400, 2_000, ops),
                new Config(KeyKind.INTEGER, 64, 0, 2_000, ops),
                new Config(KeyKind.GROUPED, 1, 0, 400, ops),
                new Config(KeyKind.GROUPED, 4, 0, 800, ops),
                new Config(KeyKind.GROUPED, 64, 1, 2_000, ops),
                new Config(KeyKind.HIGH_BITS, 16, 0, 1_500, ops),
                new Config(KeyKind.FULL_COLLISION, 1, 0, 120, ops / 2),
                new Config(KeyKind.FULL_COLLISION, 64, 0, 120, ops / 2));
    }

    @TestFactory
    Stream<DynamicNode> differential() {
        List<Config> configs = configs();
        List<DynamicNode> nodes = new ArrayList<>();
        for (int c = 0; c < configs.size(); c++) {
            Config config = configs.get(c);
            Coverage coverage = new Coverage();
            List<DynamicTest> tests = new ArrayList<>();
            long firstSeed = 1_000L * (c + 1);
            LongStream seeds = ONLY_SEED != null ? LongStream.of(ONLY_SEED)
                    : LongStream.range(0, (long) SEEDS_PER_CONFIG * TestScale.FACTOR).map(i -> firstSeed + i);
            seeds.forEach(seed -> tests.add(dynamicTest("seed " + seed, () -> new Run(config, seed, coverage).run())));
            if (ONLY_SEED == null) {
                tests.add(dynamicTest("boundaries crossed", () -> coverage.assertCrossed(config)));
            }
            nodes.add(dynamicContainer(config.toString(), tests));
        }
        return nodes.stream();
    }

    // ---------------------------------------------------------------------------------------------

    /** The progressive migration of each kind, and what starts it (compaction starts the same kinds at once). */
    private static final Map<MigrationKind, MigrationTrigger> PROGRESSIVE = Map.of(
            MigrationKind.DOUBLE, MigrationTrigger.LOAD,
            MigrationKind.SAME_SIZE, MigrationTrigger.OVERFLOW,
            MigrationKind.SHRINK, MigrationTrigger.UNDERLOAD);

    /** What the runs of one configuration reached. */
    static final class Coverage {
        /** Progressive migrations started (counted by the observers), by kind. */
        final Map<MigrationKind, Integer> started = new EnumMap<>(MigrationKind.class);
        /** The most stripes of one run that started a progressive migration of the kind. */
        final Map<MigrationKind, Integer> maxStripesStarted = new EnumMap<>(MigrationKind.class);
        /** Operations after which {@code stripeStatistics()} showed a migration of the kind in progress. */
        final Map<MigrationKind, Long> seenInStatistics = new EnumMap<>(MigrationKind.class);
        long reseeds;
        long iterationsDuringMigration;
        long trimsDuringMigration;
        long functionFailuresDuringMigration;
        long operations;

        synchronized void add(MigrationCounter counter) {
            for (MigrationKind kind : MigrationKind.values()) {
                started.merge(kind, counter.started(kind, PROGRESSIVE.get(kind)), Integer::sum);
                maxStripesStarted.merge(kind, counter.stripesThatStarted(kind, PROGRESSIVE.get(kind)), Math::max);
            }
            reseeds += counter.cleanups(CleanupReason.RESEED);
        }

        synchronized void assertCrossed(Config config) {
            int severalStripes = config.keys == KeyKind.FULL_COLLISION ? 1 : Math.min(config.stripes, 2);
            List<String> missing = new ArrayList<>();
            for (MigrationKind kind : MigrationKind.values()) {
                if (kind == MigrationKind.SAME_SIZE) {
                    // Not reachable here: a StripedMap's removals (all but an iterator's removal of a key
                    // whose hash code changed) keep every chain as short as its entries allow and put emptied
                    // overflow buckets on a free list, so an array's overflow buckets never pass 1/8 of the
                    // most entries it held, fewer than its main buckets at the load factor. BucketMap's
                    // differential tests reach it through iterator removals, which move nothing.
                    continue;
                }
                int required = severalStripes;
                if (maxStripesStarted.getOrDefault(kind, 0) < required) {
                    missing.add(kind + "/" + PROGRESSIVE.get(kind) + " started in " + maxStripesStarted.getOrDefault(kind, 0)
                            + " stripes of one run");
                }
                if (seenInStatistics.getOrDefault(kind, 0L) == 0) {
                    missing.add(kind + " never seen in progress by stripeStatistics()");
                }
            }
            if (reseeds == 0) {
                missing.add("no stripe was ever emptied by a remove (re-seed)");
            }
            if (iterationsDuringMigration == 0) {
                missing.add("no iteration started while a stripe migrated");
            }
            if (functionFailuresDuringMigration == 0) {
                missing.add("no remapping function threw while a stripe migrated");
            }
            if (!missing.isEmpty()) {
                throw new AssertionError("boundaries not crossed for " + config + ": " + missing + "; reached: " + this);
            }
        }

        @Override
        public synchronized String toString() {
            return "started=" + started + ", maxStripesStarted=" + maxStripesStarted + ", seenInStatistics="
                    + seenInStatistics + ", reseeds=" + reseeds + ", iterationsDuringMigration="
                    + iterationsDuringMigration + ", trimsDuringMigration=" + trimsDuringMigration
                    + ", functionFailuresDuringMigration=" + functionFailuresDuringMigration + ", operations=" + operations;
        }
    }

    /** Thrown by a user function on purpose. */
    static final class FunctionFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FunctionFailure() {
            super("thrown by a function on purpose", null, false, false);
        }
    }

    /** The outcome of an operation that threw. */
    record Thrown(Class<?> type) { }

    /** The outcome of an operation that returned null. */
    private static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** What a user function does. */
    enum Mode { VALUE, NULL, THROW }

    /** One call of a user function, as seen by it. */
    record Call(String function, Object a, Object b) { }

    /**
     * The user functions of one operation on one side: deterministic in their arguments, recording
     * every call so that the two sides' calls can be compared.
     */
    static final class Fn {
        final Mode mode;
        final int salt;
        final List<Call> calls = new ArrayList<>(1);

        Fn(Mode mode, int salt) {
            this.mode = mode;
            this.salt = salt;
        }

        private Integer result(Object a, Object b) {
            switch (mode) {
                case NULL:
                    return null;
                case THROW:
                    throw new FunctionFailure();
                default:
                    int base = b instanceof Integer i ? i : Math.floorMod(Objects.hashCode(a), VALUES);
                    return Math.floorMod(base * 31 + salt, VALUES);
            }
        }

        Function<Object, Integer> mapping() {
            return k -> {
                calls.add(new Call("mapping", k, null));
                return result(k, null);
            };
        }

        BiFunction<Object, Integer, Integer> remapping() {
            return (k, v) -> {
                calls.add(new Call("remapping", k, v));
                return result(k, v);
            };
        }

        BiFunction<Integer, Integer, Integer> merging() {
            return (old, given) -> {
                calls.add(new Call("merging", old, given));
                return result(given, old);
            };
        }
    }

    /** A single-key operation, applied to either side with that side's functions. */
    @FunctionalInterface
    interface Op {
        Object apply(ConcurrentMap<Object, Integer> m, Fn fn);
    }

    private enum Phase { GROW, SHRINK, BURST, DRAIN, HOVER, FINAL_GROW, FINAL_DRAIN }

    // ---------------------------------------------------------------------------------------------

    /** One seeded run. */
    static final class Run {
        private final Config config;
        private final long seed;
        private final Coverage coverage;
        private final Random rnd;
        private final MigrationCounter counter = new MigrationCounter();
        private final StripedMap<Object, Integer> map;
        private final ConcurrentHashMap<Object, Integer> ref = new ConcurrentHashMap<>();
        private final KeyIndex<Object> present = new KeyIndex<>();
        private final int[] nextInGroup;
        private final ArrayDeque<String> trace = new ArrayDeque<>();
        private final long[] evacuationsBefore;
        private long op;

        private Phase phase = Phase.GROW;
        private int target;
        private int phaseOps;
        private int burstGroup;
        private final List<Object> burstKeys = new ArrayList<>();
        private int burstKeep;
        private int burstsLeft;
        private Phase afterBursts = Phase.SHRINK;
        /** The stripe that each hash group's keys land in, learnt from stripe sizes; -1 while unknown. */
        private final int[] stripeOfGroup;
        /** The hash group of the fresh key that the current operation inserts, or -1. */
        private int insertedGroup = -1;
        private int[] lastStripeSizes;
        private int focusStripe = -1;

        Run(Config config, long seed, Coverage coverage) {
            this.config = config;
            this.seed = seed;
            this.coverage = coverage;
            this.rnd = new Random(seed);
            this.nextInGroup = new int[config.keys.groups];
            this.stripeOfGroup = new int[config.keys.groups];
            java.util.Arrays.fill(stripeOfGroup, -1);
            this.map = StripedMap.builder()
                    .name("differential-" + seed)
                    .stripes(config.stripes)
                    .initialCapacity(config.initialCapacity)
                    .observers(counter.factory())
                    .build();
            this.evacuationsBefore = new long[map.stripeCount()];
            this.target = config.maxSize / 2 + rnd.nextInt(config.maxSize / 2 + 1);
        }

        void run() {
            try {
                for (op = 0; op < config.ops; op++) {
                    step();
                    checkStripes();
                    if (op % CHECK_PERIOD == 0) {
                        map.checkInvariants();
                    }
                    if (op % FULL_COMPARE_PERIOD == 0) {
                        compareAll("periodic comparison");
                    }
                }
                map.checkInvariants();
                compareAll("end of run");
                counter.assertNoViolations();
                coverage.add(counter);
                synchronized (coverage) {
                    coverage.operations += config.ops;
                }
            } catch (Throwable t) {
                AssertionError e = new AssertionError("differential run failed: " + config + ", seed=" + seed + ", op #" + op
                        + ", map size " + ref.size() + ", migrations " + counter + "\nlast operations (oldest first):\n  "
                        + String.join("\n  ", trace) + "\n" + t, t);
                throw e;
            }
        }

        // ---- phases ----

        /**
         * Phases run in cycles with random parameters: grow to between half and all of the maximum
         * size, a series of up to 19 bursts, delete down to a quarter or less (to empty a third of the
         * time), a series of 10 to 39 bursts at that small size (where a stripe's overflow count
         * reaches its small bucket count soonest), hover. Every cycle crosses each stripe's growth and
         * shrink thresholds several times. The last operations grow the map to at least half the maximum
         * size and delete everything ({@code FINAL_GROW}, {@code FINAL_DRAIN}).
         */
        private void nextPhase() {
            int size = ref.size();
            phaseOps = 0;
            switch (phase) {
                case GROW -> {
                    focusStripe = -1;
                    afterBursts = Phase.SHRINK;
                    burstsLeft = rnd.nextInt(20);
                    if (burstsLeft > 0) {
                        startBurst();
                    } else {
                        startShrink(size);
                    }
                }
                case SHRINK -> {
                    focusStripe = -1;
                    afterBursts = Phase.HOVER;
                    burstsLeft = 10 + rnd.nextInt(30);
                    startBurst();
                }
                case BURST, DRAIN -> {
                    if (afterBursts == Phase.SHRINK) {
                        startShrink(size);
                    } else {
                        phase = Phase.HOVER;
                        target = 50 + rnd.nextInt(250);
                    }
                }
                default -> {
                    phase = Phase.GROW;
                    target = Math.max(size + 1, config.maxSize / 2 + rnd.nextInt(config.maxSize / 2 + 1));
                }
            }
        }

        private void startShrink(int size) {
            phase = Phase.SHRINK;
            target = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(Math.max(1, size / 4));
        }

        /**
         * Inserts 9 to 24 keys of one hash group, then deletes all but up to two of them: the group's
         * chain keeps the overflow buckets it grew, so a series of bursts in different groups makes a
         * stripe's overflow count reach its bucket count without overloading it (a same-size rebuild).
         */
        private void startBurst() {
            phase = Phase.BURST;
            burstGroup = focusedGroup();
            burstKeys.clear();
            target = 9 + rnd.nextInt(16);
            burstKeep = rnd.nextInt(3);
        }

        /**
         * A random hash group, preferably one whose keys land in the stripe that the current burst
         * series focuses on, so that a series builds up overflow in one stripe even in a map of many
         * stripes. The first burst of a series picks the focus.
         */
        private int focusedGroup() {
            int groups = config.keys.groups;
            if (focusStripe < 0) {
                int g = rnd.nextInt(groups);
                focusStripe = stripeOfGroup[g];
                return g;
            }
            for (int tries = 0; tries < 4 * groups; tries++) {
                int g = rnd.nextInt(groups);
                if (stripeOfGroup[g] == focusStripe) {
                    return g;
                }
            }
            return rnd.nextInt(groups);
        }

        /** Probability in percent that a structural operation inserts (rather than deletes). */
        private int insertPercent() {
            switch (phase) {
                case GROW:
                    if (ref.size() >= target) {
                        nextPhase();
                        return insertPercent();
                    }
                    return 90;
                case SHRINK:
                    if (ref.size() <= target) {
                        nextPhase();
                        return insertPercent();
                    }
                    return 10;
                case BURST:
                    if (burstKeys.size() >= target || ref.size() >= config.maxSize * 2) {
                        phase = Phase.DRAIN;
                        return insertPercent();
                    }
                    return 100;
                case FINAL_GROW:
                    if (ref.size() >= target) {
                        phase = Phase.FINAL_DRAIN;
                        return 0;
                    }
                    return 100;
                case FINAL_DRAIN:
                    return 0;
                case DRAIN:
                    burstKeys.removeIf(k -> !ref.containsKey(k));
                    if (burstKeys.size() <= burstKeep) {
                        if (--burstsLeft > 0) {
                            startBurst(); // a series of bursts in different groups: overflow accumulates
                        } else {
                            nextPhase();
                        }
                        return insertPercent();
                    }
                    return 0;
                default:
                    if (++phaseOps >= target) {
                        nextPhase();
                        return insertPercent();
                    }
                    return ref.size() < config.maxSize / 8 ? 65 : ref.size() > config.maxSize ? 35 : 50;
            }
        }

        private Object freshKey(int group) {
            int groups = config.keys.groups;
            int id = nextInGroup[group]++ * groups + group;
            return config.keys.keyOf.apply(id);
        }

        private Object absentKey() {
            return config.keys.keyOf.apply(-1 - rnd.nextInt(1_000_000));
        }

        private Object presentOrAbsentKey() {
            return present.size() > 0 && rnd.nextInt(4) != 0 ? present.random(rnd) : absentKey();
        }

        private int value() {
            return rnd.nextInt(VALUES);
        }

        // ---- one step ----

        private void step() {
            int half = config.maxSize / 2;
            if (phase != Phase.FINAL_GROW && phase != Phase.FINAL_DRAIN
                    && config.ops - op < 2L * Math.max(0, half - ref.size()) + 2L * Math.max(half, ref.size()) + 200) {
                // Whatever the cycles reached, the run ends by growing to at least half the maximum
                // size and deleting everything: every stripe crosses each of its growth and shrink
                // thresholds on the way, then empties (re-seeds).
                phase = Phase.FINAL_GROW;
                target = half;
            }
            int r = rnd.nextInt(1000);
            if (r < 6) {
                wholeMapOperation();
                return;
            }
            if (r < 16 && anyMigrating()) {
                // Traversals are more likely while a stripe migrates.
                if (rnd.nextInt(4) == 0) {
                    readOnlyTraversals();
                } else {
                    iterateAndMutate(true);
                }
                map.checkInvariants();
                present.reset(ref.keySet());
                return;
            }
            if (r < 700) {
                boolean insert = rnd.nextInt(100) < insertPercent();
                if (insert) {
                    Object key;
                    if (phase == Phase.BURST) {
                        insertedGroup = burstGroup;
                        key = freshKey(burstGroup);
                        burstKeys.add(key);
                    } else {
                        insertedGroup = rnd.nextInt(config.keys.groups);
                        key = freshKey(insertedGroup);
                    }
                    insertOp(key);
                } else if (present.size() > 0) {
                    Object key = phase == Phase.DRAIN && !burstKeys.isEmpty()
                            ? burstKeys.get(rnd.nextInt(burstKeys.size())) : present.random(rnd);
                    deleteOp(key);
                }
                return;
            }
            otherOp();
        }

        private void insertOp(Object key) {
            int v = value();
            switch (rnd.nextInt(6)) {
                case 0 -> write("put", key, Mode.VALUE, (m, f) -> m.put(key, v));
                case 1 -> write("putIfAbsent", key, Mode.VALUE, (m, f) -> m.putIfAbsent(key, v));
                case 2 -> write("computeIfAbsent", key, Mode.VALUE, (m, f) -> m.computeIfAbsent(key, f.mapping()));
                case 3 -> write("compute", key, Mode.VALUE, (m, f) -> m.compute(key, f.remapping()));
                case 4 -> write("merge", key, Mode.VALUE, (m, f) -> m.merge(key, v, f.merging()));
                default -> write("putAll(1)", key, Mode.VALUE, (m, f) -> {
                    m.putAll(Map.of(key, v));
                    return null;
                });
            }
        }

        private void deleteOp(Object key) {
            int v = value();
            switch (rnd.nextInt(8)) {
                case 0, 1 -> write("remove", key, Mode.NULL, (m, f) -> m.remove(key));
                case 2 -> write("remove(k,current)", key, Mode.NULL, (m, f) -> m.remove(key, m.get(key)));
                case 3 -> write("computeIfPresent->null", key, Mode.NULL, (m, f) -> m.computeIfPresent(key, f.remapping()));
                case 4 -> write("compute->null", key, Mode.NULL, (m, f) -> m.compute(key, f.remapping()));
                case 5 -> write("merge->null", key, Mode.NULL, (m, f) -> m.merge(key, v, f.merging()));
                case 6 -> write("keySet.remove", key, Mode.NULL, (m, f) -> m.keySet().remove(key));
                default -> write("entrySet.remove", key, Mode.NULL, (m, f) -> m.entrySet().remove(Map.entry(key, m.get(key))));
            }
        }

        private void otherOp() {
            Object key = presentOrAbsentKey();
            int v = value();
            int w = value();
            Mode mode = switch (rnd.nextInt(10)) {
                case 0, 1 -> Mode.THROW;
                case 2, 3 -> Mode.NULL;
                default -> Mode.VALUE;
            };
            switch (rnd.nextInt(19)) {
                case 0 -> read("get", key, (m, f) -> m.get(key));
                case 1 -> read("containsKey", key, (m, f) -> m.containsKey(key));
                case 2 -> read("getOrDefault", key, (m, f) -> m.getOrDefault(key, -1));
                case 3 -> read("containsValue", key, (m, f) -> m.containsValue(v));
                case 4 -> write("put", key, Mode.VALUE, (m, f) -> m.put(key, v));
                case 5 -> write("putIfAbsent", key, Mode.VALUE, (m, f) -> m.putIfAbsent(key, v));
                case 6 -> write("replace", key, Mode.VALUE, (m, f) -> m.replace(key, v));
                case 7 -> write("replace(k,current,new)", key, Mode.VALUE, (m, f) -> {
                    Integer current = m.get(key);
                    return m.replace(key, current == null ? v : current, w);
                });
                case 8 -> write("replace(k,random,new)", key, Mode.VALUE, (m, f) -> m.replace(key, v, w));
                case 9 -> write("remove(k,random)", key, Mode.VALUE, (m, f) -> m.remove(key, v));
                case 10 -> {
                    if (ref.containsKey(key) && mode == Mode.VALUE) {
                        read("computeIfAbsent(present)", key, (m, f) -> m.computeIfAbsent(key, f.mapping()));
                    } else {
                        write("computeIfAbsent", key, mode, (m, f) -> m.computeIfAbsent(key, f.mapping()));
                    }
                }
                case 11, 12 -> write("computeIfPresent", key, mode, (m, f) -> m.computeIfPresent(key, f.remapping()));
                case 13, 14 -> write("compute", key, mode, (m, f) -> m.compute(key, f.remapping()));
                case 15, 16 -> write("merge", key, mode, (m, f) -> m.merge(key, v, f.merging()));
                case 17 -> write("remove", key, Mode.VALUE, (m, f) -> m.remove(key));
                default -> write("entry.setValue", key, Mode.VALUE, (m, f) -> setValueOf(m, key, v));
            }
        }

        /** Sets a value through the entry set's iterator (found by key), as a user walking the map would. */
        private static Object setValueOf(ConcurrentMap<Object, Integer> m, Object key, int v) {
            for (Map.Entry<Object, Integer> e : m.entrySet()) {
                if (e.getKey().equals(key)) {
                    Integer old = e.setValue(v);
                    return List.of(old, e.getValue(), m.get(key));
                }
            }
            return "absent";
        }

        private void read(String name, Object key, Op action) {
            apply(name, key, Mode.VALUE, action, false);
        }

        private void write(String name, Object key, Mode mode, Op action) {
            apply(name, key, mode, action, true);
        }

        private void apply(String name, Object key, Mode mode, Op action, boolean write) {
            int salt = rnd.nextInt(1000);
            String description = "#" + op + " " + name + "(" + key + ") mode=" + mode + " salt=" + salt;
            trace(description);
            boolean migrating = anyMigrating();
            snapshotEvacuations();
            Fn fm = new Fn(mode, salt);
            Fn fr = new Fn(mode, salt);
            Object actual = outcome(() -> action.apply(map, fm));
            Object expected = outcome(() -> action.apply(ref, fr));
            if (!Objects.equals(actual, expected)) {
                fail(description + ": returned " + actual + ", ConcurrentHashMap returned " + expected);
            }
            if (!fm.calls.equals(fr.calls)) {
                fail(description + ": function calls " + fm.calls + ", ConcurrentHashMap's " + fr.calls);
            }
            if (migrating && expected instanceof Thrown t && t.type() == FunctionFailure.class) {
                synchronized (coverage) {
                    coverage.functionFailuresDuringMigration++;
                }
            }
            checkEvacuations(description, write);
            Integer now = map.get(key);
            if (!Objects.equals(now, ref.get(key))) {
                fail(description + ": afterwards get=" + now + ", expected " + ref.get(key));
            }
            if (map.size() != ref.size() || map.isEmpty() != ref.isEmpty() || map.mappingCount() != ref.size()) {
                fail(description + ": size " + map.size() + "/" + map.mappingCount() + ", expected " + ref.size());
            }
            present.sync(key, now != null);
        }

        private static Object outcome(Supplier<Object> action) {
            try {
                Object result = action.get();
                return result == null ? NULL : result;
            } catch (RuntimeException e) {
                return new Thrown(e.getClass());
            }
        }

        // ---- migration checks ----

        private boolean anyMigrating() {
            for (int i = 0; i < map.stripeCount(); i++) {
                MigrationCounter.StripeObserver s = counter.stripe(i);
                if (s != null && s.running != null) {
                    return true;
                }
            }
            return false;
        }

        private void snapshotEvacuations() {
            for (int i = 0; i < evacuationsBefore.length; i++) {
                MigrationCounter.StripeObserver s = counter.stripe(i);
                evacuationsBefore[i] = s == null ? 0 : s.evacuations.get();
            }
        }

        /** A write evacuates at most two old buckets, all in one stripe; a read evacuates none. */
        private void checkEvacuations(String description, boolean write) {
            long total = 0;
            int stripesTouched = 0;
            for (int i = 0; i < evacuationsBefore.length; i++) {
                MigrationCounter.StripeObserver s = counter.stripe(i);
                long delta = (s == null ? 0 : s.evacuations.get()) - evacuationsBefore[i];
                total += delta;
                if (delta > 0) {
                    stripesTouched++;
                }
            }
            long allowed = write ? BucketTable.MAX_EVACUATIONS_PER_WRITE : 0;
            if (total > allowed || stripesTouched > 1) {
                fail(description + ": evacuated " + total + " old buckets in " + stripesTouched + " stripes (a "
                        + (write ? "write" : "read") + " may evacuate " + allowed + " in one stripe)");
            }
        }

        /**
         * {@code stripeStatistics()} must show exactly the migrations that the observers reported as
         * running, stripe by stripe, and sizes that add up; counts the migrations seen in progress.
         */
        private void checkStripes() {
            List<TableStatistics> stats = map.stripeStatistics();
            if (stats.size() != map.stripeCount()) {
                fail("stripeStatistics() has " + stats.size() + " entries for " + map.stripeCount() + " stripes");
            }
            long sum = 0;
            int grown = -1;
            int changed = 0;
            for (int i = 0; i < stats.size(); i++) {
                TableStatistics s = stats.get(i);
                if (lastStripeSizes != null && s.size() != lastStripeSizes[i]) {
                    changed++;
                    grown = s.size() == lastStripeSizes[i] + 1 ? i : -1;
                }
                MigrationCounter.StripeObserver o = counter.stripe(i);
                MigrationKind running = o == null ? null : o.running;
                if (s.migration() != running) {
                    fail("stripe " + i + ": stripeStatistics() shows migration " + s.migration()
                            + " but the observer reported " + running + " as running: " + s);
                }
                if (running != null) {
                    if (!(s.migrationProgress() >= 0 && s.migrationProgress() < 1)) {
                        fail("stripe " + i + ": migration in progress with progress " + s.migrationProgress());
                    }
                    synchronized (coverage) {
                        coverage.seenInStatistics.merge(running, 1L, Long::sum);
                    }
                } else if (s.migrationProgress() != 1.0) {
                    fail("stripe " + i + ": no migration but progress " + s.migrationProgress());
                }
                sum += s.size();
            }
            if (sum != ref.size()) {
                fail("stripe sizes add up to " + sum + ", expected " + ref.size());
            }
            if (insertedGroup >= 0 && changed == 1 && grown >= 0) {
                stripeOfGroup[insertedGroup] = grown;
            }
            insertedGroup = -1;
            if (lastStripeSizes == null) {
                lastStripeSizes = new int[stats.size()];
            }
            for (int i = 0; i < stats.size(); i++) {
                lastStripeSizes[i] = stats.get(i).size();
            }
        }

        // ---- whole-map operations ----

        private void wholeMapOperation() {
            boolean migrating = anyMigrating();
            int r = rnd.nextInt(100);
            if (r < 30) {
                iterateAndMutate(migrating);
            } else if (r < 40) {
                readOnlyTraversals();
            } else if (r < 50) {
                removeIfOnViews();
            } else if (r < 60) {
                replaceAll();
            } else if (r < 70) {
                putAll();
            } else if (phase == Phase.FINAL_GROW || phase == Phase.FINAL_DRAIN) {
                // The final phases must cross thresholds progressively: no compaction, no clear.
                iterateAndMutate(migrating);
            } else if (r < 82) {
                trimToSize(migrating);
            } else if (r < 90) {
                serializationRoundTrip();
            } else if (r < 97) {
                copyConstructor();
            } else {
                clear();
            }
            map.checkInvariants();
            present.reset(ref.keySet());
        }

        /**
         * Walks the entry set or key set and, in the middle of the walk, removes through the iterator,
         * sets values through entries, inserts new keys and removes other keys (which migrates stripes
         * under the walk). Weak consistency: no key twice; every key present at the start and not
         * removed during the walk is returned; every returned key was present at the start or added
         * during the walk; entries not written during the walk carry their current value.
         */
        private void iterateAndMutate(boolean migrating) {
            boolean entries = rnd.nextBoolean();
            trace("#" + op + " iterate " + (entries ? "entrySet" : "keySet") + " with writes, migrating=" + migrating);
            if (migrating) {
                synchronized (coverage) {
                    coverage.iterationsDuringMigration++;
                }
            }
            insertedGroup = -1;
            Set<Object> atStart = new HashSet<>(ref.keySet());
            Set<Object> added = new HashSet<>();
            Set<Object> touched = new HashSet<>();
            Set<Object> seen = new HashSet<>();
            int writePercent = rnd.nextInt(12);
            Iterator<?> it = entries ? map.entrySet().iterator() : map.keySet().iterator();
            while (it.hasNext()) {
                Object next = it.next();
                Object key;
                Integer value = null;
                if (entries) {
                    @SuppressWarnings("unchecked")
                    Map.Entry<Object, Integer> e = (Map.Entry<Object, Integer>) next;
                    key = e.getKey();
                    value = e.getValue();
                } else {
                    key = next;
                }
                if (!seen.add(key)) {
                    fail("iteration returned " + key + " twice");
                }
                if (!atStart.contains(key) && !added.contains(key)) {
                    fail("iteration returned " + key + ", which was neither present at the start nor added");
                }
                if (entries && !touched.contains(key) && !value.equals(ref.get(key))) {
                    fail("iteration returned " + key + "=" + value + ", but its value is " + ref.get(key));
                }
                if (rnd.nextInt(100) >= writePercent) {
                    continue;
                }
                switch (rnd.nextInt(5)) {
                    case 0 -> {
                        it.remove();
                        ref.remove(key);
                        touched.add(key);
                        if (map.containsKey(key)) {
                            fail("Iterator.remove() left " + key + " in the map");
                        }
                    }
                    case 1 -> {
                        if (entries) {
                            @SuppressWarnings("unchecked")
                            Map.Entry<Object, Integer> e = (Map.Entry<Object, Integer>) next;
                            int v = value();
                            Integer old = e.setValue(v);
                            if (!value.equals(old) || e.getValue() != v || !Integer.valueOf(v).equals(map.get(key))) {
                                fail("Entry.setValue(" + v + ") on " + key + "=" + value + " returned " + old
                                        + ", entry now " + e.getValue() + ", map now " + map.get(key));
                            }
                            ref.put(key, v);
                            touched.add(key);
                        }
                    }
                    case 2 -> {
                        Object fresh = freshKey(rnd.nextInt(config.keys.groups));
                        int v = value();
                        map.put(fresh, v);
                        ref.put(fresh, v);
                        added.add(fresh);
                    }
                    default -> {
                        if (!ref.isEmpty()) {
                            Object other = present.random(rnd);
                            if (ref.containsKey(other)) {
                                map.remove(other);
                                ref.remove(other);
                                touched.add(other);
                            }
                        }
                    }
                }
            }
            for (Object k : atStart) {
                if (!touched.contains(k) && !seen.contains(k)) {
                    fail("iteration missed " + k + ", present for the whole walk");
                }
            }
            compareAll("after iteration with writes");
        }

        /** Traversals that must see exactly the reference's content (nothing changes meanwhile). */
        private void readOnlyTraversals() {
            trace("#" + op + " read-only traversals");
            Map<Object, Integer> viaForEach = new HashMap<>();
            map.forEach((k, v) -> {
                if (viaForEach.put(k, v) != null) {
                    fail("forEach passed " + k + " twice");
                }
            });
            assertSameContent("forEach", viaForEach);
            Map<Object, Integer> viaStream = map.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertSameContent("entrySet().stream()", viaStream);
            List<Object> keys = map.keySet().parallelStream().collect(Collectors.toList());
            if (keys.size() != ref.size() || !new HashSet<>(keys).equals(ref.keySet())) {
                fail("keySet().parallelStream() gave " + keys.size() + " keys, expected " + ref.keySet().size());
            }
            Map<Integer, Long> valueCounts = map.values().stream()
                    .collect(Collectors.groupingBy(v -> v, Collectors.counting()));
            Map<Integer, Long> expectedCounts = ref.values().stream()
                    .collect(Collectors.groupingBy(v -> v, Collectors.counting()));
            if (!valueCounts.equals(expectedCounts)) {
                fail("values() as a multiset " + valueCounts + ", expected " + expectedCounts);
            }
            for (int v = 0; v < VALUES; v += 7) {
                if (map.containsValue(v) != ref.containsValue(v)) {
                    fail("containsValue(" + v + ") = " + map.containsValue(v));
                }
            }
        }

        private void assertSameContent(String what, Map<Object, Integer> got) {
            if (!got.equals(ref)) {
                fail(what + " gave " + got.size() + " entries that differ from the reference's " + ref.size());
            }
        }

        private void removeIfOnViews() {
            int modulus = 4 + rnd.nextInt(13);
            int residue = rnd.nextInt(modulus);
            Predicate<Integer> valueTest = v -> v % modulus == residue;
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    trace("#" + op + " entrySet().removeIf(value % " + modulus + " == " + residue + ")");
                    boolean a = map.entrySet().removeIf(e -> valueTest.test(e.getValue()));
                    boolean b = ref.entrySet().removeIf(e -> valueTest.test(e.getValue()));
                    check(a == b, "entrySet().removeIf returned " + a);
                }
                case 1 -> {
                    trace("#" + op + " values().removeIf(value % " + modulus + " == " + residue + ")");
                    boolean a = map.values().removeIf(valueTest);
                    boolean b = ref.values().removeIf(valueTest);
                    check(a == b, "values().removeIf returned " + a);
                }
                default -> {
                    trace("#" + op + " keySet().removeIf(hash % " + modulus + " == " + residue + ")");
                    Predicate<Object> keyTest = k -> Math.floorMod(k.hashCode() ^ (k.hashCode() >>> 16), modulus) == residue;
                    boolean a = map.keySet().removeIf(keyTest);
                    boolean b = ref.keySet().removeIf(keyTest);
                    check(a == b, "keySet().removeIf returned " + a);
                }
            }
            compareAll("after removeIf");
        }

        private void replaceAll() {
            int salt = rnd.nextInt(1000);
            trace("#" + op + " replaceAll salt=" + salt);
            BiFunction<Object, Integer, Integer> f = (k, v) -> Math.floorMod(v * 17 + k.hashCode() + salt, VALUES);
            map.replaceAll(f);
            ref.replaceAll(f);
            compareAll("after replaceAll");
        }

        private void putAll() {
            Map<Object, Integer> source = new HashMap<>();
            int n = 1 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                Object key = rnd.nextBoolean() && present.size() > 0 ? present.random(rnd)
                        : freshKey(rnd.nextInt(config.keys.groups));
                source.put(key, value());
            }
            trace("#" + op + " putAll(" + source.size() + " entries)");
            map.putAll(source);
            ref.putAll(source);
            compareAll("after putAll");
        }

        /**
         * Compaction: no migration may be left running, every stripe must be as small as its entries
         * allow (never below its initial-capacity floor; released when empty), the estimate of bytes
         * held must not grow, and the content must not change.
         */
        private void trimToSize(boolean migrating) {
            trace("#" + op + " trimToSize, migrating=" + migrating);
            if (migrating) {
                synchronized (coverage) {
                    coverage.trimsDuringMigration++;
                }
            }
            List<TableStatistics> before = map.stripeStatistics();
            map.trimToSize();
            List<TableStatistics> stats = map.stripeStatistics();
            int perStripeCapacity = (int) ((config.initialCapacity + (long) map.stripeCount() - 1) / map.stripeCount());
            int floorBits = bitsFor(perStripeCapacity);
            for (int i = 0; i < stats.size(); i++) {
                TableStatistics s = stats.get(i);
                if (s.migration() != null) {
                    fail("stripe " + i + " still migrates after trimToSize(): " + s);
                }
                if (s.size() == 0 && s.buckets() != 0) {
                    fail("stripe " + i + " is empty but holds " + s.buckets() + " buckets after trimToSize(): " + s);
                }
                // the fewest buckets within the load factor, or more when fewer would cost more bytes in
                // overflow buckets than they save; never more than before unless the table was overloaded
                int fewest = 1 << Math.max(floorBits, bitsFor(s.size() - s.collisionTreeEntries()));
                int maxBuckets = Math.max(fewest, before.get(i).buckets());
                if (s.size() > 0 && s.buckets() > maxBuckets) {
                    fail("stripe " + i + " holds " + s.buckets() + " buckets for " + s.size() + " entries after"
                            + " trimToSize(); the smallest table that holds them has " + fewest + ": " + s);
                }
            }
            for (int i = 0; i < stats.size(); i++) {
                // Only a stripe that had to grow (left overloaded by a same-size rebuild) may hold more.
                if (stats.get(i).buckets() <= before.get(i).buckets()
                        && stats.get(i).estimatedBytes() > before.get(i).estimatedBytes()) {
                    fail("trimToSize() grew stripe " + i + " from " + before.get(i) + " to " + stats.get(i));
                }
            }
            compareAll("after trimToSize");
        }

        private void serializationRoundTrip() {
            trace("#" + op + " serialization round trip");
            StripedMap<Object, Integer> copy = roundTrip(map);
            copy.checkInvariants();
            check(copy.equals(ref) && ref.equals(copy), "deserialised copy differs from the reference");
            check(copy.name().equals(map.name()), "name not kept: " + copy.name());
            check(copy.stripeCount() == map.stripeCount(), "stripe count not kept: " + copy.stripeCount());
            Object fresh = freshKey(0);
            copy.put(fresh, 1);
            check(!map.containsKey(fresh), "a write to the deserialised copy shows in the original");
            copy.clear();
            check(map.size() == ref.size(), "clearing the deserialised copy changed the original");
        }

        private void copyConstructor() {
            trace("#" + op + " new StripedMap<>(map)");
            StripedMap<Object, Integer> copy = new StripedMap<>(map);
            copy.checkInvariants();
            check(copy.equals(ref) && copy.hashCode() == ref.hashCode(), "copy differs from the reference");
        }

        private void clear() {
            trace("#" + op + " clear");
            map.clear();
            ref.clear();
            check(map.isEmpty() && map.size() == 0, "not empty after clear()");
            TableStatistics s = map.statistics();
            check(s.size() == 0 && s.buckets() == 0 && s.migration() == null,
                    "clear() did not release the stripes' tables: " + s);
        }

        private void compareAll(String when) {
            Map<Object, Integer> copy = new HashMap<>();
            int n = 0;
            for (Map.Entry<Object, Integer> e : map.entrySet()) {
                n++;
                copy.put(e.getKey(), e.getValue());
            }
            if (n != ref.size() || !copy.equals(ref)) {
                fail(when + ": iteration gave " + n + " entries (" + copy.size() + " distinct), which differ from the"
                        + " reference's " + ref.size() + difference(copy));
            }
            if (!map.equals(ref) || !ref.equals(map) || map.hashCode() != ref.hashCode()) {
                fail(when + ": equals/hashCode disagree with the reference");
            }
            if (!map.keySet().equals(ref.keySet()) || !map.entrySet().equals(ref.entrySet())) {
                fail(when + ": keySet()/entrySet() differ from the reference's");
            }
        }

        private String difference(Map<Object, Integer> got) {
            Set<Object> missing = new HashSet<>(ref.keySet());
            missing.removeAll(got.keySet());
            Set<Object> extra = new HashSet<>(got.keySet());
            extra.removeAll(ref.keySet());
            List<Object> wrong = new ArrayList<>();
            for (Map.Entry<Object, Integer> e : got.entrySet()) {
                if (ref.containsKey(e.getKey()) && !ref.get(e.getKey()).equals(e.getValue())) {
                    wrong.add(e.getKey());
                }
            }
            return "; missing " + limit(missing) + ", extra " + limit(extra) + ", wrong values " + limit(wrong);
        }

        private static String limit(java.util.Collection<?> c) {
            return c.stream().limit(10).map(String::valueOf).collect(Collectors.joining(", ", "[", c.size() > 10 ? ", ...]" : "]"));
        }

        private void trace(String line) {
            if (trace.size() == 40) {
                trace.removeFirst();
            }
            trace.addLast(line);
        }

        private static void check(boolean condition, String message) {
            if (!condition) {
                fail(message);
            }
        }

        private static void fail(String message) {
            throw new AssertionError(message);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** The smallest bucket bits whose table holds {@code entries} within the load factor (as documented). */
    static int bitsFor(long entries) {
        int bits = 0;
        while (bits < BucketTable.MAX_BUCKET_BITS && entries > BucketTable.SLOTS_PER_BUCKET
                && entries * BucketTable.LOAD_DEN > ((long) BucketTable.LOAD_NUM << bits)) {
            bits++;
        }
        return bits;
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T object) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(object);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError("serialization round trip failed", e);
        }
    }
}
