package dev.ebb.server.web;

import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Redaction;
import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.RunLog;
import dev.ebb.core.state.ConflictLog;
import java.time.Instant;
import java.util.Optional;

/**
 * What the web UI needs from the server: the project, the state store to read, the schedule, the same token check
 * as the API, and the actions an operator takes. The server implements it over its scheduler and engine; the UI
 * never runs a sync itself. Implementations are thread-safe: every request thread calls them.
 */
public interface UiBackend {

    /** The project served. */
    ProjectConfig project();

    /** The run log, read by every page. */
    RunLog runs();

    /** Conflicts (respect_manual_edits), for the conflicts page. */
    ConflictLog conflicts();

    /** What to take out of every page: the project's resolved secrets. */
    Redaction redaction();

    /** The user a token stands for, checked exactly as the API checks it; empty for an unknown or expired token. */
    Optional<UiUser> authenticate(String token);

    /** When the scheduler runs the sync next; empty for a manual or paused sync. */
    Optional<Instant> nextRun(String sync);

    /** Whether the sync's schedule is paused. */
    boolean paused(String sync);

    /**
     * Queues a run of the sync now, as the API's trigger does.
     *
     * @return the id of the run when it has already started, else empty (queued behind another run)
     * @throws Refused when the sync cannot be queued (unknown, already running, the queue is full)
     */
    Optional<Long> trigger(String sync, UiUser by) throws Refused;

    /** Approves a held run: its plan is delivered by a new run, queued like a trigger. */
    void approve(long runId, UiUser by) throws Refused;

    /** Rejects a held run: nothing of its plan is delivered. */
    void reject(long runId, UiUser by) throws Refused;

    /** Settles a conflict for the warehouse's value or the person's. */
    void resolve(String sync, String key, String field, Resolution resolution, UiUser by) throws Refused;

    /** A dry run of the sync: what a run would send now. Writes nothing. */
    PlanReport plan(String sync, int samplesPerKind) throws Refused;

    /** An action or a preview that could not be done; its message says why, and is shown to the user as it is. */
    final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }
}
