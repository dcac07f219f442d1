package dev.ebb.spi;

import java.util.Set;

/**
 * Which destination fields can identify a record in a sync's {@code match:}, and how the destination compares them.
 *
 * @param fixed           fields that always identify records (e.g. HubSpot contacts' {@code email})
 * @param anyUnique       whether any field that {@link FieldSpec#unique()} declares unique may also be used
 * @param caseInsensitive fields whose values the destination compares without regard to case (HubSpot, Zendesk
 *                        and Marketo match emails case-blind): two rows whose match values differ only in case are
 *                        one record there, so the runtime treats them as duplicates
 */
public record MatchRule(Set<String> fixed, boolean anyUnique, Set<String> caseInsensitive) {
    public MatchRule {
        fixed = Set.copyOf(fixed);
        caseInsensitive = Set.copyOf(caseInsensitive);
    }

    /** A rule whose match values are compared exactly. */
    public MatchRule(Set<String> fixed, boolean anyUnique) {
        this(fixed, anyUnique, Set.of());
    }

    /** Whether {@code field} may be used to match, given the object's discovered schema (may be null if unknown). */
    public boolean allows(String field, ObjectSchema schema) {
        if (fixed.contains(field)) return true;
        return anyUnique && schema != null && schema.field(field).map(FieldSpec::unique).orElse(false);
    }

    /** Whether the destination compares values of {@code field} without regard to case. */
    public boolean ignoresCase(String field) {
        return caseInsensitive.contains(field);
    }
}
