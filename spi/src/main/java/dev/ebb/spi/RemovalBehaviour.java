package dev.ebb.spi;

/** What a sync does at the destination when a row leaves the model ({@code on_removed:}). */
public enum RemovalBehaviour {
    /** Nothing: the record stays as it is. */
    IGNORE,
    /** Set every mapped field of the record to empty. */
    CLEAR_FIELDS,
    /** Delete (or archive, where the vendor only archives) the record. */
    DELETE
}
