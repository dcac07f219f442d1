package dev.ebb.examples;

import static dev.ebb.examples.ExamplesEndToEndTest.copyExample;
import static dev.ebb.examples.ExamplesEndToEndTest.json;
import static dev.ebb.examples.ExamplesEndToEndTest.rewriteCsv;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.braze.BrazeSandbox;
import dev.ebb.sandbox.braze.BrazeUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the CLI over {@code examples/braze-engagement} against an in-process Braze sandbox. */
class BrazeEndToEndTest {
    static final String API_KEY = "e2e-braze-key";
    static final String TRACK = "/users/track";

    @TempDir
    Path scratch;

    BrazeSandbox sandbox;
    CliRunner ebb;

    @BeforeEach
    void startSandbox() throws IOException {
        sandbox = BrazeSandbox.builder().apiKey(API_KEY).build();
        sandbox.start();
        ebb = new CliRunner(Map.of("BRAZE_BASE_URL", sandbox.baseUrl(), "BRAZE_API_KEY", API_KEY));
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    @Test
    void profilesAreUpsertedSeventyFiveACallThenOnlyTheChangeAndUpgradesBecomeEventsOnce() throws IOException {
        Path project = copyExample("braze-engagement", scratch);
        String p = project.toString();

        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();

        // 200 profiles: three /users/track calls (75 + 75 + 50) after one describe.
        CliRunner.Result first = ebb.run("run", "-p", p, "profiles_to_braze", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(json(first).get("delivered").asLong()).isEqualTo(200);
        assertThat(json(first).get("api_calls").asLong()).isEqualTo(1 + 3);
        assertThat(sandbox.requestCount(TRACK)).isEqualTo(3);
        assertThat(sandbox.userCount()).isEqualTo(200);
        String[] third = Files.readAllLines(project.resolve("data/customers.csv")).get(3).split(",");
        BrazeUser user = sandbox.user(third[0]).orElseThrow();
        assertThat(user.attribute("email")).contains(third[1]);
        assertThat(user.attribute("first_name")).contains(third[2]);
        assertThat(user.attribute("churn_risk_score").map(Double::parseDouble)).contains(Double.parseDouble(third[3]));
        assertThat(user.attribute("plan")).contains(third[4]);
        assertThat(sandbox.customAttributes()).containsEntry("churn_risk_score", "Number");

        // Five scores move: one call carries exactly those five.
        rewriteCsv(project.resolve("data/customers.csv"), lines -> {
            for (int i = 1; i <= 5; i++) {
                String[] cols = lines.get(i * 20).split(",");
                cols[3] = "0.999";
                lines.set(i * 20, String.join(",", cols));
            }
            return lines;
        });
        sandbox.clearRequests();
        CliRunner.Result second = ebb.run("run", "-p", p, "profiles_to_braze", "--json");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(json(second).get("changed").asLong()).isEqualTo(5);
        assertThat(json(second).get("unchanged").asLong()).isEqualTo(195);
        assertThat(sandbox.requestCount(TRACK)).as("only the change is sent, in one call").isEqualTo(1);
        assertThat(sandbox.user("c0020").orElseThrow().attribute("churn_risk_score")).contains("0.999");

        // 31 upgrades: one has no time, so Braze would refuse it; the plan asks the destination's pre-send check, so
        // it is invalid and never sent.
        sandbox.clearRequests();
        CliRunner.Result events = ebb.run("run", "-p", p, "upgrades_to_braze", "--json");
        assertThat(events.exitCode()).as("a row was invalid: " + events).isEqualTo(1);
        JsonNode run = json(events);
        assertThat(run.get("delivered").asLong()).isEqualTo(30);
        assertThat(run.get("invalid").asLong()).isEqualTo(1);
        assertThat(run.get("rejected").asLong()).isZero();
        assertThat(run.get("problems").toString()).contains("u031").contains("'time'");
        assertThat(sandbox.requestCount(TRACK)).isEqualTo(1);
        BrazeUser upgraded = sandbox.user("c0005").orElseThrow();
        assertThat(upgraded.events()).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("name", "plan_upgraded").containsKey("properties.new_plan")
                .containsEntry("time", "2026-02-02T07:15:00Z"));
        assertThat(sandbox.user("c0099").orElseThrow().events()).as("the invalid upgrade").isEmpty();

        // Inserted events are not sent again.
        sandbox.clearRequests();
        CliRunner.Result again = ebb.run("run", "-p", p, "upgrades_to_braze", "--json");
        assertThat(json(again).get("unchanged").asLong()).isEqualTo(30);
        assertThat(sandbox.requestCount(TRACK)).isZero();
        assertThat(sandbox.user("c0005").orElseThrow().events()).hasSize(1);
    }
}
