package dev.ebb.core.config;

/** {@code match:} of a sync: the model column whose value identifies the record by the destination field. */
public record Match(String column, String field, Location location) {
}
