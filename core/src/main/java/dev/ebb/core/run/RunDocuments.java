package dev.ebb.core.run;

import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.LoggedOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.SnapshotEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The snake_case documents of runs, conflicts and a key's story, as the CLI's {@code --json} prints them and
 * {@code ebb serve}'s API answers them (docs/json/). Stateless.
 */
public final class RunDocuments {
    private RunDocuments() {
    }

    /** A run; a live one with its duration so far ({@code now}) and what its commits delivered. */
    public static Map<String, Object> run(RunRecord r, Instant now) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("run_id", r.runId());
        doc.put("sync", r.sync());
        doc.put("status", r.status().label());
        doc.put("started_at", String.valueOf(r.startedAt()));
        doc.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
        doc.put("duration_ms", Duration.between(r.startedAt(), r.finishedAt() == null ? now : r.finishedAt())
                .toMillis());
        doc.put("added", r.added());
        doc.put("changed", r.changed());
        doc.put("removed", r.removed());
        doc.put("unchanged", r.unchanged());
        doc.put("invalid", r.invalid());
        doc.put("delivered", r.delivered());
        doc.put("rejected", r.rejected());
        doc.put("failed", r.failed());
        doc.put("skipped", r.skipped());
        doc.put("api_calls", r.apiCalls());
        doc.put("throttles", r.throttles());
        doc.put("retries", r.retries());
        doc.put("read_calls", r.readCalls());
        doc.put("conflicts", r.conflicts());
        doc.put("message", r.message());
        return doc;
    }

    public static Map<String, Object> conflict(Conflict c) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("sync", c.sync());
        doc.put("key", c.key());
        doc.put("field", c.field());
        doc.put("ebb_last_value_hash", c.baseHash());
        doc.put("destination_value", c.destinationValue());
        doc.put("warehouse_value", c.warehouseValue());
        doc.put("run_id", c.runId());
        doc.put("detected_at", c.detectedAt().toString());
        doc.put("status", c.status().label());
        doc.put("resolution", c.resolution() == null ? null : c.resolution().label());
        return doc;
    }

    /** A dry run's plan: counts, samples, invalid rows, warnings, the guard it would cross. */
    public static Map<String, Object> plan(PlanReport plan) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("sync", plan.sync());
        doc.put("counts", plan.counts());
        doc.put("samples", plan.samples());
        doc.put("invalid", plan.invalid());
        doc.put("warnings", plan.warnings());
        doc.put("api_calls", plan.apiCalls());
        doc.put("guard", plan.guardBreach());
        return doc;
    }

    /** One entry of a key's outcome history. */
    public static Map<String, Object> outcome(LoggedOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", o.runId());
        m.put("change", o.change());
        m.put("operation", o.operation());
        m.put("outcome", o.outcome());
        m.put("reason", o.reason());
        m.put("fingerprint", o.fingerprint());
        m.put("at", o.at().toString());
        return m;
    }

    /** Why a key was or was not sent, from its snapshot entry, its history (newest first) and the newest run. */
    public static String why(Optional<SnapshotEntry> entry, List<LoggedOutcome> history, List<RunRecord> runs) {
        if (runs.isEmpty()) return "the sync has not run yet";
        long lastRun = runs.getFirst().runId();
        LoggedOutcome last = history.isEmpty() ? null : history.getFirst();
        if (last == null || last.runId() != lastRun) {
            if (entry.isPresent()) {
                return "not sent by the last run (" + lastRun + "): its fingerprint equals the snapshot's, so the "
                        + "destination already has these values";
            }
            return "not in the last run's model, and nothing is known about it";
        }
        return switch (last.outcome()) {
            case "delivered" -> "sent by run " + lastRun + " because it was " + last.change() + "; the destination "
                    + "acknowledged it";
            case "rejected" -> "sent by run " + lastRun + " but the destination refused it (" + last.reason()
                    + "); the next run sends it again";
            case "invalid" -> "not sent by run " + lastRun + ": " + last.reason();
            case "failed" -> "run " + lastRun + " could not deliver it (" + last.reason() + "); the next run sends "
                    + "it again";
            case "skipped" -> "left alone by run " + lastRun + ": " + last.reason();
            default -> last.outcome();
        };
    }
}
