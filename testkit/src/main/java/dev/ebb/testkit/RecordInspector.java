package dev.ebb.testkit;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads what a destination holds without going through the connector under test, so that the contract suite can
 * check what a write really did. Backed by a sandbox's Java API (or a direct database connection).
 */
public interface RecordInspector {

    /** The record whose match field holds {@code matchValue}, or empty when there is none. */
    Optional<StoredRecord> find(String matchValue);

    /** How many records the object under test holds. */
    int recordCount();

    /** How many API calls the destination has received so far (the sandbox's request count). */
    long apiCalls();

    /**
     * A record as the destination stores it.
     *
     * @param destinationId the vendor's id of the record
     * @param fields        field name to the value in the vendor's text form; an empty field is absent or blank
     */
    record StoredRecord(String destinationId, Map<String, String> fields) {
        public StoredRecord {
            Objects.requireNonNull(destinationId, "destinationId");
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }

        /** The field's value, or empty when the field is empty. */
        public Optional<String> field(String name) {
            String value = fields.get(name);
            return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
    }
}
