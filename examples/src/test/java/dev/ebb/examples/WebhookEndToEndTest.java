package dev.ebb.examples;

import static dev.ebb.examples.ExamplesEndToEndTest.copyExample;
import static dev.ebb.examples.ExamplesEndToEndTest.json;
import static dev.ebb.examples.ExamplesEndToEndTest.rewriteCsv;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SandboxServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the CLI over {@code examples/webhook-alerts} against an alerting service on this machine. */
class WebhookEndToEndTest {
    static final String TOKEN = "e2e-alerts-token";
    static final String SECRET = "e2e-signing-secret";
    /** The one customer the service refuses. */
    static final String REFUSED = "customer9@example.com";

    @TempDir
    Path scratch;

    AlertService service;
    CliRunner ebb;

    /**
     * An alerting service as the example's comment describes it: batches of alerts, checked for the bearer token and
     * the HMAC signature, answered with one status per alert.
     */
    static final class AlertService extends SandboxServer {
        private static final ObjectMapper JSON = new ObjectMapper();
        final List<JsonNode> alerts = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        AlertService() {
            super(0, Clock.systemUTC());
        }

        @Override
        protected synchronized SandboxResponse handle(SandboxRequest request) {
            if (!request.header("Authorization").orElse("").equals("Bearer " + TOKEN)) return SandboxResponse.empty(401);
            String signature = request.header("Ebb-Signature").orElse("");
            String t = signature.replaceAll("^t=(\\d+),v1=.*$", "$1");
            if (!signature.equals("t=" + t + ",v1=" + hmac(t, request.body()))) {
                problems.add("bad signature: " + signature);
                return SandboxResponse.empty(401);
            }
            try {
                JsonNode body = JSON.readTree(request.body());
                ObjectNode answer = JSON.createObjectNode();
                ArrayNode results = answer.putArray("results");
                for (JsonNode alert : body.path("alerts")) {
                    if (alert.path("email").asText().equals(REFUSED)) {
                        results.addObject().put("status", 422).put("error", "no account manager for this customer");
                    } else {
                        alerts.add(alert);
                        results.addObject().put("status", 200);
                    }
                }
                if (body.path("count").asInt() != body.path("alerts").size()) problems.add("count mismatch: " + body);
                return SandboxResponse.json(207, answer);
            } catch (IOException e) {
                problems.add("not JSON: " + request.bodyText());
                return SandboxResponse.empty(400);
            }
        }

        @Override
        protected SandboxResponse throttled(SandboxRequest request) {
            return SandboxResponse.empty(429);
        }

        static String hmac(String t, byte[] body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(mac.doFinal(body));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void startService() throws IOException {
        service = new AlertService();
        service.start();
        ebb = new CliRunner(Map.of("ALERTS_URL", service.baseUrl() + "/alerts", "ALERTS_TOKEN", TOKEN,
                "ALERTS_SIGNING_SECRET", SECRET));
    }

    @AfterEach
    void stopService() {
        service.close();
    }

    @Test
    void highRiskCustomersArePostedInSignedBatchesAndTheServicesPerRowAnswersCount() throws IOException {
        Path project = copyExample("webhook-alerts", scratch);
        String p = project.toString();

        // The service listens on this machine: refused until the project says so.
        CliRunner.Result refused = ebb.run("run", "-p", p, "risk_alerts", "--json");
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(refused.out() + refused.err()).contains("127.0.0.1").contains("allow_private_network: true");
        assertThat(service.requestCount()).isZero();

        Path config = project.resolve("ebb.yaml");
        Files.writeString(config, Files.readString(config) + "    allow_private_network: true\n");
        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();

        // 28 customers above 0.8: one batch of 28, of which the service refuses one.
        CliRunner.Result first = ebb.run("run", "-p", p, "risk_alerts", "--json");
        assertThat(first.exitCode()).as("one row refused: " + first).isEqualTo(1);
        JsonNode run = json(first);
        assertThat(run.get("delivered").asLong()).isEqualTo(27);
        assertThat(run.get("rejected").asLong()).isEqualTo(1);
        assertThat(run.get("problems").toString()).contains(REFUSED).contains("HTTP 422: no account manager");
        assertThat(service.requestCount()).isEqualTo(1);
        assertThat(service.problems).isEmpty();
        assertThat(service.alerts).hasSize(27);
        JsonNode alert = service.alerts.stream().filter(a -> a.path("email").asText().equals("customer8@example.com"))
                .findFirst().orElseThrow();
        assertThat(alert.path("name").asText()).isEqualTo("Kemal");
        assertThat(alert.path("risk").decimalValue()).isEqualByComparingTo("0.859");
        assertThat(alert.path("ltv").decimalValue()).isEqualByComparingTo("5230.00");

        // Two scores move: only they, and the refused row again, are posted.
        rewriteCsv(project.resolve("data/customers.csv"), lines -> {
            lines.set(8, lines.get(8).replace("0.859", "0.901"));
            lines.set(10, lines.get(10).replace("0.923", "0.931"));
            return lines;
        });
        service.clearRequests();
        service.alerts.clear();
        CliRunner.Result second = ebb.run("run", "-p", p, "risk_alerts", "--json");
        JsonNode again = json(second);
        assertThat(again.get("changed").asLong()).isEqualTo(2);
        assertThat(again.get("delivered").asLong()).isEqualTo(2);
        assertThat(again.get("rejected").asLong()).isEqualTo(1);
        assertThat(service.requestCount()).isEqualTo(1);
        assertThat(service.alerts).extracting(a -> a.path("email").asText())
                .containsExactlyInAnyOrder("customer8@example.com", "customer10@example.com");
        assertThat(service.problems).isEmpty();
    }
}
