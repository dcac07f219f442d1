package dev.ebb.sandbox.marketo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the JSON value of a lead field into what the sandbox stores, the way Marketo's field types take them
 * (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/field-types). Stored values are
 * {@link String} (text, dates as {@code YYYY-MM-DD}, datetimes as {@code YYYY-MM-DDThh:mm:ssZ}), {@link Long},
 * {@link BigDecimal} or {@link Boolean}; {@code null} is an empty field. Stateless.
 */
final class LeadValues {
    /** Marketo answers datetimes to the second, in UTC: "2016-05-17T22:11:45Z" (leads page, Get Leads by Filter Type). */
    static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private LeadValues() {
    }

    /** A value the field cannot take: the record is skipped with Marketo's 1001. */
    record Invalid(String value, String dataType) {
        /** The documented message: "Invalid value '%s'. Required of type '%s'" (error-codes page, 1001). */
        String message() {
            return "Invalid value '" + value + "'. Required of type '" + dataType + "'";
        }
    }

    /**
     * The stored form of {@code node} for {@code field}, {@code null} for an empty value, or an {@link Invalid}.
     * "When passing a list of field values, a value of null, or an empty string, is written to the database as
     * null" (lead-database page, Create and Update).
     */
    static Object convert(MarketoField field, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || (node.isTextual() && node.asText().isEmpty())) {
            return null;
        }
        if (node.isContainerNode()) return new Invalid(node.toString(), field.dataType());
        String text = node.asText();
        return switch (field.dataType()) {
            case "string", "phone", "text", "url", "reference", "formula" -> text;
            // "only ASCII characters are supported in the email address field" (leads page, Create and Update).
            case "email" -> text.contains("@") && text.chars().allMatch(c -> c > 32 && c < 127)
                    ? text : new Invalid(text, "email");
            case "integer", "score", "percent" -> {
                if (node.isIntegralNumber() && node.canConvertToLong()) yield node.asLong();
                if (node.isNumber() && node.decimalValue().stripTrailingZeros().scale() <= 0) {
                    yield node.decimalValue().longValueExact();
                }
                yield node.isTextual() && INTEGER.matcher(text.trim()).matches()
                        ? Long.parseLong(text.trim()) : new Invalid(text, "integer");
            }
            case "float", "currency" -> {
                if (node.isNumber()) yield node.decimalValue();
                try {
                    yield node.isTextual() ? new BigDecimal(text.trim()) : new Invalid(text, field.dataType());
                } catch (NumberFormatException e) {
                    yield new Invalid(text, field.dataType());
                }
            }
            case "boolean" -> {
                if (node.isBoolean()) yield node.asBoolean();
                String lower = text.trim().toLowerCase(Locale.ROOT);
                yield switch (lower) {
                    case "true", "1" -> Boolean.TRUE;
                    case "false", "0" -> Boolean.FALSE;
                    default -> new Invalid(text, "boolean");
                };
            }
            case "date" -> {
                if (!node.isTextual()) yield new Invalid(text, "date");
                try {
                    if (DATE.matcher(text).matches()) yield LocalDate.parse(text).toString();
                    yield OffsetDateTime.parse(text).toLocalDate().toString();
                } catch (DateTimeParseException e) {
                    yield new Invalid(text, "date");
                }
            }
            case "datetime" -> {
                if (!node.isTextual()) yield new Invalid(text, "datetime");
                try {
                    Instant instant = DATE.matcher(text).matches()
                            ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                            : OffsetDateTime.parse(text.replace("Z+0000", "Z")).toInstant();
                    yield DATETIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
                } catch (DateTimeParseException e) {
                    yield new Invalid(text, "datetime");
                }
            }
            default -> new Invalid(text, field.dataType());
        };
    }

    /** A stored value as JSON, the way Marketo answers it: numbers as numbers, booleans as booleans. */
    static JsonNode json(Object stored) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (stored) {
            case null -> nodes.nullNode();
            case Long l -> nodes.numberNode(l);
            case BigDecimal d -> nodes.numberNode(d);
            case Boolean b -> nodes.booleanNode(b);
            default -> nodes.textNode(stored.toString());
        };
    }

    /** A stored value in text form, for the inspection API and the contract's record inspector. */
    static String text(Object stored) {
        return switch (stored) {
            case null -> null;
            case BigDecimal d -> d.toPlainString();
            default -> stored.toString();
        };
    }

    /** Whether a stored value equals a lookup or filter value (text compares without regard to case). */
    static boolean matches(MarketoField field, Object stored, String wanted) {
        if (stored == null || wanted == null) return false;
        if (field.textual()) return stored.toString().equalsIgnoreCase(wanted.trim());
        Object converted = convert(field, JsonNodeFactory.instance.textNode(wanted.trim()));
        if (converted instanceof BigDecimal d && stored instanceof BigDecimal s) return d.compareTo(s) == 0;
        return stored.equals(converted);
    }
}
