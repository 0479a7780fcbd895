package io.github.stripedmap.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hash flooding: the time to insert {@code --count} keys into an empty map (default constructor) and then look
 * every one of them up, per map, for keys chosen to hurt hash tables, and for plain keys to compare with.
 *
 * <ul>
 *   <li>{@code collide}: {@code --count} distinct Strings sharing ONE {@code hashCode()}
 *       ({@link Keys#collidingStrings}: 17 blocks of "Aa"/"BB", 34 characters), inserted and looked up in two
 *       different shuffled orders. {@code HashMap} and {@code ConcurrentHashMap} turn such a bin into a red-black
 *       tree ordered by {@code compareTo} (String is Comparable), so they stay O(log n) per operation; a map
 *       that only chains is O(n) per operation, O(n^2) in all.</li>
 *   <li>{@code sequential}: Integer keys {@code 0 .. n-1} in order: the reference for the cases below.</li>
 *   <li>{@code high-bits}: Integer keys {@code i << 15}: hash codes that differ only in bits 15..31 (the low
 *       15 bits are all zero; {@code i << 16} would give only 65,536 distinct ints for 100,000 keys). A table that
 *       indexes by the low bits of an unmixed hash puts them all in one bucket.</li>
 *   <li>{@code low-bits}: Integer keys {@code 0x2AAA0000 | reverse17(i)}: hash codes that differ only in the low
 *       17 bits, the high 15 bits fixed (and not zero), in bit-reversed order. A table that takes a per-slot tag
 *       from the high bits of an unmixed hash gives them all one tag.</li>
 *   <li>{@code random}: Integer keys {@code mix(i)} (what the other benchmarks use): well-spread hash codes.</li>
 * </ul>
 *
 * Every map runs in its own fresh JVM (same {@code java}, class path and {@code --jvm-flags}). The child first
 * warms up (up to 5 unreported rounds at full count, each cut off at 3 s, 6 s in all; the Integer cases warm up
 * together), then runs {@code --rounds} measured rounds (the Integer cases interleaved round by round), each on a new map with
 * fresh key objects (so every round computes the Strings' hash codes once, as a real request would). A round
 * stops at {@code --budget} seconds (checked every 64 inserts or lookups); such a round reports how many inserts
 * it finished, with a quadratic extrapolation of the whole insert phase (a chaining map's insert {@code k} costs
 * {@code k} comparisons), and no later round of that case runs. {@code NonBlockingHashMap}, known to degrade on a
 * full collision, gets {@code --nbhm-count} colliding keys instead (default 20,000), and also half that many, so
 * that its growth exponent is measured and its time at {@code --count} extrapolated with it;
 * {@code ConcurrentHashMap} (the anchor of the ratios) also runs at those two counts.
 *
 * <pre>java -cp benchmarks.jar io.github.stripedmap.benchmarks.HashFlood [--count 100000] [--rounds 9]
 *     [--budget 20] [--nbhm-count 20000] [--impls HashMap,ConcurrentHashMap,BucketMap,StripedMap,NonBlockingHashMap]
 *     [--cases collide,sequential,high-bits,low-bits,random] [--jvm-flags "-Xms2g -Xmx2g -XX:+UseG1GC"]</pre>
 */
public final class HashFlood {
    /** Flags of every child JVM unless {@code --jvm-flags} says otherwise. */
    public static final String DEFAULT_JVM_FLAGS = "-Xms2g -Xmx2g -XX:+UseG1GC";
    /** All cases, in report order. */
    public static final List<String> CASES = List.of("collide", "sequential", "high-bits", "low-bits", "random");

    private static final String RESULT = "RESULT ";
    /** Warm-up rounds per case and count, at full count (not reported); see {@link #warmUp}. */
    static final int WARMUP_ROUNDS = 5;
    /** A warm-up round stops after this long (a quadratic map's flood: it has run its code enough by then). */
    static final long WARMUP_ROUND_NANOS = 3_000_000_000L;
    /** Warm-up ends once it has taken this long in all. */
    static final long WARMUP_NANOS = 6_000_000_000L;

    private HashFlood() {
    }

    /** One measured round of one map on one case. Times in nanoseconds; {@code inserted < count} if cut off. */
    public record Round(String impl, String kase, int count, int round, long insertNanos, long lookupNanos,
                        int inserted, boolean complete) {
        long totalNanos() {
            return insertNanos + lookupNanos;
        }

        /** The insert phase extrapolated quadratically to {@code count} keys (only for a cut-off round). */
        double extrapolatedInsertNanos() {
            double f = (double) count / Math.max(1, inserted);
            return insertNanos * f * f;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Args a = new Args(args, "count", "rounds", "budget", "nbhm-count", "impls", "cases", "jvm-flags");
        List<MapImpl> impls = MapImpl.list(a.get("impls",
                "HashMap,ConcurrentHashMap,BucketMap,StripedMap,NonBlockingHashMap"));
        List<String> cases = new ArrayList<>();
        for (String c : a.get("cases", String.join(",", CASES)).split(",")) {
            if (!CASES.contains(c.trim())) {
                throw new IllegalArgumentException("unknown case '" + c + "'; known: " + CASES);
            }
            cases.add(c.trim());
        }
        run(impls, cases, a.getInt("count", 100_000), a.getInt("nbhm-count", 20_000), a.getInt("rounds", 9),
                Double.parseDouble(a.get("budget", "20")), a.get("jvm-flags", DEFAULT_JVM_FLAGS), System.out);
    }

    /** Runs every map in its own JVM; prints the tables and returns every round. */
    public static List<Round> run(List<MapImpl> impls, List<String> cases, int count, int nbhmCount, int rounds,
                                  double budgetSeconds, String jvmFlags, PrintStream out)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> flags = PutLatency.splitFlags(jvmFlags);
        out.println("Hash flooding: insert " + String.format(Locale.ROOT, "%,d", count) + " keys into an empty map,"
                + " then look each one up; " + WARMUP_ROUNDS + " warm-up rounds (each cut off at "
                + WARMUP_ROUND_NANOS / 1_000_000_000 + " s, all at " + WARMUP_NANOS / 1_000_000_000 + " s), then "
                + rounds
                + " rounds, budget " + budgetSeconds + " s per round; NonBlockingHashMap gets "
                + String.format(Locale.ROOT, "%,d", nbhmCount) + " (and " + String.format(Locale.ROOT, "%,d",
                nbhmCount / 2) + ") colliding keys.");
        out.println("Each map in a fresh JVM: " + java + " " + String.join(" ", flags));
        out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.println();
        List<Round> all = new ArrayList<>();
        for (MapImpl impl : impls) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(flags);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(HashFlood.class.getName());
            cmd.add("--child");
            cmd.addAll(List.of(impl.name(), String.join(",", cases), Integer.toString(count),
                    Integer.toString(nbhmCount), Integer.toString(rounds), Double.toString(budgetSeconds)));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader br = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = br.readLine()) != null; ) {
                    if (line.startsWith(RESULT)) {
                        Map<String, String> kv = parse(line.substring(RESULT.length()));
                        Round r = new Round(kv.get("impl"), kv.get("case"), Integer.parseInt(kv.get("count")),
                                Integer.parseInt(kv.get("round")), Long.parseLong(kv.get("insert")),
                                Long.parseLong(kv.get("lookup")), Integer.parseInt(kv.get("inserted")),
                                Boolean.parseBoolean(kv.get("complete")));
                        all.add(r);
                        out.printf(Locale.ROOT, "  [%s] %-10s n=%,d round %d: insert %s, lookup %s%s%n", r.impl(),
                                r.kase(), r.count(), r.round(), ms(r.insertNanos()), ms(r.lookupNanos()),
                                r.complete() ? "" : String.format(Locale.ROOT,
                                        "  CUT OFF after %,d inserts (extrapolated insert phase %s)", r.inserted(),
                                        ms(r.extrapolatedInsertNanos())));
                    } else {
                        out.println("  [" + impl.name() + "] " + line);
                    }
                }
            }
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException("child for " + impl + " failed (exit " + rc + "): " + cmd);
            }
        }
        out.println();
        printTables(impls, cases, count, all, out);
        return all;
    }

    /** Median over the complete rounds of one map, case and count; null if none completed. */
    static Double medianTotal(List<Round> all, String impl, String kase, int count) {
        double[] v = all.stream().filter(r -> r.impl().equals(impl) && r.kase().equals(kase) && r.count() == count
                && r.complete()).mapToDouble(Round::totalNanos).toArray();
        return v.length == 0 ? null : PutLatency.median(v);
    }

    private static double median(List<Round> rs, java.util.function.ToDoubleFunction<Round> f) {
        return PutLatency.median(rs.stream().mapToDouble(f).toArray());
    }

    static void printTables(List<MapImpl> impls, List<String> cases, int count, List<Round> all, PrintStream out) {
        String anchor = MapImpl.ConcurrentHashMap.name();
        if (cases.contains("collide")) {
            out.println("| map | colliding keys | insert | lookup | total | per key (insert + lookup) | vs "
                    + anchor + " | rounds |");
            out.println("|---|---:|---:|---:|---:|---:|---:|---|");
            for (MapImpl impl : impls) {
                List<Integer> counts = all.stream().filter(r -> r.impl().equals(impl.name())
                        && r.kase().equals("collide")).map(Round::count).distinct().sorted().toList();
                for (int n : counts) {
                    List<Round> rs = all.stream().filter(r -> r.impl().equals(impl.name())
                            && r.kase().equals("collide") && r.count() == n).toList();
                    List<Round> done = rs.stream().filter(Round::complete).toList();
                    Double base = medianTotal(all, anchor, "collide", n);
                    if (!done.isEmpty()) {
                        double total = median(done, Round::totalNanos);
                        out.printf(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %d, median |%n", impl.name(), n,
                                ms(median(done, Round::insertNanos)), ms(median(done, Round::lookupNanos)),
                                ms(total), ns(total / n), base == null ? "(not run at this count)"
                                        : String.format(Locale.ROOT, "**%.1f×**", total / base), done.size());
                    }
                    for (Round r : rs) {
                        if (!r.complete()) {
                            out.printf(Locale.ROOT, "| %s | %,d | > %s (cut off after %,d inserts) | not run | > %s |"
                                            + " | %s | round %d cut off at the budget |%n", impl.name(), n,
                                    ms(r.insertNanos()), r.inserted(), ms(r.insertNanos()),
                                    base == null ? "" : String.format(Locale.ROOT, "> %.0f× (inserts alone,"
                                            + " extrapolated: %.0f×)", r.insertNanos() / base,
                                            r.extrapolatedInsertNanos() / base), r.round());
                        }
                    }
                }
                if (counts.size() == 2) {
                    Double small = medianTotal(all, impl.name(), "collide", counts.get(0));
                    Double big = medianTotal(all, impl.name(), "collide", counts.get(1));
                    if (small != null && big != null) {
                        double exponent = Math.log(big / small) / Math.log((double) counts.get(1) / counts.get(0));
                        double at = big * Math.pow((double) count / counts.get(1), exponent);
                        Double base = medianTotal(all, anchor, "collide", count);
                        out.printf(Locale.ROOT, "| %s (extrapolated) | %,d | | | ~%s | | %s | time ∝ n^%.2f measured"
                                        + " between %,d and %,d keys |%n", impl.name(), count, ms(at),
                                base == null ? "" : String.format(Locale.ROOT, "~%.0f×", at / base), exponent,
                                counts.get(0), counts.get(1));
                    }
                }
            }
            out.println();
        }
        List<String> plain = cases.stream().filter(c -> !c.equals("collide")).toList();
        if (!plain.isEmpty()) {
            StringBuilder h = new StringBuilder("| map |");
            StringBuilder rule = new StringBuilder("|---|");
            for (String c : plain) {
                h.append(' ').append(c).append(c.equals("sequential") ? " (reference)" : " (vs sequential)")
                        .append(" |");
                rule.append("---:|");
            }
            out.println(h);
            out.println(rule);
            for (MapImpl impl : impls) {
                StringBuilder row = new StringBuilder("| " + impl.name() + " |");
                Double seq = medianTotal(all, impl.name(), "sequential", count);
                for (String c : plain) {
                    Double t = medianTotal(all, impl.name(), c, count);
                    if (t == null) {
                        boolean cut = all.stream().anyMatch(r -> r.impl().equals(impl.name()) && r.kase().equals(c)
                                && !r.complete());
                        row.append(cut ? " > budget |" : " |");
                    } else if (c.equals("sequential") || seq == null) {
                        row.append(' ').append(ms(t)).append(" |");
                    } else {
                        row.append(String.format(Locale.ROOT, " %s (**%.2f×**) |", ms(t), t / seq));
                    }
                }
                out.println(row);
            }
            out.println();
            out.println("Insert + lookup of " + String.format(Locale.ROOT, "%,d", count)
                    + " Integer keys, median of the rounds; in brackets the time relative to the same map's"
                    + " sequential keys.");
        }
    }

    // ---------------------------------------------------------------------------------------------- child

    private static void child(String[] args) {
        MapImpl impl = MapImpl.of(args[0]);
        List<String> cases = List.of(args[1].split(","));
        int count = Integer.parseInt(args[2]);
        int nbhmCount = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        long budget = (long) (Double.parseDouble(args[5]) * 1e9);
        long sink = 0;
        if (cases.contains("collide")) {
            List<Integer> counts = List.of(count);
            if (impl == MapImpl.NonBlockingHashMap) {
                counts = List.of(nbhmCount / 2, nbhmCount);
            } else if (impl == MapImpl.ConcurrentHashMap && nbhmCount < count) {
                counts = List.of(nbhmCount / 2, nbhmCount, count); // the anchor at NonBlockingHashMap's counts too
            }
            for (int n : counts) {
                sink += warmUp(impl, List.of("collide"), n, budget);
                for (int r = 1; r <= rounds; r++) {
                    if (!report(round(impl, "collide", n, r, budget), sink)) {
                        break;
                    }
                }
            }
        }
        // the other cases interleaved round by round, so that a noisy moment of the machine hits all of them
        List<String> plain = new ArrayList<>(cases);
        plain.remove("collide");
        sink += warmUp(impl, plain, count, budget);
        for (int r = 1; r <= rounds; r++) {
            for (java.util.Iterator<String> it = plain.iterator(); it.hasNext(); ) {
                if (!report(round(impl, it.next(), count, r, budget), sink)) {
                    it.remove();
                }
            }
        }
    }

    /**
     * Up to {@link #WARMUP_ROUNDS} rounds of every case at full count, each cut off at
     * {@link #WARMUP_ROUND_NANOS} (or the budget), ending early once {@link #WARMUP_NANOS} have been spent.
     */
    private static long warmUp(MapImpl impl, List<String> cases, int n, long budget) {
        long sink = 0;
        long spent = 0;
        for (int w = 0; w < WARMUP_ROUNDS && spent < WARMUP_NANOS; w++) {
            for (String kase : cases) {
                Round res = round(impl, kase, n, 0, Math.min(budget, WARMUP_ROUND_NANOS));
                spent += res.totalNanos();
                sink += res.inserted();
            }
        }
        return sink;
    }

    /** Prints a round for the parent; returns whether it completed. */
    private static boolean report(Round res, long sink) {
        System.out.println(RESULT + "impl=" + res.impl() + " case=" + res.kase() + " count=" + res.count() + " round="
                + res.round() + " insert=" + res.insertNanos() + " lookup=" + res.lookupNanos() + " inserted="
                + res.inserted() + " complete=" + res.complete() + " sink=" + (sink & 1));
        return res.complete();
    }

    /** Fresh key objects for one round: {@code [0]} to insert, {@code [1]} equal copies to look up. */
    static Object[][] keys(String kase, int n) {
        Object[] insert = new Object[n];
        Object[] lookup = new Object[n];
        if (kase.equals("collide")) {
            String[] s = Keys.collidingStrings(n);
            for (int i = 0; i < n; i++) {
                insert[i] = new String(s[i].toCharArray()); // hash not yet computed
                lookup[i] = new String(s[i].toCharArray());
            }
            Keys.shuffle(insert, 1);
            Keys.shuffle(lookup, 2);
            return new Object[][] {insert, lookup};
        }
        for (int i = 0; i < n; i++) {
            int v = switch (kase) {
                case "sequential" -> i;
                case "high-bits" -> i << 15;
                case "low-bits" -> 0x2AAA0000 | (Integer.reverse(i) >>> 15);
                case "random" -> Keys.mix(i);
                default -> throw new IllegalArgumentException("unknown case " + kase);
            };
            insert[i] = Integer.valueOf(v);
            lookup[i] = Integer.valueOf(v);
        }
        Keys.shuffle(lookup, 2);
        return new Object[][] {insert, lookup};
    }

    /** One round on a new map: inserts, then lookups, stopping at the budget. */
    static Round round(MapImpl impl, String kase, int n, int roundNumber, long budgetNanos) {
        Object[][] k = keys(kase, n);
        Object[] insert = k[0];
        Object[] lookup = k[1];
        Map<Object, Object> m = impl.create();
        Object value = Boolean.TRUE;
        long t0 = System.nanoTime();
        long deadline = t0 + budgetNanos;
        int i = 0;
        while (i < n) {
            int end = Math.min(n, i + 64);
            for (; i < end; i++) {
                m.put(insert[i], value);
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        long t1 = System.nanoTime();
        if (i < n) {
            return new Round(impl.name(), kase, n, roundNumber, t1 - t0, 0, i, false);
        }
        int found = 0;
        int j = 0;
        while (j < n) {
            int end = Math.min(n, j + 64);
            for (; j < end; j++) {
                if (m.get(lookup[j]) == value) {
                    found++;
                }
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        long t2 = System.nanoTime();
        if (j < n) {
            return new Round(impl.name(), kase, n, roundNumber, t1 - t0, t2 - t1, n, false);
        }
        if (m.size() != n || found != n) {
            throw new IllegalStateException(impl + " " + kase + ": size " + m.size() + ", found " + found + " of " + n);
        }
        if (roundNumber == 1 && kase.equals("collide")) {
            String stats = impl.describe(m);
            if (!stats.isEmpty()) {
                System.out.println("after " + n + " colliding keys: " + stats);
            }
        }
        return new Round(impl.name(), kase, n, roundNumber, t1 - t0, t2 - t1, n, true);
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String tok : line.trim().split("\\s+")) {
            int eq = tok.indexOf('=');
            if (eq > 0) {
                kv.put(tok.substring(0, eq), tok.substring(eq + 1));
            }
        }
        return kv;
    }

    static String ms(double nanos) {
        if (nanos >= 10e9) {
            return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
        }
        if (nanos >= 100e6) {
            return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
        }
        if (nanos >= 1e6) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    static String ns(double nanos) {
        if (nanos >= 10_000) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f ns", nanos);
    }
}
