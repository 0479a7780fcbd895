package io.github.stripedmap.core.spi;

import io.github.stripedmap.core.TableObserver;
import io.github.stripedmap.core.TableStatistics;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The maps' side of the tracing SPI: looks the {@link MapTracingProvider} up once per class loader (the
 * first time a map is created) and attaches each new map to it.
 *
 * <p>Without a provider on the class path, {@link #attach} returns null after one static-final check,
 * so the map's tables keep {@link TableObserver#NONE} and {@code get}/{@code put} pay nothing. The
 * system property {@value #DISABLE_PROPERTY}{@code =false} turns the lookup off even when a provider is
 * present.
 */
public final class MapTracing {

    /** System property that, set to {@code false}, disables automatic tracing. */
    public static final String DISABLE_PROPERTY = "io.github.stripedmap.tracing";

    private static final AtomicLong IDS = new AtomicLong();

    private MapTracing() { }

    /** The lookup happens once, when this class is first used. */
    private static final class Holder {
        static final MapTracingProvider PROVIDER = load();

        private static MapTracingProvider load() {
            if ("false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY))) {
                return null;
            }
            try {
                Iterator<MapTracingProvider> it =
                        ServiceLoader.load(MapTracingProvider.class, MapTracing.class.getClassLoader()).iterator();
                return it.hasNext() ? it.next() : null;
            } catch (ServiceConfigurationError | LinkageError e) {
                return null; // a broken tracing jar must not break the maps
            }
        }
    }

    /**
     * @return a new map id: unique within this class loader, increasing (for a tracer attaching a map
     *         explicitly, so that its ids never collide with those given here)
     */
    public static long nextId() {
        return IDS.incrementAndGet();
    }

    /** @return true if a provider was found (and not disabled) */
    public static boolean enabled() {
        return Holder.PROVIDER != null;
    }

    /**
     * Attaches a new map to the provider, if there is one.
     *
     * @param <M>        the map's type
     * @param name       the map's name, or null to generate {@code kind + "-" + id}
     * @param kind       {@code "StripedMap"} or {@code "BucketMap"}
     * @param stripes    the map's number of tables
     * @param map        the map (the provider holds it weakly)
     * @param statistics takes a snapshot of a map; must not capture {@code map}
     * @return the observers by stripe index, or null when the map stays untraced
     */
    public static <M> IntFunction<TableObserver> attach(String name, String kind, int stripes, M map,
                                                        Function<? super M, TableStatistics> statistics) {
        MapTracingProvider provider = Holder.PROVIDER;
        if (provider == null) {
            return null;
        }
        long id = nextId();
        try {
            return provider.attach(new MapIdentity(name != null ? name : kind + "-" + id, id, kind, stripes),
                    map, statistics);
        } catch (RuntimeException | LinkageError e) {
            return null; // tracing must never make a map unusable
        }
    }
}
