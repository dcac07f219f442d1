package dev.ebb.core.plan.sql;

import dev.ebb.spi.ColumnType;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SQL form of extraction on a real PostgreSQL yields the JVM's keys, fingerprints, payloads and reasons. */
class PostgresExtractionSqlTest extends GoldenRows {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @Override
    String create() {
        return "CREATE TEMPORARY TABLE golden (id integer, email text, name text, amount bigint, score numeric(21, 6),"
                + " active boolean, born date, seen timestamp, seen_at timestamptz, tier varchar(80))";
    }

    @Override
    Connection connection() throws SQLException {
        Connection c = POSTGRES.admin(EmbeddedPostgresExtension.DEFAULT_DATABASE);
        try (Statement st = c.createStatement()) {
            // The session's zone must not matter: a zoned value is read as its instant.
            st.execute("SET TIME ZONE 'America/New_York'");
        }
        return c;
    }

    @Override
    Dialect dialect() {
        return Dialects.named("postgres").orElseThrow();
    }

    @Override
    ColumnType type(String nativeType) {
        return switch (nativeType) {
            case "int4", "int8" -> ColumnType.INTEGER;
            case "numeric" -> ColumnType.DECIMAL;
            case "bool" -> ColumnType.BOOLEAN;
            case "date" -> ColumnType.DATE;
            case "timestamp", "timestamptz" -> ColumnType.TIMESTAMP;
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
            case TIMESTAMP -> nativeType.equals("timestamptz")
                    ? rows.getObject(column, OffsetDateTime.class).toInstant()
                    : rows.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
            default -> rows.getString(column);
        };
    }

    @Test
    void sqlYieldsTheJvmsKeysFingerprintsPayloadsAndReasons() throws SQLException {
        sqlEqualsJvm();
    }
}
