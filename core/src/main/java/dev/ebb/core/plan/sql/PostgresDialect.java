package dev.ebb.core.plan.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** PostgreSQL: {@code bytea} for bytes ({@code int4send} is a big-endian int), {@code ON CONFLICT} upserts. */
final class PostgresDialect extends Dialect {
    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String type(SqlType type) {
        return type == SqlType.TEXT ? "TEXT" : super.type(type);
    }

    @Override
    public String utf8(String textExpression) {
        return "convert_to(" + textExpression + ", 'UTF8')";
    }

    @Override
    public String byteLength(String textExpression) {
        return "octet_length(convert_to(" + textExpression + ", 'UTF8'))";
    }

    @Override
    public String bytes(String hex) {
        return "decode('" + lowerHex(hex) + "', 'hex')";
    }

    @Override
    public String int32(String expression) {
        return "int4send(CAST(" + expression + " AS integer))";
    }

    @Override
    public String concat(List<String> byteExpressions) {
        return "(" + String.join(" || ", byteExpressions) + ")";
    }

    @Override
    public String sha256Hex32(String byteExpression) {
        return "encode(substring(sha256(" + byteExpression + ") FROM 1 FOR 16), 'hex')";
    }

    /** Types whose hash is a function of the value alone; texts hashed as bytes, whatever their collation. */
    private static final java.util.Set<String> HASHED = java.util.Set.of("int2", "int4", "int8", "numeric", "text",
            "varchar", "bool", "date", "timestamp", "timestamptz");

    /**
     * {@code hash_record_extended} (PostgreSQL 14 and later) of the row of values: each value by its type's own hash
     * function, as PostgreSQL's hash joins do. Only for the types of {@link #HASHED}: another type's hash may equate
     * values that print differently.
     */
    @Override
    public Optional<String> quickHash(String seed, List<String> values, List<String> nativeTypes) {
        List<String> row = new java.util.ArrayList<>();
        row.add(seed + "::text");
        for (int i = 0; i < values.size(); i++) {
            String type = nativeTypes.get(i).toLowerCase(Locale.ROOT);
            if (!HASHED.contains(type)) return Optional.empty();
            row.add(type.equals("text") || type.equals("varchar") ? values.get(i) + " COLLATE \"C\"" : values.get(i));
        }
        return Optional.of("hash_record_extended(ROW(" + String.join(", ", row) + "), 0)");
    }

    @Override
    public Optional<String> keyList() {
        return Optional.of("SELECT unnest(CAST(? AS text[]))");
    }

        @Override
    public String fence() {
        return " OFFSET 0";
    }

    @Override
    public String dateText(String expression) {
        return "to_char(" + expression + ", 'YYYY-MM-DD')";
    }

    @Override
    protected String utcTimestamp(String expression, String nativeType) {
        String type = nativeType.toLowerCase(Locale.ROOT);
        return type.equals("timestamptz") || type.contains("with time zone")
                ? "(" + expression + " AT TIME ZONE 'UTC')" : expression;
    }

    @Override
    protected String secondsText(String utcTimestamp) {
        return "to_char(" + utcTimestamp + ", 'YYYY-MM-DD\"T\"HH24:MI:SS')";
    }

    @Override
    protected String microsOfSecond(String utcTimestamp) {
        return "(CAST(EXTRACT(MICROSECONDS FROM " + utcTimestamp + ") AS bigint) % 1000000)";
    }

    @Override
    public String jsonString(String textExpression) {
        return "CAST(to_json(CAST(" + textExpression + " AS text)) AS text)";
    }

    @Override
    public String upsert(String target, String sourceQuery, List<String> keyColumns, List<String> columns) {
        return OnConflict.upsert(this, target, sourceQuery, keyColumns, columns);
    }
}
