package dev.ebb.cli;

import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.Progress;
import dev.ebb.core.run.RunReport;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.RunRecord;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.sandbox.hubspot.HubSpotTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole idea in two runs: a lakehouse of customers synced to a HubSpot sandbox, then 50 churn scores change
 * and the second run sends exactly those 50, in one batch call.
 */
@Command(name = "demo", description = "Generate a small lakehouse, start a HubSpot sandbox, run a sync, change 50 "
        + "churn scores, run again, and show that only those 50 were sent.")
final class DemoCommand extends BaseCommand {
    static final String TOKEN = "demo-private-app-token";

    @Option(names = "--rows", defaultValue = "100000", description = "Customers in the lakehouse (default 100000).")
    int rows;

    @Option(names = "--changes", defaultValue = "50", description = "Churn scores to change before the second run "
            + "(default 50).")
    int changes;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to put the demo project (default: a new "
            + "temporary folder).")
    Path dir;

    @Override
    int execute() throws Session.Failure, InterruptedException {
        try {
            Path root = dir != null ? dir.toAbsolutePath() : Files.createTempDirectory("ebb-demo-");
            Files.createDirectories(root);
            if (Files.exists(root.resolve("ebb.yaml"))) {
                throw new Session.Failure(ExitCode.INVALID, root + " already holds a project; pass an empty --dir",
                        null);
            }
            say("Ebb demo: keep a CRM in sync with a warehouse model, sending only what changed.");
            generateLakehouse(root);
            say(String.format("1. Generated a lakehouse: %,d customers in gold_customer_metrics "
                    + "(data/lakehouse.duckdb)", rows));
            // The account's custom properties exist before Ebb comes (created through the sandbox, so that they
            // cost no call of the account's budget: the demo shows Ebb's own calls).
            try (HubSpotSandbox sandbox = HubSpotSandbox.builder().tokens(TOKEN).tier(HubSpotTier.PROFESSIONAL)
                    .property("contacts", HubSpotProperty.of("churn_risk_score", "number"))
                    .property("contacts", HubSpotProperty.of("lifetime_value", "number"))
                    .property("contacts", HubSpotProperty.enumeration("plan", "free", "starter", "professional",
                            "enterprise"))
                    .build()) {
                sandbox.start();
                writeProject(root, sandbox.baseUrl(), sandboxOptions(sandbox.port()));
                say("2. Started a HubSpot sandbox on " + sandbox.baseUrl()
                        + " with Professional limits (190 requests per 10 s, 100 records per batch)");

                RunRecord first = run(root, "3. First run");
                say(String.format("   %,d added -> %,d contacts delivered in %,d API calls, %.1f s", first.added(),
                        first.delivered(), first.apiCalls(), seconds(first)));

                changeScores(root);
                say(String.format("4. Changed churn_risk_score of %d customers in the lakehouse", changes));

                sandbox.clearRequests();
                RunRecord second = run(root, "5. Second run");
                long upserts = sandbox.requestCount("/crm/v3/objects/contacts/batch/upsert");
                long discovery = sandbox.requestCount("/crm/v3/properties/contacts");
                say(String.format("   %,d changed, %,d unchanged -> %,d delivered in %d batch upsert call%s "
                                + "(+%d property discovery call), %.1f s", second.changed(), second.unchanged(),
                        second.delivered(), upserts, upserts == 1 ? "" : "s", discovery, seconds(second)));
                boolean ok = second.changed() == changes && second.delivered() == changes
                        && upserts == (changes + 99) / 100 && first.delivered() == rows;
                if (output.json) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("project", root.toString());
                    doc.put("first_run", RunsCommand.document(first));
                    doc.put("second_run", RunsCommand.document(second));
                    doc.put("second_run_upsert_calls", upserts);
                    doc.put("ok", ok);
                    output.json(doc);
                }
                say("");
                say(ok ? "The second run sent exactly the " + changes + " changed rows and nothing else."
                        : "UNEXPECTED: the second run did not send exactly the changed rows; see 'ebb runs'.");
                say("The project stays in " + root + ". Its sandbox stops with the demo; the run log needs none:");
                say("  ./ebb runs -p " + root);
                say("  ./ebb explain -p " + root + " churn_to_hubspot customer7@example.com");
                say("To look at its runs in the web UI, make a token, serve the project, open http://localhost:8080/ui"
                        + " and sign in with the token:");
                say("  ./ebb serve token create -p " + root + " --role operator");
                say("  ./ebb serve -p " + root + " --port 8080");
                say("To run it again, start a sandbox where its ebb.yaml points (it starts empty), then run:");
                say("  ./ebb sandbox " + sandboxOptions(sandbox.port()));
                say("  ./ebb run -p " + root + " churn_to_hubspot");
                return ok ? ExitCode.OK : ExitCode.ROWS_FAILED;
            }
        } catch (IOException | SQLException e) {
            throw new Session.Failure(ExitCode.UNAVAILABLE, "the demo could not set up: " + e.getMessage(), e);
        }
    }

    private RunRecord run(Path root, String label) throws Session.Failure, InterruptedException {
        say(label + " of churn_to_hubspot ...");
        try (Session session = Session.open(root, Access.READ_WRITE, env)) {
            ProgressLine progress = session.report(new ProgressLine(err, terminal(), "   churn_to_hubspot"));
            RunReport report = session.engine.run("churn_to_hubspot", output.json ? Progress.NONE : progress);
            progress.done();
            if (!report.clean()) {
                report.problems().forEach(p -> output.warn(p));
            }
            return report.record();
        } catch (SyncException e) {
            throw Failures.of(e);
        }
    }

    private void say(String line) {
        output.line(line);
    }

    private static double seconds(RunRecord r) {
        return Duration.between(r.startedAt(), r.finishedAt()).toMillis() / 1000.0;
    }

    private void generateLakehouse(Path root) throws IOException, SQLException {
        Files.createDirectories(root.resolve("data"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + root.resolve("data/lakehouse.duckdb"));
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE gold_customer_metrics AS SELECT "
                    + "i AS customer_id, "
                    + "'customer' || i || '@example.com' AS customer_email, "
                    + "['Ada','Grace','Alan','Edsger','Barbara','Ken','Frances','Donald'][1 + i % 8] AS first_name, "
                    + "['Lovelace','Hopper','Turing','Dijkstra','Liskov','Thompson','Allen','Knuth'][1 + (i // 8) % 8]"
                    + " AS last_name, "
                    + "round(((hash(i) % 1000) / 1000.0)::DOUBLE, 3) AS churn_risk_score, "
                    + "round(((hash(i * 7) % 500000) / 100.0)::DECIMAL(12,2), 2) AS lifetime_value, "
                    + "['free','starter','professional','enterprise'][1 + (hash(i * 13) % 4)::INTEGER] AS plan, "
                    + "DATE '2020-01-01' + (i % 1500)::INTEGER AS signup_date "
                    + "FROM range(1, " + (rows + 1) + ") t(i)");
        }
    }

    private void changeScores(Path root) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + root.resolve("data/lakehouse.duckdb"));
             Statement st = c.createStatement()) {
            // Every (rows / changes)-th customer gets a new score: spread over the table, like real model churn.
            long step = Math.max(1, rows / changes);
            st.execute("UPDATE gold_customer_metrics SET churn_risk_score = round(1 - churn_risk_score + 0.0005, 3) "
                    + "WHERE customer_id % " + step + " = 0 AND customer_id <= " + (step * changes));
        }
    }

    /** {@code ebb sandbox} options that serve the demo's project again: its port, token, tier and properties. */
    static String sandboxOptions(int port) {
        return "hubspot --port " + port + " -o token=" + TOKEN + " -o tier=professional -o properties="
                + "contacts.churn_risk_score:number,contacts.lifetime_value:number,contacts.plan:string";
    }

    private static void writeProject(Path root, String baseUrl, String sandbox) throws IOException {
        Files.createDirectories(root.resolve("models"));
        Files.createDirectories(root.resolve("syncs"));
        Files.createDirectories(root.resolve(".secrets"));
        Files.writeString(root.resolve(".secrets/hubspot-token"), TOKEN + "\n");
        Files.writeString(root.resolve("ebb.yaml"), """
                name: ebb-demo
                state: { store: embedded }
                sources:
                  lakehouse: { type: duckdb, path: data/lakehouse.duckdb }
                destinations:
                  hubspot:
                    type: hubspot
                    token: "${file:.secrets/hubspot-token}"
                    # The demo's sandbox, gone once the demo ended. Start one here again (it starts empty) with
                    #   ebb sandbox %s
                    base_url: %s
                    tier: professional
                """.formatted(sandbox, baseUrl));
        Files.writeString(root.resolve("models/customer_health.sql"), """
                -- One row per customer: the scores the customer-success team wants on each contact.
                SELECT customer_email, first_name, last_name, churn_risk_score, lifetime_value, plan
                FROM gold_customer_metrics
                """);
        Files.writeString(root.resolve("syncs/churn_to_hubspot.yaml"), """
                model: customer_health
                key: customer_email
                destination: hubspot
                object: contacts
                mode: upsert
                match: { column: customer_email, field: email }
                fields:
                  - { column: first_name,       field: firstname }
                  - { column: last_name,        field: lastname }
                  - { column: churn_risk_score, field: churn_risk_score }
                  - { column: lifetime_value,   field: lifetime_value }
                  - { column: plan,             field: plan }
                """);
    }
}
