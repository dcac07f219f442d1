package dev.ebb.examples;

import static dev.ebb.examples.ExamplesEndToEndTest.copyExample;
import static dev.ebb.examples.ExamplesEndToEndTest.json;
import static dev.ebb.examples.ExamplesEndToEndTest.rewriteCsv;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.marketo.MarketoLead;
import dev.ebb.sandbox.marketo.MarketoSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the CLI over {@code examples/marketo-leads} against an in-process Marketo sandbox. */
class MarketoEndToEndTest {
    static final String CLIENT_ID = "e2e-client-id";
    static final String CLIENT_SECRET = "e2e-client-secret";
    static final String SYNC_LEADS = "/rest/v1/leads.json";

    @TempDir
    Path scratch;

    MarketoSandbox sandbox;
    CliRunner ebb;

    @BeforeEach
    void startSandbox() throws IOException {
        sandbox = MarketoSandbox.builder().client(CLIENT_ID, CLIENT_SECRET)
                .field("churnRiskScore", "float")
                .field("lifetimeValue", "currency")
                .field("plan", "string")
                .build();
        sandbox.start();
        ebb = new CliRunner(Map.of("MARKETO_BASE_URL", sandbox.baseUrl(), "MARKETO_CLIENT_ID", CLIENT_ID,
                "MARKETO_CLIENT_SECRET", CLIENT_SECRET));
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    @Test
    void leadsExampleSyncsThenSendsOnlyTheChangeAndMarketoRefusesAnUnknownLeadByItself() throws IOException {
        Path project = copyExample("marketo-leads", scratch);
        String p = project.toString();

        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();

        CliRunner.Result plan = ebb.run("plan", "-p", p, "scores_to_marketo", "--json");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(json(plan).at("/counts/added").asLong()).isEqualTo(450);
        assertThat(json(plan).at("/samples/0/operation").asText()).isEqualTo("upsert");
        assertThat(sandbox.leadCount()).as("a plan writes nothing").isZero();
        assertThat(sandbox.requestCount(SYNC_LEADS)).isZero();

        // 450 leads: two Sync Leads calls (300 + 150) after one Describe.
        CliRunner.Result first = ebb.run("run", "-p", p, "scores_to_marketo", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(json(first).get("delivered").asLong()).isEqualTo(450);
        assertThat(json(first).get("api_calls").asLong()).isEqualTo(1 + 2);
        assertThat(sandbox.requestCount(SYNC_LEADS)).isEqualTo(2);
        assertThat(sandbox.leadCount()).isEqualTo(450);
        String[] third = Files.readAllLines(project.resolve("data/customers.csv")).get(3).split(",");
        MarketoLead lead = sandbox.findLeadByEmail(third[0]).orElseThrow();
        assertThat(lead.value("firstName")).contains(third[1]);
        assertThat(lead.value("lastName")).contains(third[2]);
        assertThat(lead.value("churnRiskScore").map(Double::parseDouble)).contains(Double.parseDouble(third[3]));
        assertThat(lead.value("lifetimeValue").map(Double::parseDouble)).contains(Double.parseDouble(third[4]));

        // Seven scores move and one customer leaves the model.
        rewriteCsv(project.resolve("data/customers.csv"), lines -> {
            for (int i = 1; i <= 7; i++) {
                String[] cols = lines.get(i * 10).split(",");
                cols[3] = "0.999";
                lines.set(i * 10, String.join(",", cols));
            }
            lines.remove(450);
            return lines;
        });
        sandbox.clearRequests();
        CliRunner.Result second = ebb.run("run", "-p", p, "scores_to_marketo", "--json");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        JsonNode run2 = json(second);
        assertThat(run2.get("changed").asLong()).isEqualTo(7);
        assertThat(run2.get("removed").asLong()).isEqualTo(1);
        assertThat(run2.get("unchanged").asLong()).isEqualTo(442);
        assertThat(run2.get("delivered").asLong()).isEqualTo(7);
        assertThat(sandbox.requestCount(SYNC_LEADS)).as("only the change is sent, in one call").isEqualTo(1);
        assertThat(sandbox.findLeadByEmail("customer10@example.com").orElseThrow().value("churnRiskScore"))
                .contains("0.999");
        assertThat(sandbox.findLeadByEmail("customer11@example.com").orElseThrow().value("churnRiskScore"))
                .isNotEqualTo(java.util.Optional.of("0.999"));
        assertThat(sandbox.leadCount()).as("on_removed: ignore leaves the lead").isEqualTo(450);

        // Plan changes from billing update existing leads only: Marketo refuses the one it does not know.
        sandbox.clearRequests();
        CliRunner.Result plans = ebb.run("run", "-p", p, "plans_to_marketo", "--json");
        assertThat(plans.exitCode()).as("rows were rejected: " + plans).isEqualTo(1);
        JsonNode run3 = json(plans);
        assertThat(run3.get("delivered").asLong()).isEqualTo(4);
        assertThat(run3.get("rejected").asLong()).isEqualTo(1);
        assertThat(run3.get("problems").toString()).contains("prospect-only-in-billing@example.com")
                .contains("1004: Lead not found");
        assertThat(sandbox.requestCount(SYNC_LEADS)).isEqualTo(1);
        assertThat(sandbox.findLeadByEmail("customer42@example.com").orElseThrow().value("plan")).contains("starter");
        assertThat(sandbox.findLeadByEmail("customer108@example.com").orElseThrow().value("plan"))
                .contains("enterprise");
        assertThat(sandbox.findLeadByEmail("prospect-only-in-billing@example.com")).as("update never creates")
                .isEmpty();
        assertThat(sandbox.leadCount()).isEqualTo(450);

        CliRunner.Result explain = ebb.run("explain", "-p", p, "plans_to_marketo",
                "prospect-only-in-billing@example.com");
        assertThat(explain.exitCode()).as(explain.toString()).isZero();
        assertThat(explain.out()).contains("rejected").contains("1004: Lead not found");

        // The refused row is not in the snapshot, so the next run tries it again; the delivered four cost nothing.
        sandbox.clearRequests();
        CliRunner.Result again = ebb.run("run", "-p", p, "plans_to_marketo", "--json");
        assertThat(json(again).get("unchanged").asLong()).isEqualTo(4);
        assertThat(json(again).get("rejected").asLong()).isEqualTo(1);
        assertThat(sandbox.requestCount(SYNC_LEADS)).isEqualTo(1);

        CliRunner.Result runs = ebb.run("runs", "-p", p, "--json");
        assertThat(json(runs).get("runs")).hasSize(4);
    }
}
