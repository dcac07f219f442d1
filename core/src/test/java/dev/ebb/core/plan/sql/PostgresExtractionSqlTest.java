package dev.ebb.core.plan.sql;

import dev.ebb.spi.ColumnType;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SQL form of extraction on a real PostgreSQL yields the JVM's keys, fingerprints, payloads and reasons. */
class PostgresExtractionSqlTest extends GoldenRows {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @Override
    String create() {
        return "CREATE TEMPORARY TABLE golden " + PostgresValues.GOLDEN;
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
        return PostgresValues.type(nativeType);
    }

    @Override
    Object read(ResultSet rows, int column, String nativeType) throws SQLException {
        return PostgresValues.read(rows, column, nativeType);
    }

    @Test
    void sqlYieldsTheJvmsKeysFingerprintsPayloadsAndReasons() throws SQLException {
        sqlEqualsJvm();
    }
}
