import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Ad-hoc loop (not JMH): the thread-CPU and wall time of allocating 2^26 references (256 MiB with compressed
 * references, the slots of a 2^22-bucket table, what a 10M-entry BucketMap's last doubling allocates) either as one
 * array ({@code one}: a G1 humongous object) or as 1,024 arrays of 2^16 ({@code seg}: the 256 KiB slot segments of
 * {@code BucketArray}). Prints rounds 4 to 8. Run from the repository root:
 * <pre>
 *   java -Xms8g -Xmx8g -XX:+AlwaysPreTouch -XX:+UseG1GC scripts/adhoc/SegmentAllocation.java one|seg
 * </pre>
 */
public class SegmentAllocation {
    private static final int ROUNDS = 8;
    private static final int WARM_UP_ROUNDS = 3;
    private static final int SEGMENTS = 1 << 10;
    private static final int SEGMENT_WORDS = 1 << 16;

    public static void main(String[] args) {
        boolean one = args[0].equals("one");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long check = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            Object kept;
            if (one) {
                kept = new Object[SEGMENTS * SEGMENT_WORDS];
            } else {
                Object[][] segments = new Object[SEGMENTS][];
                for (int i = 0; i < SEGMENTS; i++) {
                    segments[i] = new Object[SEGMENT_WORDS];
                }
                kept = segments;
            }
            long cpuNs = threads.getCurrentThreadCpuTime() - cpu;
            long wallNs = System.nanoTime() - wall;
            check += kept.hashCode() & 1;
            if (round > WARM_UP_ROUNDS) {
                System.out.printf("%s round %d: cpu %.1f ms, wall %.1f ms%n", args[0], round, cpuNs / 1e6, wallNs / 1e6);
            }
            kept = null;
            System.gc();
        }
        System.out.println("(check " + check + ")");
    }
}
