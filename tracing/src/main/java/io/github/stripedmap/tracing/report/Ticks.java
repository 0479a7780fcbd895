package io.github.stripedmap.tracing.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The ticks of one chart axis: round values (steps of 1, 2, 2.5 or 5 times a power of ten, in binary
 * units for bytes) from zero, and their labels.
 */
final class Ticks {

    /** What an axis measures, which decides its steps and labels. */
    enum Unit {
        /** Whole numbers, labelled compactly ({@code 250k}, {@code 1.5M}). */
        COUNT,
        /** Bytes, labelled in the binary unit of the largest value ({@code 10 MiB}). */
        BYTES,
        /** Seconds ({@code 2.5 s}). */
        SECONDS
    }

    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final double KIBI = 1024;

    private final Unit unit;
    private final double[] values;
    /** Bytes: the binary unit the labels use; otherwise 1. */
    private final double scale;
    private final String scaleName;

    private Ticks(Unit unit, double[] values, double scale, String scaleName) {
        this.unit = unit;
        this.values = values;
        this.scale = scale;
        this.scaleName = scaleName;
    }

    /**
     * Ticks for a value axis: from 0 up to the first tick at or above {@code max}, so every value fits.
     *
     * @param max    the largest value drawn (0 or less gives an axis up to one step)
     * @param unit   what the values are
     * @param target about how many steps
     * @return the ticks; the last one is the axis's top
     */
    static Ticks upTo(double max, Unit unit, int target) {
        double scale = scaleFor(max, unit);
        double m = Math.max(max, 0) / scale;
        double step = step(m > 0 ? m : 1, unit == Unit.COUNT && scale == 1, target);
        int n = Math.max(1, (int) Math.ceil(m / step - 1e-9));
        double[] v = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            v[i] = clean(i * step) * scale;
        }
        return new Ticks(unit, v, scale, unit == Unit.BYTES ? BYTE_UNITS[unitIndex(scale)] : "");
    }

    /**
     * Ticks for a time axis: from 0 up to {@code span} (the axis ends at {@code span}, not at a tick).
     *
     * @param span   seconds the axis covers
     * @param target about how many steps
     * @return the ticks, none beyond {@code span}
     */
    static Ticks within(double span, int target) {
        double s = span > 0 ? span : 1;
        double step = step(s, false, target);
        int n = (int) Math.floor(s / step + 1e-9);
        double[] v = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            v[i] = clean(i * step);
        }
        return new Ticks(Unit.SECONDS, v, 1, "s");
    }

    /** @return the tick values, ascending, the first one 0 */
    double[] values() {
        return values.clone();
    }

    /** @return the last tick */
    double top() {
        return values[values.length - 1];
    }

    /**
     * @param v a tick value
     * @return its label
     */
    String label(double v) {
        return switch (unit) {
            case COUNT -> compact(v);
            case BYTES -> v == 0 ? "0" : plain(v / scale) + " " + scaleName;
            case SECONDS -> plain(v) + " s";
        };
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code max / target}; 2.5 only if whole steps are not required or it is whole. */
    private static double step(double max, boolean whole, int target) {
        double raw = max / Math.max(1, target);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / magnitude;
        double step;
        if (norm <= 1) {
            step = 1;
        } else if (norm <= 2) {
            step = 2;
        } else if (norm <= 2.5 && (!whole || magnitude >= 10)) {
            step = 2.5;
        } else if (norm <= 5) {
            step = 5;
        } else {
            step = 10;
        }
        step *= magnitude;
        return whole ? Math.max(1, Math.rint(step)) : step;
    }

    /** Removes binary noise: {@code 3 * 0.2} is 0.6, not 0.6000000000000001. */
    private static double clean(double v) {
        return new BigDecimal(v).round(new MathContext(12)).doubleValue();
    }

    private static double scaleFor(double max, Unit unit) {
        if (unit != Unit.BYTES) {
            return 1;
        }
        double scale = 1;
        for (int i = 1; i < BYTE_UNITS.length && max >= scale * KIBI; i++) {
            scale *= KIBI;
        }
        return scale;
    }

    private static int unitIndex(double scale) {
        int i = 0;
        for (double s = scale; s >= KIBI; s /= KIBI) {
            i++;
        }
        return i;
    }

    /** {@code 0}, {@code 750}, {@code 2.5k}, {@code 250k}, {@code 1.25M}, {@code 3G}. */
    static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return plain(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return plain(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return plain(v / 1e3) + "k";
        }
        return plain(v);
    }

    /** At most three decimals, no trailing zeros. */
    static String plain(double v) {
        return BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
