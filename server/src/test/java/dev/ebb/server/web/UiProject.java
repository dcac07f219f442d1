package dev.ebb.server.web;

import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A small project served by the UI for tests: a CSV model of customers synced to an in-process HubSpot sandbox, and
 * the UI on a free port over a {@link TestingUiBackend}. The row whose email is {@value #SCRIPT_KEY} is not an email,
 * so the sandbox rejects it (HubSpot's {@code INVALID_EMAIL}), and its key is markup that must show as text.
 */
final class UiProject implements AutoCloseable {
    static final String SCRIPT_KEY = "<script>document.title='owned'</script>";
    static final String OPERATOR = "operator-token-1";
    static final String VIEWER = "viewer-token-1";
    static final String HUBSPOT_TOKEN = "hubspot-secret-token";
    static final String SYNC = "churn_to_hubspot";

    final HubSpotSandbox sandbox;
    final TestingUiBackend backend;
    final Javalin app;
    final String base;

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
        backend = new TestingUiBackend(dir, Map.of("HUBSPOT_TOKEN", HUBSPOT_TOKEN,
                "HUBSPOT_BASE_URL", sandbox.baseUrl()), Map.of(OPERATOR, new UiUser("ops", true),
                VIEWER, new UiUser("analyst", false)));
        WebUi ui = new WebUi(backend, Clock.systemUTC());
        app = Javalin.create(config -> ui.routes(config.routes)).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @Override
    public void close() throws Exception {
        try {
            app.stop();
            backend.close();
        } finally {
            sandbox.close();
        }
    }
}
