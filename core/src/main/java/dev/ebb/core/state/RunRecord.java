package dev.ebb.core.state;

import java.time.Instant;

/**
 * One run in the run log.
 *
 * @param status {@code running}, {@code succeeded}, {@code completed_with_errors}, {@code failed}, {@code abandoned}
 */
public record RunRecord(long runId, String sync, Instant startedAt, Instant finishedAt, String status, long added,
                        long changed, long removed, long unchanged, long invalid, long delivered, long rejected,
                        long failed, long skipped, long apiCalls, long throttles, long retries, String message) {
}
