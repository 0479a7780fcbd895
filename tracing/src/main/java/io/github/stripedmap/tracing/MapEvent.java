package io.github.stripedmap.tracing;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/**
 * The fields every stripedmap event carries: which map and which of its tables. Subclasses add their
 * own; the category groups all of them under one node in Mission Control.
 */
@Category("Stripedmap")
abstract class MapEvent extends Event {

    @Label("Map Name")
    @Description("The map's name: given with StripedMap.builder().name(...), else generated (StripedMap-N, BucketMap-N)")
    String mapName;

    @Label("Map Id")
    @Description("Unique per map within the JVM, in creation order")
    long mapId;

    @Label("Map Kind")
    @Description("StripedMap or BucketMap")
    String mapKind;

    @Label("Stripe")
    @Description("Index of the map's stripe (bucket table); always 0 for a BucketMap, -1 for a whole-map event")
    int stripe;

    final void set(MapTrace map, int stripeIndex) {
        this.mapName = map.identity.name();
        this.mapId = map.identity.id();
        this.mapKind = map.identity.kind();
        this.stripe = stripeIndex;
    }
}
