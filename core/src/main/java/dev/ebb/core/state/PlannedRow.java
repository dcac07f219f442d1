package dev.ebb.core.state;

/**
 * One row of a plan: a model row that differs from the snapshot, or a snapshot entry (or in-flight write) whose row
 * left the model.
 *
 * @param fingerprint   the row's fingerprint now; {@code null} for a removal
 * @param matchValue    the value that identifies its record
 * @param payload       its mapped values as {@code Payload} encodes them; {@code null} for a removal
 * @param destinationId the vendor's id of its record, when the snapshot knows it
 * @param rematched     for a removal: another row of the model now has this match value, so its record is theirs
 * @param fieldHashes   the hashes of the values Ebb last wrote to owned fields, or {@code null}
 * @param delivered     for a changed or removed row of an add_remove sync: the values last delivered for it, as
 *                      {@code Payload} encodes them (what its removal sends again); {@code null} when unknown
 * @param quick         the quick hash of the values its fingerprint was computed from (see
 *                      {@code state.sql.InPlacePlanSql}), which the snapshot keeps beside it; {@code null} when the
 *                      plan has none
 */
public record PlannedRow(String key, String fingerprint, String matchValue, String payload, String destinationId,
                         Change change, boolean rematched, String fieldHashes, String delivered, Long quick) {

    /** A row without a quick hash. */
    public PlannedRow(String key, String fingerprint, String matchValue, String payload, String destinationId,
                      Change change, boolean rematched, String fieldHashes, String delivered) {
        this(key, fingerprint, matchValue, payload, destinationId, change, rematched, fieldHashes, delivered, null);
    }
}
