package dev.ebb.core.plan.sql;

import java.util.Locale;

/** Snowflake: {@code BINARY} for bytes ({@code TO_BINARY}, {@code SHA2_BINARY}), {@code CONVERT_TIMEZONE}, MERGE. */
final class SnowflakeDialect extends Dialect {
    @Override
    public String name() {
        return "snowflake";
    }

    @Override
    public String type(SqlType type) {
        return type == SqlType.TIMESTAMP ? "TIMESTAMP_NTZ" : super.type(type);
    }

    @Override
    public String utf8(String textExpression) {
        return "TO_BINARY(" + textExpression + ", 'UTF-8')";
    }

    @Override
    public String bytes(String hex) {
        return "TO_BINARY('" + lowerHex(hex) + "', 'HEX')";
    }

    @Override
    public String int32(String expression) {
        return "TO_BINARY(LPAD(TRIM(TO_CHAR(" + expression + ", 'XXXXXXXX')), 8, '0'), 'HEX')";
    }

    @Override
    public String sha256Hex32(String byteExpression) {
        return "LEFT(HEX_ENCODE(SHA2_BINARY(" + byteExpression + ", 256), 0), 32)";
    }

    @Override
    protected String intDiv(String a, String b) {
        return "FLOOR(" + a + " / " + b + ")";
    }

    @Override
    public String dateText(String expression) {
        return "TO_CHAR(" + expression + ", 'YYYY-MM-DD')";
    }

    @Override
    protected String utcTimestamp(String expression, String nativeType) {
        String type = nativeType.toUpperCase(Locale.ROOT);
        return type.contains("TZ") ? "CAST(CONVERT_TIMEZONE('UTC', " + expression + ") AS TIMESTAMP_NTZ)" : expression;
    }

    @Override
    protected String secondsText(String utcTimestamp) {
        return "TO_CHAR(" + utcTimestamp + ", 'YYYY-MM-DD\"T\"HH24:MI:SS')";
    }

    @Override
    protected String microsOfSecond(String utcTimestamp) {
        return "FLOOR(DATE_PART(NANOSECOND, " + utcTimestamp + ") / 1000)";
    }

    /** Nanosecond precision ({@code TIMESTAMP_NTZ(9)}) has digits Instant.toString writes and microseconds do not. */
    @Override
    public boolean exactInstant(String nativeType) {
        return nativeType.matches("(?i).*\\([0-6]\\).*");
    }
}
