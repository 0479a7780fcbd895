package io.github.stripedmap.tracing.report;

import io.github.stripedmap.tracing.report.RecordingModel.MapData;

import java.time.Instant;
import java.util.List;

/**
 * The chart of one map, on the same time axis as the all-maps chart: its size and its estimated bytes
 * each on a scale of their own, the phases that ran on it shaded, and its migrations by kind.
 */
final class MapChart {

    private final RecordingModel model;

    /**
     * @param model the recording
     */
    MapChart(RecordingModel model) {
        this.model = model;
    }

    /**
     * @param m     one of the model's maps
     * @param index its place in the report (for the element's id)
     * @return its chart
     */
    String render(MapData m, int index) {
        Instant t0 = model.first();
        String color = ChartParts.mapColor(0);
        TimeChart chart = new TimeChart("map-chart-" + index, m.name() + ": size and estimated bytes",
                TextReport.seconds(t0, model.last()), ChartParts.timeTitle(t0));
        chart.legend(new TimeChart.LegendItem(true, color, ChartParts.describe(m)));
        List<RecordingModel.Phase> phases = model.phases().stream().filter(p -> p.map().equals(m.name())).toList();
        ChartParts.secondLegendLine(chart, ChartParts.migrationsObservable(m), phases.isEmpty() ? null : "workload phase");
        ChartParts.phaseSpans(phases, t0, name -> color).forEach(chart::span);
        chart.panel("size", "Size (entries)", Ticks.Unit.COUNT, List.of(ChartParts.size(m, t0, color)));
        chart.panel("bytes", "Estimated bytes of the map's structure", Ticks.Unit.BYTES,
                List.of(ChartParts.bytes(m, t0, color)));
        chart.lane(ChartParts.migrationLane(m, t0));
        return chart.render();
    }
}
