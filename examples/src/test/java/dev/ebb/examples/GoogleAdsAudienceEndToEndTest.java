package dev.ebb.examples;

import static dev.ebb.examples.ExamplesEndToEndTest.copyExample;
import static dev.ebb.examples.ExamplesEndToEndTest.json;
import static dev.ebb.examples.ExamplesEndToEndTest.rewriteCsv;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.googleads.GoogleAdsSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the CLI over {@code examples/google-ads-audience} against an in-process Data Manager sandbox: the at-risk
 * customers become a Customer Match audience, a row whose phone cannot be normalised is invalid and never sent, and
 * a second run removes the customer who left the model and moves the one whose phone changed.
 */
class GoogleAdsAudienceEndToEndTest {
    static final String ACCOUNT = GoogleAdsSandbox.DEFAULT_ACCOUNT;
    static final String LIST = GoogleAdsSandbox.DEFAULT_USER_LIST;
    static final String INGEST = "/v1/audienceMembers:ingest";
    static final String REMOVE = "/v1/audienceMembers:remove";

    @TempDir
    Path scratch;

    GoogleAdsSandbox sandbox;
    CliRunner ebb;

    @BeforeEach
    void startSandbox() throws IOException {
        // Requests are processed a second after they are answered; the connector asks after one second, then two.
        sandbox = GoogleAdsSandbox.builder().processing(Duration.ofSeconds(1)).build();
        sandbox.start();
        ebb = new CliRunner(env(sandbox));
    }

    /** The environment the example's ebb.yaml reads, pointed at the sandbox; the first status poll after 1 s. */
    static Map<String, String> env(GoogleAdsSandbox sandbox) {
        return Map.of("GOOGLE_ADS_CUSTOMER_ID", ACCOUNT,
                "GOOGLE_CLIENT_ID", GoogleAdsSandbox.DEFAULT_CLIENT_ID,
                "GOOGLE_CLIENT_SECRET", GoogleAdsSandbox.DEFAULT_CLIENT_SECRET,
                "GOOGLE_REFRESH_TOKEN", GoogleAdsSandbox.DEFAULT_REFRESH_TOKEN,
                "GOOGLE_DATA_MANAGER_URL", sandbox.baseUrl(),
                "GOOGLE_TOKEN_URL", sandbox.baseUrl() + "/token",
                "GOOGLE_STATUS_WAIT_SECONDS", "1");
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    @Test
    void theAudienceFollowsTheModelAndAnUnnormalisablePhoneIsNeverSent() throws IOException {
        Path project = copyExample("google-ads-audience", scratch);
        String p = project.toString();

        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();

        CliRunner.Result plan = ebb.run("plan", "-p", p, "at_risk_to_google_ads", "--json");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(json(plan).at("/counts/added").asLong()).isEqualTo(15);
        assertThat(json(plan).at("/counts/invalid").asLong()).isEqualTo(1);
        assertThat(sandbox.requestCount(INGEST)).as("a plan sends nothing").isZero();

        // 16 at-risk customers: 15 added in one ingest request, C009's phone ("call me maybe") invalid.
        CliRunner.Result first = ebb.run("run", "-p", p, "at_risk_to_google_ads", "--json");
        assertThat(first.exitCode()).as("one row is invalid: " + first).isEqualTo(1);
        JsonNode run1 = json(first);
        assertThat(run1.get("delivered").asLong()).isEqualTo(15);
        assertThat(run1.get("invalid").asLong()).isEqualTo(1);
        assertThat(run1.get("problems").toString()).contains("phone");
        assertThat(sandbox.requestCount(INGEST)).isEqualTo(1);
        assertThat(sandbox.memberCount(ACCOUNT, LIST)).isEqualTo(15);
        assertThat(sandbox.member(ACCOUNT, LIST, sha256("customer9@example.com"))).as("never sent").isEmpty();
        // Google's Gmail rule: dots before the @ go, and case.
        assertThat(sandbox.member(ACCOUNT, LIST, sha256("gracehopper5@gmail.com"))).isPresent();
        assertThat(sandbox.member(ACCOUNT, LIST, sha256("+16502530001"))).isPresent();

        // C001 is no longer at risk; C002 has a new phone.
        rewriteCsv(project.resolve("data/customers.csv"), lines -> {
            lines.set(1, lines.get(1).replace(",0.9", ",0.1"));
            lines.set(2, lines.get(2).replace("+1 650-253-0002", "+1 650-253-0202"));
            return lines;
        });
        sandbox.clearRequests();
        CliRunner.Result second = ebb.run("run", "-p", p, "at_risk_to_google_ads", "--json");
        JsonNode run2 = json(second);
        assertThat(run2.get("removed").asLong()).as(second.toString()).isEqualTo(1);
        assertThat(run2.get("changed").asLong()).isEqualTo(1);
        assertThat(sandbox.memberCount(ACCOUNT, LIST)).isEqualTo(14);
        assertThat(sandbox.member(ACCOUNT, LIST, sha256("customer1@example.com"))).as("left the model").isEmpty();
        assertThat(sandbox.member(ACCOUNT, LIST, sha256("+16502530002"))).as("the old phone").isEmpty();
        assertThat(sandbox.member(ACCOUNT, LIST, sha256("customer2@example.com")).orElseThrow().phones())
                .containsExactly(sha256("+16502530202"));
        assertThat(sandbox.requestCount(REMOVE)).as("one removal request for both").isEqualTo(1);

        CliRunner.Result third = ebb.run("run", "-p", p, "at_risk_to_google_ads", "--json");
        assertThat(json(third).get("delivered").asLong()).as("nothing changed: nothing sent").isZero();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
