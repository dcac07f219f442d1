package dev.ebb.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox against HubSpot's documented behaviour, over raw HTTP. */
class HubSpotSandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTACTS = "/crm/v3/objects/contacts";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SandboxServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        client.close();
    }

    private HubSpotSandbox start(Consumer<HubSpotSandbox.Builder> configure) throws IOException {
        HubSpotSandbox.Builder builder = HubSpotSandbox.builder().clock(clock);
        configure.accept(builder);
        HubSpotSandbox sandbox = builder.build();
        sandbox.createProperty("contacts", HubSpotProperty.of("ltv", "number"));
        sandbox.createProperty("contacts", HubSpotProperty.of("is_vip", "bool"));
        sandbox.createProperty("contacts", HubSpotProperty.of("renewal_date", "date"));
        sandbox.createProperty("contacts", HubSpotProperty.of("last_seen_at", "datetime"));
        sandbox.createProperty("contacts", new HubSpotProperty("interests", null, "enumeration", "checkbox", null,
                false, false, false, List.of(HubSpotProperty.Option.of("ski"), HubSpotProperty.Option.of("golf"))));
        sandbox.start();
        server = sandbox;
        return sandbox;
    }

    private HubSpotSandbox start() throws IOException {
        return start(b -> { });
    }

    private record Answer(int status, Map<String, List<String>> headers, JsonNode body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private Answer call(String method, String path, Object body) throws Exception {
        return call(HubSpotSandbox.DEFAULT_TOKEN, method, path, body);
    }

    private Answer call(String token, String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
        if (token != null) request.header("Authorization", "Bearer " + token);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode parsed = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        return new Answer(response.statusCode(), response.headers().map(), parsed);
    }

    private static ObjectNode inputs(ObjectNode... inputs) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("inputs");
        for (ObjectNode input : inputs) array.add(input);
        return body;
    }

    private static ObjectNode input(Object... keyValues) {
        ObjectNode input = JSON.createObjectNode();
        ObjectNode properties = input.putObject("properties");
        for (int i = 0; i < keyValues.length; i += 2) properties.put((String) keyValues[i], (String) keyValues[i + 1]);
        return input;
    }

    private static ObjectNode traced(String traceId, ObjectNode input) {
        return input.put("objectWriteTraceId", traceId);
    }

    private static ObjectNode upsert(String idProperty, String id, Object... keyValues) {
        return input(keyValues).put("idProperty", idProperty).put("id", id);
    }

    // ---- authentication ----

    @Test
    void refusesMissingAndUnknownTokensWithHubSpotsBodyAndNoBudgetSpent() throws Exception {
        start(b -> b.perTenSeconds(5));
        for (String token : new String[]{null, "wrong-token"}) {
            Answer refused = call(token, "GET", CONTACTS, null);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body().path("status").asText()).isEqualTo("error");
            assertThat(refused.body().path("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
            assertThat(refused.body().path("message").asText()).startsWith("Authentication credentials not found.");
            assertThat(refused.body().path("correlationId").asText()).hasSize(36);
            assertThat(refused.header("X-HubSpot-RateLimit-Remaining")).isNull();
        }
        Answer accepted = call("GET", CONTACTS, null);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.header("X-HubSpot-RateLimit-Remaining")).as("401s cost nothing").isEqualTo("4");
    }

    // ---- rate limits ----

    @Test
    void everyAnswerCarriesTheRateLimitHeadersOfTheTier() throws Exception {
        start();
        Answer first = call("GET", CONTACTS, null);
        Answer second = call("POST", CONTACTS + "/batch/create", "{\"inputs\":\"nope\"}");
        assertThat(first.header("X-HubSpot-RateLimit-Max")).isEqualTo("100");
        assertThat(first.header("X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("10000");
        assertThat(first.header("X-HubSpot-RateLimit-Daily")).isEqualTo("250000");
        assertThat(first.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("99");
        assertThat(first.header("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("249999");
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.header("X-HubSpot-RateLimit-Remaining")).as("errors count too").isEqualTo("98");
    }

    @Test
    void theTenSecondWindowRollsPerTokenAndItsOverflowIsHubSpots429() throws Exception {
        start(b -> b.perTenSeconds(3).tokens("token-a", "token-b"));
        for (int i = 0; i < 3; i++) assertThat(call("token-a", "GET", CONTACTS, null).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(4));
        Answer throttled = call("token-a", "GET", CONTACTS, null);

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.body().path("status").asText()).isEqualTo("error");
        assertThat(throttled.body().path("message").asText()).isEqualTo("You have reached your ten_secondly_rolling limit.");
        assertThat(throttled.body().path("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(throttled.body().path("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(throttled.body().path("correlationId").asText()).hasSize(36);
        assertThat(throttled.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("0");
        assertThat(call("token-b", "GET", CONTACTS, null).status()).as("another token, another budget").isEqualTo(200);

        clock.advance(Duration.ofMillis(5_999));
        assertThat(call("token-a", "GET", CONTACTS, null).status()).as("still inside the window").isEqualTo(429);
        clock.advance(Duration.ofMillis(2));
        Answer again = call("token-a", "GET", CONTACTS, null);
        assertThat(again.status()).as("the first calls left the window").isEqualTo(200);
        assertThat(again.header("X-HubSpot-RateLimit-Daily-Remaining")).as("429s were not counted")
                .isEqualTo(String.valueOf(250_000 - 4));
    }

    @Test
    void theDailyLimitAnswersDailyAndResetsAtMidnightInTheAccountsZone() throws Exception {
        clock.set(Instant.parse("2026-03-03T04:58:00Z")); // 23:58 on March 2nd in New York
        start(b -> b.daily(2).timeZone(ZoneId.of("America/New_York")));
        assertThat(call("GET", CONTACTS, null).status()).isEqualTo(200);
        assertThat(call("GET", CONTACTS, null).header("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("0");
        clock.advance(Duration.ofSeconds(30));
        Answer throttled = call("GET", CONTACTS, null);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.body().path("policyName").asText()).isEqualTo("DAILY");
        assertThat(throttled.body().path("message").asText()).isEqualTo("You have reached your daily limit.");

        clock.advance(Duration.ofMinutes(2)); // 00:00:30 on March 3rd in New York
        assertThat(call("GET", CONTACTS, null).status()).isEqualTo(200);
    }

    @Test
    void optionsChooseTheTierAndRefuseWhatTheyDoNotKnow() throws Exception {
        server = HubSpotSandbox.fromOptions(0, Map.of("tier", "professional", "tokens", "a, b"));
        server.start();
        Answer answer = call("b", "GET", CONTACTS, null);
        assertThat(answer.header("X-HubSpot-RateLimit-Max")).isEqualTo("190");
        assertThat(answer.header("X-HubSpot-RateLimit-Daily")).isEqualTo("625000");
        assertThat(call(HubSpotSandbox.DEFAULT_TOKEN, "GET", CONTACTS, null).status()).isEqualTo(401);

        assertThatThrownBy(() -> HubSpotSandbox.fromOptions(0, Map.of("tier", "gold")))
                .hasMessageContaining("free, starter, professional, enterprise");
        assertThatThrownBy(() -> HubSpotSandbox.fromOptions(0, Map.of("per_second", "5")))
                .hasMessageContaining("unknown hubspot sandbox option 'per_second'");
        assertThatThrownBy(() -> HubSpotSandbox.fromOptions(0, Map.of("daily", "-1")))
                .hasMessageContaining("positive whole number");
    }

    @Test
    void theProviderIsFoundByVendorAndStartsASandbox() throws Exception {
        SandboxProvider provider = SandboxProvider.find("hubspot").orElseThrow();
        assertThat(provider.options()).extracting(o -> o.name()).contains("tier", "per_10s", "daily", "tokens");
        server = provider.start(0, Map.of("custom_objects", "cars:vin", "per_10s", "7",
                "properties", "contacts.churn_risk_score:number, cars.colour:string, contacts.external_id:string:unique"));
        Answer answer = call("GET", "/crm/v3/properties/cars", null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-HubSpot-RateLimit-Max")).isEqualTo("7");
        assertThat(answer.body().path("results").findValuesAsText("name")).contains("vin", "name", "hs_object_id", "colour");
        Answer upserted = call("POST", CONTACTS + "/batch/upsert",
                inputs(upsert("external_id", "x-1", "churn_risk_score", "0.7")));
        assertThat(upserted.status()).isEqualTo(200);

        assertThatThrownBy(() -> provider.start(0, Map.of("properties", "ltv:number")))
                .hasMessageContaining("object.name:type");
        assertThatThrownBy(() -> provider.start(0, Map.of("properties", "contacts.ltv:money")))
                .hasMessageContaining("unknown type 'money'");
    }

    // ---- batch limits and shapes ----

    @Test
    void aBatchHoldsAtMostOneHundredInputs() throws Exception {
        HubSpotSandbox sandbox = start();
        ObjectNode tooMany = JSON.createObjectNode();
        ArrayNode array = tooMany.putArray("inputs");
        for (int i = 0; i < 101; i++) array.add(input("email", "p" + i + "@example.com"));

        Answer refused = call("POST", CONTACTS + "/batch/create", tooMany);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(refused.body().path("message").asText()).contains("100");
        assertThat(sandbox.recordCount("contacts")).isZero();

        array.remove(100);
        Answer created = call("POST", CONTACTS + "/batch/create", tooMany);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("status").asText()).isEqualTo("COMPLETE");
        assertThat(created.body().path("results")).hasSize(100);
        assertThat(sandbox.recordCount("contacts")).isEqualTo(100);
    }

    @Test
    void withoutTraceIdsOneInvalidInputFailsTheWholeBatch() throws Exception {
        HubSpotSandbox sandbox = start();
        Answer refused = call("POST", CONTACTS + "/batch/create",
                inputs(input("email", "a@example.com"), input("email", "b@example.com", "ltv", "lots")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(refused.body().path("message").asText()).startsWith("Property values were not valid: [");
        JsonNode error = refused.body().path("errors").get(0);
        assertThat(error.path("code").asText()).isEqualTo("INVALID_INTEGER");
        assertThat(error.path("message").asText()).isEqualTo("lots was not a valid number.");
        assertThat(error.path("context").path("propertyName").get(0).asText()).isEqualTo("ltv");
        assertThat(sandbox.recordCount("contacts")).as("nothing is written").isZero();
    }

    @Test
    void withTraceIdsInvalidInputsComeBackOneByOneInA207() throws Exception {
        HubSpotSandbox sandbox = start();
        Answer answer = call("POST", CONTACTS + "/batch/create", inputs(
                traced("t0", input("email", "a@example.com", "ltv", "10")),
                traced("t1", input("email", "b@example.com", "ltv", "lots")),
                traced("t2", input("email", "c@example.com", "shoe_size", "44"))));

        assertThat(answer.status()).isEqualTo(207);
        assertThat(answer.body().path("numErrors").asInt()).isEqualTo(2);
        assertThat(answer.body().path("results")).hasSize(1);
        JsonNode result = answer.body().path("results").get(0);
        assertThat(result.path("objectWriteTraceId").asText()).isEqualTo("t0");
        assertThat(result.path("properties").path("email").asText()).isEqualTo("a@example.com");
        assertThat(result.path("properties").path("hs_object_id").asText()).isEqualTo(result.path("id").asText());

        JsonNode invalid = answer.body().path("errors").get(0);
        assertThat(invalid.path("status").asText()).isEqualTo("error");
        assertThat(invalid.path("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(invalid.path("context").path("objectWriteTraceId")).containsExactly(JSON.getNodeFactory().textNode("t1"));
        assertThat(invalid.path("errors").get(0).path("code").asText()).isEqualTo("INVALID_INTEGER");
        assertThat(invalid.has("links")).isTrue();
        JsonNode unknown = answer.body().path("errors").get(1);
        assertThat(unknown.path("errors").get(0).path("code").asText()).isEqualTo("PROPERTY_DOESNT_EXIST");
        assertThat(unknown.path("message").asText()).contains("Property \\\"shoe_size\\\" does not exist");

        assertThat(sandbox.recordCount("contacts")).isEqualTo(1);
    }

    @Test
    void anUpdateOfUnknownIdsIsA207WithObjectNotFoundAndTheIds() throws Exception {
        HubSpotSandbox sandbox = start();
        String id = sandbox.createRecord("contacts", Map.of("email", "known@example.com")).id();

        Answer answer = call("POST", CONTACTS + "/batch/update", inputs(
                input("firstname", "Known").put("id", id),
                input("firstname", "Ghost").put("id", "999999"),
                input("firstname", "Ghost").put("id", "ghost@example.com").put("idProperty", "email")));

        assertThat(answer.status()).isEqualTo(207);
        assertThat(answer.body().path("results")).hasSize(1);
        JsonNode error = answer.body().path("errors").get(0);
        assertThat(error.path("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(error.path("message").asText()).contains("Could not get some CONTACT objects");
        assertThat(List.of(error.path("context").path("ids").get(0).asText(), error.path("context").path("ids").get(1).asText()))
                .containsExactly("999999", "ghost@example.com");
        assertThat(sandbox.record("contacts", id).orElseThrow().property("firstname")).contains("Known");

        Answer allKnown = call("POST", CONTACTS + "/batch/update", inputs(input("firstname", "K").put("id", id)));
        assertThat(allKnown.status()).isEqualTo(200);
    }

    // ---- unique values and upsert ----

    @Test
    void aTakenUniqueValueIsAConflictCaseBlindForEmail() throws Exception {
        HubSpotSandbox sandbox = start();
        String existing = sandbox.createRecord("contacts", Map.of("email", "taken@example.com")).id();

        Answer whole = call("POST", CONTACTS + "/batch/create", inputs(input("email", "TAKEN@example.com")));
        assertThat(whole.status()).isEqualTo(409);
        assertThat(whole.body().path("category").asText()).isEqualTo("CONFLICT");
        assertThat(whole.body().path("message").asText()).isEqualTo("Contact already exists. Existing ID: " + existing);

        Answer traced = call("POST", CONTACTS + "/batch/create", inputs(
                traced("0", input("email", "new@example.com")),
                traced("1", input("email", "taken@example.com")),
                traced("2", input("email", "New@Example.com"))));
        assertThat(traced.status()).isEqualTo(207);
        assertThat(traced.body().path("errors")).hasSize(2);
        assertThat(traced.body().path("errors").findValuesAsText("category")).containsOnly("CONFLICT");
        assertThat(sandbox.recordCount("contacts")).isEqualTo(2);

        Answer single = call("POST", CONTACTS, input("email", "taken@example.com"));
        assertThat(single.status()).isEqualTo(409);
        Answer moved = call("PATCH", CONTACTS + "/" + sandbox.findRecord("contacts", "email", "new@example.com")
                .orElseThrow().id(), input("email", "taken@example.com"));
        assertThat(moved.status()).as("an update may not take another record's unique value").isEqualTo(409);
    }

    @Test
    void upsertCreatesThenUpdatesByAUniqueIdProperty() throws Exception {
        HubSpotSandbox sandbox = start();
        Answer created = call("POST", CONTACTS + "/batch/upsert",
                inputs(upsert("email", "Pat@Example.com", "firstname", "Pat")));
        assertThat(created.status()).isEqualTo(200);
        JsonNode first = created.body().path("results").get(0);
        assertThat(first.path("new").asBoolean()).isTrue();
        assertThat(first.path("properties").path("email").asText()).isEqualTo("pat@example.com");

        Answer updated = call("POST", CONTACTS + "/batch/upsert",
                inputs(upsert("email", "pat@example.com", "firstname", "Patricia")));
        JsonNode second = updated.body().path("results").get(0);
        assertThat(second.path("new").asBoolean()).isFalse();
        assertThat(second.path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(sandbox.recordCount("contacts")).isEqualTo(1);
        assertThat(sandbox.findRecord("contacts", "email", "pat@example.com").orElseThrow().property("firstname"))
                .contains("Patricia");
    }

    @Test
    void upsertNeedsAUniqueIdPropertyAndDistinctIds() throws Exception {
        start();
        Answer nonUnique = call("POST", CONTACTS + "/batch/upsert", inputs(upsert("firstname", "Pat")));
        assertThat(nonUnique.status()).isEqualTo(400);
        assertThat(nonUnique.body().path("message").asText())
                .isEqualTo("Unable to perform update/upsert by non-unique 0-1 property firstname in portal ID "
                        + HubSpotSandbox.DEFAULT_PORTAL_ID);
        Answer byRecordId = call("POST", CONTACTS + "/batch/upsert", inputs(upsert("hs_object_id", "1001")));
        assertThat(byRecordId.status()).isEqualTo(400);
        Answer withoutIdProperty = call("POST", CONTACTS + "/batch/upsert", inputs(input().put("id", "x@example.com")));
        assertThat(withoutIdProperty.status()).isEqualTo(400);

        Answer duplicates = call("POST", CONTACTS + "/batch/upsert",
                inputs(upsert("email", "d@example.com"), upsert("email", "D@example.com")));
        assertThat(duplicates.status()).isEqualTo(400);
        assertThat(duplicates.body().path("message").asText()).startsWith("Duplicate IDs found in batch input");
    }

    // ---- values ----

    @ParameterizedTest(name = "{0} = ''{1}'' is refused with {2}")
    @CsvSource({
            "ltv, ten, INVALID_INTEGER",
            "ltv, ' 10', LEADING_TRAILING_WHITESPACE",
            "is_vip, yes, INVALID_BOOLEAN",
            "lifecyclestage, champion, INVALID_OPTION",
            "interests, ski;chess, INVALID_OPTION",
            "renewal_date, 2024-02-30, INVALID_DATE",
            "renewal_date, 1705312800000, INVALID_DATE",
            "renewal_date, 15/01/2024, INVALID_DATE",
            "last_seen_at, tomorrow, INVALID_LONG",
            "email, not-an-email, INVALID_EMAIL",
            "shoe_size, 44, PROPERTY_DOESNT_EXIST",
            "createdate, 2024-01-01, READ_ONLY_VALUE",
            "hs_object_id, 5, READ_ONLY_VALUE"
    })
    void invalidValuesAreRefusedWithHubSpotsCodes(String property, String value, String code) throws Exception {
        HubSpotSandbox sandbox = start();
        Answer refused = call("POST", CONTACTS, input("email", "v@example.com", property, value));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(refused.body().path("errors").get(0).path("code").asText()).isEqualTo(code);
        assertThat(sandbox.recordCount("contacts")).isZero();
    }

    @ParameterizedTest(name = "{0} = ''{1}'' is stored as ''{2}''")
    @CsvSource({
            "ltv, 12.50, 12.5",
            "ltv, 1E+3, 1000",
            "is_vip, TRUE, true",
            "lifecyclestage, customer, customer",
            "interests, golf;ski, golf;ski",
            "renewal_date, 2024-01-15, 2024-01-15",
            "renewal_date, 1705276800000, 2024-01-15",
            "last_seen_at, 2024-01-15T10:30:00+01:00, 2024-01-15T09:30:00.000Z",
            "last_seen_at, 1705312800000, 2024-01-15T10:00:00.000Z",
            "last_seen_at, 2024-01-15, 2024-01-15T00:00:00.000Z",
            "email, Mixed.Case@Example.COM, mixed.case@example.com",
            "firstname, '  padded  ', '  padded  '"
    })
    void validValuesAreStoredInHubSpotsForm(String property, String value, String stored) throws Exception {
        HubSpotSandbox sandbox = start();
        Answer created = call("POST", CONTACTS, input("email", "v@example.com", property, value));
        assertThat(created.status()).isEqualTo(201);
        assertThat(sandbox.record("contacts", created.body().path("id").asText()).orElseThrow().property(property))
                .contains(stored);
    }

    @Test
    void anEmptyStringClearsAProperty() throws Exception {
        HubSpotSandbox sandbox = start();
        String id = sandbox.createRecord("contacts", Map.of("email", "c@example.com", "firstname", "Cleo", "ltv", "3")).id();
        Answer answer = call("POST", CONTACTS + "/batch/update",
                inputs(input("firstname", "", "ltv", "").put("id", id)));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(sandbox.record("contacts", id).orElseThrow().properties()).doesNotContainKeys("firstname", "ltv");
        Answer read = call("GET", CONTACTS + "/" + id + "?properties=firstname,ltv", null);
        assertThat(read.body().path("properties").path("firstname").isNull()).isTrue();
    }

    // ---- single-record endpoints, listing, reads, archives ----

    @Test
    void singleRecordEndpointsCreateReadUpdateAndArchive() throws Exception {
        HubSpotSandbox sandbox = start();
        Answer created = call("POST", CONTACTS, JSON.createObjectNode().<ObjectNode>set("properties",
                JSON.createObjectNode().put("email", "s@example.com").put("firstname", "Sam")));
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().path("id").asText();
        assertThat(created.body().path("properties").path("createdate").asText()).isEqualTo("2026-03-02T15:00:00.000Z");

        Answer byEmail = call("GET", CONTACTS + "/s@example.com?idProperty=email&properties=firstname", null);
        assertThat(byEmail.status()).isEqualTo(200);
        assertThat(byEmail.body().path("id").asText()).isEqualTo(id);
        assertThat(byEmail.body().path("properties").path("firstname").asText()).isEqualTo("Sam");

        clock.advance(Duration.ofMinutes(5));
        Answer patched = call("PATCH", CONTACTS + "/" + id, input("firstname", "Samantha"));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body().path("updatedAt").asText()).isEqualTo("2026-03-02T15:05:00.000Z");
        assertThat(sandbox.record("contacts", id).orElseThrow().property("lastmodifieddate"))
                .contains("2026-03-02T15:05:00.000Z");

        assertThat(call("DELETE", CONTACTS + "/" + id, null).status()).isEqualTo(204);
        Answer gone = call("GET", CONTACTS + "/" + id, null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body().path("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(call("DELETE", CONTACTS + "/" + id, null).status()).as("archiving twice is fine").isEqualTo(204);
        assertThat(call("PATCH", CONTACTS + "/" + id, input("firstname", "x")).status()).isEqualTo(404);
    }

    @Test
    void listingPagesWithLimitAndAfter() throws Exception {
        HubSpotSandbox sandbox = start();
        for (int i = 0; i < 25; i++) sandbox.createRecord("contacts", Map.of("email", "l" + i + "@example.com"));
        Set<String> seen = new HashSet<>();
        String after = null;
        int pages = 0;
        do {
            Answer page = call("GET", CONTACTS + "?limit=10" + (after == null ? "" : "&after=" + after), null);
            page.body().path("results").forEach(r -> assertThat(seen.add(r.path("id").asText())).isTrue());
            after = page.body().path("paging").path("next").path("after").asText(null);
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25);
        assertThat(call("GET", CONTACTS + "?archived=true", null).body().path("results")).isEmpty();
    }

    @Test
    void batchReadAnswersFoundRecordsAndNamesTheMissingOnes() throws Exception {
        HubSpotSandbox sandbox = start();
        sandbox.createRecord("contacts", Map.of("email", "r@example.com", "ltv", "7"));
        ObjectNode body = inputs(JSON.createObjectNode().put("id", "R@example.com"),
                JSON.createObjectNode().put("id", "missing@example.com"));
        body.put("idProperty", "email");
        body.putArray("properties").add("ltv").add("email");
        body.putArray("propertiesWithHistory");

        Answer answer = call("POST", CONTACTS + "/batch/read", body);
        assertThat(answer.status()).isEqualTo(207);
        assertThat(answer.body().path("results").get(0).path("properties").path("ltv").asText()).isEqualTo("7");
        JsonNode error = answer.body().path("errors").get(0);
        assertThat(error.path("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(error.path("context").path("ids").get(0).asText()).isEqualTo("missing@example.com");
    }

    @Test
    void batchArchiveAnswers204EvenForIdsThatAreGone() throws Exception {
        HubSpotSandbox sandbox = start();
        String id = sandbox.createRecord("contacts", Map.of("email", "a@example.com")).id();
        Answer answer = call("POST", CONTACTS + "/batch/archive",
                inputs(JSON.createObjectNode().put("id", id), JSON.createObjectNode().put("id", "424242")));
        assertThat(answer.status()).isEqualTo(204);
        assertThat(sandbox.recordCount("contacts")).isZero();
        assertThat(sandbox.findRecord("contacts", "email", "a@example.com")).as("the unique index forgets it").isEmpty();
        assertThat(call("POST", CONTACTS, input("email", "a@example.com")).status()).isEqualTo(201);
    }

    @Test
    void malformedRequestsAreValidationErrors() throws Exception {
        start();
        Answer notJson = call("POST", CONTACTS + "/batch/create", "{\"inputs\": [");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body().path("message").asText()).startsWith("Invalid input JSON");
        Answer unknownType = call("GET", "/crm/v3/objects/unicorns", null);
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(unknownType.body().path("message").asText()).isEqualTo("Unable to infer object type from: unicorns");
        assertThat(call("GET", "/crm/v4/whatever/contacts", null).status()).isEqualTo(404);
    }

    // ---- properties and custom objects ----

    @Test
    void propertiesDescribeTypesUniquenessAndReadOnlyValues() throws Exception {
        start();
        Answer answer = call("GET", "/crm/v3/properties/contacts", null);
        assertThat(answer.status()).isEqualTo(200);
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        answer.body().path("results").forEach(p -> byName.put(p.path("name").asText(), p));
        assertThat(byName.get("email").path("hasUniqueValue").asBoolean()).isTrue();
        assertThat(byName.get("email").path("type").asText()).isEqualTo("string");
        assertThat(byName.get("hs_object_id").path("modificationMetadata").path("readOnlyValue").asBoolean()).isTrue();
        assertThat(byName.get("createdate").path("type").asText()).isEqualTo("datetime");
        assertThat(byName.get("lifecyclestage").path("options").findValuesAsText("value")).contains("lead", "customer");
        assertThat(byName.get("ltv").path("hubspotDefined").asBoolean()).isFalse();
        assertThat(byName.get("firstname").path("modificationMetadata").path("readOnlyValue").asBoolean()).isFalse();
    }

    @Test
    void propertiesCanBeCreatedOneByOneOrInBatchAndThenWritten() throws Exception {
        HubSpotSandbox sandbox = start();
        ObjectNode score = JSON.createObjectNode().put("name", "churn_risk").put("label", "Churn risk")
                .put("type", "number").put("fieldType", "number").put("groupName", "contactinformation");
        Answer created = call("POST", "/crm/v3/properties/contacts", score);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("modificationMetadata").path("archivable").asBoolean()).isTrue();
        assertThat(call("POST", "/crm/v3/properties/contacts", score).status()).as("same name").isEqualTo(409);
        Answer incomplete = call("POST", "/crm/v3/properties/contacts", JSON.createObjectNode().put("name", "x"));
        assertThat(incomplete.status()).isEqualTo(400);
        assertThat(incomplete.body().path("message").asText()).contains("label", "type", "fieldType", "groupName");

        ObjectNode external = score.deepCopy().put("name", "external_id").put("type", "string")
                .put("fieldType", "text").put("hasUniqueValue", true);
        Answer batch = call("POST", "/crm/v3/properties/contacts/batch/create", inputs(external));
        assertThat(batch.status()).isEqualTo(201);
        Answer read = call("POST", "/crm/v3/properties/contacts/batch/read",
                inputs(JSON.createObjectNode().put("name", "external_id"), JSON.createObjectNode().put("name", "nope")));
        assertThat(read.status()).isEqualTo(207);
        assertThat(read.body().path("results").get(0).path("hasUniqueValue").asBoolean()).isTrue();

        Answer upserted = call("POST", CONTACTS + "/batch/upsert",
                inputs(upsert("external_id", "ext-1", "churn_risk", "0.8")));
        assertThat(upserted.status()).isEqualTo(200);
        assertThat(sandbox.findRecord("contacts", "external_id", "ext-1").orElseThrow().property("churn_risk"))
                .contains("0.8");
    }

    @Test
    void customObjectsAnswerToTheirIdNameAndFullyQualifiedName() throws Exception {
        HubSpotSandbox sandbox = start();
        Answer made = call("POST", "/_sandbox/objects", "{\"name\":\"cars\",\"properties\":["
                + "{\"name\":\"vin\",\"type\":\"string\",\"hasUniqueValue\":true},{\"name\":\"price\",\"type\":\"number\"}]}");
        assertThat(made.status()).isEqualTo(201);
        String typeId = made.body().path("objectTypeId").asText();
        assertThat(typeId).startsWith("2-");
        assertThat(made.body().path("fullyQualifiedName").asText()).isEqualTo("p" + sandbox.portalId() + "_cars");

        for (String reference : List.of(typeId, "cars", "p" + sandbox.portalId() + "_cars")) {
            Answer answer = call("POST", "/crm/v3/objects/" + reference + "/batch/upsert",
                    inputs(upsert("vin", "VIN-1", "price", "100")));
            assertThat(answer.status()).as(reference).isEqualTo(200);
        }
        assertThat(sandbox.recordCount("cars")).isEqualTo(1);
        Answer dump = call("GET", "/_sandbox/objects/" + typeId, null);
        assertThat(dump.body().path("total").asInt()).isEqualTo(1);
        assertThat(dump.body().path("results").get(0).path("properties").path("hs_createdate").asText()).isNotEmpty();
        assertThat(call("POST", "/_sandbox/objects", "{\"name\":\"Bad Name\"}").status()).isEqualTo(400);
    }

    // ---- /_sandbox/ and faults ----

    @Test
    void inspectionNeverSpendsTheVendorBudget() throws Exception {
        HubSpotSandbox sandbox = start(b -> b.perTenSeconds(1));
        sandbox.createRecord("contacts", Map.of("email", "i@example.com"));
        for (int i = 0; i < 5; i++) {
            assertThat(call(null, "GET", "/_sandbox/objects/contacts", null).status()).isEqualTo(200);
            assertThat(call(null, "GET", "/_sandbox/requests", null).status()).isEqualTo(200);
        }
        assertThat(call("GET", CONTACTS, null).status()).isEqualTo(200);
        assertThat(call("GET", CONTACTS, null).status()).isEqualTo(429);
        JsonNode limits = call(null, "GET", "/_sandbox/rate-limits", null).body();
        assertThat(limits.path("tokens").get(0).path("inWindow").asInt()).isEqualTo(1);
        assertThat(limits.path("tokens").get(0).path("token").asText()).doesNotContain(HubSpotSandbox.DEFAULT_TOKEN);
        assertThat(call(null, "DELETE", "/_sandbox/rate-limits", null).status()).isEqualTo(204);
        assertThat(call("GET", CONTACTS, null).status()).isEqualTo(200);
        assertThat(sandbox.requestCount()).isEqualTo(3);
        assertThat(sandbox.countsByStatus()).containsEntry(429, 1L);
    }

    @Test
    void eachFaultKindWorksOverTheSandboxApi() throws Exception {
        HubSpotSandbox sandbox = start();
        assertThat(call(null, "POST", "/_sandbox/faults",
                "{\"kind\":\"status\",\"status\":502,\"count\":1,\"path\":\"/crm/v3/objects\"}").status()).isEqualTo(201);
        assertThat(call("GET", "/crm/v3/properties/contacts", null).status()).as("other path").isEqualTo(200);
        assertThat(call("GET", CONTACTS, null).status()).isEqualTo(502);

        call(null, "POST", "/_sandbox/faults", "{\"kind\":\"throttle\",\"count\":1}");
        Answer throttled = call("GET", CONTACTS, null);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.body().path("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(throttled.body().path("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(throttled.header("X-HubSpot-RateLimit-Max")).isEqualTo("100");

        call(null, "POST", "/_sandbox/faults", "{\"kind\":\"latency\",\"ms\":250,\"count\":1}");
        long started = System.nanoTime();
        assertThat(call("GET", CONTACTS, null).status()).isEqualTo(200);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(250);

        call(null, "POST", "/_sandbox/faults", "{\"kind\":\"drop\",\"count\":1}");
        assertThatThrownBy(() -> call("POST", CONTACTS + "/batch/create", inputs(input("email", "x@example.com"))))
                .isInstanceOf(IOException.class);
        assertThat(sandbox.recordCount("contacts")).as("a dropped request is not handled").isZero();
        assertThat(call("GET", CONTACTS, null).header("X-HubSpot-RateLimit-Remaining"))
                .as("only the handled calls (properties, latency, this one) spent budget").isEqualTo("97");
    }

    @Test
    void concurrentUpsertsOfTheSameEmailsNeverDuplicate() throws Exception {
        HubSpotSandbox sandbox = start(b -> b.perTenSeconds(1_000));
        List<Future<Integer>> statuses = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 16; t++) {
                int thread = t;
                statuses.add(executor.submit(() -> {
                    ObjectNode body = JSON.createObjectNode();
                    ArrayNode array = body.putArray("inputs");
                    for (int i = 0; i < 20; i++) {
                        array.add(upsert("email", "same" + i + "@example.com", "firstname", "t" + thread));
                    }
                    return call("POST", CONTACTS + "/batch/upsert", body).status();
                }));
            }
            for (Future<Integer> status : statuses) assertThat(status.get()).isEqualTo(200);
        }
        assertThat(sandbox.recordCount("contacts")).isEqualTo(20);
    }
}
