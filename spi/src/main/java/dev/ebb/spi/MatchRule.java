package dev.ebb.spi;

import java.util.Set;

/**
 * Which destination fields can identify a record in a sync's {@code match:}.
 *
 * @param fixed      fields that always identify records (e.g. HubSpot contacts' {@code email})
 * @param anyUnique  whether any field that {@link FieldSpec#unique()} declares unique may also be used
 */
public record MatchRule(Set<String> fixed, boolean anyUnique) {
    public MatchRule {
        fixed = Set.copyOf(fixed);
    }

    /** Whether {@code field} may be used to match, given the object's discovered schema (may be null if unknown). */
    public boolean allows(String field, ObjectSchema schema) {
        if (fixed.contains(field)) return true;
        return anyUnique && schema != null && schema.field(field).map(FieldSpec::unique).orElse(false);
    }
}
