package dev.ebb.sandbox.hubspot;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * HubSpot's checks and normal forms for property values, one property type at a time. Stateless.
 *
 * <p>Error codes follow what HubSpot answers in its "Property values were not valid" errors
 * ({@code INVALID_INTEGER} "... was not a valid number.", {@code INVALID_OPTION} "... was not one of the allowed
 * options", {@code INVALID_EMAIL} "Email address ... is invalid", {@code PROPERTY_DOESNT_EXIST}); and, since
 * 2025-01-06, {@code LEADING_TRAILING_WHITESPACE} for non-string values
 * (https://developers.hubspot.com/changelog/breaking-change-enhanced-validations-for-non-string-properties-in-hubspots-crmobject-apis).
 * Where HubSpot's exact code is not published ({@code INVALID_BOOLEAN}, {@code INVALID_DATE},
 * {@code READ_ONLY_VALUE}), the sandbox uses a name in the same style.
 */
final class PropertyValues {
    /** HubSpot renders instants with milliseconds in UTC. */
    static final DateTimeFormatter INSTANT_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    // Deliberately simple: a local part, one @, a dotted domain with a 2+ letter top level.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$");
    private static final Pattern DAY = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("^-?\\d{1,15}$");

    private PropertyValues() {
    }

    /** A refused value: HubSpot's error code and message. */
    record Problem(String property, String value, String code, String message) {
    }

    /**
     * The value in HubSpot's stored form, or a problem. An empty string clears the property and is always valid.
     *
     * @param emailProperty whether this is contacts' {@code email}, which HubSpot validates and lower-cases
     */
    static Object normalize(HubSpotProperty property, String raw, boolean emailProperty) {
        if (raw.isEmpty()) return "";
        String name = property.name();
        if (!property.type().equals("string") && !raw.equals(raw.strip())) {
            return new Problem(name, raw, "LEADING_TRAILING_WHITESPACE",
                    "\"" + raw + "\" includes leading or trailing whitespace.");
        }
        return switch (property.type()) {
            case "number" -> number(name, raw);
            case "bool" -> {
                String lower = raw.toLowerCase(Locale.ROOT);
                yield lower.equals("true") || lower.equals("false") ? lower
                        : new Problem(name, raw, "INVALID_BOOLEAN", raw + " was not a valid boolean.");
            }
            case "date" -> date(name, raw);
            case "datetime" -> datetime(name, raw);
            case "enumeration" -> enumeration(property, raw);
            default -> {
                if (!emailProperty) yield raw;
                yield EMAIL.matcher(raw).matches() ? raw.toLowerCase(Locale.ROOT)
                        : new Problem(name, raw, "INVALID_EMAIL", "Email address " + raw + " is invalid");
            }
        };
    }

    private static Object number(String name, String raw) {
        try {
            BigDecimal value = new BigDecimal(raw);
            BigDecimal stripped = value.stripTrailingZeros();
            return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
        } catch (NumberFormatException e) {
            return new Problem(name, raw, "INVALID_INTEGER", raw + " was not a valid number.");
        }
    }

    // Date properties hold a day: YYYY-MM-DD, or epoch milliseconds at midnight UTC
    // (https://developers.hubspot.com/docs/api/crm/properties, "Date and date-time values").
    private static Object date(String name, String raw) {
        if (DAY.matcher(raw).matches()) {
            try {
                return LocalDate.parse(raw).toString();
            } catch (DateTimeParseException e) {
                return new Problem(name, raw, "INVALID_DATE", raw + " is not a valid date.");
            }
        }
        if (EPOCH_MILLIS.matcher(raw).matches()) {
            Instant instant = Instant.ofEpochMilli(Long.parseLong(raw));
            LocalDate day = instant.atZone(ZoneOffset.UTC).toLocalDate();
            if (!day.atStartOfDay(ZoneOffset.UTC).toInstant().equals(instant)) {
                return new Problem(name, raw, "INVALID_DATE",
                        raw + " is not a valid date: a date in milliseconds must be midnight UTC.");
            }
            return day.toString();
        }
        return new Problem(name, raw, "INVALID_DATE",
                raw + " is not a valid date: use YYYY-MM-DD or milliseconds at midnight UTC.");
    }

    // Datetime properties hold an instant: epoch milliseconds, ISO-8601, or a YYYY-MM-DD day (midnight UTC).
    private static Object datetime(String name, String raw) {
        try {
            Instant instant;
            if (EPOCH_MILLIS.matcher(raw).matches()) instant = Instant.ofEpochMilli(Long.parseLong(raw));
            else if (DAY.matcher(raw).matches()) instant = LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant();
            else instant = OffsetDateTime.parse(raw).toInstant();
            return INSTANT_FORMAT.format(instant);
        } catch (DateTimeParseException e) {
            return new Problem(name, raw, "INVALID_LONG", raw + " was not a valid long.");
        }
    }

    private static Object enumeration(HubSpotProperty property, String raw) {
        List<String> allowed = property.options().stream().map(HubSpotProperty.Option::value).toList();
        List<String> values = property.multiValued() ? List.of(raw.split(";", -1)) : List.of(raw);
        List<String> kept = new ArrayList<>();
        for (String value : values) {
            if (!allowed.contains(value)) {
                return new Problem(property.name(), raw, "INVALID_OPTION",
                        value + " was not one of the allowed options: " + allowed);
            }
            if (!kept.contains(value)) kept.add(value);
        }
        return String.join(";", kept);
    }
}
