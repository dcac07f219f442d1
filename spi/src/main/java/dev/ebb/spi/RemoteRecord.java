package dev.ebb.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A record's current values as read back from the destination.
 *
 * @param matchValue    the value of the match field it was read by
 * @param destinationId the vendor's id of the record
 * @param fields        the requested fields' current values, as the vendor returned them; a missing or
 *                      {@code null} entry means the field is empty
 */
public record RemoteRecord(String matchValue, String destinationId, Map<String, Object> fields) {
    public RemoteRecord {
        Objects.requireNonNull(matchValue, "matchValue");
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
}
