package dev.ebb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.core.state.TokenRole;
import dev.ebb.sandbox.Fault;
import dev.ebb.server.auth.StoredTokens;
import dev.ebb.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ebb serve's REST API over real HTTP, on a real engine against the HubSpot sandbox. */
class ServeApiTest {
    private static final Duration SOON = Duration.ofSeconds(30);

    @TempDir
    Path root;

    @Test
    void everyPathButHealthNeedsAStandingTokenAndWritesNeedAnOperator() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (ServeFixture serve = new ServeFixture(root, 3, "schedule: manual",
                new ServerOptions(0, 5, 1, SOON), clock)) {
            assertThat(serve.get("/health", null).status()).isEqualTo(200);

            ServeFixture.Answer none = serve.get("/api/syncs", null);
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.json().get("error").asText()).contains("Authorization: Bearer");
            assertThat(serve.get("/api/syncs", "ebb_forged-token-that-was-never-issued").status()).isEqualTo(401);
            assertThat(serve.get("/api/syncs", serve.readToken).status()).isEqualTo(200);

            ServeFixture.Answer readOnWrite = serve.post("/api/syncs/churn/trigger", serve.readToken);
            assertThat(readOnWrite.status()).isEqualTo(403);
            assertThat(readOnWrite.json().get("error").asText()).contains("viewer", "operator token");

            String shortLived = new StoredTokens(serve.server.context().state(), clock)
                    .create("short", TokenRole.OPERATOR, Duration.ofMinutes(5));
            assertThat(serve.get("/api/syncs", shortLived).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(6));
            ServeFixture.Answer expired = serve.get("/api/syncs", shortLived);
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.json().get("error").asText()).contains("'short' expired");

            serve.server.context().state().revokeToken("viewer", clock.instant());
            assertThat(serve.get("/api/syncs", serve.readToken).status()).isEqualTo(401);
        }
    }

    @Test
    void aTriggeredRunIsAuditedAndItsRowsArePagedWithoutTheSecret() throws Exception {
        try (ServeFixture serve = new ServeFixture(root, 120, "schedule: manual")) {
            ServeFixture.Answer trigger = serve.post("/api/syncs/churn/trigger", serve.operatorToken);
            assertThat(trigger.status()).as(trigger.body()).isEqualTo(202);

            JsonNode sync = serve.await("/api/syncs/churn", s -> s.get("status").asText().equals("succeeded"), SOON)
                    .json();
            long runId = sync.get("last_run").get("run_id").asLong();
            assertThat(sync.get("last_run").get("delivered").asLong()).isEqualTo(120);
            assertThat(serve.sandbox.recordCount("contacts")).isEqualTo(120);

            JsonNode page = serve.get("/api/runs/" + runId + "/rows?status=delivered&limit=50", serve.readToken).json();
            assertThat(page.get("rows")).hasSize(50);
            assertThat(page.get("next_offset").asInt()).isEqualTo(50);
            JsonNode one = serve.get("/api/runs/" + runId + "/rows?key=c7@", serve.readToken).json();
            assertThat(one.get("rows")).hasSize(1);
            assertThat(one.get("rows").get(0).get("key").asText()).isEqualTo("c7@example.com");
            assertThat(serve.get("/api/runs/" + runId + "/rows?status=sent", serve.readToken).status())
                    .isEqualTo(400);

            JsonNode audit = serve.get("/api/audit", serve.readToken).json().get("entries");
            assertThat(audit).hasSize(1);
            assertThat(audit.get(0).get("actor").asText()).isEqualTo("ops");
            assertThat(audit.get(0).get("action").asText()).isEqualTo("trigger");
            assertThat(audit.get(0).get("sync").asText()).isEqualTo("churn");

            List<String> bodies = new ArrayList<>();
            for (String path : List.of("/api/syncs", "/api/runs", "/api/runs/" + runId, "/api/queue",
                    "/api/openapi.json", "/api/syncs/churn/explain?key=c7@example.com", "/api/audit")) {
                ServeFixture.Answer answer = serve.get(path, serve.readToken);
                assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
                bodies.add(answer.body());
            }
            assertThat(bodies).noneMatch(b -> b.contains(ServeFixture.SECRET));
            assertThat(bodies.get(4)).contains("/api/runs/{run}/cancel", "\"x-ebb-role\":\"operator\"");
        }
    }

    @Test
    void aCancelledRunStopsAtABatchBoundaryAndItsRetrySendsTheRest() throws Exception {
        try (ServeFixture serve = new ServeFixture(root, 1000, "schedule: manual")) {
            long runId = slowRunUnderWay(serve);

            ServeFixture.Answer cancel = serve.post("/api/runs/" + runId + "/cancel", serve.operatorToken);
            assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
            JsonNode run = serve.await("/api/runs/" + runId, r -> !r.get("status").asText().equals("running"), SOON)
                    .json();

            assertThat(run.get("status").asText()).isEqualTo("cancelled");
            long delivered = run.get("delivered").asLong();
            assertThat(delivered).isPositive().isLessThan(1000).isEqualTo(delivered / 100 * 100);
            assertThat(serve.sandbox.recordCount("contacts")).isEqualTo((int) delivered);
            assertThat(run.get("failed").asLong()).isEqualTo(1000 - delivered);

            ServeFixture.Answer retry = serve.post("/api/runs/" + runId + "/retry", serve.operatorToken);
            assertThat(retry.status()).as(retry.body()).isEqualTo(202);
            JsonNode retried = serve.await("/api/syncs/churn", s -> s.get("last_run").get("run_id").asLong() > runId
                    && !s.get("last_run").get("status").asText().equals("running"), Duration.ofSeconds(60)).json()
                    .get("last_run");
            assertThat(retried.get("status").asText()).isEqualTo("succeeded");
            assertThat(retried.get("delivered").asLong()).isEqualTo(1000 - delivered);
            assertThat(serve.sandbox.recordCount("contacts")).isEqualTo(1000);

            JsonNode audit = serve.get("/api/audit?sync=churn", serve.readToken).json().get("entries");
            assertThat(audit.findValuesAsText("action")).containsExactly("retry", "cancel", "trigger");
        }
    }

    /** Triggers churn with each batch call slowed down; returns its run's id once its first batch committed. */
    private static long slowRunUnderWay(ServeFixture serve) throws Exception {
        serve.sandbox.inject(new Fault(Fault.Kind.LATENCY, 1000, "/crm/v3/objects/contacts/batch", 0, null,
                Duration.ofMillis(150)));
        assertThat(serve.post("/api/syncs/churn/trigger", serve.operatorToken).status()).isEqualTo(202);
        JsonNode going = serve.await("/api/syncs/churn", s -> s.get("active").isObject()
                && s.get("active").get("rows_settled").asLong() > 0, SOON).json();
        return going.get("active").get("run_id").asLong();
    }

    @Test
    void aFullQueueRefusesWith429AndAPausedSyncWith409() throws Exception {
        try (ServeFixture serve = new ServeFixture(root, 800, "schedule: manual",
                new ServerOptions(0, 1, 1, SOON), java.time.Clock.systemUTC())) {
            serve.sandbox.inject(new Fault(Fault.Kind.LATENCY, 1000, "/crm/v3/objects/contacts/batch", 0, null,
                    Duration.ofMillis(300)));
            assertThat(serve.post("/api/syncs/churn/trigger", serve.operatorToken).status()).isEqualTo(202);
            serve.await("/api/syncs/churn", s -> s.get("status").asText().equals("running"), SOON);
            // churn runs; one more run may wait (capacity 1), the next is refused.
            assertThat(serve.post("/api/syncs/churn_copy/trigger", serve.operatorToken).status()).isEqualTo(202);
            ServeFixture.Answer full = serve.post("/api/syncs/churn/trigger", serve.operatorToken);
            assertThat(full.status()).isEqualTo(429);
            assertThat(full.json().get("error").asText()).contains("queue is full");

            assertThat(serve.post("/api/syncs/churn/pause", serve.operatorToken).status()).isEqualTo(200);
            ServeFixture.Answer paused = serve.post("/api/syncs/churn/trigger", serve.operatorToken);
            assertThat(paused.status()).isEqualTo(409);
            assertThat(paused.json().get("error").asText()).contains("paused", "/resume");
        }
    }

    @Test
    void anEverySchedulesFiresAndPausingStopsIt() throws Exception {
        try (ServeFixture serve = new ServeFixture(root, 3, "schedule: { every: 1s }")) {
            serve.await("/api/runs?sync=churn", r -> r.get("runs").size() >= 2, Duration.ofSeconds(15));
            assertThat(serve.get("/api/syncs/churn", serve.readToken).json().get("next_run").isTextual()).isTrue();

            assertThat(serve.post("/api/syncs/churn/pause", serve.operatorToken).status()).isEqualTo(200);
            serve.await("/api/syncs/churn", s -> s.get("active").isNull(), SOON);
            int runs = serve.get("/api/runs?sync=churn", serve.readToken).json().get("runs").size();
            Thread.sleep(2000);
            assertThat(serve.get("/api/runs?sync=churn", serve.readToken).json().get("runs").size()).isEqualTo(runs);
            JsonNode sync = serve.get("/api/syncs/churn", serve.readToken).json();
            assertThat(sync.get("paused").asBoolean()).isTrue();
            assertThat(sync.get("next_run").isNull()).isTrue();
        }
    }

    @Test
    void aShutdownLetsTheBatchesInFlightCommitAndStopsTakingRuns() throws Exception {
        ServeFixture serve = new ServeFixture(root, 1000, "schedule: manual");
        try {
            long runId = slowRunUnderWay(serve);
            var runs = serve.server.context().runs();

            assertThat(serve.server.stop(SOON)).isTrue();

            assertThat(runs.accepting()).isFalse();
            var store = EbbServers.openState(serve.server.context().project());
            try (store) {
                var run = store.run(runId).orElseThrow();
                assertThat(run.status().label()).isEqualTo("cancelled");
                assertThat(run.message()).contains("shutting down");
                assertThat(serve.sandbox.recordCount("contacts")).isEqualTo((int) run.delivered());
                assertThat(store.snapshotSize("churn")).isEqualTo(run.delivered());
            }
        } finally {
            serve.close();
        }
    }
}
