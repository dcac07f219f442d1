package dev.ebb.core.plan.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** DuckDB: BLOBs for bytes, {@code sha256} gives hex, {@code //} divides whole numbers, {@code ON CONFLICT} upserts. */
final class DuckDbDialect extends Dialect {
    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public String utf8(String textExpression) {
        return "encode(" + textExpression + ")";
    }

    @Override
    public String byteLength(String textExpression) {
        return "strlen(" + textExpression + ")";
    }

    @Override
    public String bytes(String hex) {
        return "from_hex('" + lowerHex(hex) + "')";
    }

    @Override
    public String int32(String expression) {
        return "from_hex(printf('%08x', " + expression + "))";
    }

    @Override
    public String concat(List<String> byteExpressions) {
        return "(" + String.join(" || ", byteExpressions) + ")";
    }

    @Override
    public String sha256Hex32(String byteExpression) {
        return "left(sha256(" + byteExpression + "), 32)";
    }

    /** DuckDB's own {@code hash} of the values (a {@code UBIGINT}), its upper 63 bits. */
    @Override
    public Optional<String> quickHash(String seed, List<String> values, List<String> nativeTypes) {
        return Optional.of("CAST(hash(" + seed + (values.isEmpty() ? "" : ", " + String.join(", ", values))
                + ") >> 1 AS BIGINT)");
    }

    @Override
    protected String intDiv(String a, String b) {
        return "(" + a + " // " + b + ")";
    }

    @Override
    protected String mod(String a, String b) {
        return "(" + a + " % " + b + ")";
    }

    @Override
    protected String utcTimestamp(String expression, String nativeType) {
        return nativeType.toUpperCase(Locale.ROOT).contains("TIME ZONE") || nativeType.equalsIgnoreCase("TIMESTAMPTZ")
                ? "timezone('UTC', " + expression + ")" : "CAST(" + expression + " AS TIMESTAMP)";
    }

    @Override
    protected String secondsText(String utcTimestamp) {
        return "strftime(" + utcTimestamp + ", '%Y-%m-%dT%H:%M:%S')";
    }

    @Override
    protected String microsOfSecond(String utcTimestamp) {
        return "(microsecond(" + utcTimestamp + ") % 1000000)";
    }

    @Override
    public String jsonString(String textExpression) {
        return "CAST(to_json(" + textExpression + ") AS VARCHAR)";
    }

    @Override
    public String createTemporaryTable(String table, String query) {
        return "CREATE TEMP TABLE " + quote(table) + " AS " + query;
    }

    @Override
    public String upsert(String target, String sourceQuery, List<String> keyColumns, List<String> columns) {
        return OnConflict.upsert(this, target, sourceQuery, keyColumns, columns);
    }

    @Override
    public String charLength(String textExpression) {
        return "length(" + textExpression + ")";
    }

    /** Nanosecond precision ({@code TIMESTAMP_NS}) has digits Instant.toString writes and microseconds do not. */
    @Override
    public boolean exactInstant(String nativeType) {
        return !nativeType.toUpperCase(Locale.ROOT).startsWith("TIMESTAMP_NS");
    }
}
