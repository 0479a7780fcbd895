/**
 * JDK Flight Recorder tracing of stripedmap's maps: the events {@code io.github.stripedmap.Growth},
 * {@code Evacuation}, {@code Cleanup} and {@code Statistics}, the service provider that attaches every new
 * map automatically when this jar is on the class path, and {@link io.github.stripedmap.tracing.StripedMapTracing}
 * for explicit use. See {@code docs/TRACING.md}.
 */
package io.github.stripedmap.tracing;
