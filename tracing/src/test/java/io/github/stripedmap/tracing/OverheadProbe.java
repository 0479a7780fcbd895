package io.github.stripedmap.tracing;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;
import io.github.stripedmap.core.spi.MapTracing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The put-heavy workload of {@link TracingOverheadBenchmark} timed by the thread's CPU time instead of
 * wall-clock time: on a shared machine whose other processes keep taking the cores, wall-clock scores
 * swing by tens of percent, while the CPU time a thread spends on its own work barely moves (JIT
 * compilation and GC run in other threads and are not counted; the barriers and allocation the workload
 * itself does are). Run by {@code tracing/bench-overhead.sh}; prints one line per map kind and
 * size (a cache-resident 16K map, and a 1M map as in the JMH benchmark).
 *
 * <pre>java -cp ... io.github.stripedmap.tracing.OverheadProbe [SAMPLES] [SIZE,SIZE...]</pre>
 */
public final class OverheadProbe {

    private OverheadProbe() { }

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int[] sizes = {16_384, 1_000_000};
        if (args.length > 1) {
            sizes = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        }
        int warmup = 5;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int size : sizes) {
            SplittableRandom random = new SplittableRandom(42);
            Integer[] keys = new Integer[size];
            for (int i = 0; i < size; i++) {
                keys[i] = random.nextInt();
            }
            int fillsPerSample = Math.max(1, 1_000_000 / size); // about a million puts per sample
            for (String impl : new String[] {"StripedMap", "BucketMap"}) {
                double[] nsPerPut = new double[samples];
                long sink = 0;
                for (int s = -warmup; s < samples; s++) {
                    long cpu = 0;
                    for (int f = 0; f < fillsPerSample; f++) {
                        Map<Integer, Integer> map = "StripedMap".equals(impl) ? new StripedMap<>() : new BucketMap<>();
                        long t0 = threads.getCurrentThreadCpuTime();
                        for (Integer k : keys) {
                            map.put(k, k);
                        }
                        cpu += threads.getCurrentThreadCpuTime() - t0;
                        sink += map.size();
                    }
                    if (s >= 0) {
                        nsPerPut[s] = (double) cpu / ((long) size * fillsPerSample);
                    }
                }
                Arrays.sort(nsPerPut);
                System.out.printf(Locale.ROOT, "probe impl=%s/%d attached=%s median=%.2f min=%.2f ns/put (cpu time, "
                        + "%d samples of %d fills, %d)%n", impl, size, MapTracing.enabled(), nsPerPut[samples / 2],
                        nsPerPut[0], samples, fillsPerSample, sink);
            }
        }
    }
}
