package dev.ebb.examples;

import static dev.ebb.examples.ExamplesEndToEndTest.copyExample;
import static dev.ebb.examples.ExamplesEndToEndTest.json;
import static dev.ebb.examples.ExamplesEndToEndTest.rewriteCsv;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.facebook.FacebookSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the CLI over {@code examples/facebook-audience} against an in-process Meta sandbox: an add_remove sync adds
 * the valid rows in one call, never sends the two invalid ones, and removes the half of the model that leaves in one.
 */
class FacebookAudienceEndToEndTest {
    static final String AUDIENCE = String.valueOf(FacebookSandbox.FIRST_AUDIENCE_ID);
    static final String USERS = "/v25.0/" + AUDIENCE + "/users";

    @TempDir
    Path scratch;

    FacebookSandbox sandbox;
    CliRunner ebb;

    @BeforeEach
    void startSandbox() throws IOException {
        sandbox = FacebookSandbox.builder().build();
        sandbox.start();
        ebb = new CliRunner(Map.of("META_BASE_URL", sandbox.baseUrl(), "META_ACCESS_TOKEN", FacebookSandbox.DEFAULT_TOKEN,
                "META_AD_ACCOUNT_ID", FacebookSandbox.DEFAULT_AD_ACCOUNT));
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean member(int n) {
        return sandbox.member(AUDIENCE, "EMAIL", sha256("customer" + n + "@example.com")).isPresent();
    }

    /** The same project as an add-only sync ({@code mode: upsert}): members are added and merged, never removed. */
    @Test
    void theExampleAsAnAddOnlySyncAddsTheValidRowsInOneCallAndNeverSendsTheInvalidOnes() throws IOException {
        Path project = copyExample("facebook-audience", scratch);
        Path sync = project.resolve("syncs/at_risk_to_meta.yaml");
        String yaml = java.nio.file.Files.readString(sync).replace("mode: add_remove", "mode: upsert")
                .replace("guard: { max_removed: 60% }", "");
        java.nio.file.Files.writeString(sync, yaml);
        String p = project.toString();

        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        CliRunner.Result first = ebb.run("run", "-p", p, "at_risk_to_meta", "--json");
        assertThat(first.exitCode()).as("two rows are refused: " + first).isEqualTo(1);
        assertThat(json(first).get("delivered").asLong()).isEqualTo(398);
        assertThat(first.out()).contains("EMAIL is not an email address").contains("PHONE is not a valid phone number");
        assertThat(sandbox.requestCount(USERS)).isEqualTo(1);
        assertThat(sandbox.memberCount(AUDIENCE)).isEqualTo(398);
        assertThat(member(177)).isFalse();
        assertThat(sandbox.member(AUDIENCE, "PHONE", sha256("16502530001"))).isPresent();

        // Ten last names change: one call for the ten, the members merged rather than duplicated.
        rewriteCsv(project.resolve("data/customers.csv"), lines -> {
            for (int i = 1; i <= 10; i++) lines.set(i, lines.get(i).replaceFirst(",([^,]*),(\\d{5})", ",Renamed,$2"));
            return lines;
        });
        sandbox.clearRequests();
        CliRunner.Result second = ebb.run("run", "-p", p, "at_risk_to_meta", "--json");
        assertThat(json(second).get("changed").asLong()).as(second.toString()).isEqualTo(10);
        assertThat(sandbox.requestCount(USERS)).isEqualTo(1);
        assertThat(sandbox.memberCount(AUDIENCE)).isEqualTo(398);
        assertThat(sandbox.member(AUDIENCE, "EMAIL", sha256("customer1@example.com")).orElseThrow().key("LN"))
                .isEqualTo(sha256("renamed"));
    }

    @Test
    void anAudienceSyncAddsTheValidRowsThenRemovesTheHalfThatLeaves() throws IOException {
        Path project = copyExample("facebook-audience", scratch);
        String p = project.toString();

        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();

        // The plan checks the mapped fields (the phone) and the match value (the email): both rows are invalid.
        CliRunner.Result plan = ebb.run("plan", "-p", p, "at_risk_to_meta", "--json");
        assertThat(json(plan).at("/counts/added").asLong()).as(plan.toString()).isEqualTo(398);
        assertThat(json(plan).at("/counts/invalid").asLong()).isEqualTo(2);
        assertThat(plan.out()).contains("PHONE is not a valid phone number").contains("EMAIL is not an email address");
        assertThat(sandbox.requestCount(USERS)).as("a plan writes nothing").isZero();

        // 398 members in one call; neither invalid row leaves.
        CliRunner.Result first = ebb.run("run", "-p", p, "at_risk_to_meta", "--json");
        assertThat(first.exitCode()).as("invalid rows make the exit code 1: " + first).isEqualTo(1);
        assertThat(json(first).get("delivered").asLong()).isEqualTo(398);
        assertThat(first.out()).contains("EMAIL is not an email address");
        assertThat(sandbox.requestCount(USERS)).isEqualTo(1);
        assertThat(sandbox.memberCount(AUDIENCE)).isEqualTo(398);
        assertThat(member(1)).isTrue();
        assertThat(member(177)).as("a row with an invalid phone is not sent at all").isFalse();
        assertThat(sandbox.member(AUDIENCE, "PHONE", sha256("16502530001"))).as("phones hashed as E.164 digits")
                .isPresent();

        // Half the model leaves: 200 removals in ceil(200 / 10,000) = 1 call.
        rewriteCsv(project.resolve("data/customers.csv"), lines -> lines.subList(0, 201));
        sandbox.clearRequests();
        CliRunner.Result second = ebb.run("run", "-p", p, "at_risk_to_meta", "--json");
        JsonNode run2 = json(second);
        assertThat(run2.get("removed").asLong()).isEqualTo(200);
        assertThat(run2.get("delivered").asLong()).isEqualTo(200);
        assertThat(sandbox.requestCount(USERS)).isEqualTo(1);
        assertThat(sandbox.requests().stream().filter(r -> r.path().equals(USERS)).map(r -> r.method()))
                .containsExactly("DELETE");
        assertThat(sandbox.memberCount(AUDIENCE)).isEqualTo(198);
        assertThat(member(200)).isTrue();
        assertThat(member(201)).isFalse();
        assertThat(member(400)).isFalse();

        // Nothing changed: no membership call at all.
        sandbox.clearRequests();
        CliRunner.Result third = ebb.run("run", "-p", p, "at_risk_to_meta", "--json");
        assertThat(json(third).get("unchanged").asLong()).isEqualTo(198);
        assertThat(sandbox.requestCount(USERS)).isZero();
    }
}
