package dev.ebb.connector.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.connector.support.Emails;
import dev.ebb.connector.support.Hashes;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.facebook.FacebookSandbox;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;
import dev.ebb.testkit.ScriptedServer;
import dev.ebb.testkit.Steps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the contract suite cannot show: audience membership at scale, replace sessions, and Meta's own answers. */
class FacebookDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUDIENCE = String.valueOf(FacebookSandbox.FIRST_AUDIENCE_ID);

    private FacebookSandbox sandbox;
    private ScriptedServer scripted;
    private Destination destination;

    @AfterEach
    void close() {
        if (destination != null) destination.close();
        if (sandbox != null) sandbox.close();
        if (scripted != null) scripted.close();
    }

    private Destination open(String baseUrl, String token) {
        Map<String, String> settings = Map.of("access_token", token, "ad_account_id", FacebookSandbox.DEFAULT_AD_ACCOUNT,
                "base_url", baseUrl, "default_phone_region", "US");
        return new FacebookConnector().open(new ConnectorContext("meta", settings, Path.of("."), Clock.systemUTC()));
    }

    private Destination onSandbox() throws IOException {
        sandbox = FacebookSandbox.builder().build();
        sandbox.start();
        return destination = open(sandbox.baseUrl(), FacebookSandbox.DEFAULT_TOKEN);
    }

    private Destination onScript() throws IOException {
        scripted = new ScriptedServer();
        scripted.start();
        return destination = open(scripted.baseUrl(), "scripted-token");
    }

    private static OutboundRecord person(int n) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("EMAIL", "Person" + n + "@Example.com");
        fields.put("FN", "Ann");
        fields.put("ZIP", "94025");
        return new OutboundRecord("row-" + n, "Person" + n + "@Example.com", null, fields);
    }

    private static String emailHash(int n) {
        return Hashes.sha256Hex(Emails.normalised("person" + n + "@example.com").orElseThrow());
    }

    /** Writes {@code records} in batches at the declared limit, as the runtime would; returns every result. */
    private Map<String, RecordResult> writeInBatches(Operation operation, List<OutboundRecord> records)
            throws DestinationException {
        int max = destination.object(AUDIENCE).orElseThrow().limits().maxRecords();
        Map<String, RecordResult> results = new LinkedHashMap<>();
        for (int from = 0; from < records.size(); from += max) {
            WriteBatch batch = new WriteBatch(AUDIENCE, operation, "EMAIL",
                    records.subList(from, Math.min(records.size(), from + max)));
            Steps.complete(destination, batch).results().forEach(r -> results.put(r.key(), r));
        }
        return results;
    }

    private long calls(String method, String edge) {
        return sandbox.requests().stream().filter(r -> r.method().equals(method) && r.path().endsWith("/" + edge)).count();
    }

    // ---- membership on the sandbox ------------------------------------------------------------------------

    @Test
    void whenHalfTheModelLeavesExactlyThatHalfIsRemovedInCeilKOverTenThousandCalls() throws Exception {
        onSandbox();
        // 10,001 leave: just over one call's worth, so the second call is the ceiling's.
        int total = 20_002;
        List<OutboundRecord> model = IntStream.range(0, total).mapToObj(FacebookDestinationTest::person).toList();
        assertThat(writeInBatches(Operation.UPSERT, model).values()).allMatch(RecordResult::accepted);
        assertThat(sandbox.memberCount(AUDIENCE)).isEqualTo(total);
        assertThat(calls("POST", "users")).as("ceil(20,002 / 10,000) adds").isEqualTo(3);

        // Every odd row leaves; add_remove's removals carry the values last delivered.
        List<OutboundRecord> leaving = model.stream().filter(r -> Integer.parseInt(r.key().substring(4)) % 2 == 1).toList();
        sandbox.clearRequests();
        Map<String, RecordResult> removed = writeInBatches(Operation.DELETE, leaving);

        int k = leaving.size();
        assertThat(calls("DELETE", "users")).as("ceil(" + k + " / 10,000) removals").isEqualTo((k + 9_999) / 10_000);
        assertThat(sandbox.requestCount()).isEqualTo((k + 9_999) / 10_000);
        assertThat(removed.values()).allMatch(RecordResult::accepted);
        assertThat(sandbox.memberCount(AUDIENCE)).isEqualTo(total - k);
        for (int n : new int[] {0, 1, 2, 3, 20_000, 20_001}) {
            assertThat(sandbox.member(AUDIENCE, "EMAIL", emailHash(n)).isPresent()).as("member " + n)
                    .isEqualTo(n % 2 == 0);
        }
    }

    @Test
    void theRemovedHalfIsGoneAndTheStayingHalfStays() throws Exception {
        onSandbox();
        List<OutboundRecord> model = IntStream.range(0, 10).mapToObj(FacebookDestinationTest::person).toList();
        writeInBatches(Operation.UPSERT, model);
        writeInBatches(Operation.DELETE, model.subList(5, 10));
        for (int n = 0; n < 10; n++) {
            assertThat(sandbox.member(AUDIENCE, "EMAIL", emailHash(n)).isPresent()).as("member " + n).isEqualTo(n < 5);
        }
    }

    @Test
    void invalidIdentifiersAreReportedBeforeTheRunAndNeverSent() throws Exception {
        onScript();
        Map<String, Object> badPhone = Map.of("EMAIL", "ok@example.com", "PHONE", "12");
        assertThat(destination.problem(AUDIENCE, badPhone)).hasValueSatisfying(p -> assertThat(p)
                .startsWith("PHONE ").doesNotContain("12"));
        assertThat(destination.problem(AUDIENCE, Map.of("EMAIL", "ok@example.com", "PHONE", "+1 650 555 1234"))).isEmpty();

        scripted.answerJson(200, "{\"audience_id\":\"" + AUDIENCE + "\",\"num_received\":2,\"num_invalid_entries\":0,"
                + "\"invalid_entry_samples\":{}}");
        List<OutboundRecord> records = List.of(person(1),
                new OutboundRecord("row-bad", "nobody", null, Map.of("EMAIL", "nobody", "FN", "Bo")), person(2));
        WriteResult result = Steps.complete(destination, new WriteBatch(AUDIENCE, Operation.UPSERT, "EMAIL", records));

        Map<String, RecordResult> byKey = byKey(result);
        assertThat(byKey.get("row-bad").status()).isEqualTo(RecordResult.Status.REJECTED);
        assertThat(byKey.get("row-bad").reason()).contains("not sent").contains("EMAIL is not an email address");
        assertThat(byKey.get("row-1").accepted()).isTrue();
        assertThat(byKey.get("row-1").destinationId()).isEqualTo(emailHash(1));
        JsonNode payload = payload(scripted.received().getFirst());
        assertThat(payload.path("data")).hasSize(2);
        assertThat(payload.path("schema").toString()).isEqualTo("[\"EMAIL\",\"FN\",\"ZIP\"]");
        assertThat(payload.toString()).doesNotContain("nobody").doesNotContain("Person1");
    }

    @Test
    void aReplaceIsASessionOfOneCallPerTenThousandAndLeavesExactlyTheModel() throws Exception {
        onSandbox();
        writeInBatches(Operation.UPSERT, IntStream.range(100_000, 100_050).mapToObj(FacebookDestinationTest::person).toList());
        List<OutboundRecord> model = IntStream.range(0, 20_001).mapToObj(FacebookDestinationTest::person).toList();
        WriteBatch replace = new WriteBatch(AUDIENCE, Operation.REPLACE, "EMAIL", model);
        assertThat(destination.object(AUDIENCE).orElseThrow().replace()).isPresent();
        sandbox.clearRequests();

        Steps.Completed done = Steps.drive(destination, replace, wait -> { });

        assertThat(done.calls()).isEqualTo(3);
        assertThat(sandbox.requestCount()).isEqualTo(3);
        assertThat(calls("POST", "usersreplace")).isEqualTo(3);
        assertThat(done.result().results()).hasSize(20_001).allMatch(RecordResult::accepted);
        assertThat(sandbox.memberCount(AUDIENCE)).as("the old members are dropped").isEqualTo(20_001);
        assertThat(sandbox.member(AUDIENCE, "EMAIL", emailHash(100_000))).isEmpty();
        assertThat(sandbox.member(AUDIENCE, "EMAIL", emailHash(20_000))).isPresent();
    }

    @Test
    void aReplaceStepSentAgainAfterALostAnswerStagesItsSliceOnce() throws Exception {
        onSandbox();
        List<OutboundRecord> model = IntStream.range(0, 10_001).mapToObj(FacebookDestinationTest::person).toList();
        WriteBatch replace = new WriteBatch(AUDIENCE, Operation.REPLACE, "EMAIL", model);
        WriteStep first = destination.start(replace);
        assertThat(first).isInstanceOf(WriteStep.Pending.class);
        assertThat(destination.start(replace)).as("start again: the same session, batch 1 again")
                .isInstanceOf(WriteStep.Pending.class);
        WriteStep.Pending pending = (WriteStep.Pending) first;
        assertThat(pending.after()).isEqualTo(Duration.ZERO);
        WriteStep done = destination.resume(pending);
        assertThat(done).isInstanceOf(WriteStep.Done.class);
        assertThat(((WriteStep.Done) done).result().results()).hasSize(10_001);
        assertThat(sandbox.memberCount(AUDIENCE)).isEqualTo(10_001);
        // The last step again (its answer lost): the same batch_seq, the same membership.
        assertThat(destination.resume(pending)).isInstanceOf(WriteStep.Done.class);
        assertThat(sandbox.memberCount(AUDIENCE)).isEqualTo(10_001);
        assertThat(sandbox.requests().stream().filter(r -> r.path().endsWith("/usersreplace")).count()).isEqualTo(4);
    }

    @Test
    void aFlaggedAudienceRefusesEditsWithAPermanentFailureThatSaysWhatToDo() throws Exception {
        onSandbox();
        sandbox.flag(AUDIENCE);
        WriteBatch batch = new WriteBatch(AUDIENCE, Operation.UPSERT, "EMAIL", List.of(person(1)));
        assertThatThrownBy(() -> destination.start(batch)).isInstanceOf(PermanentException.class)
                .hasMessageContaining("1713230").hasMessageContaining("Audience Manager");
    }

    @Test
    void describeRefusesAnAudienceOfAnotherAccountAndAnIdThatIsNotOne() throws Exception {
        onScript();
        scripted.answerJson(200, "{\"id\":\"" + AUDIENCE + "\",\"account_id\":\"999\",\"subtype\":\"CUSTOM\"}");
        assertThatThrownBy(() -> destination.describe(AUDIENCE)).isInstanceOf(PermanentException.class)
                .hasMessageContaining("act_999").hasMessageContaining("ad_account_id");
        assertThatThrownBy(() -> destination.describe("churn audience")).isInstanceOf(PermanentException.class)
                .hasMessageContaining("not a Meta audience id");
        assertThat(scripted.received()).hasSize(1);
        assertThat(scripted.received().getFirst().queryParam("fields")).hasValueSatisfying(f -> assertThat(f)
                .contains("account_id").contains("subtype"));
        assertThat(scripted.received().getFirst().header("Authorization")).contains("Bearer scripted-token");
    }

    // ---- Meta's answers -----------------------------------------------------------------------------------

    private DestinationException failureOf(int status, String error, Map<String, String> headers) throws Exception {
        if (destination == null) onScript();
        SandboxResponse response = ScriptedServer.json(status, "{\"error\":" + error + "}").withHeaders(headers);
        scripted.answer(response);
        WriteBatch batch = new WriteBatch(AUDIENCE, Operation.UPSERT, "EMAIL", List.of(person(1)));
        try {
            destination.start(batch);
        } catch (DestinationException e) {
            return e;
        }
        throw new AssertionError("no failure for " + error);
    }

    private static String graph(int code, int subcode, String message) {
        return "{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
                + (subcode == 0 ? "" : ",\"error_subcode\":" + subcode) + ",\"fbtrace_id\":\"AbC123\"}";
    }

    @Test
    void graphRateLimitCodesAreThrottlesWhateverTheStatus() throws Exception {
        for (int code : new int[] {4, 17, 32, 613, 80_000, 80_003, 80_014}) {
            for (int status : new int[] {400, 403}) {
                DestinationException e = failureOf(status, graph(code, 0, "limit reached"), Map.of());
                assertThat(e).as("code " + code + " on " + status).isInstanceOf(ThrottledException.class);
                assertThat(((ThrottledException) e).dailyLimit()).isFalse();
            }
        }
        assertThat(failureOf(400, graph(80_001 + 14, 0, "not a BUC code"), Map.of()))
                .isInstanceOf(PermanentException.class);
    }

    @Test
    void theWaitIsTheMinutesMetaEstimatesUntilAccessReturns() throws Exception {
        String buc = "{\"1234567890\":[{\"type\":\"custom_audience\",\"call_count\":100,\"total_cputime\":20,"
                + "\"total_time\":20,\"estimated_time_to_regain_access\":7}]}";
        DestinationException e = failureOf(400, graph(80_003, 2_446_079, "too many calls"),
                Map.of("X-Business-Use-Case-Usage", buc));
        assertThat(((ThrottledException) e).retryAfter()).isEqualTo(Duration.ofMinutes(7));
        assertThat(e.getMessage()).contains("80003").contains("fbtrace_id AbC123");
        DestinationException noHint = failureOf(400, graph(17, 0, "User request limit reached"), Map.of());
        assertThat(((ThrottledException) noHint).retryAfter()).isNull();
    }

    @Test
    void otherGraphErrorsAreClassifiedByCode() throws Exception {
        assertThat(failureOf(400, graph(190, 463, "Session has expired"), Map.of()))
                .isInstanceOf(PermanentException.class).hasMessageContaining("access token");
        assertThat(failureOf(403, graph(200, 0, "Permissions error"), Map.of()))
                .isInstanceOf(PermanentException.class).hasMessageContaining("permission");
        assertThat(failureOf(400, graph(10, 0, "Application does not have permission"), Map.of()))
                .isInstanceOf(PermanentException.class).hasMessageContaining("ads_management");
        assertThat(failureOf(400, graph(100, 33, "Unsupported post request"), Map.of()))
                .isInstanceOf(PermanentException.class).hasMessageContaining("audience id");
        assertThat(failureOf(500, graph(2, 0, "Service temporarily unavailable"), Map.of()))
                .isInstanceOf(TransientException.class);
        assertThat(failureOf(400, graph(1, 0, "An unknown error occurred"), Map.of()))
                .isInstanceOf(TransientException.class);
        assertThat(failureOf(400, "{\"message\":\"odd\",\"code\":9999,\"is_transient\":true}", Map.of()))
                .isInstanceOf(TransientException.class);
    }

    @Test
    void sampledInvalidEntriesAreRejectedAndTheUnnamedOnesLeftFailedNotGuessedDelivered() throws Exception {
        onScript();
        List<OutboundRecord> records = List.of(person(1), person(2), person(3));
        scripted.answerJson(200, "{\"audience_id\":\"" + AUDIENCE + "\",\"num_received\":3,\"num_invalid_entries\":1,"
                + "\"invalid_entry_samples\":{\"" + emailHash(2) + "\":\"Invalid EMAIL hash\"}}");
        Map<String, RecordResult> named = byKey(Steps.complete(destination,
                new WriteBatch(AUDIENCE, Operation.UPSERT, "EMAIL", records)));
        assertThat(named.get("row-2").status()).isEqualTo(RecordResult.Status.REJECTED);
        assertThat(named.get("row-2").reason()).contains("Invalid EMAIL hash");
        assertThat(named.get("row-1").accepted()).isTrue();
        assertThat(named.get("row-3").accepted()).isTrue();

        scripted.answerJson(200, "{\"audience_id\":\"" + AUDIENCE + "\",\"num_received\":3,\"num_invalid_entries\":2,"
                + "\"invalid_entry_samples\":{\"" + emailHash(2) + "\":\"Invalid EMAIL hash\"}}");
        Map<String, RecordResult> unnamed = byKey(Steps.complete(destination,
                new WriteBatch(AUDIENCE, Operation.UPSERT, "EMAIL", records)));
        assertThat(unnamed.get("row-2").status()).isEqualTo(RecordResult.Status.REJECTED);
        assertThat(unnamed.get("row-1").status()).isEqualTo(RecordResult.Status.FAILED);
        assertThat(unnamed.get("row-3").status()).isEqualTo(RecordResult.Status.FAILED);
    }

    @Test
    void usageHeadersBecomeCallsLeftInTheHour() throws Exception {
        onScript();
        String buc = "{\"1234567890\":[{\"type\":\"custom_audience\",\"call_count\":40,\"total_cputime\":10,"
                + "\"total_time\":60,\"estimated_time_to_regain_access\":0}]}";
        scripted.answer(ScriptedServer.json(200, "{\"num_received\":1,\"num_invalid_entries\":0}")
                .withHeader("X-Business-Use-Case-Usage", buc)
                .withHeader("X-App-Usage", "{\"call_count\":5,\"total_cputime\":5,\"total_time\":5}"));
        WriteResult result = Steps.complete(destination, new WriteBatch(AUDIENCE, Operation.UPSERT, "EMAIL",
                List.of(person(1))));
        assertThat(result.usage().windowRemaining()).as("60% spent of 5,000 an hour").isEqualTo(2_000);
        assertThat(result.usage().window()).isEqualTo(Duration.ofHours(1));
        assertThat(destination.rateLimits().windows().getFirst().requests()).isEqualTo(5_000);
    }

    @Test
    void settingsAreCheckedWhenTheConnectionOpens() {
        FacebookConnector connector = new FacebookConnector();
        Function<Map<String, String>, String> problem = settings -> {
            try {
                connector.open(new ConnectorContext("meta", settings, Path.of("."), Clock.systemUTC())).close();
                return "";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        };
        assertThat(problem.apply(Map.of("access_token", "t", "ad_account_id", "1234-5678")))
                .contains("ad_account_id").contains("act_");
        assertThat(problem.apply(Map.of("access_token", "t", "ad_account_id", "act_1", "api_version", "25")))
                .contains("api_version");
        assertThat(problem.apply(Map.of("access_token", "t", "ad_account_id", "act_1", "default_phone_region", "ZZ")))
                .contains("default_phone_region");
        assertThat(problem.apply(Map.of("access_token", "t", "ad_account_id", "1"))).isEmpty();
    }

    private static Map<String, RecordResult> byKey(WriteResult result) {
        return result.results().stream().collect(Collectors.toMap(RecordResult::key, r -> r));
    }

    private static JsonNode payload(SandboxRequest request) throws IOException {
        String text = SandboxRequest.parseQuery(request.bodyText()).get("payload").getFirst();
        return JSON.readTree(text);
    }
}
