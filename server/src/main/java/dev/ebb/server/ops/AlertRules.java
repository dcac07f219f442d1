package dev.ebb.server.ops;

import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which alerts a finished run raises. Each sync has a set of conditions in force; a run that brings a
 * condition raises it once, the runs that keep it raise nothing, and the first run without it clears it (one "it
 * recovered" alert). Thread-safe.
 */
final class AlertRules {
    private final long maxRejected;
    private final Map<String, Set<Alert.Condition>> inForce = new ConcurrentHashMap<>();

    AlertRules(long maxRejected) {
        this.maxRejected = maxRejected;
    }

    /** Takes in a run that is already over at start-up: its conditions hold without an alert. */
    void remember(RunRecord run) {
        inForce.put(run.sync(), conditions(run));
    }

    /** The alerts a newly finished run raises, in the order they should be sent. */
    List<Alert> consider(RunRecord run) {
        Set<Alert.Condition> now = conditions(run);
        Set<Alert.Condition> before = inForce.getOrDefault(run.sync(), EnumSet.noneOf(Alert.Condition.class));
        List<Alert> alerts = new ArrayList<>();
        for (Alert.Condition c : Alert.Condition.values()) {
            if (now.contains(c) && !before.contains(c)) alerts.add(alert(c, false, run));
            if (!now.contains(c) && before.contains(c)) alerts.add(alert(c, true, run));
        }
        inForce.put(run.sync(), now);
        return alerts;
    }

    private Set<Alert.Condition> conditions(RunRecord run) {
        Set<Alert.Condition> found = EnumSet.noneOf(Alert.Condition.class);
        switch (run.status()) {
            case FAILED, ABANDONED -> found.add(Alert.Condition.FAILING);
            case AWAITING_APPROVAL -> found.add(Alert.Condition.AWAITING_APPROVAL);
            case QUOTA_EXHAUSTED -> found.add(Alert.Condition.QUOTA_SPENT);
            case SUCCEEDED, COMPLETED_WITH_ERRORS, APPROVED, REJECTED, RUNNING -> {
            }
        }
        if (run.rejected() > maxRejected) found.add(Alert.Condition.REJECTED_ROWS);
        return found;
    }

    private Alert alert(Alert.Condition condition, boolean cleared, RunRecord run) {
        String sync = run.sync();
        String message = cleared ? switch (condition) {
            case FAILING -> "Sync " + sync + " recovered: run " + run.runId() + " ended " + run.status() + ".";
            case REJECTED_ROWS -> "Sync " + sync + " is back within " + maxRejected + " rejected rows (run "
                    + run.runId() + ": " + run.rejected() + ").";
            case AWAITING_APPROVAL -> "Sync " + sync + " no longer waits for approval (run " + run.runId() + " "
                    + run.status() + ").";
            case QUOTA_SPENT -> "Sync " + sync + " is sending again: run " + run.runId() + " was not stopped by a "
                    + "quota.";
        } : switch (condition) {
            case FAILING -> "Sync " + sync + " is failing: run " + run.runId() + " ended " + run.status()
                    + (run.message() == null ? "" : ": " + run.message()) + ".";
            case REJECTED_ROWS -> "Sync " + sync + ": run " + run.runId() + " had " + run.rejected()
                    + " rejected rows (more than " + maxRejected + "); look at its rows and their reasons.";
            case AWAITING_APPROVAL -> "Sync " + sync + ": run " + run.runId() + " is held for approval, nothing "
                    + "was sent" + (run.message() == null ? "" : " (" + run.message() + ")")
                    + "; approve or reject it.";
            case QUOTA_SPENT -> "Sync " + sync + ": run " + run.runId() + " stopped, the destination's quota is "
                    + "spent" + (run.message() == null ? "" : ": " + run.message()) + ".";
        };
        return new Alert(condition, cleared, sync, run.runId(), run.status().label(), message,
                run.finishedAt() == null ? run.startedAt() : run.finishedAt());
    }

    /** Whether a run is over, so its conditions are known. */
    static boolean over(RunRecord run) {
        return run.status() != RunStatus.RUNNING;
    }
}
