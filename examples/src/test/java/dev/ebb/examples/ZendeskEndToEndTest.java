package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.zendesk.CustomField;
import dev.ebb.sandbox.zendesk.ZendeskPlan;
import dev.ebb.sandbox.zendesk.ZendeskRecord;
import dev.ebb.sandbox.zendesk.ZendeskSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the CLI over {@code examples/zendesk-churn} against an in-process Zendesk sandbox: users are written through
 * create_or_update_many jobs that the runner polls, a malformed email comes back refused with Zendesk's own reason,
 * and a second run sends only what changed.
 */
class ZendeskEndToEndTest {
    static final String EMAIL = "ops@acme.test";
    static final String TOKEN = "e2e-api-token";
    static final String BAD_EMAIL = "dana.malformed@example.com_";

    @TempDir
    Path scratch;

    ZendeskSandbox sandbox;
    CliRunner ebb;

    @BeforeEach
    void startSandbox() throws IOException {
        sandbox = ZendeskSandbox.builder().agents(Map.of(EMAIL, TOKEN)).plan(ZendeskPlan.PROFESSIONAL)
                // Jobs are done by the time the runner first polls them (a second after each bulk call).
                .jobDuration(Duration.ZERO)
                .userField(CustomField.of("churn_risk", "decimal"))
                .userField(CustomField.dropdown("plan", "free", "pro", "enterprise"))
                .build();
        sandbox.start();
        ebb = new CliRunner(Map.of("ZENDESK_BASE_URL", sandbox.baseUrl(), "ZENDESK_EMAIL", EMAIL,
                "ZENDESK_API_TOKEN", TOKEN));
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    @Test
    void churnScoresReachZendeskUsersAndTheMalformedEmailIsRefusedWithZendesksReason() throws IOException {
        Path project = ExamplesEndToEndTest.copyExample("zendesk-churn", scratch);
        String p = project.toString();
        Path csv = project.resolve("data/customers.csv");
        assertThat(Files.readAllLines(csv)).hasSize(41).anyMatch(line -> line.contains(BAD_EMAIL));

        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();

        CliRunner.Result plan = ebb.run("plan", "-p", p, "churn_to_zendesk", "--json");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(ExamplesEndToEndTest.json(plan).at("/counts/added").asLong()).isEqualTo(40);
        assertThat(sandbox.userCount()).as("a plan writes nothing").isZero();
        assertThat(sandbox.requests()).allMatch(r -> r.method().equals("GET"));

        // Run 1: one create_or_update_many job of 40 users; Zendesk refuses the malformed email alone.
        sandbox.clearRequests();
        CliRunner.Result first = ebb.run("run", "-p", p, "churn_to_zendesk", "--json");
        JsonNode run1 = ExamplesEndToEndTest.json(first);
        assertThat(first.exitCode()).as("a rejected row makes the exit code 1: " + first).isEqualTo(1);
        assertThat(run1.get("delivered").asLong()).isEqualTo(39);
        assertThat(run1.get("rejected").asLong()).isEqualTo(1);
        assertThat(run1.get("problems").toString())
                .contains("rejected C-0017: UserUpdateError: Email: " + BAD_EMAIL + " is not properly formatted");
        assertThat(sandbox.requestCount("/api/v2/users/create_or_update_many")).isEqualTo(1);
        assertThat(sandbox.requestCount("/api/v2/job_statuses/")).isGreaterThanOrEqualTo(1);
        assertThat(sandbox.userCount()).isEqualTo(39);
        ZendeskRecord second = sandbox.findUserByEmail("customer2@example.com").orElseThrow();
        String[] row2 = Files.readAllLines(csv).get(2).split(",");
        assertThat(second.field("name")).contains(row2[2]);
        assertThat(second.field("external_id")).contains("C-0002");
        assertThat(second.field("user_fields.churn_risk")).contains("0.84");
        assertThat(second.field("user_fields.plan")).contains(row2[4]);
        assertThat(sandbox.findUserByExternalId("C-0017")).isEmpty();

        CliRunner.Result explain = ebb.run("explain", "-p", p, "churn_to_zendesk", "C-0017");
        assertThat(explain.out()).contains("refused").contains("is not properly formatted");

        // Run 2: two scores move and the email is fixed: one job carries exactly those three users.
        ExamplesEndToEndTest.rewriteCsv(csv, lines -> {
            for (int i : new int[]{5, 30}) {
                String[] cols = lines.get(i).split(",");
                cols[3] = "0.999";
                lines.set(i, String.join(",", cols));
            }
            lines.set(17, lines.get(17).replace(BAD_EMAIL, "dana@example.com"));
            return lines;
        });
        sandbox.clearRequests();
        CliRunner.Result again = ebb.run("run", "-p", p, "churn_to_zendesk", "--json");
        JsonNode run2 = ExamplesEndToEndTest.json(again);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(run2.get("changed").asLong()).isEqualTo(2);
        assertThat(run2.get("added").asLong()).as("the row Zendesk refused is planned again").isEqualTo(1);
        assertThat(run2.get("unchanged").asLong()).isEqualTo(37);
        assertThat(run2.get("delivered").asLong()).isEqualTo(3);
        assertThat(sandbox.requestCount("/api/v2/users/create_or_update_many")).isEqualTo(1);
        assertThat(sandbox.findUserByExternalId("C-0005").orElseThrow().field("user_fields.churn_risk"))
                .contains("0.999");
        assertThat(sandbox.findUserByEmail("dana@example.com").orElseThrow().field("external_id")).contains("C-0017");
        assertThat(sandbox.userCount()).isEqualTo(40);

        // Run 3: nothing changed, nothing is sent.
        sandbox.clearRequests();
        CliRunner.Result idle = ebb.run("run", "-p", p, "churn_to_zendesk", "--json");
        assertThat(idle.exitCode()).as(idle.toString()).isZero();
        assertThat(ExamplesEndToEndTest.json(idle).get("unchanged").asLong()).isEqualTo(40);
        assertThat(sandbox.requests()).as("no write and no poll; describe only")
                .allMatch(r -> r.path().equals("/api/v2/user_fields"));

        CliRunner.Result runs = ebb.run("runs", "-p", p, "--json");
        List<JsonNode> history = ExamplesEndToEndTest.JSON.readerForListOf(JsonNode.class)
                .readValue(ExamplesEndToEndTest.json(runs).get("runs"));
        assertThat(history).hasSize(3);
    }

    /**
     * A sync that owns churn_risk only while nobody touched it ({@code respect_manual_edits}), matched by external
     * id: each batch reads the users back with one show_many before its job, and an agent's edit in Zendesk is kept
     * and reported as a conflict.
     */
    @Test
    void anAgentsEditOfAZendeskUserIsKeptAndReportedAsAConflict() throws IOException {
        Path project = ExamplesEndToEndTest.copyExample("zendesk-churn", scratch);
        String p = project.toString();
        Files.writeString(project.resolve("syncs/owned_scores.yaml"), """
                model: customer_health
                destination: zendesk
                object: users
                mode: upsert
                match: { column: customer_id, field: external_id }
                fields:
                  - { column: full_name,  field: name }
                  - { column: churn_risk, field: user_fields.churn_risk, policy: respect_manual_edits }
                """);
        CliRunner.Result first = ebb.run("run", "-p", p, "owned_scores", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(ExamplesEndToEndTest.json(first).get("delivered").asLong()).isEqualTo(40);
        assertThat(sandbox.requestCount("/api/v2/users/show_many")).as("read back before writing").isEqualTo(1);

        // An agent lowers one customer's risk by hand in Zendesk.
        ZendeskRecord edited = sandbox.findUserByExternalId("C-0005").orElseThrow();
        sandbox.updateUser(edited.id(), Map.of("user_fields", Map.of("churn_risk", 0.01)));
        ExamplesEndToEndTest.rewriteCsv(project.resolve("data/customers.csv"), lines -> {
            for (int i : new int[]{5, 6}) {
                String[] cols = lines.get(i).split(",");
                cols[3] = "0.999";
                lines.set(i, String.join(",", cols));
            }
            return lines;
        });
        sandbox.clearRequests();
        CliRunner.Result second = ebb.run("run", "-p", p, "owned_scores", "--json");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(sandbox.findUserByExternalId("C-0005").orElseThrow().field("user_fields.churn_risk"))
                .as("the agent's value stays").contains("0.01");
        assertThat(sandbox.findUserByExternalId("C-0006").orElseThrow().field("user_fields.churn_risk"))
                .contains("0.999");
        assertThat(sandbox.requestCount("/api/v2/users/show_many")).isEqualTo(1);

        CliRunner.Result conflicts = ebb.run("conflicts", "-p", p, "owned_scores", "--json");
        JsonNode open = ExamplesEndToEndTest.json(conflicts).get("conflicts");
        assertThat(open).hasSize(1);
        assertThat(open.get(0).get("key").asText()).isEqualTo("C-0005");
        assertThat(open.get(0).get("field").asText()).isEqualTo("user_fields.churn_risk");
        assertThat(open.get(0).get("destination_value").asText()).isEqualTo("0.01");
        assertThat(open.get(0).get("warehouse_value").asText()).isEqualTo("0.999");

        // Taking the warehouse's value writes it through a Zendesk job, polled like any run's write.
        sandbox.clearRequests();
        CliRunner.Result resolve = ebb.run("conflicts", "resolve", "-p", p, "owned_scores", "C-0005",
                "user_fields.churn_risk", "--take", "warehouse");
        assertThat(resolve.exitCode()).as(resolve.toString()).isZero();
        assertThat(sandbox.findUserByExternalId("C-0005").orElseThrow().field("user_fields.churn_risk"))
                .contains("0.999");
        assertThat(sandbox.requestCount("/api/v2/job_statuses/")).as("the job was followed to its end")
                .isGreaterThanOrEqualTo(1);
        CliRunner.Result after = ebb.run("conflicts", "-p", p, "owned_scores", "--json");
        assertThat(ExamplesEndToEndTest.json(after).get("conflicts")).isEmpty();
    }
}
