package io.github.stripedmap.tracing;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;
import io.github.stripedmap.core.MigrationKind;
import io.github.stripedmap.core.MigrationTrigger;
import io.github.stripedmap.core.TableObserver;
import io.github.stripedmap.core.TableStatistics;

import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.github.stripedmap.tracing.Recordings.of;
import static org.assertj.core.api.Assertions.assertThat;

/** Real recordings read back with jdk.jfr.consumer, field values checked against what the maps did. */
class GrowthRecordingTest {

    private static final Path DIR = Recordings.tempDir("growth");

    @Test
    void bucketMapGrownFromEmptyHasExactlyTheExpectedDoublings() {
        BucketMap<Integer, Integer> map = new BucketMap<>();
        String name = StripedMapTracing.identityOf(map).orElseThrow().name();
        assertThat(name).startsWith("BucketMap-");
        int[] size = {0};
        Path file = Recordings.record(DIR, "bucketmap", () -> {
            while (size[0] < 50_000 || map.statistics().migration() != null) {
                map.put(size[0], size[0]);
                size[0]++;
            }
        });
        TableStatistics end = map.statistics();
        int doublings = Integer.numberOfTrailingZeros(end.buckets());
        assertThat(end.buckets()).isEqualTo(1 << doublings);
        List<RecordedEvent> all = Recordings.events(file);
        List<RecordedEvent> growths = of(all, GrowthEvent.NAME, name);
        List<RecordedEvent> evacuations = of(all, EvacuationEvent.NAME, name);
        assertThat(growths).hasSize(doublings);
        long movedTotal = 0;
        for (int i = 0; i < doublings; i++) {
            RecordedEvent g = growths.get(i);
            int oldBuckets = 1 << i;
            assertThat(g.getString("kind")).isEqualTo("DOUBLE");
            assertThat(g.getString("trigger")).isEqualTo("LOAD");
            assertThat(g.getString("mapKind")).isEqualTo("BucketMap");
            assertThat(g.getLong("mapId")).isEqualTo(StripedMapTracing.identityOf(map).orElseThrow().id());
            assertThat(g.getInt("stripe")).isZero();
            assertThat(g.getInt("oldBuckets")).isEqualTo(oldBuckets);
            assertThat(g.getInt("newBuckets")).isEqualTo(2 * oldBuckets);
            // growth starts with the insert that would pass 6.5 per bucket (and more than 8 entries)
            assertThat(g.getInt("entries")).isEqualTo(i == 0 ? 8 : 13 << (i - 1));
            assertThat(g.getInt("evacuationSteps")).isEqualTo(oldBuckets);
            assertThat(g.getInt("operations")).isBetween((oldBuckets + 1) / 2, oldBuckets);
            assertThat(g.getBoolean("completed")).isTrue();
            assertThat(g.getLong("releasedBytes")).isPositive();
            assertThat(g.getThread("triggeredBy").getJavaName()).isEqualTo(Thread.currentThread().getName());
            Duration longest = g.getDuration("longestStep");
            assertThat(longest).isPositive().isLessThanOrEqualTo(g.getDuration());
            List<RecordedEvent> steps = within(evacuations, g);
            assertThat(steps).hasSize(oldBuckets);
            assertThat(steps.stream().map(e -> e.getInt("oldBucket")).collect(Collectors.toSet()))
                    .hasSize(oldBuckets).allMatch(b -> b >= 0 && b < oldBuckets);
            int moved = steps.stream().mapToInt(e -> e.getInt("movedToX") + e.getInt("movedToY")).sum();
            assertThat(moved).as("entries moved by growth %d", i).isEqualTo(g.getInt("entries"));
            assertThat(steps.stream().mapToInt(e -> e.getInt("movedToX") + e.getInt("movedToY")).max().orElse(0))
                    .isEqualTo(g.getInt("largestStep"));
            assertThat(steps).allMatch(e -> "DOUBLE".equals(e.getString("kind")));
            movedTotal += moved;
        }
        assertThat(evacuations).hasSize((1 << doublings) - 1);
        assertThat(movedTotal).isEqualTo(evacuations.stream()
                .mapToLong(e -> e.getInt("movedToX") + e.getInt("movedToY")).sum());

        List<RecordedEvent> cleanups = of(all, CleanupEvent.NAME, name);
        assertThat(cleanups).hasSize(doublings).allMatch(c -> "MIGRATION".equals(c.getString("reason")));
        for (int i = 0; i < doublings; i++) {
            assertThat(cleanups.get(i).getLong("releasedBytes")).isEqualTo(growths.get(i).getLong("releasedBytes"));
        }

        List<RecordedEvent> stats = of(all, StatisticsEvent.NAME, name);
        assertThat(stats).hasSize(1);
        RecordedEvent s = stats.get(0);
        assertThat(s.getLong("size")).isEqualTo(size[0]).isEqualTo(end.size());
        assertThat(s.getLong("buckets")).isEqualTo(end.buckets());
        assertThat(s.getLong("overflowBuckets")).isEqualTo(end.overflowBuckets());
        assertThat(s.getLong("estimatedBytes")).isEqualTo(end.estimatedBytes());
        assertThat(s.getDouble("load")).isEqualTo(end.load());
        assertThat(s.getBoolean("migrating")).isFalse();
        assertThat(s.getString("migrationKind")).isEmpty();
        assertThat(s.getInt("stripes")).isEqualTo(1);
        assertThat(s.getInt("stripe")).isEqualTo(-1);
    }

    /** The evacuation steps committed while a growth of the same stripe ran. */
    private static List<RecordedEvent> within(List<RecordedEvent> evacuations, RecordedEvent growth) {
        return evacuations.stream()
                .filter(e -> e.getInt("stripe") == growth.getInt("stripe")
                        && !e.getStartTime().isBefore(growth.getStartTime())
                        && !e.getStartTime().isAfter(growth.getEndTime()))
                .collect(Collectors.toList());
    }

    @Test
    void stripedMapStripesGrowIndependentlyAndShrinkAndClear() {
        StripedMap<Integer, Integer> map = StripedMap.builder().name("orders").stripes(4).build();
        int n = 60_000;
        Path fill = Recordings.record(DIR, "striped-fill", () -> {
            for (int i = 0; i < n; i++) {
                map.put(i, i);
            }
            map.trimToSize(); // finishes migrations in flight (and may rebuild overflow chains)
        });
        List<TableStatistics> perStripe = map.stripeStatistics();
        List<RecordedEvent> all = Recordings.events(fill);
        List<RecordedEvent> growths = of(all, GrowthEvent.NAME, "orders");
        List<RecordedEvent> evacuations = of(all, EvacuationEvent.NAME, "orders");
        assertThat(growths).allMatch(g -> "StripedMap".equals(g.getString("mapKind")));
        for (int stripe = 0; stripe < 4; stripe++) {
            int s = stripe;
            List<RecordedEvent> load = growths.stream()
                    .filter(g -> g.getInt("stripe") == s && "LOAD".equals(g.getString("trigger")))
                    .collect(Collectors.toList());
            int buckets = perStripe.get(stripe).buckets();
            assertThat(load).as("stripe %d", stripe).hasSize(Integer.numberOfTrailingZeros(buckets));
            for (int i = 0; i < load.size(); i++) {
                assertThat(load.get(i).getInt("oldBuckets")).isEqualTo(1 << i);
                assertThat(load.get(i).getInt("newBuckets")).isEqualTo(2 << i);
            }
        }
        int stripesWithWork = 0;
        for (RecordedEvent g : growths) {
            assertThat(g.getBoolean("completed")).isTrue();
            List<RecordedEvent> steps = within(evacuations, g);
            assertThat(steps).hasSize(g.getInt("oldBuckets"));
            // inserts only: every entry present at the start is moved exactly once
            assertThat(steps.stream().mapToInt(e -> e.getInt("movedToX") + e.getInt("movedToY")).sum())
                    .isEqualTo(g.getInt("entries"));
            if ("COMPACTION".equals(g.getString("trigger"))) {
                assertThat(g.getString("kind")).isEqualTo("SAME_SIZE");
                assertThat(steps).allMatch(e -> e.getInt("movedToY") == 0);
                stripesWithWork++;
            }
        }
        List<RecordedEvent> compactions = of(all, CleanupEvent.NAME, "orders").stream()
                .filter(c -> "COMPACTION".equals(c.getString("reason"))).collect(Collectors.toList());
        assertThat(compactions).hasSize(4);
        assertThat(stripesWithWork).isLessThanOrEqualTo(4);
        RecordedEvent stats = of(all, StatisticsEvent.NAME, "orders").get(0);
        TableStatistics total = map.statistics();
        assertThat(stats.getLong("size")).isEqualTo(n);
        assertThat(stats.getLong("buckets")).isEqualTo(total.buckets());
        assertThat(stats.getLong("estimatedBytes")).isEqualTo(total.estimatedBytes());
        assertThat(stats.getInt("stripes")).isEqualTo(4);

        // Deletes: progressive shrinks; then clear() drops the rest (cutting short any shrink in flight).
        int[] sizeBeforeClear = {0};
        Path shrink = Recordings.record(DIR, "striped-shrink", () -> {
            for (int i = 0; i < n; i++) {
                if (i % 100 != 0) {
                    map.remove(i);
                }
            }
            sizeBeforeClear[0] = map.size();
            map.clear();
        });
        all = Recordings.events(shrink);
        growths = of(all, GrowthEvent.NAME, "orders");
        List<RecordedEvent> shrinks = growths.stream().filter(g -> "SHRINK".equals(g.getString("kind")))
                .collect(Collectors.toList());
        assertThat(shrinks).isNotEmpty().allMatch(g -> "UNDERLOAD".equals(g.getString("trigger"))
                && g.getInt("newBuckets") * 2 == g.getInt("oldBuckets"));
        for (RecordedEvent g : shrinks) {
            if (g.getBoolean("completed")) {
                List<RecordedEvent> steps = within(of(all, EvacuationEvent.NAME, "orders"), g);
                assertThat(steps).hasSize(g.getInt("oldBuckets")).allMatch(e -> e.getInt("movedToY") == 0);
            } else {
                assertThat(g.getInt("evacuationSteps")).isLessThan(g.getInt("oldBuckets"));
                assertThat(g.getLong("releasedBytes")).isZero();
            }
        }
        List<RecordedEvent> clears = of(all, CleanupEvent.NAME, "orders").stream()
                .filter(c -> "CLEAR".equals(c.getString("reason"))).collect(Collectors.toList());
        assertThat(clears).hasSize(4).allMatch(c -> c.getLong("releasedBytes") > 0);
        assertThat(clears.stream().mapToInt(c -> c.getInt("entriesRemoved")).sum()).isEqualTo(sizeBeforeClear[0]);
        assertThat(clears.get(0).getStackTrace()).as("Cleanup has a stack trace").isNotNull();
        assertThat(clears.get(0).getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getName().equals("stripedMapStripesGrowIndependentlyAndShrinkAndClear")))
                .isTrue();
        RecordedEvent last = of(all, StatisticsEvent.NAME, "orders").get(0);
        assertThat(last.getLong("size")).isZero();
        assertThat(last.getLong("buckets")).isZero();
    }

    @Test
    void shippedSettingsLeaveOutTheChurnOfTinyTables() {
        StripedMap<Integer, Integer> map = StripedMap.builder().name("shipped").stripes(4).build();
        Path file = Recordings.recordShipped(DIR, "shipped", () -> {
            for (int i = 0; i < 20_000; i++) {
                map.put(i, i);
            }
            map.clear();
        });
        List<RecordedEvent> all = Recordings.events(file);
        List<RecordedEvent> growths = of(all, GrowthEvent.NAME, "shipped");
        // per stripe ~5,000 entries: 1 -> 2 -> ... -> 1024 buckets; recorded from 64 old buckets up
        assertThat(growths).isNotEmpty().allMatch(g -> g.getInt("oldBuckets") >= 64);
        assertThat(growths.stream().map(g -> g.getInt("oldBuckets")).collect(Collectors.toSet())).contains(64);
        List<RecordedEvent> cleanups = of(all, CleanupEvent.NAME, "shipped");
        assertThat(cleanups).isNotEmpty().allMatch(c -> c.getLong("releasedBytes") >= 4096);
        assertThat(cleanups).anyMatch(c -> "CLEAR".equals(c.getString("reason")));
        assertThat(of(all, EvacuationEvent.NAME, "shipped")).isEmpty();
    }

    @Test
    void emptiedTableReportsReseedAndSameSizeRebuildAfterChurn() {
        BucketMap<Integer, Integer> map = StripedMapTracing.trace(new BucketMap<>(), "churn");
        Path file = Recordings.record(DIR, "churn", () -> {
            for (int i = 0; i < 1000; i++) {
                map.put(i, i);
            }
            for (int i = 0; i < 1000; i++) {
                map.remove(i);
            }
        });
        List<RecordedEvent> all = Recordings.events(file);
        List<RecordedEvent> cleanups = of(all, CleanupEvent.NAME, "churn");
        assertThat(cleanups.get(cleanups.size() - 1).getString("reason")).isEqualTo("RESEED");
        assertThat(cleanups.get(cleanups.size() - 1).getLong("releasedBytes")).isPositive();
        assertThat(of(all, StatisticsEvent.NAME, "churn").get(0).getLong("size")).isZero();
    }

    @Test
    void explicitApiTracesAndAlsoNotifiesTheCallersObserver() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger steps = new AtomicInteger();
        TableObserver mine = new TableObserver() {
            @Override
            public void migrationStarted(MigrationKind kind, MigrationTrigger trigger, int oldBuckets, int newBuckets,
                                         int entries, int overflowBuckets) {
                started.incrementAndGet();
            }

            @Override
            public void bucketEvacuated(int oldBucket, int movedToX, int movedToY) {
                steps.incrementAndGet();
            }
        };
        List<StripedMap<Integer, Integer>> keep = new ArrayList<>();
        Path file = Recordings.record(DIR, "explicit", () -> {
            StripedMap<Integer, Integer> map = StripedMapTracing.build(StripedMap.builder().stripes(2), "explicit",
                    stripe -> mine);
            keep.add(map);
            for (int i = 0; i < 10_000; i++) {
                map.put(i, i);
            }
            map.trimToSize();
        });
        List<RecordedEvent> all = Recordings.events(file);
        List<RecordedEvent> growths = of(all, GrowthEvent.NAME, "explicit");
        assertThat(growths).hasSize(started.get());
        assertThat(growths.stream().mapToInt(g -> g.getInt("evacuationSteps")).sum()).isEqualTo(steps.get());
        assertThat(StripedMapTracing.identityOf(keep.get(0)).orElseThrow().name()).isEqualTo("explicit");
        Set<Long> ids = new HashSet<>();
        growths.forEach(g -> ids.add(g.getLong("mapId")));
        assertThat(ids).containsExactly(StripedMapTracing.identityOf(keep.get(0)).orElseThrow().id());
    }
}
