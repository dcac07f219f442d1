package dev.ebb.core.state;

/** A key's entry in a sync's snapshot: what was last delivered, as a fingerprint. */
public record SnapshotEntry(String key, String fingerprint, String matchValue, String destinationId, long runId) {
}
