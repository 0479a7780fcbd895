package io.github.stripedmap.concurrent;

import io.github.stripedmap.core.OutOfMemoryChild;
import io.github.stripedmap.core.TableStatistics;

import java.util.Map;

/**
 * Child-JVM main for {@link StripedOutOfMemoryTest}: runs map-core's {@link OutOfMemoryChild} procedure on
 * a four-stripe {@link StripedMap} (few stripes, so that each is large when the heap runs out).
 */
public final class StripedOutOfMemoryChild {

    private StripedOutOfMemoryChild() { }

    /**
     * Fills a {@link StripedMap} until a put runs out of memory, then checks it.
     *
     * @param args none
     */
    public static void main(String[] args) {
        StripedMap<Integer, Integer> map = StripedMap.builder().name("oom").stripes(4).build();
        OutOfMemoryChild.run("StripedMap", () -> new OutOfMemoryChild.Subject() {
            @Override
            public Map<Integer, Integer> map() {
                return map;
            }

            @Override
            public void checkInvariants() {
                map.checkInvariants();
            }

            @Override
            public TableStatistics statistics() {
                return map.statistics();
            }
        });
    }
}
