package dev.ebb.spi;

import java.util.Objects;

/**
 * What the destination said about one record of a batch.
 *
 * @param key           the {@link OutboundRecord#key()} it answers
 * @param accepted      true when the destination applied the write; false when it refused this record
 * @param destinationId the vendor's id of the record, when the answer carries one; may be {@code null}
 * @param reason        the vendor's own reason for a refusal (category and message); {@code null} when accepted
 */
public record RecordResult(String key, boolean accepted, String destinationId, String reason) {
    public RecordResult {
        Objects.requireNonNull(key, "key");
        if (!accepted && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a rejection carries the destination's reason");
        }
    }

    public static RecordResult accepted(String key, String destinationId) {
        return new RecordResult(key, true, destinationId, null);
    }

    public static RecordResult rejected(String key, String reason) {
        return new RecordResult(key, false, null, reason);
    }
}
