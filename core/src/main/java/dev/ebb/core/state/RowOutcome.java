package dev.ebb.core.state;

import dev.ebb.spi.Operation;

/**
 * One row's outcome, as the run log records it and the snapshot is advanced by.
 *
 * @param key           the row's key
 * @param change        how it differed from the snapshot
 * @param operation     the write it became, or {@code null} when none was sent
 * @param outcome       what happened
 * @param reason        why (the destination's reason, the invalid value, the failure); may be {@code null}
 * @param fingerprint   the row's fingerprint in this run, or {@code null} for removed or invalid rows
 * @param matchValue    the match value, or {@code null} when unknown
 * @param destinationId the vendor's id, when known
 * @param fieldHashes   per field owned under respect_manual_edits, the hash of the value Ebb last wrote, encoded
 *                      by {@link FieldHashes}; {@code null} when the sync has no such field
 * @param payload       the values this write sends, as {@code Payload} encodes them, kept in the snapshot when it
 *                      advances so that a later removal can send them again; only add_remove syncs keep them, the
 *                      others pass {@code null} (their snapshot holds hashes, never values)
 * @param quick         the quick hash of the values the fingerprint was computed from ({@link PlannedRow#quick}),
 *                      kept beside it by a snapshot that plans by it; {@code null} when unknown
 */
public record RowOutcome(String key, Change change, Operation operation, Outcome outcome, String reason,
                         String fingerprint, String matchValue, String destinationId, String fieldHashes,
                         String payload, Long quick) {

    public RowOutcome(String key, Change change, Operation operation, Outcome outcome, String reason,
                      String fingerprint, String matchValue, String destinationId, String fieldHashes,
                      String payload) {
        this(key, change, operation, outcome, reason, fingerprint, matchValue, destinationId, fieldHashes, payload,
                null);
    }

    public RowOutcome(String key, Change change, Operation operation, Outcome outcome, String reason,
                      String fingerprint, String matchValue, String destinationId, String fieldHashes) {
        this(key, change, operation, outcome, reason, fingerprint, matchValue, destinationId, fieldHashes, null);
    }

    public RowOutcome(String key, Change change, Operation operation, Outcome outcome, String reason,
                      String fingerprint, String matchValue, String destinationId) {
        this(key, change, operation, outcome, reason, fingerprint, matchValue, destinationId, null);
    }
}
