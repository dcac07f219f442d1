package dev.ebb.server.web;

import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.ProjectLoader;
import dev.ebb.core.state.TokenRole;
import dev.ebb.server.EbbServer;
import dev.ebb.server.EbbServers;
import dev.ebb.server.ServerOptions;
import dev.ebb.server.auth.StoredTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small project served by the UI for tests: a CSV model of customers synced to an in-process HubSpot sandbox, and
 * a real {@code ebb serve} (queue, schedules, tokens, audit log) on a free port. The row whose email is {@value #SCRIPT_KEY} is not an email,
 * so the sandbox rejects it (HubSpot's {@code INVALID_EMAIL}), and its key is markup that must show as text.
 */
final class UiProject implements AutoCloseable {
    static final String SCRIPT_KEY = "<script>document.title='owned'</script>";
    static final String HUBSPOT_TOKEN = "hubspot-secret-token";
    static final String SYNC = "churn_to_hubspot";

    final HubSpotSandbox sandbox;
    final EbbServer server;
    final String base;
    /** An operator token and a read-only one, as 'ebb serve token create' makes them. */
    final String operator;
    final String viewer;

    UiProject(Path dir, List<String> extraRows) throws Exception {
        Files.createDirectories(dir.resolve("models"));
        Files.createDirectories(dir.resolve("syncs"));
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("ebb.yaml"), """
                name: ui-test
                state: { store: embedded }
                sources:
                  lakehouse: { type: duckdb }
                destinations:
                  hubspot: { type: hubspot, token: "${env:HUBSPOT_TOKEN}", base_url: "${env:HUBSPOT_BASE_URL}" }
                """);
        Files.writeString(dir.resolve("models/customers.sql"),
                "SELECT customer_email, churn_risk_score FROM read_csv_auto('data/customers.csv')\n");
        Files.writeString(dir.resolve("models/customers.yaml"), "key: customer_email\n");
        Files.writeString(dir.resolve("syncs/" + SYNC + ".yaml"), """
                model: customers
                destination: hubspot
                object: contacts
                mode: upsert
                match: { column: customer_email, field: email }
                fields:
                  - { column: churn_risk_score, field: churn_risk_score }
                schedule: manual
                """);
        StringBuilder csv = new StringBuilder("customer_email,churn_risk_score\n")
                .append("ada@example.com,0.12\n").append(SCRIPT_KEY).append(",0.5\n")
                .append("grace@example.com,0.33\n");
        for (String row : extraRows) csv.append(row).append('\n');
        Files.writeString(dir.resolve("data/customers.csv"), csv);

        sandbox = HubSpotSandbox.builder().tokens(HUBSPOT_TOKEN).perTenSeconds(10_000)
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number")).build();
        sandbox.start();
        Map<String, String> env = Map.of("HUBSPOT_TOKEN", HUBSPOT_TOKEN, "HUBSPOT_BASE_URL", sandbox.baseUrl());
        ProjectConfig project = ProjectLoader.load(dir, ConnectorCatalog.fromServiceLoader());
        Clock clock = Clock.systemUTC();
        server = EbbServers.create(project, env, new ServerOptions(0, 10, 2, Duration.ofSeconds(10)), clock);
        StoredTokens tokens = new StoredTokens(server.context().state(), clock);
        operator = tokens.create("ops", TokenRole.OPERATOR, Duration.ofHours(1));
        viewer = tokens.create("analyst", TokenRole.READ, Duration.ofHours(1));
        server.start(0);
        base = "http://127.0.0.1:" + server.port();
    }

    /** The audit log's newest entries, as "actor action sync". */
    List<String> audit() throws Exception {
        return server.context().state().auditEntries(null, 0, 20).stream()
                .map(e -> e.actor() + " " + e.action() + " " + e.sync()).toList();
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop(Duration.ofSeconds(10));
        } finally {
            sandbox.close();
        }
    }
}
