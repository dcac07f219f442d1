package dev.ebb.core.plan.sql;

import dev.ebb.spi.ColumnType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The golden rows in PostgreSQL's types, and their values as the PostgreSQL source connector hands them the JVM. */
public final class PostgresValues {
    /** The columns of the table {@code golden} ({@link GoldenRows#COLUMNS}), in PostgreSQL's types. */
    public static final String GOLDEN = "(id integer, email text, name text, amount bigint, score numeric(21, 6),"
            + " active boolean, born date, seen timestamp, seen_at timestamptz, tier varchar(80))";

    private PostgresValues() {
    }

    /** A column's type, as the connector maps the type PostgreSQL names. */
    public static ColumnType type(String nativeType) {
        return switch (nativeType) {
            case "int4", "int8" -> ColumnType.INTEGER;
            case "numeric" -> ColumnType.DECIMAL;
            case "bool" -> ColumnType.BOOLEAN;
            case "date" -> ColumnType.DATE;
            case "timestamp", "timestamptz" -> ColumnType.TIMESTAMP;
            default -> ColumnType.STRING;
        };
    }

    /** The value the connector would hand the JVM. */
    public static Object read(ResultSet rows, int column, String nativeType) throws SQLException {
        if (rows.getObject(column) == null) return null;
        return switch (type(nativeType)) {
            case INTEGER -> rows.getLong(column);
            case DECIMAL -> rows.getBigDecimal(column);
            case BOOLEAN -> rows.getBoolean(column);
            case DATE -> rows.getObject(column, LocalDate.class);
            case TIMESTAMP -> nativeType.equals("timestamptz")
                    ? rows.getObject(column, OffsetDateTime.class).toInstant()
                    : rows.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
            default -> rows.getString(column);
        };
    }
}
