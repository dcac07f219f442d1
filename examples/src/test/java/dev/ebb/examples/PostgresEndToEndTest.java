package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the CLI over {@code examples/postgres-table} against a real PostgreSQL: the model is mirrored into a table,
 * a row its CHECK constraint refuses is rejected alone with PostgreSQL's reason, and the second run writes only the
 * change, the fixed row and the removal (a DELETE).
 */
class PostgresEndToEndTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    static final String DATABASE = "app";
    static final String ROLE = "ebb_sync";
    static final String PASSWORD = "sync-secret";

    @TempDir
    Path scratch;

    @Test
    void healthScoresAreMirroredIntoATableAndTheSecondRunWritesOnlyTheChange() throws Exception {
        Path project = ExamplesEndToEndTest.copyExample("postgres-table", scratch);
        String p = project.toString();
        POSTGRES.createDatabase(DATABASE);
        POSTGRES.createRole(ROLE, PASSWORD);
        POSTGRES.execute(DATABASE, Files.readString(project.resolve("schema.sql")),
                "GRANT SELECT, INSERT, UPDATE, DELETE ON customer_health TO " + ROLE);
        CliRunner ebb = new CliRunner(Map.of("APP_DB_URL", POSTGRES.jdbcUrl(DATABASE), "APP_DB_USER", ROLE,
                "APP_DB_PASSWORD", PASSWORD));

        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();

        // Run 1: 20 rows in one transaction; the table's CHECK refuses C-0013's churn_risk of 1.3, alone.
        CliRunner.Result first = ebb.run("run", "-p", p, "health_to_table", "--json");
        JsonNode run1 = ExamplesEndToEndTest.json(first);
        assertThat(first.exitCode()).as("a rejected row makes the exit code 1: " + first).isEqualTo(1);
        assertThat(run1.get("delivered").asLong()).isEqualTo(19);
        assertThat(run1.get("rejected").asLong()).isEqualTo(1);
        assertThat(run1.get("problems").toString()).contains("rejected C-0013: 23514")
                .contains("customer_health_churn_risk_check");
        assertThat(rows()).hasSize(19).doesNotContainKey("customer13@example.com")
                .containsEntry("customer2@example.com",
                        "C-0002|Grace Perlman|0.651|enterprise|2024-03-03|2025-06-03 02:15:00+00");

        // Run 2: one score moves, C-0013 is fixed, C-0020 leaves the model.
        Path csv = project.resolve("data/customers.csv");
        ExamplesEndToEndTest.rewriteCsv(csv, lines -> {
            lines.set(2, lines.get(2).replace(",0.651,", ",0.999,"));
            lines.set(13, lines.get(13).replace(",1.300,", ",0.300,"));
            lines.remove(20);
            return lines;
        });
        CliRunner.Result second = ebb.run("run", "-p", p, "health_to_table", "--json");
        JsonNode run2 = ExamplesEndToEndTest.json(second);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(run2.get("changed").asLong()).isEqualTo(1);
        assertThat(run2.get("added").asLong()).as("the refused row is planned again").isEqualTo(1);
        assertThat(run2.get("removed").asLong()).isEqualTo(1);
        assertThat(run2.get("unchanged").asLong()).isEqualTo(17);
        assertThat(run2.get("delivered").asLong()).isEqualTo(3);
        Map<String, String> after = rows();
        assertThat(after).hasSize(19).doesNotContainKey("customer20@example.com");
        assertThat(after.get("customer2@example.com")).contains("|0.999|");
        assertThat(after.get("customer13@example.com")).startsWith("C-0013|").contains("|0.300|");

        // Run 3: nothing changed, nothing is written.
        CliRunner.Result idle = ebb.run("run", "-p", p, "health_to_table", "--json");
        assertThat(idle.exitCode()).as(idle.toString()).isZero();
        assertThat(ExamplesEndToEndTest.json(idle).get("unchanged").asLong()).isEqualTo(19);
        assertThat(ExamplesEndToEndTest.json(idle).get("delivered").asLong()).isZero();
    }

    /** The table's rows by email: customer_id|full_name|churn_risk|plan|signed_up|last_seen_at (in UTC). */
    private static Map<String, String> rows() throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection connection = POSTGRES.admin(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("SET TIME ZONE 'UTC'");
            try (ResultSet result = statement.executeQuery("SELECT email, concat_ws('|', customer_id, full_name,"
                    + " churn_risk, plan, signed_up, last_seen_at) FROM customer_health ORDER BY id")) {
                while (result.next()) rows.put(result.getString(1), result.getString(2));
            }
        }
        return rows;
    }
}
