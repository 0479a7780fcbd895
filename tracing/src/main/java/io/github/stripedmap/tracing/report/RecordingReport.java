package io.github.stripedmap.tracing.report;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The recording report command: reads any {@code .jfr} file (made by JDK 17 or later) and prints, per
 * map, its statistics from first to last sample, its migrations as a timeline and its cleanups, flagging
 * maps that only grow; optionally writes a self-contained HTML page (all maps on one chart first, then a
 * chart per map) and that all-maps chart alone as an SVG file.
 *
 * <pre>
 * java -jar tracing/target/tracing-VERSION.jar recording.jfr [--html report.html] [--svg chart.svg] [--all]
 * </pre>
 */
public final class RecordingReport {

    private RecordingReport() { }

    /**
     * Entry point.
     *
     * @param args the recording, then options
     * @throws IOException if the recording cannot be read or the HTML written
     */
    public static void main(String[] args) throws IOException {
        Path recording = null;
        Path html = null;
        Path svg = null;
        boolean all = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--html" -> {
                    if (i + 1 == args.length) {
                        usage("--html needs a file name");
                        return;
                    }
                    html = Path.of(args[++i]);
                }
                case "--svg" -> {
                    if (i + 1 == args.length) {
                        usage("--svg needs a file name");
                        return;
                    }
                    svg = Path.of(args[++i]);
                }
                case "--all" -> all = true;
                case "-h", "--help" -> {
                    usage(null);
                    return;
                }
                default -> {
                    if (recording != null || args[i].startsWith("-")) {
                        usage("unexpected argument: " + args[i]);
                        return;
                    }
                    recording = Path.of(args[i]);
                }
            }
        }
        if (recording == null) {
            usage("no recording given");
            return;
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        run(recording, html, svg, all, out);
    }

    /**
     * Writes the text report, and the HTML report if asked.
     *
     * @param recording the {@code .jfr} file
     * @param html      where to write the HTML report, or null
     * @param all       list every migration instead of the first and last ones
     * @param out       where the text goes
     * @throws IOException if the recording cannot be read or the HTML written
     */
    public static void run(Path recording, Path html, boolean all, PrintWriter out) throws IOException {
        run(recording, html, null, all, out);
    }

    /**
     * Writes the text report, and the HTML report and the all-maps chart if asked.
     *
     * @param recording the {@code .jfr} file
     * @param html      where to write the HTML report, or null
     * @param svg       where to write the all-maps chart as a standalone SVG file (the same chart the HTML
     *                  report opens with), or null; nothing is written if no map has samples or migrations
     * @param all       list every migration instead of the first and last ones
     * @param out       where the text goes
     * @throws IOException if the recording cannot be read or a file written
     */
    public static void run(Path recording, Path html, Path svg, boolean all, PrintWriter out) throws IOException {
        RecordingModel model = RecordingModel.read(recording);
        new TextReport(model, all).write(recording.toString(), out);
        if (html != null || svg != null) {
            out.println();
        }
        if (html != null) {
            Files.writeString(html, new HtmlReport(model).render(recording.getFileName().toString()),
                    StandardCharsets.UTF_8);
            out.println("HTML report: " + html);
        }
        if (svg != null) {
            String chart = new CombinedChart(model).render(true);
            if (chart.isEmpty()) {
                out.println("SVG chart: not written, no map has samples or migrations");
            } else {
                Files.writeString(svg, chart, StandardCharsets.UTF_8);
                out.println("SVG chart: " + svg);
            }
        }
        out.flush();
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println(problem);
        }
        System.err.println("usage: java -jar tracing.jar RECORDING.jfr [--html REPORT.html] [--svg CHART.svg] [--all]");
        if (problem != null) {
            System.exit(2);
        }
    }
}
