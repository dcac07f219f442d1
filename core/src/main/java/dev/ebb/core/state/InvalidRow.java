package dev.ebb.core.state;

/** A model row that cannot be delivered, and why; {@code key} is {@code null} when the key itself was null. */
public record InvalidRow(String key, String reason) {
}
