package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the CLI over {@code examples/postgres-warehouse}: the model is a view of a real PostgreSQL warehouse read
 * by a role that may only read, synced to a HubSpot sandbox; a change of three rows in the warehouse is all the
 * second run sends, and a warehouse the run cannot use stops it with exit code 3, saying why.
 */
class PostgresWarehouseEndToEndTest {
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
    void start() throws Exception {
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

    private CliRunner ebb(String password) {
        return new CliRunner(Map.of("WAREHOUSE_URL", POSTGRES.jdbcUrl(DATABASE), "WAREHOUSE_USER", ROLE,
                "WAREHOUSE_PASSWORD", password, "HUBSPOT_TOKEN", TOKEN, "HUBSPOT_BASE_URL", sandbox.baseUrl()));
    }

    @Test
    void aWarehouseViewIsSyncedAndTheSecondRunSendsOnlyTheRowsThatChanged() throws Exception {
        Path project = ExamplesEndToEndTest.copyExample("postgres-warehouse", scratch);
        String p = project.toString();
        POSTGRES.createDatabase(DATABASE);
        POSTGRES.createRole(ROLE, PASSWORD);
        POSTGRES.execute(DATABASE, Files.readString(project.resolve("warehouse.sql")));
        CliRunner ebb = ebb(PASSWORD);

        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();

        // Run 1: the 200 customers of the view, two batch calls of 100.
        CliRunner.Result first = ebb.run("run", "-p", p, "churn_to_hubspot", "--json");
        JsonNode run1 = ExamplesEndToEndTest.json(first);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(run1.get("added").asLong()).isEqualTo(200);
        assertThat(run1.get("delivered").asLong()).isEqualTo(200);
        assertThat(sandbox.requestCount("/crm/v3/objects/contacts/batch/upsert")).isEqualTo(2);
        assertThat(sandbox.recordCount("contacts")).isEqualTo(200);
        assertThat(sandbox.findRecord("contacts", "email", "customer7@example.com").orElseThrow()
                .property("lifetime_value")).contains("262.5");
        CliRunner.Result plan = ebb.run("plan", "-p", p, "churn_to_hubspot", "--json");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(ExamplesEndToEndTest.json(plan).get("warnings").toString())
                .as("PostgreSQL encodes the rows and only their texts reach the embedded store")
                .doesNotContain("planned in the JVM");

        // Three scores move in the warehouse's table under the view.
        POSTGRES.execute(DATABASE, "UPDATE analytics.scores SET churn_risk_score = 0.999"
                + " WHERE customer_id IN (10, 20, 30)");
        sandbox.clearRequests();
        CliRunner.Result second = ebb.run("run", "-p", p, "churn_to_hubspot", "--json");
        JsonNode run2 = ExamplesEndToEndTest.json(second);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(run2.get("changed").asLong()).isEqualTo(3);
        assertThat(run2.get("unchanged").asLong()).isEqualTo(197);
        assertThat(run2.get("delivered").asLong()).isEqualTo(3);
        assertThat(sandbox.requestCount("/crm/v3/objects/contacts/batch/upsert")).isEqualTo(1);
        assertThat(sandbox.findRecord("contacts", "email", "customer20@example.com").orElseThrow()
                .property("churn_risk_score")).contains("0.999");

        // Nothing changed: nothing is sent.
        sandbox.clearRequests();
        CliRunner.Result idle = ebb.run("run", "-p", p, "churn_to_hubspot", "--json");
        assertThat(idle.exitCode()).as(idle.toString()).isZero();
        assertThat(ExamplesEndToEndTest.json(idle).get("delivered").asLong()).isZero();
        assertThat(sandbox.requestCount("/crm/v3/objects/contacts/batch/upsert")).isZero();

        // A wrong password and a view the role may no longer read: exit 3, saying which.
        CliRunner.Result refused = ebb("not-the-password").run("run", "-p", p, "churn_to_hubspot");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err() + refused.out()).contains("authentication").doesNotContain("not-the-password");
        POSTGRES.execute(DATABASE, "REVOKE SELECT ON analytics.customer_health FROM " + ROLE);
        CliRunner.Result forbidden = ebb.run("run", "-p", p, "churn_to_hubspot");
        assertThat(forbidden.exitCode()).as(forbidden.toString()).isEqualTo(3);
        assertThat(forbidden.err() + forbidden.out()).contains("permission");
    }
}
