package io.github.stripedmap.tracing.report;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The SVG builder on its own: structure, scales shared within a panel, positions on the time axis, escaping. */
class TimeChartTest {

    private static TimeChart.Series series(String name, double[] t, double[] v) {
        List<String> tips = new ArrayList<>();
        for (double x : t) {
            tips.add(name + " at " + x);
        }
        return new TimeChart.Series(name, "#123456", t, v, tips);
    }

    @Test
    void linesOfAPanelShareItsScaleAndMarksSitOnTheTimeAxis() {
        TimeChart chart = new TimeChart("c", "a <chart> & \"more\"", 10, "seconds")
                .legend(new TimeChart.LegendItem(true, "#123456", "one & only"))
                .legendBreak()
                .legend(new TimeChart.LegendItem(false, "#654321", "kind"))
                .span(new TimeChart.Span(0, 2.5, "first", "#0072b2", 0.1, "tip <1>"))
                .span(new TimeChart.Span(5, 10, "second", "#0072b2", 0.2, "tip 2"))
                .panel("size", "Size", Ticks.Unit.COUNT, List.of(
                        series("a", new double[] {0, 5, 10}, new double[] {0, 100, 50}),
                        series("b", new double[] {1, 2}, new double[] {25, 25})))
                .lane(new TimeChart.Lane("a", "a's marks", List.of(
                        new TimeChart.Row("DOUBLE", "doubling", "#009e73", 0.5, List.of(
                                new TimeChart.Mark(2.5, 5, "m1"), new TimeChart.Mark(7.5, 7.5, "m2"))),
                        new TimeChart.Row("SHRINK", "shrink", "#d55e00", 0.5, List.of()))))
                .lane(new TimeChart.Lane("b", "b: nothing to see", List.of()));
        SvgDoc svg = SvgDoc.parse(chart.render(true));

        assertThat(svg.root().getAttribute("xmlns")).as("standalone file").isEqualTo("http://www.w3.org/2000/svg");
        assertThat(chart.render(false)).as("inline in HTML: no URL at all").doesNotContain("http")
                .isEqualTo(chart.render(true).replace(" xmlns=\"http://www.w3.org/2000/svg\"", ""));
        assertThat(svg.root().getAttribute("aria-label")).isEqualTo("a <chart> & \"more\"");
        assertThat(svg.texts("//text[@class='legend-label']")).containsExactly("one & only", "kind");
        Element frame = svg.one("//g[@data-panel='size']/rect[@fill='none']");
        double left = SvgDoc.num(frame, "x");
        double width = SvgDoc.num(frame, "width");
        double bottom = SvgDoc.num(frame, "y") + SvgDoc.num(frame, "height");
        double top = SvgDoc.num(frame, "y");

        List<double[]> a = SvgDoc.points(svg.one("//g[@data-series='a']/polyline"));
        List<double[]> b = SvgDoc.points(svg.one("//g[@data-series='b']/polyline"));
        assertThat(a).hasSize(3);
        assertThat(b).hasSize(2);
        assertThat(svg.all("//g[@data-series='a']/circle")).hasSize(3);
        // x: seconds over the axis; y: one scale for both lines, from 0 at the bottom to the top tick (100)
        assertThat(a.get(0)[0]).isCloseTo(left, within(0.06));
        assertThat(a.get(1)[0]).isCloseTo(left + width / 2, within(0.06));
        assertThat(a.get(2)[0]).isCloseTo(left + width, within(0.06));
        assertThat(a.get(0)[1]).isCloseTo(bottom, within(0.06));
        assertThat(a.get(1)[1]).isCloseTo(top, within(0.06));
        assertThat(bottom - a.get(2)[1]).isCloseTo((bottom - top) / 2, within(0.1));
        assertThat(bottom - b.get(0)[1]).isCloseTo((bottom - top) / 4, within(0.1));
        assertThat(svg.texts("//g[@data-panel='size']/text")).contains("Size", "0", "100");

        List<Element> marks = svg.all("//g[@data-lane='a']/g[@data-row='DOUBLE']/rect[@class='mark']");
        assertThat(marks).hasSize(2);
        assertThat(SvgDoc.num(marks.get(0), "x")).isCloseTo(left + width / 4, within(0.06));
        assertThat(SvgDoc.num(marks.get(0), "width")).isCloseTo(width / 4, within(0.1));
        assertThat(SvgDoc.num(marks.get(1), "width")).as("an instant is drawn one pixel wide").isEqualTo(1.0);
        assertThat(marks.get(0).getTextContent()).isEqualTo("m1");
        assertThat(svg.all("//g[@data-lane='a']/g[@data-row='SHRINK']/rect[@class='mark']")).isEmpty();
        assertThat(svg.texts("//g[@data-lane='b']/text")).containsExactly("b: nothing to see");

        List<Element> spans = svg.all("//rect[@class='span']");
        assertThat(spans).hasSize(2);
        assertThat(SvgDoc.num(spans.get(1), "x")).isCloseTo(left + width / 2, within(0.06));
        assertThat(spans.get(0).getTextContent()).isEqualTo("tip <1>");
        assertThat(svg.texts("//text[@class='span-label']")).containsExactly("first", "second");
        assertThat(svg.texts("//g[@class='time-axis']/text")).contains("0 s", "5 s", "10 s", "seconds");
    }

    @Test
    void tooManyMarksAreCountedNotDrawn() {
        List<TimeChart.Mark> marks = new ArrayList<>();
        for (int i = 0; i < TimeChart.MAX_MARKS + 7; i++) {
            marks.add(new TimeChart.Mark(i * 1e-3, i * 1e-3, "m" + i));
        }
        SvgDoc svg = SvgDoc.parse(new TimeChart("c", "t", 10, "s")
                .lane(new TimeChart.Lane("x", "x", List.of(new TimeChart.Row("DOUBLE", "d", "#000", 1, marks))))
                .render());
        assertThat(svg.all("//rect[@class='mark']")).hasSize(TimeChart.MAX_MARKS);
        assertThat(svg.texts("//text[@class='lane-note']")).containsExactly("7 more not drawn");
    }

    @Test
    void aPanelWithoutSamplesSaysSo() {
        SvgDoc svg = SvgDoc.parse(new TimeChart("c", "t", 1, "s")
                .panel("p", "P", Ticks.Unit.BYTES, List.of(series("a", new double[0], new double[0]))).render());
        assertThat(svg.all("//polyline")).isEmpty();
        assertThat(svg.texts("//g[@data-panel='p']/text")).contains("no samples");
    }

    @Test
    void escapingKeepsTheMarkupWellFormed() {
        assertThat(Svg.esc("a<b>&\"c'\u0001")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;?");
        String name = "<map name=\"x\"> & co";
        SvgDoc svg = SvgDoc.parse(new TimeChart("c", name, 1, name)
                .panel("p", name, Ticks.Unit.COUNT, List.of(series(name, new double[] {0.5}, new double[] {3})))
                .render());
        assertThat(svg.one("//g[@class='series']").getAttribute("data-series")).isEqualTo(name);
    }
}
