package io.github.stripedmap.tracing;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;
import io.github.stripedmap.core.TableObserver;
import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.core.spi.MapIdentity;
import io.github.stripedmap.core.spi.MapTracing;

import jdk.jfr.Configuration;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The explicit side of tracing. Nothing here is needed for the common case: with this jar on the class
 * path every {@code BucketMap} and every {@code StripedMap} built without explicit observers is traced
 * automatically (unless {@code -Dio.github.stripedmap.tracing=false}). Use this class to trace a map that
 * has observers of its own, to name a {@code BucketMap}, or to get the shipped JFR settings.
 *
 * <pre>{@code
 * StripedMap<String, Order> orders = StripedMapTracing.build(StripedMap.builder().stripes(16), "orders", myObserver);
 * BucketMap<String, Integer> counts = StripedMapTracing.trace(new BucketMap<>(), "counts");
 * try (Recording r = new Recording(StripedMapTracing.settings())) { ... }
 * }</pre>
 */
public final class StripedMapTracing {

    /** Class-path resource of the shipped settings (a {@code .jfc} fragment with only our events). */
    public static final String SETTINGS_RESOURCE = "/io/github/stripedmap/tracing/stripedmap.jfc";

    private StripedMapTracing() { }

    /** @return true if JDK Flight Recorder is available, so maps can be traced */
    public static boolean isAvailable() {
        return Tracing.get() != null;
    }

    /** @return true if new maps are traced automatically (this jar's provider was found and not disabled) */
    public static boolean isAutomatic() {
        return MapTracing.enabled() && isAvailable();
    }

    /** @return the number of live traced maps (those the periodic Statistics event reports) */
    public static int liveMaps() {
        Tracing t = Tracing.get();
        return t == null ? 0 : t.registry.size();
    }

    /**
     * The name and id under which a map's events are recorded (useful for a {@code BucketMap}, whose name
     * is generated).
     *
     * @param map a map
     * @return its identity, or empty if it is not traced
     */
    public static Optional<MapIdentity> identityOf(Object map) {
        Tracing t = Tracing.get();
        return t == null ? Optional.empty() : Optional.ofNullable(t.registry.identityOf(map));
    }

    /**
     * Builds a traced map whose tables also notify the caller's observers.
     *
     * @param <K>        key type
     * @param <V>        value type
     * @param builder    the builder (its name and observers are replaced)
     * @param name       the map's name
     * @param alsoNotify observers to notify as well, by stripe (may be null)
     * @return the new map
     */
    public static <K, V> StripedMap<K, V> build(StripedMap.Builder builder, String name,
                                                IntFunction<TableObserver> alsoNotify) {
        Objects.requireNonNull(name);
        Tracing tracing = Tracing.get();
        if (tracing == null) {
            return builder.name(name).observers(alsoNotify != null ? alsoNotify : s -> TableObserver.NONE).build();
        }
        AtomicReference<IntFunction<TableObserver>> tracers = new AtomicReference<>();
        StripedMap<K, V> map = builder.name(name).observers(stripe -> {
            IntFunction<TableObserver> traced = tracers.get();
            TableObserver other = alsoNotify == null ? TableObserver.NONE : alsoNotify.apply(stripe);
            if (traced == null) {
                return other; // a stripe created inside build() (none today) is not traced
            }
            TableObserver tracer = traced.apply(stripe);
            return alsoNotify == null ? tracer : new TeeObserver((TableTracer) tracer, other);
        }).build();
        // Observers are created on a stripe's first write, which cannot come before build() returned.
        tracers.set(tracing.attach(new MapIdentity(name, MapTracing.nextId(), "StripedMap", map.stripeCount()), map,
                StripedMap::statistics));
        return map;
    }

    /**
     * Builds a traced map.
     *
     * @param <K>     key type
     * @param <V>     value type
     * @param builder the builder (its name and observers are replaced)
     * @param name    the map's name
     * @return the new map
     */
    public static <K, V> StripedMap<K, V> build(StripedMap.Builder builder, String name) {
        return build(builder, name, null);
    }

    /**
     * Traces a {@code BucketMap} under a name (replacing its observer and any automatic registration).
     * Call it before the map is used; a migration already in flight is not reported.
     *
     * @param <K>  key type
     * @param <V>  value type
     * @param map  the map
     * @param name its name in events
     * @return {@code map}
     */
    public static <K, V> BucketMap<K, V> trace(BucketMap<K, V> map, String name) {
        Objects.requireNonNull(name);
        Tracing tracing = Tracing.get();
        if (tracing != null) {
            tracing.registry.unregister(map);
            map.setObserver(tracing.attach(new MapIdentity(name, MapTracing.nextId(), "BucketMap", 1), map,
                    BucketMap::statistics).apply(0));
        }
        return map;
    }

    /**
     * Watches a map that is not a stripedmap map (a {@code ConcurrentHashMap}, say) so that the periodic
     * {@code Statistics} event samples it beside ours: the recording report then charts both. The map is
     * held weakly, as every traced map.
     *
     * @param <M>        the map's type
     * @param map        the map
     * @param name       its name in events
     * @param kind       its type name in events (for example {@code "ConcurrentHashMap"})
     * @param statistics takes a snapshot of the map; must not capture it
     * @return true if tracing is available and the map is now watched
     */
    public static <M> boolean watch(M map, String name, String kind, Function<? super M, TableStatistics> statistics) {
        Objects.requireNonNull(map);
        Objects.requireNonNull(name);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(statistics);
        Tracing tracing = Tracing.get();
        if (tracing == null) {
            return false;
        }
        tracing.attach(new MapIdentity(name, MapTracing.nextId(), kind, 1), map, statistics);
        return true;
    }

    /** @return the shipped settings as text (a {@code .jfc} document) */
    public static String settingsText() {
        try (InputStream in = StripedMapTracing.class.getResourceAsStream(SETTINGS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SETTINGS_RESOURCE + " missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the shipped settings, for {@code new Recording(settings())} (only our events; start a second
     *         recording with {@code Configuration.getConfiguration("default")} for the JDK's)
     * @throws IOException    if the resource cannot be read
     * @throws ParseException if it is not a valid {@code .jfc}
     */
    public static Configuration settings() throws IOException, ParseException {
        try (Reader reader = new InputStreamReader(
                Objects.requireNonNull(StripedMapTracing.class.getResourceAsStream(SETTINGS_RESOURCE)),
                StandardCharsets.UTF_8)) {
            return Configuration.create(reader);
        }
    }
}
