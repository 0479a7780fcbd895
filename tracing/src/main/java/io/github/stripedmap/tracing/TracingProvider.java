package io.github.stripedmap.tracing;

import io.github.stripedmap.core.TableObserver;
import io.github.stripedmap.core.TableStatistics;
import io.github.stripedmap.core.spi.MapIdentity;
import io.github.stripedmap.core.spi.MapTracingProvider;

import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The service map-core finds on the class path ({@code META-INF/services}): attaches every new
 * {@code BucketMap} and {@code StripedMap} (without explicit observers) to JFR tracing.
 */
public final class TracingProvider implements MapTracingProvider {

    /** For {@link java.util.ServiceLoader}. */
    public TracingProvider() { }

    @Override
    public <M> IntFunction<TableObserver> attach(MapIdentity identity, M map,
                                                 Function<? super M, TableStatistics> statistics) {
        Tracing tracing = Tracing.get();
        return tracing == null ? null : tracing.attach(identity, map, statistics);
    }
}
