package io.github.stripedmap.tracing.report;

import io.github.stripedmap.tracing.report.RecordingModel.MapData;
import io.github.stripedmap.tracing.report.RecordingModel.Migration;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script, nothing fetched). First the
 * all-maps chart ({@link CombinedChart}), then per map its own chart ({@link MapChart}) and migration
 * table, then the text report.
 */
final class HtmlReport {

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
                        + "svg{max-width:100%;height:auto;display:block;margin:.5em 0}"
                        + "pre{background:#f8f8f8;padding:.8em;overflow:auto}\n")
                .append("</style></head><body>\n");
        h.append("<h1>stripedmap recording report</h1>\n<p>").append(esc(source)).append("</p>\n");
        if (model.events() == 0) {
            h.append("<p>No stripedmap events in this recording.</p></body></html>\n");
            return h.toString();
        }
        h.append("<p>").append(Format.count(model.events())).append(" events from ").append(model.first())
                .append(" to ").append(model.last()).append(", ").append(model.maps().size()).append(" maps.</p>\n");
        overview(h);
        MapChart charts = new MapChart(model);
        int index = 0;
        for (MapData m : model.maps()) {
            section(h, m, charts, index++);
        }
        StringWriter text = new StringWriter();
        new TextReport(model, false).write(source, new PrintWriter(text));
        h.append("<h2>Text report</h2>\n<pre>").append(esc(text.toString())).append("</pre>\n</body></html>\n");
        return h.toString();
    }

    /** The all-maps chart, first on the page, with what it shows in a sentence. */
    private void overview(StringBuilder h) {
        CombinedChart combined = new CombinedChart(model);
        String svg = combined.render(false);
        if (svg.isEmpty()) {
            return;
        }
        h.append("<h2 id=\"all-maps\">").append(combined.maps().size() == 2 ? "Both maps" : "All maps")
                .append(" on shared axes</h2>\n<p>Size and estimated bytes of ")
                .append(combined.maps().size() == 1 ? "the map" : "every map")
                .append(" on the same scales, one line per map (a map's line covers the time it was alive and sampled)");
        if (!model.phases().isEmpty()) {
            h.append("; the workload's ").append(model.phases().size())
                    .append(" phases shaded in the colour of the map they ran on");
        }
        h.append("; each map's migrations below, one mark per Growth event from its start to its end, by kind.");
        if (combined.left() > 0) {
            h.append(" ").append(combined.left()).append(" smaller or empty maps are left out here: see their own charts.");
        }
        h.append("</p>\n").append(svg);
    }

    private void section(StringBuilder h, MapData m, MapChart charts, int index) {
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
        h.append(charts.render(m, index));
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

    private static String esc(String s) {
        return Svg.esc(s);
    }
}
