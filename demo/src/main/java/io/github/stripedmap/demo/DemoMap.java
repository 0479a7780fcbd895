package io.github.stripedmap.demo;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.CleanupReason;
import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.MigrationTrigger;
import io.github.stripedmap.core.TableObserver;
import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.tracing.StripedMapTracing;

import java.lang.reflect.Field;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One map under test: the map, how many bytes its structure holds, and (for {@code StripedMap}) the
 * migrations it started.
 */
abstract class DemoMap {

    final MapKind kind;
    final ConcurrentMap<Long, Long> map;

    private DemoMap(MapKind kind, ConcurrentMap<Long, Long> map) {
        this.kind = kind;
        this.map = map;
    }

    static DemoMap create(MapKind kind) {
        return kind == MapKind.STRIPED ? new Striped() : new Chm();
    }

    /** @return bytes of the map's own structure (arrays, nodes), keys and values excluded */
    abstract long structureBytes();

    /** @return migrations started so far, by kind (empty for maps that do not report them) */
    abstract Map<MigrationKind, Integer> migrations();

    /** @return a map of the same kind with the same entries that no tracer or recording references */
    abstract DemoMap untracedCopy();

    /** {@code StripedMap}, traced under the name "demo-StripedMap", counting its migrations too. */
    static final class Striped extends DemoMap {
        private final AtomicIntegerArray started;

        Striped() {
            this(new AtomicIntegerArray(MigrationKind.values().length));
        }

        private Striped(StripedMap<Long, Long> untraced) {
            super(MapKind.STRIPED, untraced);
            this.started = new AtomicIntegerArray(MigrationKind.values().length);
        }

        @Override
        DemoMap untracedCopy() {
            StripedMap<Long, Long> copy = StripedMap.builder().observers(stripe -> TableObserver.NONE).build();
            copy.putAll(map);
            return new Striped(copy);
        }

        private Striped(AtomicIntegerArray started) {
            super(MapKind.STRIPED, StripedMapTracing.build(StripedMap.builder(), "demo-StripedMap",
                    stripe -> new TableObserver() {
                        @Override
                        public void migrationStarted(MigrationKind kind, MigrationTrigger trigger, int oldBuckets,
                                                     int newBuckets, int entries, int overflowBuckets) {
                            started.incrementAndGet(kind.ordinal());
                        }

                        @Override
                        public void cleanup(CleanupReason reason, long releasedBytes, int entriesRemoved) { }
                    }));
            this.started = started;
        }

        @Override
        long structureBytes() {
            return ((StripedMap<Long, Long>) map).statistics().estimatedBytes();
        }

        @Override
        Map<MigrationKind, Integer> migrations() {
            Map<MigrationKind, Integer> counts = new EnumMap<>(MigrationKind.class);
            for (MigrationKind k : MigrationKind.values()) {
                counts.put(k, started.get(k.ordinal()));
            }
            return counts;
        }
    }

    /**
     * {@code ConcurrentHashMap}: its structure is its table (read by reflection, which needs
     * {@code --add-opens java.base/java.util.concurrent=ALL-UNNAMED}) and one node per entry.
     * It also reports statistics to the recording, so the report charts it beside {@code StripedMap}.
     */
    static final class Chm extends DemoMap {
        /** A {@code ConcurrentHashMap.Node} with compressed references: header, hash, key, value, next. */
        static final int NODE_BYTES = 32;
        /** The map object and its counter fields, roughly. */
        static final int MAP_BYTES = 64;
        /** Array header. */
        static final int ARRAY_HEADER_BYTES = 16;
        /** A table slot with compressed references. */
        static final int SLOT_BYTES = 4;
        private static final Field TABLE = tableField();

        Chm() {
            this(new ConcurrentHashMap<>());
            StripedMapTracing.watch(map, "demo-ConcurrentHashMap", "ConcurrentHashMap", Chm::statistics);
        }

        private Chm(ConcurrentHashMap<Long, Long> map) {
            super(MapKind.CHM, map);
        }

        @Override
        DemoMap untracedCopy() {
            return new Chm(new ConcurrentHashMap<>(map));
        }

        private static Field tableField() {
            try {
                Field f = ConcurrentHashMap.class.getDeclaredField("table");
                f.setAccessible(true);
                return f;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // not opened: structureBytes() falls back to a lower bound
            }
        }

        static int tableLength(ConcurrentMap<?, ?> map) {
            if (TABLE == null) {
                return 0;
            }
            try {
                Object[] table = (Object[]) TABLE.get(map);
                return table == null ? 0 : table.length;
            } catch (IllegalAccessException e) {
                return 0;
            }
        }

        static long bytes(ConcurrentMap<?, ?> map) {
            int slots = tableLength(map);
            return MAP_BYTES + (slots == 0 ? 0 : ARRAY_HEADER_BYTES + (long) SLOT_BYTES * slots)
                    + (long) NODE_BYTES * map.size();
        }

        static TableStatistics statistics(ConcurrentMap<?, ?> map) {
            int size = map.size();
            int slots = tableLength(map);
            return new TableStatistics(size, slots, 0, null, 1.0, slots == 0 ? 0 : (double) size / slots, bytes(map));
        }

        @Override
        long structureBytes() {
            return bytes(map);
        }

        @Override
        Map<MigrationKind, Integer> migrations() {
            return Map.of();
        }
    }
}
