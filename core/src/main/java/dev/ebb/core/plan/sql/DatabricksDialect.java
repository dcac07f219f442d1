package dev.ebb.core.plan.sql;

import java.util.List;
import java.util.Locale;

/**
 * Databricks SQL (Delta tables): backticks, backslash escapes, {@code BINARY} ({@code encode}, {@code unhex},
 * {@code sha2}), a {@code TIMESTAMP} is an instant shown in the session's zone, a {@code TIMESTAMP_NTZ} is read as
 * UTC; a temporary table is a temporary view; keys are not declared (Delta enforces none); MERGE.
 */
final class DatabricksDialect extends BacktickDialect {
    @Override
    public String name() {
        return "databricks";
    }

    @Override
    public String type(SqlType type) {
        return type == SqlType.TEXT ? "STRING" : super.type(type);
    }

    @Override
    public String utf8(String textExpression) {
        return "encode(" + textExpression + ", 'UTF-8')";
    }

    @Override
    public String bytes(String hex) {
        return "unhex('" + lowerHex(hex) + "')";
    }

    @Override
    public String int32(String expression) {
        return "unhex(lpad(hex(" + expression + "), 8, '0'))";
    }

    @Override
    public String sha256Hex32(String byteExpression) {
        return "left(sha2(" + byteExpression + ", 256), 32)";
    }

    @Override
    protected String intDiv(String a, String b) {
        return "(" + a + " div " + b + ")";
    }

    @Override
    protected String utcTimestamp(String expression, String nativeType) {
        return nativeType.toUpperCase(Locale.ROOT).contains("NTZ") ? expression
                : "to_utc_timestamp(" + expression + ", current_timezone())";
    }

    @Override
    protected String secondsText(String utcTimestamp) {
        return "date_format(" + utcTimestamp + ", \"yyyy-MM-dd'T'HH:mm:ss\")";
    }

    @Override
    protected String microsOfSecond(String utcTimestamp) {
        return "pmod(unix_micros(CAST(" + utcTimestamp + " AS TIMESTAMP)), 1000000)";
    }

    @Override
    public String createTemporaryTable(String table, String query) {
        return "CREATE OR REPLACE TEMPORARY VIEW " + quote(table) + " AS " + query;
    }

    @Override
    public String createTable(String qualifiedTable, List<ColumnDef> columns, List<String> primaryKey) {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (" + columns(columns) + ") USING DELTA";
    }
}
