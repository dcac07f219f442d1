package dev.ebb.core.config;

/** Who owns a destination field ({@code policy:} of a field mapping). */
public enum FieldPolicy {
    /** Ebb writes the warehouse value whenever it changes (the default). */
    OVERWRITE,
    /** Ebb writes only while the destination field is empty. */
    IF_EMPTY,
    /** Ebb writes when it creates the record, never after. */
    CREATE_ONLY,
    /** Ebb writes unless a person changed the field since Ebb last wrote it. */
    RESPECT_MANUAL_EDITS
}
