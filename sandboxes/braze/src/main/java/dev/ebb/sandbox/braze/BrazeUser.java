package dev.ebb.sandbox.braze;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user profile as the sandbox holds it, copied out for tests and the inspection API.
 *
 * @param externalId  the profile's {@code external_id}, or {@code null} for an alias-only profile
 * @param aliasLabel  the {@code alias_label} of its user alias, or {@code null}
 * @param aliasName   the {@code alias_name} of its user alias, or {@code null}
 * @param attributes  attribute name to value in text form (numbers as written, booleans {@code true}/{@code false})
 * @param events      the custom events tracked for it, oldest first: name and properties in text form
 * @param purchases   the purchases tracked for it, oldest first: product id, currency, price and properties
 */
public record BrazeUser(String externalId, String aliasLabel, String aliasName, Map<String, String> attributes,
                        List<Map<String, String>> events, List<Map<String, String>> purchases) {
    public BrazeUser {
        attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
        events = List.copyOf(events);
        purchases = List.copyOf(purchases);
    }

    /** The attribute's value, or empty when the profile does not hold it. */
    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }
}
