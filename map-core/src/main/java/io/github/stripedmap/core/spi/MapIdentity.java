package io.github.stripedmap.core.spi;

/**
 * Who a map is, as told to a {@link MapTracingProvider}: enough to label its events. Holds no
 * reference to the map itself.
 *
 * @param name    the map's name (given by the user, or generated: stable for the map's life)
 * @param id      a number unique among the maps created by this class loader, in creation order
 * @param kind    the map's class, {@code "StripedMap"} or {@code "BucketMap"}
 * @param stripes the number of bucket tables (stripes) of the map; 1 for a {@code BucketMap}
 */
public record MapIdentity(String name, long id, String kind, int stripes) {
}
