package dev.ebb.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The smallest vendor: echoes the path, throttles with its own 429, and fails on /boom. */
    static final class TestingEchoSandbox extends SandboxServer {
        TestingEchoSandbox(Clock clock) {
            super(0, clock);
        }

        @Override
        protected SandboxResponse handle(SandboxRequest request) {
            if (request.path().equals("/boom")) throw new IllegalStateException("boom");
            return SandboxResponse.json(200, Map.of("path", request.path(), "q", request.queryParams("q")));
        }

        @Override
        protected SandboxResponse throttled(SandboxRequest request) {
            return SandboxResponse.json(429, Map.of("vendor", "echo", "reason", "slow down"))
                    .withHeader("X-Echo-Throttle", "1");
        }
    }

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestingEchoSandbox sandbox;

    @BeforeEach
    void start() throws IOException {
        sandbox = new TestingEchoSandbox(clock);
        sandbox.start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
        client.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .timeout(Duration.ofSeconds(10)).method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bindsLoopbackOnAFreePortAndAnswers() throws Exception {
        assertThat(sandbox.port()).isPositive();
        assertThat(sandbox.baseUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port());
        HttpResponse<String> response = call("GET", "/a/b?q=1&q=two%20words", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("path").asText()).isEqualTo("/a/b");
        assertThat(body.path("q").get(1).asText()).isEqualTo("two words");
    }

    @Test
    void closeReleasesThePort() throws Exception {
        int port = sandbox.port();
        sandbox.close();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void logsVendorRequestsWithCountsButNotSandboxRequests() throws Exception {
        call("GET", "/one", null);
        call("POST", "/one", "{}");
        call("GET", "/two", null);
        call("GET", "/_sandbox/requests", null);
        call("GET", "/_sandbox/faults", null);

        assertThat(sandbox.requestCount()).isEqualTo(3);
        assertThat(sandbox.countsByPath()).containsExactly(Map.entry("/one", 2L), Map.entry("/two", 1L));
        assertThat(sandbox.countsByStatus()).containsExactly(Map.entry(200, 3L));
        assertThat(sandbox.requestCount("/o")).isEqualTo(2);
        assertThat(sandbox.requests()).extracting(LoggedRequest::method).containsExactly("GET", "POST", "GET");
        assertThat(sandbox.requests().getFirst().time()).isEqualTo(clock.instant());

        JsonNode log = JSON.readTree(call("GET", "/_sandbox/requests", null).body());
        assertThat(log.path("total").asLong()).isEqualTo(3);
        assertThat(log.path("byPath").path("/one").asLong()).isEqualTo(2);
        assertThat(log.path("byStatus").path("200").asLong()).isEqualTo(3);
        assertThat(log.path("requests")).hasSize(3);
        assertThat(log.path("requests").get(1).path("method").asText()).isEqualTo("POST");

        assertThat(call("DELETE", "/_sandbox/requests", null).statusCode()).isEqualTo(204);
        assertThat(sandbox.requestCount()).isZero();
        assertThat(sandbox.requests()).isEmpty();
    }

    @Test
    void aStatusFaultHitsTheNextMatchingRequestsOnly() throws Exception {
        sandbox.inject(Fault.status(503, 2).onPath("/crm"));

        assertThat(call("GET", "/other", null).statusCode()).as("path filter").isEqualTo(200);
        assertThat(call("GET", "/crm/x", null).statusCode()).isEqualTo(503);
        assertThat(sandbox.pendingFaults()).singleElement().extracting(Fault::count).isEqualTo(1);
        assertThat(call("POST", "/crm/y", "{}").statusCode()).isEqualTo(503);
        assertThat(call("GET", "/crm/x", null).statusCode()).as("the fault is spent").isEqualTo(200);

        assertThat(sandbox.pendingFaults()).isEmpty();
        assertThat(sandbox.countsByStatus()).containsEntry(503, 2L).containsEntry(200, 2L);
        assertThat(sandbox.requests()).filteredOn(r -> r.status() == 503)
                .allSatisfy(r -> assertThat(r.fault()).isEqualTo(Fault.Kind.STATUS));
    }

    @Test
    void aStatusFaultCanCarryItsOwnBody() throws Exception {
        sandbox.inject(Fault.status(502, 1).withBody("<html>bad gateway</html>"));
        HttpResponse<String> response = call("GET", "/x", null);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo("<html>bad gateway</html>");
    }

    @Test
    void aThrottleFaultAnswersWithTheVendorsOwn429() throws Exception {
        sandbox.inject(Fault.throttle(1));
        HttpResponse<String> response = call("GET", "/x", null);
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("X-Echo-Throttle")).contains("1");
        assertThat(JSON.readTree(response.body()).path("vendor").asText()).isEqualTo("echo");
        assertThat(call("GET", "/x", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aThrottleOrStatusFaultCanAddHeadersSuchAsRetryAfter() throws Exception {
        sandbox.inject(Fault.throttle(1).withHeader("Retry-After", "2"));
        sandbox.inject(Fault.status(503, 1).withHeader("Retry-After", "7"));

        HttpResponse<String> throttled = call("GET", "/x", null);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("2");
        assertThat(throttled.headers().firstValue("X-Echo-Throttle")).as("the vendor's own headers stay").contains("1");
        HttpResponse<String> unavailable = call("GET", "/x", null);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).contains("7");
        assertThat(call("GET", "/x", null).headers().firstValue("Retry-After")).as("only while the fault lasts")
                .isEmpty();

        HttpResponse<String> queued = call("POST", "/_sandbox/faults",
                "{\"kind\":\"throttle\",\"count\":2,\"headers\":{\"Retry-After\":\"3\"}}");
        assertThat(queued.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(queued.body()).get(0).path("headers").path("Retry-After").asText()).isEqualTo("3");
        assertThat(sandbox.pendingFaults().getFirst().headers()).containsExactly(Map.entry("Retry-After", "3"));
        assertThat(call("GET", "/x", null).headers().firstValue("Retry-After")).contains("3");
        assertThat(sandbox.pendingFaults().getFirst().headers()).as("a fault keeps its headers while it waits")
                .containsEntry("Retry-After", "3");

        assertThat(call("POST", "/_sandbox/faults", "{\"kind\":\"drop\",\"headers\":{\"Retry-After\":\"3\"}}")
                .body()).contains("only a status or throttle fault answers");
        assertThat(call("POST", "/_sandbox/faults", "{\"kind\":\"throttle\",\"headers\":\"Retry-After: 3\"}")
                .body()).contains("headers are an object");
    }

    @Test
    void aLatencyFaultHoldsTheRequestThenAnswersIt() throws Exception {
        sandbox.inject(Fault.latency(Duration.ofMillis(300), 1));
        long started = System.nanoTime();
        HttpResponse<String> response = call("GET", "/slow", null);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tookMillis).isGreaterThanOrEqualTo(300);
        assertThat(sandbox.requests().getFirst().fault()).isEqualTo(Fault.Kind.LATENCY);
    }

    @Test
    void aDropFaultClosesTheConnectionWithoutAnAnswer() throws Exception {
        sandbox.inject(Fault.drop(1));
        assertThatThrownBy(() -> call("POST", "/x", "{}")).isInstanceOf(IOException.class);
        assertThat(call("POST", "/x", "{}").statusCode()).isEqualTo(200);
        assertThat(sandbox.countsByStatus()).containsEntry(LoggedRequest.DROPPED, 1L);
    }

    @Test
    void faultsAreAppliedInTheOrderTheyWereQueued() throws Exception {
        sandbox.inject(Fault.status(500, 1));
        sandbox.inject(Fault.throttle(1));
        assertThat(call("GET", "/x", null).statusCode()).isEqualTo(500);
        assertThat(call("GET", "/x", null).statusCode()).isEqualTo(429);
        assertThat(call("GET", "/x", null).statusCode()).isEqualTo(200);
    }

    @Test
    void faultsCanBeQueuedListedAndClearedOverHttp() throws Exception {
        HttpResponse<String> created = call("POST", "/_sandbox/faults",
                "[{\"kind\":\"status\",\"status\":503,\"count\":3,\"path\":\"/crm/v3\"},"
                        + "{\"kind\":\"latency\",\"ms\":200,\"count\":5},{\"kind\":\"drop\"},{\"kind\":\"THROTTLE\",\"count\":4}]");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(sandbox.pendingFaults()).containsExactly(
                Fault.status(503, 3).onPath("/crm/v3"), Fault.latency(Duration.ofMillis(200), 5),
                Fault.drop(1), Fault.throttle(4));

        JsonNode listed = JSON.readTree(call("GET", "/_sandbox/faults", null).body());
        assertThat(listed).hasSize(4);
        assertThat(listed.get(0).path("path").asText()).isEqualTo("/crm/v3");
        assertThat(listed.get(1).path("ms").asLong()).isEqualTo(200);

        assertThat(call("DELETE", "/_sandbox/faults", null).statusCode()).isEqualTo(204);
        assertThat(sandbox.pendingFaults()).isEmpty();
        assertThat(sandbox.requestCount()).as("the fault API is not a vendor request").isZero();
    }

    @Test
    void malformedFaultsAreRefusedWithTheFix() throws Exception {
        HttpResponse<String> unknownKind = call("POST", "/_sandbox/faults", "{\"kind\":\"explode\"}");
        assertThat(unknownKind.statusCode()).isEqualTo(400);
        assertThat(unknownKind.body()).contains("status, throttle, latency, drop");
        assertThat(call("POST", "/_sandbox/faults", "{\"kind\":\"status\",\"status\":42}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/_sandbox/faults", "{\"kind\":\"latency\"}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/_sandbox/faults", "not json").statusCode()).isEqualTo(400);
        assertThat(call("GET", "/_sandbox/nothing-here", null).statusCode()).isEqualTo(404);
        assertThat(sandbox.pendingFaults()).isEmpty();
    }

    @Test
    void aHandlerBugIsA500ThatNamesIt() throws Exception {
        HttpResponse<String> response = call("GET", "/boom", null);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("boom");
    }

    @Test
    void queryStringsAreDecoded() {
        assertThat(SandboxRequest.parseQuery("a=1&b=x%2Cy&b=&flag"))
                .containsExactly(Map.entry("a", List.of("1")), Map.entry("b", List.of("x,y", "")),
                        Map.entry("flag", List.of("")));
    }

    @Test
    void concurrentRequestsAreAllCounted() throws Exception {
        int calls = 40;
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Integer>> futures = java.util.stream.IntStream.range(0, calls)
                    .mapToObj(i -> executor.submit(() -> call("GET", "/p" + (i % 4), null).statusCode())).toList();
            for (var future : futures) assertThat(future.get()).isEqualTo(200);
        }
        assertThat(sandbox.requestCount()).isEqualTo(calls);
        assertThat(sandbox.countsByPath().values()).containsOnly(10L);
    }
}
