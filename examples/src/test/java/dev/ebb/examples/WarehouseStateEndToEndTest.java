package dev.ebb.examples;

import static dev.ebb.examples.ExamplesEndToEndTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The churn example with its snapshot kept in the lakehouse ({@code state: { store: warehouse }} on a DuckDB
 * database file), through the CLI: a first run, 0.1 % changed, a removal, an invalid row, a spec change and a reset,
 * with the snapshot in the lakehouse's {@code ebb_state} schema and none of it in the project's own store.
 */
class WarehouseStateEndToEndTest {
    static final String TOKEN = "warehouse-token";
    static final String SYNC = "churn_to_hubspot";
    static final int ROWS = 1_000;

    @TempDir
    Path scratch;
    HubSpotSandbox sandbox;
    CliRunner ebb;
    Path project;

    @BeforeEach
    void start() throws Exception {
        sandbox = ChurnCsv.sandbox(TOKEN, 1_000);
        sandbox.start();
        ebb = new CliRunner(Map.of("HUBSPOT_TOKEN", TOKEN, "HUBSPOT_BASE_URL", sandbox.baseUrl()));
        project = warehouseProject(scratch);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    /** The churn example on a DuckDB database file that keeps the sync's state, in schema ebb_state. */
    static Path warehouseProject(Path scratch) throws IOException, SQLException {
        Path project = ExamplesEndToEndTest.copyExample("hubspot-churn", scratch);
        Path yaml = project.resolve("ebb.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("lakehouse: { type: duckdb }",
                "lakehouse: { type: duckdb, path: data/lakehouse.duckdb, state: { store: warehouse, schema: ebb_state } }"));
        // A lakehouse's numbers are typed: decimals, which its SQL writes exactly (a double's text is the JVM's).
        Path model = project.resolve("models/customer_health.sql");
        Files.writeString(model, Files.readString(model).replace("read_csv_auto('data/customers.csv')",
                "read_csv_auto('data/customers.csv', types = {'churn_risk_score': 'DECIMAL(5,4)',"
                        + " 'lifetime_value': 'DECIMAL(12,2)'})"));
        // The lakehouse: a DuckDB file (the model still reads its CSV through it, by a relative path).
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + project.resolve("data/lakehouse.duckdb"))) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS lakehouse_marker AS SELECT 1 AS one");
        }
        return project;
    }

    static List<ChurnCsv.Row> customers(int rows, Random random) {
        List<ChurnCsv.Row> customers = new ArrayList<>();
        for (int i = 1; i <= rows; i++) {
            customers.add(new ChurnCsv.Row("wh" + i + "@example.com", "First" + i, "Last" + i,
                    "0." + (1000 + random.nextInt(9000)), (100 + i) + ".50", i % 2 == 0 ? "starter" : "free"));
        }
        return customers;
    }

    /** Rows of the sync in the lakehouse's snapshot table, read while no Ebb holds the file. */
    static long warehouseSnapshot(Path project) throws SQLException {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + project.resolve("data/lakehouse.duckdb"),
                readOnly); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM ebb_state.snapshot WHERE sync = '" + SYNC + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private JsonNode run(int expectedExit) throws IOException {
        CliRunner.Result result = ebb.run("run", "-p", project.toString(), SYNC, "--json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(expectedExit);
        return json(result);
    }

    @Test
    void theDiffRunsInTheLakehouseAndOnlyTheChangeIsSent() throws Exception {
        Path csv = project.resolve("data/customers.csv");
        List<ChurnCsv.Row> rows = customers(ROWS, new Random(7));
        ChurnCsv.write(csv, rows);

        CliRunner.Result plan = ebb.run("plan", "-p", project.toString(), SYNC, "--json");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        JsonNode first = run(0);
        assertThat(first.get("added").asLong()).isEqualTo(ROWS);
        assertThat(json(plan).get("warnings").toString()).as("the model reads its CSV by a relative path, and the"
                + " state's connections resolve it as the model's session does: the lakehouse plans it")
                .doesNotContain("planned in the JVM");
        assertThat(first.get("warnings").toString()).doesNotContain("planned in the JVM");
        assertThat(first.get("delivered").asLong()).isEqualTo(ROWS);
        ChurnCsv.assertSandboxHolds(sandbox, rows);
        assertThat(warehouseSnapshot(project)).isEqualTo(ROWS);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + project.resolve(".ebb/state.duckdb"));
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM snapshot")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the project's own store keeps no snapshot of the sync").isZero();
        }

        // 0.1 % changed: one score, one upsert call.
        rows.set(10, rows.get(10).withScore("0.9999"));
        ChurnCsv.write(csv, rows);
        long upserts = sandbox.requestCount("/crm/v3/objects/contacts/batch/upsert");
        JsonNode changed = run(0);
        assertThat(changed.get("changed").asLong()).isEqualTo(1);
        assertThat(changed.get("added").asLong() + changed.get("removed").asLong()).isZero();
        assertThat(sandbox.requestCount("/crm/v3/objects/contacts/batch/upsert") - upserts).isEqualTo(1);
        ChurnCsv.assertSandboxHolds(sandbox, rows);

        // A removal (on_removed: ignore forgets it without a call) and an invalid row (no such plan).
        ChurnCsv.Row gone = rows.remove(20);
        ChurnCsv.Row bad = rows.get(30);
        rows.set(30, new ChurnCsv.Row(bad.email(), bad.firstName(), bad.lastName(), "0.5", bad.lifetimeValue(),
                "platinum"));
        ChurnCsv.write(csv, rows);
        JsonNode removed = run(1);
        assertThat(removed.get("removed").asLong()).isEqualTo(1);
        assertThat(removed.get("invalid").asLong()).isEqualTo(1);
        assertThat(removed.get("added").asLong() + removed.get("changed").asLong()).isZero();
        assertThat(warehouseSnapshot(project)).as(gone.email() + " forgotten; the invalid row keeps its entry")
                .isEqualTo(ROWS - 1);

        // A spec change plans every valid row again under the new mapping.
        Path sync = project.resolve("syncs/" + SYNC + ".yaml");
        Files.writeString(sync, Files.readString(sync).replace("  - { column: plan,             field: plan }\n",
                ""));
        JsonNode respecified = run(0);
        assertThat(respecified.get("changed").asLong()).isEqualTo(ROWS - 1);
        assertThat(respecified.get("warnings").toString()).contains("changed since its last run");
        assertThat(run(0).get("unchanged").asLong()).isEqualTo(ROWS - 1);

        CliRunner.Result reset = ebb.run("reset", "-p", project.toString(), SYNC);
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.out()).contains("Forgot " + (ROWS - 1) + " snapshot entries");
        assertThat(warehouseSnapshot(project)).isZero();
        assertThat(run(0).get("added").asLong()).isEqualTo(ROWS - 1);
        assertThat(sandbox.recordCount("contacts")).as("the full sync upserts, never duplicates").isEqualTo(ROWS);
    }

    @Test
    void aSourceThatCannotKeepTheStateIsRefusedWithWhatToChange() throws Exception {
        Path yaml = project.resolve("ebb.yaml");
        String written = Files.readString(yaml);
        Files.writeString(yaml, written.replace("store: warehouse", "store: embedded"));
        CliRunner.Result unknown = ebb.run("validate", "-p", project.toString(), "--offline");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("store 'embedded' cannot live in source 'lakehouse'")
                .contains("store: warehouse");

        Files.writeString(yaml, written.replace("path: data/lakehouse.duckdb, ", ""));
        ChurnCsv.write(project.resolve("data/customers.csv"), customers(3, new Random(1)));
        CliRunner.Result inMemory = ebb.run("run", "-p", project.toString(), SYNC);
        assertThat(inMemory.exitCode()).as(inMemory.toString()).isNotZero();
        assertThat(inMemory.err()).contains("keeps Ebb's tables in the source's database, and this source has none")
                .contains("set path: to a DuckDB database file");
        assertThat(sandbox.recordCount("contacts")).isZero();
    }
}
