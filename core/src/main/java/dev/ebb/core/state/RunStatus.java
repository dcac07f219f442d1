package dev.ebb.core.state;

import java.util.Locale;

/** Where a run stands in the run log; stored and shown as its {@link #label()} ({@code completed_with_errors}). */
public enum RunStatus {
    /** Planning or delivering now, or its process died (the next run of the sync marks it {@link #ABANDONED}). */
    RUNNING,
    /** Every planned row was delivered or skipped on purpose. */
    SUCCEEDED,
    /** The run finished, and some rows were rejected, invalid or failed. */
    COMPLETED_WITH_ERRORS,
    /** The run stopped sending (unreachable, too many failed batches) or could not run. */
    FAILED,
    /** The daily quota was spent; the rows not sent stay pending. */
    QUOTA_EXHAUSTED,
    /** The plan crossed the blast-radius guard; nothing was sent until {@code ebb approve}. */
    AWAITING_APPROVAL,
    /** A held plan that was approved (and delivered by a later run). */
    APPROVED,
    /** A held plan that was rejected: never delivered. */
    REJECTED,
    /** The process stopped before the run finished; its uncommitted rows are planned again. */
    ABANDONED,
    /**
     * The run was cancelled (or its server shut down): it stopped at a batch boundary, what its batches committed
     * stays, and the rows it did not send are planned again by the next run.
     */
    CANCELLED;

    /** The name as stored and shown. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status a stored label names. */
    public static RunStatus of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return label();
    }
}
