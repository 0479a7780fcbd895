package io.github.stripedmap.core.spi;

import io.github.stripedmap.core.TableObserver;
import io.github.stripedmap.core.TableStatistics;

import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A service, found with {@link java.util.ServiceLoader} on the class path, that traces maps: a map asks
 * it once, when it is created, for the observers of its bucket tables. The {@code tracing} module
 * provides one (JDK Flight Recorder events); with none on the class path every table keeps
 * {@link TableObserver#NONE} and the lookup is never repeated (see {@link MapTracing}).
 *
 * <p>Implementations must be thread-safe, must not fail (an exception is caught and the map is left
 * untraced), and must hold {@code map} only weakly: tracing must never keep a map alive.
 */
public interface MapTracingProvider {

    /**
     * Called once by each map's constructor (so {@code map} may not be fully constructed yet: keep it,
     * weakly, but do not call {@code statistics} before the constructor returned, or be ready for it to
     * fail).
     *
     * @param <M>        the map's type
     * @param identity   the map's name, id, kind and stripe count
     * @param map        the map, to be referenced weakly only
     * @param statistics takes a snapshot of the map (a function of the map that captures no map, such
     *                   as {@code StripedMap::statistics}); it may lock the map's stripes one at a time,
     *                   so call it from a thread that holds none of them
     * @return the observer of each table by stripe index (called lazily, possibly more than once per
     *         stripe; every call must return a fresh observer), or null to leave the map untraced
     */
    <M> IntFunction<TableObserver> attach(MapIdentity identity, M map, Function<? super M, TableStatistics> statistics);
}
