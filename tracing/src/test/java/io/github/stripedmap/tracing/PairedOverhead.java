package io.github.stripedmap.tracing;

import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;
import io.github.stripedmap.core.TableObserver;

import jdk.jfr.Recording;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tracing's cost measured as a paired difference inside one JVM, for a shared and noisy machine: fills
 * of an untraced map (explicit {@link TableObserver#NONE}, exactly what a map gets without the tracing
 * jar) alternate with fills of an automatically traced one, each timed by the thread's CPU time; the
 * score is the median of the per-pair ratios, so drift in the machine's load cancels out. With
 * {@code recording} a recording with the shipped settings runs throughout. Run by
 * {@code tracing/bench-overhead.sh}.
 *
 * <pre>java -cp ... io.github.stripedmap.tracing.PairedOverhead [norecording|recording] [PAIRS] [SIZE,SIZE...] [EVENT#setting=value...]</pre>
 */
public final class PairedOverhead {

    private PairedOverhead() { }

    public static void main(String[] args) throws Exception {
        boolean record = args.length > 0 && args[0].equals("recording");
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        int[] sizes = {16_384, 1_000_000};
        if (args.length > 2) {
            sizes = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        }
        Recording recording = null;
        if (record) {
            recording = new Recording(StripedMapTracing.settings());
            for (int i = 3; i < args.length; i++) { // overrides: EVENT#setting=value
                String[] parts = args[i].split("[#=]", 3);
                recording.enable(parts[0]).with(parts[1], parts[2]);
            }
            recording.start();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int size : sizes) {
            SplittableRandom random = new SplittableRandom(42);
            Integer[] keys = new Integer[size];
            for (int i = 0; i < size; i++) {
                keys[i] = random.nextInt();
            }
            int fills = Math.max(1, 1_000_000 / size);
            for (String impl : new String[] {"StripedMap", "BucketMap"}) {
                int warmup = 5;
                double[] ratio = new double[pairs];
                double[] plain = new double[pairs];
                double[] traced = new double[pairs];
                long sink = 0;
                for (int p = -warmup; p < pairs; p++) {
                    long[] cpu = new long[2];
                    for (int f = 0; f < fills; f++) {
                        for (int t = 0; t < 2; t++) { // untraced first, then traced, every fill
                            Map<Integer, Integer> map = newMap(impl, t == 1);
                            long t0 = threads.getCurrentThreadCpuTime();
                            for (Integer k : keys) {
                                map.put(k, k);
                            }
                            cpu[t] += threads.getCurrentThreadCpuTime() - t0;
                            sink += map.size();
                        }
                    }
                    if (p >= 0) {
                        plain[p] = (double) cpu[0] / ((long) fills * size);
                        traced[p] = (double) cpu[1] / ((long) fills * size);
                        ratio[p] = (double) cpu[1] / cpu[0];
                    }
                }
                Arrays.sort(ratio);
                Arrays.sort(plain);
                Arrays.sort(traced);
                System.out.printf(Locale.ROOT, "paired impl=%s/%d recording=%s overhead=%+.1f%% untraced=%.1f "
                        + "traced=%.1f ns/put (CPU time, median of %d pairs, quartiles %+.1f%% %+.1f%%; %d)%n", impl,
                        size, record, 100 * (ratio[pairs / 2] - 1), plain[pairs / 2], traced[pairs / 2], pairs,
                        100 * (ratio[pairs / 4] - 1), 100 * (ratio[3 * pairs / 4] - 1), sink);
            }
        }
        if (recording != null) {
            recording.close();
        }
    }

    private static Map<Integer, Integer> newMap(String impl, boolean traced) {
        if ("StripedMap".equals(impl)) {
            return traced ? new StripedMap<>() : StripedMap.builder().observers(stripe -> TableObserver.NONE).build();
        }
        BucketMap<Integer, Integer> map = new BucketMap<>();
        if (!traced) {
            map.setObserver(TableObserver.NONE);
        }
        return map;
    }
}
