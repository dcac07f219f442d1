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
    MIRROR,
    /**
     * Audience membership ({@code mode: add_remove}): a row entering the model is added ({@link Operation#UPSERT}
     * batches), a row leaving it is removed ({@link Operation#DELETE} batches whose records carry, in
     * {@link OutboundRecord#fields()}, the values last delivered for the row, so that a connector can send the same
     * identifiers again). A changed row is removed with its old values, then added with its new ones.
     */
    ADD_REMOVE
}
