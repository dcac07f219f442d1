package dev.ebb.server.ops;

import dev.ebb.core.state.RunLog;
import dev.ebb.core.state.StateException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Whether the server can do its work ({@code /ready}): the state store answers, and the schedule runs. Liveness
 * ({@code /health}) asks nothing of either. Thread-safe.
 *
 * @param runs     read once per check
 * @param schedule whether the scheduler is started (the server's own signal)
 */
public record Readiness(RunLog runs, BooleanSupplier schedule) {

    /** What keeps the server from being ready, for a person; empty when it is. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        try {
            runs.runs(null, 1);
        } catch (StateException | RuntimeException e) {
            problems.add("the state store does not answer: " + e.getMessage());
        }
        if (!schedule.getAsBoolean()) problems.add("the schedule is not running");
        return problems;
    }
}
