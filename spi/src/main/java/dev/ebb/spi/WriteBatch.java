package dev.ebb.spi;

import java.util.List;
import java.util.Objects;

/**
 * One write call's worth of records, built by the runtime within the object's {@link BatchLimits}.
 *
 * @param object     the destination object
 * @param operation  what to do with every record
 * @param matchField the destination field that identifies records ({@code email}, an External ID field)
 * @param records    at least one record; no two with the same match value
 */
public record WriteBatch(String object, Operation operation, String matchField, List<OutboundRecord> records) {
    public WriteBatch {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(matchField, "matchField");
        records = List.copyOf(records);
        if (records.isEmpty()) throw new IllegalArgumentException("a batch holds at least one record");
    }
}
