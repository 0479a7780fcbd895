import io.github.stripedmap.core.BucketMap;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Ad-hoc loop (not JMH) used for quick A/B checks and JFR profiles of "put-new into a growing map": fills a
 * new map with N String keys ("user:" + base-36 random) again and again, printing ns per put for each
 * 250 ms round. Run from the repository root after building the benchmarks jar:
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar scripts/adhoc/FillLoop.java N ROUNDS B|H CAPACITY
 *   java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
 *        -XX:StartFlightRecording=filename=fill.jfr,settings=profile \
 *        -cp benchmarks/target/benchmarks.jar scripts/adhoc/FillLoop.java 1000 24 B 0
 * </pre>
 * B is BucketMap, H HashMap; CAPACITY 0 is the default constructor.
 */
public class FillLoop {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        boolean hashMap = args[2].equals("H");
        int capacity = Integer.parseInt(args[3]);
        String[] keys = new String[n];
        Integer[] values = new Integer[n];
        Random random = new Random(1);
        for (int i = 0; i < n; i++) {
            keys[i] = "user:" + Integer.toString(random.nextInt() & 0x7fffffff, 36);
            values[i] = i;
        }
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            long ops = 0;
            while (System.nanoTime() - t0 < 250_000_000L) {
                Map<Object, Object> m = hashMap ? new HashMap<>(capacity) : new BucketMap<>(capacity);
                for (int i = 0; i < n; i++) {
                    m.put(keys[i], values[i]);
                }
                sink += m.size();
                ops += n;
            }
            System.out.printf("round %d: %.1f ns/put%n", round, (System.nanoTime() - t0) / (double) ops);
        }
        System.out.println(sink);
    }
}
