package dev.ebb.core.run;

/**
 * A request to stop a run at its next batch boundary: batches in flight finish and commit, the rows not yet sent stay
 * pending (the next run plans them again), and the run ends {@code cancelled}. Set from any thread (an API call, a
 * shutdown); read by the run's delivery between batches. Thread-safe.
 */
public final class Cancellation {
    /** A run nobody can cancel. */
    public static final Cancellation NEVER = new Cancellation();

    private volatile String reason;

    /** Asks the run to stop, for {@code reason} ("cancelled by token ops", "the server is shutting down"). */
    public void cancel(String reason) {
        if (this == NEVER) throw new IllegalStateException("this run cannot be cancelled");
        synchronized (this) {
            if (this.reason == null) this.reason = reason;
        }
    }

    public boolean requested() {
        return reason != null;
    }

    /** Why the run was asked to stop, or {@code null}. */
    public String reason() {
        return reason;
    }
}
