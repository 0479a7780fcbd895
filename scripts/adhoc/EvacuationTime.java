import io.github.stripedmap.core.BucketMap;
import io.github.stripedmap.core.TableObserver;

import java.util.Arrays;
import java.util.Random;

/**
 * Ad-hoc loop (not JMH) that splits the cost of "put-new into a growing map" into the evacuations and the
 * rest: fills a new BucketMap with N keys again and again, for ROUNDS rounds of 300 ms, with an observer
 * that reads the clock when a write's migration work starts and after each evacuated bucket. Prints, per
 * round, ns per put, ns per evacuated bucket and per moved entry (each bucket's figure includes one clock
 * read, printed beside it), and the rest per put; then the medians of the second half of the rounds.
 * Run from the repository root after building the benchmarks jar (a pre-touched heap keeps page faults
 * out of the figures on machines where first touches are slow):
 * <pre>
 *   java -Xms2g -Xmx2g -Xmn600m -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
 *        scripts/adhoc/EvacuationTime.java N ROUNDS I|S
 * </pre>
 * I is Integer keys, S String keys ("user:" + base-36 random).
 */
public class EvacuationTime {
    static long mark;
    static long evacuationNanos;
    static long buckets;
    static long moved;

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        boolean strings = args[2].equals("S");
        Object[] keys = new Object[n];
        Random random = new Random(1);
        for (int i = 0; i < n; i++) {
            int r = random.nextInt();
            keys[i] = strings ? "user:" + Integer.toString(r & 0x7fffffff, 36) : (Object) r;
        }
        TableObserver timer = new TableObserver() {
            @Override
            public void evacuationWorkStarting() {
                mark = System.nanoTime();
            }

            @Override
            public void bucketEvacuated(int oldBucket, int movedToX, int movedToY) {
                long now = System.nanoTime();
                evacuationNanos += now - mark;
                mark = now;
                buckets++;
                moved += movedToX + movedToY;
            }
        };
        double[][] results = new double[3][rounds];
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            evacuationNanos = 0;
            buckets = 0;
            moved = 0;
            long fills = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 300_000_000L) {
                BucketMap<Object, Object> map = new BucketMap<>();
                map.setObserver(timer);
                for (Object key : keys) {
                    map.put(key, key);
                }
                sink += map.size();
                fills++;
            }
            long total = System.nanoTime() - start;
            long clockStart = System.nanoTime();
            for (int i = 0; i < 1_000_000; i++) {
                mark = System.nanoTime();
            }
            long clock = (System.nanoTime() - clockStart) / 1_000_000;
            double puts = (double) fills * n;
            results[0][round] = total / puts;
            results[1][round] = evacuationNanos / (double) buckets;
            results[2][round] = (total - evacuationNanos) / puts;
            System.out.printf("round %d: %.1f ns/put; evacuation %.0f ns per bucket, %.1f per moved entry "
                    + "(clock read %d ns); the rest %.1f ns/put; %.2f moves per put%n", round, results[0][round],
                    results[1][round], evacuationNanos / (double) moved, clock, results[2][round], moved / puts);
        }
        System.out.printf("medians of rounds %d..%d: %.1f ns/put, %.0f ns per evacuated bucket, the rest %.1f ns/put (%d)%n",
                rounds / 2, rounds - 1, median(results[0]), median(results[1]), median(results[2]), sink % 10);
    }

    private static double median(double[] all) {
        double[] half = Arrays.copyOfRange(all, all.length / 2, all.length);
        Arrays.sort(half);
        return half[half.length / 2];
    }
}
