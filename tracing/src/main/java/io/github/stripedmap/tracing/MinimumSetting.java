package io.github.stripedmap.tracing;

import jdk.jfr.SettingControl;

import java.util.Locale;
import java.util.Set;

/**
 * A JFR setting "record only from this size up" (a threshold on a size instead of a duration), so that the
 * constant churn of tiny tables (a 64-stripe map starts as 64 one-bucket tables) can be left out of an
 * always-on recording. Several recordings combine to the smallest minimum. The value in force is also kept
 * in a static field per subclass, read by the observers before they do any work for an event.
 *
 * <p>Values: a number ({@code "64"}), optionally with a unit {@code B}, {@code KB}, {@code MB} or
 * {@code GB} (1024-based; {@code "4 KB"}).
 */
public abstract class MinimumSetting extends SettingControl {

    private String text = "0";
    private long minimum;

    /** @param value the new minimum, in force for every recording */
    abstract void publish(long value);

    @Override
    public String combine(Set<String> values) {
        String best = null;
        long bestValue = Long.MAX_VALUE;
        for (String v : values) {
            long parsed = parse(v);
            if (parsed < bestValue) {
                bestValue = parsed;
                best = v;
            }
        }
        return best == null ? "0" : best;
    }

    @Override
    public void setValue(String value) {
        this.text = value;
        this.minimum = parse(value);
        publish(minimum);
    }

    @Override
    public String getValue() {
        return text;
    }

    /** @return the minimum in force for this event type */
    long minimum() {
        return minimum;
    }

    static long parse(String value) {
        if (value == null) {
            return 0;
        }
        String s = value.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        if (s.endsWith("KB")) {
            unit = 1L << 10;
        } else if (s.endsWith("MB")) {
            unit = 1L << 20;
        } else if (s.endsWith("GB")) {
            unit = 1L << 30;
        }
        s = s.replaceAll("[A-Z]+$", "");
        try {
            return Math.max(0, Long.parseLong(s) * unit);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Growth: migrations whose table had fewer old buckets are not recorded. */
    public static final class Buckets extends MinimumSetting {
        static volatile long current;

        /** For JFR. */
        public Buckets() { }

        @Override
        void publish(long value) {
            current = value;
        }
    }

    /** Cleanup: releases of fewer bytes are not recorded. */
    public static final class Released extends MinimumSetting {
        static volatile long current;

        /** For JFR. */
        public Released() { }

        @Override
        void publish(long value) {
            current = value;
        }
    }
}
