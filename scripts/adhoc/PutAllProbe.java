import io.github.stripedmap.concurrent.StripedMap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ad-hoc loop (not JMH): the cost of copying 1,000 new keys into a map that holds LIVE entries (scrambled
 * {@code Long}s), the map kept at that size by removing the oldest 1,000 keys after each batch (untimed).
 * Batches alternate between {@code putAll} and a loop of {@code put} calls over the same kind of source, so
 * both are measured in the same JVM and the same minutes. Prints, per round of 400 batches, the median time
 * of each. Run from the repository root after building the benchmarks jar:
 * <pre>
 *   java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
 *        scripts/adhoc/PutAllProbe.java LIVE striped|chm
 * </pre>
 */
public class PutAllProbe {
    private static final int BATCH = 1000;
    private static final int BATCHES_PER_ROUND = 400;
    private static final int ROUNDS = 6;

    public static void main(String[] args) {
        int live = Integer.parseInt(args[0]);
        boolean chm = args.length > 1 && args[1].equals("chm");
        Map<Long, Long> map = chm ? new ConcurrentHashMap<>() : new StripedMap<>();
        long next = 0;
        for (; next < live; next++) {
            map.put(key(next), next);
        }
        long[][] times = new long[2][BATCHES_PER_ROUND / 2];
        for (int round = 0; round < ROUNDS; round++) {
            for (int b = 0; b < BATCHES_PER_ROUND; b++) {
                Map<Long, Long> chunk = new HashMap<>();
                for (int i = 0; i < BATCH; i++) {
                    long k = key(next++);
                    chunk.put(k, k);
                }
                boolean loop = (b & 1) == 1;
                long t0 = System.nanoTime();
                if (loop) {
                    for (Map.Entry<Long, Long> e : chunk.entrySet()) {
                        map.put(e.getKey(), e.getValue());
                    }
                } else {
                    map.putAll(chunk);
                }
                times[loop ? 1 : 0][b >> 1] = System.nanoTime() - t0;
                for (int i = 0; i < BATCH; i++) {
                    map.remove(key(next - live - BATCH + i));
                }
            }
            Arrays.sort(times[0]);
            Arrays.sort(times[1]);
            System.out.printf("round %d: median %.1f us per putAll of %d, %.1f us per loop of put (map size %d)%n",
                    round, times[0][times[0].length / 2] / 1000.0, BATCH, times[1][times[1].length / 2] / 1000.0,
                    map.size());
        }
    }

    /** The i-th key: scrambled, so that consecutive keys land in unrelated buckets of either map. */
    private static long key(long i) {
        return i * 0x9E3779B97F4A7C15L >>> 20;
    }
}
