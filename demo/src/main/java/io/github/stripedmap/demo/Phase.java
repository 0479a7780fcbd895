package io.github.stripedmap.demo;

/** The four phases of the map-leak experiment, in the order they run. */
public enum Phase {
    /** Insert half of the keys one by one. */
    STEADY("steady", "put"),
    /** Insert the other half with {@code putAll} of chunks. */
    BATCH("batch", "putAll of " + Workload.BATCH),
    /** A cache with a time-to-live: each new key expires the oldest, so the live size stays constant. */
    CHURN("churn", "put + expiry"),
    /** Delete 99% of the keys, then keep serving reads and a few writes. */
    DRAIN("drain", "remove, then 1% writes");

    private final String label;
    private final String operation;

    Phase(String label, String operation) {
        this.label = label;
        this.operation = operation;
    }

    /** @return the lower-case name used in flags and tables */
    public String label() {
        return label;
    }

    /** @return what one timed operation of the phase is */
    public String operation() {
        return operation;
    }
}
