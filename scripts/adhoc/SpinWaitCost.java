/**
 * Ad-hoc timing of {@link Thread#onSpinWait()} on this machine (it compiles to the CPU's pause instruction,
 * whose length differs between processors): the spin phase of {@code MutationVersion.awaitClosedWindow} is
 * {@code SPINS_BEFORE_YIELD} of them. Run from the repository root:
 * <pre>
 *   java scripts/adhoc/SpinWaitCost.java
 * </pre>
 */
public class SpinWaitCost {
    private static final int CALLS = 10_000_000;
    private static final int ROUNDS = 5;
    private static final int SPINS_BEFORE_YIELD = 64;

    public static void main(String[] args) {
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                Thread.onSpinWait();
            }
            double each = (System.nanoTime() - start) / (double) CALLS;
            System.out.printf("%.1f ns per onSpinWait; %d of them: %.2f us%n",
                    each, SPINS_BEFORE_YIELD, each * SPINS_BEFORE_YIELD / 1000);
        }
    }
}
