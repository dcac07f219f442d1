package dev.ebb.core.plan.sql;

import dev.ebb.core.plan.Binding;
import dev.ebb.core.plan.Values;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One mapped value in SQL, as {@link Values#convert} converts it: the canonical text of the converted value, its
 * fingerprint tag, and when (and why, in the same words) a value does not fit its field. Only conversions SQL writes
 * exactly; the others are empty, and the sync plans in the JVM.
 *
 * @param text        SQL text of the converted value's canonical text; {@code NULL} when the value is null
 * @param invalidWhen a SQL condition under which the value does not fit, or {@code null} when it always fits
 * @param reason      SQL text of the reason, with {@code Extraction}'s prefix
 */
record Conversion(String text, char tag, String invalidWhen, String reason) {
    /** Longer texts are cut in messages, as Values.describe cuts them. */
    private static final int DESCRIBED = 40;

    static Optional<Conversion> of(Dialect d, ExtractionSql.ModelColumn column, Binding b, String alias) {
        FieldSpec field = b.field();
        String c = alias + d.quote(column.name());
        ColumnType type = column.type();
        String prefix = "column '" + b.mapping().column() + "': ";
        return switch (field.type()) {
            case STRING -> ExtractionSql.text(d, column, alias).map(t -> new Conversion(t, 'S', null, null));
            case NUMBER -> type == ColumnType.INTEGER ? Optional.of(new Conversion(d.text(c), 'D', null, null))
                    : type == ColumnType.DECIMAL ? Optional.of(new Conversion(d.numberText(c), 'D', null, null))
                    : Optional.empty();
            case BOOLEAN -> type == ColumnType.BOOLEAN
                    ? Optional.of(new Conversion(d.booleanText(c), 'B', null, null)) : Optional.empty();
            case DATE -> switch (type) {
                case DATE -> Optional.of(new Conversion(d.dateText(c), 'd', null, null));
                case TIMESTAMP -> ExtractionSql.text(d, column, alias).map(instant -> new Conversion(
                        d.prefix(instant, 10), 'd', c + " IS NOT NULL AND NOT " + d.isMidnight(c, column.nativeType()),
                        d.concatText(List.of(d.literal(prefix), described(d, instant, false), d.literal(
                                " cannot go into field '" + field.name() + "' (" + field.type()
                                        + "): expected a date (YYYY-MM-DD)")))));
                default -> Optional.empty();
            };
            case DATETIME -> switch (type) {
                case TIMESTAMP -> ExtractionSql.text(d, column, alias).map(t -> new Conversion(t, 'T', null, null));
                case DATE -> Optional.of(new Conversion(d.dateStartText(c), 'T', null, null));
                default -> Optional.empty();
            };
            case ENUMERATION -> ExtractionSql.text(d, column, alias).map(t -> field.options().isEmpty()
                    ? new Conversion(t, 'S', null, null)
                    : new Conversion(t, 'S', t + " IS NOT NULL AND " + t + " NOT IN (" + String.join(", ",
                    field.options().stream().map(d::literal).toList()) + ")", d.concatText(List.of(d.literal(prefix),
                    described(d, t, type == ColumnType.STRING), d.literal(" is not an option of field '" + field.name()
                            + "' (allowed: " + String.join(", ", field.options()) + ")")))));
        };
    }

    /** A constant {@code value:}, converted here once: its text as a literal, or every row invalid with the reason. */
    static Conversion constant(Dialect d, Binding b) {
        try {
            Object value = Values.convert(b.mapping().value(), b.field());
            if (value == null) return new Conversion("NULL", 'N', null, null);
            String text = value instanceof BigDecimal number ? Values.text(number) : value.toString();
            return new Conversion(d.literal(text), tag(value), null, null);
        } catch (Values.Unfit unfit) {
            return new Conversion("NULL", 'N', "1 = 1", d.literal("value: " + unfit.getMessage()));
        }
    }

    private static char tag(Object value) {
        return switch (value) {
            case String s -> 'S';
            case BigDecimal n -> 'D';
            case Boolean b -> 'B';
            case LocalDate date -> 'd';
            case Instant instant -> 'T';
            default -> throw new IllegalArgumentException("not a converted value: " + value.getClass());
        };
    }

    /** The value in a message, as Values.describe writes it: cut after 37 characters, a string in quotes. */
    private static String described(Dialect d, String text, boolean quoted) {
        String cut = "CASE WHEN " + d.charLength(text) + " > " + DESCRIBED + " THEN " + d.concatText(List.of(
                d.prefix(text, DESCRIBED - 3), "'...'")) + " ELSE " + text + " END";
        return quoted ? d.concatText(List.of(d.literal("'"), cut, d.literal("'"))) : cut;
    }
}
