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
    DELETE,
    /**
     * Make the object's membership exactly these records, dropping every other member: a full replace of an audience
     * ({@code ebb run --replace} of an {@link Mode#ADD_REMOVE} sync). Sent only to objects that declare
     * {@link ObjectCapabilities#replace()}, as one batch holding every row of the model; the connector drives the
     * vendor's replace session over several calls as {@link WriteStep.Pending} steps, one request each.
     */
    REPLACE
}
