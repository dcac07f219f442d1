package dev.ebb.connector.marketo;

import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.marketo.MarketoSandbox;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.Quota;
import dev.ebb.spi.RateWindow;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemoteRecord;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.testkit.Steps;
import dev.ebb.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the Marketo destination does beyond the shared contract: settings, tokens, payloads, classification. */
class MarketoDestinationTest {
    // 09:00 in Chicago (CST).
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private MarketoSandbox sandbox;
    private MarketoDestination destination;

    @AfterEach
    void close() {
        if (destination != null) destination.close();
        if (sandbox != null) sandbox.close();
    }

    private Destination open(Map<String, String> settings) {
        return new MarketoConnector().open(new ConnectorContext("marketo", settings, Path.of("."), clock));
    }

    private MarketoDestination onSandbox(Consumer<MarketoSandbox.Builder> configure) throws IOException {
        MarketoSandbox.Builder builder = MarketoSandbox.builder().clock(clock)
                .field("churnRiskScore", "float").field("accountCode", "string").field("lastSeenAt", "datetime");
        configure.accept(builder);
        sandbox = builder.build();
        sandbox.start();
        destination = (MarketoDestination) open(settings());
        return destination;
    }

    private MarketoDestination onSandbox() throws IOException {
        return onSandbox(b -> { });
    }

    private Map<String, String> settings() {
        return Map.of("base_url", sandbox.baseUrl(), "client_id", MarketoSandbox.DEFAULT_CLIENT_ID,
                "client_secret", MarketoSandbox.DEFAULT_CLIENT_SECRET);
    }

    private static OutboundRecord lead(String key, String email, Map<String, Object> fields) {
        return new OutboundRecord(key, email, null, fields);
    }

    private Map<String, RecordResult> write(Operation operation, String matchField, OutboundRecord... records)
            throws DestinationException {
        WriteResult result = Steps.complete(destination, new WriteBatch("leads", operation, matchField, List.of(records)));
        return result.results().stream().collect(Collectors.toMap(RecordResult::key, Function.identity()));
    }

    private Map<String, RecordResult> upsert(OutboundRecord... records) throws DestinationException {
        return write(Operation.UPSERT, "email", records);
    }

    private static Fault marketoError(String code, String message) {
        return Fault.status(200, 1).onPath("/rest/").withBody("{\"requestId\":\"1#2\",\"success\":false,"
                + "\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}");
    }

    // ---- settings and declarations ----

    @Test
    void isFoundByServiceLoaderAndDeclaresItsOptions() {
        DestinationConnector connector = ServiceLoader.load(DestinationConnector.class).stream()
                .map(ServiceLoader.Provider::get).filter(c -> c.type().equals("marketo")).findFirst().orElseThrow();
        Map<String, ConnectorOption> options = connector.options().stream()
                .collect(Collectors.toMap(ConnectorOption::name, Function.identity()));
        assertThat(options.keySet()).containsExactlyInAnyOrder("base_url", "client_id", "client_secret",
                "identity_url", "daily_quota", "time_zone", "timeout_seconds");
        assertThat(options.get("client_secret").secret()).isTrue();
        assertThat(options.values()).filteredOn(ConnectorOption::required).extracting(ConnectorOption::name)
                .containsExactlyInAnyOrder("base_url", "client_id", "client_secret");
        assertThat(options.values()).filteredOn(ConnectorOption::secret).hasSize(1);
    }

    @Test
    void openingValidatesEverySettingAndSaysWhatToChange() {
        Map<String, String> good = Map.of("base_url", "https://123-ABC-456.mktorest.com", "client_id", "id",
                "client_secret", "secret");
        assertThatThrownBy(() -> open(Map.of("client_id", "id", "client_secret", "s")))
                .hasMessageContaining("'base_url' is required");
        assertThatThrownBy(() -> open(Map.of("base_url", "https://x.mktorest.com", "client_secret", "s")))
                .hasMessageContaining("'client_id' is required");
        assertThatThrownBy(() -> open(with(good, "base_url", "123-ABC-456.mktorest.com")))
                .hasMessageContaining("base_url").hasMessageContaining("http");
        assertThatThrownBy(() -> open(with(good, "daily_quota", "0"))).hasMessageContaining("daily_quota");
        assertThatThrownBy(() -> open(with(good, "time_zone", "Mars/Olympus"))).hasMessageContaining("time_zone");
        assertThatThrownBy(() -> open(with(good, "timeout_seconds", "soon"))).hasMessageContaining("timeout_seconds");
    }

    private static Map<String, String> with(Map<String, String> settings, String key, String value) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.put(key, value);
        return copy;
    }

    @Test
    void theAccountIsTheInstanceWhateverTheClientAndRevealsNoSecret() {
        try (Destination one = open(Map.of("base_url", "https://123-ABC-456.mktorest.com/rest/", "client_id", "a",
                "client_secret", "secret-one"));
             Destination other = open(Map.of("base_url", "https://123-ABC-456.mktorest.com", "client_id", "b",
                     "client_secret", "secret-two"));
             Destination elsewhere = open(Map.of("base_url", "https://999-XYZ-000.mktorest.com", "client_id", "a",
                     "client_secret", "secret-one"))) {
            assertThat(one.accountId()).isEqualTo("marketo:https://123-ABC-456.mktorest.com").doesNotContain("secret");
            assertThat(other.accountId()).as("limits are per instance, shared by every integration")
                    .isEqualTo(one.accountId());
            assertThat(elsewhere.accountId()).isNotEqualTo(one.accountId());
        }
    }

    @Test
    void rateLimitsAreMarketosWithTheSubscriptionsQuotaResetInChicago() {
        try (Destination standard = open(Map.of("base_url", "https://x.mktorest.com", "client_id", "a",
                "client_secret", "s"));
             Destination raised = open(Map.of("base_url", "https://x.mktorest.com", "client_id", "a",
                     "client_secret", "s", "daily_quota", "250000", "time_zone", "UTC"))) {
            assertThat(standard.rateLimits().windows()).containsExactly(new RateWindow(100, Duration.ofSeconds(20)));
            assertThat(standard.rateLimits().maxConcurrency()).isEqualTo(10);
            assertThat(standard.rateLimits().dailyQuota()).contains(new Quota(50_000, ZoneId.of("America/Chicago")));
            assertThat(raised.rateLimits().dailyQuota().orElseThrow().requests()).isEqualTo(250_000);
            assertThat(standard.object("leads").orElseThrow().limits().maxRecords()).isEqualTo(300);
            assertThat(standard.object("leads").orElseThrow().limits().maxBytes()).isLessThan(1 << 20);
            assertThat(standard.object("contacts")).isEmpty();
        }
    }

    // ---- describe ----

    @Test
    void describeTypesFieldsAndMarksTheSearchableOnesUnique() throws Exception {
        onSandbox();
        ObjectSchema schema = destination.describe("leads");
        Map<String, FieldSpec> fields = schema.fields().stream().collect(Collectors.toMap(FieldSpec::name, f -> f));
        assertThat(fields.get("email").type()).isEqualTo(FieldType.STRING);
        assertThat(fields.get("email").unique()).isTrue();
        assertThat(fields.get("accountCode").unique()).as("a custom string field can be a lookupField").isTrue();
        assertThat(fields.get("firstName").unique()).isFalse();
        assertThat(fields.get("id").unique()).as("Marketo's id is learnt, never matched on").isFalse();
        assertThat(fields.get("churnRiskScore").type()).isEqualTo(FieldType.NUMBER);
        assertThat(fields.get("leadScore").type()).isEqualTo(FieldType.NUMBER);
        assertThat(fields.get("unsubscribed").type()).isEqualTo(FieldType.BOOLEAN);
        assertThat(fields.get("dateOfBirth").type()).isEqualTo(FieldType.DATE);
        assertThat(fields.get("lastSeenAt").type()).isEqualTo(FieldType.DATETIME);
        assertThat(fields.get("createdAt").readOnly()).isTrue();
        assertThat(destination.object("leads").orElseThrow().match().allows("accountCode", schema)).isTrue();
        assertThat(destination.object("leads").orElseThrow().match().allows("firstName", schema)).isFalse();
        assertThat(sandbox.requestCount("/rest/v1/leads/describe2.json")).isEqualTo(1);
    }

    // ---- tokens ----

    @Test
    void theTokenIsCachedAndRenewedAMinuteBeforeItExpires() throws Exception {
        onSandbox();
        upsert(lead("1", "a@example.com", Map.of()));
        upsert(lead("1", "a@example.com", Map.of("firstName", "A")));
        assertThat(destination.identityCalls()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(3_530)); // 69 s left: still used
        upsert(lead("1", "a@example.com", Map.of()));
        assertThat(destination.identityCalls()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(20)); // 49 s left: renew; Marketo hands back the same token to its end
        upsert(lead("1", "a@example.com", Map.of()));
        assertThat(destination.identityCalls()).isEqualTo(2);
        upsert(lead("1", "a@example.com", Map.of()));
        assertThat(destination.identityCalls()).as("not asked again on every call").isEqualTo(2);

        clock.advance(Duration.ofSeconds(49)); // expired: a new token
        upsert(lead("1", "a@example.com", Map.of()));
        assertThat(destination.identityCalls()).isEqualTo(3);
        assertThat(sandbox.countsByPath().getOrDefault("/rest/v1/leads.json", 0L)).isEqualTo(6);
        assertThat(sandbox.countsByStatus().keySet()).containsOnly(200);
        assertThat(sandbox.callsToday()).isEqualTo(6);
    }

    @Test
    void anExpiredOrRevokedTokenIsRenewedOnceAndTheCallCountsOnce() throws Exception {
        onSandbox();
        upsert(lead("1", "a@example.com", Map.of()));
        sandbox.expireTokens();
        assertThat(upsert(lead("1", "a@example.com", Map.of("firstName", "A"))).get("1").accepted()).isTrue();
        sandbox.revokeTokens();
        assertThat(upsert(lead("1", "a@example.com", Map.of("firstName", "B"))).get("1").accepted()).isTrue();
        assertThat(destination.identityCalls()).isEqualTo(3);
        assertThat(sandbox.requestCount("/rest/")).as("two refused, three executed").isEqualTo(5);
        assertThat(sandbox.callsToday()).as("a refused call is not counted").isEqualTo(3);
        assertThat(sandbox.findLeadByEmail("a@example.com").orElseThrow().value("firstName")).contains("B");
    }

    @Test
    void aTokenRefusedEvenWhenFreshIsPermanentFor601AndTransientFor602() throws Exception {
        onSandbox();
        upsert(lead("1", "a@example.com", Map.of()));
        sandbox.inject(marketoError("601", "Access token invalid"));
        sandbox.inject(marketoError("601", "Access token invalid"));
        assertThatThrownBy(() -> upsert(lead("1", "a@example.com", Map.of()))).isInstanceOf(PermanentException.class)
                .hasMessageContaining("601 Access token invalid");
        sandbox.inject(marketoError("602", "Access token expired"));
        sandbox.inject(marketoError("602", "Access token expired"));
        assertThatThrownBy(() -> upsert(lead("1", "a@example.com", Map.of()))).isInstanceOf(TransientException.class);
    }

    @Test
    void badCredentialsArePermanentAndTheSecretNeverShows() throws Exception {
        onSandbox();
        try (Destination refused = open(Map.of("base_url", sandbox.baseUrl(), "client_id",
                MarketoSandbox.DEFAULT_CLIENT_ID, "client_secret", "hunter2-wrong"))) {
            assertThatThrownBy(() -> refused.describe("leads")).isInstanceOf(PermanentException.class)
                    .hasMessageContaining("Bad client credentials").hasMessageContaining("client_secret")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2-wrong"));
        }
        assertThat(sandbox.requestCount("/rest/")).isZero();
    }

    // ---- classification ----

    @Test
    void the20SecondWindowIsAThrottleWithoutAHint() throws Exception {
        onSandbox(b -> b.perTwentySeconds(1));
        upsert(lead("1", "a@example.com", Map.of()));
        assertThatThrownBy(() -> upsert(lead("2", "b@example.com", Map.of())))
                .isInstanceOfSatisfying(ThrottledException.class, e -> {
                    assertThat(e.dailyLimit()).isFalse();
                    assertThat(e.retryAfter()).isNull();
                    assertThat(e.getMessage()).contains("606 Max rate limit '1' exceeded with in '20' secs");
                });
        clock.advance(Duration.ofSeconds(20));
        assertThat(upsert(lead("2", "b@example.com", Map.of())).get("2").accepted()).isTrue();
    }

    @Test
    void theDailyQuotaIsADailyThrottleUntilMidnightInChicago() throws Exception {
        onSandbox(b -> b.daily(1));
        upsert(lead("1", "a@example.com", Map.of()));
        assertThatThrownBy(() -> upsert(lead("2", "b@example.com", Map.of())))
                .isInstanceOfSatisfying(ThrottledException.class, e -> {
                    assertThat(e.dailyLimit()).isTrue();
                    // 09:00 CST to midnight CST.
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(15));
                });
    }

    @Test
    void responseLevelCodesAreClassifiedByCode() throws Exception {
        onSandbox();
        upsert(lead("1", "a@example.com", Map.of()));
        sandbox.inject(marketoError("615", "Concurrent access limit reached"));
        assertThatThrownBy(() -> upsert(lead("1", "a@example.com", Map.of())))
                .isInstanceOfSatisfying(ThrottledException.class, e -> assertThat(e.dailyLimit()).isFalse());
        for (String code : List.of("604", "608", "611", "713")) {
            sandbox.inject(marketoError(code, "try later"));
            assertThatThrownBy(() -> upsert(lead("1", "a@example.com", Map.of()))).as(code)
                    .isInstanceOf(TransientException.class);
        }
        for (String code : List.of("603", "609", "610", "612", "1003")) {
            sandbox.inject(marketoError(code, "no"));
            assertThatThrownBy(() -> upsert(lead("1", "a@example.com", Map.of()))).as(code)
                    .isInstanceOf(PermanentException.class).hasMessageContaining(code + " no");
        }
        sandbox.inject(Fault.status(502, 1));
        assertThatThrownBy(() -> upsert(lead("1", "a@example.com", Map.of()))).isInstanceOf(TransientException.class);
        sandbox.inject(Fault.status(200, 1).onPath("/rest/").withBody("<html>gateway</html>"));
        assertThatThrownBy(() -> upsert(lead("1", "a@example.com", Map.of()))).isInstanceOf(TransientException.class);
    }

    @Test
    void aPayloadOverOneMegabyteIs413AndPermanent() throws Exception {
        onSandbox();
        String huge = "x".repeat(MarketoSandbox.MAX_BODY_BYTES);
        assertThatThrownBy(() -> upsert(lead("1", "a@example.com", Map.of("address", huge))))
                .isInstanceOf(PermanentException.class).hasMessageContaining("413");
    }

    // ---- per-record answers ----

    @Test
    void skippedRecordsAreRejectedWithMarketosCodeAndMessageAndTheRestWritten() throws Exception {
        onSandbox();
        upsert(lead("a", "a@example.com", Map.of("firstName", "A")));

        Map<String, RecordResult> updated = write(Operation.UPDATE, "email",
                lead("a", "a@example.com", Map.of("firstName", "Ada")),
                lead("z", "nobody@example.com", Map.of("firstName", "Z")));
        assertThat(updated.get("a").accepted()).isTrue();
        assertThat(updated.get("z").accepted()).isFalse();
        assertThat(updated.get("z").reason()).isEqualTo("1004: Lead not found");

        Map<String, RecordResult> created = write(Operation.CREATE, "email",
                lead("a", "a@example.com", Map.of()), lead("b", "b@example.com", Map.of()));
        assertThat(created.get("a").reason()).isEqualTo("1005: Lead already exists");
        assertThat(created.get("b").accepted()).isTrue();

        Map<String, RecordResult> byFirstName = write(Operation.UPSERT, "firstName", lead("c", "Cy", Map.of()));
        assertThat(byFirstName.get("c").reason()).isEqualTo("1011: Field 'firstName' not supported");

        Map<String, RecordResult> mixed = upsert(lead("d", "d@example.com", Map.of("churnRiskScore", "high")),
                lead("e", "e@example.com", Map.of("churnRiskScore", Double.NaN)),
                lead("f", "f@example.com", Map.of("churnRiskScore", new BigDecimal("0.5"))));
        assertThat(mixed.get("d").reason()).isEqualTo("1001: Invalid value 'high'. Required of type 'float'");
        assertThat(mixed.get("e").reason()).startsWith("not sent:");
        assertThat(mixed.get("f").accepted()).isTrue();
        assertThat(mixed.get("f").destinationId()).isEqualTo(String.valueOf(
                sandbox.findLeadByEmail("f@example.com").orElseThrow().id()));
    }

    @Test
    void upsertByACustomFieldUsesItAsTheLookupField() throws Exception {
        onSandbox();
        Map<String, RecordResult> first = write(Operation.UPSERT, "accountCode",
                lead("1", "ACME-1", Map.of("email", "ops@acme.example", "firstName", "Ops")));
        Map<String, RecordResult> second = write(Operation.UPSERT, "accountCode",
                lead("1", "ACME-1", Map.of("firstName", "Operations")));
        assertThat(second.get("1").destinationId()).isEqualTo(first.get("1").destinationId());
        assertThat(sandbox.leadCount()).isEqualTo(1);
        assertThat(sandbox.findLeadByEmail("ops@acme.example").orElseThrow().value("firstName")).contains("Operations");
    }

    @Test
    void valuesAreSentAsMarketosJson() throws Exception {
        onSandbox(b -> b.field("renewal", "date"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("lastSeenAt", Instant.parse("2024-05-07T20:41:32.789Z"));
        values.put("renewal", LocalDate.of(2024, 2, 29));
        values.put("unsubscribed", true);
        values.put("leadScore", 42L);
        values.put("churnRiskScore", 0.125d);
        upsert(lead("1", "a@example.com", values));
        var stored = sandbox.findLeadByEmail("a@example.com").orElseThrow();
        assertThat(stored.value("lastSeenAt")).contains("2024-05-07T20:41:32Z");
        assertThat(stored.value("renewal")).contains("2024-02-29");
        assertThat(stored.value("unsubscribed")).contains("true");
        assertThat(stored.value("leadScore")).contains("42");
        assertThat(stored.value("churnRiskScore")).contains("0.125");
    }

    // ---- delete ----

    @Test
    void deleteUsesLeadIdsAndALeadAlreadyGoneIsDeleted() throws Exception {
        onSandbox();
        Map<String, RecordResult> created = upsert(lead("a", "a@example.com", Map.of()),
                lead("b", "b@example.com", Map.of()));
        long callsBefore = sandbox.requestCount("/rest/");
        Map<String, RecordResult> unidentified = write(Operation.DELETE, "email", lead("a", "a@example.com", Map.of()));
        assertThat(unidentified.get("a").accepted()).isFalse();
        assertThat(unidentified.get("a").reason()).contains("by lead id");
        assertThat(sandbox.requestCount("/rest/")).as("no call without an id").isEqualTo(callsBefore);

        String idA = created.get("a").destinationId();
        String idB = created.get("b").destinationId();
        Map<String, RecordResult> deleted = write(Operation.DELETE, "email",
                new OutboundRecord("a", "a@example.com", idA, Map.of()),
                new OutboundRecord("b", "b@example.com", idB, Map.of()));
        assertThat(deleted.values()).allMatch(RecordResult::accepted);
        assertThat(sandbox.leadCount()).isZero();
        Map<String, RecordResult> again = write(Operation.DELETE, "email",
                new OutboundRecord("a", "a@example.com", idA, Map.of()));
        assertThat(again.get("a").accepted()).as("1004: already gone").isTrue();
    }

    // ---- read ----

    @Test
    void readBackMapsLeadsToTheirMatchValuesInOneCallEvenFor300LongAddresses() throws Exception {
        onSandbox();
        upsert(lead("1", "Ada@Example.com", Map.of("firstName", "Ada", "churnRiskScore", new BigDecimal("0.5"))));
        List<String> wanted = new ArrayList<>();
        wanted.add("ada@example.com");
        for (int i = 0; i < 299; i++) wanted.add("someone-with-a-rather-long-address-" + i + "@example.com");
        long before = sandbox.requestCount("/rest/");
        List<RemoteRecord> read = destination.read("leads", "email", wanted, List.of("firstName", "churnRiskScore",
                "lastName"));
        assertThat(sandbox.requestCount("/rest/") - before).isEqualTo(1);
        assertThat(sandbox.countsByStatus().keySet()).as("no 414").containsOnly(200);
        assertThat(read).hasSize(1);
        RemoteRecord ada = read.getFirst();
        assertThat(ada.matchValue()).isEqualTo("ada@example.com");
        assertThat(ada.destinationId()).isEqualTo(String.valueOf(sandbox.findLeadByEmail("ada@example.com")
                .orElseThrow().id()));
        assertThat(ada.fields()).containsEntry("firstName", "Ada").containsEntry("churnRiskScore", "0.5")
                .containsEntry("lastName", null);
    }
}
