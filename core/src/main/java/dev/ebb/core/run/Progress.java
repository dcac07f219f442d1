package dev.ebb.core.run;

import dev.ebb.core.state.PlanCounts;
import java.time.Duration;

/**
 * Hears how a run advances, for a progress line. Called from the running thread; implementations return quickly.
 */
public interface Progress {
    Progress NONE = new Progress() {
    };

    /** The run is open in the run log under {@code runId}; before the model is read. */
    default void started(long runId) {
    }

    /** Rows read from the model so far. */
    default void extracted(long rows) {
    }

    /** The plan is known. */
    default void planned(PlanCounts counts) {
    }

    /** After each batch: rows with a final outcome so far, calls made, throttles met. */
    default void delivered(long rows, long total, long calls, long throttles) {
    }

    /**
     * The run is about to wait {@code duration} because of {@code reason} (throttled, backing off, pacing to the rate
     * limit, an asynchronous job): said before the wait, so that a long one does not look like a hang. May be called
     * from several threads at once.
     */
    default void waiting(Duration duration, String reason) {
    }
}
