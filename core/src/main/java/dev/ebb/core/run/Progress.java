package dev.ebb.core.run;

import dev.ebb.core.state.PlanCounts;

/**
 * Hears how a run advances, for a progress line. Called from the running thread; implementations return quickly.
 */
public interface Progress {
    Progress NONE = new Progress() {
    };

    /** Rows read from the model so far. */
    default void extracted(long rows) {
    }

    /** The plan is known. */
    default void planned(PlanCounts counts) {
    }

    /** After each batch: rows with a final outcome so far, calls made, throttles met. */
    default void delivered(long rows, long total, long calls, long throttles) {
    }
}
