package dev.ebb.core.state;

import java.time.Instant;

/**
 * One run in the run log.
 *
 * @param readCalls the calls that read current values back (field policies); included in {@code apiCalls}
 * @param conflicts fields a person had changed, kept and reported (respect_manual_edits)
 * @param status where the run stands
 */
public record RunRecord(long runId, String sync, Instant startedAt, Instant finishedAt, RunStatus status, long added,
                        long changed, long removed, long unchanged, long invalid, long delivered, long rejected,
                        long failed, long skipped, long apiCalls, long throttles, long retries, String message,
                        long readCalls, long conflicts) {

    /** A run without read-backs or conflicts. */
    public RunRecord(long runId, String sync, Instant startedAt, Instant finishedAt, RunStatus status, long added,
                     long changed, long removed, long unchanged, long invalid, long delivered, long rejected,
                     long failed, long skipped, long apiCalls, long throttles, long retries, String message) {
        this(runId, sync, startedAt, finishedAt, status, added, changed, removed, unchanged, invalid, delivered,
                rejected, failed, skipped, apiCalls, throttles, retries, message, 0, 0);
    }
}
