package dev.ebb.server.web;

import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the pages show times, durations and a run's counts. Stateless. */
final class Views {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Views() {
    }

    static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** A run's duration, or how long it has been going ("12.3 s so far"). */
    static String duration(RunRecord run, Instant now) {
        Duration d = Duration.between(run.startedAt(), run.finishedAt() == null ? now : run.finishedAt());
        String text = seconds(d);
        return run.finishedAt() == null ? text + " so far" : text;
    }

    static String seconds(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 60_000) return String.format("%.1f s", ms / 1000.0);
        return String.format("%d min %02d s", ms / 60_000, (ms / 1000) % 60);
    }

    /** Whether the run can still change: the page keeps polling its progress. */
    static boolean live(RunRecord run) {
        return run.status() == RunStatus.RUNNING;
    }

    /** A CSS class per status: ok, warn, bad, or idle. */
    static String tone(RunStatus status) {
        return switch (status) {
            case SUCCEEDED, APPROVED -> "ok";
            case COMPLETED_WITH_ERRORS, AWAITING_APPROVAL, QUOTA_EXHAUSTED, CANCELLED -> "warn";
            case FAILED, ABANDONED -> "bad";
            case RUNNING, REJECTED -> "idle";
        };
    }

    /** A run as the pages and the progress endpoint show it: every value a plain string or number. */
    static Map<String, Object> run(RunRecord r, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", r.runId());
        m.put("sync", r.sync());
        m.put("status", r.status().label());
        m.put("tone", tone(r.status()));
        m.put("live", live(r));
        m.put("startedAt", time(r.startedAt()));
        m.put("finishedAt", time(r.finishedAt()));
        m.put("duration", duration(r, now));
        m.put("added", r.added());
        m.put("changed", r.changed());
        m.put("removed", r.removed());
        m.put("unchanged", r.unchanged());
        m.put("invalid", r.invalid());
        m.put("delivered", r.delivered());
        m.put("rejected", r.rejected());
        m.put("failed", r.failed());
        m.put("skipped", r.skipped());
        m.put("apiCalls", r.apiCalls());
        m.put("throttles", r.throttles());
        m.put("retries", r.retries());
        m.put("conflicts", r.conflicts());
        long planned = r.added() + r.changed() + r.removed();
        long settled = r.delivered() + r.rejected() + r.failed() + r.skipped();
        m.put("planned", planned);
        m.put("settled", settled);
        m.put("percent", planned == 0 ? (live(r) ? 0 : 100) : Math.min(100, settled * 100 / planned));
        m.put("message", r.message() == null ? "" : r.message());
        m.put("held", r.status() == RunStatus.AWAITING_APPROVAL);
        return m;
    }
}
