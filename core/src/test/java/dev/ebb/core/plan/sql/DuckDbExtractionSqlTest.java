package dev.ebb.core.plan.sql;

import dev.ebb.spi.ColumnType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The SQL form of extraction on DuckDB yields the JVM's keys, fingerprints, payloads and reasons. */
class DuckDbExtractionSqlTest extends GoldenRows {
    @Override
    String create() {
        return "CREATE TABLE golden (id INTEGER, email VARCHAR, name VARCHAR, amount BIGINT, score DECIMAL(21, 6),"
                + " active BOOLEAN, born DATE, seen TIMESTAMP, seen_at TIMESTAMPTZ, tier VARCHAR)";
    }

    @Override
    Connection connection() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        // The machine's zone must not matter: a zoned value is read as its instant.
        c.createStatement().execute("SET TimeZone = 'America/New_York'");
        return c;
    }

    @Override
    Dialect dialect() {
        return Dialects.named("duckdb").orElseThrow();
    }

    @Override
    ColumnType type(String nativeType) {
        String t = nativeType.toUpperCase(Locale.ROOT);
        if (t.startsWith("DECIMAL")) return ColumnType.DECIMAL;
        return switch (t) {
            case "INTEGER", "BIGINT" -> ColumnType.INTEGER;
            case "BOOLEAN" -> ColumnType.BOOLEAN;
            case "DATE" -> ColumnType.DATE;
            case "TIMESTAMP", "TIMESTAMP WITH TIME ZONE" -> ColumnType.TIMESTAMP;
            default -> ColumnType.STRING;
        };
    }

    @Override
    Object read(ResultSet rows, int column, String nativeType) throws SQLException {
        if (rows.getObject(column) == null) return null;
        return switch (type(nativeType)) {
            case INTEGER -> rows.getLong(column);
            case DECIMAL -> rows.getBigDecimal(column);
            case BOOLEAN -> rows.getBoolean(column);
            case DATE -> rows.getObject(column, LocalDate.class);
            case TIMESTAMP -> nativeType.contains("ZONE") ? rows.getObject(column, OffsetDateTime.class).toInstant()
                    : rows.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
            default -> rows.getString(column);
        };
    }

    @Test
    void sqlYieldsTheJvmsKeysFingerprintsPayloadsAndReasons() throws SQLException {
        sqlEqualsJvm();
    }
}
