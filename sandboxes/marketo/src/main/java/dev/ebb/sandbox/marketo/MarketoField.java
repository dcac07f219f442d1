package dev.ebb.sandbox.marketo;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One lead field of the sandbox, as Describe Lead reports it: its REST API name, display name, Marketo data type,
 * maximum length and whether the REST API may write it. Immutable.
 *
 * <p>Data types are Marketo's (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/field-types):
 * {@code string}, {@code email}, {@code phone}, {@code text}, {@code url}, {@code reference}, {@code integer},
 * {@code score}, {@code percent}, {@code float}, {@code currency}, {@code boolean}, {@code date}, {@code datetime}
 * and {@code formula}.
 *
 * @param name        the REST API name ({@code firstName}, {@code churnRiskScore})
 * @param displayName the label in Marketo's UI
 * @param dataType    one of {@link #DATA_TYPES}
 * @param length      the maximum length of a text value, or {@code null} for types without one
 * @param readOnly    whether the REST API refuses writes to it
 * @param custom      whether it is a custom field (custom string, email and integer fields can identify leads)
 */
public record MarketoField(String name, String displayName, String dataType, Integer length, boolean readOnly,
                           boolean custom) {
    /** Every data type the sandbox knows. */
    public static final Set<String> DATA_TYPES = Set.of("string", "email", "phone", "text", "url", "reference",
            "integer", "score", "percent", "float", "currency", "boolean", "date", "datetime", "formula");

    public MarketoField {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            // "The name attribute must be unique, start with a letter, and only contain letters, numbers, or
            // underscore" (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/leads, Create Fields).
            throw new IllegalArgumentException("field name '" + name
                    + "' must start with a letter and hold only letters, digits and underscores");
        }
        dataType = Objects.requireNonNull(dataType, "dataType").toLowerCase(Locale.ROOT);
        if (!DATA_TYPES.contains(dataType)) {
            throw new IllegalArgumentException("field " + name + ": unknown data type '" + dataType + "'; use one of "
                    + DATA_TYPES.stream().sorted().toList());
        }
        displayName = displayName == null || displayName.isBlank() ? name : displayName;
    }

    /** A writable custom field with Marketo's default length for its type. */
    public static MarketoField custom(String name, String dataType) {
        return custom(name, name, dataType);
    }

    /** A writable custom field with a display name (a formula field is read-only: Marketo computes it). */
    public static MarketoField custom(String name, String displayName, String dataType) {
        String type = Objects.requireNonNull(dataType, "dataType").toLowerCase(Locale.ROOT);
        return new MarketoField(name, displayName, type, defaultLength(type), type.equals("formula"), true);
    }

    /** A writable standard field. */
    static MarketoField standard(String name, String displayName, String dataType) {
        return new MarketoField(name, displayName, dataType, defaultLength(dataType), false, false);
    }

    /** The same field, read-only. */
    MarketoField asReadOnly() {
        return new MarketoField(name, displayName, dataType, length, true, custom);
    }

    /** Whether values are text (and compared without regard to case, as Marketo's lookups do). */
    boolean textual() {
        return switch (dataType) {
            case "string", "email", "phone", "text", "url", "reference", "formula" -> true;
            default -> false;
        };
    }

    private static Integer defaultLength(String dataType) {
        return switch (dataType) {
            // "String: Text up to 255 characters"; "Text area … Supports up to 30,000 bytes" (field-types page).
            case "string", "email", "phone", "url", "reference" -> 255;
            case "text" -> 30_000;
            default -> null;
        };
    }
}
