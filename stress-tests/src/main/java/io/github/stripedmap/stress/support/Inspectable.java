package io.github.stripedmap.stress.support;

import io.github.stripedmap.core.TableStatistics;

/** What the fixtures need to look inside a map that is not a {@code StripedMap} (the negative control's). */
public interface Inspectable {

    /** @return a snapshot of the (single) table's shape */
    TableStatistics statistics();

    /** @throws IllegalStateException if the table's invariants do not hold */
    void checkInvariants();
}
