package dev.ebb.core.plan.sql;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * MySQL 8: backticks, backslash escapes, {@code ||} is not concatenation ({@code CONCAT} is), bytes through
 * {@code utf8mb4} and {@code UNHEX}, {@code SHA2}; a {@code TIMESTAMP} is shown in the session's zone, a
 * {@code DATETIME} is read as UTC; the upsert is {@code ON DUPLICATE KEY UPDATE}.
 */
final class MySqlDialect extends BacktickDialect {
    @Override
    public String name() {
        return "mysql";
    }

    /** Text keys are at most 768 characters: InnoDB indexes 3072 bytes, 4 per utf8mb4 character. */
    @Override
    public String type(SqlType type) {
        return switch (type) {
            case TEXT -> "VARCHAR(768)";
            case BIGINT -> "BIGINT";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "DATETIME(6)";
        };
    }

    @Override
    public String text(String expression) {
        return "CAST(" + expression + " AS CHAR)";
    }

    @Override
    public String utf8(String textExpression) {
        return "CAST(CONVERT(" + textExpression + " USING utf8mb4) AS BINARY)";
    }

    @Override
    public String byteLength(String textExpression) {
        return "LENGTH(CONVERT(" + textExpression + " USING utf8mb4))";
    }

    @Override
    public String bytes(String hex) {
        return "UNHEX('" + lowerHex(hex) + "')";
    }

    @Override
    public String int32(String expression) {
        return "UNHEX(LPAD(HEX(" + expression + "), 8, '0'))";
    }

    @Override
    public String sha256Hex32(String byteExpression) {
        return "LEFT(SHA2(" + byteExpression + ", 256), 32)";
    }

    @Override
    protected String intDiv(String a, String b) {
        return "(" + a + " DIV " + b + ")";
    }

    @Override
    public String dateText(String expression) {
        return "DATE_FORMAT(" + expression + ", '%Y-%m-%d')";
    }

    @Override
    protected String utcTimestamp(String expression, String nativeType) {
        return nativeType.toUpperCase(Locale.ROOT).startsWith("TIMESTAMP")
                ? "CONVERT_TZ(" + expression + ", @@session.time_zone, '+00:00')" : expression;
    }

    @Override
    protected String secondsText(String utcTimestamp) {
        return "DATE_FORMAT(" + utcTimestamp + ", '%Y-%m-%dT%H:%i:%s')";
    }

    @Override
    protected String microsOfSecond(String utcTimestamp) {
        return "MICROSECOND(" + utcTimestamp + ")";
    }

    @Override
    public String jsonString(String textExpression) {
        return "JSON_QUOTE(" + textExpression + ")";
    }

    @Override
    public String controlChar(char c) {
        return "CHAR(" + (int) c + " USING utf8mb4)";
    }

    @Override
    public String concatText(List<String> textExpressions) {
        return "CONCAT(" + String.join(", ", textExpressions) + ")";
    }

    @Override
    public String upsert(String target, String sourceQuery, List<String> keyColumns, List<String> columns) {
        List<String> others = columns.stream().filter(c -> !keyColumns.contains(c)).toList();
        List<String> updated = others.isEmpty() ? keyColumns : others;
        return "INSERT INTO " + target + " (" + names(columns) + ") SELECT " + names(columns) + " FROM ("
                + sourceQuery + ") AS s ON DUPLICATE KEY UPDATE "
                + updated.stream().map(c -> quote(c) + " = s." + quote(c)).collect(Collectors.joining(", "));
    }
}
