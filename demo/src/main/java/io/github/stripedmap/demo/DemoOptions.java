package io.github.stripedmap.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The demo's command-line flags, parsed and checked.
 *
 * @param size         live entries of the experiment (half inserted one by one, half in batches)
 * @param threads      threads doing each phase's writes
 * @param phases       the phases to run, in their fixed order
 * @param churnSeconds how long the churn phase runs at most
 * @param drainSeconds how long the drained map keeps serving reads and writes
 * @param out          where the recording, the HTML report and the table go
 * @param maps         which maps to run
 */
public record DemoOptions(int size, int threads, Set<Phase> phases, double churnSeconds, double drainSeconds,
                          Path out, List<MapKind> maps) {

    /** Default live entries: large enough for ConcurrentHashMap's resize to show, small enough for a minute. */
    public static final int DEFAULT_SIZE = 1_000_000;
    /** Default seconds of churn. */
    public static final double DEFAULT_CHURN_SECONDS = 5;
    /** Default seconds of serving after the drain. */
    public static final double DEFAULT_DRAIN_SECONDS = 3;
    /** Smallest size that leaves 1% after the drain. */
    public static final int MIN_SIZE = 100;
    /** Most threads accepted. */
    public static final int MAX_THREADS = 64;

    /** The usage text. */
    public static final String USAGE = String.join("\n",
            "usage: demo [--size N] [--threads T] [--phases steady,batch,churn,drain] [--churn-seconds S]",
            "            [--drain-seconds S] [--maps striped,chm] [--out DIR]",
            "  --size N           live entries (default " + DEFAULT_SIZE + ", at least " + MIN_SIZE + ")",
            "  --threads T        writer threads per phase (default 1, at most " + MAX_THREADS + ")",
            "  --phases LIST      phases to run, from steady,batch,churn,drain (default all)",
            "  --churn-seconds S  duration of the churn phase (default " + DEFAULT_CHURN_SECONDS + ")",
            "  --drain-seconds S  how long the drained map keeps serving (default " + DEFAULT_DRAIN_SECONDS + ")",
            "  --maps LIST        maps to compare, from striped,chm (default both)",
            "  --out DIR          output folder (default demo-output)");

    /** A bad flag. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param args the command line
     * @return the options
     * @throws UsageException with a one-line reason if a flag is unknown or its value is bad
     */
    public static DemoOptions parse(String... args) throws UsageException {
        int size = DEFAULT_SIZE;
        int threads = 1;
        Set<Phase> phases = EnumSet.allOf(Phase.class);
        double churn = DEFAULT_CHURN_SECONDS;
        double drain = DEFAULT_DRAIN_SECONDS;
        Path out = Path.of("demo-output");
        List<MapKind> maps = List.of(MapKind.values());
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("-h") || flag.equals("--help")) {
                throw new UsageException("");
            }
            if (i + 1 == args.length) {
                throw new UsageException(flag.startsWith("--") ? flag + " needs a value" : "unexpected argument: " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--size" -> size = intIn(flag, value, MIN_SIZE, Integer.MAX_VALUE / 4);
                case "--threads" -> threads = intIn(flag, value, 1, MAX_THREADS);
                case "--phases" -> phases = phases(value);
                case "--churn-seconds" -> churn = seconds(flag, value);
                case "--drain-seconds" -> drain = seconds(flag, value);
                case "--maps" -> maps = maps(value);
                case "--out" -> out = Path.of(value);
                default -> throw new UsageException("unknown flag: " + flag);
            }
        }
        return new DemoOptions(size, threads, phases, churn, drain, out, maps);
    }

    private static int intIn(String flag, String value, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value.replace("_", ""));
            if (n < min || n > max) {
                throw new UsageException(flag + " must be between " + min + " and " + max + ": " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " needs a whole number: " + value);
        }
    }

    private static double seconds(String flag, String value) throws UsageException {
        try {
            double s = Double.parseDouble(value);
            if (!(s >= 0 && s <= 3600)) {
                throw new UsageException(flag + " must be between 0 and 3600 seconds: " + value);
            }
            return s;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " needs a number of seconds: " + value);
        }
    }

    private static Set<Phase> phases(String value) throws UsageException {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (String name : value.split(",")) {
            try {
                phases.add(Phase.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("unknown phase: " + name + " (phases: steady, batch, churn, drain)");
            }
        }
        return phases;
    }

    private static List<MapKind> maps(String value) throws UsageException {
        List<MapKind> maps = new ArrayList<>();
        for (String name : value.split(",")) {
            MapKind kind = MapKind.byFlag(name.trim());
            if (kind == null) {
                throw new UsageException("unknown map: " + name + " (maps: striped, chm)");
            }
            if (!maps.contains(kind)) {
                maps.add(kind);
            }
        }
        return maps;
    }
}
