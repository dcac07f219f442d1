package dev.ebb.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ebb.core.config.ConfigException;
import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.ProjectLoader;
import dev.ebb.core.config.Redaction;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateWindow;
import io.javalin.Javalin;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics, health, readiness and alerts over a real embedded state store whose run log the test writes, with a local
 * HTTP receiver standing in for the webhook and for Slack.
 */
class OperationsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SLACK_SECRET = "T000/B000/slack-secret-part";

    @TempDir
    Path dir;

    HttpServer receiver;
    final List<String> webhookBodies = new CopyOnWriteArrayList<>();
    final List<String> slackBodies = new CopyOnWriteArrayList<>();
    DuckDbStateStore state;
    Instant clock = Instant.parse("2026-03-02T09:00:00Z");

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            webhookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/services/", exchange -> {
            slackBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        receiver.start();
        state = DuckDbStateStore.open(dir.resolve("state.duckdb"), Access.READ_WRITE);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        state.close();
    }

    String receiverUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    ProjectConfig project(String alerts) throws Exception {
        Files.writeString(dir.resolve("ebb.yaml"), "name: ops-test\n" + alerts);
        return ProjectLoader.load(dir, ConnectorCatalog.fromServiceLoader());
    }

    Map<String, String> env() {
        return Map.of("ALERT_URL", receiverUrl() + "/hook", "SLACK_URL", receiverUrl() + "/services/" + SLACK_SECRET);
    }

    /** Writes a finished run of {@code sync} to the run log. */
    RunRecord run(String sync, RunStatus status, long delivered, long rejected, String message)
            throws StateException {
        Instant started = clock;
        clock = clock.plusSeconds(60);
        long id = state.startRun(sync, started);
        RunRecord run = new RunRecord(id, sync, started, started.plusMillis(1500), status, delivered, 0, 0, 0, 0,
                delivered, rejected, 0, 0, 3, 1, 2, message);
        state.finishRun(run);
        return run;
    }

    Operations operations(ProjectConfig project, EbbMetrics metrics) throws ConfigException {
        return new Operations(project, state, metrics, new Readiness(state, () -> true), Redaction.NONE, env());
    }

    static EbbMetrics noAccounts() {
        return new EbbMetrics(Map::of, Map::of);
    }

    @Test
    void alertsOnceWhenASyncStartsFailingAndOnceWhenItRecoversOnTheWebhookAndSlack() throws Exception {
        ProjectConfig project = project("""
                alerts: { webhook: "${env:ALERT_URL}", slack: "${env:SLACK_URL}", max_rejected: 2 }
                """);
        assertThat(project.alerts().maxRejected()).isEqualTo(2);
        run("churn", RunStatus.FAILED, 0, 0, "an old failure, before the server started");
        try (Operations ops = operations(project, noAccounts())) {
            ops.start();
            ops.poll();
            assertThat(webhookBodies).as("a run over before the start is remembered, not alerted").isEmpty();

            run("churn", RunStatus.SUCCEEDED, 10, 0, null);
            run("churn", RunStatus.FAILED, 0, 0, "HubSpot could not be reached");
            run("churn", RunStatus.FAILED, 0, 0, "HubSpot could not be reached");
            run("churn", RunStatus.FAILED, 0, 0, "HubSpot could not be reached");
            ops.poll();
            run("churn", RunStatus.COMPLETED_WITH_ERRORS, 7, 2, null);
            run("churn", RunStatus.SUCCEEDED, 9, 0, null);
            ops.poll();
        }
        List<JsonNode> events = webhookBodies.stream().map(OperationsTest::parse).toList();
        assertThat(events).extracting(e -> e.get("event").asText() + " run " + e.get("run_id").asLong())
                .containsExactly("failing_cleared run 2", "failing run 3", "failing_cleared run 6");
        JsonNode failing = events.get(1);
        assertThat(failing.get("sync").asText()).isEqualTo("churn");
        assertThat(failing.get("project").asText()).isEqualTo("ops-test");
        assertThat(failing.get("status").asText()).isEqualTo("failed");
        assertThat(failing.get("message").asText()).contains("is failing").contains("HubSpot could not be reached");
        assertThat(slackBodies).hasSize(3);
        assertThat(parse(slackBodies.get(1)).get("text").asText()).startsWith(":warning: [ops-test] Sync churn is "
                + "failing");
        assertThat(String.join("", webhookBodies) + String.join("", slackBodies)).doesNotContain(SLACK_SECRET);
    }

    @Test
    void alertsOnRejectedRowsOverTheThresholdAGuardedRunWaitingAndASpentQuota() throws Exception {
        ProjectConfig project = project("alerts: { webhook: \"${env:ALERT_URL}\", max_rejected: 5 }\n");
        try (Operations ops = operations(project, noAccounts())) {
            ops.start();
            run("churn", RunStatus.COMPLETED_WITH_ERRORS, 90, 5, null);
            ops.poll();
            assertThat(webhookBodies).as("5 rejected rows are within max_rejected: 5").isEmpty();
            run("churn", RunStatus.COMPLETED_WITH_ERRORS, 90, 6, null);
            run("churn", RunStatus.COMPLETED_WITH_ERRORS, 90, 60, null);
            run("audience", RunStatus.AWAITING_APPROVAL, 0, 0, "held for approval: 40% removed");
            run("leads", RunStatus.QUOTA_EXHAUSTED, 100, 0, "the daily quota of 100 calls is spent");
            ops.poll();
        }
        assertThat(webhookBodies.stream().map(OperationsTest::parse).toList())
                .extracting(e -> e.get("sync").asText() + " " + e.get("event").asText())
                .containsExactly("churn rejected_rows", "audience awaiting_approval", "leads quota_spent");
    }

    @Test
    void anAlertUrlThatDoesNotResolveIsRefusedWithoutShowingIt() throws Exception {
        ProjectConfig project = project("alerts: { slack: \"${env:NOT_SET}\" }\n");
        assertThatThrownBy(() -> operations(project, noAccounts())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("NOT_SET");
        assertThatThrownBy(() -> project("alerts: { max_rejected: 3 }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs a 'webhook' or a 'slack' URL");
        assertThatThrownBy(() -> project("alerts: { webhook: ftp://example.com/x }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http:// or https://");
    }

    @Test
    void metricsCountRowsByOutcomeCallsThrottlesDurationsAndShowTheRateBudgetInUse() throws Exception {
        RateBudgets budgets = new RateBudgets(Clock.systemUTC());
        var budget = budgets.forAccount("hubspot:24681357", new RateLimits(List.of(new RateWindow(10,
                Duration.ofSeconds(60))), 4, Optional.empty()));
        EbbMetrics metrics = new EbbMetrics(budgets::byAccount, Map::of);
        AtomicBoolean scheduleUp = new AtomicBoolean(false);
        ProjectConfig project = project("");
        try (Operations ops = new Operations(project, state, metrics, new Readiness(state, scheduleUp::get),
                Redaction.NONE, Map.of())) {
            ops.start();
            run("churn", RunStatus.COMPLETED_WITH_ERRORS, 40, 2, null);
            run("churn", RunStatus.SUCCEEDED, 10, 0, null);
            ops.poll();
            Javalin app = Javalin.create(config -> ops.routes(config.routes)).start("127.0.0.1", 0);
            try {
                String base = "http://127.0.0.1:" + app.port();
                budget.reserve();
                HttpResponse<String> scrape = get(base + "/metrics");
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.body())
                        .contains("ebb_rows_total{outcome=\"delivered\",sync=\"churn\"} 50.0")
                        .contains("ebb_rows_total{outcome=\"rejected\",sync=\"churn\"} 2.0")
                        .contains("ebb_api_calls_total{sync=\"churn\"} 6.0")
                        .contains("ebb_throttles_total{sync=\"churn\"} 2.0")
                        .contains("ebb_run_duration_seconds_count{status=\"succeeded\",sync=\"churn\"} 1")
                        .contains("ebb_rate_budget_in_use{account=\"hubspot:24681357\"} 0.1\n");
                assertThat(get(base + "/health").body()).isEqualTo("{\"status\":\"up\"}");
                HttpResponse<String> notReady = get(base + "/ready");
                assertThat(notReady.statusCode()).isEqualTo(503);
                assertThat(notReady.body()).contains("the schedule is not running");
                scheduleUp.set(true);
                assertThat(get(base + "/ready").statusCode()).isEqualTo(200);
            } finally {
                app.stop();
            }
        }
    }

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
