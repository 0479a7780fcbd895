package io.github.stripedmap.concurrent;

import java.time.Duration;

/**
 * How long the randomised and multi-threaded tests run. The default build keeps them short; a long run
 * multiplies every duration and operation count by {@code -Dstripedmap.test.scale=N} (for example
 * {@code ./mvnw -B -pl map-concurrent -am verify -Dstripedmap.test.scale=20}).
 */
final class TestScale {

    /** The multiplier, at least 1. */
    static final int FACTOR = Math.max(1, Integer.getInteger("stripedmap.test.scale", 1));

    private TestScale() { }

    /** @return {@code base} times the factor */
    static int ops(int base) {
        return (int) Math.min(Integer.MAX_VALUE, (long) base * FACTOR);
    }

    /** @return {@code millis} times the factor */
    static Duration duration(long millis) {
        return Duration.ofMillis(millis * FACTOR);
    }
}
