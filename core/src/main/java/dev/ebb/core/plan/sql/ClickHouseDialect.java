package dev.ebb.core.plan.sql;

import java.util.List;
import java.util.stream.Collectors;

/**
 * ClickHouse: strings are bytes; {@code SHA256} gives raw bytes; a snapshot is a {@code ReplacingMergeTree} ordered
 * by its key, so the upsert is a plain {@code INSERT} (the newest row of a key wins when parts merge; read it with
 * {@code FINAL}); temporary tables live in memory.
 */
final class ClickHouseDialect extends BacktickDialect {
    @Override
    public String name() {
        return "clickhouse";
    }

    @Override
    public String type(SqlType type) {
        return switch (type) {
            case TEXT -> "String";
            case BIGINT -> "Int64";
            case BOOLEAN -> "Bool";
            case TIMESTAMP -> "DateTime64(6, 'UTC')";
        };
    }

    @Override
    public String text(String expression) {
        return "toString(" + expression + ")";
    }

    @Override
    public String utf8(String textExpression) {
        return textExpression;
    }

    @Override
    public String byteLength(String textExpression) {
        return "length(" + textExpression + ")";
    }

    @Override
    public String bytes(String hex) {
        return "unhex('" + lowerHex(hex) + "')";
    }

    @Override
    public String int32(String expression) {
        return "unhex(leftPad(hex(toUInt32(" + expression + ")), 8, '0'))";
    }

    @Override
    protected String lpad(String expression, int width) {
        return "leftPad(" + expression + ", " + width + ", '0')";
    }

    @Override
    public String concat(List<String> byteExpressions) {
        return "concat(" + String.join(", ", byteExpressions) + ")";
    }

    @Override
    public String sha256Hex32(String byteExpression) {
        return "lower(hex(substring(SHA256(" + byteExpression + "), 1, 16)))";
    }

    @Override
    protected String intDiv(String a, String b) {
        return "intDiv(" + a + ", " + b + ")";
    }

    @Override
    protected String mod(String a, String b) {
        return "(" + a + " % " + b + ")";
    }

    @Override
    public String isMidnight(String expression, String nativeType) {
        String utc = utcTimestamp(expression, nativeType);
        return "(" + utc + " = toStartOfDay(" + utc + "))";
    }

    @Override
    protected String utcTimestamp(String expression, String nativeType) {
        return "toTimeZone(" + expression + ", 'UTC')";
    }

    @Override
    protected String secondsText(String utcTimestamp) {
        return "formatDateTime(" + utcTimestamp + ", '%Y-%m-%dT%H:%i:%S')";
    }

    @Override
    protected String microsOfSecond(String utcTimestamp) {
        return "(toUnixTimestamp64Micro(toDateTime64(" + utcTimestamp + ", 6, 'UTC')) % 1000000)";
    }

    @Override
    public String controlChar(char c) {
        return "char(" + (int) c + ")";
    }

    @Override
    public String concatText(List<String> textExpressions) {
        return "concat(" + String.join(", ", textExpressions) + ")";
    }

    @Override
    public String createTemporaryTable(String table, String query) {
        return "CREATE TEMPORARY TABLE " + quote(table) + " ENGINE = Memory AS " + query;
    }

    @Override
    public String createTable(String qualifiedTable, List<ColumnDef> columns, List<String> primaryKey) {
        String definitions = columns.stream().map(c -> quote(c.name()) + " " + (primaryKey.contains(c.name())
                ? type(c.type()) : "Nullable(" + type(c.type()) + ")")).collect(Collectors.joining(", "));
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (" + definitions + ") ENGINE = ReplacingMergeTree"
                + " ORDER BY (" + names(primaryKey) + ")";
    }

    @Override
    public String upsert(String target, String sourceQuery, List<String> keyColumns, List<String> columns) {
        return "INSERT INTO " + target + " (" + names(columns) + ") SELECT " + names(columns) + " FROM ("
                + sourceQuery + ") AS s";
    }

    @Override
    public String charLength(String textExpression) {
        return "lengthUTF8(" + textExpression + ")";
    }

    @Override
    public String prefix(String textExpression, int n) {
        return "substringUTF8(" + textExpression + ", 1, " + n + ")";
    }

    /** Nanosecond precision ({@code DateTime64(9)}) has digits Instant.toString writes and microseconds do not. */
    @Override
    public boolean exactInstant(String nativeType) {
        return !nativeType.matches("(?i).*DateTime64\\(([789]).*");
    }
}
