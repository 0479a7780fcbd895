package io.github.stripedmap.tracing;

import io.github.stripedmap.concurrent.StripedMap;

import org.junit.jupiter.api.Test;
import org.openjdk.jmc.common.IDescribable;
import org.openjdk.jmc.common.item.IAccessorKey;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.IType;
import org.openjdk.jmc.common.item.ItemFilters;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What Mission Control shows of our events, checked with JMC's own parser. */
class MissionControlTest {

    @Test
    void missionControlShowsOurEventTypesWithLabelsFieldsAndOneCategory() throws Exception {
        Path file = Recordings.record(Recordings.tempDir("jmc"), "jmc", () -> {
            StripedMap<Integer, Integer> map = StripedMap.builder().name("jmc").stripes(2).build();
            for (int i = 0; i < 5_000; i++) {
                map.put(i, i);
            }
            map.clear();
        });
        IItemCollection items = JfrLoaderToolkit.loadEvents(file.toFile());
        Map<String, String> labels = Map.of(
                GrowthEvent.NAME, "Table Migration",
                EvacuationEvent.NAME, "Bucket Evacuation",
                CleanupEvent.NAME, "Table Cleanup",
                StatisticsEvent.NAME, "Map Statistics");
        for (Map.Entry<String, String> expected : labels.entrySet()) {
            IItemCollection ofType = items.apply(ItemFilters.type(expected.getKey()));
            assertThat(ofType.hasItems()).as(expected.getKey()).isTrue();
            for (IItemIterable iterable : ofType) {
                IType<?> type = iterable.getType();
                assertThat(type.getIdentifier()).isEqualTo(expected.getKey());
                assertThat(type.getName()).isEqualTo(expected.getValue());
                assertThat(type.getDescription()).isNotBlank();
                Map<String, String> fields = new HashMap<>();
                for (Map.Entry<IAccessorKey<?>, ? extends IDescribable> key : type.getAccessorKeys().entrySet()) {
                    fields.put(key.getKey().getIdentifier(), key.getValue().getName());
                }
                assertThat(fields).containsEntry("mapName", "Map Name").containsEntry("mapId", "Map Id")
                        .containsEntry("stripe", "Stripe");
                switch (expected.getKey()) {
                    case GrowthEvent.NAME -> assertThat(fields).containsEntry("kind", "Kind")
                            .containsEntry("oldBuckets", "Old Buckets").containsEntry("newBuckets", "New Buckets")
                            .containsEntry("longestStep", "Longest Step").containsEntry("trigger", "Trigger")
                            .containsEntry("triggeredBy", "Triggering Thread");
                    case EvacuationEvent.NAME -> assertThat(fields).containsEntry("movedToX", "Moved to X")
                            .containsEntry("movedToY", "Moved to Y").containsEntry("oldBucket", "Old Bucket");
                    case CleanupEvent.NAME -> assertThat(fields).containsEntry("reason", "Reason")
                            .containsEntry("releasedBytes", "Released").containsKey("stackTrace");
                    default -> assertThat(fields).containsEntry("size", "Size")
                            .containsEntry("estimatedBytes", "Estimated Size");
                }
                assertThat(category(iterable)).as("category of " + expected.getKey()).containsExactly("Stripedmap");
            }
        }
    }

    /** JMC keeps the category path in its internal EventArray (what its event browser tree shows). */
    private static String[] category(IItemIterable iterable) throws ReflectiveOperationException {
        Field events = iterable.getClass().getDeclaredField("events");
        events.setAccessible(true);
        Object array = events.get(iterable);
        Method getter = array.getClass().getMethod("getTypeCategory");
        return (String[]) getter.invoke(array);
    }
}
