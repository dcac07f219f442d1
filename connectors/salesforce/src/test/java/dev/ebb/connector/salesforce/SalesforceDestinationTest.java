package dev.ebb.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.salesforce.SalesforceRecord;
import dev.ebb.sandbox.salesforce.SalesforceSandbox;
import dev.ebb.spi.BulkLimits;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.Quota;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;
import dev.ebb.testkit.Steps;
import dev.ebb.sandbox.SandboxResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the Salesforce destination does beyond the shared contract: settings, sign-in, classification, the write paths. */
class SalesforceDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();
    private SalesforceSandbox sandbox;
    private TestingScriptedServer scripted;
    private Destination destination;

    @AfterEach
    void close() {
        if (destination != null) destination.close();
        if (sandbox != null) sandbox.close();
        if (scripted != null) scripted.close();
    }

    private Destination open(Map<String, String> settings) {
        return new SalesforceConnector().open(new ConnectorContext("salesforce", settings, Path.of("."), clock));
    }

    private Map<String, String> jwtSettings(String loginUrl) {
        Map<String, String> settings = new HashMap<>();
        settings.put("client_id", SalesforceSandbox.DEFAULT_CLIENT_ID);
        settings.put("username", SalesforceSandbox.DEFAULT_USERNAME);
        settings.put("private_key", TestingKeys.privatePem(TestingKeys.TRUSTED));
        settings.put("login_url", loginUrl);
        return settings;
    }

    private Destination onSandbox(SalesforceSandbox.Builder builder, Map<String, String> extra) throws Exception {
        sandbox = builder.build();
        sandbox.start();
        Map<String, String> settings = jwtSettings(sandbox.baseUrl());
        settings.putAll(extra);
        destination = open(settings);
        return destination;
    }

    private Destination onSandbox() throws Exception {
        return onSandbox(SalesforceDestinationContractTest.contactSandbox(), Map.of());
    }

    private Destination onScripted() throws Exception {
        scripted = new TestingScriptedServer();
        scripted.start();
        destination = open(jwtSettings(scripted.baseUrl()));
        return destination;
    }

    private static OutboundRecord contact(int n, String lastName) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("LastName", lastName);
        fields.put("Churn_Risk_Score__c", new BigDecimal("0.25"));
        return new OutboundRecord("row-" + n, "K-" + n, null, fields);
    }

    private static List<OutboundRecord> contacts(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(n -> contact(n, "Name " + n)).toList();
    }

    private static WriteBatch batch(Operation operation, List<OutboundRecord> records) {
        return new WriteBatch("Contact", operation, "Customer_Key__c", records);
    }

    private static Map<String, RecordResult> byKey(WriteResult result) {
        return result.results().stream().collect(Collectors.toMap(RecordResult::key, Function.identity()));
    }

    private long apiCalls() {
        return sandbox.requestCount("/services/data");
    }

    private long signIns() {
        return sandbox.requestCount("/services/oauth2/token");
    }

    // ---- settings and declarations ------------------------------------------------------------------------

    @Test
    void settingsAreCheckedWholeWithMessagesThatSayWhatToChange() {
        assertThatThrownBy(() -> open(Map.of("private_key", "x"))).hasMessageContaining("'client_id' is required");
        assertThatThrownBy(() -> open(Map.of("client_id", "c", "private_key", TestingKeys.privatePem(TestingKeys.TRUSTED))))
                .hasMessageContaining("auth_flow jwt needs username");
        assertThatThrownBy(() -> open(Map.of("client_id", "c", "username", "u", "private_key", "not a key")))
                .hasMessageContaining("private_key: no PEM block");
        assertThatThrownBy(() -> open(Map.of("client_id", "c", "client_secret", "s", "auth_flow", "password")))
                .hasMessageContaining("use one of jwt, client_credentials, refresh_token");
        assertThatThrownBy(() -> open(Map.of("client_id", "c")))
                .hasMessageContaining("no credentials");
        assertThatThrownBy(() -> open(Map.of("client_id", "c", "client_secret", "s", "api_version", "40.0")))
                .hasMessageContaining("46.0 or later");
        assertThatThrownBy(() -> open(Map.of("client_id", "c", "client_secret", "s", "login_url", "https://x.com/a")))
                .hasMessageContaining("login_url");
        assertThatThrownBy(() -> open(Map.of("client_id", "c", "client_secret", "s", "bulk_threshold", "0")))
                .hasMessageContaining("bulk_threshold must be a positive whole number");
        assertThatThrownBy(() -> open(Map.of("client_id", "c", "client_secret", "s", "time_zone", "Mars/Olympus")))
                .hasMessageContaining("time_zone");
    }

    @Test
    void privateKeysComeAsPkcs8OrPkcs1AndSecretsAreDeclaredSecret() {
        Map<String, ConnectorOption> options = new SalesforceConnector().options().stream()
                .collect(Collectors.toMap(ConnectorOption::name, Function.identity()));
        assertThat(options.get("private_key").secret()).isTrue();
        assertThat(options.get("client_secret").secret()).isTrue();
        assertThat(options.get("refresh_token").secret()).isTrue();
        assertThat(options.get("client_id").required()).isTrue();
        assertThat(options.values().stream().filter(ConnectorOption::required).map(ConnectorOption::name))
                .containsExactly("client_id");
        // A key on one line with literal \n, as an environment variable holds it.
        String oneLine = TestingKeys.privatePem(TestingKeys.TRUSTED).replace("\n", "\\n");
        open(Map.of("client_id", "c", "username", "u", "private_key", oneLine)).close();
        assertThat(ServiceLoader.load(dev.ebb.spi.DestinationConnector.class).stream()
                .anyMatch(p -> p.get().type().equals("salesforce"))).isTrue();
    }

    @Test
    void limitsAreDeclaredAsDataWithTheirSources() {
        destination = open(Map.of("client_id", "c", "client_secret", "s", "daily_limit", "150000",
                "time_zone", "America/Los_Angeles", "bulk_threshold", "50"));
        RateLimits limits = destination.rateLimits();
        assertThat(limits.windows()).as("Salesforce has no short request window").isEmpty();
        assertThat(limits.maxConcurrency()).isEqualTo(25);
        assertThat(limits.dailyQuota()).as("a rolling 24 hours, whatever time_zone says")
                .contains(Quota.rolling24Hours(150_000));

        ObjectCapabilities contact = destination.object("Contact").orElseThrow();
        assertThat(contact.limits().maxRecords()).isEqualTo(200);
        assertThat(contact.bulk()).contains(new BulkLimits(50, new dev.ebb.spi.BatchLimits(10_000, 100L * 1024 * 1024)));
        assertThat(contact.match().fixed()).containsExactly("Id");
        assertThat(contact.readBack()).isTrue();
        assertThat(destination.object("Churn_Signal__c")).isPresent();
        assertThat(destination.object("ns__Churn_Signal__c")).isPresent();
        assertThat(destination.object("contacts")).isEmpty();
        assertThat(destination.object("Churn Signal__c")).isEmpty();
    }

    @Test
    void theAccountIdIsPerOrgAndUserWithoutSecrets() {
        Map<String, String> settings = new HashMap<>(jwtSettings("https://login.salesforce.com"));
        String id = open(settings).accountId();
        assertThat(id).startsWith("salesforce:https://login.salesforce.com#").doesNotContain("PRIVATE");
        settings.put("username", "someone-else@example.com");
        assertThat(open(settings).accountId()).isNotEqualTo(id);
        settings.put("instance_url", "https://acme.my.salesforce.com");
        assertThat(open(settings).accountId()).startsWith("salesforce:https://acme.my.salesforce.com#");
    }

    // ---- signing in ---------------------------------------------------------------------------------------

    @Test
    void theJwtAssertionIsSignedRs256WithTheDocumentedClaims() throws Exception {
        Clock fixed = Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);
        SalesforceSettings settings = SalesforceSettings.from("s", jwtSettings("https://test.salesforce.com"));
        String assertion = new SalesforceSession(settings, fixed).assertion();
        String[] parts = assertion.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)).isEqualTo("{\"alg\":\"RS256\"}");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.get("iss").asText()).isEqualTo(SalesforceSandbox.DEFAULT_CLIENT_ID);
        assertThat(claims.get("sub").asText()).isEqualTo(SalesforceSandbox.DEFAULT_USERNAME);
        assertThat(claims.get("aud").asText()).isEqualTo("https://test.salesforce.com");
        assertThat(claims.get("exp").asLong()).isEqualTo(Instant.parse("2026-03-02T09:03:00Z").getEpochSecond());
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(TestingKeys.TRUSTED.getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void oneSignInServesManyCallsUntilTheSessionEnds() throws Exception {
        onSandbox();
        Steps.complete(destination, batch(Operation.UPSERT, contacts(0, 2)));
        Steps.complete(destination, batch(Operation.UPSERT, contacts(2, 2)));
        destination.describe("Contact");
        assertThat(signIns()).isEqualTo(1);

        sandbox.expireSessions();
        assertThatThrownBy(() -> Steps.complete(destination, batch(Operation.UPSERT, contacts(4, 1))))
                .isInstanceOfSatisfying(TransientException.class, e -> assertThat(e.unreachable()).isFalse())
                .hasMessageContaining("INVALID_SESSION_ID");
        assertThat(byKey(Steps.complete(destination, batch(Operation.UPSERT, contacts(4, 1)))).get("row-4").accepted())
                .as("the repeated call signs in again").isTrue();
        assertThat(signIns()).isEqualTo(2);
    }

    @Test
    void clientCredentialsAndRefreshTokenFlowsSignInToo() throws Exception {
        sandbox = SalesforceDestinationContractTest.contactSandbox().build();
        sandbox.start();
        for (Map<String, String> settings : List.of(
                Map.of("client_id", SalesforceSandbox.DEFAULT_CLIENT_ID, "client_secret", SalesforceSandbox.DEFAULT_CLIENT_SECRET),
                Map.of("client_id", SalesforceSandbox.DEFAULT_CLIENT_ID, "refresh_token", SalesforceSandbox.DEFAULT_REFRESH_TOKEN))) {
            Map<String, String> all = new HashMap<>(settings);
            all.put("login_url", sandbox.baseUrl());
            try (Destination signedIn = open(all)) {
                assertThat(signedIn.describe("Contact").field("Customer_Key__c")).isPresent();
            }
        }
        Map<String, String> wrong = Map.of("client_id", SalesforceSandbox.DEFAULT_CLIENT_ID, "client_secret", "wrong",
                "login_url", sandbox.baseUrl());
        try (Destination refused = open(wrong)) {
            assertThatThrownBy(() -> refused.describe("Contact")).isInstanceOf(PermanentException.class)
                    .hasMessageContaining("invalid_client: invalid client credentials")
                    .hasMessageContaining("check client_id and client_secret");
        }
    }

    @Test
    void aTokenResponseWithoutAnInstanceIsPermanentAndUnknownErrorIsTransient() throws Exception {
        onScripted();
        scripted.answerToken(400, "{\"error\":\"unknown_error\",\"error_description\":\"retry your request\"}");
        assertThatThrownBy(() -> destination.describe("Contact")).isInstanceOf(TransientException.class);
        scripted.answerToken(200, "{\"access_token\":\"t\",\"instance_url\":\"\"}");
        assertThatThrownBy(() -> destination.describe("Contact")).isInstanceOf(PermanentException.class)
                .hasMessageContaining("instance_url");
    }

    // ---- classification -----------------------------------------------------------------------------------

    @Test
    void everyAnswerReportsTheDailyBudget() throws Exception {
        onSandbox(SalesforceDestinationContractTest.contactSandbox().dailyLimit(1_000), Map.of());
        WriteResult result = Steps.complete(destination, batch(Operation.UPSERT, contacts(0, 2)));
        assertThat(result.usage().dailyRemaining()).isEqualTo(1_000 - sandbox.apiRequestsUsed());
    }

    @Test
    void aSpentDailyAllocationIsADailyThrottleAndTheConcurrencyLimitIsNot() throws Exception {
        onSandbox(SalesforceDestinationContractTest.contactSandbox().dailyLimit(1), Map.of());
        Steps.complete(destination, batch(Operation.UPSERT, contacts(0, 1)));
        assertThatThrownBy(() -> Steps.complete(destination, batch(Operation.UPSERT, contacts(1, 1))))
                .isInstanceOfSatisfying(ThrottledException.class, e -> {
                    assertThat(e.dailyLimit()).isTrue();
                    assertThat(e.retryAfter()).isNull();
                }).hasMessageContaining("REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.");

        sandbox.resetLimits();
        sandbox.inject(dev.ebb.sandbox.Fault.throttle(1));
        assertThatThrownBy(() -> Steps.complete(destination, batch(Operation.UPSERT, contacts(1, 1))))
                .isInstanceOfSatisfying(ThrottledException.class, e -> assertThat(e.dailyLimit()).isFalse());
    }

    @Test
    void withoutAUsageHeaderTheLimitsNameDecides() throws Exception {
        onScripted();
        scripted.answer(403, "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]");
        scripted.answer(403, "[{\"message\":\"ConcurrentPerOrgLongTxn Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]");
        scripted.answer(SandboxResponse.text(502, "<html>Bad Gateway</html>"));
        scripted.answer(403, "[{\"message\":\"Insufficient access\",\"errorCode\":\"INSUFFICIENT_ACCESS\"}]");
        assertThatThrownBy(() -> destination.describe("Contact"))
                .isInstanceOfSatisfying(ThrottledException.class, e -> assertThat(e.dailyLimit()).isTrue());
        assertThatThrownBy(() -> destination.describe("Contact"))
                .isInstanceOfSatisfying(ThrottledException.class, e -> assertThat(e.dailyLimit()).isFalse());
        assertThatThrownBy(() -> destination.describe("Contact")).isInstanceOf(TransientException.class);
        assertThatThrownBy(() -> destination.describe("Contact")).isInstanceOf(PermanentException.class)
                .hasMessageContaining("INSUFFICIENT_ACCESS");
    }

    @Test
    void aRequestSalesforceCannotReadFailsTheCallPermanently() throws Exception {
        onSandbox();
        OutboundRecord bad = new OutboundRecord("row-1", "K-1", null, Map.of("LastName", "A", "Nope__c", "x"));
        assertThatThrownBy(() -> Steps.complete(destination, batch(Operation.UPSERT, List.of(bad))))
                .isInstanceOf(PermanentException.class).hasMessageContaining("INVALID_FIELD: No such column 'Nope__c'");
        OutboundRecord infinite = new OutboundRecord("row-2", "K-2", null, Map.of("LastName", "A",
                "Churn_Risk_Score__c", Double.POSITIVE_INFINITY));
        long before = apiCalls();
        assertThat(byKey(Steps.complete(destination, batch(Operation.UPSERT, List.of(infinite)))).get("row-2").reason())
                .contains("not a finite number");
        assertThat(apiCalls()).as("a record that cannot be sent costs no call").isEqualTo(before);
    }

    // ---- record locks -------------------------------------------------------------------------------------

    @Test
    void whenOnlyLocksRefusedRecordsTheIdempotentCallIsTransient() throws Exception {
        onSandbox();
        sandbox.lockNextRecords(1);
        assertThatThrownBy(() -> Steps.complete(destination, batch(Operation.UPSERT, contacts(0, 3))))
                .isInstanceOf(TransientException.class).hasMessageContaining("UNABLE_TO_LOCK_ROW");
        assertThat(byKey(Steps.complete(destination, batch(Operation.UPSERT, contacts(0, 3)))).values())
                .allMatch(RecordResult::accepted);
        assertThat(sandbox.recordCount("Contact")).as("repeating the upsert duplicates nothing").isEqualTo(3);
    }

    @Test
    void aLockAmongOtherRefusalsOrInACreateFailsThatRecordAlone() throws Exception {
        onSandbox();
        sandbox.lockNextRecords(1);
        Map<String, RecordResult> created = byKey(Steps.complete(destination, batch(Operation.CREATE, contacts(0, 3))));
        assertThat(created.get("row-0").reason()).startsWith("UNABLE_TO_LOCK_ROW: ");
        assertThat(created.get("row-0").status()).as("a lock is not the record's fault")
                .isEqualTo(RecordResult.Status.FAILED);
        assertThat(created.get("row-1").accepted()).isTrue();

        sandbox.lockNextRecords(1);
        Map<String, RecordResult> mixed = byKey(Steps.complete(destination, batch(Operation.UPSERT,
                List.of(contact(5, "Locked"), contact(6, null)))));
        assertThat(mixed.get("row-5").reason()).startsWith("UNABLE_TO_LOCK_ROW");
        assertThat(mixed.get("row-6").reason()).isEqualTo("REQUIRED_FIELD_MISSING: Required fields are missing: "
                + "[LastName] (fields: LastName)");
    }

    // ---- ids: update, delete, match on Id -----------------------------------------------------------------

    /**
     * The runtime's rate budget books one API call per start, resume, read and describe, so none may make two
     * (sign-ins aside: the token endpoint is not an API call). A synchronous write() that looped over the steps
     * itself, a lookup and then the write, made two requests the budget never saw.
     */
    @Test
    void everyCallIsOneApiRequestAndNoneLoopsOverTheSteps() throws Exception {
        onSandbox();
        assertThat(Arrays.stream(SalesforceDestination.class.getMethods()).map(Method::getName))
                .as("one write path: start and resume").doesNotContain("write");
        Steps.complete(destination, batch(Operation.UPSERT, contacts(0, 2)));
        List<OutboundRecord> updates = List.of(new OutboundRecord("row-0", "K-0", null, Map.of("Title", "CTO")),
                new OutboundRecord("row-1", "K-1", null, Map.of("Title", "CFO")));
        for (WriteBatch batch : List.of(batch(Operation.UPDATE, updates), batch(Operation.UPSERT, contacts(0, 201)))) {
            long calls = apiCalls();
            WriteStep step = destination.start(batch);
            assertThat(apiCalls() - calls).as("requests of start").isEqualTo(1);
            while (step instanceof WriteStep.Pending pending) {
                calls = apiCalls();
                step = destination.resume(pending);
                assertThat(apiCalls() - calls).as("requests of resume: " + pending.description()).isEqualTo(1);
            }
            assertThat(((WriteStep.Done) step).result().results()).allMatch(RecordResult::accepted);
        }
        long calls = apiCalls();
        destination.describe("Contact");
        destination.read("Contact", "Customer_Key__c", List.of("K-0", "K-1"), List.of("Title"));
        assertThat(apiCalls() - calls).as("requests of describe and read").isEqualTo(2);
        assertThat(sandbox.findRecord("Contact", "Customer_Key__c", "K-1").orElseThrow().text("Title")).contains("CFO");
    }

    @Test
    void anUpdateLooksUpUnknownIdsFirstAndNeverCreates() throws Exception {
        onSandbox();
        Map<String, RecordResult> seeded = byKey(Steps.complete(destination, batch(Operation.UPSERT, contacts(0, 2))));
        sandbox.clearRequests();

        OutboundRecord known = new OutboundRecord("row-0", "K-0", seeded.get("row-0").destinationId(),
                Map.of("Title", "CTO"));
        OutboundRecord unknownId = new OutboundRecord("row-1", "K-1", null, Map.of("Title", "CFO"));
        OutboundRecord missing = new OutboundRecord("row-9", "K-9", null, Map.of("Title", "X"));
        WriteStep first = destination.start(batch(Operation.UPDATE, List.of(known, unknownId, missing)));
        assertThat(first).isInstanceOf(WriteStep.Pending.class);
        assertThat(((WriteStep.Pending) first).after()).isZero();
        assertThat(sandbox.requests()).extracting(r -> r.path()).containsExactly("/services/data/v62.0/query");
        WriteStep done = destination.resume((WriteStep.Pending) first);
        Map<String, RecordResult> results = byKey(((WriteStep.Done) done).result());

        assertThat(results.get("row-0").accepted()).isTrue();
        assertThat(results.get("row-1").destinationId()).isEqualTo(seeded.get("row-1").destinationId());
        assertThat(results.get("row-9").reason()).isEqualTo("NOT_FOUND: no Contact has Customer_Key__c = K-9 "
                + "(an update never creates records)");
        assertThat(sandbox.findRecord("Contact", "Customer_Key__c", "K-1").orElseThrow().text("Title")).contains("CFO");
        assertThat(sandbox.recordCount("Contact")).isEqualTo(2);
        assertThat(sandbox.requests()).extracting(r -> r.method() + " " + r.path())
                .containsExactly("GET /services/data/v62.0/query", "PATCH /services/data/v62.0/composite/sobjects");

        sandbox.clearRequests();
        Steps.complete(destination, batch(Operation.UPDATE, List.of(known)));
        assertThat(sandbox.requests()).as("a known Id needs no lookup").hasSize(1);
    }

    @Test
    void aMatchValueSeveralRecordsHoldIsRefusedAsAmbiguous() throws Exception {
        onSandbox();
        sandbox.createRecord("Contact", Map.of("LastName", "One", "Email", "twin@example.com"));
        sandbox.createRecord("Contact", Map.of("LastName", "Two", "Email", "twin@example.com"));
        WriteResult result = Steps.complete(destination, new WriteBatch("Contact", Operation.UPDATE, "Email",
                List.of(new OutboundRecord("row-1", "twin@example.com", null, Map.of("Title", "X")))));
        assertThat(result.results().getFirst().reason()).startsWith("DUPLICATE_EXTERNAL_ID: 2 Contact records have Email");
    }

    @Test
    void matchedOnIdAnUpsertIsAnUpdateAndACreateIsRefused() throws Exception {
        onSandbox();
        String id = sandbox.createRecord("Contact", Map.of("LastName", "A")).id();
        WriteResult upsert = Steps.complete(destination, new WriteBatch("Contact", Operation.UPSERT, "Id",
                List.of(new OutboundRecord("row-1", id, null, Map.of("Title", "CEO")),
                        new OutboundRecord("row-2", "003000000000000AAA", null, Map.of("Title", "X")))));
        assertThat(byKey(upsert).get("row-1").accepted()).isTrue();
        assertThat(byKey(upsert).get("row-2").accepted()).isFalse();
        assertThat(sandbox.record("Contact", id).orElseThrow().text("Title")).contains("CEO");
        assertThat(sandbox.recordCount("Contact")).isEqualTo(1);

        long before = apiCalls();
        WriteResult create = Steps.complete(destination, new WriteBatch("Contact", Operation.CREATE, "Id",
                List.of(new OutboundRecord("row-3", "x", null, Map.of("LastName", "B")))));
        assertThat(create.results().getFirst().reason()).contains("Salesforce assigns Ids");
        assertThat(apiCalls()).isEqualTo(before);
    }

    @Test
    void deletesOfRecordsAlreadyGoneCountAsDone() throws Exception {
        onSandbox();
        Map<String, RecordResult> seeded = byKey(Steps.complete(destination, batch(Operation.UPSERT, contacts(0, 3))));
        String id0 = seeded.get("row-0").destinationId();
        OutboundRecord byId = new OutboundRecord("row-0", "K-0", id0, Map.of());
        OutboundRecord byValue = new OutboundRecord("row-1", "K-1", null, Map.of());
        OutboundRecord never = new OutboundRecord("row-7", "K-7", null, Map.of());
        Map<String, RecordResult> deleted = byKey(Steps.complete(destination, batch(Operation.DELETE, List.of(byId, byValue, never))));
        assertThat(deleted.values()).allMatch(RecordResult::accepted);
        assertThat(sandbox.recordCount("Contact")).isEqualTo(1);

        Map<String, RecordResult> again = byKey(Steps.complete(destination, batch(Operation.DELETE, List.of(byId))));
        assertThat(again.get("row-0").accepted()).as("ENTITY_IS_DELETED: gone already").isTrue();
    }

    // ---- Bulk API 2.0 -------------------------------------------------------------------------------------

    /** Runs a write to its end as the runner would, without waiting; returns every pending step on the way. */
    private List<WriteStep.Pending> drive(WriteBatch batch, WriteStep[] last) throws Exception {
        List<WriteStep.Pending> pendings = new java.util.ArrayList<>();
        long calls = apiCalls();
        WriteStep step = destination.start(batch);
        assertThat(apiCalls() - calls).as("start makes one call").isEqualTo(1);
        while (step instanceof WriteStep.Pending pending) {
            pendings.add(pending);
            calls = apiCalls();
            step = destination.resume(pending);
            assertThat(apiCalls() - calls).as("each resume makes one call: " + pending.description()).isEqualTo(1);
        }
        last[0] = step;
        return pendings;
    }

    @Test
    void aLargeUpsertGoesThroughABulkJobOneCallPerStep() throws Exception {
        onSandbox();
        List<OutboundRecord> records = new java.util.ArrayList<>(contacts(0, 300));
        records.set(150, contact(150, null));
        WriteStep[] last = new WriteStep[1];
        sandbox.clearRequests();
        List<WriteStep.Pending> pendings = drive(batch(Operation.UPSERT, records), last);

        assertThat(pendings).extracting(WriteStep.Pending::after).containsExactly(Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO);
        assertThat(pendings.get(2).description()).contains("Bulk job 750").contains("processing");
        String job = "/services/data/v62.0/jobs/ingest/" + sandbox.jobs().getFirst().get("id").asText();
        assertThat(sandbox.requests()).filteredOn(r -> r.path().startsWith("/services/data"))
                .extracting(r -> r.method() + " " + r.path()).containsExactly(
                "POST /services/data/v62.0/jobs/ingest",
                "PUT " + job + "/batches",
                "PATCH " + job,
                "GET " + job,
                "GET " + job,
                "GET " + job + "/successfulResults",
                "GET " + job + "/failedResults");

        Map<String, RecordResult> results = byKey(((WriteStep.Done) last[0]).result());
        assertThat(results).hasSize(300);
        assertThat(results.get("row-150").reason()).isEqualTo("REQUIRED_FIELD_MISSING: Required fields are missing: "
                + "[LastName] (fields: LastName)");
        SalesforceRecord stored = sandbox.findRecord("Contact", "Customer_Key__c", "K-299").orElseThrow();
        assertThat(results.get("row-299").destinationId()).isEqualTo(stored.id());
        assertThat(stored.value("Churn_Risk_Score__c")).contains(new BigDecimal("0.25"));
        assertThat(sandbox.recordCount("Contact")).isEqualTo(299);
        assertThat(sandbox.bulkBatchesUsed()).isEqualTo(1);
    }

    @Test
    void aLargeUpdateLooksUpIdsThenRunsAnUpdateJob() throws Exception {
        onSandbox();
        WriteStep[] last = new WriteStep[1];
        drive(batch(Operation.UPSERT, contacts(0, 240)), last);
        List<OutboundRecord> updates = IntStream.range(0, 250).mapToObj(n -> new OutboundRecord("row-" + n, "K-" + n,
                null, Map.of("Title", "T" + n))).toList();
        sandbox.clearRequests();
        drive(batch(Operation.UPDATE, updates), last);

        assertThat(sandbox.requests().getFirst().path()).isEqualTo("/services/data/v62.0/query");
        assertThat(sandbox.jobs().getLast().get("operation").asText()).isEqualTo("update");
        Map<String, RecordResult> results = byKey(((WriteStep.Done) last[0]).result());
        assertThat(results.values().stream().filter(RecordResult::accepted)).hasSize(240);
        assertThat(results.get("row-245").reason()).startsWith("NOT_FOUND");
        assertThat(sandbox.findRecord("Contact", "Customer_Key__c", "K-7").orElseThrow().text("Title")).contains("T7");
        assertThat(sandbox.recordCount("Contact")).isEqualTo(240);

        drive(batch(Operation.DELETE, updates.stream().map(r -> new OutboundRecord(r.key(), r.matchValue(), null,
                Map.of())).toList()), last);
        assertThat(byKey(((WriteStep.Done) last[0]).result()).values()).allMatch(RecordResult::accepted);
        assertThat(sandbox.recordCount("Contact")).isZero();
    }

    @Test
    void recordsOfAFailedJobAreAnsweredFailedWithTheJobsCountsSoTheyAreSentAgain() throws Exception {
        onSandbox(SalesforceDestinationContractTest.contactSandbox().bulkPolls(0), Map.of());
        List<OutboundRecord> records = IntStream.range(0, 201).mapToObj(n -> new OutboundRecord("row-" + n, "K-" + n,
                null, Map.of("LastName", "N", "Nope__c", "x"))).toList();
        WriteStep[] last = new WriteStep[1];
        sandbox.clearRequests();
        drive(batch(Operation.UPSERT, records), last);
        assertThat(((WriteStep.Done) last[0]).result().results()).hasSize(201).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RecordResult.Status.FAILED);
            assertThat(r.reason()).contains("ended Failed without processing this record");
        });
        assertThat(sandbox.requests().getLast().path()).endsWith("/unprocessedrecords");
    }

    @Test
    void aRepeatedCloseFindsTheJobClosedAndPolls() throws Exception {
        onSandbox();
        WriteStep step = destination.start(batch(Operation.UPSERT, contacts(0, 201)));
        step = destination.resume((WriteStep.Pending) step);
        WriteStep.Pending close = (WriteStep.Pending) step;
        assertThat(destination.resume(close)).isInstanceOf(WriteStep.Pending.class);
        WriteStep again = destination.resume(close);
        assertThat(((WriteStep.Pending) again).description()).contains("processing");
    }

    @Test
    void aJobThatNeverFinishesIsGivenUpAfterHours() throws Exception {
        onSandbox(SalesforceDestinationContractTest.contactSandbox().bulkPolls(1_000), Map.of());
        WriteBatch batch = batch(Operation.UPSERT, contacts(0, 201));
        WriteStep step = destination.start(batch);
        step = destination.resume((WriteStep.Pending) step);
        step = destination.resume((WriteStep.Pending) step);
        WriteStep.Pending poll = (WriteStep.Pending) step;
        Step.Poll state = (Step.Poll) poll.state();
        WriteStep.Pending late = new WriteStep.Pending(batch, new Step.Poll(state.plan(), state.jobId(), 400,
                BulkIngest.GIVE_UP_AFTER), Duration.ZERO, "late");
        WriteStep done = destination.resume(late);
        assertThat(((WriteStep.Done) done).result().results()).isEmpty();

        WriteStep next = destination.resume(poll);
        assertThat(((WriteStep.Pending) next).after()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void bulkErrorsReadLikeCollectionErrors() {
        assertThat(BulkIngest.bulkReason("REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"))
                .isEqualTo("REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (fields: LastName)");
        assertThat(BulkIngest.bulkReason("INVALID_EMAIL_ADDRESS:Email: invalid email address: x:Email --"))
                .isEqualTo("INVALID_EMAIL_ADDRESS: Email: invalid email address: x (fields: Email)");
        assertThat(BulkIngest.bulkReason("ENTITY_IS_DELETED:entity is deleted:--"))
                .isEqualTo("ENTITY_IS_DELETED: entity is deleted");
        assertThat(BulkIngest.bulkReason("")).isEqualTo("refused without a reason");
    }

    @Test
    void soqlLiteralsEscapeWhatSoqlEscapes() {
        assertThat(SalesforceDestination.soqlLiteral("O'Brien \\ \"x\"\n")).isEqualTo("'O\\'Brien \\\\ \\\"x\\\"\\n'");
    }

    // ---- read ---------------------------------------------------------------------------------------------

    @Test
    void readReturnsInstantsAsIso8601AndNumbersAsDecimals() throws Exception {
        onSandbox();
        OutboundRecord record = new OutboundRecord("row-1", "K-1", null, Map.of("LastName", "A",
                "Last_Seen_At__c", Instant.parse("2024-05-01T12:00:00.250Z"), "Churn_Risk_Score__c", new BigDecimal("0.5")));
        Steps.complete(destination, batch(Operation.UPSERT, List.of(record)));
        var read = destination.read("Contact", "Customer_Key__c", List.of("k-1"), List.of("Last_Seen_At__c",
                "Churn_Risk_Score__c", "FirstName"));
        assertThat(read).hasSize(1);
        assertThat(read.getFirst().matchValue()).as("answered with the value asked for").isEqualTo("k-1");
        assertThat(read.getFirst().fields()).containsEntry("Last_Seen_At__c", "2024-05-01T12:00:00.250Z")
                .containsEntry("Churn_Risk_Score__c", new BigDecimal("0.5")).containsEntry("FirstName", null);
        Optional<SalesforceRecord> stored = sandbox.findRecord("Contact", "Customer_Key__c", "K-1");
        assertThat(read.getFirst().destinationId()).isEqualTo(stored.orElseThrow().id());

        List<String> tooMany = IntStream.range(0, 201).mapToObj(n -> "K-" + n).toList();
        long before = apiCalls();
        assertThatThrownBy(() -> destination.read("Contact", "Customer_Key__c", tooMany, List.of("FirstName")))
                .as("a partial answer would make records look absent").isInstanceOf(PermanentException.class)
                .hasMessageContaining("read back in smaller chunks");
        assertThat(apiCalls()).isEqualTo(before);
    }
}
