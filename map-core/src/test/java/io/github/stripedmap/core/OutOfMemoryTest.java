package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * A {@code put} that fails for want of memory leaves a {@link BucketMap} whole: in a child JVM with a
 * {@value OutOfMemoryChild#HEAP} heap, {@link OutOfMemoryChild} fills the map until a put throws
 * {@link OutOfMemoryError}, frees its ballast and checks the invariants, every confirmed key and value,
 * the size, and that further puts complete a growth (the failed one is retried).
 */
class OutOfMemoryTest {

  /** A child fills 64 MB and checks in a few seconds; this only bounds a hang. */
  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);

  @Test
  void aBucketMapSurvivesAnOutOfMemoryErrorThrownByPut() throws Exception {
    String result = OutOfMemoryChild.runInChildJvm(OutOfMemoryChild.class, CHILD_TIMEOUT);
    assertThat(result).startsWith(OutOfMemoryChild.RESULT + "OK BucketMap");
  }
}
