package dev.ebb.core.config;

/** What a field mapping does with a null warehouse value ({@code nulls:}). */
public enum NullPolicy {
    /** Clear the destination field (the default). */
    CLEAR,
    /** Leave the destination field as it is. */
    SKIP
}
