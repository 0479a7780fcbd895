package io.github.stripedmap.stress.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs jcstress from the shaded jar this class is in and judges the run, for the build and the scripts.
 *
 * <pre>
 * java -cp jcstress.jar io.github.stripedmap.stress.support.JcstressGate
 *      --expect pass|forbidden --dir DIR --tests REGEX [--timeout SECONDS] [-- more jcstress options]
 * </pre>
 * jcstress runs with {@code DIR} as its working directory (it drops its {@code jcstress-results-*.bin.gz}
 * there), its HTML report in {@code DIR/results} and its console output copied to {@code DIR/jcstress.log};
 * it is always run with {@code -v} so that every test's outcome table is printed. Then:
 * <ul>
 *   <li>{@code --expect pass}: jcstress must exit 0 and every test of the jar's test list that matches
 *       {@code REGEX} must appear as {@code [OK]} with at least one sample (so a jar without tests, or a
 *       test that did not run, fails the gate instead of passing vacuously);</li>
 *   <li>{@code --expect forbidden} (the negative control): every matching test must have observed at
 *       least one FORBIDDEN outcome; a test that passes, or errs without a FORBIDDEN outcome, fails the gate.</li>
 * </ul>
 * A run longer than the timeout is killed and fails the gate. Prints a per-test summary (counts per
 * expectation) and exits 0 when the gate holds, 1 otherwise.
 */
public final class JcstressGate {

    private static final Pattern HEADER = Pattern.compile("^\\.*\\s*\\[(OK|FAILED|ERROR|[A-Z_ ]+)\\]\\s+(\\S+)\\s*$");
    private static final Pattern ROW = Pattern.compile(
            "^\\s*(.*?)\\s+([0-9][0-9,]*)\\s+(<?[0-9.]+%)\\s+(Acceptable|Interesting|Forbidden|Unknown)\\b.*$");

    private JcstressGate() { }

    /** Counts of one test's final ("across all configurations") table. */
    static final class Verdict {
        String status = "MISSING";
        final Map<String, Long> byExpect = new TreeMap<>();
        final Map<String, Long> rows = new LinkedHashMap<>();

        long count(String expect) {
            return byExpect.getOrDefault(expect, 0L);
        }
    }

    public static void main(String[] args) throws Exception {
        String expect = null;
        Path dir = null;
        String tests = null;
        long timeout = 3600;
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--expect": expect = args[++i]; break;
                case "--dir": dir = Paths.get(args[++i]).toAbsolutePath(); break;
                case "--tests": tests = args[++i]; break;
                case "--timeout": timeout = Long.parseLong(args[++i]); break;
                case "--": extra.addAll(Arrays.asList(args).subList(i + 1, args.length)); i = args.length; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!"pass".equals(expect) && !"forbidden".equals(expect) || dir == null || tests == null) {
            System.err.println("usage: JcstressGate --expect pass|forbidden --dir DIR --tests REGEX "
                    + "[--timeout SECONDS] [-- jcstress options]");
            System.exit(2);
        }
        Pattern selector = Pattern.compile(tests);
        List<String> expected = new ArrayList<>();
        for (String name : testList()) {
            if (selector.matcher(name).find()) {
                expected.add(name);
            }
        }
        if (expected.isEmpty()) {
            System.err.println("JcstressGate: no test in the jar matches " + tests);
            System.exit(1);
        }
        Files.createDirectories(dir);
        Path log = dir.resolve("jcstress.log");
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", ownJar().toString(), "-v", "-t", tests, "-r", dir.resolve("results").toString()));
        command.addAll(extra);
        System.out.println("JcstressGate: " + String.join(" ", command) + "   (in " + dir + ")");
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        Thread pump = new Thread(() -> copy(p.getInputStream(), log), "jcstress-output");
        pump.start();
        boolean ended = p.waitFor(timeout, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        pump.join();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        int exit = p.exitValue();

        Map<String, Verdict> verdicts = parse(Files.readAllLines(log, StandardCharsets.UTF_8));
        boolean ok = ended;
        System.out.println();
        System.out.printf("JcstressGate (--expect %s): jcstress exit %d after %d s%s; log %s%n", expect, exit, seconds,
                ended ? "" : " (KILLED at the " + timeout + " s timeout)", log);
        System.out.printf("  %-70s %-8s %12s %12s %12s  %s%n", "test", "status", "acceptable", "interesting",
                "forbidden", "gate");
        for (String name : expected) {
            Verdict v = verdicts.getOrDefault(name, new Verdict());
            long samples = v.count("Acceptable") + v.count("Interesting") + v.count("Forbidden");
            boolean holds = "pass".equals(expect)
                    ? "OK".equals(v.status) && v.count("Forbidden") == 0 && samples > 0
                    : v.count("Forbidden") > 0;
            ok &= holds;
            System.out.printf("  %-70s %-8s %12d %12d %12d  %s%n", name, v.status, v.count("Acceptable"),
                    v.count("Interesting"), v.count("Forbidden"),
                    holds ? "ok" : "pass".equals(expect) ? "FAILED" : "NOT CAUGHT");
        }
        if ("pass".equals(expect)) {
            ok &= exit == 0;
        }
        System.out.println(ok ? "JcstressGate: OK" : "JcstressGate: FAILED ("
                + ("pass".equals(expect) ? "a test failed, erred or did not run"
                : "a broken variant was not caught: that race window is not exercised") + ")");
        System.exit(ok ? 0 : 1);
    }

    /** Parses the final tables (after "RUN RESULTS") of a {@code -v} console log. */
    static Map<String, Verdict> parse(List<String> lines) {
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        int start = lines.indexOf("RUN RESULTS:");
        if (start < 0) {
            return verdicts;
        }
        Verdict current = null;
        for (String line : lines.subList(start, lines.size())) {
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                current = new Verdict();
                current.status = h.group(1).trim();
                Verdict previous = verdicts.put(h.group(2), current);
                if (previous != null && !previous.rows.isEmpty()) { // listed twice (interesting, then failed)
                    verdicts.put(h.group(2), previous);
                    current = null;
                }
                continue;
            }
            Matcher r = ROW.matcher(line);
            if (current != null && r.matches()) {
                long n = Long.parseLong(r.group(2).replace(",", ""));
                current.rows.put(r.group(1), n);
                current.byExpect.merge(r.group(4), n, Long::sum);
            }
        }
        return verdicts;
    }

    /** @return the names in the jar's {@code META-INF/TestList} */
    static List<String> testList() throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = JcstressGate.class.getResourceAsStream("/META-INF/TestList")) {
            if (in == null) {
                return names;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.startsWith("JCTEST")) {
                    continue;
                }
                int pos = "JCTEST".length();
                int s = line.indexOf('S', pos);
                int length = Integer.parseInt(line.substring(pos, s));
                names.add(line.substring(s + 1, s + 1 + length));
            }
        }
        return names;
    }

    private static Path ownJar() throws URISyntaxException {
        return Paths.get(JcstressGate.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void copy(InputStream in, Path log) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                out.println(line);
                out.flush();
                if (!line.isBlank() && !line.startsWith("  ") && !line.startsWith("(")) {
                    System.out.println(line); // headers and verdicts only; the full tables are in the log
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
