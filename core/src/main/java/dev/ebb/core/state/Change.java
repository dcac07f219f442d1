package dev.ebb.core.state;

/** How a row differs from the snapshot. */
public enum Change {
    ADDED,
    CHANGED,
    REMOVED,
    /** Not compared: the row was invalid. */
    NONE
}
