package dev.ebb.sandbox.hubspot;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one record a {@link HubSpotSandbox} holds.
 *
 * @param id         the record id ({@code hs_object_id})
 * @param properties every property with a value, in HubSpot's text form; an empty property is absent
 * @param createdAt  when it was created, by the sandbox's clock
 * @param updatedAt  when it last changed
 */
public record HubSpotRecord(String id, Map<String, String> properties, Instant createdAt, Instant updatedAt) {
    public HubSpotRecord {
        Objects.requireNonNull(id, "id");
        properties = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(properties));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The property's value, or empty when it has none. */
    public Optional<String> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }
}
