package dev.ebb.core.plan.sql;

import java.util.List;
import java.util.Locale;

/**
 * BigQuery (GoogleSQL): backticks, backslash escapes, {@code BYTES}, {@code SHA256}, {@code DIV}; a {@code TIMESTAMP}
 * is an instant, a {@code DATETIME} is read as UTC; keys are declared {@code NOT ENFORCED}.
 */
final class BigQueryDialect extends BacktickDialect {
    @Override
    public String name() {
        return "bigquery";
    }

    @Override
    public String quote(String identifier) {
        return "`" + identifier.replace("`", "\\`") + "`";
    }

    @Override
    protected String rtrim(String expression, String characters) {
        return "RTRIM(" + expression + ", " + literal(characters) + ")";
    }

    @Override
    public String type(SqlType type) {
        return switch (type) {
            case TEXT -> "STRING";
            case BIGINT -> "INT64";
            case BOOLEAN -> "BOOL";
            case TIMESTAMP -> "TIMESTAMP";
        };
    }

    @Override
    public String utf8(String textExpression) {
        return "CAST(" + textExpression + " AS BYTES)";
    }

    @Override
    public String byteLength(String textExpression) {
        return "BYTE_LENGTH(" + textExpression + ")";
    }

    @Override
    public String bytes(String hex) {
        return "FROM_HEX('" + lowerHex(hex) + "')";
    }

    @Override
    public String int32(String expression) {
        return "FROM_HEX(LPAD(FORMAT('%x', " + expression + "), 8, '0'))";
    }

    @Override
    public String sha256Hex32(String byteExpression) {
        return "SUBSTR(TO_HEX(SHA256(" + byteExpression + ")), 1, 32)";
    }

    @Override
    protected String intDiv(String a, String b) {
        return "DIV(" + a + ", " + b + ")";
    }

    @Override
    public String isMidnight(String expression, String nativeType) {
        String utc = utcTimestamp(expression, nativeType);
        return "(" + utc + " = TIMESTAMP_TRUNC(" + utc + ", DAY))";
    }

    @Override
    protected String utcTimestamp(String expression, String nativeType) {
        return nativeType.toUpperCase(Locale.ROOT).startsWith("DATETIME") ? "TIMESTAMP(" + expression + ")"
                : expression;
    }

    @Override
    protected String secondsText(String utcTimestamp) {
        return "FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%S', " + utcTimestamp + ", 'UTC')";
    }

    @Override
    protected String microsOfSecond(String utcTimestamp) {
        return "EXTRACT(MICROSECOND FROM " + utcTimestamp + " AT TIME ZONE 'UTC')";
    }

    @Override
    public String jsonString(String textExpression) {
        return "TO_JSON_STRING(" + textExpression + ")";
    }

    @Override
    public String controlChar(char c) {
        return "CODE_POINTS_TO_STRING([" + (int) c + "])";
    }

    @Override
    public String createTemporaryTable(String table, String query) {
        return "CREATE TEMP TABLE " + quote(table) + " AS " + query;
    }

    @Override
    public String createTable(String qualifiedTable, List<ColumnDef> columns, List<String> primaryKey) {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (" + columns(columns)
                + (primaryKey.isEmpty() ? "" : ", PRIMARY KEY (" + names(primaryKey) + ") NOT ENFORCED") + ")";
    }
}
