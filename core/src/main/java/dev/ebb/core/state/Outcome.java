package dev.ebb.core.state;

/** What happened to one planned row in a run (the run log's vocabulary, DESIGN §1). */
public enum Outcome {
    /** The destination acknowledged the write; the snapshot advanced. */
    DELIVERED,
    /** The destination refused the record, with its reason; the snapshot did not advance. */
    REJECTED,
    /** Never sent: a null or duplicate key, or a value the destination cannot take. */
    INVALID,
    /** The call failed (transiently, or the run stopped); the row is planned again by the next run. */
    FAILED,
    /** Left alone on purpose by the sync's mode or a policy. */
    SKIPPED
}
