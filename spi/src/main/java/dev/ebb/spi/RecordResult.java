package dev.ebb.spi;

import java.util.Objects;

/**
 * What the destination said about one record of a batch.
 *
 * @param key           the {@link OutboundRecord#key()} it answers
 * @param status        whether the destination applied the write, refused this record, or could not apply it
 *                      for a reason that may pass
 * @param destinationId the vendor's id of the record, when the answer carries one; may be {@code null}
 * @param reason        the vendor's own reason for a refusal or failure (category and message); {@code null} when
 *                      accepted
 */
public record RecordResult(String key, Status status, String destinationId, String reason) {

    /** The three answers a destination can give about one record. */
    public enum Status {
        /** The write was applied. */
        ACCEPTED,
        /** The vendor refused this record for what it holds (a malformed email, a missing required field). */
        REJECTED,
        /**
         * The vendor could not apply the write for a reason that may pass (a locked row, a timeout inside a bulk
         * job): the runtime records the row failed with the reason and plans it again at the next run.
         */
        FAILED
    }

    public RecordResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        if (status != Status.ACCEPTED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a " + status.name().toLowerCase(java.util.Locale.ROOT)
                    + " record carries the destination's reason");
        }
    }

    /** Whether the destination applied the write. */
    public boolean accepted() {
        return status == Status.ACCEPTED;
    }

    public static RecordResult accepted(String key, String destinationId) {
        return new RecordResult(key, Status.ACCEPTED, destinationId, null);
    }

    public static RecordResult rejected(String key, String reason) {
        return new RecordResult(key, Status.REJECTED, null, reason);
    }

    /** The record was not applied, for a reason that may pass; a later run sends it again. */
    public static RecordResult failed(String key, String reason) {
        return new RecordResult(key, Status.FAILED, null, reason);
    }
}
