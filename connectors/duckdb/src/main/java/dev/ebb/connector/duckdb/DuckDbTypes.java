package dev.ebb.connector.duckdb;

import dev.ebb.spi.Column;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.SourceException;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBColumnType;
import org.duckdb.DuckDBResultSetMetaData;

/** DuckDB's types as the SPI's {@link ColumnType}s, and how each column's values are read. Stateless. */
final class DuckDbTypes {
    private DuckDbTypes() {
    }

    /** Reads one column of the current row as the Java type its {@link ColumnType} names. */
    @FunctionalInterface
    interface ValueReader {
        Object read(ResultSet row, int column) throws SQLException, SourceException;
    }

    /** A result column: the SPI's view of it, and how to read it. */
    record TypedColumn(Column column, ValueReader reader) {
    }

    static List<TypedColumn> columns(ResultSetMetaData metadata) throws SQLException {
        List<TypedColumn> columns = new ArrayList<>(metadata.getColumnCount());
        for (int i = 1; i <= metadata.getColumnCount(); i++) {
            String name = metadata.getColumnLabel(i);
            DuckDBColumnType type = DuckDBResultSetMetaData.TypeNameToType(metadata.getColumnTypeName(i));
            columns.add(new TypedColumn(new Column(name, columnType(type)), reader(type, name)));
        }
        return List.copyOf(columns);
    }

    static ColumnType columnType(DuckDBColumnType type) {
        return switch (type) {
            case VARCHAR, ENUM -> ColumnType.STRING;
            case TINYINT, SMALLINT, INTEGER, BIGINT, UTINYINT, USMALLINT, UINTEGER, UBIGINT, HUGEINT, UHUGEINT ->
                    ColumnType.INTEGER;
            case DECIMAL -> ColumnType.DECIMAL;
            case FLOAT, DOUBLE -> ColumnType.DOUBLE;
            case BOOLEAN -> ColumnType.BOOLEAN;
            case DATE -> ColumnType.DATE;
            case TIMESTAMP, TIMESTAMP_MS, TIMESTAMP_NS, TIMESTAMP_S, TIMESTAMP_WITH_TIME_ZONE -> ColumnType.TIMESTAMP;
            case BLOB, TIME, TIME_WITH_TIME_ZONE, INTERVAL, BIT, UUID, JSON, LIST, ARRAY, STRUCT, MAP, UNION, UNKNOWN ->
                    ColumnType.OTHER;
        };
    }

    private static ValueReader reader(DuckDBColumnType type, String name) {
        return switch (type) {
            case VARCHAR, ENUM -> ResultSet::getString;
            case TINYINT, SMALLINT, INTEGER, BIGINT, UTINYINT, USMALLINT, UINTEGER -> (row, column) -> {
                long value = row.getLong(column);
                return row.wasNull() ? null : value;
            };
            // Wider than a long: sum() over BIGINT is a HUGEINT. Typing every sum as DECIMAL would surprise far
            // more often than a sum beyond 9.2e18 occurs, so such a value fails the run with the fix instead.
            case UBIGINT, HUGEINT, UHUGEINT -> (row, column) -> {
                Object value = row.getObject(column);
                if (value == null) {
                    return null;
                }
                BigInteger whole = value instanceof BigInteger big ? big : new BigInteger(value.toString());
                if (whole.bitLength() > 63) {
                    throw new SourceException("column '" + name + "' holds a value that does not fit a 64-bit"
                            + " integer; cast it in the model, e.g. CAST(" + name + " AS DECIMAL(38, 0))", null);
                }
                return whole.longValue();
            };
            case DECIMAL -> ResultSet::getBigDecimal;
            // Through the float's shortest decimal form, so that 1.1 stays 1.1 and does not become
            // 1.100000023841858 (the float's exact binary value).
            case FLOAT -> (row, column) -> {
                Object value = row.getObject(column);
                return value == null ? null : Double.valueOf(value.toString());
            };
            case DOUBLE -> (row, column) -> {
                double value = row.getDouble(column);
                return row.wasNull() ? null : value;
            };
            case BOOLEAN -> (row, column) -> {
                boolean value = row.getBoolean(column);
                return row.wasNull() ? null : value;
            };
            case DATE -> (row, column) -> row.getObject(column, LocalDate.class);
            // A timestamp without a zone is read as UTC: the warehouse convention, and the only one that does not
            // depend on the machine Ebb runs on.
            case TIMESTAMP, TIMESTAMP_MS, TIMESTAMP_NS, TIMESTAMP_S -> (row, column) -> {
                LocalDateTime value = row.getObject(column, LocalDateTime.class);
                return value == null ? null : value.toInstant(ZoneOffset.UTC);
            };
            case TIMESTAMP_WITH_TIME_ZONE -> (row, column) -> {
                OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
                return value == null ? null : value.toInstant();
            };
            // DuckDB's rendering, 12:30:00, where the driver's LocalTime would drop zero seconds.
            case TIME -> (row, column) -> {
                Object value = row.getObject(column);
                return value instanceof LocalTime time ? DateTimeFormatter.ISO_LOCAL_TIME.format(time)
                        : value == null ? null : value.toString();
            };
            case BLOB, TIME_WITH_TIME_ZONE, INTERVAL, BIT, UUID, JSON, LIST, ARRAY, STRUCT, MAP, UNION, UNKNOWN ->
                    ResultSet::getString;
        };
    }
}
