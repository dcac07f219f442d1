package dev.ebb.sandbox.hubspot;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A property definition as HubSpot's properties API describes it (the fields the sandbox models).
 *
 * @param name           internal name ({@code churn_risk_score})
 * @param label          display name
 * @param type           {@code string}, {@code number}, {@code bool}, {@code date}, {@code datetime},
 *                       {@code enumeration} or {@code phone_number}
 * @param fieldType      how HubSpot renders it ({@code text}, {@code number}, {@code select}, {@code checkbox}, ...)
 * @param groupName      the property group
 * @param hasUniqueValue whether values are unique per object (such a property can be an upsert's idProperty)
 * @param readOnlyValue  whether values are set by HubSpot only ({@code modificationMetadata.readOnlyValue})
 * @param hubspotDefined whether HubSpot defines it (default properties) rather than the account
 * @param options        the allowed values of an enumeration, in display order
 */
public record HubSpotProperty(String name, String label, String type, String fieldType, String groupName,
                              boolean hasUniqueValue, boolean readOnlyValue, boolean hubspotDefined,
                              List<Option> options) {

    /** The property types of the properties API (the contract's {@code type} enum). */
    public static final Set<String> TYPES =
            Set.of("string", "number", "bool", "date", "datetime", "enumeration", "phone_number");

    /** One allowed value of an enumeration. */
    public record Option(String label, String value) {
        public Option {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(value, "value");
        }

        public static Option of(String value) {
            return new Option(value, value);
        }
    }

    public HubSpotProperty {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("a property needs a name");
        label = label == null || label.isBlank() ? name : label;
        Objects.requireNonNull(type, "type");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("property " + name + ": unknown type '" + type + "'; use one of "
                    + TYPES.stream().sorted().toList());
        }
        fieldType = fieldType == null || fieldType.isBlank() ? defaultFieldType(type) : fieldType;
        groupName = groupName == null || groupName.isBlank() ? "ebb_sandbox" : groupName;
        options = List.copyOf(options);
        if (type.equals("enumeration") && options.isEmpty()) {
            throw new IllegalArgumentException("property " + name + ": an enumeration needs options");
        }
    }

    /** A custom (account-defined) property of {@code type} with no options. */
    public static HubSpotProperty of(String name, String type) {
        return new HubSpotProperty(name, null, type, null, null, false, false, false, List.of());
    }

    /** A custom enumeration (a {@code select}) of {@code values}. */
    public static HubSpotProperty enumeration(String name, String... values) {
        return new HubSpotProperty(name, null, "enumeration", "select", null, false, false, false,
                java.util.Arrays.stream(values).map(Option::of).toList());
    }

    /** The same property with unique values. */
    public HubSpotProperty unique() {
        return new HubSpotProperty(name, label, type, fieldType, groupName, true, readOnlyValue, hubspotDefined, options);
    }

    /** The same property, set by HubSpot only. */
    HubSpotProperty readOnly() {
        return new HubSpotProperty(name, label, type, fieldType, groupName, hasUniqueValue, true, hubspotDefined, options);
    }

    /** The same property, as one of HubSpot's defaults. */
    HubSpotProperty hubspotDefined(String group) {
        return new HubSpotProperty(name, label, type, fieldType, group, hasUniqueValue, readOnlyValue, true, options);
    }

    /** The same property with a display label. */
    public HubSpotProperty labelled(String text) {
        return new HubSpotProperty(name, text, type, fieldType, groupName, hasUniqueValue, readOnlyValue,
                hubspotDefined, options);
    }

    /** Whether several values may be set at once, separated by {@code ;} (checkbox enumerations). */
    boolean multiValued() {
        return type.equals("enumeration") && fieldType.equals("checkbox");
    }

    private static String defaultFieldType(String type) {
        return switch (type) {
            case "number" -> "number";
            case "bool" -> "booleancheckbox";
            case "date", "datetime" -> "date";
            case "enumeration" -> "select";
            case "phone_number" -> "phonenumber";
            default -> "text";
        };
    }
}
