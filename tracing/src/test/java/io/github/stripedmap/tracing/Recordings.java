package io.github.stripedmap.tracing;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Test helper: runs a workload inside a real recording and reads the events back with jdk.jfr.consumer. */
final class Recordings {

    static {
        StripedMapTracing.isAvailable(); // registers the events and the periodic hook before any recording
    }

    private Recordings() { }

    /**
     * Records a workload with the shipped settings, plus Evacuation on, no minimum sizes, and one
     * Statistics event per map at the end.
     */
    static Path record(Path dir, String name, Runnable workload) {
        try {
            Path file = dir.resolve(name + ".jfr");
            try (Recording r = new Recording(StripedMapTracing.settings())) {
                r.enable(EvacuationEvent.NAME);
                r.enable(GrowthEvent.NAME).with("minimumBuckets", "0"); // every migration, tiny tables too
                r.enable(CleanupEvent.NAME).with("minimumReleased", "0");
                r.enable(StatisticsEvent.NAME).with("period", "endChunk");
                r.start();
                workload.run();
                r.stop();
                r.dump(file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records a workload with exactly the shipped settings. */
    static Path recordShipped(Path dir, String name, Runnable workload) {
        try {
            Path file = dir.resolve(name + ".jfr");
            try (Recording r = new Recording(StripedMapTracing.settings())) {
                r.start();
                workload.run();
                r.stop();
                r.dump(file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<RecordedEvent> events(Path file) {
        try {
            return RecordingFile.readAllEvents(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events of one type and one map, in start-time order. */
    static List<RecordedEvent> of(List<RecordedEvent> all, String type, String mapName) {
        return all.stream()
                .filter(e -> e.getEventType().getName().equals(type) && mapName.equals(e.getString("mapName")))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime))
                .collect(Collectors.toList());
    }

    static Path tempDir(String prefix) {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
