package dev.ebb.sandbox.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.SandboxProvider;
import dev.ebb.sandbox.SandboxServer;
import dev.ebb.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox against Zendesk's documented behaviour, over raw HTTP. */
class ZendeskSandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASIC = basic(ZendeskSandbox.DEFAULT_EMAIL + "/token", ZendeskSandbox.DEFAULT_API_TOKEN);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ZendeskSandbox server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        client.close();
    }

    private ZendeskSandbox start(Consumer<ZendeskSandbox.Builder> configure) throws IOException {
        ZendeskSandbox.Builder builder = ZendeskSandbox.builder().clock(clock)
                .userField(CustomField.of("churn_risk", "decimal"))
                .userField(CustomField.of("seats", "integer"))
                .userField(CustomField.of("vip", "checkbox"))
                .userField(CustomField.of("renewal_date", "date"))
                .userField(CustomField.dropdown("plan", "free", "pro"))
                .userField(CustomField.regexp("account_code", "\\A[A-Z]{3}-\\d+\\z"));
        configure.accept(builder);
        server = builder.build();
        server.start();
        return server;
    }

    private ZendeskSandbox start() throws IOException {
        return start(b -> { });
    }

    private record Answer(int status, Map<String, List<String>> headers, JsonNode body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private Answer call(String method, String path, Object body) throws Exception {
        return call(BASIC, method, path, body);
    }

    private Answer call(String authorization, String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
        if (authorization != null) request.header("Authorization", authorization);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode parsed = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        return new Answer(response.statusCode(), response.headers().map(), parsed);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode users(ObjectNode... users) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("users");
        for (ObjectNode user : users) array.add(user);
        return body;
    }

    private static ObjectNode user(Object... keyValues) {
        ObjectNode user = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) user.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        return user;
    }

    /** Submits a job and polls it to completion on the manual clock; returns the completed status. */
    private JsonNode runJob(String method, String path, Object body) throws Exception {
        Answer queued = call(method, path, body);
        assertThat(queued.status()).as(queued.body().toString()).isEqualTo(200);
        String id = queued.body().at("/job_status/id").asText();
        clock.advance(Duration.ofSeconds(1));
        Answer done = call("GET", "/api/v2/job_statuses/" + id, null);
        assertThat(done.body().at("/job_status/status").asText()).isEqualTo("completed");
        return done.body().get("job_status");
    }

    // ---- authentication ----

    @Test
    void refusesBadCredentialsWithZendesksBodiesAndSpendsNoBudget() throws Exception {
        start(b -> b.perMinute(3).oauthTokens("oauth-1"));
        for (String authorization : new String[]{null, basic(ZendeskSandbox.DEFAULT_EMAIL + "/token", "wrong"),
                basic(ZendeskSandbox.DEFAULT_EMAIL, ZendeskSandbox.DEFAULT_API_TOKEN), "Basic not-base64!"}) {
            Answer refused = call(authorization, "GET", "/api/v2/user_fields", null);
            assertThat(refused.status()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(refused.body().get("error").asText()).isEqualTo("Couldn't authenticate you");
            assertThat(refused.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Web Password\"");
            assertThat(refused.header("X-Rate-Limit")).isNull();
        }
        Answer badBearer = call("Bearer nope", "GET", "/api/v2/user_fields", null);
        assertThat(badBearer.status()).isEqualTo(401);
        assertThat(badBearer.body().get("error").asText()).isEqualTo("invalid_token");

        assertThat(call("Bearer oauth-1", "GET", "/api/v2/user_fields", null).status()).isEqualTo(200);
        // Email is case-blind; the token is not.
        assertThat(call(basic(ZendeskSandbox.DEFAULT_EMAIL.toUpperCase() + "/token", ZendeskSandbox.DEFAULT_API_TOKEN),
                "GET", "/api/v2/user_fields", null).status()).isEqualTo(200);
        assertThat(call("GET", "/api/v2/user_fields", null).header("X-Rate-Limit-Remaining")).isEqualTo("0");
    }

    // ---- rate limits ----

    @Test
    void theAccountLimitIsPerMinuteWithHeadersAndAnswers429WithRetryAfter() throws Exception {
        start(b -> b.plan(ZendeskPlan.ENTERPRISE).perMinute(2));
        clock.set(Instant.parse("2026-03-02T15:00:41Z"));
        Answer first = call("GET", "/api/v2/user_fields", null);
        assertThat(first.header("X-Rate-Limit")).isEqualTo("2");
        assertThat(first.header("X-Rate-Limit-Remaining")).isEqualTo("1");
        assertThat(first.header("ratelimit-reset")).isEqualTo("19");
        call("GET", "/api/v2/user_fields", null);

        Answer throttled = call("GET", "/api/v2/user_fields", null);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.body().get("error").asText()).isEqualTo("APIRateLimitExceeded");
        assertThat(throttled.body().get("description").asText())
                .isEqualTo("Number of allowed API requests per minute exceeded");
        assertThat(throttled.header("Retry-After")).isEqualTo("19");
        assertThat(throttled.header("X-Rate-Limit-Remaining")).isEqualTo("0");

        clock.advance(Duration.ofSeconds(19));
        assertThat(call("GET", "/api/v2/user_fields", null).status()).as("a new minute").isEqualTo(200);
    }

    @Test
    void thePlanSetsTheLimit() throws Exception {
        start(b -> b.plan(ZendeskPlan.PROFESSIONAL));
        assertThat(call("GET", "/api/v2/user_fields", null).header("X-Rate-Limit")).isEqualTo("400");
    }

    // ---- jobs ----

    @Test
    void createOrUpdateManyQueuesAJobThatWorksThenCompletesWithPerUserResults() throws Exception {
        start(b -> b.jobDuration(Duration.ofSeconds(4)));
        server.createUser(Map.of("name", "Old Name", "email", "known@example.com"));
        Answer queued = call("POST", "/api/v2/users/create_or_update_many", users(
                user("name", "New", "email", "new@example.com", "user_fields", Map.of("churn_risk", 0.42)),
                user("name", "Renamed", "email", "KNOWN@example.com"),
                user("name", "Broken", "email", "error@example.com_")));
        assertThat(queued.status()).isEqualTo(200);
        JsonNode status = queued.body().get("job_status");
        String id = status.get("id").asText();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(status.get("status").asText()).isEqualTo("queued");
        assertThat(status.get("total").asInt()).isEqualTo(3);
        assertThat(status.get("url").asText()).isEqualTo(server.baseUrl() + "/api/v2/job_statuses/" + id + ".json");
        assertThat(server.userCount()).as("nothing is written while the job is queued").isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        JsonNode working = call("GET", "/api/v2/job_statuses/" + id, null).body().get("job_status");
        assertThat(working.get("status").asText()).isEqualTo("working");
        assertThat(working.get("results").isNull()).isTrue();

        clock.advance(Duration.ofSeconds(2));
        JsonNode done = call("GET", "/api/v2/job_statuses/" + id + ".json", null).body().get("job_status");
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("progress").asInt()).isEqualTo(3);
        assertThat(done.get("message").asText()).isEqualTo("Completed at 2026-03-02 15:00:04 +0000");
        JsonNode results = done.get("results");
        assertThat(results.get(0).get("status").asText()).isEqualTo("Created");
        assertThat(results.get(0).get("action").asText()).isEqualTo("create");
        assertThat(results.get(0).get("index").asInt()).isZero();
        assertThat(results.get(1).get("status").asText()).isEqualTo("Updated");
        assertThat(results.get(1).get("id").asText()).isEqualTo(server.findUserByEmail("known@example.com")
                .orElseThrow().id());
        assertThat(results.get(2).get("status").asText()).isEqualTo("Failed");
        assertThat(results.get(2).get("index").asInt()).isEqualTo(2);
        assertThat(results.get(2).get("error").asText()).isEqualTo("UserUpdateError");
        assertThat(results.get(2).get("details").asText()).isEqualTo("Email: error@example.com_ is not properly formatted");

        assertThat(server.userCount()).isEqualTo(2);
        assertThat(server.findUserByEmail("known@example.com").orElseThrow().field("name")).contains("Renamed");
        assertThat(server.findUserByEmail("new@example.com").orElseThrow().field("user_fields.churn_risk"))
                .contains("0.42");
    }

    @Test
    void usersMatchByExternalIdBeforeEmailAndAnEmailOnUpdateBecomesASecondaryIdentity() throws Exception {
        start();
        ZendeskRecord ada = server.createUser(Map.of("name", "Ada", "email", "ada@example.com", "external_id", "C-1"));
        JsonNode results = runJob("POST", "/api/v2/users/create_or_update_many",
                users(user("external_id", "c-1", "email", "ada.l@example.com", "name", "Ada L"))).get("results");
        assertThat(results.get(0).get("id").asText()).as("external ids are case-blind").isEqualTo(ada.id());
        ZendeskRecord after = server.user(ada.id()).orElseThrow();
        assertThat(after.field("email")).as("the primary email stays").contains("ada@example.com");
        assertThat(server.findUserByEmail("ada.l@example.com").map(ZendeskRecord::id)).contains(ada.id());

        server.createUser(Map.of("name", "Bob", "email", "bob@example.com"));
        JsonNode taken = runJob("POST", "/api/v2/users/create_or_update_many",
                users(user("external_id", "C-1", "email", "bob@example.com"))).get("results").get(0);
        assertThat(taken.get("details").asText()).isEqualTo("Email: bob@example.com is already being used by another user");
    }

    @Test
    void aNewUserNeedsAName() throws Exception {
        start();
        JsonNode result = runJob("POST", "/api/v2/users/create_or_update_many",
                users(user("email", "nameless@example.com"))).get("results").get(0);
        assertThat(result.get("details").asText()).isEqualTo("Name: is too short (minimum is 1 characters)");
        assertThat(server.userCount()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "churn_risk   | 0.5        | 0.5",
            "churn_risk   | \"1.250\"  | 1.25",
            "seats        | 12         | 12",
            "seats        | \"7\"      | 7",
            "vip          | true       | true",
            "renewal_date | \"2026-05-01\" | 2026-05-01T00:00:00+00:00",
            "renewal_date | \"2026-05-01T00:00:00Z\" | 2026-05-01T00:00:00+00:00",
            "plan         | \"pro\"    | pro",
            "account_code | \"ABC-12\" | ABC-12"})
    void customFieldValuesAreStoredInZendesksForm(String key, String json, String stored) throws Exception {
        start();
        JsonNode value = JSON.readTree(json);
        JsonNode result = runJob("POST", "/api/v2/users/create_or_update_many", users(user("name", "U",
                "email", "u@example.com", "user_fields", Map.of(key, value)))).get("results").get(0);
        assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("Created");
        assertThat(server.findUserByEmail("u@example.com").orElseThrow().field("user_fields." + key)).contains(stored);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "churn_risk   | \"high\"        | Churn risk: high is invalid",
            "seats        | 2.5             | Seats: 2.5 is invalid",
            "vip          | \"yes\"         | Vip: yes is invalid",
            "renewal_date | \"next week\"   | Renewal date: next week is invalid",
            "plan         | \"platinum\"    | Plan: platinum is invalid",
            "account_code | \"abc\"         | Account code: abc is invalid"})
    void customFieldValuesOfTheWrongTypeFailTheirUser(String key, String json, String details) throws Exception {
        start();
        JsonNode result = runJob("POST", "/api/v2/users/create_or_update_many", users(user("name", "U",
                "email", "u@example.com", "user_fields", Map.of(key, JSON.readTree(json))))).get("results").get(0);
        assertThat(result.get("status").asText()).isEqualTo("Failed");
        assertThat(result.get("details").asText()).isEqualTo(details);
        assertThat(server.userCount()).isZero();
    }

    @Test
    void nullClearsAndUnknownCustomKeysAreIgnored() throws Exception {
        start();
        ZendeskRecord user = server.createUser(Map.of("name", "U", "email", "u@example.com", "notes", "n",
                "user_fields", Map.of("churn_risk", 0.3)));
        ObjectNode change = user("id", Long.parseLong(user.id()), "notes", null);
        change.putObject("user_fields").putNull("churn_risk").put("no_such_field", "x");
        JsonNode result = runJob("PUT", "/api/v2/users/update_many", users(change)).get("results").get(0);
        assertThat(result.get("status").asText()).isEqualTo("Updated");
        assertThat(result.get("id").asText()).isEqualTo(user.id());
        ZendeskRecord after = server.user(user.id()).orElseThrow();
        assertThat(after.field("notes")).isEmpty();
        assertThat(after.field("user_fields.churn_risk")).isEmpty();
        assertThat(after.fields()).doesNotContainKey("user_fields.no_such_field");
    }

    @Test
    void updateManyAndDestroyManyAnswerByIdIncludingUnknownOnes() throws Exception {
        start();
        ZendeskRecord user = server.createUser(Map.of("name", "U", "email", "u@example.com"));
        JsonNode updates = runJob("PUT", "/api/v2/users/update_many", users(
                user("id", Long.parseLong(user.id()), "phone", "+1 555"), user("id", 999, "phone", "+1 556")))
                .get("results");
        assertThat(updates.get(0).get("success").asBoolean()).isTrue();
        assertThat(updates.get(1).get("id").asLong()).isEqualTo(999);
        assertThat(updates.get(1).get("error").asText()).isEqualTo("RecordNotFound");

        JsonNode deletes = runJob("DELETE", "/api/v2/users/destroy_many?ids=" + user.id() + ",999", null)
                .get("results");
        assertThat(deletes.get(0).get("status").asText()).isEqualTo("Deleted");
        assertThat(deletes.get(1).get("error").asText()).isEqualTo("RecordNotFound");
        assertThat(server.userCount()).isZero();
        assertThat(server.findUserByEmail("u@example.com")).as("the email is free again").isEmpty();
    }

    @Test
    void aBulkCallTakesAtMost100Records() throws Exception {
        start();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("users");
        for (int i = 0; i < 101; i++) list.add(user("name", "U" + i, "email", "u" + i + "@example.com"));
        Answer refused = call("POST", "/api/v2/users/create_or_update_many", body);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("error").asText()).isEqualTo("TooManyValues");
        assertThat(refused.body().get("description").asText())
                .isEqualTo("Parameter users cannot specify more than 100 values");
        assertThat(refused.body().get("max_count").asInt()).isEqualTo(100);

        list.remove(100);
        assertThat(runJob("POST", "/api/v2/users/create_or_update_many", body).get("results")).hasSize(100);
        String ids = String.join(",", java.util.Collections.nCopies(101, "1"));
        assertThat(call("GET", "/api/v2/users/show_many?ids=" + ids, null).status()).isEqualTo(400);
        assertThat(call("DELETE", "/api/v2/users/destroy_many?ids=" + ids, null).status()).isEqualTo(400);
        assertThat(call("POST", "/api/v2/users/create_or_update_many", "{\"user\":{}}").body().get("error").asText())
                .isEqualTo("ParameterMissing");
    }

    @Test
    void moreThanTheJobLimitQueuedIsA429WithRetryAfter() throws Exception {
        start(b -> b.jobLimit(2).jobDuration(Duration.ofSeconds(10)));
        ObjectNode body = users(user("name", "U", "email", "u@example.com"));
        assertThat(call("POST", "/api/v2/users/create_or_update_many", body).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(3));
        assertThat(call("POST", "/api/v2/users/create_or_update_many", body).status()).isEqualTo(200);
        Answer refused = call("POST", "/api/v2/users/create_or_update_many", body);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body().get("error").asText()).isEqualTo("TooManyJobs");
        assertThat(refused.header("Retry-After")).as("until the first job ends").isEqualTo("7");
        clock.advance(Duration.ofSeconds(7));
        assertThat(call("POST", "/api/v2/users/create_or_update_many", body).status()).isEqualTo(200);
    }

    @Test
    void onlyTheLastJobsAreKeptAndOnlyForAWhile() throws Exception {
        start(b -> b.jobRetention(2).jobTtl(Duration.ofMinutes(60)).jobDuration(Duration.ZERO));
        ObjectNode body = users(user("name", "U", "email", "u@example.com"));
        String first = call("POST", "/api/v2/users/create_or_update_many", body).body().at("/job_status/id").asText();
        String second = call("POST", "/api/v2/users/create_or_update_many", body).body().at("/job_status/id").asText();
        String third = call("POST", "/api/v2/users/create_or_update_many", body).body().at("/job_status/id").asText();
        Answer gone = call("GET", "/api/v2/job_statuses/" + first, null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body().get("error").asText()).isEqualTo("RecordNotFound");
        assertThat(server.userCount()).as("a forgotten job still did its work").isEqualTo(1);
        JsonNode list = call("GET", "/api/v2/job_statuses", null).body().get("job_statuses");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("id").asText()).as("newest first").isEqualTo(third);

        clock.advance(Duration.ofMinutes(60));
        assertThat(call("GET", "/api/v2/job_statuses/" + second, null).status()).as("expired").isEqualTo(404);
    }

    @Test
    void importsCanBeDisabled() throws Exception {
        start(b -> b.importsEnabled(false));
        Answer refused = call("POST", "/api/v2/users/create_or_update_many", users(user("name", "U",
                "email", "u@example.com")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("description").asText()).isEqualTo("Data imports are not enabled");
        assertThat(call("POST", "/api/v2/organizations/create_many", "{\"organizations\":[{\"name\":\"A\"}]}")
                .status()).isEqualTo(403);
        assertThat(call("PUT", "/api/v2/users/update_many", users()).status()).as("updates are not imports")
                .isEqualTo(200);
    }

    // ---- single records, show_many, fields ----

    @Test
    void singleUsersCanBeReadAndEditedAndInvalidEditsAre422RecordInvalid() throws Exception {
        start();
        ZendeskRecord user = server.createUser(Map.of("name", "Ada", "email", "ada@example.com"));
        JsonNode shown = call("GET", "/api/v2/users/" + user.id() + ".json", null).body().get("user");
        assertThat(shown.get("email").asText()).isEqualTo("ada@example.com");
        assertThat(shown.get("role").asText()).isEqualTo("end-user");
        assertThat(shown.get("user_fields").has("churn_risk")).isTrue();
        assertThat(shown.get("url").asText()).isEqualTo(server.baseUrl() + "/api/v2/users/" + user.id() + ".json");

        Answer edited = call("PUT", "/api/v2/users/" + user.id(), "{\"user\":{\"notes\":\"called twice\"}}");
        assertThat(edited.status()).isEqualTo(200);
        assertThat(server.user(user.id()).orElseThrow().field("notes")).contains("called twice");

        Answer invalid = call("PUT", "/api/v2/users/" + user.id(), "{\"user\":{\"name\":\"\"}}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body().get("error").asText()).isEqualTo("RecordInvalid");
        assertThat(invalid.body().at("/details/name/0/description").asText())
                .isEqualTo("Name: is too short (minimum is 1 characters)");
        assertThat(call("GET", "/api/v2/users/424242", null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v2/nothing_here", null).status()).isEqualTo(404);
    }

    @Test
    void showManyFindsByIdsOrExternalIdsAndSkipsTheMissing() throws Exception {
        start();
        ZendeskRecord a = server.createUser(Map.of("name", "A", "email", "a@example.com", "external_id", "X-1"));
        server.createUser(Map.of("name", "B", "email", "b@example.com", "external_id", "X-2"));
        JsonNode byExternal = call("GET", "/api/v2/users/show_many?external_ids=x-1,X-9,X-2", null).body();
        assertThat(byExternal.get("users")).hasSize(2);
        JsonNode byId = call("GET", "/api/v2/users/show_many?ids=" + a.id() + ",1", null).body();
        assertThat(byId.get("users")).hasSize(1);
        assertThat(byId.at("/users/0/external_id").asText()).isEqualTo("X-1");
    }

    @Test
    void customFieldsAreListedAndCreated() throws Exception {
        start();
        JsonNode fields = call("GET", "/api/v2/user_fields", null).body().get("user_fields");
        assertThat(fields).hasSize(6);
        JsonNode plan = fields.get(4);
        assertThat(plan.get("key").asText()).isEqualTo("plan");
        assertThat(plan.get("type").asText()).isEqualTo("dropdown");
        assertThat(plan.at("/custom_field_options/1/value").asText()).isEqualTo("pro");
        assertThat(fields.get(5).get("regexp_for_validation").asText()).isEqualTo("\\A[A-Z]{3}-\\d+\\z");

        Answer created = call("POST", "/api/v2/user_fields", "{\"user_field\":{\"key\":\"segment\",\"type\":\"text\","
                + "\"title\":\"Segment\"}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().at("/user_field/key").asText()).isEqualTo("segment");
        Answer duplicate = call("POST", "/api/v2/user_fields", "{\"user_field\":{\"key\":\"segment\",\"type\":\"text\"}}");
        assertThat(duplicate.status()).isEqualTo(422);
        Answer badType = call("POST", "/api/v2/user_fields", "{\"user_field\":{\"key\":\"x\",\"type\":\"colour\"}}");
        assertThat(badType.status()).isEqualTo(422);
        assertThat(call("GET", "/api/v2/organization_fields", null).body().get("organization_fields")).isEmpty();
    }

    @Test
    void organizationsHaveUniqueNamesAndBulkCreateAnswersByIndex() throws Exception {
        start();
        server.createOrganization(Map.of("name", "Acme", "external_id", "A-1"));
        JsonNode results = runJob("POST", "/api/v2/organizations/create_many",
                "{\"organizations\":[{\"name\":\"Globex\",\"external_id\":\"A-2\"},{\"name\":\"ACME\"},{\"details\":\"x\"}]}")
                .get("results");
        assertThat(results.get(0).get("index").asInt()).isZero();
        assertThat(results.get(0).get("id").asLong()).isPositive();
        assertThat(results.get(1).get("error").asText()).isEqualTo("DuplicateValue");
        assertThat(results.get(1).get("details").asText()).isEqualTo("Name: ACME has already been taken");
        assertThat(results.get(2).get("details").asText()).isEqualTo("Name: cannot be blank");

        Answer single = call("POST", "/api/v2/organizations/create_or_update",
                "{\"organization\":{\"external_id\":\"a-1\",\"notes\":\"key account\"}}");
        assertThat(single.status()).as("matched by external id: updated").isEqualTo(200);
        assertThat(server.findOrganizationByExternalId("A-1").orElseThrow().field("notes")).contains("key account");
        Answer duplicate = call("POST", "/api/v2/organizations", "{\"organization\":{\"name\":\"globex\"}}");
        assertThat(duplicate.status()).isEqualTo(422);
        assertThat(duplicate.body().at("/details/name/0/error").asText()).isEqualTo("DuplicateValue");
    }

    // ---- faults and the /_sandbox/ API ----

    @Test
    void faultsAndTheThrottleFaultSpeakZendesk() throws Exception {
        start();
        server.inject(Fault.throttle(1));
        Answer throttled = call("GET", "/api/v2/user_fields", null);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.body().get("error").asText()).isEqualTo("APIRateLimitExceeded");
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 60L);

        server.inject(Fault.status(503, 1).onPath("/api/v2/job_statuses"));
        assertThat(call("GET", "/api/v2/user_fields", null).status()).isEqualTo(200);
        assertThat(call("GET", "/api/v2/job_statuses/x", null).status()).isEqualTo(503);
        assertThat(server.countsByStatus()).containsEntry(503, 1L);
    }

    @Test
    void theSandboxApiInspectsAndEditsWithoutCountingRequests() throws Exception {
        start(b -> b.jobDuration(Duration.ofSeconds(30)));
        Answer created = call(null, "POST", "/_sandbox/users", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().at("/user/id").asText();
        assertThat(call(null, "PUT", "/_sandbox/users/" + id, "{\"notes\":\"edited by a person\"}").status())
                .isEqualTo(200);
        assertThat(call(null, "GET", "/_sandbox/users", null).body().at("/users/0/notes").asText())
                .isEqualTo("edited by a person");

        call("POST", "/api/v2/users/create_or_update_many", users(user("name", "B", "email", "b@example.com")));
        JsonNode jobs = call(null, "GET", "/_sandbox/jobs", null).body();
        assertThat(jobs.get("running").asInt()).isEqualTo(1);
        assertThat(call(null, "POST", "/_sandbox/jobs/complete", null).status()).isEqualTo(204);
        assertThat(server.userCount()).isEqualTo(2);
        assertThat(call(null, "POST", "/_sandbox/organization_fields", "{\"key\":\"tier\",\"type\":\"dropdown\","
                + "\"custom_field_options\":[{\"name\":\"Gold\",\"value\":\"gold\"}]}").status()).isEqualTo(201);
        assertThat(call(null, "GET", "/_sandbox/rate-limits", null).body().get("used").asInt()).isEqualTo(1);
        assertThat(server.requestCount()).as("only the vendor request is logged").isEqualTo(1);
        assertThat(call(null, "DELETE", "/_sandbox/users", null).status()).isEqualTo(204);
        assertThat(server.userCount()).isZero();
    }

    @Test
    void javaApiEditsAreValidatedLikeTheApi() throws IOException {
        start();
        assertThatThrownBy(() -> server.createUser(Map.of("name", "X", "email", "not an email")))
                .hasMessage("Email: not an email is not properly formatted");
        ZendeskRecord user = server.createUser(Map.of("name", "Ada", "email", "ada@example.com"));
        assertThat(server.updateUser(user.id(), Map.of("user_fields", Map.of("plan", "pro")))
                .field("user_fields.plan")).contains("pro");
    }

    // ---- options ----

    // ---- reads of many records: users/me, cursor and offset pages, search by external id -------------------

    @Test
    void usersMeAnswersTheSignedInAgentWithoutMakingAUser() throws Exception {
        start();
        Answer me = call("GET", "/api/v2/users/me.json", null);
        assertThat(me.status()).isEqualTo(200);
        JsonNode user = me.body().get("user");
        assertThat(user.get("email").asText()).isEqualTo(ZendeskSandbox.DEFAULT_EMAIL);
        assertThat(user.get("role").asText()).isEqualTo("admin");
        assertThat(user.get("id").asLong()).isPositive();
        assertThat(user.get("url").asText()).endsWith("/api/v2/users/" + user.get("id").asLong() + ".json");
        assertThat(call("GET", "/api/v2/users", null).body().get("count").asInt()).as("no user made").isZero();

        ZendeskRecord agent = server.createUser(Map.of("name", "Agent Ada", "email", ZendeskSandbox.DEFAULT_EMAIL));
        assertThat(call("GET", "/api/v2/users/me", null).body().get("user").get("id").asText())
                .as("an agent who is a user is shown as that user").isEqualTo(agent.id());
    }

    @Test
    void usersPageByCursorWithMetaAndLinksAsDocumented() throws Exception {
        start();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(server.createUser(Map.of("name", "User " + i, "email", "u" + i + "@example.com")).id());
        }

        Answer first = call("GET", "/api/v2/users.json?page%5Bsize%5D=2", null);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("users")).extracting(u -> u.get("id").asText()).containsExactly(ids.get(0), ids.get(1));
        JsonNode meta = first.body().get("meta");
        assertThat(meta.get("has_more").asBoolean()).isTrue();
        String after = meta.get("after_cursor").asText();
        assertThat(meta.get("before_cursor").asText()).isNotBlank();
        JsonNode links = first.body().get("links");
        assertThat(links.get("next").asText()).isEqualTo(server.baseUrl()
                + "/api/v2/users.json?page[size]=2&page[after]=" + after);
        assertThat(links.get("prev").asText()).contains("page[before]=" + meta.get("before_cursor").asText());

        Answer second = call("GET", "/api/v2/users.json?page%5Bsize%5D=2&page%5Bafter%5D=" + after, null);
        assertThat(second.body().get("users")).extracting(u -> u.get("id").asText()).containsExactly(ids.get(2), ids.get(3));
        Answer last = call("GET", "/api/v2/users.json?page%5Bsize%5D=2&page%5Bafter%5D="
                + second.body().get("meta").get("after_cursor").asText(), null);
        assertThat(last.body().get("users")).extracting(u -> u.get("id").asText()).containsExactly(ids.get(4));
        assertThat(last.body().get("meta").get("has_more").asBoolean()).isFalse();

        Answer back = call("GET", "/api/v2/users.json?page%5Bsize%5D=2&page%5Bbefore%5D="
                + last.body().get("meta").get("before_cursor").asText(), null);
        assertThat(back.body().get("users")).extracting(u -> u.get("id").asText()).containsExactly(ids.get(2), ids.get(3));
        assertThat(back.body().get("meta").get("has_more").asBoolean()).as("more before it").isTrue();

        Answer tooBig = call("GET", "/api/v2/users.json?page%5Bsize%5D=101", null);
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.body().get("error").asText()).isEqualTo("InvalidPaginationParameter");
        assertThat(call("GET", "/api/v2/users.json?page%5Bsize%5D=2&page%5Bafter%5D=nonsense", null).status())
                .isEqualTo(400);

        Answer offset = call("GET", "/api/v2/users.json?per_page=2&page=3", null);
        assertThat(offset.body().get("users")).extracting(u -> u.get("id").asText()).containsExactly(ids.get(4));
        assertThat(offset.body().get("count").asInt()).isEqualTo(5);
        assertThat(offset.body().get("next_page").isNull()).isTrue();
        assertThat(offset.body().get("previous_page").asText()).endsWith("per_page=2&page=2");
    }

    @Test
    void organizationsPageByCursorToo() throws Exception {
        start();
        for (String name : List.of("Acme", "Globex", "Initech")) server.createOrganization(Map.of("name", name));

        Answer first = call("GET", "/api/v2/organizations?page%5Bsize%5D=2", null);
        assertThat(first.body().get("organizations")).extracting(o -> o.get("name").asText())
                .containsExactly("Acme", "Globex");
        assertThat(first.body().get("meta").get("has_more").asBoolean()).isTrue();
        Answer rest = call("GET", "/api/v2/organizations?page%5Bsize%5D=2&page%5Bafter%5D="
                + first.body().get("meta").get("after_cursor").asText(), null);
        assertThat(rest.body().get("organizations")).extracting(o -> o.get("name").asText()).containsExactly("Initech");
        assertThat(rest.body().get("meta").get("has_more").asBoolean()).isFalse();
        assertThat(rest.body().get("links").get("next").asText()).contains("page[after]=");
    }

    @Test
    void usersSearchByExternalIdFindsTheOneUser() throws Exception {
        start();
        ZendeskRecord ada = server.createUser(Map.of("name", "Ada", "email", "ada@example.com", "external_id", "C-1"));
        server.createUser(Map.of("name", "Bob", "email", "bob@example.com", "external_id", "C-2"));

        Answer found = call("GET", "/api/v2/users/search.json?external_id=c-1", null);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().get("users")).extracting(u -> u.get("id").asText()).containsExactly(ada.id());
        assertThat(found.body().get("users").get(0).get("external_id").asText()).isEqualTo("C-1");
        assertThat(found.body().get("count").asInt()).isEqualTo(1);
        assertThat(found.body().get("next_page").isNull()).isTrue();

        Answer none = call("GET", "/api/v2/users/search?external_id=C-9", null);
        assertThat(none.body().get("users")).isEmpty();
        assertThat(none.body().get("count").asInt()).isZero();
        assertThat(call("GET", "/api/v2/users/search", null).status()).isEqualTo(400);
    }

    @Test
    void optionsConfigureTheSandboxAndUnknownOnesAreRefused() throws Exception {
        SandboxProvider provider = SandboxProvider.find("zendesk").orElseThrow();
        try (SandboxServer started = provider.start(0, Map.of("email", "ops@acme.test", "api_token", "t0k",
                "plan", "enterprise", "user_fields", "churn_risk:decimal,plan:dropdown=free|pro",
                "job_seconds", "0.5", "imports", "disabled"))) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(started.baseUrl()
                    + "/api/v2/user_fields")).header("Authorization", basic("ops@acme.test/token", "t0k")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("X-Rate-Limit")).contains("700");
            assertThat(JSON.readTree(answer.body()).get("user_fields")).hasSize(2);
        }
        assertThatThrownBy(() -> provider.start(0, Map.of("colour", "blue")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown zendesk sandbox option");
        assertThatThrownBy(() -> provider.start(0, Map.of("user_fields", "plan:dropdown")))
                .hasMessageContaining("needs options");
        assertThatThrownBy(() -> provider.start(0, Map.of("plan", "gold")))
                .hasMessageContaining("unknown Zendesk plan 'gold'");
    }
}
