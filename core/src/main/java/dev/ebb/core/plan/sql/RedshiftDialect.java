package dev.ebb.core.plan.sql;

import java.util.List;
import java.util.Locale;

/**
 * Amazon Redshift: PostgreSQL's syntax with {@code VARBYTE} for bytes ({@code TO_VARBYTE}, {@code FROM_HEX}),
 * {@code SHA2} for the hash, {@code CONVERT_TIMEZONE} for zones, and {@code MERGE}.
 */
final class RedshiftDialect extends Dialect {
    @Override
    public String name() {
        return "redshift";
    }

    @Override
    public String utf8(String textExpression) {
        return "TO_VARBYTE(" + textExpression + ", 'utf8')";
    }

    @Override
    public String bytes(String hex) {
        return "FROM_HEX('" + lowerHex(hex) + "')";
    }

    @Override
    public String int32(String expression) {
        return "FROM_HEX(LPAD(TO_HEX(" + expression + "), 8, '0'))";
    }

    @Override
    public String concat(List<String> byteExpressions) {
        return "(" + String.join(" || ", byteExpressions) + ")";
    }

    @Override
    public String sha256Hex32(String byteExpression) {
        return "LEFT(SHA2(" + byteExpression + ", 256), 32)";
    }

    @Override
    public String dateText(String expression) {
        return "TO_CHAR(" + expression + ", 'YYYY-MM-DD')";
    }

    @Override
    protected String utcTimestamp(String expression, String nativeType) {
        return nativeType.toLowerCase(Locale.ROOT).contains("tz") || nativeType.toLowerCase(Locale.ROOT)
                .contains("with time zone") ? "CAST(CONVERT_TIMEZONE('UTC', " + expression + ") AS TIMESTAMP)"
                : expression;
    }

    @Override
    protected String secondsText(String utcTimestamp) {
        return "TO_CHAR(" + utcTimestamp + ", 'YYYY-MM-DD\"T\"HH24:MI:SS')";
    }

    @Override
    protected String microsOfSecond(String utcTimestamp) {
        return "CAST(TO_CHAR(" + utcTimestamp + ", 'US') AS INTEGER)";
    }

    @Override
    public String createTemporaryTable(String table, String query) {
        return "CREATE TEMP TABLE " + quote(table) + " AS " + query;
    }
}
