package io.github.stripedmap.tracing;

import io.github.stripedmap.core.spi.MapIdentity;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What the tables of one map share: its identity, the log, and the map's WARN rate limit. Holds no map. */
final class MapTrace {

    /** At most one overflow-chain warning per map per minute. */
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    final MapIdentity identity;
    final AsyncLog log;
    private final AtomicLong lastWarn = new AtomicLong(Long.MIN_VALUE);

    MapTrace(MapIdentity identity, AsyncLog log) {
        this.identity = identity;
        this.log = log;
    }

    /** @return true if this map may log a warning now (one caller wins per interval); never blocks */
    boolean mayWarn(long now) {
        long last = lastWarn.get();
        return (last == Long.MIN_VALUE || now - last >= WARN_INTERVAL_NANOS) && lastWarn.compareAndSet(last, now);
    }

    @Override
    public String toString() {
        return identity.name() + " (#" + identity.id() + ")";
    }
}
