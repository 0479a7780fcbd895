import io.github.stripedmap.concurrent.StripedMap;

import java.util.HashSet;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ad-hoc loop (not JMH), one thread: a map of 1M random Integer keys, then 10 rounds of 1 s of either writes
 * ("w": put of an absent key, then its remove, alternating over 100,000 keys) or reads ("g": get of an equal
 * copy of a present key, shuffled), printing ns per operation. Run from the repository root:
 * <pre>
 *   java -Xms3g -Xmx3g -cp benchmarks/target/benchmarks.jar scripts/adhoc/ChurnLoop.java S|C w|g
 * </pre>
 * S is StripedMap, C ConcurrentHashMap.
 */
public class ChurnLoop {
    public static void main(String[] args) {
        int n = 1_000_000;
        int churn = 100_000;
        Integer[] keys = new Integer[n + churn];
        SplittableRandom random = new SplittableRandom(7);
        HashSet<Integer> seen = new HashSet<>();
        for (int i = 0; i < keys.length; i++) {
            int k;
            do {
                k = random.nextInt();
            } while (!seen.add(k));
            keys[i] = k;
        }
        Integer[] probes = new Integer[n];
        for (int i = 0; i < n; i++) {
            probes[i] = Integer.valueOf(keys[i].intValue());
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = probes[i];
            probes[i] = probes[j];
            probes[j] = t;
        }
        Map<Integer, Integer> map = args[0].equals("S") ? new StripedMap<>() : new ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(keys[i], i);
        }
        boolean writes = args[1].equals("w");
        long sink = 0;
        int c = 0;
        int p = 0;
        for (int round = 0; round < 10; round++) {
            long t0 = System.nanoTime();
            long ops = 0;
            while (System.nanoTime() - t0 < 1_000_000_000L) {
                for (int q = 0; q < 10_000; q++) {
                    if (writes) {
                        Integer k = keys[n + (c >>> 1) % churn];
                        if ((c & 1) == 0) {
                            map.put(k, 1);
                        } else {
                            map.remove(k);
                        }
                        c++;
                    } else {
                        sink += map.get(probes[p]) == null ? 0 : 1;
                        if (++p == n) {
                            p = 0;
                        }
                    }
                }
                ops += 10_000;
            }
            System.out.printf("%s %s %.1f ns/op%n", args[0], args[1], (System.nanoTime() - t0) / (double) ops);
        }
        System.out.println(sink);
    }
}
