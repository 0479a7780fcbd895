package io.github.stripedmap.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs in a child JVM with a small heap (see {@link #command}): fills the heap with ballast, fills a map
 * until a {@code put} throws {@link OutOfMemoryError}, releases the ballast, and checks that the map
 * survived: its invariants hold, every key confirmed before the failure is there with its value, the failed
 * key is either absent or present with its value, the size is right, and further puts work: in the first
 * round until a migration has completed (a growth that could not allocate is retried), in the second round
 * (less memory left, so a smaller allocation fails) for a fixed number of puts; then everything is checked
 * again. Prints one line starting with {@link #RESULT}: {@code OK ...}, {@code FAIL <why>} or
 * {@code HUNG <stack>} (the checks did not finish: a mutation window left open makes a reader spin).
 * Public so that map-concurrent's test drives the same procedure for its map.
 */
public final class OutOfMemoryChild {

  /** Prefix of the line the parent reads. */
  public static final String RESULT = "RESULT ";
  /** The child's heap: small, so that filling it takes a fraction of a second. */
  public static final String HEAP = "-Xmx64m";
  /** Keys prepared ahead (the fill loop then allocates nothing but the map's own arrays): 10 MB of them. */
  private static final int KEYS = 500_000;
  /** Ballast chunk: small, so the ballast fills the heap closely. */
  private static final int CHUNK_BYTES = 64 * 1024;
  /** Most ballast chunks: more than the heap holds. */
  private static final int MAX_CHUNKS = 4096;
  /**
   * Bytes left free when each round's fill starts: 1 MB (the map gets going, and a growth's array is the
   * allocation that fails first), then 64 KB (a smaller allocation fails, such as an overflow chunk). Small,
   * because {@code checkInvariants()} needs about 120 bytes per entry.
   */
  private static final long[] LEFT_FREE = {1L << 20, 64L << 10};
  /**
   * Puts after the second round's failure: that failure is not a growth's, and waiting for the next
   * growth would make the map too large for {@code checkInvariants()} (it builds a map of every key with
   * a description of its place) in this heap.
   */
  private static final int PUTS_AFTER_SMALL_FAILURE = 20_000;
  /** Fewer keys left than this for the puts after a failure means the fill used them up: a broken test. */
  private static final int MIN_PUTS_AFTER_FAILURE = 1_000;
  /** How long the checks after the failure may take before the child reports itself hung. */
  private static final long CHECK_SECONDS = 60;
  /** Puts between two looks at the statistics while waiting for a migration to complete. */
  private static final int STATISTICS_EVERY = 64;

  /** The map under test and its debugging hooks. */
  public interface Subject {
    /** @return the map */
    Map<Integer, Integer> map();

    /** Throws if an internal invariant is broken. */
    void checkInvariants();

    /** @return the summed statistics */
    TableStatistics statistics();
  }

  private OutOfMemoryChild() { }

  /**
   * The command that runs {@code mainClass} in a child JVM with the test class path and a small heap.
   *
   * @param mainClass a class whose {@code main} calls {@link #run}
   * @return the command line
   */
  public static List<String> command(Class<?> mainClass) {
    String java = ProcessHandle.current().info().command()
        .orElse(System.getProperty("java.home") + "/bin/java");
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return List.of(java, HEAP, "-XX:+UseSerialGC", "-Xss1m", "-cp", classPath, mainClass.getName());
  }

  /**
   * Runs {@code mainClass} in a child JVM and returns its result line (the parent's side).
   *
   * @param mainClass a class whose {@code main} calls {@link #run}
   * @param timeout   how long the child may take
   * @return the line starting with {@link #RESULT}, or a description of what the child did instead
   * @throws Exception if the child cannot be started or waited for
   */
  public static String runInChildJvm(Class<?> mainClass, Duration timeout) throws Exception {
    Path out = Files.createTempFile("oom-child-", ".out");
    try {
      Process child = new ProcessBuilder(command(mainClass)).redirectErrorStream(true).redirectOutput(out.toFile())
          .start();
      if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        child.destroyForcibly().waitFor();
        return "child timed out after " + timeout + ": " + Files.readString(out);
      }
      String output = Files.readString(out);
      return output.lines().filter(line -> line.startsWith(RESULT)).findFirst()
          .orElse("no result line (exit " + child.exitValue() + "): " + output);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * Fills a {@link BucketMap}.
   *
   * @param args none
   */
  public static void main(String[] args) {
    BucketMap<Integer, Integer> map = new BucketMap<>();
    run("BucketMap", () -> new Subject() {
      @Override
      public Map<Integer, Integer> map() {
        return map;
      }

      @Override
      public void checkInvariants() {
        map.checkInvariants();
      }

      @Override
      public TableStatistics statistics() {
        return map.statistics();
      }
    });
  }

  /**
   * The whole procedure, in a worker thread watched for a hang; prints the result line and exits.
   *
   * @param label   names the map in the result line
   * @param subject makes the map under test
   */
  public static void run(String label, Supplier<Subject> subject) {
    Integer[] keys = new Integer[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = i; // each Integer above 127 is its own object, made now
    }
    Subject s = subject.get();
    Thread worker = new Thread(() -> rounds(label, s, keys), "filler");
    worker.setDaemon(true);
    worker.setUncaughtExceptionHandler((t, e) -> finish(RESULT + "FAIL " + label + ": " + describe(e) + " in round "
        + round + " while " + step));
    worker.start();
    try {
      worker.join(TimeUnit.SECONDS.toMillis(CHECK_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    StringBuilder where = new StringBuilder();
    for (StackTraceElement frame : worker.getStackTrace()) {
      where.append(" <- ").append(frame);
    }
    finish(RESULT + "HUNG " + label + " in round " + round + " while " + step + " after the OutOfMemoryError at "
        + lastOrigin + ": filler at" + where);
  }

  /** Fills the heap; a static field, so that the JIT cannot treat it as dead while the map fills up. */
  private static List<byte[]> ballast;
  /** The round in progress, for the HUNG line. */
  private static volatile int round;
  /** What the round is doing, for the FAIL and HUNG lines. */
  private static volatile String step = "starting";
  /** Where the last OutOfMemoryError came from, for the HUNG line. */
  private static volatile String lastOrigin = "(none yet)";

  private static void rounds(String label, Subject s, Integer[] keys) {
    Map<Integer, Integer> map = s.map();
    List<Integer> absent = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    int next = 0;
    for (int r = 1; r <= LEFT_FREE.length; r++) {
      round = r;
      step = "filling the heap";
      ballast = fillHeap(LEFT_FREE[r - 1]);
      step = "filling the map";
      OutOfMemoryError error = null;
      try {
        for (; next < KEYS; next++) {
          map.put(keys[next], keys[next]);
        }
      } catch (OutOfMemoryError e) {
        ballast = null; // first of all: room to breathe
        error = e;
      }
      ballast = null;
      if (error == null) {
        finish(RESULT + "FAIL " + label + ": no OutOfMemoryError in round " + r + " up to key " + KEYS);
      }
      lastOrigin = origin(error);
      String failure = "round " + r + ": OutOfMemoryError at " + lastOrigin;
      int failedKey = next++;
      step = "checking after " + failure;
      s.checkInvariants();
      Integer failed = map.get(keys[failedKey]);
      if (failed == null) {
        absent.add(failedKey);
      } else if (!failed.equals(keys[failedKey])) {
        finish(RESULT + "FAIL " + label + ": the key whose put failed maps to " + failed + ", " + failure);
      }
      verify(label, map, keys, next, absent, failure);

      boolean waitForMigration = r == 1;
      step = (waitForMigration ? "putting until a migration completes" : "putting more") + " after " + failure;
      TableStatistics atFailure = s.statistics();
      boolean done = false;
      int puts = 0;
      for (; next < KEYS && !(done && puts >= MIN_PUTS_AFTER_FAILURE); next++) {
        map.put(keys[next], keys[next]);
        puts++;
        done = done || (waitForMigration ? next % STATISTICS_EVERY == 0 && migrationCompleted(atFailure, s.statistics())
            : puts == PUTS_AFTER_SMALL_FAILURE || next == KEYS - 1);
      }
      if (!done || puts < MIN_PUTS_AFTER_FAILURE) {
        finish(RESULT + "FAIL " + label + ": " + (waitForMigration ? "no migration completed" : "only")
            + " in " + puts + " puts after " + failure + " (at the failure: " + atFailure + ", now: "
            + s.statistics() + ")");
      }
      step = "checking after the puts that followed " + failure;
      s.checkInvariants();
      verify(label, map, keys, next, absent, failure + ", after the puts that followed");
      report.append(" [").append(failure).append("; confirmed=").append(failedKey)
          .append(" failedKeyPresent=").append(failed != null)
          .append(" migration=").append(atFailure.migration())
          .append(" overflowBuckets=").append(atFailure.overflowBuckets())
          .append(" buckets ").append(atFailure.buckets()).append(" -> ").append(s.statistics().buckets())
          .append(" in ").append(puts).append(" puts]");
    }
    finish(RESULT + "OK " + label + report);
  }

  /**
   * True once a growth has completed since {@code atFailure}: the migration running then has finished,
   * or, if none was running (the failure was a growth that could not allocate), a new one grew the table
   * and finished.
   */
  private static boolean migrationCompleted(TableStatistics atFailure, TableStatistics now) {
    if (now.migration() != null) {
      return false;
    }
    return atFailure.migration() != null || now.buckets() > atFailure.buckets();
  }

  /** Keys {@code [0, end)} but those in {@code absent} map to themselves, and nothing else is there. */
  private static void verify(String label, Map<Integer, Integer> map, Integer[] keys, int end, List<Integer> absent,
                             String when) {
    for (int i = 0; i < end; i++) {
      Integer v = map.get(keys[i]);
      boolean expectAbsent = absent.contains(i);
      if (expectAbsent ? v != null : !keys[i].equals(v)) {
        finish(RESULT + "FAIL " + label + ": key " + i + " maps to " + v + " (" + when + ")");
      }
    }
    int expected = end - absent.size();
    if (map.size() != expected) {
      finish(RESULT + "FAIL " + label + ": size " + map.size() + ", expected " + expected + " (" + when + ")");
    }
  }

  /**
   * Fills the heap with ballast until an allocation fails, then frees about {@code leaveFree} bytes of it:
   * counting on the runtime's free-memory figure instead leaves a margin that varies from run to run.
   */
  private static List<byte[]> fillHeap(long leaveFree) {
    List<byte[]> chunks = new ArrayList<>(MAX_CHUNKS);
    try {
      while (chunks.size() < MAX_CHUNKS) {
        chunks.add(new byte[CHUNK_BYTES]);
      }
    } catch (OutOfMemoryError full) {
      for (long freed = 0; freed < leaveFree && !chunks.isEmpty(); freed += CHUNK_BYTES) {
        chunks.remove(chunks.size() - 1);
      }
    }
    return chunks;
  }

  /** The top frames of the error inside this project: where the allocation failed. */
  private static String origin(Throwable e) {
    if (e.getStackTrace().length == 0) {
      return "(no stack trace)";
    }
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (StackTraceElement frame : e.getStackTrace()) {
      if (shown++ == 4) {
        break;
      }
      out.append(shown == 1 ? "" : " <- ").append(frame.getClassName().replaceFirst(".*\\.", ""))
          .append('.').append(frame.getMethodName()).append(':').append(frame.getLineNumber());
    }
    return out.toString();
  }

  private static String describe(Throwable e) {
    return e + " at " + origin(e);
  }

  private static void finish(String line) {
    System.out.println(line);
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
