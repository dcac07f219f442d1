package dev.ebb.core.plan;

import dev.ebb.spi.FieldSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Converts a model value into what a destination field takes, or says why it cannot. One place, so that the
 * fingerprint, the plan and the delivered payload all see the same value.
 */
public final class Values {
    private Values() {
    }

    /** Thrown when a value does not fit its destination field; the message names both. */
    public static final class Unfit extends Exception {
        Unfit(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The value as the field takes it: one of String, BigDecimal, Boolean, LocalDate, Instant, or null.
     * Numbers are normalised to BigDecimal so that 1, 1.0 and 1.00 are one value.
     */
    public static Object convert(Object value, FieldSpec field) throws Unfit {
        if (value == null) return null;
        return switch (field.type()) {
            case STRING -> text(value);
            case NUMBER -> number(value, field);
            case BOOLEAN -> bool(value, field);
            case DATE -> date(value, field);
            case DATETIME -> instant(value, field);
            case ENUMERATION -> option(value, field);
        };
    }

    /** A canonical text form of any model value, used for keys, match values and string fields. */
    public static String text(Object value) {
        if (value instanceof BigDecimal d) return canonical(d).toPlainString();
        if (value instanceof Double d) {
            return Double.isFinite(d) ? canonical(BigDecimal.valueOf(d)).toPlainString() : d.toString();
        }
        if (value instanceof Float f) return text(f.doubleValue());
        return value.toString();
    }

    private static BigDecimal canonical(BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static BigDecimal number(Object value, FieldSpec field) throws Unfit {
        try {
            return switch (value) {
                case BigDecimal d -> canonical(d);
                case Long l -> BigDecimal.valueOf(l);
                case Integer i -> BigDecimal.valueOf(i);
                case Double d when Double.isFinite(d) -> canonical(BigDecimal.valueOf(d));
                case String s -> canonical(new BigDecimal(s.trim()));
                default -> throw unfit(value, field, "a number");
            };
        } catch (NumberFormatException e) {
            throw unfit(value, field, "a number");
        }
    }

    private static Boolean bool(Object value, FieldSpec field) throws Unfit {
        if (value instanceof Boolean b) return b;
        if (value instanceof String s) {
            if (s.equalsIgnoreCase("true")) return true;
            if (s.equalsIgnoreCase("false")) return false;
        }
        throw unfit(value, field, "true or false");
    }

    private static LocalDate date(Object value, FieldSpec field) throws Unfit {
        try {
            return switch (value) {
                case LocalDate d -> d;
                case Instant i when i.atOffset(ZoneOffset.UTC).toLocalTime().toSecondOfDay() == 0 && i.getNano() == 0 ->
                        i.atOffset(ZoneOffset.UTC).toLocalDate();
                case String s -> LocalDate.parse(s.trim());
                default -> throw unfit(value, field, "a date (YYYY-MM-DD)");
            };
        } catch (DateTimeParseException e) {
            throw unfit(value, field, "a date (YYYY-MM-DD)");
        }
    }

    private static Instant instant(Object value, FieldSpec field) throws Unfit {
        try {
            return switch (value) {
                case Instant i -> i;
                case LocalDate d -> d.atStartOfDay(ZoneOffset.UTC).toInstant();
                case String s -> Instant.parse(s.trim());
                default -> throw unfit(value, field, "a timestamp (ISO-8601, e.g. 2024-05-01T12:00:00Z)");
            };
        } catch (DateTimeParseException e) {
            throw unfit(value, field, "a timestamp (ISO-8601, e.g. 2024-05-01T12:00:00Z)");
        }
    }

    private static String option(Object value, FieldSpec field) throws Unfit {
        String text = text(value);
        if (field.options().isEmpty() || field.options().contains(text)) return text;
        throw new Unfit(describe(value) + " is not an option of field '" + field.name() + "' (allowed: "
                + String.join(", ", field.options()) + ")");
    }

    private static Unfit unfit(Object value, FieldSpec field, String expected) {
        return new Unfit(describe(value) + " cannot go into field '" + field.name() + "' (" + field.type()
                + "): expected " + expected);
    }

    private static String describe(Object value) {
        String text = text(value);
        if (text.length() > 40) text = text.substring(0, 37) + "...";
        return value instanceof String ? "'" + text + "'" : text;
    }
}
