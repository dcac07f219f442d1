package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the CLI over {@code examples/dbt-hubspot}: the sync names a dbt model, resolved from the dbt project's
 * manifest (relation, key from its unique test), reads it through the real DuckDB source, and writes its sync logs
 * back into the same DuckDB file once the read-only source is closed.
 */
class DbtSyncLogsEndToEndTest {
    @TempDir
    Path scratch;

    @Test
    void aDbtModelSyncsAndEachRunIsLoggedInTheLakehouse() throws Exception {
        Path project = ExamplesEndToEndTest.copyExample("dbt-hubspot", scratch);
        String p = project.toString();
        Path lakehouse = project.resolve("analytics/lakehouse.duckdb");
        buildLikeDbt(project, lakehouse);
        compiledAfterEditing(project.resolve("analytics"));
        try (HubSpotSandbox sandbox = HubSpotSandbox.builder().tokens(ExamplesEndToEndTest.TOKEN)
                .perTenSeconds(10_000)
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number"))
                .property("contacts", HubSpotProperty.enumeration("plan", "free", "starter", "professional",
                        "enterprise"))
                .build()) {
            sandbox.start();
            CliRunner ebb = new CliRunner(Map.of("HUBSPOT_TOKEN", ExamplesEndToEndTest.TOKEN,
                    "HUBSPOT_BASE_URL", sandbox.baseUrl()));

            CliRunner.Result validate = ebb.run("validate", "-p", p, "--json");
            assertThat(validate.exitCode()).as(validate.toString()).isZero();
            assertThat(ExamplesEndToEndTest.json(validate).get("warnings")).isEmpty();

            CliRunner.Result first = ebb.run("run", "-p", p, "churn_to_hubspot", "--json");
            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(ExamplesEndToEndTest.json(first).get("delivered").asLong()).isEqualTo(20);
            // dbt's seed types the scores DOUBLE, whose text only the JVM writes: the run says so, and nothing else.
            assertThat(ExamplesEndToEndTest.json(first).get("warnings")).as(first.toString()).singleElement()
                    .satisfies(w -> assertThat(w.asText()).startsWith("the model's rows were planned in the JVM"));
            assertThat(sandbox.recordCount("contacts")).isEqualTo(20);

            execute(lakehouse, "UPDATE main_marts.customer_health SET churn_risk_score = 0.999"
                    + " WHERE customer_email = 'customer7@example.com'");
            CliRunner.Result second = ebb.run("run", "-p", p, "churn_to_hubspot", "--json");
            JsonNode run2 = ExamplesEndToEndTest.json(second);
            assertThat(run2.get("changed").asLong()).as(second.toString()).isEqualTo(1);
            assertThat(run2.get("warnings")).as(second.toString()).singleElement()
                    .satisfies(w -> assertThat(w.asText()).startsWith("the model's rows were planned in the JVM"));

            assertThat(rows(lakehouse, "SELECT run_id, status, added, changed, delivered FROM ebb_logs.sync_runs"
                    + " WHERE project = 'dbt-hubspot' ORDER BY run_id"))
                    .containsExactly("1|succeeded|20|0|20", "2|succeeded|0|1|1");
            assertThat(rows(lakehouse, "SELECT run_id, count(*), count(*) FILTER (status = 'delivered')"
                    + " FROM ebb_logs.sync_outcomes GROUP BY run_id ORDER BY run_id"))
                    .containsExactly("1|20|20", "2|1|1");
            assertThat(rows(lakehouse, "SELECT row_key, change, operation FROM ebb_logs.sync_outcomes"
                    + " WHERE run_id = 2")).containsExactly("customer7@example.com|changed|upsert");

            // The model's YAML changes after the manifest was written: validate says to compile again.
            Files.setLastModifiedTime(project.resolve("analytics/models/marts/schema.yml"),
                    FileTime.from(Instant.parse("2026-12-01T08:00:00Z")));
            CliRunner.Result stale = ebb.run("validate", "-p", p, "--json");
            assertThat(stale.exitCode()).as(stale.toString()).isZero();
            assertThat(ExamplesEndToEndTest.json(stale).get("warnings").toString())
                    .contains("is older than analytics/models/marts/schema.yml", "run dbt compile");
        }
    }

    /** What {@code dbt seed && dbt run} makes of the dbt project with dbt-duckdb (see analytics/profiles.yml). */
    private static void buildLikeDbt(Path project, Path lakehouse) throws SQLException {
        String seed = project.resolve("analytics/seeds/customers.csv").toString().replace("'", "''");
        execute(lakehouse,
                "CREATE TABLE main.customers AS SELECT * FROM read_csv('" + seed + "')",
                "CREATE SCHEMA main_marts",
                "CREATE TABLE main_marts.customer_health AS SELECT customer_email, churn_risk_score, plan"
                        + " FROM main.customers WHERE customer_email IS NOT NULL");
    }

    /** The manifest says it was written on 2026-11-30; the dbt project's files were edited before. */
    private static void compiledAfterEditing(Path dbtProject) throws Exception {
        try (Stream<Path> files = Files.walk(dbtProject)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-29T12:00:00Z")));
            }
        }
    }

    private static void execute(Path database, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database);
             Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    private static List<String> rows(Path database, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= n; i++) cells.add(rs.getString(i));
                rows.add(String.join("|", cells));
            }
        }
        return rows;
    }
}
