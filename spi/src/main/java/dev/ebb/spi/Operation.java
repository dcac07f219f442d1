package dev.ebb.spi;

/** What one {@link WriteBatch} asks of the destination. Every record of a batch has the same operation. */
public enum Operation {
    /** Create or update, matched on the batch's match field. */
    UPSERT,
    /** Create new records. */
    CREATE,
    /** Update records matched on the batch's match field; fields whose value is {@code null} are cleared. */
    UPDATE,
    /** Delete records, by {@link OutboundRecord#destinationId()} when known, else by match value. */
    DELETE
}
