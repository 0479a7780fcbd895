package io.github.stripedmap.tracing.report;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Round ticks from zero, binary units for bytes, labels without noise. */
class TicksTest {

    @Test
    void countAxisEndsAtTheFirstRoundTickAboveTheLargestValue() {
        Ticks t = Ticks.upTo(1_000_005, Ticks.Unit.COUNT, 5);
        assertThat(t.values()).containsExactly(0, 250_000, 500_000, 750_000, 1_000_000, 1_250_000);
        assertThat(labels(t)).containsExactly("0", "250k", "500k", "750k", "1M", "1.25M");

        assertThat(Ticks.upTo(1_000_000, Ticks.Unit.COUNT, 5).top()).isEqualTo(1_000_000);
        assertThat(Ticks.upTo(60_000, Ticks.Unit.COUNT, 5).values()).containsExactly(0, 20_000, 40_000, 60_000);
    }

    @Test
    void smallCountsStepByWholeNumbers() {
        assertThat(Ticks.upTo(3, Ticks.Unit.COUNT, 5).values()).containsExactly(0, 1, 2, 3);
        assertThat(Ticks.upTo(12, Ticks.Unit.COUNT, 5).values()).containsExactly(0, 5, 10, 15); // never 2.5
        assertThat(Ticks.upTo(0, Ticks.Unit.COUNT, 5).values()).containsExactly(0, 1);
    }

    @Test
    void byteAxisUsesTheBinaryUnitOfItsLargestValue() {
        double mib = 1024.0 * 1024;
        Ticks t = Ticks.upTo(38.5 * mib, Ticks.Unit.BYTES, 5);
        assertThat(t.values()).containsExactly(0, 10 * mib, 20 * mib, 30 * mib, 40 * mib);
        assertThat(labels(t)).containsExactly("0", "10 MiB", "20 MiB", "30 MiB", "40 MiB");
        assertThat(labels(Ticks.upTo(3000, Ticks.Unit.BYTES, 5))).containsExactly("0", "1 KiB", "2 KiB", "3 KiB");
        assertThat(labels(Ticks.upTo(900, Ticks.Unit.BYTES, 5))).containsExactly("0", "200 B", "400 B", "600 B",
                "800 B", "1000 B");
        assertThat(labels(Ticks.upTo(2.2 * mib, Ticks.Unit.BYTES, 5))).containsExactly("0", "0.5 MiB", "1 MiB",
                "1.5 MiB", "2 MiB", "2.5 MiB");
    }

    @Test
    void timeAxisStopsAtItsSpan() {
        Ticks t = Ticks.within(20.34, 10);
        assertThat(t.values()).containsExactly(0, 2.5, 5, 7.5, 10, 12.5, 15, 17.5, 20);
        assertThat(labels(t)).startsWith("0 s", "2.5 s").endsWith("20 s");
        assertThat(Ticks.within(0.8, 4).values()).containsExactly(0, 0.2, 0.4, 0.6, 0.8);
    }

    private static String[] labels(Ticks t) {
        return Arrays.stream(t.values()).mapToObj(t::label).toArray(String[]::new);
    }
}
