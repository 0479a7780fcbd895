package io.github.stripedmap.tracing.report;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a recording says about each map: its migrations, cleanups and statistics samples, read with
 * {@code jdk.jfr.consumer} by event and field name only (so recordings made by other JDK versions, or
 * by older versions of this module with fewer fields, read as well); and the phases of a workload, when
 * the recording has {@code io.github.stripedmap.demo.Phase} events (the demo's: fields {@code map}, {@code phase},
 * {@code writes}, {@code entries}).
 */
public final class RecordingModel {

    static final String GROWTH = "io.github.stripedmap.Growth";
    static final String EVACUATION = "io.github.stripedmap.Evacuation";
    static final String CLEANUP = "io.github.stripedmap.Cleanup";
    static final String STATISTICS = "io.github.stripedmap.Statistics";
    /** The demo's phase event: a stretch of a workload on one map. */
    static final String PHASE = "io.github.stripedmap.demo.Phase";

    /** One migration of one table. */
    public record Migration(Instant start, Duration duration, int stripe, String kind, String trigger, int oldBuckets,
                            int newBuckets, int entries, int overflowBuckets, int steps, int writes,
                            Duration longestStep, int largestStep, long releasedBytes, boolean completed) { }

    /** Memory a table released. */
    public record Cleanup(Instant time, int stripe, String reason, long releasedBytes, int entriesRemoved) { }

    /** One periodic snapshot of a whole map. */
    public record Sample(Instant time, long size, long buckets, long overflowBuckets, double load, boolean migrating,
                         long estimatedBytes) { }

    /**
     * One phase of a workload (a {@code io.github.stripedmap.demo.Phase} event).
     *
     * @param map      name of the map it ran on (matches {@link MapData#name()})
     * @param label    the phase's name
     * @param start    when it began
     * @param duration how long it ran
     * @param writes   write operations it did
     * @param entries  entries in the map when it ended
     */
    public record Phase(String map, String label, Instant start, Duration duration, long writes, long entries) { }

    /** Everything about one map. */
    public static final class MapData {
        private final String name;
        private final long id;
        private String kind = "";
        private int stripes;
        private final List<Migration> migrations = new ArrayList<>();
        private final List<Cleanup> cleanups = new ArrayList<>();
        private final List<Sample> samples = new ArrayList<>();
        private long evacuations;
        private long evacuatedEntries;

        MapData(String name, long id) {
            this.name = name;
            this.id = id;
        }

        /** @return the name the map was traced under */
        public String name() {
            return name;
        }

        /** @return the tracing id that tells maps of the same name apart */
        public long id() {
            return id;
        }

        /** @return the kind it reported ({@code StripedMap}, {@code BucketMap}, a watched map's own), or empty */
        public String kind() {
            return kind;
        }

        /** @return the most stripes a Statistics event reported (0 without any) */
        public int stripes() {
            return stripes;
        }

        /** @return its migrations (Growth events) in start order */
        public List<Migration> migrations() {
            return migrations;
        }

        /** @return its cleanups in time order */
        public List<Cleanup> cleanups() {
            return cleanups;
        }

        /** @return its Statistics samples in time order */
        public List<Sample> samples() {
            return samples;
        }

        /** @return Evacuation events seen (0 when that event was off) */
        public long evacuations() {
            return evacuations;
        }

        /** @return entries moved according to the Evacuation events */
        public long evacuatedEntries() {
            return evacuatedEntries;
        }

        /** @return bytes released by all cleanups */
        public long releasedBytes() {
            return cleanups.stream().mapToLong(Cleanup::releasedBytes).sum();
        }

        /**
         * A map that only grows: at least three samples, its size never went down from one sample to the
         * next and ended above where it started, and no shrink, clear or compaction was seen. (Estimated
         * bytes are not required to be monotonic: they dip whenever a migration releases its old arrays.)
         *
         * @return true if flagged
         */
        public boolean onlyGrows() {
            if (samples.size() < 3) {
                return false;
            }
            for (int i = 1; i < samples.size(); i++) {
                if (samples.get(i).size() < samples.get(i - 1).size()) {
                    return false;
                }
            }
            boolean shrank = migrations.stream().anyMatch(m -> "SHRINK".equals(m.kind()))
                    || cleanups.stream().anyMatch(c -> "CLEAR".equals(c.reason()) || "COMPACTION".equals(c.reason()));
            return !shrank && samples.get(samples.size() - 1).size() > samples.get(0).size();
        }

        void identify(RecordedEvent e) {
            if (kind.isEmpty()) {
                kind = string(e, "mapKind", "");
            }
        }
    }

    private final Map<String, MapData> maps = new LinkedHashMap<>();
    private final List<Phase> phases = new ArrayList<>();
    private Instant first;
    private Instant last;
    private long events;

    private RecordingModel() { }

    /**
     * Reads a recording.
     *
     * @param file a {@code .jfr} file
     * @return what it says about every map
     * @throws IOException if it cannot be read
     */
    public static RecordingModel read(Path file) throws IOException {
        RecordingModel model = new RecordingModel();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                model.add(recording.readEvent());
            }
        }
        for (MapData m : model.maps.values()) {
            m.migrations.sort(Comparator.comparing(Migration::start));
            m.cleanups.sort(Comparator.comparing(Cleanup::time));
            m.samples.sort(Comparator.comparing(Sample::time));
        }
        model.phases.sort(Comparator.comparing(Phase::start));
        return model;
    }

    private void add(RecordedEvent e) {
        String type = e.getEventType().getName();
        if (!type.startsWith("io.github.stripedmap.")) {
            return;
        }
        events++;
        Instant t = e.getStartTime();
        first = first == null || t.isBefore(first) ? t : first;
        Instant end = e.getEndTime();
        last = last == null || end.isAfter(last) ? end : last;
        if (type.equals(PHASE)) {
            phases.add(new Phase(string(e, "map", "?"), string(e, "phase", "?"), t, e.getDuration(),
                    number(e, "writes"), number(e, "entries")));
            return;
        }
        MapData map = map(e);
        switch (type) {
            case GROWTH -> map.migrations.add(new Migration(t, e.getDuration(), integer(e, "stripe"),
                    string(e, "kind", "?"), string(e, "trigger", "?"), integer(e, "oldBuckets"),
                    integer(e, "newBuckets"), integer(e, "entries"), integer(e, "overflowBuckets"),
                    integer(e, "evacuationSteps"), integer(e, "operations"), timespan(e, "longestStep"),
                    integer(e, "largestStep"), number(e, "releasedBytes"), !e.hasField("completed")
                            || e.getBoolean("completed")));
            case CLEANUP -> map.cleanups.add(new Cleanup(t, integer(e, "stripe"), string(e, "reason", "?"),
                    number(e, "releasedBytes"), integer(e, "entriesRemoved")));
            case STATISTICS -> {
                map.stripes = Math.max(map.stripes, integer(e, "stripes"));
                map.samples.add(new Sample(t, number(e, "size"), number(e, "buckets"), number(e, "overflowBuckets"),
                        e.hasField("load") ? e.getDouble("load") : 0.0,
                        e.hasField("migrating") && e.getBoolean("migrating"), number(e, "estimatedBytes")));
            }
            case EVACUATION -> {
                map.evacuations++;
                map.evacuatedEntries += number(e, "movedToX") + number(e, "movedToY");
            }
            default -> { }
        }
    }

    private MapData map(RecordedEvent e) {
        String name = string(e, "mapName", "?");
        long id = number(e, "mapId");
        MapData m = maps.computeIfAbsent(name + "#" + id, k -> new MapData(name, id));
        m.identify(e);
        return m;
    }

    static String string(RecordedEvent e, String field, String absent) {
        if (!e.hasField(field)) {
            return absent;
        }
        String s = e.getString(field);
        return s == null ? absent : s;
    }

    static long number(RecordedEvent e, String field) {
        return e.hasField(field) ? e.getLong(field) : 0;
    }

    static int integer(RecordedEvent e, String field) {
        return e.hasField(field) ? (int) e.getLong(field) : 0;
    }

    /** @return the duration, or null for "not measured" (JFR's Long.MIN_VALUE) and absent fields */
    static Duration timespan(RecordedEvent e, String field) {
        if (!e.hasField(field)) {
            return null;
        }
        Duration d = e.getDuration(field);
        return d.getSeconds() == Long.MIN_VALUE || d.isNegative() ? null : d;
    }

    /** @return the maps, in the order they first appear */
    public Collection<MapData> maps() {
        return maps.values();
    }

    /** @return the workload's phases ({@code io.github.stripedmap.demo.Phase} events) in start order; empty if it has none */
    public List<Phase> phases() {
        return phases;
    }

    /** @return time of the first stripedmap event, or null if none */
    public Instant first() {
        return first;
    }

    /** @return end of the last stripedmap event, or null if none */
    public Instant last() {
        return last;
    }

    /** @return stripedmap events read */
    public long events() {
        return events;
    }
}
