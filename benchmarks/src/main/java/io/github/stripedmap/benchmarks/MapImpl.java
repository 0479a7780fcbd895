package io.github.stripedmap.benchmarks;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The map implementations the benchmarks and tools compare, by name. The enum constant's name is what JMH's
 * {@code -p impl=...} and the tools' {@code --impls} accept.
 *
 * <p>Adding an implementation is one line here (plus its dependency in the pom), and then its name in a
 * benchmark's {@code @Param} list or on the command line.
 */
public enum MapImpl {
    HashMap(java.util.HashMap::new, java.util.HashMap::new, null, null),
    BucketMap(io.github.stripedmap.core.BucketMap::new, io.github.stripedmap.core.BucketMap::new,
            m -> ((BucketMap<?, ?>) m).trimToSize(),
            m -> ((BucketMap<?, ?>) m).statistics().toString()),
    ConcurrentHashMap(java.util.concurrent.ConcurrentHashMap::new, java.util.concurrent.ConcurrentHashMap::new,
            null, null),
    NonBlockingHashMap(org.jctools.maps.NonBlockingHashMap::new, org.jctools.maps.NonBlockingHashMap::new,
            null, null),
    StripedMap(io.github.stripedmap.concurrent.StripedMap::new, io.github.stripedmap.concurrent.StripedMap::new,
            m -> ((StripedMap<?, ?>) m).trimToSize(),
            m -> ((StripedMap<?, ?>) m).statistics().toString());

    private final Supplier<Map<?, ?>> create;
    private final IntFunction<Map<?, ?>> createWithCapacity;
    private final Consumer<Map<?, ?>> trim;
    private final Function<Map<?, ?>, String> describe;

    MapImpl(Supplier<Map<?, ?>> create, IntFunction<Map<?, ?>> createWithCapacity,
            Consumer<Map<?, ?>> trim, Function<Map<?, ?>, String> describe) {
        this.create = create;
        this.createWithCapacity = createWithCapacity;
        this.trim = trim;
        this.describe = describe;
    }

    /** A new empty map made with the no-argument constructor (so it grows from its default size). */
    @SuppressWarnings("unchecked")
    public <K, V> Map<K, V> create() {
        return (Map<K, V>) create.get();
    }

    /** A new empty map made with the {@code (int initialCapacity)} constructor. */
    @SuppressWarnings("unchecked")
    public <K, V> Map<K, V> create(int initialCapacity) {
        return (Map<K, V>) createWithCapacity.apply(initialCapacity);
    }

    /** Whether the map has an explicit "give memory back now" operation ({@code trimToSize()}). */
    public boolean canTrim() {
        return trim != null;
    }

    /** Calls the map's {@code trimToSize()}; only if {@link #canTrim()}. */
    public void trim(Map<?, ?> map) {
        if (trim == null) {
            throw new UnsupportedOperationException(name() + " has no trimToSize()");
        }
        trim.accept(map);
    }

    /** The map's own statistics as text, or the empty string when it has none. */
    public String describe(Map<?, ?> map) {
        return describe == null ? "" : describe.apply(map);
    }

    /** Looks an implementation up by its name, with an error that lists the known names. */
    public static MapImpl of(String name) {
        for (MapImpl impl : values()) {
            if (impl.name().equalsIgnoreCase(name.trim())) {
                return impl;
            }
        }
        throw new IllegalArgumentException("unknown map implementation '" + name + "'; known: "
                + java.util.Arrays.toString(values()));
    }

    /** Parses a comma-separated list such as {@code HashMap,BucketMap}. */
    public static java.util.List<MapImpl> list(String names) {
        java.util.List<MapImpl> out = new java.util.ArrayList<>();
        for (String n : names.split(",")) {
            if (!n.isBlank()) {
                out.add(of(n));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no map implementation in '" + names + "'");
        }
        return out;
    }
}
