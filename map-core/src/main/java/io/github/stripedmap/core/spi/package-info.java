/**
 * The tracing service provider interface: how a map finds a tracer on the class path
 * ({@link io.github.stripedmap.core.spi.MapTracing}) and what a tracer implements
 * ({@link io.github.stripedmap.core.spi.MapTracingProvider}). Nothing here depends on JDK Flight
 * Recorder or a logging API; the {@code tracing} module brings those.
 */
package io.github.stripedmap.core.spi;
