import io.github.stripedmap.concurrent.StripedMap;
import io.github.stripedmap.core.BucketMap;

import java.util.Map;

/**
 * Ad-hoc check of how ordinary keys spread: builds MAPS maps (each with a fresh seed) of N Integer keys
 * {@code i * STRIDE} and counts the maps that ended with collision-tree entries (which at normal load need a
 * 32-entry chain, so should never happen). Run from the repository root:
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar scripts/adhoc/TreeCount.java B|S MAPS N STRIDE
 * </pre>
 * B is BucketMap, S a StripedMap with 4 stripes.
 */
public class TreeCount {
    public static void main(String[] args) {
        boolean striped = args[0].equals("S");
        int maps = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int stride = Integer.parseInt(args[3]);
        int withTree = 0;
        for (int m = 0; m < maps; m++) {
            long treeEntries;
            if (striped) {
                StripedMap<Integer, Integer> map = StripedMap.<Integer, Integer>builder().stripes(4).build();
                fill(map, n, stride);
                treeEntries = map.statistics().collisionTreeEntries();
            } else {
                BucketMap<Integer, Integer> map = new BucketMap<>();
                fill(map, n, stride);
                treeEntries = map.statistics().collisionTreeEntries();
            }
            if (treeEntries > 0) {
                withTree++;
            }
        }
        System.out.printf("%s, %d keys i * %d: %d of %d maps had collision-tree entries%n",
                striped ? "StripedMap (4 stripes)" : "BucketMap", n, stride, withTree, maps);
    }

    private static void fill(Map<Integer, Integer> map, int n, int stride) {
        for (int i = 0; i < n; i++) {
            map.put(i * stride, i);
        }
    }
}
