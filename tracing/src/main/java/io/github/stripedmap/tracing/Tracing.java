package io.github.stripedmap.tracing;

import io.github.stripedmap.core.TableObserver;
import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.core.spi.MapIdentity;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The process-wide tracing state, created once when the first map is attached: the registry of live
 * maps (registered with JFR's periodic-event hook), the asynchronous log, and the event types.
 */
final class Tracing {

    final MapRegistry registry = new MapRegistry();
    final AsyncLog log;

    private Tracing(AsyncLog log) {
        this.log = log;
    }

    private static final class Holder {
        static final Tracing INSTANCE = create();

        private static Tracing create() {
            try {
                if (!FlightRecorder.isAvailable()) {
                    return null;
                }
                AsyncLog log;
                try {
                    log = AsyncLog.create();
                } catch (LinkageError noSlf4jOrJctools) {
                    log = null;
                }
                if (log == null) {
                    return null;
                }
                Tracing tracing = new Tracing(log);
                // Register the event classes now, before any recording that wants them starts.
                EventType.getEventType(GrowthEvent.class);
                EventType.getEventType(EvacuationEvent.class);
                EventType.getEventType(CleanupEvent.class);
                FlightRecorder.addPeriodicEvent(StatisticsEvent.class, tracing.registry::emitStatistics);
                return tracing;
            } catch (LinkageError | RuntimeException e) {
                return null; // no jdk.jfr in this runtime, or JFR refused: maps stay untraced
            }
        }
    }

    /** @return the tracing state, or null when JFR (or slf4j/jctools) is unavailable */
    static Tracing get() {
        return Holder.INSTANCE;
    }

    /** Registers a map and returns its tables' observers. */
    <M> IntFunction<TableObserver> attach(MapIdentity identity, M map, Function<? super M, TableStatistics> statistics) {
        MapTrace trace = new MapTrace(identity, log);
        registry.register(map, identity, trace, statistics);
        return stripe -> new TableTracer(trace, stripe);
    }
}
