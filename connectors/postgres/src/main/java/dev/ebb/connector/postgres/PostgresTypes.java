package dev.ebb.connector.postgres;

import dev.ebb.connector.jdbc.internal.JdbcTypes;
import dev.ebb.connector.jdbc.internal.JdbcTypes.TypedColumn;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.SourceException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.Types;

/**
 * PostgreSQL's types as the source reads them, by the type's name (a domain arrives as its base type):
 *
 * <table>
 * <tr><th>PostgreSQL</th><th>{@link ColumnType}</th><th>value</th></tr>
 * <tr><td>bool</td><td>BOOLEAN</td><td>{@link Boolean}</td></tr>
 * <tr><td>int2, int4, int8, oid</td><td>INTEGER</td><td>{@link Long}</td></tr>
 * <tr><td>numeric</td><td>DECIMAL</td><td>{@link BigDecimal} with the scale PostgreSQL gives it
 *     ({@code numeric(10,2)} 1.50 stays 1.50); NaN and infinities are refused, naming the column</td></tr>
 * <tr><td>float4, float8</td><td>DOUBLE</td><td>{@link Double} (a float4 through its shortest decimal form)</td></tr>
 * <tr><td>text, varchar, bpchar (char(n), blank-padded as PostgreSQL keeps it), name, citext</td><td>STRING</td>
 *     <td>{@link String}</td></tr>
 * <tr><td>uuid</td><td>STRING</td><td>its canonical lowercase text</td></tr>
 * <tr><td>date</td><td>DATE</td><td>{@link java.time.LocalDate}</td></tr>
 * <tr><td>timestamptz</td><td>TIMESTAMP</td><td>its {@link java.time.Instant}</td></tr>
 * <tr><td>timestamp</td><td>TIMESTAMP</td><td>the wall-clock time read as UTC</td></tr>
 * <tr><td>json, jsonb</td><td>OTHER</td><td>PostgreSQL's text of it (jsonb's is normalised by the server)</td></tr>
 * <tr><td>arrays</td><td>OTHER</td><td>PostgreSQL's own array text, {@code {1,2,NULL}}, {@code {"a b",c}} (what
 *     {@code col::text} gives, in UTC)</td></tr>
 * <tr><td>bytea</td><td>OTHER</td><td>lowercase hexadecimal without the {@code \x} prefix (what
 *     {@code encode(col, 'hex')} gives)</td></tr>
 * <tr><td>anything else (enums, time, interval, money, inet, ranges, bit)</td><td>OTHER</td><td>PostgreSQL's
 *     text of it</td></tr>
 * </table>
 *
 * Stateless.
 */
final class PostgresTypes {
    private PostgresTypes() {
    }

    static TypedColumn column(String name, String typeName, int jdbcType) {
        if (jdbcType == Types.ARRAY || typeName.startsWith("_")) return JdbcTypes.of(name, ColumnType.OTHER,
                ResultSet::getString);
        return switch (typeName) {
            case "bool" -> JdbcTypes.of(name, ColumnType.BOOLEAN, JdbcTypes::bool);
            case "int2", "int4", "int8", "oid" -> JdbcTypes.of(name, ColumnType.INTEGER, JdbcTypes::whole);
            case "numeric" -> JdbcTypes.of(name, ColumnType.DECIMAL, (row, column) -> numeric(name, row, column));
            case "float4" -> JdbcTypes.of(name, ColumnType.DOUBLE, JdbcTypes::float32);
            case "float8" -> JdbcTypes.of(name, ColumnType.DOUBLE, JdbcTypes::float64);
            case "text", "varchar", "bpchar", "name", "citext", "uuid" -> JdbcTypes.of(name, ColumnType.STRING,
                    ResultSet::getString);
            case "date" -> JdbcTypes.of(name, ColumnType.DATE, JdbcTypes::date);
            case "timestamptz" -> JdbcTypes.of(name, ColumnType.TIMESTAMP, JdbcTypes::zonedTimestamp);
            case "timestamp" -> JdbcTypes.of(name, ColumnType.TIMESTAMP, JdbcTypes::localTimestamp);
            case "bytea" -> JdbcTypes.of(name, ColumnType.OTHER, JdbcTypes::hex);
            default -> JdbcTypes.of(name, ColumnType.OTHER, ResultSet::getString);
        };
    }

    /** From the server's text, which carries the exact digits and scale. */
    private static BigDecimal numeric(String name, ResultSet row, int column) throws java.sql.SQLException,
            SourceException {
        String text = row.getString(column);
        if (text == null) return null;
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new SourceException("column '" + name + "' holds " + text + ", which is not a number a destination"
                    + " can take; filter it out in the model, or map it (CASE WHEN " + name + " = 'NaN' THEN NULL"
                    + " ELSE " + name + " END)", e);
        }
    }
}
