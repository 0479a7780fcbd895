package io.github.stripedmap.tracing.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds one self-contained SVG figure over a time axis: a title and a legend, panels of line series
 * stacked on a shared time axis (each panel with its own value axis from zero), stretches of time
 * shaded behind them with their labels above, and lanes of marks (things that happened over a stretch
 * of time) below them. Plain SVG, no script; knows nothing about maps or recordings.
 *
 * <p>Elements carry classes and {@code data-} attributes ({@code panel}/{@code data-panel},
 * {@code series}/{@code data-series}, {@code span}, {@code lane}/{@code data-lane},
 * {@code lane-row}/{@code data-row}, {@code mark}, {@code legend-label}) so that tests and style sheets
 * can find them.
 */
final class TimeChart {

    /** Marks drawn per lane row at most; the rest are counted in a note. */
    static final int MAX_MARKS = 2000;

    private static final int WIDTH = 960;
    private static final int LEFT = 86;
    private static final int RIGHT = 24;
    private static final int TITLE_HEIGHT = 26;
    private static final int LEGEND_ROW = 18;
    private static final int SPAN_LABEL_ROW = 13;
    private static final int PANEL_TITLE = 17;
    private static final int PANEL_HEIGHT = 130;
    private static final int PANEL_GAP = 8;
    private static final int LANE_TITLE = 16;
    private static final int LANE_ROW = 11;
    private static final int LANE_GAP = 6;
    private static final int AXIS_HEIGHT = 36;
    /** Rough width of one character of the 11 px sans-serif font, for laying out text without measuring it. */
    private static final double CHAR_WIDTH = 6.3;
    private static final String TEXT = "#333";
    private static final String GRID = "#e3e3e3";
    private static final String FRAME = "#aaa";

    /**
     * A line: values over time, drawn as a polyline with a dot (and tooltip) per point.
     *
     * @param name   what the legend and {@code data-series} call it
     * @param color  CSS colour
     * @param times  seconds from the start of the axis, ascending
     * @param values one value per time
     * @param tips   one tooltip per point
     */
    record Series(String name, String color, double[] times, double[] values, List<String> tips) {
        Series {
            Objects.requireNonNull(name);
            Objects.requireNonNull(color);
            if (times.length != values.length || tips.size() != times.length) {
                throw new IllegalArgumentException("one time, value and tooltip per point");
            }
        }
    }

    /**
     * A stretch of time shaded across the panels and lanes, with a label above the first panel.
     *
     * @param from    start, seconds
     * @param to      end, seconds
     * @param label   short label (drawn only where it fits), or empty
     * @param color   CSS colour of the shading
     * @param opacity opacity of the shading
     * @param tip     tooltip
     */
    record Span(double from, double to, String label, String color, double opacity, String tip) { }

    /**
     * One thing that happened over a stretch of time, drawn in a lane row.
     *
     * @param from start, seconds
     * @param to   end, seconds (at least one pixel is drawn)
     * @param tip  tooltip
     */
    record Mark(double from, double to, String tip) { }

    /**
     * A row of marks of one colour.
     *
     * @param id      its {@code data-row}
     * @param label   the label left of it
     * @param color   CSS colour of its marks
     * @param opacity opacity of each mark (overlapping marks add up)
     * @param marks   the marks
     */
    record Row(String id, String label, String color, double opacity, List<Mark> marks) { }

    /**
     * A titled group of rows below the panels; a lane without rows is only its title (a note).
     *
     * @param id    its {@code data-lane}
     * @param title the line above its rows
     * @param rows  its rows
     */
    record Lane(String id, String title, List<Row> rows) { }

    /**
     * One legend entry.
     *
     * @param line  a line sample (true) or a filled box (false)
     * @param color CSS colour
     * @param label text
     */
    record LegendItem(boolean line, String color, String label) { }

    private record Panel(String id, String title, Ticks.Unit unit, List<Series> series) { }

    private final String id;
    private final String title;
    private final double seconds;
    private final String timeTitle;
    /** Legend entries in groups; each group starts a new legend line. */
    private final List<List<LegendItem>> legend = new ArrayList<>(List.of(new ArrayList<>()));
    private final List<Span> spans = new ArrayList<>();
    private final List<Panel> panels = new ArrayList<>();
    private final List<Lane> lanes = new ArrayList<>();

    /**
     * @param id        the {@code id} of the {@code <svg>} element
     * @param title     the line at the top of the figure
     * @param seconds   length of the time axis (which starts at 0)
     * @param timeTitle what the time axis measures, written under it
     */
    TimeChart(String id, String title, double seconds, String timeTitle) {
        this.id = id;
        this.title = title;
        this.seconds = seconds > 0 ? seconds : 1e-9;
        this.timeTitle = timeTitle;
    }

    /**
     * @param item a legend entry, in the order given
     * @return this
     */
    TimeChart legend(LegendItem item) {
        legend.get(legend.size() - 1).add(item);
        return this;
    }

    /**
     * Starts a new legend line for the entries that follow.
     *
     * @return this
     */
    TimeChart legendBreak() {
        if (!legend.get(legend.size() - 1).isEmpty()) {
            legend.add(new ArrayList<>());
        }
        return this;
    }

    /**
     * @param span a shaded stretch of time
     * @return this
     */
    TimeChart span(Span span) {
        spans.add(span);
        return this;
    }

    /**
     * Adds a panel below the previous ones.
     *
     * @param panelId its {@code data-panel}
     * @param panelTitle the line above it
     * @param unit   what its values are
     * @param series its lines (an empty list gives an empty panel with a note)
     * @return this
     */
    TimeChart panel(String panelId, String panelTitle, Ticks.Unit unit, List<Series> series) {
        panels.add(new Panel(panelId, panelTitle, unit, List.copyOf(series)));
        return this;
    }

    /**
     * Adds a lane below the panels and the previous lanes.
     *
     * @param lane the lane
     * @return this
     */
    TimeChart lane(Lane lane) {
        lanes.add(lane);
        return this;
    }

    /** @return the figure as one {@code <svg>} element, to be inlined in an HTML page */
    String render() {
        return render(false);
    }

    /**
     * @param standalone true for an {@code .svg} file of its own: the root element then declares the SVG
     *                   namespace (inline in HTML it is implied, and the page names no URL at all)
     * @return the figure as one {@code <svg>} element
     */
    String render(boolean standalone) {
        int plotWidth = WIDTH - LEFT - RIGHT;
        List<List<LegendItem>> legendRows = legendRows(plotWidth + LEFT - 10);
        boolean spanLabels = spans.stream().anyMatch(s -> !s.label().isEmpty());
        int y = TITLE_HEIGHT + legendRows.size() * LEGEND_ROW + 4;
        int labelsTop = y;
        y += spanLabels ? 2 * SPAN_LABEL_ROW + 2 : 0;
        int[] panelTop = new int[panels.size()];
        for (int i = 0; i < panels.size(); i++) {
            panelTop[i] = y + PANEL_TITLE;
            y = panelTop[i] + PANEL_HEIGHT + PANEL_GAP;
        }
        int[] laneTop = new int[lanes.size()];
        for (int i = 0; i < lanes.size(); i++) {
            laneTop[i] = y;
            y += LANE_TITLE + lanes.get(i).rows().size() * LANE_ROW + LANE_GAP;
        }
        int shadeTop = panels.isEmpty() ? y : panelTop[0] - PANEL_TITLE;
        int shadeBottom = y - (lanes.isEmpty() ? PANEL_GAP : LANE_GAP);
        int height = y + AXIS_HEIGHT;
        Ticks time = Ticks.within(seconds, 10);

        StringBuilder b = new StringBuilder(32 * 1024);
        Svg svg = new Svg(b);
        svg.open("svg", "xmlns", standalone ? Svg.NAMESPACE : null, "id", id, "class", "time-chart", "width", WIDTH, "height", height,
                "viewBox", "0 0 " + WIDTH + " " + height, "role", "img", "aria-label", title,
                "font-family", "sans-serif", "font-size", 11).raw("\n");
        svg.empty("rect", "x", 0, "y", 0, "width", WIDTH, "height", height, "fill", "#fff");
        svg.element("text", title, "x", 10, "y", 18, "font-size", 13, "font-weight", "bold", "fill", TEXT);
        legend(svg, legendRows, TITLE_HEIGHT);
        for (int i = 0; i < panels.size(); i++) {
            svg.empty("rect", "x", LEFT, "y", panelTop[i], "width", plotWidth, "height", PANEL_HEIGHT, "fill", "#fcfcfc");
        }
        spans(svg, plotWidth, shadeTop, shadeBottom, spanLabels ? labelsTop : -1);
        for (int i = 0; i < panels.size(); i++) {
            panel(svg, panels.get(i), panelTop[i], plotWidth, time);
        }
        for (int i = 0; i < lanes.size(); i++) {
            lane(svg, lanes.get(i), laneTop[i], plotWidth);
        }
        timeAxis(svg, time, y, plotWidth);
        svg.close("svg");
        return b.toString();
    }

    private List<List<LegendItem>> legendRows(int width) {
        List<List<LegendItem>> rows = new ArrayList<>();
        for (List<LegendItem> group : legend) {
            List<LegendItem> row = new ArrayList<>();
            double x = 0;
            for (LegendItem item : group) {
                double w = legendWidth(item);
                if (!row.isEmpty() && x + w > width) {
                    rows.add(row);
                    row = new ArrayList<>();
                    x = 0;
                }
                row.add(item);
                x += w;
            }
            if (!row.isEmpty()) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static double legendWidth(LegendItem item) {
        return 24 + item.label().length() * CHAR_WIDTH + 18;
    }

    private static void legend(Svg svg, List<List<LegendItem>> rows, int top) {
        svg.open("g", "class", "legend").raw("\n");
        for (int r = 0; r < rows.size(); r++) {
            double x = 10;
            double y = top + r * LEGEND_ROW + 12;
            for (LegendItem item : rows.get(r)) {
                if (item.line()) {
                    svg.empty("line", "x1", x, "y1", y - 4.0, "x2", x + 18, "y2", y - 4.0, "stroke", item.color(),
                            "stroke-width", 2.5);
                } else {
                    svg.empty("rect", "x", x + 3, "y", y - 10.0, "width", 12, "height", 12, "fill", item.color());
                }
                svg.element("text", item.label(), "class", "legend-label", "x", x + 24, "y", y, "fill", TEXT);
                x += legendWidth(item);
            }
        }
        svg.close("g");
    }

    private void spans(Svg svg, int plotWidth, int top, int bottom, int labelsTop) {
        if (spans.isEmpty()) {
            return;
        }
        svg.open("g", "class", "spans").raw("\n");
        double[] rowEnd = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Span s : spans) {
            double x1 = x(s.from(), plotWidth);
            double x2 = Math.max(x1 + 1, x(s.to(), plotWidth));
            svg.open("rect", "class", "span", "x", x1, "y", top, "width", x2 - x1, "height", bottom - top,
                    "fill", s.color(), "fill-opacity", s.opacity()).title(s.tip()).close("rect");
            svg.empty("line", "x1", x1, "y1", top, "x2", x1, "y2", bottom, "stroke", s.color(),
                    "stroke-opacity", 0.6, "stroke-dasharray", "3,3");
            if (labelsTop >= 0 && !s.label().isEmpty()) {
                // first label row where it does not run into the previous label; left out if neither has room
                double w = s.label().length() * CHAR_WIDTH * 0.9;
                for (int row = 0; row < rowEnd.length; row++) {
                    if (x1 >= rowEnd[row] + 4) {
                        svg.element("text", s.label(), "class", "span-label", "x", x1 + 2,
                                "y", labelsTop + (row + 1) * SPAN_LABEL_ROW - 2, "font-size", 10, "fill", TEXT);
                        rowEnd[row] = x1 + 2 + w;
                        break;
                    }
                }
            }
        }
        svg.close("g");
    }

    private void panel(Svg svg, Panel p, int top, int plotWidth, Ticks time) {
        double max = 0;
        for (Series s : p.series()) {
            for (double v : s.values()) {
                max = Math.max(max, v);
            }
        }
        Ticks ticks = Ticks.upTo(max, p.unit(), 5);
        double axisTop = ticks.top();
        svg.open("g", "class", "panel", "data-panel", p.id()).raw("\n");
        svg.element("text", p.title(), "x", LEFT, "y", top - 5, "font-weight", "bold", "fill", TEXT);
        for (double t : time.values()) {
            double x = x(t, plotWidth);
            svg.empty("line", "x1", x, "y1", top, "x2", x, "y2", top + PANEL_HEIGHT, "stroke", GRID);
        }
        for (double v : ticks.values()) {
            double y = top + PANEL_HEIGHT - PANEL_HEIGHT * v / axisTop;
            svg.empty("line", "x1", LEFT, "y1", y, "x2", LEFT + plotWidth, "y2", y, "stroke", GRID);
            svg.element("text", ticks.label(v), "x", LEFT - 6, "y", y + 4, "text-anchor", "end", "fill", TEXT);
        }
        if (p.series().stream().allMatch(s -> s.times().length == 0)) {
            svg.element("text", "no samples", "x", LEFT + 10, "y", top + 20, "fill", TEXT);
        }
        for (Series s : p.series()) {
            if (s.times().length == 0) {
                continue;
            }
            StringBuilder points = new StringBuilder(s.times().length * 12);
            double[] xs = new double[s.times().length];
            double[] ys = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = x(s.times()[i], plotWidth);
                ys[i] = top + PANEL_HEIGHT - PANEL_HEIGHT * Math.max(0, s.values()[i]) / axisTop;
                points.append(i == 0 ? "" : " ").append(Svg.num(xs[i])).append(',').append(Svg.num(ys[i]));
            }
            svg.open("g", "class", "series", "data-series", s.name()).raw("\n");
            svg.empty("polyline", "class", "line", "points", points.toString(), "fill", "none", "stroke", s.color(),
                    "stroke-width", 2, "stroke-linejoin", "round");
            for (int i = 0; i < xs.length; i++) {
                svg.open("circle", "cx", xs[i], "cy", ys[i], "r", 2.2, "fill", s.color()).title(s.tips().get(i))
                        .close("circle");
            }
            svg.close("g");
        }
        svg.empty("rect", "x", LEFT, "y", top, "width", plotWidth, "height", PANEL_HEIGHT, "fill", "none", "stroke", FRAME);
        svg.close("g");
    }

    private void lane(Svg svg, Lane lane, int top, int plotWidth) {
        svg.open("g", "class", "lane", "data-lane", lane.id()).raw("\n");
        svg.element("text", lane.title(), "class", "lane-title", "x", LEFT, "y", top + LANE_TITLE - 4, "fill", TEXT);
        int y = top + LANE_TITLE;
        for (Row row : lane.rows()) {
            svg.open("g", "class", "lane-row", "data-row", row.id()).raw("\n");
            svg.empty("rect", "x", LEFT, "y", y, "width", plotWidth, "height", LANE_ROW - 1, "fill", "#f4f4f4");
            svg.element("text", row.label(), "x", LEFT - 6, "y", y + LANE_ROW - 2, "text-anchor", "end",
                    "font-size", 10, "fill", TEXT);
            int drawn = 0;
            for (Mark m : row.marks()) {
                if (drawn++ == MAX_MARKS) {
                    break;
                }
                double x1 = x(m.from(), plotWidth);
                double x2 = Math.max(x1 + 1, x(m.to(), plotWidth));
                svg.open("rect", "class", "mark", "x", x1, "y", y, "width", x2 - x1, "height", LANE_ROW - 1,
                        "fill", row.color(), "fill-opacity", row.opacity()).title(m.tip()).close("rect");
            }
            if (row.marks().size() > MAX_MARKS) {
                svg.element("text", Format.count(row.marks().size() - MAX_MARKS) + " more not drawn",
                        "class", "lane-note", "x", LEFT + plotWidth - 4, "y", y + LANE_ROW - 2, "text-anchor", "end",
                        "font-size", 9, "fill", TEXT);
            }
            svg.close("g");
            y += LANE_ROW;
        }
        svg.close("g");
    }

    private void timeAxis(Svg svg, Ticks time, int y, int plotWidth) {
        svg.open("g", "class", "time-axis").raw("\n");
        int axisY = y - LANE_GAP + 2;
        svg.empty("line", "x1", LEFT, "y1", axisY, "x2", LEFT + plotWidth, "y2", axisY, "stroke", FRAME);
        for (double t : time.values()) {
            double x = x(t, plotWidth);
            svg.empty("line", "x1", x, "y1", axisY, "x2", x, "y2", axisY + 4, "stroke", FRAME);
            svg.element("text", time.label(t), "x", x, "y", axisY + 15, "text-anchor", "middle", "fill", TEXT);
        }
        svg.element("text", timeTitle, "x", LEFT + plotWidth / 2.0, "y", axisY + 30, "text-anchor", "middle",
                "fill", TEXT);
        svg.close("g");
    }

    private double x(double t, int plotWidth) {
        return LEFT + plotWidth * Math.min(seconds, Math.max(0, t)) / seconds;
    }
}
