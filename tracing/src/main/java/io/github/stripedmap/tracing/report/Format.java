package io.github.stripedmap.tracing.report;

import java.time.Duration;
import java.util.Locale;

/** Number, size and time formatting shared by the text and HTML reports. */
final class Format {

    private Format() { }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(double b) {
        double a = Math.abs(b);
        if (a < 1024) {
            return String.format(Locale.ROOT, "%.0f B", b);
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (a >= 1024 && u < units.length - 1) {
            a /= 1024;
            b /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", b, units[u]);
    }

    static String duration(Duration d) {
        if (d == null) {
            return "n/a";
        }
        return nanos(d.toNanos());
    }

    static String nanos(long ns) {
        if (ns < 1_000) {
            return ns + " ns";
        }
        if (ns < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        }
        if (ns < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f s", s);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%+,.0f/s", perSecond);
    }

    static String decimal(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
