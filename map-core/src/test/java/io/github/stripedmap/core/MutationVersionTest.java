package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

/**
 * The seqlock version on its own: stamps are even, a window invalidates them, and a reader that meets a
 * window held open far longer than its spin phase (a preempted writer, simulated by a sleep) waits through
 * the yielding phase and returns only after the window closed, seeing what the window stored.
 */
class MutationVersionTest {

  /** A version with one plain field that writers store inside their windows. */
  private static final class Versioned extends MutationVersion {
    int payload;
  }

  @Test
  void stampsAreEvenAndAWindowInvalidatesThem() {
    Versioned v = new Versioned();
    int stamp = v.beginRead();
    assertThat(stamp % 2).isZero();
    assertThat(v.unchangedSince(stamp)).isTrue();
    v.beginMutation();
    assertThat(v.unchangedSince(stamp)).isFalse();
    v.endMutation();
    assertThat(v.unchangedSince(stamp)).isFalse();
    int next = v.beginRead();
    assertThat(next).isEqualTo(stamp + 2);
    assertThat(v.unchangedSince(next)).isTrue();
  }

  @Test
  void aReaderWaitsOutALongWindowAndSeesItsStores() throws InterruptedException, ExecutionException, TimeoutException {
    Versioned v = new Versioned();
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      for (int round = 1; round <= 3; round++) {
        v.beginMutation();
        CountDownLatch readerStarted = new CountDownLatch(1);
        Future<int[]> read = reader.submit(() -> {
          readerStarted.countDown();
          int stamp = v.beginRead();
          return new int[] {stamp, v.payload};
        });
        assertThat(readerStarted.await(10, TimeUnit.SECONDS)).isTrue();
        // far beyond SPINS_BEFORE_YIELD spins: the reader is in its yielding phase by now
        TimeUnit.MILLISECONDS.sleep(20);
        assertThat(read.isDone()).as("returned while the window was open").isFalse();
        v.payload = round;
        v.endMutation();
        int[] seen = read.get(10, TimeUnit.SECONDS);
        assertThat(seen[0]).isEqualTo(2 * round);
        assertThat(seen[1]).as("the store of the window, through the acquire of the even version").isEqualTo(round);
      }
    } finally {
      reader.shutdownNow();
    }
  }
}
