package io.github.stripedmap.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads JMH CSV result files ({@code -rf csv}) of repeated runs and prints a markdown table: per benchmark and
 * parameters, the median score of each map implementation, the spread over runs, and the ratio to HashMap
 * expressed as speed (HashMap time / map time, so above 1.00 means faster than HashMap).
 *
 * <pre>java -cp benchmarks.jar io.github.stripedmap.benchmarks.JmhSummary run-1.csv run-2.csv ...</pre>
 */
public final class JmhSummary {
    private JmhSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: JmhSummary result.csv...");
            System.exit(2);
        }
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            files.add(Path.of(a));
        }
        summarize(files, System.out);
    }

    public static void summarize(List<Path> files, PrintStream out) throws IOException {
        // key: benchmark | other params ; value: impl -> scores
        Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();
        Set<String> impls = new LinkedHashSet<>();
        String unit = "";
        List<String> otherParamNames = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                continue;
            }
            List<String> head = csv(lines.get(0));
            int bench = head.indexOf("Benchmark");
            int score = head.indexOf("Score");
            int unitCol = head.indexOf("Unit");
            int implCol = head.indexOf("Param: impl");
            List<Integer> others = new ArrayList<>();
            otherParamNames.clear();
            for (int i = 0; i < head.size(); i++) {
                if (head.get(i).startsWith("Param: ") && i != implCol) {
                    others.add(i);
                    otherParamNames.add(head.get(i).substring("Param: ".length()));
                }
            }
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> c = csv(line);
                String name = c.get(bench);
                name = name.substring(name.lastIndexOf('.') + 1);
                StringBuilder key = new StringBuilder(name);
                for (int i : others) {
                    key.append('|').append(c.get(i));
                }
                String impl = implCol >= 0 ? c.get(implCol) : "?";
                impls.add(impl);
                unit = c.get(unitCol);
                scores.computeIfAbsent(key.toString(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(impl, k -> new ArrayList<>())
                        .add(Double.parseDouble(c.get(score)));
            }
        }
        StringBuilder h = new StringBuilder("| benchmark |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String p : otherParamNames) {
            h.append(' ').append(p).append(" |");
            rule.append("---:|");
        }
        for (String impl : impls) {
            h.append(' ').append(impl).append(" (").append(unit).append(") |");
            rule.append("---:|");
        }
        for (String impl : impls) {
            if (!impl.equals("HashMap")) {
                h.append(" speed ").append(impl).append(" vs HashMap |");
                rule.append("---:|");
            }
        }
        out.println(h);
        out.println(rule);
        int maxRuns = 0;
        for (Map.Entry<String, Map<String, List<Double>>> e : scores.entrySet()) {
            String[] parts = e.getKey().split("\\|");
            StringBuilder row = new StringBuilder("| " + parts[0] + " |");
            for (int i = 1; i < parts.length; i++) {
                row.append(' ').append(parts[i]).append(" |");
            }
            Map<String, Double> med = new LinkedHashMap<>();
            for (String impl : impls) {
                List<Double> v = e.getValue().getOrDefault(impl, List.of());
                maxRuns = Math.max(maxRuns, v.size());
                if (v.isEmpty()) {
                    row.append(" |");
                    continue;
                }
                double m = median(v);
                med.put(impl, m);
                double lo = v.stream().mapToDouble(Double::doubleValue).min().orElse(m);
                double hi = v.stream().mapToDouble(Double::doubleValue).max().orElse(m);
                row.append(' ').append(num(m));
                if (v.size() > 1) {
                    row.append(" (").append(num(lo)).append("–").append(num(hi)).append(')');
                }
                row.append(" |");
            }
            Double base = med.get("HashMap");
            for (String impl : impls) {
                if (!impl.equals("HashMap")) {
                    Double m = med.get(impl);
                    row.append(base == null || m == null ? " |" : String.format(Locale.ROOT, " %.2f |", base / m));
                }
            }
            out.println(row);
        }
        out.println();
        out.println("Median of " + maxRuns + " run(s) (min–max in brackets); lower time is better; speed = HashMap time / map time.");
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

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Splits one CSV line as JMH writes it (fields quoted with ", no embedded quotes). */
    static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
