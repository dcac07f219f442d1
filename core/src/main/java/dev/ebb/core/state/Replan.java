package dev.ebb.core.state;

/** Which rows a plan sends. */
public enum Replan {
    /** Rows that differ from the snapshot, or whose last write is still in flight. */
    CHANGES_ONLY,
    /** Every valid row, whatever the snapshot says (the sync's spec changed, so its fingerprints mean nothing). */
    EVERY_ROW
}
