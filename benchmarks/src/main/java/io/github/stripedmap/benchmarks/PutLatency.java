package io.github.stripedmap.benchmarks;

import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency of every single {@code put} while one thread grows a map from empty (default constructor) to
 * {@code --count} Integer keys: {@code System.nanoTime()} around each put, recorded in an HdrHistogram.
 *
 * <p>Each map runs in its own freshly forked JVM (same {@code java}, same class path, same flags), so one map's
 * garbage and heap shape cannot disturb another's numbers. Each child first warms the JIT up by growing
 * {@code --warmup-rounds} throw-away maps to {@code --warmup} keys, runs {@code System.gc()}, then measures.
 * The children log GC pauses and safepoints ({@code -Xlog:gc,safepoint}) so that the report can say how long the
 * longest pause inside the measured phase was: a put that coincides with a pause measures the JVM, not the map.
 * After the measured phase each child also times {@code count} iterations of an empty loop body the same way
 * (the "control"): its max is the stall this machine inflicts on any code in that much time (descheduling by
 * other processes, page faults, hypervisor), which bounds what a single put's max can tell about the map.
 *
 * <pre>java -cp benchmarks.jar io.github.stripedmap.benchmarks.PutLatency [--count 10000000]
 *     [--impls HashMap,BucketMap] [--runs 3] [--jvm-flags "-Xms8g -Xmx8g -XX:+AlwaysPreTouch -XX:+UseG1GC"]
 *     [--warmup N] [--warmup-rounds 3] [--gc-log-dir DIR] [--clock wall|cpu] [--threads 1]</pre>
 *
 * {@code --threads N} (for concurrent maps) grows one shared map with N threads at once: thread {@code t} puts
 * keys {@code t, t+N, t+2N, ...} (of the same {@code --count} keys) and records its own histogram; the report
 * merges them (every put of every thread), and a slow put's "put number" is the key's index + 1, i.e. about the
 * map's size at that moment. Warm-up is done the same way.
 *
 * {@code --clock cpu} times each put with the thread's CPU time ({@code ThreadMXBean.getCurrentThreadCpuTime()},
 * a system call of a few hundred ns that inflates every sample) instead of {@code System.nanoTime()}: time the
 * thread spends descheduled by other processes then does not count, so the max shows the work of the worst put
 * even on a busy shared machine (page faults and GC work done by the thread still count).
 */
public final class PutLatency {
    /** Heap flags used for every child unless {@code --jvm-flags} says otherwise. */
    public static final String DEFAULT_JVM_FLAGS = "-Xms8g -Xmx8g -XX:+AlwaysPreTouch -XX:+UseG1GC";

    private static final String RESULT = "RESULT ";

    private PutLatency() {
    }

    /** One child's measurement. Times in nanoseconds. */
    public record Result(String impl, long count, long p50, long p90, long p99, long p999, long p9999, long max,
                         double mean, long totalNanos, String slowest, int gcPauses, double gcMaxPauseMs,
                         double gcTotalPauseMs, double safepointMaxMs, String safepointMaxName, long nanoTimeCost,
                         long controlMax, long controlP9999) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Args a = new Args(args, "count", "impls", "runs", "jvm-flags", "warmup", "warmup-rounds", "gc-log-dir",
                "clock", "threads");
        int count = a.getInt("count", 10_000_000);
        List<MapImpl> impls = MapImpl.list(a.get("impls", "HashMap,BucketMap"));
        int runs = a.getInt("runs", 3);
        String flags = a.get("jvm-flags", DEFAULT_JVM_FLAGS);
        int warmup = a.getInt("warmup", Math.min(1_000_000, Math.max(1, count / 4)));
        int warmupRounds = a.getInt("warmup-rounds", 3);
        String gcLogDir = a.get("gc-log-dir", null);
        String clock = a.get("clock", "wall");
        if (!clock.equals("wall") && !clock.equals("cpu")) {
            throw new IllegalArgumentException("--clock must be wall or cpu");
        }
        int threads = a.getInt("threads", 1);
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1");
        }
        run(impls, count, runs, flags, warmup, warmupRounds, gcLogDir == null ? null : Path.of(gcLogDir), clock,
                threads, System.out);
    }

    /** {@link #run(List, int, int, String, int, int, Path, String, PrintStream)} with the wall clock. */
    public static List<Result> run(List<MapImpl> impls, int count, int runs, String jvmFlags, int warmup,
                                   int warmupRounds, Path gcLogDir, PrintStream out)
            throws IOException, InterruptedException {
        return run(impls, count, runs, jvmFlags, warmup, warmupRounds, gcLogDir, "wall", out);
    }

    /** {@link #run(List, int, int, String, int, int, Path, String, int, PrintStream)} with one thread. */
    public static List<Result> run(List<MapImpl> impls, int count, int runs, String jvmFlags, int warmup,
                                   int warmupRounds, Path gcLogDir, String clock, PrintStream out)
            throws IOException, InterruptedException {
        return run(impls, count, runs, jvmFlags, warmup, warmupRounds, gcLogDir, clock, 1, out);
    }

    /** Runs every implementation {@code runs} times, each in a fresh JVM; prints and returns all results. */
    public static List<Result> run(List<MapImpl> impls, int count, int runs, String jvmFlags, int warmup,
                                   int warmupRounds, Path gcLogDir, String clock, int threads, PrintStream out)
            throws IOException, InterruptedException {
        Path logDir = gcLogDir != null ? gcLogDir : Files.createTempDirectory("put-latency-gc");
        if (gcLogDir == null) {
            logDir.toFile().deleteOnExit();
        }
        Files.createDirectories(logDir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> flags = splitFlags(jvmFlags);
        out.println("Put latency: " + (threads == 1 ? "one thread grows" : threads + " threads grow")
                + " each map from empty to " + String.format(Locale.ROOT, "%,d", count)
                + " Integer keys; " + (clock.equals("cpu") ? "the thread's CPU time (ThreadMXBean)" : "System.nanoTime()")
                + " around every put; HdrHistogram (3 significant digits).");
        out.println("Each map in a fresh JVM: " + java + " " + String.join(" ", flags) + " -Xlog:gc,safepoint:file=...");
        out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "; warm-up per child: " + warmupRounds + " x " + String.format(Locale.ROOT, "%,d", warmup)
                + " puts into throw-away maps, then System.gc()");
        out.println();
        List<Result> results = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            for (int k = 0; k < impls.size(); k++) {
                MapImpl impl = impls.get((k + r) % impls.size()); // rotate who goes first
                Path gcLog = logDir.resolve("gc-" + impl.name() + (threads == 1 ? "" : "-t" + threads) + "-run" + (r + 1)
                        + ".log");
                List<String> cmd = new ArrayList<>();
                cmd.add(java);
                cmd.addAll(flags);
                cmd.add("-Xlog:gc,safepoint:file=" + gcLog);
                cmd.add("-cp");
                cmd.add(System.getProperty("java.class.path"));
                cmd.add(PutLatency.class.getName());
                cmd.add("--child");
                cmd.addAll(List.of(impl.name(), Integer.toString(count), Integer.toString(warmup),
                        Integer.toString(warmupRounds), clock, Integer.toString(threads)));
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                Map<String, String> kv = null;
                try (BufferedReader br = new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = br.readLine()) != null; ) {
                        if (line.startsWith(RESULT)) {
                            kv = parse(line.substring(RESULT.length()));
                        } else {
                            out.println("  [" + impl.name() + " run " + (r + 1) + "] " + line);
                        }
                    }
                }
                int rc = p.waitFor();
                if (rc != 0 || kv == null) {
                    throw new IllegalStateException("child for " + impl + " failed (exit " + rc + "): " + cmd);
                }
                double fromS = Double.parseDouble(kv.get("startS"));
                double toS = Double.parseDouble(kv.get("endS"));
                double[] gc = gcPauses(gcLog, fromS, toS);
                String[] sp = longestSafepoint(gcLog, fromS, toS);
                if (gcLogDir == null) {
                    Files.deleteIfExists(gcLog);
                }
                Result res = new Result(impl.name(), count, l(kv, "p50"), l(kv, "p90"), l(kv, "p99"), l(kv, "p999"),
                        l(kv, "p9999"), l(kv, "max"), Double.parseDouble(kv.get("mean")), l(kv, "total"),
                        kv.get("slowest"), (int) gc[0], gc[1], gc[2], Double.parseDouble(sp[0]), sp[1],
                        l(kv, "nanoTime"), l(kv, "controlMax"), l(kv, "controlP9999"));
                results.add(res);
                out.printf(Locale.ROOT, "  run %d %-18s p50 %s  p99.99 %s  max %s  | in the measured phase: %d GC"
                                + " pauses (longest %.1f ms), longest safepoint %.2f ms (%s) | control loop max %s%n",
                        r + 1, impl.name(), fmt(res.p50()), fmt(res.p9999()), fmt(res.max()), res.gcPauses(),
                        res.gcMaxPauseMs(), res.safepointMaxMs(), res.safepointMaxName(), fmt(res.controlMax()));
            }
        }
        out.println();
        printTable(impls, results, runs, out);
        return results;
    }

    static void printTable(List<MapImpl> impls, List<Result> results, int runs, PrintStream out) {
        out.println("| map | p50 | p90 | p99 | p99.9 | p99.99 | max | mean | total | longest GC pause in phase"
                + " | longest safepoint in phase | control loop max |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Map<String, Long> medianMax = new LinkedHashMap<>();
        for (MapImpl impl : impls) {
            List<Result> rs = results.stream().filter(x -> x.impl().equals(impl.name())).toList();
            long max = median(rs.stream().mapToLong(Result::max).toArray());
            medianMax.put(impl.name(), max);
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.1f ms | %.2f ms | %s |%n",
                    impl.name(),
                    fmt(median(rs.stream().mapToLong(Result::p50).toArray())),
                    fmt(median(rs.stream().mapToLong(Result::p90).toArray())),
                    fmt(median(rs.stream().mapToLong(Result::p99).toArray())),
                    fmt(median(rs.stream().mapToLong(Result::p999).toArray())),
                    fmt(median(rs.stream().mapToLong(Result::p9999).toArray())),
                    fmt(max),
                    fmt(median(rs.stream().mapToLong(x -> Math.round(x.mean())).toArray())),
                    fmt(median(rs.stream().mapToLong(Result::totalNanos).toArray())),
                    median(rs.stream().mapToDouble(Result::gcMaxPauseMs).toArray()),
                    median(rs.stream().mapToDouble(Result::safepointMaxMs).toArray()),
                    fmt(median(rs.stream().mapToLong(Result::controlMax).toArray())));
        }
        out.println();
        out.println(runs > 1 ? "(medians of " + runs + " runs, each map in a fresh JVM per run)" : "(one run)");
        // the anchor: HashMap when it ran, else ConcurrentHashMap (for the concurrent maps)
        String baseName = medianMax.containsKey(MapImpl.HashMap.name()) ? MapImpl.HashMap.name()
                : MapImpl.ConcurrentHashMap.name();
        Long base = medianMax.get(baseName);
        for (MapImpl impl : impls) {
            List<Result> rs = results.stream().filter(x -> x.impl().equals(impl.name())).toList();
            StringBuilder maxes = new StringBuilder();
            for (Result x : rs) {
                maxes.append(maxes.length() == 0 ? "" : ", ").append(fmt(x.max()));
            }
            out.printf(Locale.ROOT, "- %s: max per run [%s]; slowest puts (put number:ns) in run 1: %s%n",
                    impl.name(), maxes, rs.isEmpty() ? "" : rs.get(0).slowest());
            if (base != null && !impl.name().equals(baseName)) {
                out.printf(Locale.ROOT, "- ratio of max, %s / %s: %.3f = 1/%.0f (median max %s vs %s)%n", impl.name(),
                        baseName, (double) medianMax.get(impl.name()) / base,
                        (double) base / Math.max(1, medianMax.get(impl.name())), fmt(medianMax.get(impl.name())),
                        fmt(base));
            }
        }
        if (!results.isEmpty()) {
            out.println("- cost of one pair of clock reads (median, included in every sample): "
                    + fmt(results.get(0).nanoTimeCost()));
            StringBuilder controls = new StringBuilder();
            for (Result x : results) {
                controls.append(controls.length() == 0 ? "" : ", ").append(fmt(x.controlMax()));
            }
            out.println("- control loop (same count of timed empty iterations, same JVM, after the run) max per child: ["
                    + controls + "]: stalls of that size come from the machine, not from the map");
        }
    }

    // ---------------------------------------------------------------------------------------------- child

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private static boolean cpuClock;

    private static long now() {
        return cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** One thread's share of a growth: its histogram and its 8 slowest puts. */
    private static final class Share {
        final Histogram histogram = new Histogram(3);
        final long[] topNanos = new long[8];
        final int[] topIndex = new int[8];
        long sink;

        /** Puts keys {@code first, first+step, ...} into the map, timing each put. */
        void grow(Map<Integer, Integer> m, Integer[] keys, int first, int step, int limit) {
            Histogram h = histogram;
            long[] top = topNanos;
            for (int i = first; i < limit; i += step) {
                Integer k = keys[i];
                long t0 = now();
                m.put(k, k);
                long d = now() - t0;
                h.recordValue(d);
                if (d > top[0]) {
                    top[0] = d;
                    topIndex[0] = i + 1;
                    siftTop(top, topIndex);
                }
            }
        }
    }

    /** Grows {@code m} with {@code threads} threads (the calling thread alone if 1); returns each share. */
    private static Share[] grow(Map<Integer, Integer> m, Integer[] keys, int limit, int threads)
            throws InterruptedException {
        Share[] shares = new Share[threads];
        for (int t = 0; t < threads; t++) {
            shares[t] = new Share();
        }
        if (threads == 1) {
            shares[0].grow(m, keys, 0, 1, limit);
            return shares;
        }
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        Thread[] workers = new Thread[threads];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            int first = t;
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                    shares[first].grow(m, keys, first, threads, limit);
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }, "put-" + t);
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("a putting thread failed", failure[0]);
        }
        return shares;
    }

    private static void child(String[] args) throws InterruptedException {
        MapImpl impl = MapImpl.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int warmupRounds = Integer.parseInt(args[3]);
        cpuClock = args.length > 4 && args[4].equals("cpu");
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        Integer[] keys = Keys.intKeys(0, count);
        long sink = 0;
        for (int w = 0; w < warmupRounds; w++) {
            Map<Integer, Integer> m = impl.create();
            for (Share sh : grow(m, keys, Math.min(warmup, count), threads)) {
                sink += sh.histogram.getTotalCount();
            }
            sink += m.size();
        }
        long nanoTimeCost = nanoTimeCost();
        System.gc();
        Map<Integer, Integer> m = impl.create();
        double startS = uptimeSeconds();
        long start = System.nanoTime(); // wall time of the whole phase
        Share[] shares = grow(m, keys, count, threads);
        long total = System.nanoTime() - start; // wall
        double endS = uptimeSeconds();
        Histogram h = new Histogram(3);
        long[] topNanos = new long[8];
        int[] topIndex = new int[8];
        for (Share sh : shares) {
            h.add(sh.histogram);
            for (int j = 0; j < sh.topNanos.length; j++) {
                if (sh.topNanos[j] > topNanos[0]) {
                    topNanos[0] = sh.topNanos[j];
                    topIndex[0] = sh.topIndex[j];
                    siftTop(topNanos, topIndex);
                }
            }
        }
        Histogram control = new Histogram(3);
        for (int i = 0; i < count; i++) {
            long t0 = now();
            sink += keys[i].hashCode();
            control.recordValue(now() - t0);
        }
        if (m.size() != count) {
            throw new IllegalStateException(impl + " has " + m.size() + " entries after " + count + " puts");
        }
        String stats = impl.describe(m);
        if (!stats.isEmpty()) {
            System.out.println("after the run: " + stats);
        }
        StringBuilder slow = new StringBuilder();
        for (int j = topNanos.length - 1; j >= 0; j--) {
            if (topIndex[j] > 0) {
                slow.append(slow.length() == 0 ? "" : ",").append(topIndex[j]).append(':').append(topNanos[j]);
            }
        }
        System.out.println(RESULT + "impl=" + impl.name() + " p50=" + h.getValueAtPercentile(50)
                + " p90=" + h.getValueAtPercentile(90) + " p99=" + h.getValueAtPercentile(99)
                + " p999=" + h.getValueAtPercentile(99.9) + " p9999=" + h.getValueAtPercentile(99.99)
                + " max=" + h.getMaxValue() + " mean=" + String.format(Locale.ROOT, "%.1f", h.getMean())
                + " total=" + total + " slowest=" + slow + " nanoTime=" + nanoTimeCost
                + " controlMax=" + control.getMaxValue() + " controlP9999=" + control.getValueAtPercentile(99.99)
                + " startS=" + startS + " endS=" + endS + " sink=" + (sink & 1));
    }

    /** Keeps the 8 largest latencies, smallest at index 0. */
    private static void siftTop(long[] nanos, int[] index) {
        for (int j = 0; j + 1 < nanos.length && nanos[j] > nanos[j + 1]; j++) {
            long t = nanos[j];
            nanos[j] = nanos[j + 1];
            nanos[j + 1] = t;
            int ti = index[j];
            index[j] = index[j + 1];
            index[j + 1] = ti;
        }
    }

    private static long nanoTimeCost() {
        Histogram h = new Histogram(3);
        for (int i = 0; i < 200_000; i++) {
            long t0 = now();
            long t1 = now();
            h.recordValue(t1 - t0);
        }
        return h.getValueAtPercentile(50);
    }

    private static double uptimeSeconds() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static final Pattern GC_LINE = Pattern.compile("^\\[(\\d+[.,]\\d+)s\\].*\\bPause\\b.*\\s(\\d+[.,]\\d+)ms\\s*$");

    /** {count, longest ms, total ms} of the GC pauses logged between the two uptimes (seconds). */
    static double[] gcPauses(Path log, double fromS, double toS) throws IOException {
        double[] r = new double[3];
        if (!Files.exists(log)) {
            return r;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher mt = GC_LINE.matcher(line);
            if (mt.matches()) {
                double at = Double.parseDouble(mt.group(1).replace(',', '.'));
                double ms = Double.parseDouble(mt.group(2).replace(',', '.'));
                // the line is written when the pause ends; it counts if it began inside the phase (the
                // System.gc() just before the phase ends after the phase's start by the log's clock skew)
                double began = at - ms / 1000.0;
                if (began >= fromS && began <= toS) {
                    r[0]++;
                    r[1] = Math.max(r[1], ms);
                    r[2] += ms;
                }
            }
        }
        return r;
    }

    private static final Pattern SAFEPOINT_LINE =
            Pattern.compile("^\\[(\\d+[.,]\\d+)s\\].*Safepoint \"([^\"]*)\".*Total: (\\d+) ns.*$");

    /** {longest ms, its name} of the safepoints logged between the two uptimes (seconds). */
    static String[] longestSafepoint(Path log, double fromS, double toS) throws IOException {
        double best = 0;
        String name = "none";
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                Matcher mt = SAFEPOINT_LINE.matcher(line);
                if (mt.matches()) {
                    double at = Double.parseDouble(mt.group(1).replace(',', '.'));
                    double ms = Long.parseLong(mt.group(3)) / 1e6;
                    double began = at - ms / 1000.0;
                    if (began >= fromS && began <= toS && ms > best) {
                        best = ms;
                        name = mt.group(2);
                    }
                }
            }
        }
        return new String[] {Double.toString(best), name};
    }

    static List<String> splitFlags(String flags) {
        List<String> out = new ArrayList<>();
        for (String f : flags.trim().split("\\s+")) {
            if (!f.isEmpty()) {
                out.add(f);
            }
        }
        return out;
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String tok : line.trim().split("\\s+")) {
            int eq = tok.indexOf('=');
            if (eq > 0) {
                kv.put(tok.substring(0, eq), tok.substring(eq + 1));
            }
        }
        return kv;
    }

    private static long l(Map<String, String> kv, String k) {
        return Long.parseLong(kv.get(k));
    }

    static long median(long[] v) {
        if (v.length == 0) {
            return 0;
        }
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return 0;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Human time: ns below 10 us, then us below 1 ms, then ms. */
    static String fmt(long nanos) {
        if (nanos < 10_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
