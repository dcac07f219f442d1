package dev.ebb.core.plan.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One SQL engine's way of writing what Ebb's own SQL needs: quoting, types, bytes and the SHA-256 function for the
 * fingerprint, the canonical texts of values, temporary and snapshot tables, and the upsert of a snapshot. The defaults
 * are standard SQL; each engine overrides what it writes otherwise. Everything returned is SQL text; nothing here runs
 * it. Stateless and thread-safe.
 *
 * <p>Byte expressions ({@link #utf8}, {@link #bytes}, {@link #int32}, {@link #concat}) are the engine's binary type
 * where it has one; on engines whose strings are bytes (ClickHouse, MySQL) they are strings.
 */
public abstract class Dialect {
    /** A column of a table Ebb creates, by the kind of value it holds. */
    public enum SqlType { TEXT, BIGINT, BOOLEAN, TIMESTAMP }

    /** A column of a table Ebb creates. */
    public record ColumnDef(String name, SqlType type) {
    }

    /** The engine's name, as {@link dev.ebb.spi.SqlEngine#dialect()} gives it. */
    public abstract String name();

    // ---- names and literals ----

    /** An identifier, quoted so that any name is one name. */
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A dotted name, each part quoted: {@code ebb_state.snapshot}. */
    public String qualified(String... parts) {
        return java.util.Arrays.stream(parts).map(this::quote).collect(Collectors.joining("."));
    }

    /** A string literal. */
    public String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A string literal of an engine whose strings take backslash escapes (MySQL, BigQuery, Databricks, ClickHouse). */
    protected static String backslashLiteral(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** An identifier in backticks. */
    protected static String backtick(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /** The type name of a column kind. */
    public String type(SqlType type) {
        return switch (type) {
            case TEXT -> "VARCHAR";
            case BIGINT -> "BIGINT";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMP";
        };
    }

    /** A cast of {@code expression} to text. */
    public String text(String expression) {
        return "CAST(" + expression + " AS " + type(SqlType.TEXT) + ")";
    }

    // ---- bytes and the fingerprint's hash ----

    /** The UTF-8 bytes of a text expression. */
    public abstract String utf8(String textExpression);

    /** The number of bytes of a text's UTF-8 form. */
    public String byteLength(String textExpression) {
        return "OCTET_LENGTH(" + textExpression + ")";
    }

    /** Constant bytes, given as lower-case hex. */
    public abstract String bytes(String hex);

    /** A whole number from 0 to 2^31-1 as 4 bytes, big-endian. */
    public String int32(String expression) {
        return bytes8hex(lpad(hexOf(expression), 8));
    }

    /** The bytes of 8 hex digits (used by {@link #int32}'s default). */
    protected String bytes8hex(String hexExpression) {
        throw new UnsupportedOperationException(name() + " writes int32 itself");
    }

    /** The hex digits of a whole number (used by {@link #int32}'s default). */
    protected String hexOf(String expression) {
        throw new UnsupportedOperationException(name() + " writes int32 itself");
    }

    protected String lpad(String expression, int width) {
        return "LPAD(" + expression + ", " + width + ", '0')";
    }

    /** Byte expressions one after another. */
    public String concat(List<String> byteExpressions) {
        return "CONCAT(" + String.join(", ", byteExpressions) + ")";
    }

    /** The first 16 bytes of the SHA-256 of a byte expression, as 32 lower-case hex characters. */
    public abstract String sha256Hex32(String byteExpression);

    /**
     * A cheap hash of a seed (a text literal) and of values as the engine holds them (their types' names
     * {@code nativeTypes}), a {@code BIGINT} of at least 63 bits, equal for equal values of the same types and for
     * nothing else but by chance; or empty when the engine has none Ebb uses for these types. It is never a fingerprint: a store keeps
     * the fingerprint it computed for a row's quick hash, and takes it for the row while the hash is the same (see
     * {@code ExtractionSql#unmarked(String)}). Deterministic within one version of the engine; a hash that changes with
     * the engine's version costs one run that computes every fingerprint again, never a wrong plan.
     */
    public Optional<String> quickHash(String seed, List<String> values, List<String> nativeTypes) {
        return Optional.empty();
    }

    // ---- canonical texts (Values.text) ----

    /**
     * A number's text as {@code BigDecimal.stripTrailingZeros().toPlainString()} writes it: a decimal point only when
     * a non-zero digit follows it. The engine's own text of an exact number is plain (no exponent).
     */
    public String numberText(String expression) {
        String t = text(expression);
        return "CASE WHEN " + t + " LIKE '%.%' THEN " + rtrim(rtrim(t, "0"), ".") + " ELSE " + t + " END";
    }

    protected String rtrim(String expression, String characters) {
        return "RTRIM(" + expression + ", " + literal(characters) + ")";
    }

    /** {@code true} or {@code false}. */
    public String booleanText(String expression) {
        return "CASE WHEN " + expression + " THEN 'true' WHEN NOT " + expression + " THEN 'false' END";
    }

    /** A date as ISO-8601, {@code 2024-05-01}. */
    public String dateText(String expression) {
        return text(expression);
    }

    /**
     * An instant as {@code Instant.toString()} writes it, in UTC: seconds always, then 3 or 6 fractional digits when
     * there are any ({@code 2024-05-01T12:00:00Z}, {@code …00.120Z}, {@code …00.123456Z}).
     *
     * @param nativeType the column's type as the engine names it (zoned or not)
     */
    public String instantText(String expression, String nativeType) {
        String utc = utcTimestamp(expression, nativeType);
        String micros = microsOfSecond(utc);
        return concatText(List.of(secondsText(utc), "CASE WHEN " + micros + " = 0 THEN '' WHEN " + mod(micros, "1000")
                + " = 0 THEN " + concatText(List.of("'.'", lpad(text(intDiv(micros, "1000")), 3))) + " ELSE "
                + concatText(List.of("'.'", lpad(text(micros), 6))) + " END", "'Z'"));
    }

    /** Integer division of whole numbers. */
    protected String intDiv(String a, String b) {
        return "(" + a + " / " + b + ")";
    }

    protected String mod(String a, String b) {
        return "MOD(" + a + ", " + b + ")";
    }

    /**
     * Whether {@link #instantText} writes every instant of a column of that type exactly: its precision is at most
     * microseconds (Instant.toString would write nanoseconds).
     */
    public boolean exactInstant(String nativeType) {
        return true;
    }

    /** Whether a timestamp falls on midnight UTC (a date for a DATE field). */
    public String isMidnight(String expression, String nativeType) {
        String utc = utcTimestamp(expression, nativeType);
        return "(" + utc + " = CAST(CAST(" + utc + " AS DATE) AS TIMESTAMP))";
    }

    /** A date (a DATE column) as the instant of its start in UTC, in Instant.toString's form. */
    public String dateStartText(String expression) {
        return concatText(List.of(dateText(expression), "'T00:00:00Z'"));
    }

    /** The timestamp in UTC, without a zone. */
    protected abstract String utcTimestamp(String expression, String nativeType);

    /** {@code yyyy-MM-ddTHH:mm:ss} of a timestamp without a zone. */
    protected abstract String secondsText(String utcTimestamp);

    /** The microseconds within the second of a timestamp without a zone, 0 to 999999. */
    protected abstract String microsOfSecond(String utcTimestamp);

    /** A text as a JSON string, with its quotes, escaped as JSON requires. */
    public String jsonString(String textExpression) {
        String escaped = "REPLACE(REPLACE(" + textExpression + ", " + literal("\\") + ", " + literal("\\\\") + "), "
                + literal("\"") + ", " + literal("\\\"") + ")";
        for (char control : new char[]{'\n', '\r', '\t'}) {
            String escape = control == '\n' ? "\\n" : control == '\r' ? "\\r" : "\\t";
            escaped = "REPLACE(" + escaped + ", " + controlChar(control) + ", " + literal(escape) + ")";
        }
        return concatText(List.of("'\"'", escaped, "'\"'"));
    }

    /** A one-character string of a control character. */
    public String controlChar(char c) {
        return "CHR(" + (int) c + ")";
    }

    /** The number of characters of a text. */
    public String charLength(String textExpression) {
        return "CHAR_LENGTH(" + textExpression + ")";
    }

    /** The first {@code n} characters of a text. */
    public String prefix(String textExpression, int n) {
        return "SUBSTR(" + textExpression + ", 1, " + n + ")";
    }

    /** Text concatenation. */
    public String concatText(List<String> textExpressions) {
        return "(" + String.join(" || ", textExpressions) + ")";
    }

    /**
     * What ends a subquery whose columns are expensive expressions, so that the engine computes each once per row:
     * PostgreSQL pulls a plain subquery up into its parent and evaluates a column's expression at every reference
     * (the fingerprint refers to each field's text four times), unless the subquery has an {@code OFFSET}.
     */
    public String fence() {
        return "";
    }

    /**
     * A query of one text column, the elements of a list of texts bound as its one parameter (an array), so that a
     * query can take a few thousand keys in one statement; empty where Ebb binds no such list.
     */
    public Optional<String> keyList() {
        return Optional.empty();
    }

        /** The text, lower-cased, for a case-blind comparison of match values. */
    public String lower(String expression) {
        return "LOWER(" + expression + ")";
    }

    // ---- tables ----

    /** A temporary table made of a query's rows, gone when the session ends. */
    public String createTemporaryTable(String table, String query) {
        return "CREATE TEMPORARY TABLE " + quote(table) + " AS " + query;
    }

    /** A table of a sync's snapshot (or any table Ebb keeps), unless it exists. */
    public String createTable(String qualifiedTable, List<ColumnDef> columns, List<String> primaryKey) {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (" + columns(columns)
                + (primaryKey.isEmpty() ? "" : ", PRIMARY KEY (" + names(primaryKey) + ")") + ")";
    }

    /**
     * Writes the rows of {@code sourceQuery} (a query with every column of {@code columns}) into {@code target}: a row
     * whose key exists replaces its other columns, a new key is inserted. The standard {@code MERGE}.
     */
    public String upsert(String target, String sourceQuery, List<String> keyColumns, List<String> columns) {
        List<String> others = columns.stream().filter(c -> !keyColumns.contains(c)).toList();
        return "MERGE INTO " + target + " AS t USING (" + sourceQuery + ") AS s ON "
                + keyColumns.stream().map(k -> "t." + quote(k) + " = s." + quote(k)).collect(Collectors.joining(" AND "))
                + (others.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET "
                + others.stream().map(c -> quote(c) + " = s." + quote(c)).collect(Collectors.joining(", ")))
                + " WHEN NOT MATCHED THEN INSERT (" + names(columns) + ") VALUES ("
                + columns.stream().map(c -> "s." + quote(c)).collect(Collectors.joining(", ")) + ")";
    }

    protected String columns(List<ColumnDef> columns) {
        return columns.stream().map(c -> quote(c.name()) + " " + type(c.type())).collect(Collectors.joining(", "));
    }

    protected String names(List<String> names) {
        return names.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    /** Hex of bytes, lower case, for {@link #bytes}. */
    protected static String lowerHex(String hex) {
        return hex.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return name();
    }
}
