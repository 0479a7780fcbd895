import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Ad-hoc loop (not JMH): what a {@code put} costs when the map's reference arrays are large, which G1 allocates
 * as humongous objects once they reach half a region. {@code overwrite} fills a map with {@code N} Integer keys,
 * then times rounds of {@code put} of every key (shuffled) with a new value; {@code grow} times rounds of filling
 * a fresh map from empty to {@code N}. Prints ns per put of rounds 4 to 10 (the first three are warm-up). Maps:
 * {@code B} (BucketMap), {@code H} (HashMap), {@code S<n>} (StripedMap with {@code n} stripes: with fewer stripes
 * each stripe's arrays are larger). Run from the repository root after building the benchmarks jar:
 * <pre>
 *   java -Xms3g -Xmx3g -XX:+AlwaysPreTouch -XX:+UseG1GC|-XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar \
 *        scripts/adhoc/LargeArrayStores.java overwrite|grow B|H|S16|S32|S64 [N, default 1000000]
 * </pre>
 */
public class LargeArrayStores {
    private static final int ROUNDS = 10;
    private static final int WARM_UP_ROUNDS = 3;

    public static void main(String[] args) {
        boolean grow = args[0].equals("grow");
        String impl = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        Integer[] keys = new Integer[n];
        Integer[] values = new Integer[n];
        for (int i = 0; i < n; i++) {
            keys[i] = i * 0x9E3779B9; // distinct: the multiplier is odd
            values[i] = -i;
        }
        Map<Integer, Integer> map = newMap(impl);
        Integer[] order = keys.clone();
        if (!grow) {
            for (int i = 0; i < n; i++) {
                map.put(keys[i], i);
            }
            Collections.shuffle(Arrays.asList(order), new Random(42));
        }
        long check = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            if (grow) {
                map = newMap(impl);
            }
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                map.put(order[i], values[i]);
            }
            long ns = System.nanoTime() - start;
            check += map.size();
            if (round > WARM_UP_ROUNDS) {
                System.out.printf("%s %s round %d: %.1f ns per put%n", args[0], impl, round, ns / (double) n);
            }
        }
        if (check != (long) ROUNDS * n) {
            throw new AssertionError("sizes " + check);
        }
    }

    private static Map<Integer, Integer> newMap(String impl) {
        switch (impl) {
            case "B":
                return new BucketMap<>();
            case "H":
                return new HashMap<>();
            default:
                return StripedMap.builder().stripes(Integer.parseInt(impl.substring(1))).build();
        }
    }
}
