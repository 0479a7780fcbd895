import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Ad-hoc check (not JMH) of what a map's structure does under churn at constant size: fills a map with N
 * Integer keys, then repeats "remove a random live key, insert a new one" and prints, every N operations,
 * the map's own statistics (overflow buckets, estimated structure bytes) and the bytes relative to those
 * right after the fill. Run from the repository root after building the benchmarks jar:
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar scripts/adhoc/ChurnFootprint.java B|S N ROUNDS
 * </pre>
 * B is BucketMap, S StripedMap (default stripes).
 */
public class ChurnFootprint {
    public static void main(String[] args) {
        boolean striped = args[0].equals("S");
        int n = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Map<Integer, Integer> map = striped ? new StripedMap<>() : new BucketMap<>();
        Function<Map<Integer, Integer>, String> stats = striped
                ? m -> ((StripedMap<Integer, Integer>) m).statistics().toString()
                : m -> ((BucketMap<Integer, Integer>) m).statistics().toString();
        int[] live = new int[n];
        int next = 0;
        for (int i = 0; i < n; i++) {
            live[i] = next;
            map.put(next, next);
            next++;
        }
        System.out.println("after fill: " + stats.apply(map));
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 1; round <= rounds; round++) {
            for (int op = 0; op < n; op++) {
                int i = random.nextInt(n);
                map.remove(live[i]);
                live[i] = next;
                map.put(next, next);
                next++;
            }
            System.out.println("after " + round + " x " + n + " churn operations: " + stats.apply(map));
        }
        if (map.size() != n) {
            throw new IllegalStateException("size " + map.size() + ", expected " + n);
        }
    }
}
