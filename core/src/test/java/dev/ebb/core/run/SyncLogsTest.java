package dev.ebb.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ebb.core.config.ConnectionConfig;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.SyncLogConfig;
import dev.ebb.core.state.RunStatus;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Sync logs written back to the source's database after each run, on DuckDB and on a real PostgreSQL. */
class SyncLogsTest {
    private static final Location AT = new Location(Path.of("ebb.yaml"), 4);

    /** Two delivered, one rejected by the destination, one invalid (no key). */
    private static void fourRows(EngineFixture f) {
        f.row("ada@example.com", "0.9", "pro");
        f.row("bob@example.com", "0.2", "free");
        f.row("eve@example.com", "0.5", "pro");
        f.row(null, "0.1", "free");
        f.destination.rejects = r -> r.key().equals("eve@example.com");
    }

    private static List<Tuple> outcomes(Connection c, String schema) throws SQLException {
        List<Tuple> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT project, sync_name, run_id,"
                + " row_key, change, operation, status, reason FROM " + schema + ".sync_outcomes"
                + " ORDER BY run_id, row_key NULLS LAST")) {
            while (rs.next()) {
                rows.add(tuple(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8)));
            }
        }
        return rows;
    }

    private static List<Tuple> runs(Connection c, String schema) throws SQLException {
        List<Tuple> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT run_id, status, added,"
                + " invalid, delivered, rejected, api_calls, finished_at >= started_at FROM " + schema
                + ".sync_runs ORDER BY run_id")) {
            while (rs.next()) {
                rows.add(tuple(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getBoolean(8)));
            }
        }
        return rows;
    }

    private static final Tuple[] FIRST_RUN = {
            tuple("test", "people", 1L, "ada@example.com", "added", "upsert", "delivered", null),
            tuple("test", "people", 1L, "bob@example.com", "added", "upsert", "delivered", null),
            tuple("test", "people", 1L, "eve@example.com", "added", "upsert", "rejected",
                    "INVALID: rejected by the test"),
            tuple("test", "people", 1L, "(null)", "none", null, "invalid", "key [email] is null")};

    @Nested
    class OnDuckDb {
        @TempDir
        Path dir;

        private EngineFixture fixture(String schema, int days) throws Exception {
            EngineFixture f = new EngineFixture(dir);
            f.lake = new ConnectionConfig("lake", "duckdb", Map.of("path", "lake.duckdb"), AT);
            f.syncLogs = new SyncLogConfig(schema, days, AT);
            return f;
        }

        private Connection lake() throws SQLException {
            return DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("lake.duckdb"));
        }

        @Test
        void eachRunWritesItsOutcomesAndItsSummary() throws Exception {
            try (EngineFixture f = fixture("ebb_logs", 30)) {
                fourRows(f);
                RunReport first = f.run().report();
                f.set("ada@example.com", "0.95", "pro");
                f.destination.rejects = r -> false;
                RunReport second = f.run().report();

                assertThat(first.warnings()).isEmpty();
                assertThat(second.warnings()).isEmpty();
                try (Connection c = lake()) {
                    List<Tuple> rows = outcomes(c, "ebb_logs");
                    assertThat(rows.subList(0, 4)).containsExactlyInAnyOrder(FIRST_RUN);
                    // Run 2: ada changed; eve, rejected before, is planned again and delivered; the null key again.
                    assertThat(rows.subList(4, rows.size())).extracting(t -> t.toList().get(3), t -> t.toList().get(4),
                                    t -> t.toList().get(6))
                            .containsExactlyInAnyOrder(tuple("ada@example.com", "changed", "delivered"),
                                    tuple("eve@example.com", "added", "delivered"),
                                    tuple("(null)", "none", "invalid"));
                    assertThat(runs(c, "ebb_logs")).containsExactly(
                            tuple(1L, "completed_with_errors", 3L, 1L, 2L, 1L, 2L, true),
                            tuple(2L, "completed_with_errors", 1L, 1L, 2L, 0L, 2L, true));
                }
            }
        }

        @Test
        void rowsOlderThanTheRetentionAreDeleted() throws Exception {
            try (EngineFixture f = fixture("audit", 7)) {
                fourRows(f);
                f.run();
                f.clock.advance(Duration.ofDays(8));
                f.set("bob@example.com", "0.3", "free");
                f.run();

                try (Connection c = lake()) {
                    assertThat(runs(c, "audit")).extracting(t -> t.toList().get(0)).containsExactly(2L);
                    assertThat(outcomes(c, "audit")).extracting(t -> t.toList().get(2)).containsOnly(2L);
                }
            }
        }

        @Test
        void aLogThatCannotBeWrittenWarnsAndTheRunStands() throws Exception {
            try (EngineFixture f = fixture("ebb_logs", 30)) {
                // Not a database: DuckDB refuses to open it.
                Files.writeString(dir.resolve("lake.duckdb"), "email,score\nada@example.com,0.9\n");
                fourRows(f);

                RunReport report = f.run().report();

                assertThat(report.record().status()).isEqualTo(RunStatus.COMPLETED_WITH_ERRORS);
                assertThat(report.record().delivered()).isEqualTo(2);
                assertThat(report.warnings()).singleElement().asString().startsWith("the sync log of run 1 was not"
                        + " written to schema ebb_logs of source 'lake' (the run itself is recorded in full): ");
                assertThat(f.state.run(1).orElseThrow().delivered()).isEqualTo(2);
                assertThat(f.destination.records).containsOnlyKeys("ada@example.com", "bob@example.com");
            }
        }
    }

    @Nested
    class OnPostgres {
        @RegisterExtension
        static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

        @TempDir
        Path dir;

        /** Four rows of a source that signs in to {@code database} as {@code role}, with sync logs. */
        private EngineFixture fixture(String database, String role) throws Exception {
            EngineFixture f = new EngineFixture(dir);
            f.lake = new ConnectionConfig("lake", "postgres", Map.of("url", POSTGRES.jdbcUrl(database),
                    "user", role, "password", "s3cret"), AT);
            f.syncLogs = new SyncLogConfig("ebb_logs", 30, AT);
            fourRows(f);
            return f;
        }

        @Test
        void eachRunWritesItsOutcomesAndItsSummaryWithTheSourcesRole() throws Exception {
            POSTGRES.createDatabase("warehouse");
            POSTGRES.createRole("analyst", "s3cret");
            POSTGRES.execute("warehouse", "GRANT CREATE ON DATABASE warehouse TO analyst");
            try (EngineFixture f = fixture("warehouse", "analyst")) {

                RunReport report = f.run().report();

                assertThat(report.warnings()).isEmpty();
                try (Connection c = POSTGRES.admin("warehouse")) {
                    assertThat(outcomes(c, "ebb_logs")).containsExactlyInAnyOrder(FIRST_RUN);
                    assertThat(runs(c, "ebb_logs")).containsExactly(
                            tuple(1L, "completed_with_errors", 3L, 1L, 2L, 1L, 2L, true));
                }
            }
        }

        @Test
        void aRoleThatMayNotCreateTheSchemaGetsAWarningAndTheRunStands() throws Exception {
            POSTGRES.createDatabase("readonly");
            POSTGRES.createRole("reader", "s3cret");
            try (EngineFixture f = fixture("readonly", "reader")) {

                RunReport report = f.run().report();

                assertThat(report.record().delivered()).isEqualTo(2);
                assertThat(report.warnings()).singleElement().asString()
                        .contains("the sync log of run 1 was not written", "permission denied");
            }
        }
    }
}
