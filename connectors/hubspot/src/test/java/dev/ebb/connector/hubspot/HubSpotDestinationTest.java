package dev.ebb.connector.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.Quota;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateWindow;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemoteRecord;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.testkit.ScriptedServer;
import dev.ebb.testkit.Steps;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.SandboxResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the HubSpot destination does beyond the shared contract: settings, declarations, payloads, classification. */
class HubSpotDestinationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T15:00:00Z"), ZoneOffset.UTC);

    private HubSpotSandbox sandbox;
    private ScriptedServer scripted;
    private Destination destination;

    @AfterEach
    void close() {
        if (destination != null) destination.close();
        if (sandbox != null) sandbox.close();
        if (scripted != null) scripted.close();
    }

    private static Destination open(Map<String, String> settings) {
        return new HubSpotConnector().open(new ConnectorContext("hubspot", settings, Path.of("."), CLOCK));
    }

    private Destination onSandbox(Map<String, String> extra) throws IOException {
        if (sandbox == null) {
            sandbox = HubSpotSandbox.builder().clock(CLOCK).build();
            sandbox.createProperty("contacts", HubSpotProperty.of("ltv", "number"));
            sandbox.start();
        }
        Map<String, String> settings = new HashMap<>(Map.of("token", HubSpotSandbox.DEFAULT_TOKEN,
                "base_url", sandbox.baseUrl()));
        settings.putAll(extra);
        destination = open(settings);
        return destination;
    }

    private Destination onScript() throws IOException {
        scripted = new ScriptedServer();
        scripted.start();
        destination = open(Map.of("token", "scripted", "base_url", scripted.baseUrl()));
        return destination;
    }

    private static OutboundRecord record(String key, String email, Map<String, Object> fields) {
        return new OutboundRecord(key, email, null, fields);
    }

    private static Map<String, RecordResult> byKey(WriteResult result) {
        return result.results().stream().collect(Collectors.toMap(RecordResult::key, Function.identity()));
    }

    // ---- settings and declarations ----

    @Test
    void isFoundByServiceLoaderAndDeclaresItsOptions() {
        HubSpotConnector connector = ServiceLoader.load(dev.ebb.spi.DestinationConnector.class).stream()
                .map(ServiceLoader.Provider::get).filter(c -> c.type().equals("hubspot"))
                .map(HubSpotConnector.class::cast).findFirst().orElseThrow();
        Map<String, ConnectorOption> options = connector.options().stream()
                .collect(Collectors.toMap(ConnectorOption::name, Function.identity()));
        assertThat(options.keySet()).containsExactlyInAnyOrder("token", "base_url", "tier", "time_zone", "timeout_seconds");
        assertThat(options.get("token").secret()).isTrue();
        assertThat(options.get("token").required()).isTrue();
        assertThat(options.values()).filteredOn(o -> !o.name().equals("token"))
                .allSatisfy(o -> assertThat(o.required() || o.secret()).isFalse());
    }

    @Test
    void openingValidatesEverySettingAndSaysWhatToChange() {
        assertThatThrownBy(() -> open(Map.of())).hasMessageContaining("'token' is required");
        assertThatThrownBy(() -> open(Map.of("token", "t", "tier", "platinum")))
                .hasMessageContaining("free, starter, professional, enterprise");
        assertThatThrownBy(() -> open(Map.of("token", "t", "base_url", "api.hubapi.com")))
                .hasMessageContaining("base_url").hasMessageContaining("http");
        assertThatThrownBy(() -> open(Map.of("token", "t", "timeout_seconds", "0")))
                .hasMessageContaining("timeout_seconds");
        assertThatThrownBy(() -> open(Map.of("token", "t", "time_zone", "Mars/Olympus")))
                .hasMessageContaining("time_zone");
    }

    @Test
    void theAccountIdNamesThePortalWithoutTheToken() {
        try (Destination one = open(Map.of("token", "pat-na1-secret-one"));
             Destination same = open(Map.of("token", "pat-na1-secret-one", "tier", "enterprise"));
             Destination other = open(Map.of("token", "pat-na1-secret-two"));
             Destination elsewhere = open(Map.of("token", "pat-na1-secret-one", "base_url", "http://127.0.0.1:8089/"))) {
            assertThat(one.accountId()).startsWith("hubspot:https://api.hubapi.com#").doesNotContain("secret");
            assertThat(same.accountId()).isEqualTo(one.accountId());
            assertThat(other.accountId()).isNotEqualTo(one.accountId());
            assertThat(elsewhere.accountId()).startsWith("hubspot:http://127.0.0.1:8089#");
        }
    }

    @Test
    void rateLimitsFollowTheTierAndThePortalsTimeZone() {
        try (Destination starter = open(Map.of("token", "t"));
             Destination professional = open(Map.of("token", "t", "tier", "Professional", "time_zone", "Europe/Paris"))) {
            assertThat(starter.rateLimits().windows()).containsExactly(new RateWindow(100, Duration.ofSeconds(10)));
            assertThat(starter.rateLimits().dailyQuota()).contains(new Quota(250_000, ZoneOffset.UTC));
            RateLimits limits = professional.rateLimits();
            assertThat(limits.windows()).containsExactly(new RateWindow(190, Duration.ofSeconds(10)));
            assertThat(limits.dailyQuota()).contains(new Quota(625_000, ZoneId.of("Europe/Paris")));
            assertThat(limits.maxConcurrency()).isPositive();
        }
    }

    @Test
    void declaresContactsCompaniesAndCustomObjects() {
        try (Destination hubspot = open(Map.of("token", "t"))) {
            ObjectCapabilities contacts = hubspot.object("contacts").orElseThrow();
            assertThat(contacts.match().fixed()).containsExactly("email");
            assertThat(contacts.match().anyUnique()).isTrue();
            assertThat(contacts.limits().maxRecords()).isEqualTo(100);
            assertThat(contacts.readBack()).isTrue();
            assertThat(hubspot.object("companies").orElseThrow().match().fixed()).isEmpty();
            assertThat(hubspot.object("2-3508482")).isPresent();
            assertThat(hubspot.object("p24681357_cars")).isPresent();
            assertThat(hubspot.object("p_cars")).isPresent();
            assertThat(hubspot.object("unicorns")).isEmpty();
            assertThat(hubspot.object("2-")).isEmpty();
        }
    }

    @Test
    void describeMapsHubSpotTypesUniquenessAndReadOnlyValues() throws Exception {
        onSandbox(Map.of());
        sandbox.createProperty("contacts", HubSpotProperty.of("is_vip", "bool"));
        sandbox.createProperty("contacts", HubSpotProperty.of("renewal_date", "date"));
        sandbox.createProperty("contacts", HubSpotProperty.of("seen_at", "datetime"));
        sandbox.createProperty("contacts", HubSpotProperty.of("mobile", "phone_number"));
        ObjectSchema schema = destination.describe("contacts");
        Map<String, FieldSpec> fields = schema.fields().stream().collect(Collectors.toMap(FieldSpec::name, f -> f));
        assertThat(fields.get("email")).isEqualTo(new FieldSpec("email", FieldType.STRING, true, false, List.of()));
        assertThat(fields.get("ltv").type()).isEqualTo(FieldType.NUMBER);
        assertThat(fields.get("is_vip").type()).isEqualTo(FieldType.BOOLEAN);
        assertThat(fields.get("renewal_date").type()).isEqualTo(FieldType.DATE);
        assertThat(fields.get("seen_at").type()).isEqualTo(FieldType.DATETIME);
        assertThat(fields.get("mobile").type()).isEqualTo(FieldType.STRING);
        assertThat(fields.get("lifecyclestage").type()).isEqualTo(FieldType.ENUMERATION);
        assertThat(fields.get("lifecyclestage").options()).startsWith("subscriber", "lead");
        assertThat(fields.get("hs_object_id").readOnly()).isTrue();
        assertThat(fields.get("createdate").readOnly()).isTrue();
        assertThat(fields.get("firstname").unique()).isFalse();
    }

    // ---- payloads ----

    @Test
    void sendsHubSpotsTextFormsAndATraceIdPerInput() throws Exception {
        onScript();
        scripted.answerJson(200, "{\"status\":\"COMPLETE\",\"results\":[]}");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("a_null", null);
        fields.put("a_decimal", new BigDecimal("1E+3"));
        fields.put("a_long", 42L);
        fields.put("a_double", 0.1);
        fields.put("a_bool", true);
        fields.put("a_date", LocalDate.of(2024, 2, 29));
        fields.put("an_instant", Instant.parse("2024-01-15T10:00:00.123456789Z"));
        fields.put("a_string", "  kept as is ");
        Steps.complete(destination, new WriteBatch("contacts", Operation.UPSERT, "email",
                List.of(record("k0", "a@example.com", fields), record("k1", "b@example.com", Map.of()))));

        JsonNode inputs = scripted.lastBody().path("inputs");
        assertThat(scripted.received().getLast().path()).isEqualTo("/crm/v3/objects/contacts/batch/upsert");
        assertThat(scripted.received().getLast().header("Authorization")).contains("Bearer scripted");
        JsonNode first = inputs.get(0);
        assertThat(first.path("idProperty").asText()).isEqualTo("email");
        assertThat(first.path("id").asText()).isEqualTo("a@example.com");
        assertThat(first.path("objectWriteTraceId").asText()).isEqualTo("0");
        assertThat(inputs.get(1).path("objectWriteTraceId").asText()).isEqualTo("1");
        JsonNode properties = first.path("properties");
        assertThat(properties.path("a_null").asText()).as("null clears").isEqualTo("");
        assertThat(properties.path("a_decimal").asText()).isEqualTo("1000");
        assertThat(properties.path("a_long").asText()).isEqualTo("42");
        assertThat(properties.path("a_double").asText()).isEqualTo("0.1");
        assertThat(properties.path("a_bool").asText()).isEqualTo("true");
        assertThat(properties.path("a_date").asText()).isEqualTo("2024-02-29");
        assertThat(properties.path("an_instant").asText()).isEqualTo("2024-01-15T10:00:00.123Z");
        assertThat(properties.path("a_string").asText()).isEqualTo("  kept as is ");
        assertThat(properties.fieldNames()).toIterable().allSatisfy(n -> assertThat(properties.get(n).isTextual()).isTrue());
    }

    @Test
    void updatesByRecordIdWhenKnownElseByTheUniqueMatchValue() throws Exception {
        onSandbox(Map.of());
        String id = sandbox.createRecord("contacts", Map.of("email", "old@example.com")).id();
        sandbox.createRecord("contacts", Map.of("email", "by-email@example.com"));

        WriteResult result = Steps.complete(destination, new WriteBatch("contacts", Operation.UPDATE, "email", List.of(
                new OutboundRecord("k-id", "new@example.com", id, Map.of("firstname", "ById")),
                record("k-email", "BY-EMAIL@example.com", Map.of("firstname", "ByEmail")))));

        assertThat(byKey(result).values()).allSatisfy(r -> assertThat(r.accepted()).isTrue());
        assertThat(byKey(result).get("k-id").destinationId()).isEqualTo(id);
        assertThat(sandbox.record("contacts", id).orElseThrow().property("firstname")).contains("ById");
        assertThat(sandbox.findRecord("contacts", "email", "by-email@example.com").orElseThrow().property("firstname"))
                .contains("ByEmail");
    }

    @Test
    void insertRejectsATakenEmailWithHubSpotsConflict() throws Exception {
        onSandbox(Map.of());
        String existing = sandbox.createRecord("contacts", Map.of("email", "taken@example.com")).id();
        WriteResult result = Steps.complete(destination, new WriteBatch("contacts", Operation.CREATE, "email", List.of(
                record("taken", "taken@example.com", Map.of("firstname", "Dup")),
                record("fresh", "fresh@example.com", Map.of("firstname", "New")))));
        Map<String, RecordResult> results = byKey(result);
        assertThat(results.get("taken").accepted()).isFalse();
        assertThat(results.get("taken").reason()).startsWith("CONFLICT").contains(existing);
        assertThat(results.get("fresh").accepted()).isTrue();
        assertThat(sandbox.recordCount("contacts")).isEqualTo(2);
    }

    @Test
    void deletesByRecordIdAndRefusesRecordsWithoutOneWithoutACall() throws Exception {
        onSandbox(Map.of());
        String id = sandbox.createRecord("contacts", Map.of("email", "gone@example.com")).id();
        long calls = sandbox.requestCount();

        WriteResult unknownOnly = Steps.complete(destination, new WriteBatch("contacts", Operation.DELETE, "email",
                List.of(record("k", "gone@example.com", Map.of()))));
        assertThat(unknownOnly.results()).singleElement().satisfies(r -> {
            assertThat(r.accepted()).isFalse();
            assertThat(r.reason()).contains("record id");
        });
        assertThat(sandbox.requestCount()).as("nothing to send, no call").isEqualTo(calls);

        WriteResult byMatchOnRecordId = Steps.complete(destination, new WriteBatch("contacts", Operation.DELETE, "hs_object_id",
                List.of(new OutboundRecord("k", id, null, Map.of()))));
        assertThat(byMatchOnRecordId.results()).singleElement().satisfies(r -> {
            assertThat(r.accepted()).isTrue();
            assertThat(r.destinationId()).isEqualTo(id);
        });
        assertThat(sandbox.recordCount("contacts")).isZero();
    }

    @Test
    void aValueHubSpotCannotHoldIsRejectedBeforeTheCallAndTheRestIsSent() throws Exception {
        onSandbox(Map.of());
        WriteResult result = Steps.complete(destination, new WriteBatch("contacts", Operation.UPSERT, "email", List.of(
                record("nan", "nan@example.com", Map.of("ltv", Double.NaN)),
                record("ok", "ok@example.com", Map.of("ltv", 2.5)))));
        Map<String, RecordResult> results = byKey(result);
        assertThat(results.get("nan").accepted()).isFalse();
        assertThat(results.get("nan").reason()).contains("finite");
        assertThat(results.get("ok").accepted()).isTrue();
        assertThat(sandbox.findRecord("contacts", "email", "ok@example.com").orElseThrow().property("ltv")).contains("2.5");
    }

    @Test
    void writingAnObjectItDoesNotDeclareIsPermanentAndCostsNoCall() throws Exception {
        onSandbox(Map.of());
        assertThatThrownBy(() -> Steps.complete(destination, new WriteBatch("unicorns", Operation.UPSERT, "email",
                List.of(record("k", "u@example.com", Map.of())))))
                .isInstanceOf(PermanentException.class).hasMessageContaining("unicorns");
        assertThat(sandbox.requestCount()).isZero();
    }

    // ---- answers ----

    @Test
    void usageComesFromTheRateLimitHeaders() throws Exception {
        onSandbox(Map.of());
        WriteResult result = Steps.complete(destination, new WriteBatch("contacts", Operation.UPSERT, "email",
                List.of(record("k", "u@example.com", Map.of("ltv", 1L)))));
        assertThat(result.usage().windowMax()).isEqualTo(100);
        assertThat(result.usage().windowRemaining()).isEqualTo(99);
        assertThat(result.usage().window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(result.usage().dailyRemaining()).isEqualTo(249_999);
    }

    @Test
    void theDailyLimitIsAThrottleOnTheDailyAllowance() throws Exception {
        sandbox = HubSpotSandbox.builder().clock(CLOCK).daily(1).build();
        sandbox.start();
        onSandbox(Map.of());
        WriteBatch batch = new WriteBatch("contacts", Operation.UPSERT, "email",
                List.of(record("k", "u@example.com", Map.of())));
        Steps.complete(destination, batch);
        assertThatThrownBy(() -> Steps.complete(destination, batch)).isInstanceOfSatisfying(ThrottledException.class, e -> {
            assertThat(e.dailyLimit()).isTrue();
            assertThat(e.retryAfter()).as("HubSpot gives no wait hint").isNull();
            assertThat(e.getMessage()).contains("daily limit");
        });
    }

    @Test
    void theTenSecondLimitIsAShortThrottle() throws Exception {
        sandbox = HubSpotSandbox.builder().clock(CLOCK).perTenSeconds(1).build();
        sandbox.start();
        onSandbox(Map.of());
        destination.describe("contacts");
        assertThatThrownBy(() -> destination.describe("contacts"))
                .isInstanceOfSatisfying(ThrottledException.class, e -> assertThat(e.dailyLimit()).isFalse());
    }

    @Test
    void aRetryAfterIsHonouredInSecondsOrAsADate() throws Exception {
        onScript();
        scripted.answer(SandboxResponse.json(429, Map.of("errorType", "RATE_LIMIT", "policyName", "TEN_SECONDLY_ROLLING"))
                .withHeader("Retry-After", "7"));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(CLOCK.instant().plusSeconds(90), ZoneOffset.UTC));
        scripted.answer(SandboxResponse.json(429, Map.of("policyName", "DAILY")).withHeader("Retry-After", date));
        scripted.answer(SandboxResponse.json(423, Map.of("message", "locked")));

        assertThatThrownBy(() -> destination.describe("contacts")).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
        assertThatThrownBy(() -> destination.describe("contacts")).isInstanceOfSatisfying(ThrottledException.class, e -> {
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(90));
            assertThat(e.dailyLimit()).isTrue();
        });
        assertThatThrownBy(() -> destination.describe("contacts")).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.retryAfter()).as("HubSpot's 423 lock lasts 2 s").isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void statusesAreClassifiedByCodeNotByText() throws Exception {
        onScript();
        scripted.answerJson(502, "{\"message\":\"bad gateway\"}");
        scripted.answer(SandboxResponse.text(504, "<html>gateway timeout</html>"));
        scripted.answerJson(401, "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                + "\"category\":\"INVALID_AUTHENTICATION\"}");
        scripted.answerJson(403, "{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes\","
                + "\"category\":\"MISSING_SCOPES\"}");
        scripted.answerJson(400, "{\"status\":\"error\",\"message\":\"Unable to infer object type from: x\","
                + "\"category\":\"VALIDATION_ERROR\"}");

        assertThatThrownBy(() -> destination.describe("contacts")).isInstanceOfSatisfying(TransientException.class,
                e -> assertThat(e.unreachable()).isFalse());
        assertThatThrownBy(() -> destination.describe("contacts")).isInstanceOf(TransientException.class)
                .hasMessageContaining("gateway timeout");
        assertThatThrownBy(() -> destination.describe("contacts")).isInstanceOf(PermanentException.class)
                .hasMessageContaining("INVALID_AUTHENTICATION");
        assertThatThrownBy(() -> destination.describe("contacts")).isInstanceOf(PermanentException.class)
                .hasMessageContaining("MISSING_SCOPES");
        assertThatThrownBy(() -> destination.describe("contacts")).isInstanceOf(PermanentException.class)
                .hasMessageContaining("Unable to infer object type from: x");
    }

    @Test
    void aWholeCallRefusalForTheOnlyRecordsOwnValuesIsThatRecordsRejection() throws Exception {
        onScript();
        String invalid = "{\"status\":\"error\",\"message\":\"Property values were not valid: [...]\","
                + "\"category\":\"VALIDATION_ERROR\",\"errors\":[{\"message\":\"x was not a valid number.\","
                + "\"code\":\"INVALID_INTEGER\",\"context\":{\"propertyName\":[\"ltv\"]}}]}";
        scripted.answerJson(400, invalid);
        scripted.answerJson(400, invalid);

        WriteResult one = Steps.complete(destination, new WriteBatch("contacts", Operation.UPSERT, "email",
                List.of(record("k", "a@example.com", Map.of("ltv", "x")))));
        assertThat(one.results()).singleElement().satisfies(r -> {
            assertThat(r.accepted()).isFalse();
            assertThat(r.reason()).isEqualTo("VALIDATION_ERROR: INVALID_INTEGER ltv: x was not a valid number.");
        });
        assertThatThrownBy(() -> Steps.complete(destination, new WriteBatch("contacts", Operation.UPSERT, "email", List.of(
                record("k1", "a@example.com", Map.of("ltv", "x")), record("k2", "b@example.com", Map.of())))))
                .as("which of two records is at fault is the runner's to find out")
                .isInstanceOf(PermanentException.class);
    }

    @Test
    void answersWithoutTraceIdsAreMatchedByIdOrMatchValueAndUnmentionedRecordsGetNoResult() throws Exception {
        onScript();
        scripted.answerJson(207, """
                {"status":"COMPLETE","numErrors":1,
                 "results":[{"id":"11","properties":{"email":"a@example.com"}}],
                 "errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"Could not get some CONTACT objects",
                            "context":{"ids":["B@example.com"]}}]}""");
        WriteResult result = Steps.complete(destination, new WriteBatch("contacts", Operation.UPDATE, "email", List.of(
                record("a", "A@example.com", Map.of()), record("b", "b@example.com", Map.of()),
                record("c", "c@example.com", Map.of()))));
        Map<String, RecordResult> results = byKey(result);
        assertThat(results.get("a").accepted()).isTrue();
        assertThat(results.get("a").destinationId()).isEqualTo("11");
        assertThat(results.get("b").accepted()).isFalse();
        assertThat(results.get("b").reason()).startsWith("OBJECT_NOT_FOUND");
        assertThat(results).as("c is not mentioned: failed, delivered again later").doesNotContainKey("c");
    }

    @Test
    void anUnreachablePortalIsTransientAndUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        destination = open(Map.of("token", "t", "base_url", "http://127.0.0.1:" + closedPort));
        assertThatThrownBy(() -> destination.describe("contacts")).isInstanceOfSatisfying(TransientException.class,
                e -> assertThat(e.unreachable()).isTrue());
    }

    @Test
    void aSlowAnswerTimesOutAsTransient() throws Exception {
        onSandbox(Map.of("timeout_seconds", "1"));
        sandbox.inject(Fault.latency(Duration.ofMillis(1_500), 1));
        assertThatThrownBy(() -> Steps.complete(destination, new WriteBatch("contacts", Operation.UPSERT, "email",
                List.of(record("k", "slow@example.com", Map.of())))))
                .isInstanceOfSatisfying(TransientException.class, e -> assertThat(e.unreachable()).isFalse());
    }

    // ---- read ----

    @Test
    void readReturnsRequestedValuesUnderTheMatchValuesAsAsked() throws Exception {
        onSandbox(Map.of());
        String id = sandbox.createRecord("contacts", Map.of("email", "pat@example.com", "ltv", "12.5")).id();
        long calls = sandbox.requestCount();

        List<RemoteRecord> read = destination.read("contacts", "email",
                List.of("Pat@Example.com", "nobody@example.com"), List.of("ltv", "firstname"));
        assertThat(read).singleElement().satisfies(r -> {
            assertThat(r.matchValue()).isEqualTo("Pat@Example.com");
            assertThat(r.destinationId()).isEqualTo(id);
            assertThat(r.fields()).containsEntry("ltv", "12.5").containsEntry("firstname", null);
        });
        assertThat(sandbox.requestCount() - calls).isEqualTo(1);

        assertThat(destination.read("contacts", "hs_object_id", List.of(id), List.of("email")))
                .singleElement().satisfies(r -> assertThat(r.fields()).containsEntry("email", "pat@example.com"));
        assertThat(destination.read("contacts", "email", List.of(), List.of("ltv"))).isEmpty();
        assertThat(sandbox.requestCount() - calls).as("an empty read makes no call").isEqualTo(2);
    }

    @Test
    void textFormsOfEveryValueType() {
        assertThat(HubSpotDestination.text(null)).contains("");
        assertThat(HubSpotDestination.text(1e20)).contains("100000000000000000000");
        assertThat(HubSpotDestination.text(-0.5f)).contains("-0.5");
        assertThat(HubSpotDestination.text(Double.POSITIVE_INFINITY)).isEmpty();
        assertThat(HubSpotDestination.text(Float.NaN)).isEmpty();
        assertThat(HubSpotDestination.text(new BigDecimal("0.000001"))).contains("0.000001");
        assertThat(HubSpotDestination.text(false)).contains("false");
        assertThat(HubSpotDestination.text(Instant.parse("2024-01-15T10:00:00Z"))).contains("2024-01-15T10:00:00Z");
    }
}
