package dev.ebb.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One record to write.
 *
 * @param key           Ebb's key of the model row; opaque to the connector, which returns it in the
 *                      {@link RecordResult} so that the runtime can tell which row an answer belongs to
 * @param matchValue    the value of the batch's match field that identifies the record
 * @param destinationId the vendor's own id of the record when an earlier run learnt it, or {@code null}
 * @param fields        destination field name to value, in mapping order. Values are {@link String},
 *                      {@link java.math.BigDecimal}, {@link Long}, {@link Double}, {@link Boolean},
 *                      {@link java.time.LocalDate}, {@link java.time.Instant}, or {@code null} to clear the field.
 *                      Empty for {@link Operation#DELETE}, except in {@link Mode#ADD_REMOVE} syncs, where a delete
 *                      carries the values last delivered for the row. Unmodifiable.
 */
public record OutboundRecord(String key, String matchValue, String destinationId, Map<String, Object> fields) {
    public OutboundRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(matchValue, "matchValue");
        // Map.copyOf refuses null values, and null is how a field is cleared.
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
