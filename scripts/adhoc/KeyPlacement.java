import io.github.stripedmap.benchmarks.Keys;
import io.github.stripedmap.benchmarks.MapImpl;
import org.openjdk.jol.vm.VM;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ad-hoc diagnostic of a hypothesis (refuted, see docs/BENCHMARKS.md): that the garbage collector leaves a
 * node-based map's String keys beside their byte arrays and their nodes, and an array-based map's keys
 * apart from their bytes. Fills a map as {@code MapBenchmark}'s {@code Filled} state does (keys, then values,
 * then the puts), allocates garbage so that young collections run, and reports how many stored keys have
 * their bytes within one cache line after the String object; for ConcurrentHashMap also how far each bin's
 * first node is from its key (reflection into its table). Run from the repository root after a package:
 * <pre>
 *   java -Xms3g -Xmx3g -XX:+UseG1GC --add-opens java.base/java.lang=ALL-UNNAMED \
 *        --add-opens java.base/java.util.concurrent=ALL-UNNAMED \
 *        -cp benchmarks/target/benchmarks.jar scripts/adhoc/KeyPlacement.java IMPL [SIZE]
 * </pre>
 * IMPL is a {@code MapImpl} name (HashMap, BucketMap, ConcurrentHashMap, StripedMap, ...).
 */
public class KeyPlacement {
    /** Bytes of a cache line. */
    private static final long LINE = 64;
    /** Garbage allocated after the fill, so that young collections copy what the fill left in eden. */
    private static final int GARBAGE_ROUNDS = 200;

    public static void main(String[] args) throws Exception {
        MapImpl impl = MapImpl.valueOf(args[0]);
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Object[] keys = Keys.keys(Keys.KeyType.String, 0, size);
        Object[] values = new Object[size];
        for (int i = 0; i < size; i++) {
            values[i] = Keys.mix(~i);
        }
        Map<Object, Object> map = impl.create();
        for (int i = 0; i < size; i++) {
            map.put(keys[i], values[i]);
        }
        keys = null; // from here only the map holds the keys: the collector reaches them through it
        long sink = 0;
        for (int r = 0; r < GARBAGE_ROUNDS; r++) {
            sink += new byte[1 << 20].length;
        }
        Field value = String.class.getDeclaredField("value");
        value.setAccessible(true);
        long near = 0;
        long after = 0;
        long n = 0;
        for (Object k : map.keySet()) {
            long s = VM.current().addressOf(k);
            long b = VM.current().addressOf(value.get(k));
            long d = b - s;
            if (d > 0) {
                after++;
            }
            if (d > 0 && d < LINE) {
                near++;
            }
            n++;
        }
        System.out.printf("%s: %d keys; bytes within %d B after the String: %.1f%%; bytes after the String at all: %.1f%% (%d)%n",
                impl, n, LINE, 100.0 * near / n, 100.0 * after / n, sink & 1);
        if (map instanceof ConcurrentHashMap) {
            nodeToKey(map);
        }
    }

    /** For each bin's first node of a ConcurrentHashMap: is its key within a cache line of it? */
    private static void nodeToKey(Map<Object, Object> map) throws Exception {
        Field table = ConcurrentHashMap.class.getDeclaredField("table");
        table.setAccessible(true);
        Field key = Class.forName("java.util.concurrent.ConcurrentHashMap$Node").getDeclaredField("key");
        key.setAccessible(true);
        long near = 0;
        long n = 0;
        for (Object node : (Object[]) table.get(map)) {
            if (node != null) {
                n++;
                if (Math.abs(VM.current().addressOf(key.get(node)) - VM.current().addressOf(node)) < LINE) {
                    near++;
                }
            }
        }
        System.out.printf("ConcurrentHashMap: %d bins' first nodes; key within %d B of its node: %.1f%%%n",
                n, LINE, 100.0 * near / n);
    }
}
