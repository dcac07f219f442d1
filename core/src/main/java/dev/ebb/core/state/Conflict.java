package dev.ebb.core.state;

import java.time.Instant;

/**
 * A field of a record that a person changed since Ebb last wrote it (respect_manual_edits): Ebb kept the person's
 * value and waits for a decision.
 *
 * @param baseHash         the hash of the value Ebb last wrote (Ebb keeps hashes, not values, of what it wrote)
 * @param destinationValue the person's value, as read back when the conflict was found
 * @param warehouseValue   the model's value at that time
 * @param status           open, or resolved
 * @param resolution       whose value was kept, once resolved; {@code null} while open
 */
public record Conflict(String sync, String key, String field, String baseHash, String destinationValue,
                       String warehouseValue, long runId, Instant detectedAt, ConflictStatus status,
                       Resolution resolution) {
}
