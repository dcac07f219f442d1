package dev.ebb.server.web;

import dev.ebb.core.config.Schedule;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.ConflictStatus;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.OutcomePage;
import dev.ebb.core.state.RunOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.StateException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The data of each page, as plain maps of strings, numbers and lists for its template. Reads the run log and the
 * conflicts through the {@link UiBackend}; never writes. Thread-safe.
 */
final class Pages {
    /** Rows per page of a run's outcomes. */
    static final int PAGE_SIZE = 50;
    /** Runs drawn in a sync's history. */
    static final int HISTORY = 30;
    /** A composite key's values are stored joined by this separator and shown joined by commas. */
    private static final char KEY_SEPARATOR = '\u001F';

    private final UiBackend backend;
    private final Clock clock;

    Pages(UiBackend backend, Clock clock) {
        this.backend = backend;
        this.clock = clock;
    }

    /** Every sync: its schedule, state, last run and next run, and the last run's rows by outcome. */
    Map<String, Object> overview() throws StateException {
        Instant now = clock.instant();
        List<Map<String, Object>> syncs = new ArrayList<>();
        for (SyncConfig sync : backend.project().syncs().values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", sync.name());
            row.put("destination", sync.destination() + " · " + sync.object());
            row.put("schedule", schedule(sync.schedule()));
            row.put("paused", backend.paused(sync.name()));
            row.put("nextRun", backend.nextRun(sync.name()).map(Views::time).orElse("—"));
            List<RunRecord> last = backend.runs().runs(sync.name(), 1);
            row.put("hasRun", !last.isEmpty());
            if (!last.isEmpty()) row.put("last", Views.run(last.getFirst(), now));
            row.put("openConflicts", backend.conflicts().openConflicts(sync.name(), null).size());
            syncs.add(row);
        }
        return Map.of("syncs", syncs, "empty", syncs.isEmpty());
    }

    /** A sync's history: its runs newest first, and the two charts, oldest first. */
    Map<String, Object> sync(SyncConfig sync) throws StateException {
        Instant now = clock.instant();
        List<RunRecord> runs = backend.runs().runs(sync.name(), HISTORY);
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("name", sync.name());
        scope.put("model", sync.model());
        scope.put("destination", sync.destination() + " · " + sync.object());
        scope.put("mode", sync.mode().name().toLowerCase(Locale.ROOT));
        scope.put("schedule", schedule(sync.schedule()));
        scope.put("paused", backend.paused(sync.name()));
        scope.put("nextRun", backend.nextRun(sync.name()).map(Views::time).orElse("—"));
        scope.put("runs", runs.stream().map(r -> Views.run(r, now)).toList());
        scope.put("hasRuns", !runs.isEmpty());
        scope.put("live", runs.stream().anyMatch(Views::live));
        scope.put("chart", HistoryChart.of(runs.reversed(), now));
        return scope;
    }

    /**
     * A run: its counts, and one page of its rows, filtered by status and by a part of the key.
     *
     * @param status an outcome's name, or null or blank for every outcome
     */
    Optional<Map<String, Object>> run(long runId, String status, String keyPart, int page) throws StateException {
        Optional<RunRecord> found = backend.runs().run(runId);
        if (found.isEmpty()) return Optional.empty();
        RunRecord run = found.get();
        Outcome outcome = outcome(status);
        String part = keyPart == null ? "" : keyPart.strip().replace(',', KEY_SEPARATOR);
        int pageNo = Math.max(1, page);
        OutcomePage rows = backend.runs().outcomePage(runId, outcome, part, (pageNo - 1) * PAGE_SIZE, PAGE_SIZE);
        Map<String, Object> scope = new LinkedHashMap<>(Views.run(run, clock.instant()));
        List<Map<String, Object>> shown = new ArrayList<>();
        for (RunOutcome o : rows.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", o.key() == null ? "(no key)" : o.key().replace(KEY_SEPARATOR, ','));
            row.put("change", o.change() == null ? "" : o.change());
            row.put("operation", o.operation() == null ? "not sent" : o.operation());
            row.put("outcome", o.outcome().name().toLowerCase(Locale.ROOT));
            row.put("reason", o.reason() == null ? "" : o.reason());
            shown.add(row);
        }
        scope.put("rows", shown);
        scope.put("hasRows", !shown.isEmpty());
        scope.put("total", rows.total());
        scope.put("key", keyPart == null ? "" : keyPart.strip());
        scope.put("statuses", statuses(outcome));
        long pages = Math.max(1, (rows.total() + PAGE_SIZE - 1) / PAGE_SIZE);
        scope.put("page", pageNo);
        scope.put("pages", pages);
        String filter = "&status=" + (outcome == null ? "" : status.strip().toLowerCase(Locale.ROOT))
                + "&key=" + java.net.URLEncoder.encode(keyPart == null ? "" : keyPart.strip(),
                java.nio.charset.StandardCharsets.UTF_8);
        if (pageNo > 1) scope.put("previous", "?page=" + (pageNo - 1) + filter);
        if (pageNo < pages) scope.put("next", "?page=" + (pageNo + 1) + filter);
        return Optional.of(scope);
    }

    /** A dry run's counts, sample payloads, invalid rows and warnings. */
    Map<String, Object> plan(PlanReport report) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("name", report.sync());
        scope.put("rows", report.counts().rows());
        scope.put("added", report.counts().added());
        scope.put("changed", report.counts().changed());
        scope.put("removed", report.counts().removed());
        scope.put("unchanged", report.counts().unchanged());
        scope.put("invalid", report.counts().invalid());
        scope.put("toSend", report.counts().toSend());
        scope.put("breach", report.guardBreach() == null ? "" : report.guardBreach());
        scope.put("warnings", report.warnings());
        scope.put("samples", report.samples().stream().map(s -> Map.of(
                "key", s.key().replace(KEY_SEPARATOR, ','), "change", s.change(), "operation", s.operation(),
                "fields", s.fields().entrySet().stream().map(f -> Map.of("field", f.getKey(),
                        "value", String.valueOf(f.getValue()))).toList())).toList());
        scope.put("invalidRows", report.invalid().stream().map(i -> Map.of(
                "key", i.key() == null ? "(no key)" : i.key().replace(KEY_SEPARATOR, ','), "reason", i.reason()))
                .toList());
        return scope;
    }

    /** Conflicts, open first: the person's value and the warehouse's side by side, and how each was settled. */
    Map<String, Object> conflicts(String sync) throws StateException {
        List<Map<String, Object>> open = new ArrayList<>();
        List<Map<String, Object>> resolved = new ArrayList<>();
        for (Conflict c : backend.conflicts().conflicts(sync, null)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sync", c.sync());
            row.put("key", c.key().replace(KEY_SEPARATOR, ','));
            row.put("storedKey", c.key());
            row.put("field", c.field());
            row.put("destinationValue", c.destinationValue() == null ? "(empty)" : c.destinationValue());
            row.put("warehouseValue", c.warehouseValue() == null ? "(empty)" : c.warehouseValue());
            row.put("runId", c.runId());
            row.put("detectedAt", Views.time(c.detectedAt()));
            row.put("resolution", c.resolution() == null ? "" : c.resolution().label());
            (c.status() == ConflictStatus.OPEN ? open : resolved).add(row);
        }
        return Map.of("open", open, "resolved", resolved, "hasOpen", !open.isEmpty(),
                "hasResolved", !resolved.isEmpty(), "sync", sync == null ? "" : sync);
    }

    /** The outcome a status filter names; null for none; a name that is no outcome is refused. */
    static Outcome outcome(String status) {
        if (status == null || status.isBlank()) return null;
        try {
            return Outcome.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status must be one of delivered, rejected, invalid, failed, skipped"
                    + " (or empty for all), not '" + status.strip() + "'");
        }
    }

    private static List<Map<String, Object>> statuses(Outcome selected) {
        List<Map<String, Object>> list = new ArrayList<>();
        list.add(Map.of("value", "", "label", "every status", "selected", selected == null));
        for (Outcome o : Outcome.values()) {
            String name = o.name().toLowerCase(Locale.ROOT);
            list.add(Map.of("value", name, "label", name, "selected", o == selected));
        }
        return list;
    }

    static String schedule(Schedule schedule) {
        if (schedule == null || schedule.manual()) return "manual";
        if (schedule.every() != null) return "every " + schedule.every().toString().substring(2).toLowerCase(Locale.ROOT);
        return "cron " + schedule.cron();
    }
}
