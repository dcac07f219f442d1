package dev.ebb.sandbox.zendesk;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A user or organization as the sandbox holds it, flattened for tests: every attribute in its text form, custom
 * fields as {@code user_fields.<key>} (or {@code organization_fields.<key>}), lists joined with commas; empty
 * attributes are absent.
 *
 * @param id     the Zendesk id
 * @param fields attribute name to value
 */
public record ZendeskRecord(String id, Map<String, String> fields) {
    public ZendeskRecord {
        Objects.requireNonNull(id, "id");
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    /** The attribute's value, or empty when it is empty. */
    public Optional<String> field(String name) {
        String value = fields.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
