import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.TableStatistics;

import java.util.SplittableRandom;

/**
 * Ad-hoc check of how evenly StripedMap's stripe selection spreads keys: builds MAPS maps (each with fresh
 * seeds) of N Integer keys and reports the fullest stripe relative to the mean, as the median and the worst
 * over the maps. KEYS is {@code random} (random ints: what a random function would give) or a stride
 * {@code s} (keys {@code i * s}). Run from the repository root after a package:
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar scripts/adhoc/StripeBalance.java MAPS N STRIPES KEYS
 * </pre>
 */
public class StripeBalance {
    public static void main(String[] args) {
        int maps = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int stripes = Integer.parseInt(args[2]);
        boolean random = args[3].equals("random");
        int stride = random ? 0 : Integer.parseInt(args[3]);
        double[] fullest = new double[maps];
        SplittableRandom r = new SplittableRandom(1);
        for (int m = 0; m < maps; m++) {
            StripedMap<Integer, Integer> map = StripedMap.<Integer, Integer>builder().stripes(stripes).build();
            while (map.size() < n) {
                int i = map.size();
                map.put(random ? r.nextInt() : i * stride, i);
            }
            int max = 0;
            for (TableStatistics s : map.stripeStatistics()) {
                max = Math.max(max, s.size());
            }
            fullest[m] = max / ((double) n / stripes);
        }
        java.util.Arrays.sort(fullest);
        System.out.printf("%d maps of %d keys (%s) over %d stripes: fullest stripe / mean: median %.3f, worst %.3f%n",
                maps, n, random ? "random ints" : "i * " + stride, stripes, fullest[maps / 2], fullest[maps - 1]);
    }
}
