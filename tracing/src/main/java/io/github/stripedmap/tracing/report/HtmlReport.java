package io.github.stripedmap.tracing.report;

import io.github.stripedmap.tracing.report.RecordingModel.MapData;
import io.github.stripedmap.tracing.report.RecordingModel.Migration;
import io.github.stripedmap.tracing.report.RecordingModel.Sample;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script, nothing fetched) with, per
 * map, a chart of size and estimated bytes over time with its migrations marked, and the text report's
 * tables.
 */
final class HtmlReport {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 80;
    private static final int TOP = 20;
    private static final int BOTTOM = 30;
    /** Migration markers drawn per map at most (the rest are summarised). */
    private static final int MAX_MARKERS = 2000;
    /** Migration table rows per map at most. */
    private static final int MAX_ROWS = 500;

    private final RecordingModel model;

    HtmlReport(RecordingModel model) {
        this.model = model;
    }

    String render(String source) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>stripedmap report: ")
                .append(esc(source)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}h1{font-size:1.4em}h2{font-size:1.15em;"
                        + "margin-top:2em;border-bottom:1px solid #ccc}table{border-collapse:collapse;font-size:.85em}"
                        + "td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #eee}th{background:#f4f4f4}"
                        + ".flag{background:#c0392b;color:#fff;padding:1px 6px;border-radius:3px;font-size:.8em}"
                        + ".legend span{margin-right:1.5em}.sw{display:inline-block;width:12px;height:12px;"
                        + "vertical-align:middle;margin-right:4px}pre{background:#f8f8f8;padding:.8em;overflow:auto}\n")
                .append("</style></head><body>\n");
        h.append("<h1>stripedmap recording report</h1>\n<p>").append(esc(source)).append("</p>\n");
        if (model.events() == 0) {
            h.append("<p>No stripedmap events in this recording.</p></body></html>\n");
            return h.toString();
        }
        h.append("<p>").append(Format.count(model.events())).append(" events from ").append(model.first())
                .append(" to ").append(model.last()).append(", ").append(model.maps().size()).append(" maps.</p>\n");
        h.append("<p class=\"legend\"><span><i class=\"sw\" style=\"background:#2471a3\"></i>size (left axis)</span>"
                + "<span><i class=\"sw\" style=\"background:#e67e22\"></i>estimated bytes (right axis)</span>"
                + "<span><i class=\"sw\" style=\"background:#27ae60\"></i>doubling</span>"
                + "<span><i class=\"sw\" style=\"background:#8e44ad\"></i>same-size rebuild</span>"
                + "<span><i class=\"sw\" style=\"background:#c0392b\"></i>shrink</span></p>\n");
        int index = 0;
        for (MapData m : model.maps()) {
            section(h, m, index++);
        }
        StringWriter text = new StringWriter();
        new TextReport(model, false).write(source, new PrintWriter(text));
        h.append("<h2>Text report</h2>\n<pre>").append(esc(text.toString())).append("</pre>\n</body></html>\n");
        return h.toString();
    }

    private void section(StringBuilder h, MapData m, int index) {
        h.append("<h2 id=\"map-").append(index).append("\">").append(esc(m.name())).append(" <small>(")
                .append(esc(m.kind())).append(" #").append(m.id());
        if (m.stripes() > 0) {
            h.append(", ").append(m.stripes()).append(" stripes");
        }
        h.append(")</small>");
        if (m.onlyGrows()) {
            h.append(" <span class=\"flag\">only grows</span>");
        }
        h.append("</h2>\n");
        chart(h, m);
        List<Migration> list = m.migrations();
        h.append("<p>").append(list.size()).append(" migrations, ").append(m.cleanups().size())
                .append(" cleanups releasing ").append(esc(Format.bytes(m.releasedBytes()))).append(".</p>\n");
        if (!list.isEmpty()) {
            h.append("<table><tr><th>start (s)</th><th>stripe</th><th>kind</th><th>buckets</th><th>duration</th>"
                    + "<th>steps</th><th>writes</th><th>longest step</th><th>largest step</th><th>trigger</th></tr>\n");
            for (int i = 0; i < list.size() && i < MAX_ROWS; i++) {
                Migration g = list.get(i);
                h.append("<tr><td>").append(Format.decimal(TextReport.seconds(model.first(), g.start())))
                        .append("</td><td>").append(g.stripe()).append("</td><td>").append(esc(g.kind()))
                        .append("</td><td>").append(Format.count(g.oldBuckets())).append(" &rarr; ")
                        .append(Format.count(g.newBuckets())).append("</td><td>").append(esc(Format.duration(g.duration())))
                        .append("</td><td>").append(g.steps()).append("</td><td>").append(g.writes()).append("</td><td>")
                        .append(esc(Format.duration(g.longestStep()))).append("</td><td>").append(g.largestStep())
                        .append("</td><td>").append(esc(g.trigger())).append(g.completed() ? "" : " (cut short)")
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
            if (list.size() > MAX_ROWS) {
                h.append("<p>").append(list.size() - MAX_ROWS).append(" more migrations not listed.</p>\n");
            }
        }
    }

    /** Size and bytes as two polylines over the recording's time span, migrations as vertical marks. */
    private void chart(StringBuilder h, MapData m) {
        Instant t0 = model.first();
        double span = Math.max(1e-9, TextReport.seconds(t0, model.last()));
        List<Sample> samples = m.samples();
        long maxSize = Math.max(1, samples.stream().mapToLong(Sample::size).max().orElse(1));
        long maxBytes = Math.max(1, samples.stream().mapToLong(Sample::estimatedBytes).max().orElse(1));
        int w = WIDTH - LEFT - RIGHT;
        int ht = HEIGHT - TOP - BOTTOM;
        h.append("<svg width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"size and bytes of ")
                .append(esc(m.name())).append("\" font-size=\"11\">\n");
        h.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(w)
                .append("\" height=\"").append(ht).append("\" fill=\"#fcfcfc\" stroke=\"#bbb\"/>\n");
        int markers = 0;
        // the stripes of a map migrate at about the same time: their bands overlap, so each is fainter
        String opacity = String.format(Locale.ROOT, "%.3f", Math.max(0.06, 0.35 / Math.max(1, m.stripes())));
        for (Migration g : m.migrations()) {
            if (markers++ >= MAX_MARKERS) {
                break;
            }
            double x = LEFT + w * TextReport.seconds(t0, g.start()) / span;
            double x2 = LEFT + w * TextReport.seconds(t0, g.start().plus(g.duration())) / span;
            String color = switch (g.kind()) {
                case "DOUBLE" -> "#27ae60";
                case "SHRINK" -> "#c0392b";
                default -> "#8e44ad";
            };
            h.append("<rect x=\"").append(num(x)).append("\" y=\"").append(TOP).append("\" width=\"")
                    .append(num(Math.max(1, x2 - x))).append("\" height=\"").append(ht).append("\" fill=\"")
                    .append(color).append("\" fill-opacity=\"").append(opacity).append("\"><title>").append(esc(g.kind())).append(" stripe ")
                    .append(g.stripe()).append(": ").append(g.oldBuckets()).append(" -> ").append(g.newBuckets())
                    .append(" buckets, ").append(esc(Format.duration(g.duration()))).append(", ").append(g.steps())
                    .append(" steps</title></rect>\n");
        }
        if (!samples.isEmpty()) {
            polyline(h, samples, true, maxSize, t0, span, w, ht, "#2471a3");
            polyline(h, samples, false, maxBytes, t0, span, w, ht, "#e67e22");
        } else {
            h.append("<text x=\"").append(LEFT + 10).append("\" y=\"").append(TOP + 20)
                    .append("\">no Statistics samples for this map</text>\n");
        }
        // axes: left size, right bytes, bottom time
        h.append(text(LEFT - 6, TOP + 10, "end", Format.count(maxSize), "#2471a3"));
        h.append(text(LEFT - 6, TOP + ht, "end", "0", "#2471a3"));
        h.append(text(LEFT + w + 6, TOP + 10, "start", Format.bytes(maxBytes), "#e67e22"));
        h.append(text(LEFT + w + 6, TOP + ht, "start", "0 B", "#e67e22"));
        h.append(text(LEFT, HEIGHT - 8, "start", "0 s", "#444"));
        h.append(text(LEFT + w, HEIGHT - 8, "end", Format.seconds(span), "#444"));
        h.append("</svg>\n");
    }

    private static void polyline(StringBuilder h, List<Sample> samples, boolean size, long max, Instant t0,
                                 double span, int w, int ht, String color) {
        h.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"");
        for (Sample s : samples) {
            double x = LEFT + w * TextReport.seconds(t0, s.time()) / span;
            double v = size ? s.size() : s.estimatedBytes();
            double y = TOP + ht - ht * v / max;
            h.append(num(x)).append(',').append(num(y)).append(' ');
        }
        h.append("\"/>\n");
        for (Sample s : samples) {
            double x = LEFT + w * TextReport.seconds(t0, s.time()) / span;
            double v = size ? s.size() : s.estimatedBytes();
            double y = TOP + ht - ht * v / max;
            h.append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y)).append("\" r=\"2.5\" fill=\"")
                    .append(color).append("\"><title>").append(size ? Format.count(s.size()) + " entries"
                            : esc(Format.bytes(s.estimatedBytes()))).append(" at +")
                    .append(Format.seconds(TextReport.seconds(t0, s.time()))).append("</title></circle>\n");
        }
    }

    private static String text(double x, double y, String anchor, String s, String color) {
        return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" fill=\"" + color + "\">"
                + esc(s) + "</text>\n";
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
