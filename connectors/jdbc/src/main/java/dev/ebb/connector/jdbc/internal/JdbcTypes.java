package dev.ebb.connector.jdbc.internal;

import dev.ebb.spi.Column;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.SourceException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A result's columns as the SPI's {@link ColumnType}s, from the driver's JDBC metadata, and how each is read.
 * A vendor's {@link TypeRule} decides first (by the vendor's type name); the JDBC type decides the rest. Stateless.
 *
 * <p>The generic mapping: booleans; integers of up to 64 bits as {@link Long}; {@code DECIMAL}/{@code NUMERIC} as
 * {@link java.math.BigDecimal} with the scale the server sent; floating point as {@link Double} (a 32-bit float
 * through its shortest decimal form, so 1.1 stays 1.1); dates; timestamps without a zone read as UTC (the warehouse
 * convention, and the only one that does not depend on the machine Ebb runs on); timestamps with a zone as their
 * instant; binary values as lowercase hexadecimal text ({@link ColumnType#OTHER}); everything else (times,
 * intervals, arrays, structs, JSON) as the driver's text ({@link ColumnType#OTHER}).
 */
public final class JdbcTypes {
    private JdbcTypes() {
    }

    /** Reads one column of the current row as the Java type its {@link ColumnType} names. */
    @FunctionalInterface
    public interface ValueReader {
        Object read(ResultSet row, int column) throws SQLException, SourceException;
    }

    /** A result column: the SPI's view of it, and how to read it. */
    public record TypedColumn(Column column, ValueReader reader) {
    }

    /** A vendor's own mapping, consulted before the generic one. */
    @FunctionalInterface
    public interface TypeRule {
        /** No vendor mapping. */
        TypeRule NONE = (name, typeName, jdbcType) -> null;

        /**
         * The column, or {@code null} to let the JDBC type decide.
         *
         * @param typeName the driver's type name ({@link ResultSetMetaData#getColumnTypeName}), lower case
         */
        TypedColumn column(String name, String typeName, int jdbcType);
    }

    public static List<TypedColumn> columns(ResultSetMetaData metadata, TypeRule rule) throws SQLException {
        List<TypedColumn> columns = new ArrayList<>(metadata.getColumnCount());
        for (int i = 1; i <= metadata.getColumnCount(); i++) {
            String name = metadata.getColumnLabel(i);
            String typeName = metadata.getColumnTypeName(i);
            int jdbcType = metadata.getColumnType(i);
            TypedColumn vendor = rule.column(name, typeName == null ? "" : typeName.toLowerCase(java.util.Locale.ROOT),
                    jdbcType);
            columns.add(vendor != null ? vendor : generic(name, jdbcType));
        }
        return List.copyOf(columns);
    }

    /** The generic mapping of a JDBC type ({@link Types}). */
    public static TypedColumn generic(String name, int jdbcType) {
        return switch (jdbcType) {
            case Types.BOOLEAN, Types.BIT -> of(name, ColumnType.BOOLEAN, JdbcTypes::bool);
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> of(name, ColumnType.INTEGER,
                    JdbcTypes::whole);
            case Types.DECIMAL, Types.NUMERIC -> of(name, ColumnType.DECIMAL, ResultSet::getBigDecimal);
            case Types.REAL -> of(name, ColumnType.DOUBLE, JdbcTypes::float32);
            case Types.FLOAT, Types.DOUBLE -> of(name, ColumnType.DOUBLE, JdbcTypes::float64);
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                 Types.CLOB, Types.NCLOB -> of(name, ColumnType.STRING, ResultSet::getString);
            case Types.DATE -> of(name, ColumnType.DATE, JdbcTypes::date);
            case Types.TIMESTAMP -> of(name, ColumnType.TIMESTAMP, JdbcTypes::localTimestamp);
            case Types.TIMESTAMP_WITH_TIMEZONE -> of(name, ColumnType.TIMESTAMP, JdbcTypes::zonedTimestamp);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> of(name, ColumnType.OTHER,
                    JdbcTypes::hex);
            default -> of(name, ColumnType.OTHER, ResultSet::getString);
        };
    }

    public static TypedColumn of(String name, ColumnType type, ValueReader reader) {
        return new TypedColumn(new Column(name, type), reader);
    }

    public static Object bool(ResultSet row, int column) throws SQLException {
        boolean value = row.getBoolean(column);
        return row.wasNull() ? null : value;
    }

    public static Object whole(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    public static Object float32(ResultSet row, int column) throws SQLException {
        Object value = row.getObject(column);
        if (value == null) return null;
        return value instanceof Double d ? d : Double.valueOf(value.toString());
    }

    public static Object float64(ResultSet row, int column) throws SQLException {
        double value = row.getDouble(column);
        return row.wasNull() ? null : value;
    }

    public static Object date(ResultSet row, int column) throws SQLException {
        return row.getObject(column, LocalDate.class);
    }

    public static Object localTimestamp(ResultSet row, int column) throws SQLException {
        LocalDateTime value = row.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    public static Object zonedTimestamp(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Binary values as lowercase hexadecimal, without a prefix ({@code deadbeef}), as SQL's hex encoders write. */
    public static Object hex(ResultSet row, int column) throws SQLException {
        byte[] value = row.getBytes(column);
        return value == null ? null : HexFormat.of().formatHex(value);
    }
}
