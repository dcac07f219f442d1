package dev.ebb.spi;

/** How a sync treats the model's rows at the destination. */
public enum Mode {
    /** Create records that do not exist, update those that do. */
    UPSERT,
    /** Update existing records only; a row whose record does not exist is rejected by the destination. */
    UPDATE,
    /** Create records for new rows only; changes to rows already delivered are skipped. */
    INSERT,
    /** Upsert, and delete the records of rows that left the model. */
    MIRROR
}
