package dev.ebb.connector.googleads;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.connector.support.Hashes;
import dev.ebb.sandbox.googleads.GoogleAdsSandbox;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;
import dev.ebb.testkit.ManualClock;
import dev.ebb.testkit.ScriptedServer;
import dev.ebb.testkit.Steps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the contract suite cannot see: membership converging, Google's statuses and error shapes, what is sent. */
class GoogleAdsDestinationTest {
    private static final String LIST = GoogleAdsSandbox.DEFAULT_USER_LIST;
    private static final String ACCOUNT = GoogleAdsSandbox.DEFAULT_ACCOUNT;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private GoogleAdsSandbox sandbox;
    private ScriptedServer scripted;
    private Destination destination;

    @AfterEach
    void close() {
        if (destination != null) destination.close();
        if (sandbox != null) sandbox.close();
        if (scripted != null) scripted.close();
    }

    private Destination onSandbox(Map<String, String> extra) throws Exception {
        sandbox = GoogleAdsSandbox.builder().clock(clock).processing(Duration.ofMinutes(10)).build();
        sandbox.start();
        Map<String, String> settings = new LinkedHashMap<>(GoogleAdsContractTest.sandboxSettings(sandbox));
        settings.putAll(extra);
        destination = open(settings);
        return destination;
    }

    private Destination onScript() throws Exception {
        scripted = new ScriptedServer();
        scripted.start();
        destination = open(Map.of("base_url", scripted.baseUrl(), "access_token", "ya29.test",
                "operating_account", "123-456-7890", "status_wait_seconds", "60"));
        return destination;
    }

    private Destination open(Map<String, String> settings) {
        return new GoogleAdsConnector().open(new ConnectorContext("ads", settings, Path.of("."), clock));
    }

    private static OutboundRecord row(String key, String email, String phone) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("email", email);
        fields.put("phone", phone);
        return new OutboundRecord(key, email, null, fields);
    }

    private Map<String, RecordResult> write(Operation operation, OutboundRecord... records) throws Exception {
        WriteResult result = Steps.complete(destination, new WriteBatch(LIST, operation, "email", List.of(records)),
                clock::advance);
        return result.results().stream().collect(Collectors.toMap(RecordResult::key, Function.identity()));
    }

    private int members() {
        return sandbox.memberCount(ACCOUNT, LIST);
    }

    @Test
    void addThenRemoveConverges() throws Exception {
        onSandbox(Map.of());
        OutboundRecord ada = row("1", "ada@example.com", "+16502530001");
        OutboundRecord bob = row("2", "bob@example.com", "+16502530002");
        OutboundRecord cy = row("3", "cy@example.com", "+16502530003");
        assertThat(write(Operation.UPSERT, ada, bob, cy).values()).allMatch(RecordResult::accepted);
        assertThat(members()).isEqualTo(3);

        // add_remove: a changed row is removed with the values last delivered, then added with its new ones.
        OutboundRecord bobMoved = row("2", "bob@example.com", "+16502530022");
        assertThat(write(Operation.DELETE, ada, bob).values()).allMatch(RecordResult::accepted);
        assertThat(write(Operation.UPSERT, bobMoved).values()).allMatch(RecordResult::accepted);

        assertThat(members()).isEqualTo(2);
        assertThat(sandbox.member(ACCOUNT, LIST, Hashes.sha256Hex("ada@example.com"))).isEmpty();
        assertThat(sandbox.member(ACCOUNT, LIST, Hashes.sha256Hex("+16502530002"))).as("bob's old phone").isEmpty();
        assertThat(sandbox.member(ACCOUNT, LIST, Hashes.sha256Hex("bob@example.com")).orElseThrow().phones())
                .containsExactly(Hashes.sha256Hex("+16502530022"));

        assertThat(write(Operation.DELETE, bobMoved, cy).values()).allMatch(RecordResult::accepted);
        assertThat(members()).as("every row removed: the list is empty again").isZero();
    }

    @Test
    void aWriteIsPendingUntilGoogleHasProcessedIt() throws Exception {
        onSandbox(Map.of("status_wait_seconds", "120"));
        WriteBatch batch = new WriteBatch(LIST, Operation.UPSERT, "email",
                List.of(row("1", "ada@example.com", "+16502530001")));
        Steps.Completed completed = Steps.drive(destination, batch, clock::advance);

        // Processing takes 10 minutes: 2, then 2 + 4, then 2 + 4 + 8 minutes later it is done.
        assertThat(completed.pending()).extracting(WriteStep.Pending::after)
                .containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8));
        assertThat(completed.pending().get(1).description()).contains("PROCESSING");
        assertThat(completed.result().results()).singleElement().satisfies(r -> {
            assertThat(r.accepted()).isTrue();
            assertThat(r.destinationId()).isEqualTo(Hashes.sha256Hex("ada@example.com"));
        });
    }

    @Test
    void invalidIdentifiersAreNeverSent() throws Exception {
        onScript();
        scripted.answerJson(200, "{\"requestId\":\"r-1\"}")
                .answerJson(200, "{\"requestStatusPerDestination\":[{\"requestStatus\":\"SUCCESS\"}]}");
        OutboundRecord bad = row("bad", "ada@example.com", "not a phone");
        OutboundRecord good = row("good", "bob@example.com", "+16502530002");

        Map<String, RecordResult> results = write(Operation.UPSERT, bad, good);

        assertThat(results.get("bad").status()).isEqualTo(RecordResult.Status.REJECTED);
        assertThat(results.get("bad").reason()).contains("phone").contains("not a phone");
        assertThat(results.get("good").accepted()).isTrue();
        JsonNode sent = scripted.body(0);
        assertThat(sent.path("audienceMembers")).hasSize(1);
        assertThat(sent.toString()).doesNotContain(Hashes.sha256Hex("ada@example.com")).doesNotContain("not a phone")
                .contains(Hashes.sha256Hex("bob@example.com"));
        assertThat(destination.problem(LIST, Map.of("phone", "not a phone"))).isPresent();
    }

    @Test
    void theRequestCarriesTheDestinationEncodingAndConsent() throws Exception {
        scripted = new ScriptedServer();
        scripted.start();
        destination = open(Map.of("base_url", scripted.baseUrl(), "access_token", "ya29.test",
                "operating_account", "123-456-7890", "login_account", "999-000-1111", "ad_user_data", "granted",
                "ad_personalization", "denied", "accept_terms", "true", "encoding", "base64"));
        scripted.answerJson(200, "{\"requestId\":\"r-1\"}");
        destination.start(new WriteBatch(LIST, Operation.UPSERT, "email", List.of(row("1", "ada@example.com", null),
                new OutboundRecord("2", "bob@example.com", null, Map.of("ad_user_data", "no")))));

        JsonNode body = scripted.lastBody();
        assertThat(scripted.received().getLast().path()).isEqualTo("/v1/audienceMembers:ingest");
        assertThat(scripted.received().getLast().header("Authorization")).contains("Bearer ya29.test");
        JsonNode dest = body.path("destinations").get(0);
        assertThat(dest.path("operatingAccount").path("accountId").asText()).isEqualTo("1234567890");
        assertThat(dest.path("loginAccount").path("accountId").asText()).isEqualTo("9990001111");
        assertThat(dest.path("productDestinationId").asText()).isEqualTo(LIST);
        assertThat(body.path("consent").path("adUserData").asText()).isEqualTo("CONSENT_GRANTED");
        assertThat(body.path("consent").path("adPersonalization").asText()).isEqualTo("CONSENT_DENIED");
        assertThat(body.path("termsOfService").path("customerMatchTermsOfServiceStatus").asText()).isEqualTo("ACCEPTED");
        assertThat(body.path("encoding").asText()).isEqualTo("BASE64");
        String email = body.path("audienceMembers").get(0).path("userData").path("userIdentifiers").get(0)
                .path("emailAddress").asText();
        assertThat(java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(email)))
                .isEqualTo(Hashes.sha256Hex("ada@example.com"));
        assertThat(body.path("audienceMembers").get(0).has("consent")).as("the request's consent applies").isFalse();
        assertThat(body.path("audienceMembers").get(1).path("consent").path("adUserData").asText())
                .isEqualTo("CONSENT_DENIED");
    }

    @Test
    void membersGoogleRefusesAreRejectedAndTheOthersSentAgain() throws Exception {
        onScript();
        scripted.answerJson(400, """
                {"error":{"code":400,"status":"INVALID_ARGUMENT","message":"There was a problem with the request.",
                 "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"INVALID_SHA256_FORMAT",
                             "domain":"datamanager.googleapis.com"},
                            {"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[
                             {"field":"audience_members[1].user_data.user_identifiers[0].email_address",
                              "reason":"INVALID_SHA256_FORMAT","description":"The SHA256 encoded value is malformed."}]}]}}""")
                .answerJson(200, "{\"requestId\":\"r-2\"}")
                .answerJson(200, "{\"requestStatusPerDestination\":[{\"requestStatus\":\"SUCCESS\"}]}");

        Map<String, RecordResult> results = write(Operation.UPSERT, row("a", "a@example.com", null),
                row("b", "b@example.com", null), row("c", "c@example.com", null));

        assertThat(results.get("b").status()).isEqualTo(RecordResult.Status.REJECTED);
        assertThat(results.get("b").reason()).contains("INVALID_SHA256_FORMAT");
        assertThat(results.get("a").accepted()).isTrue();
        assertThat(results.get("c").accepted()).isTrue();
        assertThat(scripted.body(1).path("audienceMembers")).as("sent again without b").hasSize(2);
    }

    @Test
    void aPartialSuccessLeavesEveryMemberFailedForTheNextRunAndAFailureRejectsThem() throws Exception {
        onScript();
        scripted.answerJson(200, "{\"requestId\":\"r-1\"}").answerJson(200, """
                {"requestStatusPerDestination":[{"requestStatus":"PARTIAL_SUCCESS","errorInfo":{"errorCounts":[
                 {"recordCount":"1","reason":"PROCESSING_ERROR_REASON_DENIED_CONSENT"}]}}]}""");
        Map<String, RecordResult> partial = write(Operation.UPSERT, row("a", "a@example.com", null),
                row("b", "b@example.com", null));
        assertThat(partial.values()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RecordResult.Status.FAILED);
            assertThat(r.reason()).contains("1 × PROCESSING_ERROR_REASON_DENIED_CONSENT").contains("r-1");
        });

        scripted.answerJson(200, "{\"requestId\":\"r-2\"}").answerJson(200, """
                {"requestStatusPerDestination":[{"requestStatus":"FAILED","errorInfo":{"errorCounts":[
                 {"recordCount":"2","reason":"PROCESSING_ERROR_REASON_DENIED_CONSENT"}]}}]}""");
        assertThat(write(Operation.UPSERT, row("a", "a@example.com", null)).get("a").status())
                .isEqualTo(RecordResult.Status.REJECTED);

        scripted.answerJson(200, "{\"requestId\":\"r-3\"}").answerJson(200, """
                {"requestStatusPerDestination":[{"requestStatus":"FAILED","errorInfo":{"errorCounts":[
                 {"recordCount":"1","reason":"PROCESSING_ERROR_REASON_INTERNAL_ERROR"}]}}]}""");
        assertThat(write(Operation.UPSERT, row("a", "a@example.com", null)).get("a").status())
                .as("Google's own failure may pass").isEqualTo(RecordResult.Status.FAILED);
    }

    @Test
    void deniedConsentFailsInTheSandboxAsItWouldAtGoogle() throws Exception {
        onSandbox(Map.of("ad_user_data", "denied"));
        RecordResult result = write(Operation.UPSERT, row("a", "a@example.com", null)).get("a");
        assertThat(result.status()).isEqualTo(RecordResult.Status.REJECTED);
        assertThat(result.reason()).contains("PROCESSING_ERROR_REASON_DENIED_CONSENT");
        assertThat(members()).isZero();
    }

    @Test
    void aMemberWhoseOwnConsentIsDeniedIsTheOneRejectedWhenGooglesCountsSaySo() throws Exception {
        onSandbox(Map.of());
        OutboundRecord denied = new OutboundRecord("d", "d@example.com", null,
                Map.of("email", "d@example.com", "ad_user_data", "denied"));
        Map<String, RecordResult> results = write(Operation.UPSERT, denied, row("a", "a@example.com", null));

        assertThat(results.get("d").status()).isEqualTo(RecordResult.Status.REJECTED);
        assertThat(results.get("d").reason()).contains("PROCESSING_ERROR_REASON_DENIED_CONSENT");
        assertThat(results.get("a").accepted()).isTrue();
        assertThat(sandbox.member(ACCOUNT, LIST, Hashes.sha256Hex("a@example.com"))).as("applied at Google").isPresent();
        assertThat(sandbox.member(ACCOUNT, LIST, Hashes.sha256Hex("d@example.com"))).isEmpty();
    }

    @Test
    void resourceExhaustedIsThrottledWithGooglesRetryInfoAndDailyQuotaName() throws Exception {
        onScript();
        scripted.answerJson(429, """
                {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"Quota exceeded.","details":[
                 {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com",
                  "metadata":{"quota_limit":"IngestionMutateRequestsPerDayPerProject"}},
                 {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"7.5s"}]}}""");
        WriteBatch batch = new WriteBatch(LIST, Operation.UPSERT, "email", List.of(row("a", "a@example.com", null)));
        assertThatThrownBy(() -> destination.start(batch)).isInstanceOfSatisfying(ThrottledException.class, e -> {
            assertThat(e.dailyLimit()).isTrue();
            assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(7_500));
            assertThat(e.getMessage()).contains("RATE_LIMIT_EXCEEDED");
        });
    }

    @Test
    void aTokenIsRenewedBeforeItExpires() throws Exception {
        onSandbox(Map.of());
        destination.describe(LIST); // signs in
        clock.advance(GoogleAdsSandbox.TOKEN_LIFESPAN.minusSeconds(30));
        WriteBatch batch = new WriteBatch(LIST, Operation.UPSERT, "email", List.of(row("a", "a@example.com", null)));
        assertThat(destination.start(batch)).isInstanceOf(WriteStep.Pending.class);
        assertThat(sandbox.requests().stream().filter(r -> r.path().equals("/token")).count()).isEqualTo(2);
    }

    @Test
    void aTokenGoogleCallsExpiredIsATransientFailureAndRenewedForTheNextTry() throws Exception {
        scripted = new ScriptedServer();
        scripted.start();
        destination = open(Map.of("base_url", scripted.baseUrl(), "token_url", scripted.baseUrl() + "/token",
                "client_id", "c", "client_secret", "s", "refresh_token", "r", "operating_account", "1"));
        String token = "{\"access_token\":\"%s\",\"expires_in\":3599,\"token_type\":\"Bearer\"}";
        scripted.answerJson(200, token.formatted("first")).answerJson(401, """
                {"error":{"code":401,"status":"UNAUTHENTICATED","message":"Request had invalid authentication credentials.",
                 "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_EXPIRED",
                  "domain":"googleapis.com"}]}}""")
                .answerJson(200, token.formatted("second")).answerJson(200, "{\"requestId\":\"r-1\"}");
        WriteBatch batch = new WriteBatch(LIST, Operation.UPSERT, "email", List.of(row("a", "a@example.com", null)));

        assertThatThrownBy(() -> destination.start(batch)).isInstanceOf(TransientException.class);
        assertThat(destination.start(batch)).isInstanceOf(WriteStep.Pending.class);
        assertThat(scripted.received().get(3).header("Authorization")).contains("Bearer second");
        assertThat(scripted.received().get(0).bodyText()).contains("grant_type=refresh_token")
                .contains("refresh_token=r");
    }

    @Test
    void anUnavailableGoogleIsTransient() throws Exception {
        onScript();
        scripted.answerJson(503, "{\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\",\"message\":\"The service is "
                + "currently unavailable.\"}}");
        WriteBatch batch = new WriteBatch(LIST, Operation.UPSERT, "email", List.of(row("a", "a@example.com", null)));
        assertThatThrownBy(() -> destination.start(batch)).isInstanceOf(TransientException.class)
                .hasMessageContaining("UNAVAILABLE");
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> open(Map.of("operating_account", "123")))
                .hasMessageContaining("refresh_token").hasMessageContaining("access_token");
        assertThatThrownBy(() -> open(Map.of("operating_account", "acme", "access_token", "t")))
                .hasMessageContaining("operating_account 'acme'");
        assertThatThrownBy(() -> open(Map.of("operating_account", "1", "refresh_token", "r")))
                .hasMessageContaining("client_id");
        assertThatThrownBy(() -> open(Map.of("operating_account", "1", "access_token", "t", "ad_user_data", "yes")))
                .hasMessageContaining("granted, denied");
    }
}
