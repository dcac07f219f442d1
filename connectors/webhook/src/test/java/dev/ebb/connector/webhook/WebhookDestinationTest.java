package dev.ebb.connector.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.connector.support.Settings;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.testkit.ScriptedServer;
import dev.ebb.testkit.Steps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook destination against a scripted local receiver (loopback, so the tests allow private networks). */
class WebhookDestinationTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private ScriptedServer receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new ScriptedServer();
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private Map<String, String> settings(String... extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("url", receiver.baseUrl() + "/hooks/ebb");
        settings.put("fields", "email, name, score:number, vip:boolean");
        settings.put("allow_private_network", "true");
        for (int i = 0; i < extra.length; i += 2) settings.put(extra[i], extra[i + 1]);
        return settings;
    }

    private static Destination open(Map<String, String> settings) {
        return new WebhookConnector().open(new ConnectorContext("hook", settings, Path.of("."), CLOCK));
    }

    private static OutboundRecord row(int n, String name, Object score) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("score", score);
        fields.put("vip", n % 2 == 0);
        return new OutboundRecord("row-" + n, "user" + n + "@example.com", null, fields);
    }

    private static WriteBatch batch(OutboundRecord... records) {
        return new WriteBatch("records", Operation.UPSERT, "email", List.of(records));
    }

    private static Map<String, RecordResult> byKey(WriteResult result) {
        return result.results().stream().collect(Collectors.toMap(RecordResult::key, Function.identity()));
    }

    @Test
    void aRowTemplateEscapesValuesSoAnyTextStaysInsideItsString() throws Exception {
        receiver.answerJson(200, "{}");
        String template = "{\"email\": \"{{match}}\", \"name\": \"{{name}}\", \"score\": {{{json.score}}}, "
                + "\"op\": \"{{operation}}\"}";
        String nasty = "Ann \"the hacker\" O'Neil\n\\ \", \"admin\": true, \"x\": \"</script>";
        try (Destination hook = open(settings("template", template))) {
            WriteResult result = Steps.complete(hook, batch(row(1, nasty, new BigDecimal("0.75"))));
            assertThat(result.results()).singleElement().satisfies(r -> assertThat(r.accepted()).isTrue());
        }
        JsonNode sent = receiver.lastBody();
        assertThat(sent.path("name").asText()).isEqualTo(nasty);
        assertThat(sent.has("admin")).as("a value cannot add a key").isFalse();
        assertThat(sent.path("score").decimalValue()).isEqualByComparingTo("0.75");
        assertThat(sent.path("op").asText()).isEqualTo("upsert");
        assertThat(receiver.received().getLast().path()).isEqualTo("/hooks/ebb");
    }

    @Test
    void requestsAreSignedSoAReceiverCanVerifyTheBodyAndTheTime() throws Exception {
        receiver.answerJson(204, "{}");
        try (Destination hook = open(settings("signing_secret", "s3cret", "authorization", "Bearer tok",
                "headers", "X-Team: data\nX-Env: test"))) {
            Steps.complete(hook, batch(row(1, "Ann", 1L)));
        }
        var request = receiver.received().getLast();
        String header = request.header("Ebb-Signature").orElseThrow();
        Map<String, String> parts = java.util.Arrays.stream(header.split(","))
                .collect(Collectors.toMap(p -> p.substring(0, p.indexOf('=')), p -> p.substring(p.indexOf('=') + 1)));
        assertThat(parts.get("t")).isEqualTo(String.valueOf(NOW.getEpochSecond()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((parts.get("t") + ".").getBytes(StandardCharsets.UTF_8));
        assertThat(parts.get("v1")).isEqualTo(HexFormat.of().formatHex(mac.doFinal(request.body())));
        assertThat(request.header("Authorization")).contains("Bearer tok");
        assertThat(request.header("X-Team")).contains("data");
        assertThat(request.header("X-Env")).contains("test");
        JsonNode body = receiver.lastBody();
        assertThat(body.at("/match/value").asText()).isEqualTo("user1@example.com");
        assertThat(body.at("/fields/score").asLong()).as("the default body keeps types").isEqualTo(1);
    }

    @Test
    void aBatchAnswerWithPerRowStatusesGivesEachRowItsOutcome() throws Exception {
        receiver.answerJson(207, "{\"data\":{\"items\":[{\"status\":201},{\"status\":422,\"error\":\"bad email\"},"
                + "{\"status\":503}]}}");
        String template = "{\"rows\":[{{#rows}}{\"email\":\"{{match}}\"}{{^last}},{{/last}}{{/rows}}],\"n\":{{count}}}";
        try (Destination hook = open(settings("per", "batch", "batch_size", "50", "template", template,
                "row_status_path", "data.items"))) {
            assertThat(hook.object("records").orElseThrow().limits().maxRecords()).isEqualTo(50);
            Map<String, RecordResult> results = byKey(Steps.complete(hook,
                    batch(row(1, "a", 1L), row(2, "b", 2L), row(3, "c", 3L))));
            assertThat(results.get("row-1").accepted()).isTrue();
            assertThat(results.get("row-2").status()).isEqualTo(RecordResult.Status.REJECTED);
            assertThat(results.get("row-2").reason()).isEqualTo("HTTP 422: bad email");
            assertThat(results.get("row-3").status()).isEqualTo(RecordResult.Status.FAILED);
        }
        assertThat(receiver.lastBody().path("rows")).hasSize(3);
        assertThat(receiver.lastBody().path("n").asInt()).isEqualTo(3);
    }

    @Test
    void statusesMapToRejectedRowsThrottlesAndFailures() throws Exception {
        receiver.answerJson(422, "{\"error\":\"name is required\"}")
                .answer(SandboxResponse.json(429, Map.of()).withHeader("Retry-After", "7"))
                .answerJson(503, "{}")
                .answer(SandboxResponse.empty(302).withHeader("Location", "http://10.0.0.1/"))
                .answer(SandboxResponse.empty(401));
        try (Destination hook = open(settings())) {
            RecordResult refused = Steps.complete(hook, batch(row(1, "a", 1L))).results().getFirst();
            assertThat(refused.status()).isEqualTo(RecordResult.Status.REJECTED);
            assertThat(refused.reason()).isEqualTo("HTTP 422: name is required");
            assertThatThrownBy(() -> hook.start(batch(row(1, "a", 1L)))).isInstanceOfSatisfying(ThrottledException.class,
                    e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
            assertThatThrownBy(() -> hook.start(batch(row(1, "a", 1L)))).isInstanceOf(TransientException.class);
            assertThatThrownBy(() -> hook.start(batch(row(1, "a", 1L)))).isInstanceOf(PermanentException.class)
                    .hasMessageContaining("redirect");
            assertThatThrownBy(() -> hook.start(batch(row(1, "a", 1L)))).as("refused credentials fail the call")
                    .isInstanceOf(PermanentException.class).hasMessageContaining("check authorization");
            assertThatThrownBy(() -> hook.start(batch(row(1, "a", 1L), row(2, "b", 2L))))
                    .as("per: row takes one row a request").isInstanceOf(PermanentException.class);
        }
        assertThat(receiver.received()).as("the redirect is not followed; a two-row batch is not sent").hasSize(5);
    }

    @Test
    void aRefusedBatchWithoutPerRowAnswersIsPermanentSoTheRuntimeSplitsIt() throws Exception {
        receiver.answerJson(400, "{\"message\":\"row 2 is bad\"}");
        try (Destination hook = open(settings("per", "batch"))) {
            assertThatThrownBy(() -> hook.start(batch(row(1, "a", 1L), row(2, "b", 2L))))
                    .isInstanceOf(PermanentException.class).hasMessageContaining("row 2 is bad");
        }
    }

    @Test
    void aRowTheTemplateCannotTurnIntoJsonIsRejectedWithoutARequest() throws Exception {
        try (Destination hook = open(settings("template", "{\"score\": {{score}} }"))) {
            RecordResult result = Steps.complete(hook, batch(row(1, "a", null))).results().getFirst();
            assertThat(result.status()).isEqualTo(RecordResult.Status.REJECTED);
            assertThat(result.reason()).contains("{{{json.name}}}");
        }
        assertThat(receiver.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080/hook", "http://127.0.0.1/hook", "http://[::1]:9000/",
            "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/", "https://192.168.0.10/",
            "http://[fd00::5]/", "http://0.0.0.0/"})
    void privateAddressesAreRefusedUnlessAllowed(String url) {
        Map<String, String> settings = settings("url", url);
        settings.remove("allow_private_network");
        assertThatThrownBy(() -> open(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hook: url host").hasMessageContaining("set allow_private_network: true");
        settings.put("allow_private_network", "true");
        open(settings).close();
    }

    @Test
    void aNameIsResolvedAndEveryAddressCheckedBeforeTheRequest() throws Exception {
        Map<String, String> given = settings("url", receiver.baseUrl().replace("127.0.0.1", "hooks.example.test") + "/x");
        given.remove("allow_private_network");
        WebhookSettings settings = WebhookSettings.read(new Settings("hook", given, new WebhookConnector().options()),
                Path.of("."));
        AddressGuard.Resolver resolver = host -> new InetAddress[] {InetAddress.getByName("93.184.216.34"),
                InetAddress.getByName("127.0.0.1")};
        try (Destination hook = new WebhookDestination(settings, CLOCK, resolver)) {
            assertThatThrownBy(() -> hook.start(batch(row(1, "a", 1L)))).isInstanceOf(PermanentException.class)
                    .hasMessageContaining("hooks.example.test resolves to 127.0.0.1")
                    .hasMessageContaining("loopback").hasMessageContaining("allow_private_network: true");
        }
        assertThat(receiver.received()).as("nothing is sent").isEmpty();
    }

    @Test
    void badSettingsSayWhatToWrite() {
        assertThatThrownBy(() -> open(settings("url", "https://ann:pw@hooks.example.com/x")))
                .hasMessageContaining("user and password").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> open(settings("rate_limit", "fast"))).hasMessage(
                "hook: rate_limit 'fast' should read requests/period, e.g. 10/s, 100/10s, 600/min");
        assertThatThrownBy(() -> open(settings("template", "{{#rows}}"))).hasMessageStartingWith(
                "hook: the body template is not valid Mustache");
        assertThatThrownBy(() -> open(settings("fields", "email, score:money"))).hasMessageContaining(
                "unknown type of field score 'money'");
        assertThatThrownBy(() -> open(settings("accept_status", "2xx"))).hasMessageContaining("'2xx' is not a status");
        assertThatThrownBy(() -> open(settings("headers", "Host: evil"))).hasMessageContaining("Host is set by the HTTP client");
        assertThatThrownBy(() -> open(settings("template", "{{> secrets}}")).start(batch(row(1, "a", 1L))))
                .hasMessageContaining("partials");
        try (Destination hook = open(settings("rate_limit", "100/10s", "max_concurrency", "3"))) {
            assertThat(hook.rateLimits().windows().getFirst().requests()).isEqualTo(100);
            assertThat(hook.rateLimits().windows().getFirst().per()).isEqualTo(Duration.ofSeconds(10));
            assertThat(hook.rateLimits().maxConcurrency()).isEqualTo(3);
        }
    }
}
