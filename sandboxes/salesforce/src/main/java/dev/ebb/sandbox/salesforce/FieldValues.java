package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ebb.sandbox.salesforce.SalesforceField.Type;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Field values: read from JSON (REST) or CSV text (Bulk API), checked against the field, stored in one canonical
 * Java form ({@link String}, {@link BigDecimal}, {@link Boolean}, {@link LocalDate}, {@link Instant}) and written
 * back the way Salesforce writes them. Stateless.
 */
final class FieldValues {
    /** Salesforce's datetime rendering, {@code 2024-01-15T09:30:00.000+0000}. */
    static final DateTimeFormatter SALESFORCE_DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter COMPACT_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]xx");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");

    private FieldValues() {
    }

    /**
     * A JSON value that does not fit the field's type. Salesforce fails the whole request for it, before any record
     * is looked at ({@code JSON_PARSER_ERROR}).
     */
    static final class Unparsable extends Exception {
        final String token;
        final String text;

        Unparsable(String token, String text) {
            super(token + " " + text, null, false, false);
            this.token = token;
            this.text = text;
        }
    }

    /** The canonical value of a JSON value for {@code field}; {@code null} for JSON null. */
    static Object fromJson(SalesforceField field, JsonNode node) throws Unparsable {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        Type type = field.type();
        if (node.isContainerNode()) throw new Unparsable(node.isArray() ? "START_ARRAY" : "START_OBJECT", "");
        String token = node.isTextual() ? "VALUE_STRING" : node.isBoolean() ? (node.booleanValue() ? "VALUE_TRUE"
                : "VALUE_FALSE") : node.isIntegralNumber() ? "VALUE_NUMBER_INT" : "VALUE_NUMBER_FLOAT";
        return switch (type) {
            case DOUBLE, CURRENCY, PERCENT, INT -> {
                BigDecimal number;
                if (node.isNumber()) number = node.decimalValue();
                else if (node.isTextual()) number = parseNumber(node.asText());
                else number = null;
                if (number == null || (type == Type.INT && number.stripTrailingZeros().scale() > 0)) {
                    throw new Unparsable(token, node.asText());
                }
                yield number;
            }
            case BOOLEAN -> {
                if (node.isBoolean()) yield node.booleanValue();
                if (node.isTextual() && node.asText().equalsIgnoreCase("true")) yield true;
                if (node.isTextual() && node.asText().equalsIgnoreCase("false")) yield false;
                throw new Unparsable(token, node.asText());
            }
            case DATE -> {
                LocalDate date = node.isTextual() ? parseDate(node.asText()) : null;
                if (date == null) throw new Unparsable(token, node.asText());
                yield date;
            }
            case DATETIME -> {
                Instant instant = node.isTextual() ? parseInstant(node.asText()) : null;
                if (instant == null) throw new Unparsable(token, node.asText());
                yield instant;
            }
            case ID, REFERENCE, STRING, EMAIL, PHONE, URL, TEXTAREA, PICKLIST, MULTIPICKLIST -> node.asText();
        };
    }

    /**
     * The canonical value of a non-empty Bulk CSV value ({@code #N/A} is null), or the row's error:
     * {@code INVALID_TYPE_ON_FIELD_IN_RECORD … value not of required type}.
     */
    static Object fromText(SalesforceField field, String text) throws SaveErrorException {
        if (text.equals("#N/A")) return null;
        Type type = field.type();
        if (type.textual()) return text;
        Object value = switch (type) {
            case DOUBLE, CURRENCY, PERCENT, INT -> {
                BigDecimal number = parseNumber(text);
                yield number == null || (type == Type.INT && number.stripTrailingZeros().scale() > 0) ? null : number;
            }
            case BOOLEAN -> switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1", "yes" -> Boolean.TRUE;
                case "false", "0", "no" -> Boolean.FALSE;
                default -> null;
            };
            case DATE -> parseDate(text);
            case DATETIME -> parseInstant(text);
            case ID, REFERENCE, STRING, EMAIL, PHONE, URL, TEXTAREA, PICKLIST, MULTIPICKLIST -> text;
        };
        if (value == null) throw new SaveErrorException(SaveError.wrongType(field, text));
        return value;
    }

    /** A {@link SaveError} as an exception, for parsing code. */
    static final class SaveErrorException extends Exception {
        final SaveError error;

        SaveErrorException(SaveError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    /** What is wrong with a parsed value for the field (length, email, picklist, range), or empty. */
    static Optional<SaveError> check(SalesforceField field, Object value) {
        if (value == null) return Optional.empty();
        Type type = field.type();
        if (value instanceof String text) {
            if (field.length() > 0 && text.length() > field.length()) return Optional.of(SaveError.tooLong(field, text));
            if (type == Type.EMAIL && !text.isEmpty() && !EMAIL.matcher(text).matches()) {
                return Optional.of(SaveError.invalidEmail(field, text));
            }
            if (field.isRestrictedPicklist() && !text.isEmpty()) {
                for (String option : type == Type.MULTIPICKLIST ? text.split(";") : new String[]{text}) {
                    if (!field.picklistValues().contains(option)) return Optional.of(SaveError.badPicklist(field, text));
                }
            }
        }
        if (value instanceof BigDecimal number && type.numeric() && field.precision() > 0) {
            int integerDigits = number.precision() - number.scale();
            if (integerDigits > field.precision() - field.scale()) {
                return Optional.of(SaveError.outOfRange(field, number.toPlainString()));
            }
        }
        return Optional.empty();
    }

    /** A checked value as stored: numbers rounded to the field's scale, trailing zeros dropped. */
    static Object normalize(SalesforceField field, Object value) {
        if (value instanceof BigDecimal number) {
            BigDecimal rounded = field.type() == Type.INT ? number : number.setScale(field.scale(), RoundingMode.HALF_UP);
            BigDecimal stripped = rounded.stripTrailingZeros();
            return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
        }
        return value;
    }

    /** A stored value in a REST answer. */
    static JsonNode toJson(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (value) {
            case null -> nodes.nullNode();
            case BigDecimal d -> nodes.numberNode(d);
            case Boolean b -> nodes.booleanNode(b);
            case LocalDate d -> nodes.textNode(d.toString());
            case Instant i -> nodes.textNode(SALESFORCE_DATETIME.format(i));
            default -> nodes.textNode(value.toString());
        };
    }

    /** A stored value as text: plain numbers, ISO dates, ISO-8601 instants in UTC; empty for null. */
    static String text(Object value) {
        return switch (value) {
            case null -> "";
            case BigDecimal d -> d.toPlainString();
            case Instant i -> i.toString();
            default -> value.toString();
        };
    }

    static BigDecimal parseNumber(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static LocalDate parseDate(String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** ISO-8601 with {@code Z} or an offset, Salesforce's {@code +0000} form, or without an offset (UTC). */
    static Instant parseInstant(String text) {
        String trimmed = text.trim();
        try {
            return OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(trimmed, COMPACT_OFFSET).toInstant();
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(trimmed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        LocalDate date = parseDate(trimmed);
        return date == null ? null : date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
