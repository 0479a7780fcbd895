package io.github.stripedmap.tracing.report;

import io.github.stripedmap.tracing.report.RecordingModel.MapData;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The all-maps chart: every map on the same axes, so they compare at a glance. A panel of size
 * (entries) and a panel of estimated bytes over the whole recording, one line per map; the workload's
 * phases shaded behind them (when the recording has phase events), tinted by the map they ran on; and
 * under them, one lane per map with its migrations by kind, or a note that its resizes cannot be seen.
 */
final class CombinedChart {

    /** The {@code id} of its {@code <svg>} element. */
    static final String ID = "all-maps-chart";
    /** Maps drawn at most: those with the highest peak bytes (the others have their own charts). */
    static final int MAX_MAPS = 8;

    private final RecordingModel model;
    private final List<MapData> maps;

    /**
     * @param model the recording
     */
    CombinedChart(RecordingModel model) {
        this.model = model;
        List<MapData> drawable = new ArrayList<>(model.maps().stream()
                .filter(m -> !m.samples().isEmpty() || !m.migrations().isEmpty()).toList());
        if (drawable.size() > MAX_MAPS) {
            List<MapData> biggest = drawable.stream()
                    .sorted(Comparator.comparingLong(CombinedChart::peakBytes).reversed()).limit(MAX_MAPS).toList();
            drawable.retainAll(biggest);
        }
        this.maps = List.copyOf(drawable);
    }

    /** @return the maps it draws, in the recording's order */
    List<MapData> maps() {
        return maps;
    }

    /** @return how many maps of the recording it leaves out */
    int left() {
        return model.maps().size() - maps.size();
    }

    /**
     * @param standalone true for an {@code .svg} file of its own, false for inlining in HTML
     * @return the chart, or an empty string if no map has anything to draw
     */
    String render(boolean standalone) {
        if (maps.isEmpty()) {
            return "";
        }
        Instant t0 = model.first();
        TimeChart chart = new TimeChart(ID, (maps.size() == 2 ? "Both maps" : "All maps")
                + ": size and estimated bytes over the recording, migrations marked",
                TextReport.seconds(t0, model.last()), ChartParts.timeTitle(t0));
        Map<String, String> colors = new HashMap<>();
        List<TimeChart.Series> sizes = new ArrayList<>();
        List<TimeChart.Series> bytes = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            MapData m = maps.get(i);
            String color = ChartParts.mapColor(i);
            colors.putIfAbsent(m.name(), color);
            chart.legend(new TimeChart.LegendItem(true, color, ChartParts.describe(m)));
            sizes.add(ChartParts.size(m, t0, color));
            bytes.add(ChartParts.bytes(m, t0, color));
        }
        ChartParts.secondLegendLine(chart, maps.stream().anyMatch(ChartParts::migrationsObservable),
                model.phases().isEmpty() ? null : "workload phase (tinted by map)");
        ChartParts.phaseSpans(model.phases(), t0, colors::get).forEach(chart::span);
        chart.panel("size", "Size (entries)", Ticks.Unit.COUNT, sizes);
        chart.panel("bytes", "Estimated bytes of the map's structure", Ticks.Unit.BYTES, bytes);
        for (MapData m : maps) {
            chart.lane(ChartParts.migrationLane(m, t0));
        }
        return chart.render(standalone);
    }

    private static long peakBytes(MapData m) {
        return m.samples().stream().mapToLong(RecordingModel.Sample::estimatedBytes).max().orElse(0);
    }
}
