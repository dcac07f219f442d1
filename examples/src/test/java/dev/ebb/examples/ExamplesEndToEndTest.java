package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotRecord;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the CLI over the projects in {@code examples/} against an in-process HubSpot sandbox. */
class ExamplesEndToEndTest {
    static final String TOKEN = "e2e-token";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path scratch;

    HubSpotSandbox sandbox;
    CliRunner ebb;

    @BeforeEach
    void startSandbox() throws IOException {
        sandbox = HubSpotSandbox.builder().tokens(TOKEN).perTenSeconds(10_000)
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number"))
                .property("contacts", HubSpotProperty.of("lifetime_value", "number"))
                .property("contacts", HubSpotProperty.enumeration("plan", "free", "starter", "professional",
                        "enterprise"))
                .property("companies", HubSpotProperty.of("account_id", "string").unique())
                .property("companies", HubSpotProperty.of("seats", "number"))
                .property("companies", HubSpotProperty.of("arr", "number"))
                .build();
        sandbox.start();
        ebb = new CliRunner(Map.of("HUBSPOT_TOKEN", TOKEN, "HUBSPOT_BASE_URL", sandbox.baseUrl()));
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    static Path copyExample(String name, Path into) throws IOException {
        Path source = Path.of(name);
        if (!Files.isDirectory(source)) source = Path.of("examples", name);
        Path target = into.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path relative = source.relativize(file);
                if (relative.startsWith(".ebb")) continue;
                Path to = target.resolve(relative.toString());
                if (Files.isDirectory(file)) Files.createDirectories(to);
                else Files.copy(file, to);
            }
        }
        return target;
    }

    static JsonNode json(CliRunner.Result result) throws IOException {
        return JSON.readTree(result.out());
    }

    static void rewriteCsv(Path csv, java.util.function.UnaryOperator<List<String>> change) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        Files.write(csv, change.apply(lines));
    }

    @Test
    void churnExampleSyncsThenSendsOnlyTheChange() throws IOException {
        Path project = copyExample("hubspot-churn", scratch);
        String p = project.toString();

        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();

        CliRunner.Result plan = ebb.run("plan", "-p", p, "churn_to_hubspot", "--json");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(json(plan).at("/counts/added").asLong()).isEqualTo(500);
        assertThat(json(plan).at("/samples/0/operation").asText()).isEqualTo("upsert");
        assertThat(sandbox.recordCount("contacts")).as("a plan writes nothing").isZero();
        assertThat(sandbox.requestCount("/crm/v3/objects")).isZero();

        CliRunner.Result first = ebb.run("run", "-p", p, "churn_to_hubspot", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(json(first).get("delivered").asLong()).isEqualTo(500);
        assertThat(json(first).get("api_calls").asLong()).isEqualTo(1 + 5);
        assertThat(sandbox.recordCount("contacts")).isEqualTo(500);
        HubSpotRecord third = sandbox.findRecord("contacts", "email", "customer3@example.com").orElseThrow();
        String thirdCsv = Files.readAllLines(project.resolve("data/customers.csv")).get(3);
        assertThat(thirdCsv).startsWith("customer3@example.com,");
        assertThat(thirdCsv.split(",")[5]).isEqualTo(third.property("plan").orElseThrow());

        // Seven scores move and one customer leaves the model.
        rewriteCsv(project.resolve("data/customers.csv"), lines -> {
            for (int i = 1; i <= 7; i++) {
                String[] cols = lines.get(i * 10).split(",");
                cols[3] = "0.999";
                lines.set(i * 10, String.join(",", cols));
            }
            lines.remove(500);
            return lines;
        });
        sandbox.clearRequests();
        CliRunner.Result second = ebb.run("run", "-p", p, "churn_to_hubspot", "--json");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        JsonNode run2 = json(second);
        assertThat(run2.get("changed").asLong()).isEqualTo(7);
        assertThat(run2.get("removed").asLong()).isEqualTo(1);
        assertThat(run2.get("unchanged").asLong()).isEqualTo(492);
        assertThat(run2.get("delivered").asLong()).isEqualTo(7);
        assertThat(sandbox.requestCount("/crm/v3/objects/contacts/batch/upsert")).isEqualTo(1);
        assertThat(sandbox.findRecord("contacts", "email", "customer10@example.com").orElseThrow()
                .property("churn_risk_score")).contains("0.999");
        assertThat(sandbox.recordCount("contacts")).as("on_removed: ignore leaves the record").isEqualTo(500);

        CliRunner.Result runs = ebb.run("runs", "-p", p, "--json");
        assertThat(json(runs).get("runs")).hasSize(2);
        CliRunner.Result runsText = ebb.run("runs", "-p", p);
        assertThat(runsText.out()).contains("churn_to_hubspot").contains("succeeded");

        CliRunner.Result explain = ebb.run("explain", "-p", p, "churn_to_hubspot", "customer10@example.com");
        assertThat(explain.exitCode()).isZero();
        assertThat(explain.out()).contains("run 2: changed -> upsert, delivered").contains("acknowledged");
        CliRunner.Result unchanged = ebb.run("explain", "-p", p, "churn_to_hubspot", "customer11@example.com");
        assertThat(unchanged.out()).contains("fingerprint equals the snapshot");

        CliRunner.Result reset = ebb.run("reset", "-p", p, "churn_to_hubspot");
        assertThat(reset.exitCode()).isZero();
        CliRunner.Result full = ebb.run("run", "-p", p, "churn_to_hubspot", "--json");
        assertThat(json(full).get("added").asLong()).isEqualTo(499);
        assertThat(sandbox.recordCount("contacts")).as("a resend upserts, never duplicates").isEqualTo(500);
    }

    @Test
    void mirrorExampleArchivesTheCompaniesOfChurnedAccounts() throws IOException {
        Path project = copyExample("hubspot-companies-mirror", scratch);
        String p = project.toString();
        CliRunner.Result first = ebb.run("run", "-p", p, "--all", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(sandbox.recordCount("companies")).isEqualTo(108);

        rewriteCsv(project.resolve("data/accounts.csv"), lines -> {
            lines.set(1, lines.get(1).replace(",active", ",churned"));
            return lines;
        });
        CliRunner.Result second = ebb.run("run", "-p", p, "accounts_to_companies", "--json");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(json(second).get("removed").asLong()).isEqualTo(1);
        assertThat(json(second).get("delivered").asLong()).isEqualTo(1);
        assertThat(sandbox.requestCount("/crm/v3/objects/companies/batch/archive")).isEqualTo(1);
        assertThat(sandbox.findRecord("companies", "account_id", "A-0001")).isEmpty();
        assertThat(sandbox.recordCount("companies")).isEqualTo(107);
    }
}
