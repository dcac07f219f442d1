package dev.ebb.spi;

import java.util.List;
import java.util.Objects;

/**
 * One field of a destination object, as discovered from the vendor.
 *
 * @param name     the API name ({@code churn_risk_score}, {@code Email})
 * @param type     what values it takes
 * @param unique   whether it holds unique values, so that it can identify records (HubSpot {@code hasUniqueValue},
 *                 Salesforce External ID)
 * @param readOnly whether writes to it are refused
 * @param options  the allowed values of an {@link FieldType#ENUMERATION}; empty otherwise
 */
public record FieldSpec(String name, FieldType type, boolean unique, boolean readOnly, List<String> options) {
    public FieldSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        options = List.copyOf(options);
    }

    public static FieldSpec of(String name, FieldType type) {
        return new FieldSpec(name, type, false, false, List.of());
    }
}
