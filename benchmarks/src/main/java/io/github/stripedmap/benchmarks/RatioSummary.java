package io.github.stripedmap.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JMH CSV result files ({@code -rf csv}) of repeated runs, possibly at different thread counts, and prints
 * one markdown row per benchmark, key type, size and thread count: the median score of every map (min–max over
 * the runs in brackets) and the speed of one map relative to the others (their median time / its median time,
 * so above 1.00 it is faster). Scores must be times (ns/op, ms/op, ...), as in the benchmarks of this module.
 *
 * <pre>java -cp benchmarks.jar io.github.stripedmap.benchmarks.RatioSummary [--map StripedMap]
 *     [--vs ConcurrentHashMap,NonBlockingHashMap] run-1-t1.csv run-1-t2.csv ...</pre>
 */
public final class RatioSummary {
    private RatioSummary() {
    }

    /** One group of scores: a benchmark at one parameter set and one thread count. */
    record Key(String benchmark, String unit, String keyType, String size, int threads) {
    }

    public static void main(String[] args) throws IOException {
        String map = "StripedMap";
        String vs = "ConcurrentHashMap,NonBlockingHashMap";
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--map" -> map = args[++i];
                case "--vs" -> vs = args[++i];
                default -> files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: RatioSummary [--map NAME] [--vs NAME,NAME] result.csv...");
            System.exit(2);
        }
        summarize(files, map, List.of(vs.split(",")), System.out);
    }

    /** Prints the table; returns the medians by group and map (for tests). */
    public static Map<Key, Map<String, Double>> summarize(List<Path> files, String map, List<String> others,
                                                          PrintStream out) throws IOException {
        Map<Key, Map<String, List<Double>>> scores = new LinkedHashMap<>();
        List<String> benchmarkOrder = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                continue;
            }
            List<String> head = JmhSummary.csv(lines.get(0));
            int bench = head.indexOf("Benchmark");
            int threads = head.indexOf("Threads");
            int score = head.indexOf("Score");
            int unit = head.indexOf("Unit");
            int impl = head.indexOf("Param: impl");
            int keyType = head.indexOf("Param: keyType");
            int size = head.indexOf("Param: size");
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> c = JmhSummary.csv(line);
                String name = c.get(bench);
                name = name.substring(name.lastIndexOf('.') + 1);
                if (!benchmarkOrder.contains(name)) {
                    benchmarkOrder.add(name);
                }
                Key k = new Key(name, c.get(unit), keyType < 0 ? "" : c.get(keyType), size < 0 ? "" : c.get(size),
                        Integer.parseInt(c.get(threads)));
                scores.computeIfAbsent(k, x -> new LinkedHashMap<>())
                        .computeIfAbsent(impl < 0 ? "?" : c.get(impl), x -> new ArrayList<>())
                        .add(Double.parseDouble(c.get(score)));
            }
        }
        List<Key> keys = new ArrayList<>(scores.keySet());
        keys.sort(Comparator.comparingInt((Key k) -> benchmarkOrder.indexOf(k.benchmark()))
                .thenComparing(Key::keyType).thenComparing(Key::size).thenComparingInt(Key::threads));
        List<String> impls = new ArrayList<>();
        impls.add(map);
        impls.addAll(others);
        StringBuilder h = new StringBuilder("| benchmark | key | size | threads |");
        StringBuilder rule = new StringBuilder("|---|---|---:|---:|");
        for (String i : impls) {
            h.append(' ').append(i).append(" |");
            rule.append("---:|");
        }
        for (String o : others) {
            h.append(" speed vs ").append(o).append(" |");
            rule.append("---:|");
        }
        out.println(h);
        out.println(rule);
        int maxRuns = 0;
        Map<Key, Map<String, Double>> medians = new LinkedHashMap<>();
        for (Key k : keys) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %s | %d |", k.benchmark(),
                    k.keyType(), size(k.size()), k.threads()));
            Map<String, Double> med = new LinkedHashMap<>();
            for (String i : impls) {
                List<Double> v = scores.get(k).getOrDefault(i, List.of());
                maxRuns = Math.max(maxRuns, v.size());
                if (v.isEmpty()) {
                    row.append(" |");
                    continue;
                }
                double m = JmhSummary.median(v);
                med.put(i, m);
                row.append(' ').append(num(m)).append(' ').append(k.unit());
                if (v.size() > 1) {
                    double lo = v.stream().mapToDouble(Double::doubleValue).min().orElse(m);
                    double hi = v.stream().mapToDouble(Double::doubleValue).max().orElse(m);
                    row.append(" (").append(num(lo)).append("–").append(num(hi)).append(')');
                }
                row.append(" |");
            }
            for (String o : others) {
                Double mine = med.get(map);
                Double theirs = med.get(o);
                row.append(mine == null || theirs == null ? " |"
                        : String.format(Locale.ROOT, " **%.2f** |", theirs / mine));
            }
            medians.put(k, med);
            out.println(row);
        }
        out.println();
        out.println("Median of " + maxRuns + " run(s) (min–max in brackets), time per operation per thread (lower is"
                + " better); speed = other map's median time / " + map + "'s median time (above 1.00: " + map
                + " is faster).");
        return medians;
    }

    private static String size(String s) {
        try {
            return String.format(Locale.ROOT, "%,d", Long.parseLong(s));
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static String num(double v) {
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
