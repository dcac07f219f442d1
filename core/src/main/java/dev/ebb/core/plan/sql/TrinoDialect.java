package dev.ebb.core.plan.sql;

import java.util.List;
import java.util.Locale;

/**
 * Trino: {@code VARBINARY} ({@code to_utf8}, {@code to_big_endian_32}, {@code sha256}); no temporary tables (a table
 * the caller drops) and no declared keys; MERGE where the connector supports it.
 */
final class TrinoDialect extends Dialect {
    @Override
    public String name() {
        return "trino";
    }

    @Override
    public String type(SqlType type) {
        return type == SqlType.TIMESTAMP ? "TIMESTAMP(6)" : super.type(type);
    }

    @Override
    public String utf8(String textExpression) {
        return "to_utf8(" + textExpression + ")";
    }

    @Override
    public String byteLength(String textExpression) {
        return "length(to_utf8(" + textExpression + "))";
    }

    @Override
    public String bytes(String hex) {
        return "from_hex('" + lowerHex(hex) + "')";
    }

    @Override
    public String int32(String expression) {
        return "to_big_endian_32(CAST(" + expression + " AS integer))";
    }

    @Override
    public String sha256Hex32(String byteExpression) {
        return "lower(to_hex(substr(sha256(" + byteExpression + "), 1, 16)))";
    }

    @Override
    protected String utcTimestamp(String expression, String nativeType) {
        return nativeType.toLowerCase(Locale.ROOT).contains("with time zone")
                ? "CAST(" + expression + " AT TIME ZONE 'UTC' AS TIMESTAMP(6))"
                : "CAST(" + expression + " AS TIMESTAMP(6))";
    }

    @Override
    protected String secondsText(String utcTimestamp) {
        return "date_format(" + utcTimestamp + ", '%Y-%m-%dT%H:%i:%s')";
    }

    @Override
    protected String microsOfSecond(String utcTimestamp) {
        return "CAST(date_format(" + utcTimestamp + ", '%f') AS integer)";
    }

    @Override
    public String createTemporaryTable(String table, String query) {
        return "CREATE TABLE " + quote(table) + " AS " + query;
    }

    @Override
    public String createTable(String qualifiedTable, List<ColumnDef> columns, List<String> primaryKey) {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (" + columns(columns) + ")";
    }

    /** Nanosecond precision ({@code timestamp(9)}) has digits Instant.toString writes and microseconds do not. */
    @Override
    public boolean exactInstant(String nativeType) {
        return !nativeType.matches("(?i).*\\(([789]|1[0-2])\\).*");
    }
}
