package io.github.stripedmap.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stripedmap.core.OutOfMemoryChild;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * A {@code put} that fails for want of memory leaves a {@link StripedMap} whole and its stripe usable: in a
 * child JVM with a small heap, {@link StripedOutOfMemoryChild} fills the map until a put throws
 * {@link OutOfMemoryError}, frees its ballast and checks the invariants (under the stripe locks), every
 * confirmed key by lock-free reads (a mutation window left open would make them spin: the child reports
 * {@code HUNG}), the size, and that further puts complete a migration (a failed growth is retried).
 */
class StripedOutOfMemoryTest {

    /** A child fills 64 MB and checks in a few seconds; this only bounds a hang. */
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);

    @Test
    void aStripedMapSurvivesAnOutOfMemoryErrorThrownByPut() throws Exception {
        String result = OutOfMemoryChild.runInChildJvm(StripedOutOfMemoryChild.class, CHILD_TIMEOUT);
        assertThat(result).startsWith(OutOfMemoryChild.RESULT + "OK StripedMap");
    }
}
