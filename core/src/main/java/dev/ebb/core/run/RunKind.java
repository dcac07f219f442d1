package dev.ebb.core.run;

/** What a run sends. */
public enum RunKind {
    /** The rows that differ from the snapshot: the usual run. */
    CHANGES,
    /**
     * Every valid row of the model, as one replace of the object's membership ({@code ebb run SYNC --replace}): only
     * for add_remove syncs whose object declares {@code ObjectCapabilities.replace()}.
     */
    REPLACE
}
