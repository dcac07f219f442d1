package dev.ebb.server.web;

import dev.ebb.core.state.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The geometry of a sync's two history charts, drawn as SVG by the template: rows by outcome per run (stacked bars)
 * and each run's duration (bars). Only numbers and escaped labels reach the page. Stateless.
 */
final class HistoryChart {
    static final int WIDTH = 720;
    static final int HEIGHT = 160;
    private static final int LEFT = 48;
    private static final int BOTTOM = 20;
    private static final String[] OUTCOMES = {"delivered", "rejected", "invalid", "failed", "skipped"};

    private HistoryChart() {
    }

    /**
     * The charts' scope for {@code runs}, oldest first.
     *
     * @return {@code width}, {@code height}, {@code rowBars} (each with its stacked {@code parts}),
     *         {@code durationBars}, the axes' top labels, and {@code empty} when there is nothing to draw
     */
    static Map<String, Object> of(List<RunRecord> runs, Instant now) {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("width", WIDTH);
        chart.put("height", HEIGHT);
        chart.put("empty", runs.isEmpty());
        chart.put("axisX", LEFT);
        chart.put("axisY", HEIGHT - BOTTOM);
        long maxRows = 1;
        long maxMillis = 1;
        for (RunRecord r : runs) {
            maxRows = Math.max(maxRows, rows(r));
            maxMillis = Math.max(maxMillis, millis(r, now));
        }
        chart.put("maxRows", String.format(Locale.ROOT, "%,d rows", maxRows));
        chart.put("maxDuration", Views.seconds(Duration.ofMillis(maxMillis)));
        double slot = runs.isEmpty() ? 0 : (double) (WIDTH - LEFT) / runs.size();
        double barWidth = Math.max(2, slot * 0.7);
        int plot = HEIGHT - BOTTOM - 4;
        List<Map<String, Object>> rowBars = new ArrayList<>();
        List<Map<String, Object>> durationBars = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunRecord r = runs.get(i);
            double x = LEFT + i * slot + (slot - barWidth) / 2;
            long[] counts = {r.delivered(), r.rejected(), r.invalid(), r.failed(), r.skipped()};
            List<Map<String, Object>> parts = new ArrayList<>();
            double y = HEIGHT - BOTTOM;
            for (int k = 0; k < OUTCOMES.length; k++) {
                if (counts[k] == 0) continue;
                double h = Math.max(1, (double) counts[k] * plot / maxRows);
                y -= h;
                parts.add(Map.of("x", fmt(x), "y", fmt(y), "w", fmt(barWidth), "h", fmt(h),
                        "outcome", OUTCOMES[k], "title", "run " + r.runId() + ": " + counts[k] + " " + OUTCOMES[k]));
            }
            Map<String, Object> bar = new LinkedHashMap<>();
            bar.put("runId", r.runId());
            bar.put("parts", parts);
            rowBars.add(bar);
            double h = Math.max(1, (double) millis(r, now) * plot / maxMillis);
            durationBars.add(Map.of("x", fmt(x), "y", fmt(HEIGHT - BOTTOM - h), "w", fmt(barWidth), "h", fmt(h),
                    "tone", Views.tone(r.status()), "runId", r.runId(),
                    "title", "run " + r.runId() + ": " + Views.duration(r, now) + ", " + r.status().label()));
        }
        chart.put("rowBars", rowBars);
        chart.put("durationBars", durationBars);
        return chart;
    }

    private static long rows(RunRecord r) {
        return r.delivered() + r.rejected() + r.invalid() + r.failed() + r.skipped();
    }

    private static long millis(RunRecord r, Instant now) {
        return Math.max(0, Duration.between(r.startedAt(), r.finishedAt() == null ? now : r.finishedAt()).toMillis());
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
