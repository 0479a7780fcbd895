package io.github.stripedmap.tracing;

import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.core.spi.MapIdentity;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The live maps, for the periodic {@code Statistics} event. Holds each map through a
 * {@link WeakReference} only (with a statistics function that captures no map), so tracing never
 * keeps a map alive; entries of collected maps are dropped through a reference queue on the next
 * registration or emission.
 */
final class MapRegistry {

    /** A weakly held map with what is needed to describe it. */
    static final class Entry<M> extends WeakReference<M> {
        final MapIdentity identity;
        final MapTrace trace;
        private final Function<? super M, TableStatistics> statistics;

        Entry(M map, MapIdentity identity, MapTrace trace, Function<? super M, TableStatistics> statistics,
              ReferenceQueue<Object> queue) {
            super(map, queue);
            this.identity = identity;
            this.trace = trace;
            this.statistics = statistics;
        }

        /** @return a snapshot, or null if the map was collected (or is not usable yet) */
        TableStatistics statistics() {
            M map = get();
            if (map == null) {
                return null;
            }
            try {
                return statistics.apply(map);
            } catch (RuntimeException e) {
                return null; // e.g. a map still inside its constructor
            } finally {
                Reference.reachabilityFence(map);
            }
        }
    }

    private final ConcurrentHashMap<Long, Entry<?>> entries = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

    <M> void register(M map, MapIdentity identity, MapTrace trace, Function<? super M, TableStatistics> statistics) {
        expunge();
        entries.put(identity.id(), new Entry<>(map, identity, trace, statistics, queue));
    }

    /** Forgets a map (when it is traced again explicitly under another name). */
    void unregister(Object map) {
        entries.values().removeIf(e -> e.get() == map);
    }

    /** @return the identity a map was registered under, or null */
    MapIdentity identityOf(Object map) {
        for (Entry<?> e : entries.values()) {
            if (e.get() == map) {
                return e.identity;
            }
        }
        return null;
    }

    /** @return the maps registered and not yet known to be collected */
    int size() {
        expunge();
        return entries.size();
    }

    private void expunge() {
        Reference<?> r;
        while ((r = queue.poll()) != null) {
            entries.remove(((Entry<?>) r).identity.id(), r);
        }
    }

    /** @return the live entries, oldest map first */
    List<Entry<?>> live() {
        expunge();
        List<Entry<?>> all = new ArrayList<>(entries.values());
        all.sort(Comparator.comparingLong(e -> e.identity.id()));
        return all;
    }

    /** The periodic hook: one {@code Statistics} event per live map. */
    void emitStatistics() {
        for (Entry<?> e : live()) {
            TableStatistics s = e.statistics();
            if (s == null) {
                continue;
            }
            StatisticsEvent event = new StatisticsEvent();
            event.set(e.trace, -1);
            event.stripes = e.identity.stripes();
            event.size = s.size();
            event.buckets = s.buckets();
            event.overflowBuckets = s.overflowBuckets();
            event.collisionTreeEntries = s.collisionTreeEntries();
            event.load = s.load();
            event.migrating = s.migration() != null;
            event.migrationKind = s.migration() == null ? "" : s.migration().name();
            event.migrationProgress = s.migrationProgress();
            event.estimatedBytes = s.estimatedBytes();
            event.commit();
        }
    }
}
