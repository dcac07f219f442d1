package dev.ebb.sandbox.marketo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.SandboxProvider;
import dev.ebb.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox against Marketo's documented behaviour, over raw HTTP. */
class MarketoSandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    // 09:00 in Chicago (CST, UTC-6).
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private MarketoSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) sandbox.close();
        client.close();
    }

    private MarketoSandbox start(Consumer<MarketoSandbox.Builder> configure) throws IOException {
        MarketoSandbox.Builder builder = MarketoSandbox.builder().clock(clock)
                .field("churnRiskScore", "float")
                .field("accountCode", "string")
                .field("seats", "integer");
        configure.accept(builder);
        sandbox = builder.build();
        sandbox.start();
        return sandbox;
    }

    private MarketoSandbox start() throws IOException {
        return start(b -> { });
    }

    private record Answer(int status, JsonNode body, String text) {
        JsonNode result(int i) {
            return body.path("result").path(i);
        }

        String errorCode() {
            return body.path("errors").path(0).path("code").asText(null);
        }

        String errorMessage() {
            return body.path("errors").path(0).path("message").asText(null);
        }

        String reason(int i) {
            JsonNode reason = result(i).path("reasons").path(0);
            return reason.path("code").asText() + " " + reason.path("message").asText();
        }
    }

    private Answer send(HttpRequest request) throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            body = JSON.createObjectNode();
        }
        return new Answer(response.statusCode(), body, response.body());
    }

    private Answer identity(String clientId, String secret) throws Exception {
        String query = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret);
        return send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/identity/oauth/token?" + query)).GET()
                .build());
    }

    private String token() throws Exception {
        Answer answer = identity(MarketoSandbox.DEFAULT_CLIENT_ID, MarketoSandbox.DEFAULT_CLIENT_SECRET);
        assertThat(answer.status()).isEqualTo(200);
        return answer.body().path("access_token").asText();
    }

    private Answer get(String token, String pathAndQuery) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + pathAndQuery)).GET();
        if (token != null) request.header("Authorization", "Bearer " + token);
        return send(request.build());
    }

    private Answer post(String token, String path, Object body) throws Exception {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    private Answer sync(String token, String action, String lookupField, Map<?, ?>... leads) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("action", action);
        if (lookupField != null) body.put("lookupField", lookupField);
        ArrayNode input = body.putArray("input");
        for (Map<?, ?> lead : leads) input.add(JSON.valueToTree(lead));
        return post(token, "/rest/v1/leads.json", body);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    // ---- identity -----------------------------------------------------------------------------------------

    @Test
    void identityIssuesAnHourLongTokenAndHandsItBackUntilItExpires() throws Exception {
        start();
        Answer first = identity(MarketoSandbox.DEFAULT_CLIENT_ID, MarketoSandbox.DEFAULT_CLIENT_SECRET);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("token_type").asText()).isEqualTo("bearer");
        assertThat(first.body().path("expires_in").asLong()).isEqualTo(3599);
        assertThat(first.body().path("scope").asText()).isEqualTo(MarketoSandbox.DEFAULT_SCOPE);
        String token = first.body().path("access_token").asText();

        clock.advance(Duration.ofSeconds(1_000));
        Answer again = identity(MarketoSandbox.DEFAULT_CLIENT_ID, MarketoSandbox.DEFAULT_CLIENT_SECRET);
        assertThat(again.body().path("access_token").asText()).as("the same token").isEqualTo(token);
        assertThat(again.body().path("expires_in").asLong()).as("its remaining lifespan").isEqualTo(2_599);

        clock.advance(Duration.ofSeconds(2_600));
        Answer renewed = identity(MarketoSandbox.DEFAULT_CLIENT_ID, MarketoSandbox.DEFAULT_CLIENT_SECRET);
        assertThat(renewed.body().path("access_token").asText()).isNotEqualTo(token);
        assertThat(renewed.body().path("expires_in").asLong()).isEqualTo(3599);
    }

    @Test
    void identityRefusesUnknownClientsBadSecretsAndOtherGrants() throws Exception {
        start();
        Answer unknown = identity("nobody", "x");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body().path("error").asText()).isEqualTo("unauthorized");
        assertThat(unknown.body().path("error_description").asText()).isEqualTo("No client with requested id: nobody");

        Answer badSecret = identity(MarketoSandbox.DEFAULT_CLIENT_ID, "wrong");
        assertThat(badSecret.status()).isEqualTo(401);
        assertThat(badSecret.body().path("error").asText()).isEqualTo("invalid_client");
        assertThat(badSecret.body().path("error_description").asText()).isEqualTo("Bad client credentials");

        Answer grant = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/identity/oauth/token?grant_type="
                + "password&client_id=" + MarketoSandbox.DEFAULT_CLIENT_ID + "&client_secret="
                + MarketoSandbox.DEFAULT_CLIENT_SECRET)).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(grant.status()).isEqualTo(400);
        assertThat(grant.body().path("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void identityCallsCountAgainstNoLimit() throws Exception {
        start(b -> b.perTwentySeconds(2).daily(2));
        for (int i = 0; i < 5; i++) token();
        String token = token();
        assertThat(get(token, "/rest/v1/leads/describe.json").body().path("success").asBoolean()).isTrue();
        assertThat(get(token, "/rest/v1/leads/describe.json").body().path("success").asBoolean()).isTrue();
        assertThat(sandbox.callsToday()).isEqualTo(2);
    }

    @Test
    void restCallsNeedAValidUnexpiredTokenAndSayWhyInA200() throws Exception {
        start();
        Answer missing = get(null, "/rest/v1/leads/describe.json");
        assertThat(missing.status()).isEqualTo(200);
        assertThat(missing.body().path("success").asBoolean()).isFalse();
        assertThat(missing.errorCode()).isEqualTo("600");

        Answer invalid = get("not-a-token", "/rest/v1/leads/describe.json");
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.errorCode()).isEqualTo("601");
        assertThat(invalid.errorMessage()).isEqualTo("Access token invalid");

        String token = token();
        Answer byQuery = get(null, "/rest/v1/leads/describe.json?access_token=" + enc(token));
        assertThat(byQuery.body().path("success").asBoolean()).as("the older access_token parameter").isTrue();

        clock.advance(Duration.ofSeconds(3_600));
        Answer expired = get(token, "/rest/v1/leads/describe.json");
        assertThat(expired.errorCode()).isEqualTo("602");
        assertThat(expired.errorMessage()).isEqualTo("Access token expired");
        assertThat(sandbox.callsToday()).as("refused calls are not counted").isEqualTo(1);
    }

    @Test
    void tokensCanBeExpiredOrRevokedOnPurpose() throws Exception {
        start();
        String token = token();
        sandbox.expireTokens();
        assertThat(get(token, "/rest/v1/leads/describe.json").errorCode()).isEqualTo("602");
        String fresh = token();
        assertThat(fresh).isNotEqualTo(token);
        sandbox.revokeTokens();
        assertThat(get(fresh, "/rest/v1/leads/describe.json").errorCode()).isEqualTo("601");
    }

    // ---- Sync Leads ---------------------------------------------------------------------------------------

    @Test
    void createOrUpdateCreatesThenUpdatesAndAnswersInInputOrder() throws Exception {
        start();
        String token = token();
        Answer created = sync(token, "createOrUpdate", "email",
                Map.of("email", "ada@example.com", "firstName", "Ada", "churnRiskScore", 0.25),
                Map.of("email", "grace@example.com", "firstName", "Grace"));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body().path("success").asBoolean()).isTrue();
        assertThat(created.body().path("requestId").asText()).contains("#");
        assertThat(created.result(0).path("status").asText()).isEqualTo("created");
        assertThat(created.result(1).path("status").asText()).isEqualTo("created");
        long ada = created.result(0).path("id").asLong();

        Answer updated = sync(token, "createOrUpdate", null,
                Map.of("email", "ADA@example.com", "churnRiskScore", "0.75"));
        assertThat(updated.result(0).path("status").asText()).as("email matches without regard to case")
                .isEqualTo("updated");
        assertThat(updated.result(0).path("id").asLong()).isEqualTo(ada);
        MarketoLead lead = sandbox.lead(ada).orElseThrow();
        assertThat(lead.value("churnRiskScore")).contains("0.75");
        assertThat(lead.value("firstName")).contains("Ada");
        assertThat(sandbox.leadCount()).isEqualTo(2);
    }

    @Test
    void createOnlyUpdateOnlyAndDuplicatesAnswerPerRecord() throws Exception {
        start();
        String token = token();
        sync(token, "createOrUpdate", "email", Map.of("email", "ada@example.com"));

        Answer createOnly = sync(token, "createOnly", "email", Map.of("email", "ada@example.com"),
                Map.of("email", "new@example.com"));
        assertThat(createOnly.reason(0)).isEqualTo("1005 Lead already exists");
        assertThat(createOnly.result(0).path("status").asText()).isEqualTo("skipped");
        assertThat(createOnly.result(1).path("status").asText()).isEqualTo("created");

        Answer updateOnly = sync(token, "updateOnly", "email", Map.of("email", "nobody@example.com", "firstName", "X"),
                Map.of("email", "ada@example.com", "firstName", "Ada"));
        assertThat(updateOnly.reason(0)).isEqualTo("1004 Lead not found");
        assertThat(updateOnly.result(1).path("status").asText()).isEqualTo("updated");
        assertThat(sandbox.findLeadByEmail("nobody@example.com")).as("updateOnly creates nothing").isEmpty();

        Answer duplicate = sync(token, "createDuplicate", null, Map.of("email", "ada@example.com"));
        assertThat(duplicate.result(0).path("status").asText()).isEqualTo("created");
        Answer ambiguous = sync(token, "createOrUpdate", null, Map.of("email", "ada@example.com", "firstName", "Y"));
        assertThat(ambiguous.reason(0)).isEqualTo("1007 Multiple leads match the lookup criteria");
    }

    @Test
    void invalidRecordsAreSkippedWithMarketosCodesAndTheRestWritten() throws Exception {
        start();
        String token = token();
        Answer answer = sync(token, "createOrUpdate", "email",
                Map.of("email", "a@example.com", "seats", "lots"),
                Map.of("email", "b@example.com", "favouriteColour", "red"),
                Map.of("firstName", "No Email"),
                Map.of("email", "c@example.com", "id", 5),
                Map.of("email", "d@example.com", "createdAt", "2024-01-01T00:00:00Z"),
                Map.of("email", "e@example.com", "seats", 12));
        assertThat(answer.reason(0)).isEqualTo("1001 Invalid value 'lots'. Required of type 'integer'");
        assertThat(answer.reason(1)).isEqualTo("1006 Field 'favouriteColour' not found");
        assertThat(answer.reason(2)).isEqualTo("1003 Value for lookup field 'email' not found");
        assertThat(answer.reason(3)).as("id only with updateOnly").startsWith("1003 Invalid data");
        assertThat(answer.reason(4)).startsWith("1003 ").contains("read-only");
        assertThat(answer.result(5).path("status").asText()).isEqualTo("created");
        assertThat(sandbox.leadCount()).isEqualTo(1);
        assertThat(sandbox.findLeadByEmail("e@example.com").orElseThrow().value("seats")).contains("12");
    }

    @Test
    void theLookupFieldMustBeASearchableField() throws Exception {
        start();
        String token = token();
        assertThat(sync(token, "createOrUpdate", "firstName", Map.of("firstName", "Ada")).reason(0))
                .isEqualTo("1011 Field 'firstName' not supported");
        assertThat(sync(token, "createOrUpdate", "shoeSize", Map.of("email", "a@example.com")).reason(0))
                .isEqualTo("1006 Field 'shoeSize' not found");
        assertThat(sync(token, "createOrUpdate", "id", Map.of("id", 1)).reason(0)).startsWith("1003");

        Answer custom = sync(token, "createOrUpdate", "accountCode", Map.of("accountCode", "A-1", "email", "x@example.com"));
        assertThat(custom.result(0).path("status").asText()).as("a custom string field").isEqualTo("created");
        long id = custom.result(0).path("id").asLong();
        Answer again = sync(token, "createOrUpdate", "accountCode", Map.of("accountCode", "a-1", "firstName", "X"));
        assertThat(again.result(0).path("id").asLong()).isEqualTo(id);
        Answer byId = sync(token, "updateOnly", "id", Map.of("id", id, "lastName", "Y"));
        assertThat(byId.result(0).path("status").asText()).isEqualTo("updated");
        assertThat(sandbox.lead(id).orElseThrow().value("lastName")).contains("Y");
    }

    @Test
    void nullOrEmptyClearsAField() throws Exception {
        start();
        String token = token();
        sync(token, "createOrUpdate", "email", Map.of("email", "a@example.com", "firstName", "Ada", "seats", 3));
        ObjectNode body = JSON.createObjectNode().put("action", "updateOnly");
        body.putArray("input").addObject().put("email", "a@example.com").putNull("firstName").put("seats", "");
        assertThat(post(token, "/rest/v1/leads.json", body).result(0).path("status").asText()).isEqualTo("updated");
        MarketoLead lead = sandbox.findLeadByEmail("a@example.com").orElseThrow();
        assertThat(lead.value("firstName")).isEmpty();
        assertThat(lead.value("seats")).isEmpty();
    }

    @Test
    void valuesAreStoredTheWayMarketosTypesTakeThem() throws Exception {
        start(b -> b.field("lastSeenAt", "datetime").field("vip", "boolean").field("renewal", "date"));
        String token = token();
        Answer answer = sync(token, "createOrUpdate", "email", Map.of("email", "a@example.com",
                "lastSeenAt", "2024-05-07T15:41:32.789-05:00", "vip", "TRUE", "renewal", "2024-02-29",
                "churnRiskScore", "1.50"));
        assertThat(answer.result(0).path("status").asText()).isEqualTo("created");
        MarketoLead lead = sandbox.findLeadByEmail("a@example.com").orElseThrow();
        assertThat(lead.value("lastSeenAt")).contains("2024-05-07T20:41:32Z");
        assertThat(lead.value("vip")).contains("true");
        assertThat(lead.value("renewal")).contains("2024-02-29");
        assertThat(sync(token, "createOrUpdate", "email", Map.of("email", "b@example.com", "renewal", "29/02/2024"))
                .reason(0)).isEqualTo("1001 Invalid value '29/02/2024'. Required of type 'date'");
        assertThat(sync(token, "createOrUpdate", "email", Map.of("email", "not-an-address")).reason(0))
                .isEqualTo("1001 Invalid value 'not-an-address'. Required of type 'email'");
    }

    @Test
    void wholeCallsAreRefusedWithResponseLevelCodesAndNotCounted() throws Exception {
        start();
        String token = token();
        List<Map<String, String>> many = new ArrayList<>();
        for (int i = 0; i < 301; i++) many.add(Map.of("email", "l" + i + "@example.com"));
        Answer tooMany = post(token, "/rest/v1/leads.json", Map.of("input", many));
        assertThat(tooMany.status()).isEqualTo(200);
        assertThat(tooMany.errorCode()).isEqualTo("1003");
        assertThat(sandbox.leadCount()).isZero();

        assertThat(post(token, "/rest/v1/leads.json", Map.of("input", List.of())).errorCode()).isEqualTo("701");
        assertThat(post(token, "/rest/v1/leads.json", "{\"input\": [").errorCode()).isEqualTo("609");
        assertThat(send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/rest/v1/leads.json"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).errorCode()).isEqualTo("612");
        assertThat(get(token, "/rest/v1/nothing.json").errorCode()).isEqualTo("610");
        assertThat(get(token, "/rest/v1/leads/delete.json").errorCode()).isEqualTo("605");
        assertThat(post(token, "/rest/v1/leads.json", Map.of("action", "upsert", "input", List.of(Map.of("email",
                "a@example.com")))).errorCode()).isEqualTo("1003");
        assertThat(sandbox.callsToday()).as("response-level errors are not counted").isZero();
    }

    @Test
    void bodiesOverOneMegabyteAre413AndUrisOverEightKilobytes414() throws Exception {
        start();
        String token = token();
        Answer big = post(token, "/rest/v1/leads.json", Map.of("input",
                List.of(Map.of("email", "a@example.com", "address", "x".repeat(MarketoSandbox.MAX_BODY_BYTES)))));
        assertThat(big.status()).isEqualTo(413);
        String values = String.join(",", java.util.Collections.nCopies(300, "someone.with.a.long.name@example.com"));
        Answer longUri = get(token, "/rest/v1/leads.json?filterType=email&filterValues=" + enc(values));
        assertThat(longUri.status()).isEqualTo(414);
        assertThat(sandbox.leadCount()).isZero();
    }

    // ---- reading, describing, deleting --------------------------------------------------------------------

    @Test
    void getLeadsByFilterTypeReturnsDefaultOrRequestedFieldsAndPages() throws Exception {
        start();
        String token = token();
        sync(token, "createOrUpdate", "email", Map.of("email", "a@example.com", "firstName", "A", "seats", 3),
                Map.of("email", "b@example.com", "firstName", "B"), Map.of("email", "c@example.com"));

        Answer defaults = get(token, "/rest/v1/leads.json?filterType=email&filterValues=A@example.com,b@example.com");
        assertThat(defaults.body().path("result")).hasSize(2);
        JsonNode first = defaults.result(0);
        assertThat(first.path("email").asText()).isEqualTo("a@example.com");
        assertThat(first.has("id") && first.has("createdAt") && first.has("updatedAt")).isTrue();
        assertThat(first.has("seats")).as("not a default field").isFalse();

        Answer chosen = get(token, "/rest/v1/leads.json?filterType=email&filterValues=a@example.com&fields=email,seats");
        assertThat(chosen.result(0).path("seats").asLong()).isEqualTo(3);
        assertThat(get(token, "/rest/v1/leads.json?filterType=email&filterValues=a@example.com&fields=email,bogus")
                .errorMessage()).isEqualTo("Invalid fields [bogus]");
        assertThat(get(token, "/rest/v1/leads.json?filterType=lastName&filterValues=X").errorCode()).isEqualTo("1011");
        assertThat(get(token, "/rest/v1/leads.json?filterType=email&filterValues=zz@example.com").body()
                .path("result")).isEmpty();

        Answer page = get(token, "/rest/v1/leads.json?filterType=email&filterValues=a@example.com,b@example.com,"
                + "c@example.com&batchSize=2");
        assertThat(page.body().path("result")).hasSize(2);
        assertThat(page.body().path("moreResult").asBoolean()).isTrue();
        Answer next = get(token, "/rest/v1/leads.json?filterType=email&filterValues=a@example.com,b@example.com,"
                + "c@example.com&batchSize=2&nextPageToken=" + enc(page.body().path("nextPageToken").asText()));
        assertThat(next.body().path("result")).hasSize(1);

        Answer viaPost = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/rest/v1/leads.json?_method=GET"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("filterType=email&filterValues=" + enc("b@example.com")))
                .build());
        assertThat(viaPost.result(0).path("firstName").asText()).isEqualTo("B");
        assertThat(sandbox.leadCount()).as("_method=GET reads, never syncs").isEqualTo(3);
    }

    @Test
    void describeListsFieldsWithTypesAndDescribe2TheSearchableOnes() throws Exception {
        start();
        String token = token();
        Answer describe = get(token, "/rest/v1/leads/describe.json");
        JsonNode email = null;
        JsonNode createdAt = null;
        for (JsonNode field : describe.body().path("result")) {
            if (field.path("rest").path("name").asText().equals("email")) email = field;
            if (field.path("rest").path("name").asText().equals("createdAt")) createdAt = field;
        }
        assertThat(email).isNotNull();
        assertThat(email.path("dataType").asText()).isEqualTo("email");
        assertThat(email.path("length").asInt()).isEqualTo(255);
        assertThat(email.path("id").isInt()).isTrue();
        assertThat(email.path("displayName").asText()).isEqualTo("Email Address");
        assertThat(createdAt.path("rest").path("readOnly").asBoolean()).isTrue();

        Answer describe2 = get(token, "/rest/v1/leads/describe2.json");
        List<String> searchable = new ArrayList<>();
        describe2.result(0).path("searchableFields").forEach(key -> searchable.add(key.get(0).asText()));
        assertThat(searchable).contains("email", "id", "accountCode", "seats").doesNotContain("firstName",
                "churnRiskScore");
        assertThat(describe2.result(0).path("fields").size()).isEqualTo(describe.body().path("result").size());
    }

    @Test
    void deleteLeadsDeletesByIdAndSkipsUnknownIdsWith1004() throws Exception {
        start();
        String token = token();
        Answer created = sync(token, "createOrUpdate", "email", Map.of("email", "a@example.com"),
                Map.of("email", "b@example.com"));
        long a = created.result(0).path("id").asLong();
        long b = created.result(1).path("id").asLong();
        Answer deleted = post(token, "/rest/v1/leads/delete.json",
                Map.of("input", List.of(Map.of("id", a), Map.of("id", 999_999))));
        assertThat(deleted.result(0).path("status").asText()).isEqualTo("deleted");
        assertThat(deleted.result(1).path("id").asLong()).isEqualTo(999_999);
        assertThat(deleted.reason(1)).isEqualTo("1004 Lead not found");
        assertThat(sandbox.lead(a)).isEmpty();

        Answer byQuery = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/rest/v1/leads/delete.json?id=" + b))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(byQuery.result(0).path("status").asText()).isEqualTo("deleted");
        assertThat(sandbox.leadCount()).isZero();
        assertThat(sandbox.findLeadByEmail("b@example.com")).as("the email index forgets it").isEmpty();
    }

    // ---- limits and faults --------------------------------------------------------------------------------

    @Test
    void theTwentySecondWindowRefusesWith606InA200() throws Exception {
        start(b -> b.perTwentySeconds(3));
        String token = token();
        for (int i = 0; i < 3; i++) assertThat(get(token, "/rest/v1/leads/describe.json").errorCode()).isNull();
        Answer refused = get(token, "/rest/v1/leads/describe.json");
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.errorCode()).isEqualTo("606");
        assertThat(refused.errorMessage()).isEqualTo("Max rate limit '3' exceeded with in '20' secs");
        assertThat(sandbox.callsInWindow()).as("the refusal is not counted").isEqualTo(3);
        clock.advance(Duration.ofSeconds(20));
        assertThat(get(token, "/rest/v1/leads/describe.json").errorCode()).isNull();
    }

    @Test
    void theDailyQuotaRefusesWith607UntilMidnightInChicago() throws Exception {
        start(b -> b.daily(2));
        String token = token();
        get(token, "/rest/v1/leads/describe.json");
        get(token, "/rest/v1/leads/describe.json");
        Answer refused = get(token, "/rest/v1/leads/describe.json");
        assertThat(refused.errorCode()).isEqualTo("607");
        assertThat(refused.errorMessage()).isEqualTo("Daily quota reached");

        clock.set(Instant.parse("2026-03-03T05:59:00Z")); // 23:59 in Chicago: still the same day
        assertThat(identity(MarketoSandbox.DEFAULT_CLIENT_ID, MarketoSandbox.DEFAULT_CLIENT_SECRET).status())
                .isEqualTo(200);
        token = token();
        assertThat(get(token, "/rest/v1/leads/describe.json").errorCode()).isEqualTo("607");
        clock.set(Instant.parse("2026-03-03T06:00:00Z")); // midnight CST
        assertThat(get(token, "/rest/v1/leads/describe.json").errorCode()).isNull();
    }

    @Test
    void moreThanTheConcurrencyLimitInFlightIsRefusedWith615() throws Exception {
        sandbox = MarketoSandbox.builder().concurrency(2).processing(Duration.ofMillis(600)).build();
        sandbox.start();
        String token = token();
        List<Answer> answers = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) calls.add(executor.submit(() -> get(token, "/rest/v1/leads/describe.json")));
            for (Future<Answer> call : calls) answers.add(call.get());
        }
        assertThat(answers).filteredOn(a -> "615".equals(a.errorCode())).hasSize(2)
                .allSatisfy(a -> assertThat(a.errorMessage()).isEqualTo("Concurrent access limit reached"));
        assertThat(answers).filteredOn(a -> a.errorCode() == null).hasSize(2);
    }

    @Test
    void faultsAnswerMarketosThrottleServerErrorsAndDrops() throws Exception {
        start();
        String token = token();
        sandbox.inject(Fault.throttle(1));
        Answer throttled = get(token, "/rest/v1/leads/describe.json");
        assertThat(throttled.status()).isEqualTo(200);
        assertThat(throttled.errorCode()).isEqualTo("606");
        sandbox.inject(Fault.status(503, 1).onPath("/rest/"));
        assertThat(get(token, "/rest/v1/leads/describe.json").status()).isEqualTo(503);
        sandbox.inject(Fault.drop(1));
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                + "/rest/v1/leads.json")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":[{\"email\":\"a@example.com\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThat(sandbox.leadCount()).isZero();
    }

    // ---- options and the /_sandbox/ API -------------------------------------------------------------------

    @Test
    void theProviderIsFoundAndOptionsAreCheckedWhole() throws Exception {
        SandboxProvider provider = SandboxProvider.find("marketo").orElseThrow();
        assertThat(provider.options()).extracting(o -> o.name()).containsExactlyInAnyOrderElementsOf(MarketoSandbox.OPTIONS);
        assertThatThrownBy(() -> MarketoSandbox.fromOptions(0, Map.of("tier", "gold")))
                .hasMessageContaining("unknown marketo sandbox option 'tier'");
        assertThatThrownBy(() -> MarketoSandbox.fromOptions(0, Map.of("fields", "score")))
                .hasMessageContaining("name:dataType");
        assertThatThrownBy(() -> MarketoSandbox.fromOptions(0, Map.of("fields", "score:money")))
                .hasMessageContaining("unknown data type 'money'");
        assertThatThrownBy(() -> MarketoSandbox.fromOptions(0, Map.of("daily", "0"))).hasMessageContaining("daily");
        sandbox = (MarketoSandbox) provider.start(0, Map.of("client_id", "cid", "client_secret", "sec",
                "fields", "churnRiskScore:float", "per_20s", "5"));
        assertThat(identity("cid", "sec").status()).isEqualTo(200);
        assertThat(sandbox.fields()).extracting(MarketoField::name).contains("churnRiskScore");
    }

    @Test
    void theSandboxApiInspectsSeedsAndResets() throws Exception {
        start(b -> b.perTwentySeconds(1));
        HttpRequest seed = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/leads"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":[{\"email\":\"a@example.com\",\"seats\":2}]}"))
                .build();
        assertThat(send(seed).status()).isEqualTo(201);
        Answer dump = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/leads")).GET().build());
        assertThat(dump.body().path("total").asInt()).isEqualTo(1);
        assertThat(dump.result(0).path("seats").asInt()).isEqualTo(2);

        assertThat(send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/fields"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"plan\",\"dataType\":\"string\"}")).build())
                .status()).isEqualTo(201);
        assertThat(sandbox.fields()).extracting(MarketoField::name).contains("plan");

        String token = token();
        get(token, "/rest/v1/leads/describe.json");
        assertThat(get(token, "/rest/v1/leads/describe.json").errorCode()).isEqualTo("606");
        Answer limits = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/limits")).GET().build());
        assertThat(limits.body().path("inWindow").asInt()).isEqualTo(1);
        assertThat(limits.body().path("timeZone").asText()).isEqualTo("America/Chicago");
        send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/limits")).DELETE().build());
        assertThat(get(token, "/rest/v1/leads/describe.json").errorCode()).isNull();

        send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/tokens/expire"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(get(token, "/rest/v1/leads/describe.json").errorCode()).isEqualTo("602");
        Answer tokens = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/tokens")).GET().build());
        assertThat(tokens.result(0).path("expired").asBoolean()).isTrue();
        assertThat(tokens.text()).doesNotContain(token);
        assertThat(sandbox.requests()).as("/_sandbox/ calls are not logged")
                .noneMatch(r -> r.path().startsWith("/_sandbox"));
    }
}
