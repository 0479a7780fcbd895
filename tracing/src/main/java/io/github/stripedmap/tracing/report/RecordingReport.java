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
 * maps that only grow; optionally writes a self-contained HTML page with a chart per map.
 *
 * <pre>
 * java -jar tracing/target/tracing-VERSION.jar recording.jfr [--html report.html] [--all]
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
        run(recording, html, all, out);
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
        RecordingModel model = RecordingModel.read(recording);
        new TextReport(model, all).write(recording.toString(), out);
        if (html != null) {
            Files.writeString(html, new HtmlReport(model).render(recording.getFileName().toString()),
                    StandardCharsets.UTF_8);
            out.println();
            out.println("HTML report: " + html);
        }
        out.flush();
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println(problem);
        }
        System.err.println("usage: java -jar tracing.jar RECORDING.jfr [--html REPORT.html] [--all]");
        if (problem != null) {
            System.exit(2);
        }
    }
}
