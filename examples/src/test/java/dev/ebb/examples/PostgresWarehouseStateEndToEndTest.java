package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/postgres-warehouse} with the sync's snapshot kept in the warehouse ({@code state: { store:
 * warehouse, schema: ebb_state }} on the PostgreSQL source): the diff runs in PostgreSQL, a change of three rows is
 * all the second run sends, and a role that may not create the schema is told the grant it lacks (exit 3).
 */
class PostgresWarehouseStateEndToEndTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    static final String DATABASE = "analytics";
    static final String ROLE = "ebb_reader";
    static final String PASSWORD = "reader-secret";
    static final String TOKEN = "e2e-token";

    @TempDir
    Path scratch;
    HubSpotSandbox sandbox;

    @BeforeEach
    void start() throws java.io.IOException {
        sandbox = HubSpotSandbox.builder().tokens(TOKEN).perTenSeconds(10_000)
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number"))
                .property("contacts", HubSpotProperty.of("lifetime_value", "number"))
                .property("contacts", HubSpotProperty.of("plan", "string"))
                .build();
        sandbox.start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void theDiffRunsInPostgresAndAMissingGrantIsNamed() throws Exception {
        Path project = ExamplesEndToEndTest.copyExample("postgres-warehouse", scratch);
        Path yaml = project.resolve("ebb.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("    schema: analytics\n",
                "    schema: analytics\n    state: { store: warehouse, schema: ebb_state }\n"));
        String p = project.toString();
        POSTGRES.createDatabase(DATABASE);
        POSTGRES.createRole(ROLE, PASSWORD);
        POSTGRES.execute(DATABASE, Files.readString(project.resolve("warehouse.sql")));
        CliRunner ebb = new CliRunner(Map.of("WAREHOUSE_URL", POSTGRES.jdbcUrl(DATABASE), "WAREHOUSE_USER", ROLE,
                "WAREHOUSE_PASSWORD", PASSWORD, "HUBSPOT_TOKEN", TOKEN, "HUBSPOT_BASE_URL", sandbox.baseUrl()));

        // The reader may not create the state's schema: nothing is sent, and the grant is named (the role as the
        // project writes it: a value resolved from a reference is never shown).
        POSTGRES.execute(DATABASE, "REVOKE CREATE ON DATABASE " + DATABASE + " FROM PUBLIC");
        CliRunner.Result refused = ebb.run("run", "-p", p, "churn_to_hubspot");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).contains("schema ebb_state does not exist and role ${env:WAREHOUSE_USER} may not"
                + " create it: CREATE SCHEMA ebb_state AUTHORIZATION ${env:WAREHOUSE_USER}");
        assertThat(sandbox.recordCount("contacts")).isZero();

        POSTGRES.execute(DATABASE, "CREATE SCHEMA ebb_state AUTHORIZATION " + ROLE);
        CliRunner.Result first = ebb.run("run", "-p", p, "churn_to_hubspot", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(ExamplesEndToEndTest.json(first).get("added").asLong()).isEqualTo(200);
        CliRunner.Result plan = ebb.run("plan", "-p", p, "churn_to_hubspot", "--json");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(ExamplesEndToEndTest.json(plan).get("warnings").toString())
                .as("the model's rows are encoded and diffed in PostgreSQL, not in the JVM")
                .doesNotContain("planned in the JVM");
        assertThat(sandbox.recordCount("contacts")).isEqualTo(200);
        try (Connection c = POSTGRES.admin(DATABASE);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM ebb_state.snapshot")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the snapshot lives in the warehouse").isEqualTo(200);
        }

        POSTGRES.execute(DATABASE, "UPDATE analytics.scores SET churn_risk_score = 0.999"
                + " WHERE customer_id IN (10, 20, 30)");
        sandbox.clearRequests();
        CliRunner.Result second = ebb.run("run", "-p", p, "churn_to_hubspot", "--json");
        JsonNode run2 = ExamplesEndToEndTest.json(second);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(run2.get("changed").asLong()).isEqualTo(3);
        assertThat(run2.get("unchanged").asLong()).isEqualTo(197);
        assertThat(sandbox.requestCount("/crm/v3/objects/contacts/batch/upsert")).isEqualTo(1);

        CliRunner.Result reset = ebb.run("reset", "-p", p, "churn_to_hubspot");
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        CliRunner.Result full = ebb.run("run", "-p", p, "churn_to_hubspot", "--json");
        assertThat(ExamplesEndToEndTest.json(full).get("added").asLong()).isEqualTo(200);
        assertThat(sandbox.recordCount("contacts")).as("the full sync upserts, never duplicates").isEqualTo(200);
    }
}
